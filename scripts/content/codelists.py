"""Codelists of DOMAIN.md §5 (except the country list, see countries.py, and the indicator list,
see indicators.py), with their real codes and labels.

Code ids follow ILOSTAT where an ILO list exists (``SEX_T``, ``AGE_YTHADULT_YGE15``,
``ECO_ISIC4_C``, …) so that the ILO export needs only the mappings of DOMAIN §1.7; the SDMX
cross-domain lists (observation status, confidentiality, unit multiplier, decimals) keep the SDMX
codes. Items added nationally carry a ``NATIONAL`` annotation.

Annotation types used here (documented in README.md): ``NATIONAL``, ``SDMX_CODE``, ``ILO_CODE``,
``BASIS``, ``NATIONAL_CODE``, ``ISO2Code``, ``M49Code``, ``INSTITUTION``, ``ILO_SOURCE_TYPE``.
"""

from __future__ import annotations

import re

from sdmx.model import v21

from .common import annotation, code, codelist, text

T_EN, T_FR = "Total", "Total"
Z = ("_Z", "Not applicable", "Sans objet")


def national(en: str, fr: str) -> v21.Annotation:
    """Marks an item added nationally (not in the ILO or SDMX list it extends)."""
    return annotation("NATIONAL", en=en, fr=fr)


# --- SDMX cross-domain lists (DOMAIN §5.1) -------------------------------------------------------


def cl_freq() -> v21.Codelist:
    return codelist(
        "CL_FREQ_MA",
        text("Frequency", "Fréquence"),
        [
            code("A", "Annual", "Annuel"),
            code("S", "Half-yearly, semester", "Semestriel"),
            code("Q", "Quarterly", "Trimestriel"),
            code("M", "Monthly", "Mensuel"),
        ],
        description=text(
            "Subset of SDMX CL_FREQ 2.1. A, S, Q and M mean the same in SDMX and ILOSTAT; the "
            "multi-year and other codes differ between the two lists and are not used nationally.",
            "Sous-ensemble de SDMX CL_FREQ 2.1. A, S, Q et M ont le même sens dans SDMX et "
            "ILOSTAT ; les autres codes diffèrent entre les deux listes et ne sont pas utilisés.",
        ),
    )


def cl_sex() -> v21.Codelist:
    def c(id_, en, fr, sdmx_code):
        return code(id_, en, fr, annotations=[annotation("SDMX_CODE", sdmx_code)])

    return codelist(
        "CL_SEX_MA",
        text("Sex", "Sexe"),
        [
            c("SEX_T", T_EN, T_FR, "_T"),
            c("SEX_M", "Male", "Hommes", "M"),
            c("SEX_F", "Female", "Femmes", "F"),
            c(*Z, "_Z"),
        ],
        description=text(
            "ILOSTAT code ids; the SDMX_CODE annotation gives the SDMX CL_SEX code.",
            "Codes d'ILOSTAT ; l'annotation SDMX_CODE donne le code de SDMX CL_SEX.",
        ),
    )


#: SDMX CL_OBS_STATUS 2.2: (code, EN, FR, ILO export code or None).
OBS_STATUS = (
    ("A", "Normal value", "Valeur normale", "R"),
    ("B", "Time series break", "Rupture de série", "B"),
    ("D", "Definition differs", "Définition différente", None),
    ("E", "Estimated value", "Valeur estimée", "E"),
    ("F", "Forecast value", "Valeur prévisionnelle", "F"),
    ("G", "Experimental value", "Valeur expérimentale", None),
    ("I", "Imputed value", "Valeur imputée", "I"),
    ("K", "Data included in another category", "Données incluses dans une autre catégorie", None),
    ("W", "Includes data from another category", "Inclut des données d'une autre catégorie", None),
    ("O", "Missing value", "Valeur manquante", "N"),
    ("M", "Missing value; data cannot exist", "Valeur manquante ; donnée inexistante", "X"),
    ("P", "Provisional value", "Valeur provisoire", "P"),
    ("S", "Strike and other special events", "Grève ou autre événement particulier", None),
    (
        "L",
        "Missing value; data exist but were not collected",
        "Valeur manquante ; la donnée existe mais n'a pas été collectée",
        "N",
    ),
    ("H", "Missing value; holiday or weekend", "Valeur manquante ; jour férié ou week-end", None),
    ("Q", "Missing value; suppressed", "Valeur manquante ; supprimée", "C"),
    ("J", "Derogation", "Dérogation", None),
    ("N", "Not significant", "Non significatif", "S"),
    ("U", "Low reliability", "Fiabilité faible", "U"),
    ("V", "Unvalidated value", "Valeur non validée", None),
)


def cl_obs_status() -> v21.Codelist:
    codes = []
    for id_, en, fr, ilo in OBS_STATUS:
        anns = [annotation("ILO_CODE", ilo)] if ilo else []
        codes.append(code(id_, en, fr, annotations=anns))
    return codelist(
        "CL_OBS_STATUS",
        text("Observation status", "Statut de l'observation"),
        codes,
        description=text(
            "National copy of SDMX CL_OBS_STATUS 2.2 (SDMX codes, not ILO codes). The ILO_CODE "
            "annotation gives the ILOSTAT code used on export; codes without it are exported "
            "as a note.",
            "Copie nationale de SDMX CL_OBS_STATUS 2.2 (codes SDMX et non codes du BIT). "
            "L'annotation ILO_CODE donne le code ILOSTAT utilisé à l'export ; les codes qui "
            "n'en ont pas sont exportés sous forme de note.",
        ),
    )


def cl_conf_status() -> v21.Codelist:
    return codelist(
        "CL_CONF_STATUS",
        text("Confidentiality status", "Statut de confidentialité"),
        [
            code("F", "Free", "Libre"),
            code(
                "N",
                "Not for publication, restricted for internal use only",
                "Non publiable, réservé à un usage interne",
            ),
            code(
                "C",
                "Confidential statistical information",
                "Information statistique confidentielle",
            ),
            code(
                "D",
                "Secondary confidentiality set by the sender, not for publication",
                "Confidentialité secondaire fixée par l'émetteur, non publiable",
            ),
            code(
                "S",
                "Secondary confidentiality set by the receiver, not for publication",
                "Confidentialité secondaire fixée par le destinataire, non publiable",
            ),
            code(
                "A",
                "Primary confidentiality due to small counts",
                "Confidentialité primaire : effectifs trop faibles",
            ),
            code(
                "O",
                "Primary confidentiality due to dominance by one unit",
                "Confidentialité primaire : dominance d'une unité",
            ),
            code(
                "T",
                "Primary confidentiality due to dominance by two units",
                "Confidentialité primaire : dominance de deux unités",
            ),
            code(
                "G",
                "Primary confidentiality due to dominance by one or two units",
                "Confidentialité primaire : dominance d'une ou deux unités",
            ),
            code(
                "M",
                "Primary confidentiality due to other measures of concentration",
                "Confidentialité primaire : autres mesures de concentration",
            ),
            code("E", "Embargoed", "Sous embargo"),
        ],
        description=text(
            "National copy of the SDMX confidentiality status list.",
            "Copie nationale de la liste SDMX des statuts de confidentialité.",
        ),
    )


def cl_unit_mult() -> v21.Codelist:
    return codelist(
        "CL_UNIT_MULT",
        text("Unit multiplier", "Multiplicateur d'unité"),
        [
            code("0", "Units", "Unités"),
            code("3", "Thousands", "Milliers"),
            code("6", "Millions", "Millions"),
            code("9", "Billions", "Milliards"),
        ],
        description=text(
            "Subset of SDMX CL_UNIT_MULT (power of 10). HCP publishes survey counts in "
            "thousands (3).",
            "Sous-ensemble de SDMX CL_UNIT_MULT (puissance de 10). Le HCP publie les effectifs "
            "d'enquête en milliers (3).",
        ),
    )


_NUMBERS_EN = (
    "Zero", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine", "Ten",
    "Eleven", "Twelve", "Thirteen", "Fourteen", "Fifteen",
)  # fmt: skip
_NUMBERS_FR = (
    "Zéro", "Un", "Deux", "Trois", "Quatre", "Cinq", "Six", "Sept", "Huit", "Neuf", "Dix",
    "Onze", "Douze", "Treize", "Quatorze", "Quinze",
)  # fmt: skip


def cl_decimals() -> v21.Codelist:
    return codelist(
        "CL_DECIMALS",
        text("Decimals", "Décimales"),
        [code(str(i), _NUMBERS_EN[i], _NUMBERS_FR[i]) for i in range(16)],
        description=text(
            "Number of decimals published (SDMX CL_DECIMALS, 0 to 15).",
            "Nombre de décimales publiées (SDMX CL_DECIMALS, 0 à 15).",
        ),
    )


# --- Reference areas (DOMAIN §5.2) ---------------------------------------------------------------

#: (code, national code, name FR, name EN, name AR, chef-lieu FR, chef-lieu EN)
REGIONS = (
    ("MA-01", "01", "Tanger-Tétouan-Al Hoceïma", "Tangier-Tetouan-Al Hoceima",
     "طنجة تطوان الحسيمة", "Tanger", "Tangier"),
    ("MA-02", "02", "L'Oriental", "Oriental", "الشرق", "Oujda", "Oujda"),
    ("MA-03", "03", "Fès-Meknès", "Fez-Meknes", "فاس مكناس", "Fès", "Fez"),
    ("MA-04", "04", "Rabat-Salé-Kénitra", "Rabat-Sale-Kenitra", "الرباط سلا القنيطرة",
     "Rabat", "Rabat"),
    ("MA-05", "05", "Béni Mellal-Khénifra", "Beni Mellal-Khenifra", "بني ملال خنيفرة",
     "Béni Mellal", "Beni Mellal"),
    ("MA-06", "06", "Casablanca-Settat", "Casablanca-Settat", "الدار البيضاء سطات",
     "Casablanca", "Casablanca"),
    ("MA-07", "07", "Marrakech-Safi", "Marrakesh-Safi", "مراكش آسفي", "Marrakech", "Marrakesh"),
    ("MA-08", "08", "Drâa-Tafilalet", "Draa-Tafilalet", "درعة تافيلالت",
     "Errachidia", "Errachidia"),
    ("MA-09", "09", "Souss-Massa", "Souss-Massa", "سوس ماسة", "Agadir", "Agadir"),
    ("MA-10", "10", "Guelmim-Oued Noun", "Guelmim-Oued Noun", "كلميم واد نون",
     "Guelmim", "Guelmim"),
    ("MA-11", "11", "Laâyoune-Sakia El Hamra", "Laayoune-Sakia El Hamra",
     "العيون الساقية الحمراء", "Laâyoune", "Laayoune"),
    ("MA-12", "12", "Dakhla-Oued Ed-Dahab", "Dakhla-Oued Ed-Dahab", "الداخلة وادي الذهب",
     "Dakhla", "Dakhla"),
)  # fmt: skip


def cl_area() -> v21.Codelist:
    codes = [
        code(
            "MAR",
            "Morocco",
            "Royaume du Maroc",
            "المغرب",
            description=text(
                "National level. Capital: Rabat.", "Niveau national. Capitale : Rabat."
            ),
            annotations=[annotation("ISO2Code", "MA"), annotation("M49Code", "504")],
        )
    ]
    for id_, nat, fr, en, ar, seat_fr, seat_en in REGIONS:
        codes.append(
            code(
                id_,
                en,
                fr,
                ar,
                description=text(
                    f"Region; administrative seat: {seat_en}.", f"Région ; chef-lieu : {seat_fr}."
                ),
                annotations=[annotation("NATIONAL_CODE", nat)],
                parent="MAR",
            )
        )
    return codelist(
        "CL_AREA_MA",
        text("Reference area: Morocco and its regions", "Zone de référence : Maroc et ses régions"),
        codes,
        description=text(
            "MAR (ISO 3166-1 alpha-3) and the 12 regions of the 2015 division (décret "
            "n° 2-15-40), coded as ISO 3166-2 MA-01 to MA-12 in the order of the official "
            "regional codes 01 to 12 (NATIONAL_CODE annotation). Official French names; the "
            "2015 change from 16 to 12 regions is a break in regional series (OBS_STATUS = B).",
            "MAR (ISO 3166-1 alpha-3) et les 12 régions du découpage de 2015 (décret "
            "n° 2-15-40), codées ISO 3166-2 MA-01 à MA-12 dans l'ordre des codes régionaux "
            "officiels 01 à 12 (annotation NATIONAL_CODE). Noms officiels ; le passage de 16 à "
            "12 régions en 2015 est une rupture des séries régionales (OBS_STATUS = B).",
        ),
    )


# --- Age (DOMAIN §5.3) ---------------------------------------------------------------------------

_AGE_FAMILIES = {
    "YTHADULT": ("Age (youth, adults)", "Âge (jeunes, adultes)"),
    "YTHBANDS": ("Age (youth bands)", "Âge (tranches des jeunes)"),
    "10YRBANDS": ("Age (10-year bands)", "Âge (tranches décennales)"),
    "AGGREGATE": ("Age (aggregate bands)", "Âge (grandes tranches)"),
    "5YRBANDS": ("Age (5-year bands)", "Âge (tranches quinquennales)"),
    "CLDVERSION": ("Age (child labour bands)", "Âge (tranches du travail des enfants)"),
    "MA": ("Age (national bands)", "Âge (tranches nationales)"),
}

#: Codes in list order; national items last (DOMAIN §5.3).
AGE_CODES = (
    "AGE_YTHADULT_YGE15", "AGE_YTHADULT_Y15-64", "AGE_YTHADULT_Y15-24", "AGE_YTHADULT_YGE25",
    "AGE_YTHBANDS_Y15-29", "AGE_YTHBANDS_Y15-19", "AGE_YTHBANDS_Y20-24", "AGE_YTHBANDS_Y25-29",
    "AGE_10YRBANDS_Y15-24", "AGE_10YRBANDS_Y25-34", "AGE_10YRBANDS_Y35-44",
    "AGE_10YRBANDS_Y45-54", "AGE_10YRBANDS_Y55-64", "AGE_10YRBANDS_YGE65",
    "AGE_AGGREGATE_TOTAL", "AGE_AGGREGATE_YLT15", "AGE_AGGREGATE_Y15-24", "AGE_AGGREGATE_Y25-54",
    "AGE_AGGREGATE_Y55-64", "AGE_AGGREGATE_YGE65",
    "AGE_5YRBANDS_TOTAL", "AGE_5YRBANDS_Y00-04", "AGE_5YRBANDS_Y05-09", "AGE_5YRBANDS_Y10-14",
    "AGE_5YRBANDS_Y15-19",
    "AGE_5YRBANDS_Y20-24", "AGE_5YRBANDS_Y25-29", "AGE_5YRBANDS_Y30-34", "AGE_5YRBANDS_Y35-39",
    "AGE_5YRBANDS_Y40-44", "AGE_5YRBANDS_Y45-49", "AGE_5YRBANDS_Y50-54", "AGE_5YRBANDS_Y55-59",
    "AGE_5YRBANDS_Y60-64", "AGE_5YRBANDS_YGE65",
    "AGE_CLDVERSION_Y5-17", "AGE_CLDVERSION_Y5-11", "AGE_CLDVERSION_Y12-14",
    "AGE_CLDVERSION_Y15-17",
    "AGE_MA_YGE45", "AGE_MA_Y07-17", "AGE_MA_Y15-34",
)  # fmt: skip

#: SDMX cross-domain (COG) equivalents given in DOMAIN §5.3.
AGE_SDMX = {
    "AGE_YTHADULT_YGE15": "Y_GE15",
    "AGE_YTHADULT_Y15-64": "Y15T64",
    "AGE_YTHADULT_Y15-24": "Y15T24",
    "AGE_YTHADULT_YGE25": "Y_GE25",
    "AGE_YTHBANDS_Y15-29": "Y15T29",
}

AGE_NATIONAL = {
    "AGE_MA_YGE45": (
        "Open-ended band used with 15-24, 25-34 and 35-44 in HCP's ENE tables.",
        "Tranche ouverte utilisée avec 15-24, 25-34 et 35-44 dans les tableaux de l'ENE du HCP.",
    ),
    "AGE_MA_Y07-17": (
        "HCP's child-labour population (7-17 years); not comparable with the SDG 8.7.1 band 5-17.",
        "Population de référence du HCP pour le travail des enfants (7-17 ans) ; non "
        "comparable à la tranche 5-17 ans de l'ODD 8.7.1.",
    ),
    "AGE_MA_Y15-34": (
        "Extended youth band (15-34 years), for NEET rates published on that band.",
        "Tranche des jeunes élargie (15-34 ans), pour les taux de NEET publiés sur cette tranche.",
    ),
}


def _age_range(suffix: str) -> tuple[str, str]:
    """``Y15-24`` → ("15-24", "15-24 ans"); ``YGE65`` → 65+; ``YLT15`` → under 15."""
    if suffix == "TOTAL":
        return "Total, all ages", "Total, tous âges"
    if m := re.fullmatch(r"YGE(\d+)", suffix):
        return f"{int(m[1])}+", f"{int(m[1])} ans et plus"
    if m := re.fullmatch(r"YLT(\d+)", suffix):
        return f"Under {int(m[1])}", f"Moins de {int(m[1])} ans"
    m = re.fullmatch(r"Y(\d+)-(\d+)", suffix)
    assert m, suffix
    lo, hi = int(m[1]), int(m[2])
    return f"{lo}-{hi}", f"{lo}-{hi} ans"


def cl_age() -> v21.Codelist:
    codes = []
    for id_ in AGE_CODES:
        _, family, suffix = id_.split("_", 2)
        fam_en, fam_fr = _AGE_FAMILIES[family]
        r_en, r_fr = _age_range(suffix)
        anns = []
        if id_ in AGE_SDMX:
            anns.append(annotation("SDMX_CODE", AGE_SDMX[id_]))
        if id_ in AGE_NATIONAL:
            anns.append(national(*AGE_NATIONAL[id_]))
        codes.append(code(id_, f"{fam_en}: {r_en}", f"{fam_fr} : {r_fr}", annotations=anns))
    codes.append(code(*Z))
    return codelist(
        "CL_AGE_MA",
        text("Age group", "Tranche d'âge"),
        codes,
        description=text(
            "ILOSTAT age codes <AGE>_<version>_<band>; each version is a separate breakdown. "
            "AGE_YTHADULT_YGE15 (15+) is the total of the labour-force indicators and "
            "AGE_CLDVERSION_Y5-17 the total of the child-labour indicators; "
            "AGE_AGGREGATE_TOTAL and AGE_5YRBANDS_TOTAL cover all ages (e.g. consular "
            "registrations). SDMX_CODE gives the SDMX cross-domain code where one exists.",
            "Codes d'âge d'ILOSTAT <AGE>_<version>_<tranche> ; chaque version est une "
            "ventilation distincte. AGE_YTHADULT_YGE15 (15 ans et plus) est le total des "
            "indicateurs du marché du travail et AGE_CLDVERSION_Y5-17 celui des indicateurs du "
            "travail des enfants ; AGE_AGGREGATE_TOTAL et AGE_5YRBANDS_TOTAL couvrent tous "
            "les âges (par exemple les immatriculations consulaires). SDMX_CODE donne le code "
            "SDMX lorsqu'il existe.",
        ),
    )


# --- Education (DOMAIN §5.4) ---------------------------------------------------------------------


def cl_edu() -> v21.Codelist:
    isced = [
        ("EDU_ISCED11_TOTAL", "Total (ISCED 2011)", "Total (CITE 2011)"),
        ("EDU_ISCED11_X", "No schooling", "Non scolarisé"),
        ("EDU_ISCED11_0", "Early childhood education", "Éducation de la petite enfance"),
        ("EDU_ISCED11_1", "Primary education", "Enseignement primaire"),
        ("EDU_ISCED11_2", "Lower secondary education",
         "Premier cycle de l'enseignement secondaire"),
        ("EDU_ISCED11_3", "Upper secondary education",
         "Deuxième cycle de l'enseignement secondaire"),
        ("EDU_ISCED11_4", "Post-secondary non-tertiary education",
         "Enseignement post-secondaire non supérieur"),
        ("EDU_ISCED11_5", "Short-cycle tertiary education",
         "Enseignement supérieur de cycle court"),
        ("EDU_ISCED11_6", "Bachelor's or equivalent level", "Niveau licence ou équivalent"),
        ("EDU_ISCED11_7", "Master's or equivalent level", "Niveau master ou équivalent"),
        ("EDU_ISCED11_8", "Doctoral or equivalent level", "Niveau doctorat ou équivalent"),
        ("EDU_ISCED11_9", "Not elsewhere classified", "Non classé ailleurs"),
    ]  # fmt: skip
    codes = [code(*row) for row in isced]
    aggregates = [
        ("EDU_AGGREGATE_TOTAL", "Total (aggregate levels)", "Total (niveaux agrégés)", None),
        ("EDU_AGGREGATE_LTB", "Less than basic", "Inférieur au niveau de base",
         ("ISCED 2011: no schooling (X) and level 0.",
          "CITE 2011 : non scolarisé (X) et niveau 0.")),
        ("EDU_AGGREGATE_BAS", "Basic", "Niveau de base",
         ("ISCED 2011 levels 1 and 2.", "CITE 2011, niveaux 1 et 2.")),
        ("EDU_AGGREGATE_INT", "Intermediate", "Niveau intermédiaire",
         ("ISCED 2011 levels 3 and 4.", "CITE 2011, niveaux 3 et 4.")),
        ("EDU_AGGREGATE_ADV", "Advanced", "Niveau avancé",
         ("ISCED 2011 levels 5 to 8.", "CITE 2011, niveaux 5 à 8.")),
        ("EDU_AGGREGATE_X", "Level not stated", "Niveau non déclaré", None),
    ]  # fmt: skip
    for id_, en, fr, desc in aggregates:
        codes.append(code(id_, en, fr, description=text(*desc) if desc else None))
    note = national(
        "HCP diploma grouping; never map one-to-one to the ISCED aggregates (HCP's higher "
        "level includes the baccalauréat, ISCED 3).",
        "Regroupement des diplômes du HCP ; ne jamais l'apparier terme à terme aux niveaux "
        "agrégés de la CITE (le niveau supérieur du HCP inclut le baccalauréat, CITE 3).",
    )
    for id_, en, fr in (
        ("EDU_MA_DIP_NONE", "No diploma", "Sans diplôme"),
        ("EDU_MA_DIP_MOY", "Intermediate-level diploma", "Diplôme de niveau moyen"),
        ("EDU_MA_DIP_SUP", "Higher-level diploma", "Diplôme de niveau supérieur"),
    ):
        codes.append(code(id_, en, fr, annotations=[note]))
    codes.append(code(*Z))
    return codelist(
        "CL_EDU_MA",
        text("Level of education", "Niveau d'instruction"),
        codes,
        description=text(
            "ISCED 2011 levels and ILO aggregate levels (ILOSTAT codes), plus HCP's national "
            "diploma grouping.",
            "Niveaux de la CITE 2011 et niveaux agrégés du BIT (codes ILOSTAT), plus le "
            "regroupement national des diplômes du HCP.",
        ),
    )


# --- Economic activity (DOMAIN §5.5) -------------------------------------------------------------

#: ISIC Rev.4 sections: (letter, EN section title, FR title).
ISIC4 = (
    ("A", "Agriculture, forestry and fishing", "Agriculture, sylviculture et pêche"),
    ("B", "Mining and quarrying", "Activités extractives"),
    ("C", "Manufacturing", "Activités de fabrication"),
    ("D", "Electricity, gas, steam and air conditioning supply",
     "Production et distribution d'électricité, de gaz, de vapeur et d'air conditionné"),
    ("E", "Water supply; sewerage, waste management and remediation activities",
     "Distribution d'eau ; assainissement, gestion des déchets et remise en état"),
    ("F", "Construction", "Construction"),
    ("G", "Wholesale and retail trade; repair of motor vehicles and motorcycles",
     "Commerce de gros et de détail ; réparation de véhicules automobiles et de motocycles"),
    ("H", "Transportation and storage", "Transport et entreposage"),
    ("I", "Accommodation and food service activities", "Hébergement et restauration"),
    ("J", "Information and communication", "Information et communication"),
    ("K", "Financial and insurance activities", "Activités financières et d'assurance"),
    ("L", "Real estate activities", "Activités immobilières"),
    ("M", "Professional, scientific and technical activities",
     "Activités spécialisées, scientifiques et techniques"),
    ("N", "Administrative and support service activities",
     "Activités de services administratifs et de soutien"),
    ("O", "Public administration and defence; compulsory social security",
     "Administration publique et défense ; sécurité sociale obligatoire"),
    ("P", "Education", "Enseignement"),
    ("Q", "Human health and social work activities", "Santé humaine et action sociale"),
    ("R", "Arts, entertainment and recreation", "Arts, spectacles et activités récréatives"),
    ("S", "Other service activities", "Autres activités de services"),
    ("T", "Activities of households as employers; undifferentiated goods- and "
          "services-producing activities of households for own use",
     "Activités des ménages en tant qu'employeurs ; activités indifférenciées des ménages "
     "en tant que producteurs de biens et services pour usage propre"),
    ("U", "Activities of extraterritorial organizations and bodies",
     "Activités des organisations et organismes extraterritoriaux"),
)  # fmt: skip


def cl_eco() -> v21.Codelist:
    codes = [code("ECO_ISIC4_TOTAL", "Total (ISIC Rev.4)", "Total (CITI rév. 4)")]
    codes += [code(f"ECO_ISIC4_{s}", f"{s} - {en}", f"{s} - {fr}") for s, en, fr in ISIC4]
    codes.append(code("ECO_ISIC4_X", "Not elsewhere classified", "Non classé ailleurs"))
    codes += [
        code("ECO_SECTOR_TOTAL", "Total (broad sectors)", "Total (grands secteurs)"),
        code("ECO_SECTOR_AGR", "Agriculture", "Agriculture",
             description=text("ISIC Rev.4 section A.", "Section A de la CITI rév. 4.")),
        code("ECO_SECTOR_NAG", "Non-agriculture", "Non agricole",
             description=text("ISIC Rev.4 sections B to U.", "Sections B à U de la CITI rév. 4.")),
        code("ECO_SECTOR_IND", "Industry", "Industrie",
             description=text("ISIC Rev.4 sections B to F.", "Sections B à F de la CITI rév. 4.")),
        code("ECO_SECTOR_SER", "Services", "Services",
             description=text("ISIC Rev.4 sections G to U.", "Sections G à U de la CITI rév. 4.")),
        code("ECO_SECTOR_X", "Not classified (broad sectors)", "Non classé (grands secteurs)"),
    ]  # fmt: skip
    return codelist(
        "CL_ECO_MA",
        text("Economic activity", "Activité économique"),
        codes,
        description=text(
            "ISIC Rev.4 sections (ILOSTAT codes ECO_ISIC4_*) and broad sectors (ECO_SECTOR_*; "
            "SDG 8.3.1 needs agriculture / non-agriculture). No _Z: an indicator without an "
            "activity breakdown uses ECO_ISIC4_TOTAL.",
            "Sections de la CITI rév. 4 (codes ILOSTAT ECO_ISIC4_*) et grands secteurs "
            "(ECO_SECTOR_* ; l'ODD 8.3.1 distingue agricole et non agricole). Pas de _Z : un "
            "indicateur sans ventilation par activité prend ECO_ISIC4_TOTAL.",
        ),
    )


# --- Occupation (DOMAIN §5.6) --------------------------------------------------------------------

#: ISCO-08 major groups in ILO order (1…9, then 0).
ISCO08 = (
    ("1", "Managers", "Directeurs, cadres de direction et gérants"),
    ("2", "Professionals", "Professions intellectuelles et scientifiques"),
    ("3", "Technicians and associate professionals", "Professions intermédiaires"),
    ("4", "Clerical support workers", "Employés de type administratif"),
    ("5", "Service and sales workers",
     "Personnel des services directs aux particuliers, commerçants et vendeurs"),
    ("6", "Skilled agricultural, forestry and fishery workers",
     "Agriculteurs et ouvriers qualifiés de l'agriculture, de la sylviculture et de la pêche"),
    ("7", "Craft and related trades workers", "Métiers qualifiés de l'industrie et de l'artisanat"),
    ("8", "Plant and machine operators, and assemblers",
     "Conducteurs d'installations et de machines, et ouvriers de l'assemblage"),
    ("9", "Elementary occupations", "Professions élémentaires"),
    ("0", "Armed forces occupations", "Professions militaires"),
)  # fmt: skip


def cl_ocu() -> v21.Codelist:
    codes = [code("OCU_ISCO08_TOTAL", "Total (ISCO-08)", "Total (CITP-08)")]
    codes += [code(f"OCU_ISCO08_{g}", f"{g} - {en}", f"{g} - {fr}") for g, en, fr in ISCO08]
    codes.append(code("OCU_ISCO08_X", "Not elsewhere classified", "Non classé ailleurs"))
    codes += [
        code("OCU_SKILL_L1", "Skill level 1 (low)", "Niveau de compétence 1 (faible)",
             description=text("ISCO-08 major group 9.", "Grand groupe 9 de la CITP-08.")),
        code("OCU_SKILL_L2", "Skill level 2 (medium)", "Niveau de compétence 2 (moyen)",
             description=text("ISCO-08 major groups 4 to 8.",
                              "Grands groupes 4 à 8 de la CITP-08.")),
        code("OCU_SKILL_L3-4", "Skill levels 3 and 4 (high)",
             "Niveaux de compétence 3 et 4 (élevé)",
             description=text("ISCO-08 major groups 1 to 3.",
                              "Grands groupes 1 à 3 de la CITP-08.")),
        code(*Z),
    ]  # fmt: skip
    return codelist(
        "CL_OCU_MA",
        text("Occupation", "Profession"),
        codes,
        description=text(
            "ISCO-08 major groups and skill levels (ILOSTAT codes).",
            "Grands groupes et niveaux de compétence de la CITP-08 (codes ILOSTAT).",
        ),
    )


# --- Other labour-force classifications (DOMAIN §5.7) --------------------------------------------


def cl_ste() -> v21.Codelist:
    return codelist(
        "CL_STE_MA",
        text("Status in employment", "Situation dans la profession"),
        [
            code("STE_AGGREGATE_TOTAL", "Total (aggregate)", "Total (agrégé)"),
            code("STE_AGGREGATE_EES", "Employees", "Salariés"),
            code("STE_AGGREGATE_SLF", "Self-employed", "Travailleurs indépendants (non salariés)"),
            code("STE_AGGREGATE_X", "Not classifiable (aggregate)", "Non classable (agrégé)"),
            code("STE_ICSE93_TOTAL", "Total (ICSE-93)", "Total (CISP-93)"),
            code("STE_ICSE93_1", "Employees", "Salariés"),
            code("STE_ICSE93_2", "Employers", "Employeurs"),
            code("STE_ICSE93_3", "Own-account workers", "Indépendants"),
            code(
                "STE_ICSE93_4",
                "Members of producers' cooperatives",
                "Membres de coopératives de producteurs",
            ),
            code("STE_ICSE93_5", "Contributing family workers", "Aides familiales"),
            code(
                "STE_ICSE93_6",
                "Workers not classifiable by status",
                "Travailleurs inclassables selon la situation dans la profession",
            ),
        ],
        description=text(
            "ICSE-93 (ILOSTAT codes) and its employee / self-employed aggregate. ICSE-18 "
            "(STE_ICSE18A_*) is planned for a later version.",
            "CISP-93 (codes ILOSTAT) et son agrégat salariés / non-salariés. La CISP-18 "
            "(STE_ICSE18A_*) est prévue dans une version ultérieure.",
        ),
    )


def cl_geo() -> v21.Codelist:
    return codelist(
        "CL_GEO_MA",
        text("Area type (urban / rural)", "Milieu de résidence"),
        [
            code("GEO_COV_NAT", "National", "National"),
            code("GEO_COV_URB", "Urban", "Urbain"),
            code("GEO_COV_RUR", "Rural", "Rural"),
            code("GEO_COV_X", "Not classified", "Non classé"),
        ],
    )


def cl_ins() -> v21.Codelist:
    return codelist(
        "CL_INS_MA",
        text("Institutional sector", "Secteur institutionnel"),
        [
            code("INS_SECTOR_TOTAL", T_EN, T_FR),
            code("INS_SECTOR_PUB", "Public", "Public"),
            code("INS_SECTOR_PRI", "Private", "Privé"),
            code("INS_SECTOR_X", "Not elsewhere classified", "Non classé ailleurs"),
            code(*Z),
        ],
    )


def cl_dsb() -> v21.Codelist:
    return codelist(
        "CL_DSB_MA",
        text("Disability status", "Situation de handicap"),
        [
            code("DSB_STATUS_TOTAL", T_EN, T_FR),
            code("DSB_STATUS_DIS", "Persons with disability", "Personnes en situation de handicap"),
            code(
                "DSB_STATUS_NODIS",
                "Persons without disability",
                "Personnes sans situation de handicap",
            ),
            code("DSB_STATUS_X", "Not elsewhere classified", "Non classé ailleurs"),
            code(*Z),
        ],
    )


# --- Migration (DOMAIN §5.8) ---------------------------------------------------------------------


def cl_mig() -> v21.Codelist:
    def basis(b):
        return annotation("BASIS", b)

    def item(id_, en, fr, b, parent="MIG_STATUS_TOTAL", desc=None, extra=()):
        return code(
            id_,
            en,
            fr,
            description=text(*desc) if desc else None,
            annotations=[basis(b), *extra],
            parent=parent,
        )

    return codelist(
        "CL_MIG_MA",
        text("Migrant and citizenship status", "Statut migratoire"),
        [
            code(
                "MIG_STATUS_TOTAL",
                T_EN,
                T_FR,
                description=text(
                    "Its children form three alternative breakdowns (BASIS annotation: CCT "
                    "citizenship, CBR place of birth, MIG migrant status). Sum within one basis "
                    "only, never across bases.",
                    "Ses enfants forment trois ventilations alternatives (annotation BASIS : CCT "
                    "nationalité, CBR lieu de naissance, MIG statut migratoire). N'additionner "
                    "qu'à l'intérieur d'une même base.",
                ),
            ),
            item("CCT_CIT_CITIZEN", "Moroccan citizens", "Ressortissants marocains", "CCT"),
            item(
                "MIG_MA_RETURN",
                "Return migrants",
                "Migrants de retour",
                "MIG",
                parent="CCT_CIT_CITIZEN",
                desc=(
                    "Citizens usually resident in Morocco again after at least 12 months of "
                    "usual residence abroad.",
                    "Ressortissants de nouveau résidents habituels au Maroc après au moins 12 "
                    "mois de résidence habituelle à l'étranger.",
                ),
                extra=[national("Subset of Moroccan citizens.", "Sous-ensemble des Marocains.")],
            ),
            item("CCT_CIT_NONCIT", "Foreign citizens", "Étrangers", "CCT"),
            item("CCT_CIT_X", "Citizenship not stated", "Nationalité non déclarée", "CCT"),
            item("CBR_BIR_NATIVE", "Born in Morocco", "Nés au Maroc", "CBR"),
            item("CBR_BIR_FOREIGN", "Born abroad", "Nés à l'étranger", "CBR"),
            item("CBR_BIR_X", "Place of birth not stated", "Lieu de naissance non déclaré", "CBR"),
            item("MIG_STATUS_MIGRANT", "Migrants", "Migrants", "MIG"),
            item("MIG_STATUS_NONMIG", "Non-migrants", "Non-migrants", "MIG"),
            item(
                "MIG_STATUS_X", "Migrant status not stated", "Statut migratoire non déclaré", "MIG"
            ),
            item(
                "MIG_MA_NRFW",
                "Non-resident foreign workers",
                "Travailleurs étrangers non résidents",
                "MIG",
                parent=None,
                desc=(
                    "Foreign workers with labour attachment to Morocco who are not usual "
                    "residents (20th ICLS, international migrant workers, category b). Outside "
                    "the resident population counted by MIG_STATUS_TOTAL.",
                    "Travailleurs étrangers ayant un lien d'emploi avec le Maroc sans y résider "
                    "habituellement (20e CIST, travailleurs migrants internationaux, catégorie "
                    "b). Hors de la population résidente comptée par MIG_STATUS_TOTAL.",
                ),
                extra=[national("20th ICLS category b.", "Catégorie b de la 20e CIST.")],
            ),
        ],
        description=text(
            "ILOSTAT codes of CL_MIG, CL_CCT and CL_CBR (status items only) so that each maps "
            "one-to-one to ILO, plus two national items.",
            "Codes ILOSTAT de CL_MIG, CL_CCT et CL_CBR (statuts seulement) pour une "
            "correspondance terme à terme avec le BIT, plus deux items nationaux.",
        ),
    )


def cl_migr_basis() -> v21.Codelist:
    return codelist(
        "CL_MIGR_BASIS_MA",
        text("Basis of the counterpart country", "Critère du pays partenaire"),
        [
            code("CCT", "Country of citizenship", "Pays de nationalité"),
            code("CBR", "Country of birth", "Pays de naissance"),
            code("CRS", "Country of residence", "Pays de résidence"),
            code("CDS", "Country of destination", "Pays de destination"),
            code("CPR", "Country of previous residence", "Pays de résidence antérieure"),
            code(*Z),
        ],
        description=text(
            "Says what COUNTERPART_AREA means. The pair (MIGR_BASIS, COUNTERPART_AREA) maps to "
            "one ILOSTAT code: (CCT, SEN) → CCT_CTZ_SEN, (CBR, FRA) → CBR_BRT_FRA, (CRS, ESP) → "
            "CRS_RES_ESP, (CDS, QAT) → CDS_DES_QAT, (CPR, ITA) → CPR_PRV_ITA.",
            "Précise le sens de COUNTERPART_AREA. Le couple (MIGR_BASIS, COUNTERPART_AREA) "
            "correspond à un code ILOSTAT : (CCT, SEN) → CCT_CTZ_SEN, (CBR, FRA) → CBR_BRT_FRA, "
            "(CRS, ESP) → CRS_RES_ESP, (CDS, QAT) → CDS_DES_QAT, (CPR, ITA) → CPR_PRV_ITA.",
        ),
    )


def cl_migr_reason() -> v21.Codelist:
    return codelist(
        "CL_MIGR_REASON_MA",
        text("Reason for migration or residence permit", "Motif de la migration ou du titre"),
        [
            code("_T", T_EN, T_FR),
            code("WORK", "Work, employment", "Travail, emploi"),
            code("FAMILY", "Family reunification", "Regroupement familial"),
            code("STUDY", "Study", "Études"),
            code(
                "HUMANITARIAN",
                "Refugees, asylum, international protection",
                "Réfugiés, asile, protection internationale",
            ),
            code("REGULARISATION", "Exceptional regularisation", "Régularisation exceptionnelle"),
            code("RETIREMENT", "Retirement", "Retraite"),
            code("OTHER", "Other reasons", "Autres motifs"),
            code("_U", "Unknown", "Inconnu"),
            code(*Z),
        ],
    )


# --- Units and sources (DOMAIN §5.9, §5.10, §4.3) ------------------------------------------------


def cl_unit_measure() -> v21.Codelist:
    return codelist(
        "CL_UNIT_MEASURE_MA",
        text("Unit of measure", "Unité de mesure"),
        [
            code("PS", "Persons", "Personnes"),
            code("PT", "Percentage", "Pourcentage"),
            code("HR", "Hours", "Heures"),
            code(
                "MAD",
                "Moroccan dirham",
                "Dirham marocain",
                description=text(
                    "ISO 4217 currency; ILOSTAT uses LC (local currency).",
                    "Monnaie ISO 4217 ; ILOSTAT utilise LC (monnaie locale).",
                ),
            ),
            code("USD", "US dollar", "Dollar des États-Unis"),
            code(
                "RT100K",
                "Rate per 100 000 workers",
                "Taux pour 100 000 travailleurs",
                annotations=[national("ILOSTAT uses RT.", "ILOSTAT utilise RT.")],
            ),
            code(
                "RT10K",
                "Per 10 000 employed persons",
                "Pour 10 000 actifs occupés",
                annotations=[national("ILOSTAT uses RT.", "ILOSTAT utilise RT.")],
            ),
            code("IDX", "Index (0 to 10)", "Indice (0 à 10)"),
            code("MONTHS", "Months of earnings", "Mois de revenu"),
            code("JS", "Jobs", "Emplois"),
            code("CS", "Cases", "Cas"),
        ],
        description=text(
            "ILOSTAT unit ids where they exist, ISO 4217 for currencies.",
            "Codes d'unité d'ILOSTAT lorsqu'ils existent, ISO 4217 pour les monnaies.",
        ),
    )


def cl_unit_measure_type() -> v21.Codelist:
    return codelist(
        "CL_UNIT_MEASURE_TYPE",
        text("Unit of measure type", "Nature de l'unité de mesure"),
        [
            code("NB", "Number", "Nombre"),
            code("RT", "Rate", "Taux"),
            code("IN", "Index", "Indice"),
            code("DT", "Distribution", "Répartition"),
            code("GR", "Growth rate", "Taux de croissance"),
        ],
        description=text(
            "ILOSTAT unit-of-measure types, used only for the ILO export.",
            "Natures d'unité d'ILOSTAT, utilisées seulement pour l'export vers le BIT.",
        ),
    )


#: CL_SOURCE_MA (DOMAIN §5.10): (code, FR name, EN name, institution, ILO source type or None).
SOURCES = (
    ("ENE", "Enquête nationale sur l'emploi", "National Employment Survey (labour force survey)",
     "HCP", "BA"),
    ("RGPH", "Recensement général de la population et de l'habitat",
     "General Population and Housing Census", "HCP", None),
    ("ENMI", "Enquête nationale sur la migration internationale 2018-2019",
     "National Survey on International Migration 2018-2019", "HCP", None),
    ("ENSI", "Enquête nationale sur le secteur informel", "National Informal Sector Survey",
     "HCP", None),
    ("CNSS_DECL", "Déclarations de salaires à la CNSS (DAMANCOM)",
     "Wage declarations to CNSS (DAMANCOM)", "CNSS", None),
    ("ANAPEC_REG", "Registre des demandeurs d'emploi et des offres d'emploi",
     "Register of jobseekers and job offers", "ANAPEC", None),
    ("MEMP_CTR", "Visa des contrats de travail d'étrangers",
     "Approval (visa) of foreign employment contracts", "MEMP", None),
    ("MEMP_INSP", "Rapports de l'inspection du travail et déclarations d'accidents du travail",
     "Labour inspection reports and occupational accident declarations", "MEMP", None),
    # Not in DOMAIN §5.10: the minimum wage (EAR_4MMN_NB) and collective bargaining coverage
    # (ILR_CBCT_RT) come from the ministry's legal and administrative records (metadata reports).
    ("MEMP_ADM", "Textes et registres du ministère chargé de l'emploi (décrets sur les salaires "
     "minima, conventions collectives)",
     "Legal texts and records of the ministry in charge of employment (minimum wage decrees, "
     "collective agreements)", "MEMP", None),
    ("DGSN_RES", "Titres de séjour des étrangers", "Residence permits of foreigners", "DGSN",
     None),
    ("DGSN_BRD", "Statistiques des passages aux frontières", "Border crossing statistics",
     "DGSN", None),
    ("MAE_CONS", "Immatriculations consulaires des Marocains résidant à l'étranger",
     "Consular registrations of Moroccans abroad", "MAE", None),
    ("OC_BOP", "Balance des paiements, transferts des Marocains résidant à l'étranger",
     "Balance of payments, remittances of Moroccans abroad", "OC", None),
    ("ILO_EST", "Estimation du BIT", "ILO estimate", "ILO", None),
)  # fmt: skip


def cl_source() -> v21.Codelist:
    codes = []
    for id_, fr, en, inst, ilo in SOURCES:
        anns = [annotation("INSTITUTION", inst)]
        if ilo:
            anns.append(annotation("ILO_SOURCE_TYPE", ilo))
        codes.append(code(id_, en, fr, annotations=anns))
    return codelist(
        "CL_SOURCE_MA",
        text("Data source", "Source des données"),
        codes,
        description=text(
            "Coded source of each observation. ILOSTAT's SOURCE is free text: the export writes "
            "this code's label. INSTITUTION gives the producing institution (a data provider "
            "id, or ILO).",
            "Source codée de chaque observation. Le SOURCE d'ILOSTAT est un texte libre : "
            "l'export écrit le libellé du code. INSTITUTION donne l'institution productrice (un "
            "fournisseur de données, ou le BIT).",
        ),
    )


def cl_dwi() -> v21.Codelist:
    """Decent Work elements (ILO Decent Work Indicators manual, 2nd version 2013), for the MSD."""
    return codelist(
        "CL_DWI_MA",
        text("Decent work element", "Élément du travail décent"),
        [
            code("EMPL", "Employment opportunities", "Possibilités d'emploi"),
            code(
                "EARN",
                "Adequate earnings and productive work",
                "Gains adéquats et emploi productif",
            ),
            code("HOUR", "Decent working time", "Durée du travail décente"),
            code(
                "FAMI",
                "Combining work, family and personal life",
                "Conciliation du travail, de la vie de famille et de la vie personnelle",
            ),
            code("ABOL", "Work that should be abolished", "Travail à abolir"),
            code("STAB", "Stability and security of work", "Stabilité et sécurité de l'emploi"),
            code(
                "EQUA",
                "Equal opportunity and treatment in employment",
                "Égalité des chances et de traitement dans l'emploi",
            ),
            code("SAFE", "Safe work environment", "Sécurité du milieu de travail"),
            code("SECU", "Social security", "Sécurité sociale"),
            code(
                "DIAL",
                "Social dialogue, employers' and workers' representation",
                "Dialogue social et représentation des travailleurs et des employeurs",
            ),
            code(
                "CONT",
                "Economic and social context for decent work",
                "Contexte économique et social du travail décent",
            ),
        ],
        description=text(
            "The ten substantive elements of the ILO Decent Work framework plus the context "
            "(manual, 2nd version, 2013).",
            "Les dix éléments de fond du cadre du travail décent du BIT et le contexte "
            "(manuel, 2e version, 2013).",
        ),
    )


def artefacts() -> list[v21.Codelist]:
    """Every codelist of this module, in a stable order."""
    return [
        cl_freq(),
        cl_sex(),
        cl_age(),
        cl_obs_status(),
        cl_conf_status(),
        cl_unit_mult(),
        cl_decimals(),
        cl_unit_measure(),
        cl_unit_measure_type(),
        cl_source(),
        cl_edu(),
        cl_eco(),
        cl_ocu(),
        cl_ste(),
        cl_geo(),
        cl_ins(),
        cl_dsb(),
        cl_mig(),
        cl_migr_basis(),
        cl_migr_reason(),
        cl_area(),
        cl_dwi(),
    ]
