"""Indicator reference metadata: the metadataflow ``MA.HCP:MDF_LMIS_IND(1.0)`` and one report per
indicator of ``CL_MEASURE_MA`` (DOMAIN.md §6 and §7), written to ``metadata/``.

    python -m scripts.content.metadata            # (re)write metadata/
    python -m scripts.content.metadata --out DIR  # write into DIR/metadata
    python -m scripts.content.metadata --check    # exit 1 if the committed files differ

Each report is an SDMX-ML 2.1 GenericMetadata message ``metadata/MA.HCP.MDF_LMIS_IND.<CODE>.xml``
reported by the data provider HCP against the metadataflow; its target is the indicator, a code of
``CL_MEASURE_MA`` (``INDICATOR_TARGET`` of ``MSD_LMIS_IND``). Texts are given in English and French
(DEFINITION, CALCULATION_METHOD, NATIONAL_DEVIATION and LIMITATIONS as XHTML paragraphs,
DISAGGREGATION, INT_STANDARD, REF_PERIOD and CONTACT_ORGANISATION as multilingual text). UNIT,
UNIT_MULT, SDG_INDICATOR, DWI_ELEMENT and ILO_INDICATOR come from ``indicators.py``, so the
codelist and the reports cannot disagree. FORMULA is a VTL 2.0 expression over series named by
ILOSTAT-style measure codes; names that are not codes of CL_MEASURE_MA are intermediate counts
that CALCULATION_METHOD explains. Items DOMAIN.md marks "(verify)" say "to be confirmed".

Files are written with ``registry.io.sdmxml_metadata.canonical_report``, the form the registry
stores, so reading a file and writing it again gives the same bytes (sdmx1 2.28's writer cannot
write multilingual texts). The build is deterministic: ``META_LAST_UPDATE`` is a constant.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a file: python scripts/content/metadata.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    __package__ = "scripts.content"

from sdmx.model import v21

from registry.io.sdmxml_metadata import (
    XHTML,
    MetadataReport,
    ReportedAttribute,
    TargetValue,
    canonical_report,
)

from .common import maintainable_kw, text
from .indicators import BY_ID, INDICATORS, Indicator
from .orgs import INSTITUTIONS

ROOT = Path(__file__).resolve().parents[2]
FOLDER = "metadata"
MDF_ID = "MDF_LMIS_IND"
MDF_URN = "urn:sdmx:org.sdmx.infomodel.metadatastructure.Metadataflow=MA.HCP:MDF_LMIS_IND(1.0)"
CODELIST_URN = "urn:sdmx:org.sdmx.infomodel.codelist.Code=MA.HCP:CL_MEASURE_MA(1.0)"
#: The data provider that reports the catalogue's metadata (HCP compiles it).
PROVIDER = "MA.HCP:HCP"
#: Date of the last review of these texts (constant: the build must be reproducible).
META_LAST_UPDATE = "2026-11-29"

T = tuple[str, str]  # (English, French)


def metadataflow(msd: v21.MetadataStructureDefinition) -> v21.MetadataflowDefinition:
    """``MA.HCP:MDF_LMIS_IND(1.0)``: the metadataflow of the indicator reports, over the MSD."""
    return v21.MetadataflowDefinition(
        **maintainable_kw(
            MDF_ID,
            text("Indicator reference metadata", "Métadonnées de référence des indicateurs"),
            description=text(
                "One metadata report per indicator of CL_MEASURE_MA: definition, calculation "
                "method and formula, unit, periodicity, sources, disaggregations, international "
                "standards, national deviations, limitations, SDG, Decent Work and ILOSTAT "
                "references.",
                "Un rapport de métadonnées par indicateur de CL_MEASURE_MA : définition, méthode "
                "de calcul et formule, unité, périodicité, sources, ventilations, normes "
                "internationales, écarts nationaux, limites, références ODD, travail décent et "
                "ILOSTAT.",
            ),
            structure=msd,
        )
    )


@dataclass(frozen=True)
class Meta:
    """The reference metadata of one indicator that ``indicators.py`` does not already hold."""

    id: str
    definition: T
    method: T
    periodicity: str  # CL_FREQ_MA: the highest frequency at which the indicator is produced
    sources: tuple[str, ...]  # CL_SOURCE_MA
    institutions: tuple[str, ...]  # data provider ids (ILO for an imported indicator)
    disaggregation: T
    standard: T
    ref_period: T
    formula: str | None = None
    deviation: T | None = None
    limitations: T | None = None


# --- Shared texts --------------------------------------------------------------------------------

ENE_BREAKDOWNS: T = (
    "Sex, age group, area of residence (urban, rural), region, level of education and diploma.",
    "Sexe, tranche d'âge, milieu de résidence (urbain, rural), région, niveau d'instruction et "
    "diplôme.",
)
ENE_JOB_BREAKDOWNS: T = (
    "Sex, age group, area of residence (urban, rural), region, level of education, economic "
    "activity (ISIC Rev.4), occupation (ISCO-08), status in employment (ICSE-93), institutional "
    "sector.",
    "Sexe, tranche d'âge, milieu de résidence (urbain, rural), région, niveau d'instruction, "
    "activité économique (CITI Rév.4), profession (CITP-08), situation dans la profession "
    "(CISP-93), secteur institutionnel.",
)
EARNINGS_BREAKDOWNS: T = (
    "Sex, age group, economic activity (ISIC Rev.4), occupation (ISCO-08), area of residence.",
    "Sexe, tranche d'âge, activité économique (CITI Rév.4), profession (CITP-08), milieu de "
    "résidence.",
)
ENE_WEEK: T = (
    "Reference week of the survey interview; quarterly and annual estimates cover the "
    "interviews of the quarter or of the year.",
    "Semaine de référence de l'entretien ; les estimations trimestrielles et annuelles portent "
    "sur les entretiens du trimestre ou de l'année.",
)
CALENDAR_YEAR: T = ("Calendar year.", "Année civile.")
YEAR_END: T = ("Situation at 31 December.", "Situation au 31 décembre.")
PERIOD_FLOW: T = (
    "Events during the month, quarter or year of reference.",
    "Événements survenus pendant le mois, le trimestre ou l'année de référence.",
)

LF_STANDARD: T = (
    "ICLS resolution concerning statistics of the economically active population, employment, "
    "unemployment and underemployment (13th ICLS, 1982); resolution concerning statistics of "
    "work, employment and labour underutilization (19th ICLS, 2013).",
    "Résolution de la CIST concernant les statistiques de la population active, de l'emploi, du "
    "chômage et du sous-emploi (13e CIST, 1982) ; résolution concernant les statistiques du "
    "travail, de l'emploi et de la sous-utilisation de la main-d'œuvre (19e CIST, 2013).",
)
ICLS_BASIS: T = (
    "Whether the ENE series follow the 13th ICLS (1982) or the 19th ICLS (2013) definition of "
    "employment is to be confirmed with HCP. On the 13th ICLS basis the production of goods for "
    "own final use (notably subsistence agriculture) counts as employment, which raises "
    "employment and participation, mainly in rural areas, compared with the 19th ICLS basis.",
    "La définition de l'emploi suivie par les séries de l'ENE (13e CIST de 1982 ou 19e CIST de "
    "2013) est à confirmer avec le HCP. Selon la 13e CIST, la production de biens pour usage "
    "final propre (notamment l'agriculture de subsistance) est de l'emploi, ce qui relève "
    "l'emploi et l'activité, surtout en milieu rural, par rapport à la 19e CIST.",
)
ENE_LIMITS: T = (
    "Sample survey estimates carry a sampling error, small for national totals and larger for "
    "regions and detailed breakdowns. Persons living in collective households are not covered. "
    "The series are revised when the weights are adjusted to a new census.",
    "Les estimations d'enquête comportent une erreur d'échantillonnage, faible pour les totaux "
    "nationaux et plus forte pour les régions et les ventilations fines. Les personnes vivant "
    "dans les ménages collectifs ne sont pas couvertes. Les séries sont révisées lorsque les "
    "pondérations sont ajustées sur un nouveau recensement.",
)
WAGES_STANDARD: T = (
    "ICLS resolution concerning an integrated system of wages statistics (12th ICLS, 1973); "
    "ISCO-08, ISIC Rev.4.",
    "Résolution de la CIST concernant un système intégré de statistiques des salaires (12e CIST, "
    "1973) ; CITP-08, CITI Rév.4.",
)
EARNINGS_SOURCE: T = (
    "The survey that collects employees' earnings (an ENE module or a dedicated HCP survey) is "
    "to be confirmed with HCP. CNSS declared wages (MA_CNSS_WAGE_NB) are an administrative "
    "alternative, truncated at the contribution ceiling.",
    "L'enquête qui collecte les gains des salariés (module de l'ENE ou enquête spécifique du "
    "HCP) est à confirmer avec le HCP. Les salaires déclarés à la CNSS (MA_CNSS_WAGE_NB) en "
    "sont une alternative administrative, tronquée au plafond de cotisation.",
)
MIGRATION_STANDARD: T = (
    "ICLS guidelines concerning statistics of international labour migration (20th ICLS, 2018).",
    "Directives de la CIST concernant les statistiques des migrations internationales de "
    "main-d'œuvre (20e CIST, 2018).",
)
ANAPEC_LIMITS: T = (
    "Administrative register: the figures reflect ANAPEC's coverage and procedures (voluntary "
    "registration, mostly graduates and urban jobseekers) and must not be read as labour market "
    "totals.",
    "Registre administratif : les chiffres reflètent la couverture et les procédures de "
    "l'ANAPEC (inscription volontaire, surtout de diplômés et de demandeurs urbains) et ne "
    "doivent pas être lus comme des totaux du marché du travail.",
)
ADMIN_STANDARD: T = (
    "National administrative concept; no international statistical standard.",
    "Concept administratif national ; pas de norme statistique internationale.",
)
REGION_SEX: T = ("Sex, age group, region.", "Sexe, tranche d'âge, région.")


# --- The reports ---------------------------------------------------------------------------------

M = Meta

REPORTS: tuple[Meta, ...] = (
    # A. Labour force, underutilisation and informality
    M("POP_XWAP_NB",
      ("The working-age population is the population aged 15 years and over living in ordinary "
       "households. It is the reference population of the labour force statistics of the "
       "National Employment Survey (ENE).",
       "La population en âge d'activité est la population âgée de 15 ans et plus vivant dans les "
       "ménages ordinaires. C'est la population de référence des statistiques de la main-d'œuvre "
       "de l'Enquête nationale sur l'emploi (ENE)."),
      ("Weighted count of the ENE respondents aged 15 and over: each person counts with his or "
       "her extrapolation weight, the weights being adjusted to HCP's population projections. "
       "Published in thousands.",
       "Effectif pondéré des enquêtés de l'ENE âgés de 15 ans et plus : chaque personne compte "
       "pour son coefficient d'extrapolation, les coefficients étant ajustés sur les projections "
       "de population du HCP. Publié en milliers."),
      "Q", ("ENE",), ("HCP",), ENE_BREAKDOWNS, LF_STANDARD, ENE_WEEK,
      limitations=ENE_LIMITS),
    M("EAP_TEAP_NB",
      ("The labour force (currently active population) is the sum of the persons in employment "
       "and the unemployed persons aged 15 and over in the reference week.",
       "La population active (population actuellement active) est la somme des personnes "
       "occupées et des chômeurs âgés de 15 ans et plus pendant la semaine de référence."),
      ("Sum of the weighted counts of employed and unemployed persons aged 15 and over. "
       "Published in thousands.",
       "Somme des effectifs pondérés des actifs occupés et des chômeurs âgés de 15 ans et plus. "
       "Publiée en milliers."),
      "Q", ("ENE",), ("HCP",), ENE_BREAKDOWNS, LF_STANDARD, ENE_WEEK,
      formula="EMP_TEMP_NB + UNE_TUNE_NB", deviation=ICLS_BASIS, limitations=ENE_LIMITS),
    M("EAP_DWAP_RT",
      ("The labour force participation rate is the labour force as a percentage of the "
       "working-age population: the share of the population aged 15 and over that is employed "
       "or unemployed.",
       "Le taux d'activité est la population active en pourcentage de la population en âge "
       "d'activité : la part de la population âgée de 15 ans et plus qui est occupée ou au "
       "chômage."),
      ("Weighted labour force of a group (sex, age, area, region…) divided by the weighted "
       "working-age population of the same group, multiplied by 100.",
       "Population active pondérée d'un groupe (sexe, âge, milieu, région…) divisée par la "
       "population en âge d'activité pondérée du même groupe, multipliée par 100."),
      "Q", ("ENE",), ("HCP",), ENE_BREAKDOWNS, LF_STANDARD, ENE_WEEK,
      formula="EAP_TEAP_NB / POP_XWAP_NB * 100", deviation=ICLS_BASIS, limitations=ENE_LIMITS),
    M("EMP_TEMP_NB",
      ("Persons in employment are all persons aged 15 and over who, during the reference week, "
       "worked at least one hour to produce goods or provide services for pay or profit, or who "
       "had a job or business from which they were temporarily absent. Contributing family "
       "workers in market units are employed. The 13th ICLS also counts the production of goods "
       "for own final use as employment; the 19th ICLS does not.",
       "Les personnes occupées sont toutes les personnes âgées de 15 ans et plus qui, pendant la "
       "semaine de référence, ont travaillé au moins une heure pour produire des biens ou fournir "
       "des services contre rémunération ou en vue d'un bénéfice, ou qui avaient un emploi dont "
       "elles étaient temporairement absentes. Les aides familiaux des unités marchandes sont "
       "occupés. La 13e CIST compte aussi comme emploi la production de biens pour usage final "
       "propre ; la 19e CIST non."),
      ("Weighted count of the persons aged 15 and over classified as employed from the ENE "
       "questions on work done in the reference week and on temporary absence. Published in "
       "thousands.",
       "Effectif pondéré des personnes âgées de 15 ans et plus classées occupées d'après les "
       "questions de l'ENE sur le travail effectué pendant la semaine de référence et sur "
       "l'absence temporaire. Publié en milliers."),
      "Q", ("ENE",), ("HCP",), ENE_JOB_BREAKDOWNS, LF_STANDARD, ENE_WEEK,
      deviation=ICLS_BASIS, limitations=ENE_LIMITS),
    M("EMP_DWAP_RT",
      ("The employment-to-population ratio is the number of persons in employment as a "
       "percentage of the working-age population.",
       "Le taux d'emploi est le nombre de personnes occupées en pourcentage de la population en "
       "âge d'activité."),
      ("Weighted employment of a group divided by the weighted working-age population of the "
       "same group, multiplied by 100.",
       "Emploi pondéré d'un groupe divisé par la population en âge d'activité pondérée du même "
       "groupe, multiplié par 100."),
      "Q", ("ENE",), ("HCP",), ENE_BREAKDOWNS, LF_STANDARD, ENE_WEEK,
      formula="EMP_TEMP_NB / POP_XWAP_NB * 100", deviation=ICLS_BASIS, limitations=ENE_LIMITS),
    M("UNE_TUNE_NB",
      ("Unemployed persons are all persons aged 15 and over who, during the reference period, "
       "were not in employment, had carried out activities to seek employment and were "
       "available to take up employment.",
       "Les chômeurs sont toutes les personnes âgées de 15 ans et plus qui, pendant la période "
       "de référence, étaient sans emploi, avaient effectué des démarches de recherche d'emploi "
       "et étaient disponibles pour occuper un emploi."),
      ("Weighted count of the persons aged 15 and over meeting the three criteria (without "
       "employment, seeking, available) in the ENE questions on job search and availability. "
       "Published in thousands.",
       "Effectif pondéré des personnes âgées de 15 ans et plus remplissant les trois critères "
       "(sans emploi, en recherche, disponibles) selon les questions de l'ENE sur la recherche "
       "d'emploi et la disponibilité. Publié en milliers."),
      "Q", ("ENE",), ("HCP",), ENE_BREAKDOWNS, LF_STANDARD, ENE_WEEK,
      deviation=("The job-search period and the availability period of the ENE questions are "
                 "to be confirmed with HCP (ILO practice: search during the last four weeks or "
                 "month, availability in the reference week or the following two weeks).",
                 "La période de recherche d'emploi et la période de disponibilité des questions "
                 "de l'ENE sont à confirmer avec le HCP (pratique du BIT : recherche au cours des "
                 "quatre dernières semaines ou du dernier mois, disponibilité pendant la semaine "
                 "de référence ou les deux semaines suivantes)."),
      limitations=ENE_LIMITS),
    M("UNE_DEAP_RT",
      ("The unemployment rate is the number of unemployed persons as a percentage of the labour "
       "force. SDG indicator 8.5.2 is the unemployment rate by sex, age and disability status; "
       "the youth unemployment rate is the rate of the age group 15-24.",
       "Le taux de chômage est le nombre de chômeurs en pourcentage de la population active. "
       "L'indicateur ODD 8.5.2 est le taux de chômage par sexe, âge et situation de handicap ; "
       "le taux de chômage des jeunes est celui de la tranche d'âge 15-24 ans."),
      ("Weighted number of unemployed persons of a group divided by the weighted labour force "
       "of the same group, multiplied by 100.",
       "Nombre pondéré de chômeurs d'un groupe divisé par la population active pondérée du même "
       "groupe, multiplié par 100."),
      "Q", ("ENE",), ("HCP",), ENE_BREAKDOWNS,
      ("ICLS resolutions of 1982 (13th ICLS) and 2013 (19th ICLS); SDG indicator 8.5.2 metadata "
       "(custodian: ILO).",
       "Résolutions de la CIST de 1982 (13e CIST) et de 2013 (19e CIST) ; métadonnées de "
       "l'indicateur ODD 8.5.2 (organisme responsable : BIT)."),
      ENE_WEEK,
      formula="UNE_TUNE_NB / EAP_TEAP_NB * 100", deviation=ICLS_BASIS,
      limitations=("The breakdown by disability status asked for SDG 8.5.2 is possible only "
                   "where the survey identifies persons with disabilities. " + ENE_LIMITS[0],
                   "La ventilation par situation de handicap demandée pour l'ODD 8.5.2 n'est "
                   "possible que si l'enquête identifie les personnes handicapées. "
                   + ENE_LIMITS[1])),
    M("MA_UNE_LTU_SH",
      ("Share of long-term unemployment: persons unemployed for 12 months or more as a "
       "percentage of all unemployed persons.",
       "Part du chômage de longue durée : chômeurs depuis 12 mois ou plus en pourcentage de "
       "l'ensemble des chômeurs."),
      ("Weighted number of unemployed persons whose duration of unemployment is 12 months or "
       "more, divided by the weighted number of unemployed persons, multiplied by 100. "
       "UNE_TUNE_NB_LTU is that count of long-term unemployed persons.",
       "Nombre pondéré de chômeurs dont la durée de chômage est de 12 mois ou plus, divisé par "
       "le nombre pondéré de chômeurs, multiplié par 100. UNE_TUNE_NB_LTU est cet effectif de "
       "chômeurs de longue durée."),
      "A", ("ENE",), ("HCP",), ENE_BREAKDOWNS, LF_STANDARD, CALENDAR_YEAR,
      formula="UNE_TUNE_NB_LTU / UNE_TUNE_NB * 100",
      deviation=("HCP convention: the denominator is the unemployed population. ILO's "
                 "long-term unemployment rate divides the long-term unemployed by the labour "
                 "force; the two indicators are not comparable.",
                 "Convention du HCP : le dénominateur est la population en chômage. Le taux de "
                 "chômage de longue durée du BIT rapporte les chômeurs de longue durée à la "
                 "population active ; les deux indicateurs ne sont pas comparables.")),
    M("EIP_NEET_RT",
      ("Proportion of youth not in education, employment or training (SDG 8.6.1): young people "
       "aged 15-24 who are neither in employment nor in formal or non-formal education or "
       "training, as a percentage of all young people aged 15-24.",
       "Proportion de jeunes ni en emploi, ni en études, ni en formation (ODD 8.6.1) : jeunes de "
       "15 à 24 ans qui ne sont ni en emploi, ni en études ou en formation formelle ou non "
       "formelle, en pourcentage de l'ensemble des jeunes de 15 à 24 ans."),
      ("Weighted number of persons aged 15-24 not employed and not in education or training "
       "(EIP_NEET_NB), divided by the weighted population aged 15-24, multiplied by 100.",
       "Nombre pondéré de personnes de 15 à 24 ans non occupées et ni en études ni en formation "
       "(EIP_NEET_NB), divisé par la population pondérée de 15 à 24 ans, multiplié par 100."),
      "A", ("ENE",), ("HCP",),
      ("Sex, area of residence (urban, rural), region, level of education.",
       "Sexe, milieu de résidence (urbain, rural), région, niveau d'instruction."),
      ("SDG indicator 8.6.1 metadata (custodian: ILO); employment as in the ICLS resolutions "
       "(13th ICLS, 1982; 19th ICLS, 2013).",
       "Métadonnées de l'indicateur ODD 8.6.1 (organisme responsable : BIT) ; emploi au sens des "
       "résolutions de la CIST (13e CIST, 1982 ; 19e CIST, 2013)."),
      CALENDAR_YEAR,
      formula='EIP_NEET_NB / POP_XWAP_NB[filter AGE = "AGE_YTHADULT_Y15-24"] * 100',
      deviation=("CL_AGE_MA also has the 15-34 band (AGE_MA_Y15-34) for national analyses; only "
                 "the 15-24 rate is SDG indicator 8.6.1.",
                 "CL_AGE_MA comporte aussi la tranche 15-34 ans (AGE_MA_Y15-34) pour les analyses "
                 "nationales ; seul le taux des 15-24 ans est l'indicateur ODD 8.6.1."),
      limitations=ENE_LIMITS),
    M("TRU_DEMP_RT",
      ("Time-related underemployment rate: persons in employment who, in the reference week, "
       "wanted to work additional hours, whose working time in all jobs was below an hours "
       "threshold and who were available to work additional hours, as a percentage of "
       "employment.",
       "Taux de sous-emploi lié à la durée du travail : personnes occupées qui, pendant la "
       "semaine de référence, souhaitaient travailler davantage, dont la durée du travail dans "
       "tous leurs emplois était inférieure à un seuil d'heures et qui étaient disponibles pour "
       "travailler davantage, en pourcentage de l'emploi."),
      ("Weighted number of employed persons meeting the three criteria (willing, available, "
       "below the threshold), TRU_TTRU_NB, divided by weighted employment, multiplied by 100.",
       "Nombre pondéré d'actifs occupés remplissant les trois critères (souhait, disponibilité, "
       "durée inférieure au seuil), TRU_TTRU_NB, divisé par l'emploi pondéré, multiplié par "
       "100."),
      "Q", ("ENE",), ("HCP",), ENE_JOB_BREAKDOWNS,
      ("ICLS resolution concerning the measurement of underemployment and inadequate employment "
       "situations (16th ICLS, 1998); 19th ICLS (2013).",
       "Résolution de la CIST concernant la mesure du sous-emploi et des situations d'emploi "
       "inadéquat (16e CIST, 1998) ; 19e CIST (2013)."),
      ENE_WEEK,
      formula="TRU_TTRU_NB / EMP_TEMP_NB * 100",
      deviation=("HCP uses a threshold of 48 hours a week (to be confirmed). The ILO standards "
                 "leave the threshold to national practice, so rates of countries using other "
                 "thresholds (often 35 or 40 hours) are not directly comparable.",
                 "Le HCP retient un seuil de 48 heures par semaine (à confirmer). Les normes du "
                 "BIT laissent le seuil à la pratique nationale : les taux des pays qui "
                 "utilisent d'autres seuils (souvent 35 ou 40 heures) ne sont pas directement "
                 "comparables."),
      limitations=ENE_LIMITS),
    M("MA_SEMP_RT",
      ("Underemployment rate, HCP definition: persons in employment who either worked less than "
       "48 hours in the reference week and want and are available to work more, or worked more "
       "and are looking for another job or willing to change job because of insufficient "
       "income or of a mismatch between their job and their training or qualifications, as a "
       "percentage of employment.",
       "Taux de sous-emploi, définition du HCP : personnes occupées qui ont travaillé moins de "
       "48 heures pendant la semaine de référence et souhaitent et sont disponibles pour "
       "travailler davantage, ou qui ont travaillé plus et cherchent un autre emploi ou sont "
       "disposées à changer d'emploi en raison de l'insuffisance du revenu ou de l'inadéquation "
       "entre leur emploi et leur formation ou qualification, en pourcentage de l'emploi."),
      ("Weighted number of underemployed persons in either situation (SEMP_NB) divided by "
       "weighted employment, multiplied by 100.",
       "Nombre pondéré de personnes en sous-emploi dans l'une ou l'autre situation (SEMP_NB) "
       "divisé par l'emploi pondéré, multiplié par 100."),
      "Q", ("ENE",), ("HCP",), ENE_JOB_BREAKDOWNS,
      ("ICLS resolution concerning the measurement of underemployment and inadequate employment "
       "situations (16th ICLS, 1998).",
       "Résolution de la CIST concernant la mesure du sous-emploi et des situations d'emploi "
       "inadéquat (16e CIST, 1998)."),
      ENE_WEEK,
      formula="SEMP_NB / EMP_TEMP_NB * 100",
      deviation=("National concept with no ILO equivalent: it adds to time-related "
                 "underemployment the inadequate employment situations related to income and "
                 "skills, which the 16th ICLS describes but does not combine into one rate. The "
                 "exact HCP criteria and the 48-hour threshold are to be confirmed.",
                 "Concept national sans équivalent au BIT : il ajoute au sous-emploi lié à la "
                 "durée du travail les situations d'emploi inadéquat liées au revenu et aux "
                 "compétences, que la 16e CIST décrit sans les réunir en un taux. Les critères "
                 "exacts du HCP et le seuil de 48 heures sont à confirmer."),
      limitations=ENE_LIMITS),
    M("LUU_XLU4_RT",
      ("Composite measure of labour underutilization (LU4): persons in time-related "
       "underemployment, unemployed persons and the potential labour force, as a percentage of "
       "the extended labour force (labour force plus potential labour force).",
       "Mesure composite de la sous-utilisation de la main-d'œuvre (SU4) : personnes en "
       "sous-emploi lié à la durée du travail, chômeurs et main-d'œuvre potentielle, en "
       "pourcentage de la main-d'œuvre élargie (population active et main-d'œuvre "
       "potentielle)."),
      ("Sum of the weighted time-related underemployed (TRU_TTRU_NB), unemployed and potential "
       "labour force (EIP_WPLF_NB), divided by the weighted labour force plus potential labour "
       "force, multiplied by 100. The potential labour force is the persons not in employment "
       "who sought employment but were not available, or were available but did not seek "
       "employment and wanted a job.",
       "Somme des effectifs pondérés du sous-emploi lié à la durée du travail (TRU_TTRU_NB), du "
       "chômage et de la main-d'œuvre potentielle (EIP_WPLF_NB), divisée par la population "
       "active pondérée augmentée de la main-d'œuvre potentielle, multipliée par 100. La "
       "main-d'œuvre potentielle est formée des personnes sans emploi qui ont cherché un emploi "
       "sans être disponibles, ou qui étaient disponibles sans chercher et souhaitaient un "
       "emploi."),
      "A", ("ENE",), ("HCP",), ENE_BREAKDOWNS,
      ("ICLS resolution concerning statistics of work, employment and labour underutilization "
       "(19th ICLS, 2013).",
       "Résolution de la CIST concernant les statistiques du travail, de l'emploi et de la "
       "sous-utilisation de la main-d'œuvre (19e CIST, 2013)."),
      CALENDAR_YEAR,
      formula="(TRU_TTRU_NB + UNE_TUNE_NB + EIP_WPLF_NB) / (EAP_TEAP_NB + EIP_WPLF_NB) * 100",
      limitations=("Needs the survey questions that identify the potential labour force (19th "
                   "ICLS); the years for which the ENE has them are to be confirmed with HCP.",
                   "Suppose les questions d'enquête qui identifient la main-d'œuvre potentielle "
                   "(19e CIST) ; les années pour lesquelles l'ENE les comporte sont à confirmer "
                   "avec le HCP.")),
    M("EMP_NIFL_RT",
      ("Proportion of informal employment in total employment (SDG 8.3.1), in agriculture and "
       "outside agriculture. Informal employment is all informal jobs, in formal sector "
       "enterprises, informal sector enterprises or households: own-account workers and "
       "employers in their own informal sector enterprises, contributing family workers, and "
       "employees whose employment relationship is not, in law or in practice, subject to "
       "labour legislation, income taxation, social protection or entitlement to certain "
       "employment benefits.",
       "Proportion de l'emploi informel dans l'emploi total (ODD 8.3.1), dans l'agriculture et "
       "hors agriculture. L'emploi informel regroupe tous les emplois informels, dans les "
       "entreprises du secteur formel, du secteur informel ou les ménages : travailleurs "
       "indépendants et employeurs de leurs propres entreprises du secteur informel, aides "
       "familiaux, et salariés dont la relation d'emploi n'est soumise, en droit ou en pratique, "
       "ni à la législation du travail, ni à l'impôt sur le revenu, ni à la protection sociale, "
       "ni à certains avantages liés à l'emploi."),
      ("Weighted number of employed persons whose main job is informal (EMP_NIFL_NB) divided "
       "by weighted employment, multiplied by 100. Employees are classified from their social "
       "security affiliation (and, where asked, paid annual or sick leave); own-account workers "
       "and employers from the registration and bookkeeping of their production unit; "
       "contributing family workers are informal by definition.",
       "Nombre pondéré d'actifs occupés dont l'emploi principal est informel (EMP_NIFL_NB) "
       "divisé par l'emploi pondéré, multiplié par 100. Les salariés sont classés d'après leur "
       "affiliation à la sécurité sociale (et, lorsqu'ils sont demandés, les congés payés ou de "
       "maladie) ; les indépendants et employeurs d'après l'enregistrement et la comptabilité "
       "de leur unité de production ; les aides familiaux sont informels par définition."),
      "A", ("ENE", "ENSI"), ("HCP",),
      ("Sex, agriculture and non-agriculture, economic activity, area of residence, region.",
       "Sexe, agriculture et hors agriculture, activité économique, milieu de résidence, "
       "région."),
      ("ICLS resolution concerning statistics of employment in the informal sector (15th ICLS, "
       "1993); guidelines concerning a statistical definition of informal employment (17th "
       "ICLS, 2003); resolution concerning statistics on the informal economy (21st ICLS, "
       "2023); SDG indicator 8.3.1 metadata (custodian: ILO).",
       "Résolution de la CIST concernant les statistiques de l'emploi dans le secteur informel "
       "(15e CIST, 1993) ; directives concernant une définition statistique de l'emploi "
       "informel (17e CIST, 2003) ; résolution concernant les statistiques sur l'économie "
       "informelle (21e CIST, 2023) ; métadonnées de l'indicateur ODD 8.3.1 (organisme "
       "responsable : BIT)."),
      CALENDAR_YEAR,
      formula="EMP_NIFL_NB / EMP_TEMP_NB * 100",
      deviation=("The operational criteria of the ENE (questions on social security, leave, "
                 "registration and accounts) and their treatment of agriculture are to be "
                 "confirmed with HCP; the 21st ICLS (2023) criteria are not yet implemented.",
                 "Les critères opérationnels de l'ENE (questions sur la sécurité sociale, les "
                 "congés, l'enregistrement et la comptabilité) et leur application à "
                 "l'agriculture sont à confirmer avec le HCP ; les critères de la 21e CIST "
                 "(2023) ne sont pas encore appliqués."),
      limitations=ENE_LIMITS),
    M("MA_EES_NSP_RT",
      ("Employees without social protection: employees who are not affiliated through their "
       "main job to a social security scheme, as a percentage of all employees. A variant "
       "counts the employees without a written employment contract.",
       "Salariés sans couverture sociale : salariés qui ne sont pas affiliés, au titre de leur "
       "emploi principal, à un régime de sécurité sociale, en pourcentage de l'ensemble des "
       "salariés. Une variante compte les salariés sans contrat de travail écrit."),
      ("Weighted number of employees (ICSE-93 group 1) without social security affiliation "
       "through their main job (EES_NSP_NB), divided by the weighted number of employees "
       "(EES_TEES_NB), multiplied by 100.",
       "Nombre pondéré de salariés (groupe 1 de la CISP-93) sans affiliation à la sécurité "
       "sociale au titre de leur emploi principal (EES_NSP_NB), divisé par le nombre pondéré de "
       "salariés (EES_TEES_NB), multiplié par 100."),
      "A", ("ENE",), ("HCP",), ENE_JOB_BREAKDOWNS,
      ("International Classification of Status in Employment (ICSE-93, 15th ICLS, 1993); the "
       "social protection criterion of informal jobs of employees (17th ICLS, 2003).",
       "Classification internationale d'après la situation dans la profession (CISP-93, 15e "
       "CIST, 1993) ; critère de protection sociale des emplois informels des salariés (17e "
       "CIST, 2003)."),
      CALENDAR_YEAR,
      formula="EES_NSP_NB / EES_TEES_NB * 100",
      deviation=("National indicator of precarious employment. Pension and health insurance "
                 "cover are distinct: the ENE question used, and its changes over time, are to "
                 "be documented with HCP.",
                 "Indicateur national de précarité de l'emploi. La couverture retraite et "
                 "l'assurance maladie sont distinctes : la question de l'ENE utilisée et ses "
                 "évolutions dans le temps sont à documenter avec le HCP."),
      limitations=ENE_LIMITS),
    M("MA_VULN_RT",
      ("Share of own-account workers and contributing family workers in total employment "
       "(ICSE-93 groups 3 and 5), the ILO measure of vulnerable employment (former MDG "
       "indicator 1.7).",
       "Part des travailleurs indépendants et des aides familiaux dans l'emploi total (groupes "
       "3 et 5 de la CISP-93), mesure de l'emploi vulnérable du BIT (ancien indicateur 1.7 des "
       "OMD)."),
      ("Weighted employment in status groups 3 (own-account workers) and 5 (contributing "
       "family workers) divided by total weighted employment, multiplied by 100.",
       "Emploi pondéré des groupes 3 (travailleurs indépendants) et 5 (aides familiaux) divisé "
       "par l'emploi total pondéré, multiplié par 100."),
      "A", ("ENE",), ("HCP",), ENE_BREAKDOWNS,
      ("International Classification of Status in Employment (ICSE-93, 15th ICLS, 1993).",
       "Classification internationale d'après la situation dans la profession (CISP-93, 15e "
       "CIST, 1993)."),
      CALENDAR_YEAR,
      formula='(EMP_TEMP_NB[filter STE = "STE_ICSE93_3"] + EMP_TEMP_NB[filter STE = '
              '"STE_ICSE93_5"]) / EMP_TEMP_NB * 100',
      deviation=("Computed from ILOSTAT's EMP_TEMP_SEX_STE_NB rather than published by ILO as "
                 "such. The mapping of the ENE status categories (notably apprentices and "
                 "members of cooperatives) to ICSE-93 groups is to be confirmed; ICSE-18 (20th "
                 "ICLS, 2018) will replace these groups.",
                 "Calculé à partir de l'indicateur ILOSTAT EMP_TEMP_SEX_STE_NB, non publié tel "
                 "quel par le BIT. La correspondance des situations de l'ENE (notamment "
                 "apprentis et membres de coopératives) avec les groupes de la CISP-93 est à "
                 "confirmer ; la CISP-18 (20e CIST, 2018) remplacera ces groupes."),
      limitations=ENE_LIMITS),
    # B. Earnings, working time, child labour
    M("HOW_TEMP_NB",
      ("Mean weekly hours actually worked per employed person: the hours actually worked in all "
       "jobs during the reference week, divided by the number of persons in employment. Hours "
       "actually worked include overtime and exclude paid leave and holidays.",
       "Durée hebdomadaire moyenne effective du travail par actif occupé : heures effectivement "
       "travaillées dans tous les emplois pendant la semaine de référence, divisées par le "
       "nombre de personnes occupées. Les heures effectives comprennent les heures "
       "supplémentaires et excluent les congés payés et jours fériés."),
      ("Sum of the weighted hours actually worked during the reference week by employed "
       "persons, divided by weighted employment (persons temporarily absent count with zero "
       "hours, as in ILOSTAT; to be confirmed for the ENE series).",
       "Somme pondérée des heures effectivement travaillées pendant la semaine de référence par "
       "les actifs occupés, divisée par l'emploi pondéré (les personnes temporairement absentes "
       "comptent pour zéro heure, comme dans ILOSTAT ; à confirmer pour les séries de l'ENE)."),
      "A", ("ENE",), ("HCP",), ENE_JOB_BREAKDOWNS,
      ("ICLS resolution concerning the measurement of working time (18th ICLS, 2008).",
       "Résolution de la CIST concernant la mesure du temps de travail (18e CIST, 2008)."),
      ENE_WEEK, limitations=ENE_LIMITS),
    M("MA_HOW_EXC_RT",
      ("Employment in excessive working time: persons in employment whose usual hours of work "
       "in all jobs exceed 48 hours a week, as a percentage of employment (Decent Work "
       "indicator).",
       "Emploi à durée excessive : personnes occupées dont la durée habituelle du travail dans "
       "tous leurs emplois dépasse 48 heures par semaine, en pourcentage de l'emploi "
       "(indicateur du travail décent)."),
      ("Weighted employment with usual weekly hours of more than 48 divided by weighted "
       "employment, multiplied by 100. EMP_TEMP_NB_HGT48 is that employment with more than 48 "
       "usual hours.",
       "Emploi pondéré dont la durée hebdomadaire habituelle dépasse 48 heures, divisé par "
       "l'emploi pondéré, multiplié par 100. EMP_TEMP_NB_HGT48 est cet emploi de plus de 48 "
       "heures habituelles."),
      "A", ("ENE",), ("HCP",), ENE_JOB_BREAKDOWNS,
      ("ICLS resolution concerning the measurement of working time (18th ICLS, 2008); ILO "
       "Decent Work Indicators manual (2nd version, 2013).",
       "Résolution de la CIST concernant la mesure du temps de travail (18e CIST, 2008) ; manuel "
       "des indicateurs du travail décent du BIT (2e version, 2013)."),
      ENE_WEEK,
      formula="EMP_TEMP_NB_HGT48 / EMP_TEMP_NB * 100",
      deviation=("The legal working time in Morocco is 44 hours a week outside agriculture "
                 "(2 288 hours a year, Labour Code art. 184), so hours between 44 and 48 are "
                 "above the legal norm but not counted as excessive by this indicator.",
                 "La durée légale du travail au Maroc est de 44 heures par semaine hors "
                 "agriculture (2 288 heures par an, Code du travail art. 184) : les heures entre "
                 "44 et 48 dépassent la norme légale sans être comptées comme excessives par cet "
                 "indicateur."),
      limitations=ENE_LIMITS),
    M("EAR_4MTH_NB",
      ("Average monthly earnings of employees: the gross remuneration in cash and in kind paid "
       "to employees for time worked or work done, together with remuneration for time not "
       "worked such as paid leave, before deduction of taxes and employees' social "
       "contributions, per employee and per month, in dirhams.",
       "Salaire mensuel moyen des salariés : rémunération brute en espèces et en nature versée "
       "aux salariés pour le temps travaillé ou le travail accompli, ainsi que pour le temps non "
       "travaillé comme les congés payés, avant déduction des impôts et des cotisations sociales "
       "des salariés, par salarié et par mois, en dirhams."),
      ("Sum of the weighted monthly earnings reported by employees divided by the weighted "
       "number of employees with reported earnings.",
       "Somme pondérée des gains mensuels déclarés par les salariés divisée par le nombre "
       "pondéré de salariés ayant déclaré leurs gains."),
      "A", ("ENE",), ("HCP",), EARNINGS_BREAKDOWNS, WAGES_STANDARD, CALENDAR_YEAR,
      deviation=EARNINGS_SOURCE,
      limitations=("Earnings reported by households are subject to non-response and rounding; "
                   "means are sensitive to high earnings (medians are more robust).",
                   "Les gains déclarés par les ménages sont sujets à la non-réponse et aux "
                   "arrondis ; les moyennes sont sensibles aux gains élevés (les médianes sont "
                   "plus robustes).")),
    M("EAR_4HRL_NB",
      ("Average hourly earnings of employees (SDG 8.5.1): gross earnings of employees per hour "
       "paid, in dirhams per hour, by sex, age, occupation and disability status.",
       "Rémunération horaire moyenne des salariés (ODD 8.5.1) : gains bruts des salariés par "
       "heure rémunérée, en dirhams par heure, par sexe, âge, profession et situation de "
       "handicap."),
      ("Total weighted gross earnings of employees in the reference period divided by the "
       "total weighted hours paid for in the same period (hours actually worked where hours "
       "paid are not collected).",
       "Total pondéré des gains bruts des salariés de la période de référence divisé par le "
       "total pondéré des heures rémunérées de la même période (heures effectivement "
       "travaillées lorsque les heures rémunérées ne sont pas collectées)."),
      "A", ("ENE",), ("HCP",),
      ("Sex, age group, occupation (ISCO-08), disability status where collected.",
       "Sexe, tranche d'âge, profession (CITP-08), situation de handicap lorsqu'elle est "
       "collectée."),
      (WAGES_STANDARD[0][:-1] + "; SDG indicator 8.5.1 metadata (custodian: ILO).",
       WAGES_STANDARD[1][:-1] + " ; métadonnées de l'indicateur ODD 8.5.1 (organisme "
       "responsable : BIT)."),
      CALENDAR_YEAR,
      deviation=EARNINGS_SOURCE,
      limitations=("Hours paid are often approximated by usual hours in household surveys; "
                   "the disability breakdown requires the survey to identify persons with "
                   "disabilities.",
                   "Les heures rémunérées sont souvent approchées par la durée habituelle dans "
                   "les enquêtes auprès des ménages ; la ventilation par handicap suppose que "
                   "l'enquête identifie les personnes handicapées.")),
    M("EAR_GGAP_RT",
      ("Gender pay gap: the difference between the average earnings of male and female "
       "employees, as a percentage of the average earnings of male employees.",
       "Écart salarial entre femmes et hommes : différence entre les gains moyens des salariés "
       "hommes et femmes, en pourcentage des gains moyens des hommes."),
      ("(Mean hourly earnings of men minus mean hourly earnings of women) divided by the mean "
       "hourly earnings of men, multiplied by 100; ILO computes it on hourly earnings, which "
       "removes the effect of differences in hours worked.",
       "(Rémunération horaire moyenne des hommes moins celle des femmes) divisée par la "
       "rémunération horaire moyenne des hommes, multipliée par 100 ; le BIT le calcule sur les "
       "gains horaires, ce qui neutralise l'effet des différences de durée du travail."),
      "A", ("ENE",), ("HCP",),
      ("Occupation (ISCO-08), economic activity, age group.",
       "Profession (CITP-08), activité économique, tranche d'âge."),
      (WAGES_STANDARD[0][:-1] + "; ILO Decent Work Indicators manual (2nd version, 2013).",
       WAGES_STANDARD[1][:-1] + " ; manuel des indicateurs du travail décent du BIT (2e "
       "version, 2013)."),
      CALENDAR_YEAR,
      formula='(EAR_4HRL_NB[filter SEX = "SEX_M"] - EAR_4HRL_NB[filter SEX = "SEX_F"]) / '
              'EAR_4HRL_NB[filter SEX = "SEX_M"] * 100',
      deviation=EARNINGS_SOURCE,
      limitations=("An unadjusted gap: it does not account for differences between women and "
                   "men in occupation, activity, education or experience.",
                   "Écart brut : il ne tient pas compte des différences entre femmes et hommes "
                   "de profession, d'activité, d'instruction ou d'expérience.")),
    M("EAR_XTLP_RT",
      ("Low pay rate: employees whose hourly earnings are below two-thirds of the median "
       "hourly earnings of all employees, as a percentage of all employees (Decent Work "
       "indicator).",
       "Taux de bas salaires : salariés dont la rémunération horaire est inférieure aux deux "
       "tiers de la rémunération horaire médiane de l'ensemble des salariés, en pourcentage de "
       "l'ensemble des salariés (indicateur du travail décent)."),
      ("Compute the weighted median hourly earnings of all employees; count the weighted "
       "employees whose hourly earnings are below two-thirds of it (EES_TEES_NB_LOWPAY); divide "
       "by the weighted number of employees and multiply by 100.",
       "Calculer la rémunération horaire médiane pondérée de l'ensemble des salariés ; compter "
       "les salariés (pondérés) dont la rémunération horaire est inférieure aux deux tiers de "
       "cette médiane (EES_TEES_NB_LOWPAY) ; diviser par le nombre pondéré de salariés et "
       "multiplier par 100."),
      "A", ("ENE",), ("HCP",), EARNINGS_BREAKDOWNS,
      (WAGES_STANDARD[0][:-1] + "; ILO Decent Work Indicators manual (2nd version, 2013).",
       WAGES_STANDARD[1][:-1] + " ; manuel des indicateurs du travail décent du BIT (2e "
       "version, 2013)."),
      CALENDAR_YEAR,
      formula="EES_TEES_NB_LOWPAY / EES_TEES_NB * 100",
      deviation=EARNINGS_SOURCE),
    M("EAR_4MMN_NB",
      ("Statutory minimum wage in force, in dirhams: the SMIG (salaire minimum "
       "interprofessionnel garanti, hourly, in industry, trade, services and the liberal "
       "professions) and the SMAG (salaire minimum agricole garanti, daily, in agriculture).",
       "Salaire minimum légal en vigueur, en dirhams : le SMIG (salaire minimum "
       "interprofessionnel garanti, horaire, dans l'industrie, le commerce, les services et les "
       "professions libérales) et le SMAG (salaire minimum agricole garanti, journalier, dans "
       "l'agriculture)."),
      ("Rates taken from the decrees that fix the minimum wages, in force at the end of the "
       "reference period. The monthly equivalent of the SMIG is the hourly rate times 191 hours "
       "(about 44 hours a week × 52 weeks / 12 months; basis to be confirmed).",
       "Taux repris des décrets qui fixent les salaires minima, en vigueur à la fin de la "
       "période de référence. L'équivalent mensuel du SMIG est le taux horaire multiplié par "
       "191 heures (environ 44 heures par semaine × 52 semaines / 12 mois ; base à "
       "confirmer)."),
      "A", ("MEMP_ADM",), ("MEMP",),
      ("Sector (SMIG outside agriculture, SMAG in agriculture); hourly, daily and monthly "
       "equivalents.",
       "Secteur (SMIG hors agriculture, SMAG dans l'agriculture) ; équivalents horaire, "
       "journalier et mensuel."),
      ("ILO Minimum Wage Fixing Convention, 1970 (No. 131) and ILOSTAT's statutory nominal "
       "gross monthly minimum wage.",
       "Convention (n° 131) sur la fixation des salaires minima, 1970, du BIT et salaire minimum "
       "mensuel brut nominal légal d'ILOSTAT."),
      YEAR_END,
      formula="SMIG_HOURLY * 191",
      limitations=("A legal rate, not an observed wage; the SMAG is daily and its monthly "
                   "equivalent depends on the days worked.",
                   "Un taux légal, non un salaire observé ; le SMAG est journalier et son "
                   "équivalent mensuel dépend des jours travaillés.")),
    M("CLD_XCHL_RT",
      ("Proportion of children engaged in child labour (SDG 8.7.1): children in child labour as "
       "a percentage of all children of the age group. Child labour covers children working "
       "below the minimum working age for their age group, children in hazardous work and, in "
       "the SDG measure, children performing household chores beyond age-specific hours "
       "thresholds.",
       "Proportion d'enfants astreints au travail (ODD 8.7.1) : enfants astreints au travail en "
       "pourcentage de l'ensemble des enfants de la tranche d'âge. Le travail des enfants "
       "comprend le travail en dessous de l'âge minimum d'admission à l'emploi pour le groupe "
       "d'âge, les travaux dangereux et, pour l'ODD, les tâches ménagères au-delà de seuils "
       "d'heures par âge."),
      ("Weighted number of children in child labour (CLD_XCHL_NB) divided by the weighted "
       "number of children of the age group (CLD_TPOP_NB), multiplied by 100.",
       "Nombre pondéré d'enfants astreints au travail (CLD_XCHL_NB) divisé par le nombre "
       "pondéré d'enfants de la tranche d'âge (CLD_TPOP_NB), multiplié par 100."),
      "A", ("ENE",), ("HCP",),
      ("Sex, age group (5-17, 7-17 and sub-bands), area of residence.",
       "Sexe, tranche d'âge (5-17 ans, 7-17 ans et sous-tranches), milieu de résidence."),
      ("ICLS resolution concerning statistics of child labour (18th ICLS, 2008, amended by the "
       "20th ICLS, 2018); SDG indicator 8.7.1 metadata (custodians: ILO and UNICEF); ILO "
       "Conventions No. 138 and No. 182.",
       "Résolution de la CIST concernant les statistiques du travail des enfants (18e CIST, "
       "2008, modifiée par la 20e CIST, 2018) ; métadonnées de l'indicateur ODD 8.7.1 "
       "(organismes responsables : BIT et UNICEF) ; conventions n° 138 et n° 182 du BIT."),
      CALENDAR_YEAR,
      formula="CLD_XCHL_NB / CLD_TPOP_NB * 100",
      deviation=("HCP publishes child labour for children aged 7-17 (AGE_MA_Y07-17, to be "
                 "confirmed) from the ENE, while SDG 8.7.1 covers ages 5-17; the national "
                 "measure may not include household chores.",
                 "Le HCP publie le travail des enfants de 7 à 17 ans (AGE_MA_Y07-17, à "
                 "confirmer) à partir de l'ENE, alors que l'ODD 8.7.1 porte sur les 5-17 ans ; "
                 "la mesure nationale peut ne pas inclure les tâches ménagères."),
      limitations=ENE_LIMITS),
    # C. Safety, inspection, social dialogue and social protection
    M("INJ_FATL_RT",
      ("Fatal occupational injury rate (SDG 8.8.1): new cases of fatal occupational injury "
       "during the year per 100 000 workers in the reference group, by sex and migrant status. "
       "An occupational injury is any personal injury, disease or death resulting from an "
       "occupational accident.",
       "Taux de lésions professionnelles mortelles (ODD 8.8.1) : nouveaux cas de lésions "
       "professionnelles mortelles dans l'année pour 100 000 travailleurs du groupe de "
       "référence, par sexe et statut migratoire. Une lésion professionnelle est toute lésion "
       "corporelle, maladie ou décès résultant d'un accident du travail."),
      ("Number of new fatal cases in the year (INJ_FATL_NB) divided by the number of workers "
       "in the reference group (INJ_WORK_NB: workers covered by the notification system, e.g. "
       "insured or employed persons), multiplied by 100 000.",
       "Nombre de nouveaux cas mortels dans l'année (INJ_FATL_NB) divisé par le nombre de "
       "travailleurs du groupe de référence (INJ_WORK_NB : travailleurs couverts par le système "
       "de déclaration, par exemple assurés ou personnes occupées), multiplié par 100 000."),
      "A", ("MEMP_INSP", "CNSS_DECL", "ENE"), ("MEMP", "CNSS", "HCP"),
      ("Sex, migrant status, economic activity.", "Sexe, statut migratoire, activité économique."),
      ("ICLS resolution concerning statistics of occupational injuries (resulting from "
       "occupational accidents) (16th ICLS, 1998); SDG indicator 8.8.1 metadata (custodian: "
       "ILO).",
       "Résolution de la CIST concernant les statistiques des lésions professionnelles "
       "(résultant des accidents du travail) (16e CIST, 1998) ; métadonnées de l'indicateur ODD "
       "8.8.1 (organisme responsable : BIT)."),
      CALENDAR_YEAR,
      formula="INJ_FATL_NB / INJ_WORK_NB * 100000",
      deviation=("The numerator comes from work-accident declarations and insurers' records "
                 "(the role of ACAPS is to be confirmed); the denominator must cover the same "
                 "workers as the declarations.",
                 "Le numérateur provient des déclarations d'accidents du travail et des données "
                 "des assureurs (le rôle de l'ACAPS est à confirmer) ; le dénominateur doit "
                 "couvrir les mêmes travailleurs que les déclarations."),
      limitations=("Notification-based data undercount injuries of workers outside the "
                   "insurance system (informal and self-employed workers).",
                   "Les données issues des déclarations sous-estiment les lésions des "
                   "travailleurs hors du système d'assurance (informels et indépendants).")),
    M("INJ_NFTL_RT",
      ("Non-fatal occupational injury rate (SDG 8.8.1): new cases of non-fatal occupational "
       "injury causing an incapacity for work during the year per 100 000 workers in the "
       "reference group, by sex, migrant status and type of incapacity.",
       "Taux de lésions professionnelles non mortelles (ODD 8.8.1) : nouveaux cas de lésions "
       "professionnelles non mortelles entraînant une incapacité de travail dans l'année pour "
       "100 000 travailleurs du groupe de référence, par sexe, statut migratoire et type "
       "d'incapacité."),
      ("Number of new non-fatal cases with incapacity in the year (INJ_NFTL_NB) divided by the "
       "number of workers in the reference group (INJ_WORK_NB), multiplied by 100 000.",
       "Nombre de nouveaux cas non mortels avec incapacité dans l'année (INJ_NFTL_NB) divisé "
       "par le nombre de travailleurs du groupe de référence (INJ_WORK_NB), multiplié par "
       "100 000."),
      "A", ("MEMP_INSP", "CNSS_DECL", "ENE"), ("MEMP", "CNSS", "HCP"),
      ("Sex, migrant status, type of incapacity (temporary, permanent), economic activity.",
       "Sexe, statut migratoire, type d'incapacité (temporaire, permanente), activité "
       "économique."),
      ("ICLS resolution concerning statistics of occupational injuries (resulting from "
       "occupational accidents) (16th ICLS, 1998); SDG indicator 8.8.1 metadata (custodian: "
       "ILO).",
       "Résolution de la CIST concernant les statistiques des lésions professionnelles "
       "(résultant des accidents du travail) (16e CIST, 1998) ; métadonnées de l'indicateur ODD "
       "8.8.1 (organisme responsable : BIT)."),
      CALENDAR_YEAR,
      formula="INJ_NFTL_NB / INJ_WORK_NB * 100000",
      limitations=("Non-fatal injuries are more under-reported than fatal ones; the minimum "
                   "length of incapacity that makes a case notifiable affects the rate.",
                   "Les lésions non mortelles sont plus sous-déclarées que les lésions "
                   "mortelles ; la durée minimale d'incapacité qui rend un cas déclarable influe "
                   "sur le taux.")),
    M("LAI_INDE_RT",
      ("Number of labour inspectors per 10 000 employed persons: the labour inspectors in post "
       "at the end of the year relative to total employment.",
       "Nombre d'inspecteurs du travail pour 10 000 actifs occupés : inspecteurs du travail en "
       "poste en fin d'année rapportés à l'emploi total."),
      ("Number of labour inspectors in post (LAI_INSP_NB, from the ministry's records) divided "
       "by employment from the ENE, multiplied by 10 000.",
       "Nombre d'inspecteurs du travail en poste (LAI_INSP_NB, registres du ministère) divisé "
       "par l'emploi issu de l'ENE, multiplié par 10 000."),
      "A", ("MEMP_INSP", "ENE"), ("MEMP", "HCP"),
      ("Region (inspectorate), sex of inspectors.", "Région (inspection), sexe des inspecteurs."),
      ("ILO Labour Inspection Convention, 1947 (No. 81) and Labour Inspection (Agriculture) "
       "Convention, 1969 (No. 129); ILO Decent Work Indicators manual (2nd version, 2013).",
       "Convention (n° 81) sur l'inspection du travail, 1947, et convention (n° 129) sur "
       "l'inspection du travail (agriculture), 1969, du BIT ; manuel des indicateurs du travail "
       "décent du BIT (2e version, 2013)."),
      YEAR_END,
      formula="LAI_INSP_NB / EMP_TEMP_NB * 10000",
      limitations=("Counts inspectors, not inspection activity; agricultural inspection and "
                   "specialised inspectorates may be counted separately.",
                   "Compte des inspecteurs, non l'activité d'inspection ; l'inspection agricole "
                   "et les inspections spécialisées peuvent être comptées à part.")),
    M("ILR_TUMT_RT",
      ("Trade union density rate: the number of employees who are trade union members as a "
       "percentage of the total number of employees.",
       "Taux de syndicalisation : nombre de salariés membres d'un syndicat en pourcentage du "
       "nombre total de salariés."),
      ("Weighted number of employees declaring trade union membership (ILR_TUMN_NB) divided "
       "by the weighted number of employees (EES_TEES_NB), multiplied by 100.",
       "Nombre pondéré de salariés déclarant être membres d'un syndicat (ILR_TUMN_NB) divisé "
       "par le nombre pondéré de salariés (EES_TEES_NB), multiplié par 100."),
      "A", ("ENE",), ("HCP", "MEMP"),
      ("Sex, economic activity, institutional sector (public, private).",
       "Sexe, activité économique, secteur institutionnel (public, privé)."),
      ("ILOSTAT industrial relations indicators (IRData); ILO Freedom of Association and "
       "Protection of the Right to Organise Convention, 1948 (No. 87).",
       "Indicateurs des relations professionnelles d'ILOSTAT (IRData) ; convention (n° 87) sur "
       "la liberté syndicale et la protection du droit syndical, 1948, du BIT."),
      CALENDAR_YEAR,
      formula="ILR_TUMN_NB / EES_TEES_NB * 100",
      deviation=("Survey-based density (ENE question on union membership, to be confirmed); "
                 "MEMP's records of union representativeness (professional elections) measure "
                 "representation, not membership.",
                 "Taux issu d'enquête (question de l'ENE sur l'adhésion syndicale, à confirmer) ; "
                 "les données du ministère sur la représentativité syndicale (élections "
                 "professionnelles) mesurent la représentation, non l'adhésion.")),
    M("ILR_CBCT_RT",
      ("Collective bargaining coverage rate: the number of employees whose pay and/or "
       "conditions of employment are determined by one or more collective agreements, as a "
       "percentage of the total number of employees.",
       "Taux de couverture des conventions collectives : nombre de salariés dont la "
       "rémunération ou les conditions d'emploi sont fixées par une ou plusieurs conventions "
       "collectives, en pourcentage du nombre total de salariés."),
      ("Number of employees covered by the collective agreements in force (ILR_CBCN_NB, from "
       "the ministry's records of agreements) divided by the number of employees (EES_TEES_NB, "
       "ENE), multiplied by 100.",
       "Nombre de salariés couverts par les conventions collectives en vigueur (ILR_CBCN_NB, "
       "registres des conventions du ministère) divisé par le nombre de salariés (EES_TEES_NB, "
       "ENE), multiplié par 100."),
      "A", ("MEMP_ADM", "ENE"), ("MEMP", "HCP"),
      ("Economic activity, type of agreement (enterprise, sector).",
       "Activité économique, type de convention (entreprise, branche)."),
      ("ILOSTAT industrial relations indicators (IRData); ILO Right to Organise and Collective "
       "Bargaining Convention, 1949 (No. 98).",
       "Indicateurs des relations professionnelles d'ILOSTAT (IRData) ; convention (n° 98) sur "
       "le droit d'organisation et de négociation collective, 1949, du BIT."),
      YEAR_END,
      formula="ILR_CBCN_NB / EES_TEES_NB * 100",
      limitations=("Workers covered by several agreements must be counted once; the number of "
                   "workers covered by each agreement is not always recorded.",
                   "Les salariés couverts par plusieurs conventions doivent être comptés une "
                   "fois ; l'effectif couvert par chaque convention n'est pas toujours "
                   "enregistré.")),
    M("SDG_0882_RT",
      ("Level of national compliance with labour rights (freedom of association and collective "
       "bargaining) based on ILO textual sources and national legislation (SDG 8.8.2): a score "
       "from 0 (best) to 10 (worst).",
       "Niveau de respect des droits du travail (liberté d'association et négociation "
       "collective) au niveau national, fondé sur les sources textuelles du BIT et la "
       "législation nationale (ODD 8.8.2) : score de 0 (meilleur) à 10 (pire)."),
      ("Computed by ILO, which codes violations of 108 evaluation criteria found in the texts "
       "of the ILO supervisory bodies and in national legislation, weights them and normalises "
       "the total to a 0-10 scale; the registry imports ILO's value unchanged.",
       "Calculé par le BIT, qui code les violations de 108 critères d'évaluation relevées dans "
       "les textes des organes de contrôle du BIT et dans la législation nationale, les pondère "
       "et ramène le total sur une échelle de 0 à 10 ; le registre reprend la valeur du BIT "
       "sans la modifier."),
      "A", ("ILO_EST",), ("ILO",),
      ("None (national score).", "Aucune (score national)."),
      ("ILO methodology for SDG indicator 8.8.2 (custodian: ILO), endorsed by the 20th ICLS "
       "(2018).",
       "Méthodologie du BIT pour l'indicateur ODD 8.8.2 (organisme responsable : BIT), "
       "approuvée par la 20e CIST (2018)."),
      CALENDAR_YEAR,
      limitations=("A measure of compliance as documented in textual sources, not of the "
                   "incidence of violations; published by ILO with a lag.",
                   "Mesure du respect tel que documenté dans les sources textuelles, et non de "
                   "la fréquence des violations ; publié par le BIT avec un décalage.")),
    M("SOC_CEAP_RT",
      ("Active contributors to a pension scheme as a percentage of the labour force: persons "
       "who contributed to a contributory pension scheme during the year, relative to the "
       "labour force aged 15 and over.",
       "Cotisants actifs à un régime de retraite en pourcentage de la population active : "
       "personnes ayant cotisé à un régime de retraite contributif pendant l'année, rapportées "
       "à la population active âgée de 15 ans et plus."),
      ("Number of active contributors to the pension schemes (CONTRIB_NB: CNSS for the private "
       "sector, CMR for civil servants, RCAR for contractual public staff and public "
       "enterprises), counting each person once, divided by the labour force from the ENE, "
       "multiplied by 100.",
       "Nombre de cotisants actifs aux régimes de retraite (CONTRIB_NB : CNSS pour le secteur "
       "privé, CMR pour les fonctionnaires, RCAR pour les contractuels publics et les "
       "établissements publics), chaque personne comptée une fois, divisé par la population "
       "active issue de l'ENE, multiplié par 100."),
      "A", ("CNSS_DECL", "ENE"), ("CNSS", "HCP"),
      ("Sex, scheme.", "Sexe, régime."),
      ("ILO Social Security Inquiry definitions; ILO Social Security (Minimum Standards) "
       "Convention, 1952 (No. 102).",
       "Définitions de l'enquête sur la sécurité sociale du BIT ; convention (n° 102) concernant "
       "la sécurité sociale (norme minimum), 1952, du BIT."),
      CALENDAR_YEAR,
      formula="CONTRIB_NB / EAP_TEAP_NB * 100",
      deviation=("CMR and RCAR have no source code in CL_SOURCE_MA yet; their contributors come "
                 "from the schemes' annual reports.",
                 "La CMR et le RCAR n'ont pas encore de code de source dans CL_SOURCE_MA ; leurs "
                 "cotisants proviennent des rapports annuels des régimes."),
      limitations=("Administrative counts and a survey denominator differ in coverage; persons "
                   "contributing to several schemes must be deduplicated.",
                   "Les effectifs administratifs et le dénominateur d'enquête diffèrent en "
                   "couverture ; les personnes cotisant à plusieurs régimes doivent être "
                   "dédoublonnées.")),
    # D. Administrative labour-market registers
    M("MA_JSK_REG_NB",
      ("Registered jobseekers: persons on ANAPEC's register of jobseekers at the end of the "
       "period. Registration is not unemployment in the ILO sense.",
       "Demandeurs d'emploi inscrits : personnes inscrites au registre des demandeurs d'emploi "
       "de l'ANAPEC en fin de période. L'inscription ne correspond pas au chômage au sens du "
       "BIT."),
      ("Stock count of the active registrations on the last day of the month, quarter or year.",
       "Effectif des inscriptions actives au dernier jour du mois, du trimestre ou de l'année."),
      "M", ("ANAPEC_REG",), ("ANAPEC",),
      ("Sex, age group, level of education and diploma, region (agency).",
       "Sexe, tranche d'âge, niveau d'instruction et diplôme, région (agence)."),
      ADMIN_STANDARD,
      ("Last day of the reference period.", "Dernier jour de la période de référence."),
      limitations=ANAPEC_LIMITS),
    M("MA_JSK_NEW_NB",
      ("New jobseeker registrations: registrations of jobseekers at ANAPEC during the period.",
       "Nouvelles inscriptions de demandeurs d'emploi : inscriptions à l'ANAPEC au cours de la "
       "période."),
      ("Count of the registrations recorded during the period (a person registering twice is "
       "counted twice).",
       "Nombre d'inscriptions enregistrées pendant la période (une personne inscrite deux fois "
       "compte deux fois)."),
      "M", ("ANAPEC_REG",), ("ANAPEC",),
      ("Sex, age group, level of education and diploma, region (agency).",
       "Sexe, tranche d'âge, niveau d'instruction et diplôme, région (agence)."),
      ADMIN_STANDARD, PERIOD_FLOW, limitations=ANAPEC_LIMITS),
    M("MA_VAC_REG_NB",
      ("Vacancies received: job offers (posts) notified by employers to ANAPEC during the "
       "period.",
       "Offres d'emploi reçues : offres d'emploi (postes) notifiées par les employeurs à "
       "l'ANAPEC au cours de la période."),
      ("Count of the posts offered in the job offers registered during the period.",
       "Nombre de postes offerts dans les offres d'emploi enregistrées pendant la période."),
      "M", ("ANAPEC_REG",), ("ANAPEC",),
      ("Economic activity, occupation, region (agency), type of contract.",
       "Activité économique, profession, région (agence), type de contrat."),
      ADMIN_STANDARD, PERIOD_FLOW,
      limitations=("Only the vacancies notified to ANAPEC: most hirings go through other "
                   "channels.",
                   "Seulement les offres notifiées à l'ANAPEC : la plupart des recrutements "
                   "passent par d'autres canaux.")),
    M("MA_PLC_NB",
      ("Placements: jobseekers placed in employment by ANAPEC during the period, in Morocco and "
       "abroad. Placements abroad by destination country are reported as MNA_OEMP_NB.",
       "Insertions : demandeurs d'emploi insérés dans l'emploi par l'ANAPEC au cours de la "
       "période, au Maroc et à l'étranger. Les insertions à l'étranger par pays de destination "
       "sont déclarées sous MNA_OEMP_NB."),
      ("Count of the placements recorded during the period, including those under the "
       "employment programmes managed by ANAPEC.",
       "Nombre d'insertions enregistrées pendant la période, y compris au titre des programmes "
       "d'emploi gérés par l'ANAPEC."),
      "M", ("ANAPEC_REG",), ("ANAPEC",),
      ("Sex, level of education, region (agency), programme, Morocco or abroad.",
       "Sexe, niveau d'instruction, région (agence), programme, Maroc ou étranger."),
      ADMIN_STANDARD, PERIOD_FLOW, limitations=ANAPEC_LIMITS),
    M("MA_CNSS_EES_NB",
      ("Employees declared to CNSS: distinct employees with at least one declared day of work "
       "in the period (or the monthly average over the period).",
       "Salariés déclarés à la CNSS : salariés distincts ayant au moins un jour de travail "
       "déclaré dans la période (ou moyenne mensuelle sur la période)."),
      ("Count of the distinct employee registration numbers in the employers' monthly wage "
       "declarations of the period.",
       "Nombre de numéros d'immatriculation distincts des salariés dans les déclarations "
       "mensuelles de salaires des employeurs de la période."),
      "M", ("CNSS_DECL",), ("CNSS",),
      ("Sex, age group, economic activity, region, nationality.",
       "Sexe, tranche d'âge, activité économique, région, nationalité."),
      ADMIN_STANDARD, PERIOD_FLOW,
      limitations=("Covers private-sector employees declared to CNSS only: public servants "
                   "and undeclared employees are outside it.",
                   "Couvre seulement les salariés du secteur privé déclarés à la CNSS : les "
                   "agents publics et les salariés non déclarés en sont exclus.")),
    M("MA_CNSS_WAGE_NB",
      ("Average declared monthly wage: wages declared to CNSS per employee-month, in dirhams.",
       "Salaire mensuel moyen déclaré : salaires déclarés à la CNSS par mois-salarié, en "
       "dirhams."),
      ("Total wages declared in the period divided by the number of employee-months declared.",
       "Total des salaires déclarés dans la période divisé par le nombre de mois-salariés "
       "déclarés."),
      "A", ("CNSS_DECL",), ("CNSS",),
      ("Sex, age group, economic activity, region.",
       "Sexe, tranche d'âge, activité économique, région."),
      ADMIN_STANDARD, CALENDAR_YEAR,
      limitations=("Wages are declared up to the pension contribution ceiling (6 000 MAD a "
                   "month, to be confirmed), which biases the mean downwards; under-declaration "
                   "of wages also lowers it.",
                   "Les salaires sont déclarés dans la limite du plafond de cotisation retraite "
                   "(6 000 MAD par mois, à confirmer), ce qui biaise la moyenne à la baisse ; la "
                   "sous-déclaration des salaires la réduit aussi.")),
    # E. Labour migration
    M("MST_NCTE_NB",
      ("Employed non-citizens: foreign citizens aged 15 and over usually resident in Morocco "
       "who are in employment, the employed part of the international migrant workers defined "
       "by the 20th ICLS (on the citizenship criterion).",
       "Étrangers actifs occupés : ressortissants étrangers âgés de 15 ans et plus résidant "
       "habituellement au Maroc et occupés, composante occupée des travailleurs migrants "
       "internationaux définis par la 20e CIST (selon le critère de la nationalité)."),
      ("Weighted count of employed persons of foreign citizenship in the ENE (annual), or "
       "count of employed foreigners in the census (RGPH) for census years.",
       "Effectif pondéré des personnes occupées de nationalité étrangère dans l'ENE (annuel), "
       "ou effectif des étrangers occupés au recensement (RGPH) les années de recensement."),
      "A", ("ENE", "RGPH"), ("HCP",),
      ("Sex, age group, country or group of citizenship, economic activity, occupation.",
       "Sexe, tranche d'âge, pays ou groupe de nationalité, activité économique, profession."),
      MIGRATION_STANDARD, ENE_WEEK,
      formula='EMP_TEMP_NB[filter MIG = "CCT_CIT_NONCIT"]',
      limitations=("Foreigners are a small population: ENE estimates have large sampling "
                   "errors and detailed breakdowns need the census or administrative sources "
                   "(MA_CNSS_FRN_NB, MA_RES_VALID_NB).",
                   "Les étrangers sont une petite population : les estimations de l'ENE ont de "
                   "fortes erreurs d'échantillonnage et les ventilations fines demandent le "
                   "recensement ou les sources administratives (MA_CNSS_FRN_NB, "
                   "MA_RES_VALID_NB).")),
    M("MST_TEAP_RT",
      ("Labour force participation rate by citizenship: the participation rate computed "
       "separately for citizens and non-citizens.",
       "Taux d'activité selon la nationalité : taux d'activité calculé séparément pour les "
       "nationaux et les étrangers."),
      ("Weighted labour force of each citizenship group divided by its weighted working-age "
       "population, multiplied by 100.",
       "Population active pondérée de chaque groupe de nationalité divisée par sa population "
       "en âge d'activité pondérée, multipliée par 100."),
      "A", ("ENE", "RGPH"), ("HCP",),
      ("Citizenship (citizens, non-citizens), sex, age group.",
       "Nationalité (nationaux, étrangers), sexe, tranche d'âge."),
      (MIGRATION_STANDARD[0][:-1] + "; " + LF_STANDARD[0],
       MIGRATION_STANDARD[1][:-1] + " ; " + LF_STANDARD[1]),
      ENE_WEEK,
      formula="EAP_TEAP_NB / POP_XWAP_NB * 100",
      deviation=("Computed per value of MIG (CCT_CIT_CITIZEN, CCT_CIT_NONCIT): the formula "
                 "applies to series of the same MIG value.",
                 "Calculé pour chaque valeur de MIG (CCT_CIT_CITIZEN, CCT_CIT_NONCIT) : la "
                 "formule s'applique à des séries de même valeur de MIG."),
      limitations=ENE_LIMITS),
    M("MST_TUNE_RT",
      ("Unemployment rate by citizenship: the unemployment rate computed separately for "
       "citizens and non-citizens.",
       "Taux de chômage selon la nationalité : taux de chômage calculé séparément pour les "
       "nationaux et les étrangers."),
      ("Weighted number of unemployed persons of each citizenship group divided by its "
       "weighted labour force, multiplied by 100.",
       "Nombre pondéré de chômeurs de chaque groupe de nationalité divisé par sa population "
       "active pondérée, multiplié par 100."),
      "A", ("ENE", "RGPH"), ("HCP",),
      ("Citizenship (citizens, non-citizens), sex, age group.",
       "Nationalité (nationaux, étrangers), sexe, tranche d'âge."),
      (MIGRATION_STANDARD[0][:-1] + "; " + LF_STANDARD[0],
       MIGRATION_STANDARD[1][:-1] + " ; " + LF_STANDARD[1]),
      ENE_WEEK,
      formula="UNE_TUNE_NB / EAP_TEAP_NB * 100",
      deviation=("Computed per value of MIG (CCT_CIT_CITIZEN, CCT_CIT_NONCIT).",
                 "Calculé pour chaque valeur de MIG (CCT_CIT_CITIZEN, CCT_CIT_NONCIT)."),
      limitations=ENE_LIMITS),
    M("MA_MIG_EMP_SH",
      ("Share of foreign workers in employment: employed non-citizens as a percentage of total "
       "employment.",
       "Part des étrangers dans l'emploi : étrangers actifs occupés en pourcentage de l'emploi "
       "total."),
      ("Employed non-citizens (MST_NCTE_NB) divided by total employment (EMP_TEMP_NB), "
       "multiplied by 100; the CNSS share of foreign declared employees is a proxy for "
       "private-sector employees.",
       "Étrangers actifs occupés (MST_NCTE_NB) divisés par l'emploi total (EMP_TEMP_NB), "
       "multipliés par 100 ; la part des étrangers parmi les salariés déclarés à la CNSS en est "
       "une approximation pour les salariés du secteur privé."),
      "A", ("ENE", "CNSS_DECL"), ("HCP", "CNSS"),
      ("Sex, economic activity.", "Sexe, activité économique."),
      MIGRATION_STANDARD, CALENDAR_YEAR,
      formula="MST_NCTE_NB / EMP_TEMP_NB * 100",
      limitations=("Inherits the large sampling errors of MST_NCTE_NB.",
                   "Hérite des fortes erreurs d'échantillonnage de MST_NCTE_NB.")),
    M("MA_CNSS_FRN_NB",
      ("Foreign employees declared to CNSS: declared employees of foreign nationality, by "
       "country of citizenship.",
       "Salariés étrangers déclarés à la CNSS : salariés déclarés de nationalité étrangère, par "
       "pays de nationalité."),
      ("Count of the distinct foreign employees with at least one declared day in the year.",
       "Nombre de salariés étrangers distincts ayant au moins un jour déclaré dans l'année."),
      "A", ("CNSS_DECL",), ("CNSS",),
      ("Country of citizenship, sex, economic activity, region.",
       "Pays de nationalité, sexe, activité économique, région."),
      MIGRATION_STANDARD, CALENDAR_YEAR,
      deviation=("An administrative proxy for MST_NCTE_NB limited to declared private-sector "
                 "employees.",
                 "Une approximation administrative de MST_NCTE_NB limitée aux salariés déclarés "
                 "du secteur privé."),
      limitations=("Small cells by nationality and region may be confidential (CONF_STATUS).",
                   "Les petites cellules par nationalité et région peuvent être confidentielles "
                   "(CONF_STATUS).")),
    M("MA_WKP_APR_NB",
      ("Foreign employment contracts approved: employment contracts of foreign workers "
       "approved (visa) by the ministry in charge of employment; first contracts and renewals "
       "are distinguished.",
       "Contrats de travail d'étrangers visés : contrats de travail de salariés étrangers visés "
       "par le ministère chargé de l'emploi ; les premiers contrats et les renouvellements sont "
       "distingués."),
      ("Count of the contracts given the visa during the period.",
       "Nombre de contrats visés pendant la période."),
      "M", ("MEMP_CTR",), ("MEMP",),
      ("Country of citizenship, sex, economic activity, occupation, first contract or renewal.",
       "Pays de nationalité, sexe, activité économique, profession, premier contrat ou "
       "renouvellement."),
      MIGRATION_STANDARD, PERIOD_FLOW,
      deviation=("First contracts are a proxy for the inflow of foreign workers for employment "
                 "(ILOSTAT MFL_NEMP_NB); the split between first contracts and renewals has no "
                 "dimension in DSD_LMIS_MIG yet.",
                 "Les premiers contrats approchent le flux d'entrée de travailleurs étrangers "
                 "pour l'emploi (MFL_NEMP_NB d'ILOSTAT) ; la distinction entre premiers contrats "
                 "et renouvellements n'a pas encore de dimension dans DSD_LMIS_MIG."),
      limitations=("Covers salaried contracts subject to the visa only (not self-employed "
                   "foreigners nor nationalities exempted by agreements).",
                   "Ne couvre que les contrats salariés soumis au visa (ni les étrangers "
                   "indépendants, ni les nationalités dispensées par convention).")),
    M("MA_RES_VALID_NB",
      ("Foreigners holding a valid residence permit: stock at 31 December, by nationality and "
       "reason for the permit.",
       "Étrangers titulaires d'un titre de séjour en cours de validité : effectif au 31 "
       "décembre, par nationalité et motif du titre."),
      ("Count of the persons holding a residence permit valid on 31 December.",
       "Nombre de personnes titulaires d'un titre de séjour valide au 31 décembre."),
      "A", ("DGSN_RES",), ("DGSN",),
      ("Country of citizenship, sex, age group, reason for the permit, region.",
       "Pays de nationalité, sexe, tranche d'âge, motif du titre, région."),
      MIGRATION_STANDARD, YEAR_END,
      limitations=("Excludes foreigners in an irregular situation and those exempted from a "
                   "permit; regularisation campaigns (2014, 2017) cause breaks.",
                   "Exclut les étrangers en situation irrégulière et ceux dispensés de titre ; "
                   "les campagnes de régularisation (2014, 2017) créent des ruptures.")),
    M("MA_RES_NEW_NB",
      ("First residence permits issued: first permits issued to foreigners during the year, by "
       "reason (reason WORK gives an inflow for employment).",
       "Premiers titres de séjour délivrés : premiers titres délivrés aux étrangers pendant "
       "l'année, par motif (le motif WORK donne un flux d'entrée pour l'emploi)."),
      ("Count of the first permits issued during the year (renewals excluded).",
       "Nombre de premiers titres délivrés pendant l'année (renouvellements exclus)."),
      "A", ("DGSN_RES",), ("DGSN",),
      ("Country of citizenship, sex, reason for the permit.",
       "Pays de nationalité, sexe, motif du titre."),
      MIGRATION_STANDARD, CALENDAR_YEAR,
      deviation=("A proxy for the ILOSTAT inflow of foreign citizens (MFL_NCIT_NB).",
                 "Une approximation du flux d'entrée de ressortissants étrangers d'ILOSTAT "
                 "(MFL_NCIT_NB)."),
      limitations=("A permit may be issued some time after arrival; regularisations inflate "
                   "the campaign years.",
                   "Un titre peut être délivré longtemps après l'arrivée ; les régularisations "
                   "gonflent les années de campagne.")),
    M("MA_BRD_ARR_NB",
      ("Border arrivals of non-residents: entries of foreigners at border posts, by "
       "nationality. A context series, not a measure of migration.",
       "Entrées d'étrangers aux frontières : entrées d'étrangers aux postes frontières, par "
       "nationalité. Série de contexte, qui ne mesure pas la migration."),
      ("Count of the entries recorded at border posts during the month (a person entering "
       "several times is counted each time).",
       "Nombre d'entrées enregistrées aux postes frontières pendant le mois (une personne "
       "entrée plusieurs fois est comptée à chaque fois)."),
      "M", ("DGSN_BRD",), ("DGSN",),
      ("Country of citizenship, border post.", "Pays de nationalité, poste frontière."),
      ADMIN_STANDARD, PERIOD_FLOW,
      limitations=("Counts crossings, not persons, and mostly tourists and business visitors.",
                   "Compte des passages, non des personnes, surtout de touristes et de "
                   "visiteurs d'affaires.")),
    M("MNA_TPOP_NB",
      ("Moroccans abroad registered with consulates: Moroccan nationals registered with the "
       "consular posts of Morocco, by country of residence.",
       "Marocains immatriculés à l'étranger : ressortissants marocains immatriculés auprès des "
       "postes consulaires du Maroc, par pays de résidence."),
      ("Count of the consular registrations in force at the end of the year.",
       "Nombre d'immatriculations consulaires en vigueur en fin d'année."),
      "A", ("MAE_CONS",), ("MAE",),
      ("Country of residence, sex.", "Pays de résidence, sexe."),
      MIGRATION_STANDARD, YEAR_END,
      limitations=("Consular registers overcount the resident population abroad (no "
                   "de-registration on return or death) and include descendants and dual "
                   "nationals; destination-country statistics are a useful check.",
                   "Les registres consulaires surestiment la population résidant à l'étranger "
                   "(pas de radiation au retour ou au décès) et comprennent les descendants et "
                   "les binationaux ; les statistiques des pays de destination sont un contrôle "
                   "utile.")),
    M("MNA_OEMP_NB",
      ("Outflow of nationals for employment: nationals leaving Morocco to work abroad (the "
       "for-work international migrants of the 20th ICLS guidelines), by country of "
       "destination, economic activity and occupation.",
       "Sorties de Marocains pour l'emploi : ressortissants quittant le Maroc pour travailler à "
       "l'étranger (migrants internationaux pour le travail des directives de la 20e CIST), par "
       "pays de destination, activité économique et profession."),
      ("Sum of the departures under organised placement (ANAPEC international placements, "
       "seasonal agricultural programmes) and approved contracts, or survey estimates for "
       "survey years; each source is reported as its own series (SOURCE attribute).",
       "Somme des départs par placement organisé (insertions internationales de l'ANAPEC, "
       "programmes agricoles saisonniers) et par contrats visés, ou estimations d'enquête les "
       "années d'enquête ; chaque source est déclarée comme une série distincte (attribut "
       "SOURCE)."),
      "A", ("ANAPEC_REG", "ENMI"), ("ANAPEC", "MEMP", "HCP"),
      ("Country of destination, sex, economic activity, occupation.",
       "Pays de destination, sexe, activité économique, profession."),
      MIGRATION_STANDARD, CALENDAR_YEAR,
      limitations=("Administrative sources see only organised departures; individual "
                   "departures are captured only by surveys.",
                   "Les sources administratives ne voient que les départs organisés ; les "
                   "départs individuels ne sont saisis que par les enquêtes.")),
    M("MNA_XRET_NB",
      ("Return migrants: nationals who returned to Morocco after living at least 12 months "
       "abroad (the return international migrant workers of the 20th ICLS guidelines), by "
       "country of previous residence and labour force status.",
       "Migrants de retour : ressortissants revenus au Maroc après avoir vécu au moins 12 mois "
       "à l'étranger (travailleurs migrants internationaux de retour des directives de la 20e "
       "CIST), par pays de résidence antérieure et situation d'activité."),
      ("Weighted count of return migrants in the international migration survey (ENMI) or "
       "count from the census questions on previous residence abroad (RGPH).",
       "Effectif pondéré des migrants de retour dans l'enquête sur la migration internationale "
       "(ENMI) ou effectif issu des questions du recensement sur la résidence antérieure à "
       "l'étranger (RGPH)."),
      "A", ("ENMI", "RGPH"), ("HCP",),
      ("Country of previous residence, sex, age group, labour force status.",
       "Pays de résidence antérieure, sexe, tranche d'âge, situation d'activité."),
      MIGRATION_STANDARD,
      ("Survey or census year; returns during a stated period before the survey.",
       "Année de l'enquête ou du recensement ; retours pendant une période précisée avant "
       "l'enquête."),
      deviation=("Produced for survey and census years only (ENMI 2018-2019, RGPH 2014 and "
                 "2024; titles and years to be confirmed); the labour force status has no "
                 "dimension in DSD_LMIS_MIG yet.",
                 "Produit seulement pour les années d'enquête et de recensement (ENMI "
                 "2018-2019, RGPH 2014 et 2024 ; intitulés et années à confirmer) ; la situation "
                 "d'activité n'a pas encore de dimension dans DSD_LMIS_MIG.")),
    M("MA_RMT_INF_VAL",
      ("Remittances of Moroccans living abroad: personal transfers received from abroad in the "
       "balance of payments (plus compensation of employees where published), by sending "
       "country where available, in millions of dirhams.",
       "Transferts des Marocains résidant à l'étranger : transferts personnels reçus de "
       "l'étranger dans la balance des paiements (plus la rémunération des salariés lorsqu'elle "
       "est publiée), par pays d'envoi lorsqu'il est connu, en millions de dirhams."),
      ("Sum of the transfers recorded by the Office des Changes from bank, postal and money "
       "transfer operator reports during the period.",
       "Somme des transferts enregistrés par l'Office des Changes à partir des déclarations "
       "des banques, de la poste et des sociétés de transfert d'argent pendant la période."),
      "M", ("OC_BOP",), ("OC",),
      ("Sending country, channel.", "Pays d'envoi, canal."),
      ("IMF Balance of Payments and International Investment Position Manual, sixth edition "
       "(BPM6): personal transfers and compensation of employees.",
       "Manuel de la balance des paiements et de la position extérieure globale, sixième "
       "édition (MBP6) du FMI : transferts personnels et rémunération des salariés."),
      PERIOD_FLOW,
      limitations=("Transfers through informal channels and cash carried by travellers are "
                   "only partly recorded.",
                   "Les transferts par des canaux informels et l'argent liquide transporté par "
                   "les voyageurs ne sont que partiellement enregistrés.")),
    M("SDG_1732_RT",
      ("Volume of remittances (in United States dollars) as a proportion of total GDP (SDG "
       "17.3.2).",
       "Volume des envois de fonds (en dollars des États-Unis) en proportion du PIB total (ODD "
       "17.3.2)."),
      ("Remittance inflows of the year converted to US dollars divided by GDP of the same year "
       "in US dollars (GDP from HCP's national accounts), multiplied by 100; the ratio is the "
       "same in dirhams when both are converted at the same rate.",
       "Envois de fonds reçus dans l'année convertis en dollars des États-Unis divisés par le "
       "PIB de la même année en dollars (PIB des comptes nationaux du HCP), multipliés par 100 ; "
       "le ratio est le même en dirhams lorsque les deux sont convertis au même taux."),
      "A", ("OC_BOP",), ("OC", "HCP"),
      ("None (national ratio).", "Aucune (ratio national)."),
      ("SDG indicator 17.3.2 metadata (custodian: World Bank); BPM6; System of National "
       "Accounts 2008.",
       "Métadonnées de l'indicateur ODD 17.3.2 (organisme responsable : Banque mondiale) ; "
       "MBP6 ; Système de comptabilité nationale 2008."),
      CALENDAR_YEAR,
      formula="MA_RMT_INF_VAL_USD / GDP_USD * 100",
      deviation=("CL_SOURCE_MA has no code for the national accounts yet; GDP is taken from "
                 "HCP's published accounts.",
                 "CL_SOURCE_MA n'a pas encore de code pour les comptes nationaux ; le PIB est "
                 "repris des comptes publiés par le HCP.")),
    M("SDG_1071_RT",
      ("Recruitment cost indicator (SDG 10.7.1): recruitment costs borne by an employee as a "
       "proportion of the monthly income earned in the country of destination.",
       "Indicateur du coût de recrutement (ODD 10.7.1) : coûts de recrutement supportés par un "
       "salarié en proportion du revenu mensuel perçu dans le pays de destination."),
      ("For each recent migrant worker k, the ratio C_k / E_k of the recruitment costs paid to "
       "obtain the first job abroad (fees, documents, medical tests, travel…) to the earnings "
       "of the first month of that job; the indicator is the mean (also the median) of the "
       "ratios, in months of earnings. The same worker is in the numerator and the "
       "denominator.",
       "Pour chaque travailleur migrant récent k, rapport C_k / E_k des coûts de recrutement "
       "payés pour obtenir le premier emploi à l'étranger (frais, documents, examens médicaux, "
       "voyage…) aux gains du premier mois de cet emploi ; l'indicateur est la moyenne (et la "
       "médiane) des rapports, en mois de gains. Le même travailleur figure au numérateur et au "
       "dénominateur."),
      "A", ("ENMI",), ("HCP",),
      ("Sex, country of destination (corridor), occupation.",
       "Sexe, pays de destination (corridor), profession."),
      ("ILO and World Bank (KNOMAD) methodology for SDG indicator 10.7.1 (custodians: ILO and "
       "World Bank).",
       "Méthodologie du BIT et de la Banque mondiale (KNOMAD) pour l'indicateur ODD 10.7.1 "
       "(organismes responsables : BIT et Banque mondiale)."),
      ("Survey year; migrant workers who left in a stated recent period.",
       "Année de l'enquête ; travailleurs migrants partis pendant une période récente "
       "précisée."),
      deviation=("Needs a survey module (ENMI or an ENE module, to be confirmed); produced only "
                 "in survey years. The unit is months of earnings (MONTHS), not a percentage.",
                 "Suppose un module d'enquête (ENMI ou module de l'ENE, à confirmer) ; produit "
                 "seulement les années d'enquête. L'unité est le mois de gains (MONTHS), non un "
                 "pourcentage."),
      limitations=("Small samples per corridor; a KNOMAD/ILO pilot covered the Morocco-Spain "
                   "corridor.",
                   "Petits échantillons par corridor ; un projet pilote KNOMAD/BIT a porté sur "
                   "le corridor Maroc-Espagne.")),
)  # fmt: skip

BY_METADATA_ID: dict[str, Meta] = {m.id: m for m in REPORTS}
INSTITUTION_NAMES: dict[str, T] = {i.id: (i.en, i.fr) for i in INSTITUTIONS}
INSTITUTION_NAMES["ILO"] = (
    "International Labour Organization",
    "Organisation internationale du Travail",
)

#: ILOSTAT ids look like ``UNE_DEAP_SEX_AGE_RT``; notes such as "national only" are not ids.
_ILO_ID = re.compile(r"[A-Z0-9]+(_[A-Z0-9]+)+")
#: Indicators computed from an ILOSTAT indicator rather than equal to one (no ILO_INDICATOR).
_ILO_INPUT_ONLY = {"MA_VULN_RT", "MA_HOW_EXC_RT"}


# --- Building the reports ------------------------------------------------------------------------


def _xhtml(pair: T) -> tuple[tuple[str, str], ...]:
    return tuple(
        (lang, "".join(f'<p xmlns="{XHTML}">{html.escape(p, quote=False)}</p>'
                       for p in content.split("\n\n")))
        for lang, content in zip(("en", "fr"), pair, strict=True)
    )  # fmt: skip


def _texts(pair: T) -> tuple[tuple[str, str], ...]:
    return tuple(zip(("en", "fr"), pair, strict=True))


def report(ind: Indicator, meta: Meta) -> MetadataReport:
    """The metadata report of one indicator, attributes in the order of the MSD."""
    a = ReportedAttribute
    attrs: list[ReportedAttribute] = [
        a("DEFINITION", xhtml=_xhtml(meta.definition)),
        a("CALCULATION_METHOD", xhtml=_xhtml(meta.method)),
    ]
    if meta.formula:
        attrs.append(a("FORMULA", value=meta.formula))
    attrs += [a("UNIT", value=ind.unit), a("UNIT_MULT", value=ind.mult)]
    attrs.append(a("PERIODICITY", value=meta.periodicity))
    attrs += [a("DATA_SOURCE", value=s) for s in meta.sources]
    attrs += [a("SOURCE_INSTITUTION", value=i) for i in meta.institutions]
    attrs += [
        a("DISAGGREGATION", texts=_texts(meta.disaggregation)),
        a("INT_STANDARD", texts=_texts(meta.standard)),
    ]
    if meta.deviation:
        attrs.append(a("NATIONAL_DEVIATION", xhtml=_xhtml(meta.deviation)))
    if meta.limitations:
        attrs.append(a("LIMITATIONS", xhtml=_xhtml(meta.limitations)))
    if ind.sdg:
        attrs.append(a("SDG_INDICATOR", value=ind.sdg))
    if ind.dwi:
        attrs.append(a("DWI_ELEMENT", value=ind.dwi.split("(")[0]))
    if ind.ilo and _ILO_ID.fullmatch(ind.ilo) and ind.id not in _ILO_INPUT_ONLY:
        attrs.append(a("ILO_INDICATOR", value=ind.ilo))
    attrs.append(a("REF_PERIOD", texts=_texts(meta.ref_period)))
    attrs.append(a("CONTACT_ORGANISATION", texts=_texts(INSTITUTION_NAMES[meta.institutions[0]])))
    attrs.append(a("META_LAST_UPDATE", value=META_LAST_UPDATE))
    target = TargetValue("INDICATOR", "ObjectReference", f"{CODELIST_URN}.{ind.id}")
    return MetadataReport("INDICATOR_REPORT", "INDICATOR_TARGET", (target,), tuple(attrs))


def file_name(code: str) -> str:
    return f"{FOLDER}/MA.HCP.{MDF_ID}.{code}.xml"


def render() -> dict[str, bytes]:
    """Relative path → file content for every indicator's report."""
    missing = [i.id for i in INDICATORS if i.id not in BY_METADATA_ID]
    extra = sorted(set(BY_METADATA_ID) - set(BY_ID))
    if missing or extra:
        raise ValueError(f"metadata missing for {missing}, or for unknown indicators {extra}")
    return {
        file_name(ind.id): canonical_report(
            report(ind, BY_METADATA_ID[ind.id]), structure_urn=MDF_URN, provider=PROVIDER
        )
        for ind in INDICATORS
    }


def existing(root: Path) -> dict[str, bytes]:
    return {f"{FOLDER}/{p.name}": p.read_bytes() for p in sorted((root / FOLDER).glob("*.xml"))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT, help="root folder (default: the repo)")
    parser.add_argument(
        "--check", action="store_true", help="compare with the files under --out, write nothing"
    )
    args = parser.parse_args(argv)
    files = render()
    found = existing(args.out)
    if args.check:
        changed = sorted(k for k in files if found.get(k) != files[k])
        extra = sorted(set(found) - set(files))
        for rel in changed:
            print(f"differs or missing: {rel}")
        for rel in extra:
            print(f"not generated: {rel}")
        return 1 if changed or extra else 0
    for rel, content in files.items():
        path = args.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if found.get(rel) != content:
            path.write_bytes(content)
    for rel in sorted(set(found) - set(files)):
        print(f"warning: {rel} is not generated by this build (delete it?)", file=sys.stderr)
    print(f"{len(files)} files under {args.out / FOLDER}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
