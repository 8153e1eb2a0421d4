"""Concept schemes: ``MA.HCP:CS_LMIS(1.0)`` (DOMAIN.md §3) and ``MA.HCP:CS_LMIS_META(1.0)``, the
concepts of the reference-metadata structure (DOMAIN §7).

Concept ids reuse the SDMX cross-domain ids (REF_AREA, FREQ, OBS_STATUS…) and ILOSTAT's ids
(MEASURE, SEX, AGE, ECO…). Each concept's core representation is the codelist or text format of
DOMAIN §3; a DSD component may narrow it locally.
"""

from __future__ import annotations

from collections.abc import Mapping

from sdmx.model import common, v21

from .common import maintainable_kw, text

FVT = common.FacetValueType

#: Maximum length of the ILO note attributes (ILO:IMF_ILOSTAT MAXTEXTATTRIBUTELENGTH).
NOTE_MAX_LENGTH = 1024


def facet(value_type, max_length: int | None = None) -> common.Representation:
    ft = common.FacetType(max_length=max_length) if max_length else common.FacetType()
    return common.Representation(non_enumerated=[common.Facet(type=ft, value_type=value_type)])


def enum(cl: common.Codelist) -> common.Representation:
    return common.Representation(enumerated=cl)


#: CS_LMIS: (id, EN, FR, representation key) — a codelist id, or one of the facet keys below.
LMIS_CONCEPTS = (
    ("REF_AREA", "Reference area", "Zone de référence", "CL_AREA_MA"),
    ("FREQ", "Frequency", "Fréquence", "CL_FREQ_MA"),
    ("MEASURE", "Indicator", "Indicateur", "CL_MEASURE_MA"),
    ("SEX", "Sex", "Sexe", "CL_SEX_MA"),
    ("AGE", "Age group", "Tranche d'âge", "CL_AGE_MA"),
    ("GEO", "Area type (urban / rural)", "Milieu de résidence", "CL_GEO_MA"),
    ("EDU", "Level of education", "Niveau d'instruction", "CL_EDU_MA"),
    ("ECO", "Economic activity", "Activité économique", "CL_ECO_MA"),
    ("OCU", "Occupation", "Profession", "CL_OCU_MA"),
    ("STE", "Status in employment", "Situation dans la profession", "CL_STE_MA"),
    ("INS", "Institutional sector", "Secteur institutionnel", "CL_INS_MA"),
    ("DSB", "Disability status", "Situation de handicap", "CL_DSB_MA"),
    ("MIG", "Migrant and citizenship status", "Statut migratoire", "CL_MIG_MA"),
    ("MIGR_BASIS", "Basis of the counterpart country", "Critère du pays partenaire",
     "CL_MIGR_BASIS_MA"),
    ("COUNTERPART_AREA", "Counterpart country", "Pays partenaire", "CL_COUNTRY_MA"),
    ("MIGR_REASON", "Reason for migration or residence permit",
     "Motif de la migration ou du titre de séjour", "CL_MIGR_REASON_MA"),
    ("TIME_PERIOD", "Time period", "Période", "time"),
    ("OBS_VALUE", "Observation value", "Valeur de l'observation", "double"),
    ("OBS_STATUS", "Observation status", "Statut de l'observation", "CL_OBS_STATUS"),
    ("CONF_STATUS", "Confidentiality status", "Statut de confidentialité", "CL_CONF_STATUS"),
    ("UNIT_MEASURE", "Unit of measure", "Unité de mesure", "CL_UNIT_MEASURE_MA"),
    ("UNIT_MULT", "Unit multiplier", "Multiplicateur d'unité", "CL_UNIT_MULT"),
    ("DECIMALS", "Decimals", "Décimales", "CL_DECIMALS"),
    ("SOURCE", "Data source", "Source des données", "CL_SOURCE_MA"),
    ("NOTE_SOURCE", "Note on the source", "Note sur la source", "note"),
    ("NOTE_INDICATOR", "Note on the indicator", "Note sur l'indicateur", "note"),
    ("NOTE_CLASSIF", "Note on the classification", "Note sur la classification", "note"),
    ("COMMENT", "Observation comment", "Commentaire sur l'observation", "string"),
    ("UPPER_BOUND", "Upper bound of the 95% confidence interval",
     "Borne supérieure de l'intervalle de confiance à 95 %", "double"),
    ("LOWER_BOUND", "Lower bound of the 95% confidence interval",
     "Borne inférieure de l'intervalle de confiance à 95 %", "double"),
    ("EMBARGO_TIME", "Embargo time", "Date et heure d'embargo", "datetime"),
    ("UNIT_MEASURE_TYPE", "Unit of measure type", "Nature de l'unité de mesure",
     "CL_UNIT_MEASURE_TYPE"),
)  # fmt: skip

#: Descriptions for the concepts whose name alone is not enough.
LMIS_DESCRIPTIONS = {
    "MEASURE": (
        "The indicator observed (CL_MEASURE_MA); it fixes the unit of measure.",
        "L'indicateur observé (CL_MEASURE_MA) ; il détermine l'unité de mesure.",
    ),
    "MIGR_BASIS": (
        "What the counterpart country is for the persons counted: country of citizenship, of "
        "birth, of residence, of destination or of previous residence.",
        "Ce qu'est le pays partenaire pour les personnes comptées : pays de nationalité, de "
        "naissance, de résidence, de destination ou de résidence antérieure.",
    ),
    "COUNTERPART_AREA": (
        "The other country of a migration or remittance observation; its meaning is given by "
        "MIGR_BASIS.",
        "L'autre pays d'une observation de migration ou de transferts ; son sens est donné par "
        "MIGR_BASIS.",
    ),
    "SOURCE": (
        "Coded data source; ILOSTAT's free-text SOURCE receives the code's label.",
        "Source codée ; le SOURCE en texte libre d'ILOSTAT reçoit le libellé du code.",
    ),
    "UNIT_MEASURE_TYPE": (
        "Number, rate, index, distribution or growth rate; used only for the ILO export.",
        "Nombre, taux, indice, répartition ou taux de croissance ; utilisé seulement pour "
        "l'export vers le BIT.",
    ),
}

#: CS_LMIS_META (DOMAIN §7): (id, EN, FR). UNIT_MULT is reused from CS_LMIS.
META_CONCEPTS = (
    ("DEFINITION", "Definition", "Définition"),
    ("CALCULATION_METHOD", "Calculation method", "Méthode de calcul"),
    ("FORMULA", "Formula (VTL expression)", "Formule (expression VTL)"),
    ("UNIT", "Unit of measure", "Unité de mesure"),
    ("PERIODICITY", "Periodicity", "Périodicité"),
    ("DATA_SOURCE", "Data source", "Source des données"),
    ("SOURCE_INSTITUTION", "Source institution", "Institution source"),
    ("DISAGGREGATION", "Available disaggregations", "Ventilations disponibles"),
    ("INT_STANDARD", "International standards", "Normes internationales"),
    ("NATIONAL_DEVIATION", "Deviations from international standards",
     "Écarts par rapport aux normes internationales"),
    ("LIMITATIONS", "Limitations and recommended use", "Limites et usage recommandé"),
    ("SDG_INDICATOR", "SDG indicator", "Indicateur ODD"),
    ("DWI_ELEMENT", "Decent work element", "Élément du travail décent"),
    ("ILO_INDICATOR", "ILOSTAT indicator", "Indicateur ILOSTAT"),
    ("REF_PERIOD", "Reference period", "Période de référence"),
    ("RELEASE_CALENDAR", "Release calendar", "Calendrier de diffusion"),
    ("LEGAL_MANDATE", "Legal mandate", "Mandat légal"),
    ("CONTACT_ORGANISATION", "Contact organisation", "Organisation de contact"),
    ("CONTACT_EMAIL", "Contact e-mail", "Courriel de contact"),
    ("META_LAST_UPDATE", "Metadata last update", "Dernière mise à jour des métadonnées"),
)  # fmt: skip


def _representation(key: str, codelists: Mapping[str, common.Codelist]) -> common.Representation:
    if key in codelists:
        return enum(codelists[key])
    return {
        "time": lambda: facet(FVT.observationalTimePeriod),
        "double": lambda: facet(FVT.double),
        "string": lambda: facet(FVT.string),
        "note": lambda: facet(FVT.string, NOTE_MAX_LENGTH),
        "datetime": lambda: facet(FVT.dateTime),
    }[key]()


def cs_lmis(codelists: Mapping[str, common.Codelist]) -> v21.ConceptScheme:
    cs = v21.ConceptScheme(
        **maintainable_kw(
            "CS_LMIS",
            text(
                "Concepts of the Morocco labour market information system",
                "Concepts du système d'information sur le marché du travail du Maroc",
            ),
            description=text(
                "Dimensions, measure and attributes of the LMIS data structures. Ids follow "
                "the SDMX cross-domain concepts and ILOSTAT.",
                "Dimensions, mesure et attributs des structures de données du SIMT. Les "
                "identifiants suivent les concepts transversaux SDMX et ILOSTAT.",
            ),
        )
    )
    for id_, en, fr, rep in LMIS_CONCEPTS:
        desc = LMIS_DESCRIPTIONS.get(id_)
        kw = {"description": text(*desc)} if desc else {}
        concept = v21.Concept(id=id_, name=text(en, fr), **kw)
        # sdmx1 2.28: Concept is not a dataclass, core_representation is set afterwards.
        concept.core_representation = _representation(rep, codelists)
        cs.append(concept)
    return cs


def cs_lmis_meta() -> v21.ConceptScheme:
    cs = v21.ConceptScheme(
        **maintainable_kw(
            "CS_LMIS_META",
            text(
                "Reference metadata concepts of the Morocco LMIS indicators",
                "Concepts des métadonnées de référence des indicateurs du SIMT du Maroc",
            ),
            description=text(
                "Concepts of MSD_LMIS_IND; their representations are set in the MSD.",
                "Concepts de MSD_LMIS_IND ; leurs représentations sont fixées dans la MSD.",
            ),
        )
    )
    for id_, en, fr in META_CONCEPTS:
        cs.append(v21.Concept(id=id_, name=text(en, fr)))
    return cs
