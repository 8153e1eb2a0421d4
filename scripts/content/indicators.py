"""``MA.HCP:CL_MEASURE_MA(1.0)``: the indicator catalogue of DOMAIN.md §6 (51 indicators).

ILOSTAT ``MEASURE`` codes are reused where the ILO concept is the same; national-only indicators
carry an ``MA_`` prefix (DOMAIN §0.5). Each code has names and a short definition in English and
French and annotations:

- ``UNIT_MEASURE`` / ``UNIT_MULT``: the unit and multiplier every observation of the indicator
  carries (the attributes are attached to MEASURE, so they are fixed per indicator);
- ``ILO_INDICATOR``: the ILOSTAT indicator (dataflow ``DF_`` + id) or the correspondence note;
- ``SDG_INDICATOR``: the SDG indicator number, where there is one;
- ``DWI``: the Decent Work element, M = main, A = additional (codes of CL_DWI_MA).

Formulas, sources and the rest of the reference metadata go in the metadata reports of
``MA.HCP:MSD_LMIS_IND(1.0)``, not here.
"""

from __future__ import annotations

from dataclasses import dataclass

from sdmx.model import v21

from .common import annotation, code, codelist, text


@dataclass(frozen=True)
class Indicator:
    id: str
    group: str  # DOMAIN §6 table: A-E
    en: str
    fr: str
    def_en: str
    def_fr: str
    unit: str  # CL_UNIT_MEASURE_MA
    mult: str = "0"  # CL_UNIT_MULT
    ilo: str | None = None
    sdg: str | None = None
    dwi: str | None = None


I = Indicator  # noqa: E741  (short alias for the table below)

INDICATORS: tuple[Indicator, ...] = (
    # A. Labour force, underutilisation and informality (HCP, ENE)
    I("POP_XWAP_NB", "A", "Working-age population (15+)",
      "Population en âge d'activité (15 ans et plus)",
      "Persons aged 15 and over living in ordinary households.",
      "Personnes âgées de 15 ans et plus vivant dans les ménages ordinaires.",
      "PS", "3", ilo="POP_XWAP_SEX_AGE_NB"),
    I("EAP_TEAP_NB", "A", "Labour force", "Population active",
      "Employed plus unemployed persons aged 15 and over.",
      "Actifs occupés et chômeurs âgés de 15 ans et plus.",
      "PS", "3", ilo="EAP_TEAP_SEX_AGE_NB"),
    I("EAP_DWAP_RT", "A", "Labour force participation rate", "Taux d'activité",
      "Labour force as a percentage of the working-age population.",
      "Population active en pourcentage de la population en âge d'activité.",
      "PT", ilo="EAP_DWAP_SEX_AGE_RT", dwi="EMPL(A)"),
    I("EMP_TEMP_NB", "A", "Employment", "Population active occupée",
      "Persons aged 15 and over who worked at least one hour in the reference week or were "
      "temporarily absent from their job (19th ICLS: work for pay or profit only; the 13th ICLS "
      "also counts production of goods for own use).",
      "Personnes âgées de 15 ans et plus ayant travaillé au moins une heure pendant la semaine "
      "de référence ou temporairement absentes de leur emploi (19e CIST : travail rémunéré ou à "
      "but lucratif seulement ; la 13e CIST compte aussi la production de biens pour usage "
      "propre).",
      "PS", "3", ilo="EMP_TEMP_SEX_AGE_NB"),
    I("EMP_DWAP_RT", "A", "Employment-to-population ratio", "Taux d'emploi",
      "Employed persons as a percentage of the working-age population.",
      "Actifs occupés en pourcentage de la population en âge d'activité.",
      "PT", ilo="EMP_DWAP_SEX_AGE_RT", dwi="EMPL(M)"),
    I("UNE_TUNE_NB", "A", "Unemployment", "Chômeurs",
      "Persons aged 15 and over without work, available for work and seeking work.",
      "Personnes âgées de 15 ans et plus sans emploi, disponibles pour travailler et à la "
      "recherche d'un emploi.",
      "PS", "3", ilo="UNE_TUNE_SEX_AGE_NB"),
    I("UNE_DEAP_RT", "A", "Unemployment rate", "Taux de chômage",
      "Unemployed persons as a percentage of the labour force; the youth unemployment rate is "
      "the 15-24 age slice.",
      "Chômeurs en pourcentage de la population active ; le taux de chômage des jeunes est la "
      "tranche d'âge 15-24 ans.",
      "PT", ilo="UNE_DEAP_SEX_AGE_RT", sdg="8.5.2", dwi="EMPL(M)"),
    I("MA_UNE_LTU_SH", "A", "Share of long-term unemployed", "Part du chômage de longue durée",
      "Persons unemployed for 12 months or more as a percentage of all unemployed persons (HCP "
      "convention; ILO's long-term unemployment rate divides by the labour force).",
      "Chômeurs depuis 12 mois ou plus en pourcentage de l'ensemble des chômeurs (convention du "
      "HCP ; le taux de chômage de longue durée du BIT rapporte à la population active).",
      "PT", ilo="measure UNE_TUNE_NB with CL_DUR"),
    I("EIP_NEET_RT", "A", "Youth NEET rate",
      "Taux des jeunes ni en emploi, ni en études, ni en formation (NEET)",
      "Young people aged 15-24 neither in employment nor in education or training, as a "
      "percentage of the population aged 15-24.",
      "Jeunes de 15 à 24 ans ni en emploi, ni en études, ni en formation, en pourcentage de la "
      "population de 15 à 24 ans.",
      "PT", ilo="EIP_NEET_SEX_RT", sdg="8.6.1", dwi="EMPL(M)"),
    I("TRU_DEMP_RT", "A", "Time-related underemployment rate",
      "Taux de sous-emploi lié à la durée du travail",
      "Employed persons who want and are available to work more hours and whose working time "
      "is below a threshold (48 hours in Morocco), as a percentage of employment.",
      "Actifs occupés souhaitant travailler davantage, disponibles pour le faire et dont la "
      "durée du travail est inférieure à un seuil (48 heures au Maroc), en pourcentage de "
      "l'emploi.",
      "PT", ilo="TRU_DEMP_SEX_AGE_RT", dwi="EMPL(A)"),
    I("MA_SEMP_RT", "A", "Underemployment rate (national definition)",
      "Taux de sous-emploi (définition du HCP)",
      "Time-related underemployment plus underemployment due to inadequate income or skills, "
      "as a percentage of employment (HCP concept, not an ILO indicator).",
      "Sous-emploi lié à la durée du travail et sous-emploi lié à l'insuffisance du revenu ou à "
      "l'inadéquation de l'emploi à la qualification, en pourcentage de l'emploi (concept du "
      "HCP, sans équivalent au BIT).",
      "PT", ilo="national only"),
    I("LUU_XLU4_RT", "A", "Composite rate of labour underutilisation (LU4)",
      "Taux composite de sous-utilisation de la main-d'œuvre (SU4)",
      "Time-related underemployed, unemployed and potential labour force as a percentage of "
      "the extended labour force (labour force plus potential labour force).",
      "Sous-emploi lié à la durée du travail, chômeurs et main-d'œuvre potentielle en "
      "pourcentage de la main-d'œuvre élargie (population active et main-d'œuvre potentielle).",
      "PT", ilo="LUU_XLU4_RT"),
    I("EMP_NIFL_RT", "A", "Informal employment rate", "Taux d'emploi informel",
      "Informal jobs (17th ICLS guidelines, 21st ICLS 2023 update) as a percentage of total "
      "employment, by agriculture and non-agriculture.",
      "Emplois informels (lignes directrices de la 17e CIST, mises à jour par la 21e CIST en "
      "2023) en pourcentage de l'emploi total, secteurs agricole et non agricole.",
      "PT", ilo="SDG_0831_SEX_ECO_RT", sdg="8.3.1", dwi="EMPL(M)"),
    I("MA_EES_NSP_RT", "A", "Employees without social protection",
      "Salariés sans couverture sociale",
      "Employees not affiliated to a social security scheme, as a percentage of employees "
      "(variant: employees without a written contract).",
      "Salariés non affiliés à un régime de sécurité sociale, en pourcentage des salariés "
      "(variante : salariés sans contrat écrit).",
      "PT", dwi="STAB"),
    I("MA_VULN_RT", "A", "Own-account and contributing family workers",
      "Indépendants et aides familiales",
      "Share of employment in ICSE-93 groups 3 (own-account workers) and 5 (contributing family "
      "workers).",
      "Part dans l'emploi des groupes 3 (indépendants) et 5 (aides familiales) de la CISP-93.",
      "PT", ilo="EMP_TEMP_SEX_STE_NB"),
    # B. Earnings, working time, child labour
    I("HOW_TEMP_NB", "B", "Mean weekly hours actually worked",
      "Durée hebdomadaire moyenne effective du travail",
      "Hours actually worked in the reference week per employed person.",
      "Heures effectivement travaillées pendant la semaine de référence par actif occupé.",
      "HR", ilo="HOW_TEMP_SEX_ECO_NB", dwi="HOUR(A)"),
    I("MA_HOW_EXC_RT", "B", "Excessive working time", "Emploi à durée excessive",
      "Employed persons usually working more than 48 hours a week, as a percentage of "
      "employment.",
      "Actifs occupés travaillant habituellement plus de 48 heures par semaine, en pourcentage "
      "de l'emploi.",
      "PT", ilo="EMP_TEMP_SEX_HOW_NB", dwi="HOUR(M)"),
    I("EAR_4MTH_NB", "B", "Average monthly earnings of employees",
      "Salaire mensuel moyen des salariés",
      "Gross monthly earnings per employee.",
      "Gains mensuels bruts par salarié.",
      "MAD", ilo="EAR_4MTH_SEX_ECO_CUR_NB"),
    I("EAR_4HRL_NB", "B", "Average hourly earnings of employees",
      "Rémunération horaire moyenne des salariés",
      "Gross earnings per hour paid, in dirhams per hour, by sex, age, occupation and "
      "disability.",
      "Gains bruts par heure rémunérée, en dirhams par heure, par sexe, âge, profession et "
      "situation de handicap.",
      "MAD", ilo="EAR_4HRL_SEX_OCU_CUR_NB", sdg="8.5.1", dwi="EARN(A)"),
    I("EAR_GGAP_RT", "B", "Gender pay gap", "Écart salarial entre femmes et hommes",
      "Difference between male and female mean earnings, as a percentage of male mean "
      "earnings.",
      "Écart entre les gains moyens des hommes et des femmes, en pourcentage des gains moyens "
      "des hommes.",
      "PT", ilo="EAR_GGAP_OCU_RT", dwi="EQUA(A)"),
    I("EAR_XTLP_RT", "B", "Low pay rate", "Taux de bas salaires",
      "Employees whose hourly earnings are below two-thirds of the median hourly earnings, as "
      "a percentage of employees.",
      "Salariés dont la rémunération horaire est inférieure aux deux tiers de la médiane, en "
      "pourcentage des salariés.",
      "PT", ilo="EAR_XTLP_SEX_RT", dwi="EARN(M)"),
    I("EAR_4MMN_NB", "B", "Minimum wage (SMIG, SMAG)", "Salaire minimum (SMIG, SMAG)",
      "Statutory minimum wage: the hourly SMIG (non-agricultural sectors) times 191 hours for "
      "the monthly equivalent; the daily SMAG (agriculture).",
      "Salaire minimum légal : SMIG horaire (secteurs non agricoles) multiplié par 191 heures "
      "pour l'équivalent mensuel ; SMAG journalier (agriculture).",
      "MAD", ilo="measure EAR_4MMN_NB"),
    I("CLD_XCHL_RT", "B", "Child labour rate", "Taux de travail des enfants",
      "Children in child labour as a percentage of all children of the age band (SDG: 5-17 "
      "years; HCP publishes 7-17 years).",
      "Enfants astreints au travail en pourcentage des enfants de la tranche d'âge (ODD : 5-17 "
      "ans ; le HCP publie 7-17 ans).",
      "PT", ilo="CLD_XCHL_SEX_AGE_RT", sdg="8.7.1", dwi="ABOL(M)"),
    # C. Safety, inspection, social dialogue and social protection
    I("INJ_FATL_RT", "C", "Fatal occupational injury rate",
      "Taux de lésions professionnelles mortelles",
      "New fatal cases of occupational injury per 100 000 workers in the reference group, by "
      "sex and migrant status.",
      "Nouveaux cas de lésions professionnelles mortelles pour 100 000 travailleurs du groupe "
      "de référence, par sexe et statut migratoire.",
      "RT100K", ilo="SDG_F881_SEX_MIG_RT", sdg="8.8.1", dwi="SAFE(M)"),
    I("INJ_NFTL_RT", "C", "Non-fatal occupational injury rate",
      "Taux de lésions professionnelles non mortelles",
      "New non-fatal cases of occupational injury per 100 000 workers in the reference group, "
      "by sex, migrant status and type of incapacity.",
      "Nouveaux cas de lésions professionnelles non mortelles pour 100 000 travailleurs du "
      "groupe de référence, par sexe, statut migratoire et type d'incapacité.",
      "RT100K", ilo="SDG_N881_SEX_MIG_RT", sdg="8.8.1", dwi="SAFE(A)"),
    I("LAI_INDE_RT", "C", "Labour inspectors per 10 000 employed persons",
      "Inspecteurs du travail pour 10 000 actifs occupés",
      "Labour inspectors in post relative to employment.",
      "Inspecteurs du travail en poste rapportés à l'emploi.",
      "RT10K", ilo="LAI_INDE_NOC_RT", dwi="SAFE(A)"),
    I("ILR_TUMT_RT", "C", "Trade union density rate", "Taux de syndicalisation",
      "Trade union members among employees, as a percentage of employees.",
      "Salariés membres d'un syndicat en pourcentage des salariés.",
      "PT", ilo="ILR_TUMT_NOC_RT", dwi="DIAL(M)"),
    I("ILR_CBCT_RT", "C", "Collective bargaining coverage rate",
      "Taux de couverture des conventions collectives",
      "Employees covered by collective agreements, as a percentage of employees.",
      "Salariés couverts par une convention collective, en pourcentage des salariés.",
      "PT", ilo="measure ILR_CBCT_RT", dwi="DIAL(M)"),
    I("SDG_0882_RT", "C",
      "Level of national compliance with labour rights (freedom of association and collective "
      "bargaining)",
      "Niveau de conformité nationale aux droits du travail (liberté syndicale et négociation "
      "collective)",
      "ILO score computed from textual sources, from 0 (best) to 10 (worst); imported from "
      "ILO.",
      "Score du BIT calculé à partir de sources textuelles, de 0 (meilleur) à 10 (pire) ; "
      "importé du BIT.",
      "IDX", ilo="SDG_0882_NOC_RT", sdg="8.8.2"),
    I("SOC_CEAP_RT", "C", "Active contributors to a pension scheme",
      "Cotisants actifs à un régime de retraite",
      "Active contributors to pension schemes (CNSS, CMR, RCAR) as a percentage of the labour "
      "force.",
      "Cotisants actifs aux régimes de retraite (CNSS, CMR, RCAR) en pourcentage de la "
      "population active.",
      "PT", ilo="SOC_CEAP_RT", dwi="SECU(A)"),
    # D. Administrative labour-market registers (national-only codes)
    I("MA_JSK_REG_NB", "D", "Registered jobseekers", "Demandeurs d'emploi inscrits",
      "Persons on ANAPEC's register of jobseekers at the end of the period; not ILO "
      "unemployment.",
      "Personnes inscrites au registre des demandeurs d'emploi de l'ANAPEC en fin de période ; "
      "ne correspond pas au chômage au sens du BIT.",
      "PS"),
    I("MA_JSK_NEW_NB", "D", "New jobseeker registrations",
      "Nouvelles inscriptions de demandeurs d'emploi",
      "Registrations of jobseekers at ANAPEC during the period.",
      "Inscriptions de demandeurs d'emploi à l'ANAPEC au cours de la période.",
      "PS"),
    I("MA_VAC_REG_NB", "D", "Vacancies received", "Offres d'emploi reçues",
      "Job offers registered by ANAPEC during the period.",
      "Offres d'emploi enregistrées par l'ANAPEC au cours de la période.",
      "JS"),
    I("MA_PLC_NB", "D", "Placements", "Insertions",
      "Jobseekers placed in employment by ANAPEC during the period, in Morocco and abroad; "
      "placements abroad by destination country are reported as MNA_OEMP_NB.",
      "Demandeurs d'emploi insérés par l'ANAPEC au cours de la période, au Maroc et à "
      "l'étranger ; les insertions à l'étranger par pays de destination sont déclarées sous "
      "MNA_OEMP_NB.",
      "PS"),
    I("MA_CNSS_EES_NB", "D", "Employees declared to CNSS", "Salariés déclarés à la CNSS",
      "Distinct employees with at least one declared day in the period (or monthly average).",
      "Salariés distincts ayant au moins un jour déclaré dans la période (ou moyenne "
      "mensuelle).",
      "PS"),
    I("MA_CNSS_WAGE_NB", "D", "Average declared monthly wage", "Salaire mensuel moyen déclaré",
      "Declared wages per employee-month; wages are declared up to the pension contribution "
      "ceiling (6 000 MAD), which biases the mean downwards.",
      "Salaires déclarés par mois-salarié ; les salaires sont déclarés dans la limite du "
      "plafond de cotisation retraite (6 000 MAD), ce qui biaise la moyenne à la baisse.",
      "MAD"),
    # E. Labour migration
    I("MST_NCTE_NB", "E", "Employed non-citizens (migrant workers)", "Étrangers actifs occupés",
      "Foreign citizens aged 15 and over employed in Morocco (usual residents): the employed "
      "part of the 20th ICLS international migrant workers.",
      "Étrangers âgés de 15 ans et plus occupés au Maroc (résidents habituels) : composante "
      "occupée des travailleurs migrants internationaux de la 20e CIST.",
      "PS", ilo="MST_NCTE_SEX_CCT_NB"),
    I("MST_TEAP_RT", "E", "Labour force participation rate by citizenship",
      "Taux d'activité selon la nationalité",
      "Labour force participation rate computed separately for citizens and non-citizens.",
      "Taux d'activité calculé séparément pour les Marocains et les étrangers.",
      "PT", ilo="MST_TEAP_SEX_AGE_CCT_RT"),
    I("MST_TUNE_RT", "E", "Unemployment rate by citizenship",
      "Taux de chômage selon la nationalité",
      "Unemployment rate computed separately for citizens and non-citizens.",
      "Taux de chômage calculé séparément pour les Marocains et les étrangers.",
      "PT", ilo="MST_TUNE_SEX_AGE_CCT_RT"),
    I("MA_MIG_EMP_SH", "E", "Share of foreign workers in employment",
      "Part des étrangers dans l'emploi",
      "Employed non-citizens as a percentage of total employment.",
      "Étrangers actifs occupés en pourcentage de l'emploi total.",
      "PT", ilo="derived from MST_NCTE_NB and EMP_TEMP_NB"),
    I("MA_CNSS_FRN_NB", "E", "Foreign employees declared to CNSS",
      "Salariés étrangers déclarés à la CNSS",
      "Declared employees of foreign nationality, by country of citizenship.",
      "Salariés déclarés de nationalité étrangère, par pays de nationalité.",
      "PS", ilo="proxy for MST_NCTE_NB"),
    I("MA_WKP_APR_NB", "E", "Foreign employment contracts approved",
      "Contrats de travail d'étrangers visés",
      "Employment contracts of foreign workers approved (visa) by the ministry in charge of "
      "employment; first-time contracts and renewals are distinguished.",
      "Contrats de travail de salariés étrangers visés par le ministère chargé de l'emploi ; "
      "les premiers contrats et les renouvellements sont distingués.",
      "PS", ilo="proxy for MFL_NEMP_NB (first-time contracts only)"),
    I("MA_RES_VALID_NB", "E", "Foreigners holding a valid residence permit",
      "Étrangers titulaires d'un titre de séjour en cours de validité",
      "Stock at 31 December, by nationality and reason for the permit.",
      "Effectif au 31 décembre, par nationalité et motif du titre.",
      "PS", ilo="ILMS stock (administrative source)"),
    I("MA_RES_NEW_NB", "E", "First residence permits issued", "Premiers titres de séjour délivrés",
      "First residence permits issued in the year, by reason (reason WORK gives an inflow for "
      "work).",
      "Premiers titres de séjour délivrés dans l'année, par motif (le motif WORK donne un flux "
      "d'entrée pour le travail).",
      "PS", ilo="proxy for MFL_NCIT_NB"),
    I("MA_BRD_ARR_NB", "E", "Border arrivals of non-residents",
      "Entrées d'étrangers aux frontières",
      "Entries of foreigners at border posts, by nationality; a context series, not a measure "
      "of migration.",
      "Entrées d'étrangers aux postes frontières, par nationalité ; série de contexte, qui ne "
      "mesure pas la migration.",
      "PS"),
    I("MNA_TPOP_NB", "E", "Moroccans abroad (consular registrations)",
      "Marocains immatriculés à l'étranger",
      "Nationals registered with Moroccan consulates, by country of residence; registers "
      "overcount (no de-registration, descendants, dual nationals).",
      "Ressortissants immatriculés auprès des consulats du Maroc, par pays de résidence ; les "
      "registres surestiment (pas de radiation, descendants, binationaux).",
      "PS", ilo="MNA_TPOP_SEX_CRS_NB"),
    I("MNA_OEMP_NB", "E", "Outflow of nationals for employment",
      "Sorties de Marocains pour l'emploi",
      "Nationals leaving to work abroad (organised placements, approved contracts, survey "
      "estimates), by country of destination, activity and occupation: the 20th ICLS for-work "
      "international migrants.",
      "Ressortissants partant travailler à l'étranger (placements organisés, contrats visés, "
      "estimations d'enquête), par pays de destination, activité et profession : migrants "
      "internationaux pour le travail au sens de la 20e CIST.",
      "PS", ilo="MNA_OEMP_SEX_CDS_NB"),
    I("MNA_XRET_NB", "E", "Return migrants", "Migrants de retour",
      "Nationals returned after at least 12 months abroad, by country of previous residence: "
      "the 20th ICLS return international migrant workers.",
      "Ressortissants revenus après au moins 12 mois à l'étranger, par pays de résidence "
      "antérieure : travailleurs migrants internationaux de retour au sens de la 20e CIST.",
      "PS", ilo="MNA_XRET_SEX_CPR_NB"),
    I("MA_RMT_INF_VAL", "E", "Remittances of Moroccans abroad",
      "Transferts des Marocains résidant à l'étranger",
      "Balance-of-payments personal transfers received (plus compensation of employees where "
      "published), by sending country where available.",
      "Transferts personnels reçus de la balance des paiements (plus la rémunération des "
      "salariés lorsqu'elle est publiée), par pays d'envoi lorsqu'il est connu.",
      "MAD", "6"),
    I("SDG_1732_RT", "E", "Remittances as a percentage of GDP",
      "Transferts de fonds en pourcentage du PIB",
      "Remittance inflows in US dollars as a percentage of GDP in US dollars.",
      "Transferts de fonds reçus en dollars des États-Unis en pourcentage du PIB en dollars.",
      "PT", sdg="17.3.2"),
    I("SDG_1071_RT", "E", "Recruitment cost indicator", "Indicateur du coût de recrutement",
      "Recruitment costs paid by a migrant worker relative to the monthly earnings of the first "
      "job abroad (same worker in numerator and denominator), averaged over recent migrant "
      "workers.",
      "Coûts de recrutement payés par un travailleur migrant rapportés aux gains mensuels de "
      "son premier emploi à l'étranger (même travailleur au numérateur et au dénominateur), en "
      "moyenne sur les travailleurs migrants récents.",
      "MONTHS", sdg="10.7.1"),
)  # fmt: skip

BY_ID: dict[str, Indicator] = {i.id: i for i in INDICATORS}


def cl_measure() -> v21.Codelist:
    codes = []
    for ind in INDICATORS:
        anns = [annotation("UNIT_MEASURE", ind.unit), annotation("UNIT_MULT", ind.mult)]
        if ind.ilo:
            anns.append(annotation("ILO_INDICATOR", ind.ilo))
        if ind.sdg:
            anns.append(annotation("SDG_INDICATOR", ind.sdg))
        if ind.dwi:
            anns.append(annotation("DWI", ind.dwi))
        codes.append(
            code(
                ind.id,
                ind.en,
                ind.fr,
                description=text(ind.def_en, ind.def_fr),
                annotations=anns,
            )
        )
    return codelist(
        "CL_MEASURE_MA",
        text("Indicator", "Indicateur"),
        codes,
        description=text(
            "Indicators of the Morocco LMIS: ILOSTAT MEASURE codes where the ILO concept is the "
            "same, MA_ prefix for national-only indicators. Annotations UNIT_MEASURE and "
            "UNIT_MULT give the unit every observation of the indicator carries.",
            "Indicateurs du SIMT du Maroc : codes MEASURE d'ILOSTAT lorsque le concept du BIT "
            "est le même, préfixe MA_ pour les indicateurs nationaux. Les annotations "
            "UNIT_MEASURE et UNIT_MULT donnent l'unité de toutes les observations de "
            "l'indicateur.",
        ),
    )


def artefacts() -> list[v21.Codelist]:
    return [cl_measure()]
