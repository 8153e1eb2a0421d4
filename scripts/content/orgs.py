"""Organisation schemes (DOMAIN.md §2): agencies, data providers, data consumers.

SDMX 2.1 fixes the ids of these schemes (AGENCIES, DATA_PROVIDERS, DATA_CONSUMERS), their version
(1.0) and isFinal (false), so that organisations can be added without a new version.

Agency and provider ids are functional (``MEMP`` = the ministry in charge of employment), not the
current portfolio name, so a government reshuffle only changes a Name (DOMAIN §2.1).
"""

from __future__ import annotations

from dataclasses import dataclass

from sdmx.model import common

from .common import HCP, MA, VERSION, text


@dataclass(frozen=True)
class Institution:
    """One member of the national LMIS: agency MA.<id> and data provider <id>."""

    id: str
    fr: str
    en: str
    role_en: str
    role_fr: str


#: The institutions of DOMAIN §2.2, in the table's order.
INSTITUTIONS: tuple[Institution, ...] = (
    Institution(
        "HCP",
        "Haut-Commissariat au Plan",
        "High Commission for Planning",
        "National statistics office and LMIS coordinator; maintains all common structures; "
        "National Employment Survey (ENE, the labour force survey), population census (RGPH), "
        "international migration survey (ENMI), informal sector survey.",
        "Institut national de la statistique et coordinateur du SIMT ; gère toutes les "
        "structures communes ; Enquête nationale sur l'emploi (ENE), recensement (RGPH), "
        "enquête sur la migration internationale (ENMI), enquête sur le secteur informel.",
    ),
    Institution(
        "MEMP",
        "Ministère chargé de l'Emploi",
        "Ministry in charge of Employment",
        "Foreign employment contracts (visa), labour inspection, occupational injuries, minimum "
        "wage, collective agreements, union representativeness.",
        "Contrats de travail d'étrangers (visa), inspection du travail, accidents du travail, "
        "salaire minimum, conventions collectives, représentativité syndicale.",
    ),
    Institution(
        "ONMT",
        "Observatoire National du Marché du Travail",
        "National Labour Market Observatory",
        "Analytical series; may co-maintain administrative codelists.",
        "Séries analytiques ; peut co-gérer des nomenclatures administratives.",
    ),
    Institution(
        "ANAPEC",
        "Agence Nationale de Promotion de l'Emploi et des Compétences",
        "National Agency for the Promotion of Employment and Skills",
        "Registered jobseekers, vacancies, placements including international placements.",
        "Demandeurs d'emploi inscrits, offres d'emploi, insertions, y compris à l'international.",
    ),
    Institution(
        "CNSS",
        "Caisse Nationale de Sécurité Sociale",
        "National Social Security Fund",
        "Declared employees, declared wages, foreign insured persons by nationality.",
        "Salariés déclarés, salaires déclarés, assurés étrangers par nationalité.",
    ),
    Institution(
        "MI",
        "Ministère de l'Intérieur",
        "Ministry of Interior",
        "Migration policy, regularisation campaigns (2014, 2017), asylum and regularisation "
        "stocks.",
        "Politique migratoire, campagnes de régularisation (2014, 2017), effectifs de "
        "régularisés et de demandeurs d'asile.",
    ),
    Institution(
        "DGSN",
        "Direction Générale de la Sûreté Nationale",
        "General Directorate of National Security",
        "Border crossings (entries and exits by nationality), residence permits.",
        "Passages aux frontières (entrées et sorties par nationalité), titres de séjour.",
    ),
    Institution(
        "MAE",
        "Ministère des Affaires Étrangères, de la Coopération Africaine et des Marocains "
        "Résidant à l'Étranger",
        "Ministry of Foreign Affairs, African Cooperation and Moroccan Expatriates",
        "Consular registrations of Moroccans abroad by country.",
        "Immatriculations consulaires des Marocains résidant à l'étranger, par pays.",
    ),
    Institution(
        "OC",
        "Office des Changes",
        "Foreign Exchange Office",
        "Remittances of Moroccans abroad (balance-of-payments personal transfers), monthly.",
        "Transferts des Marocains résidant à l'étranger (transferts personnels de la balance "
        "des paiements), mensuels.",
    ),
    Institution(
        "BAM",
        "Bank Al-Maghrib",
        "Bank Al-Maghrib (central bank)",
        "Balance of payments and remittances cross-check.",
        "Contrôle croisé de la balance des paiements et des transferts.",
    ),
)

#: Data consumers (DOMAIN §2.2): the international organisations that harvest LMIS data.
CONSUMERS: tuple[tuple[str, str, str], ...] = (
    ("ILO", "International Labour Organization", "Organisation internationale du Travail"),
    ("IMF", "International Monetary Fund", "Fonds monétaire international"),
    ("AFDB", "African Development Bank", "Banque africaine de développement"),
    ("UNSD", "United Nations Statistics Division", "Division de statistique des Nations Unies"),
)


def _scheme_kw(id_: str, name, maintainer) -> dict:
    # SDMX 2.1: fixed id, version 1.0 and isFinal false for the organisation schemes.
    return {
        "id": id_,
        "name": name,
        "version": VERSION,
        "maintainer": maintainer,
        "is_final": False,
        "is_external_reference": False,
    }


def agency_scheme() -> common.AgencyScheme:
    """``MA:AGENCIES(1.0)``: the institutions, so that ``MA.HCP``, ``MA.DGSN``… are agencies."""
    scheme = common.AgencyScheme(
        **_scheme_kw(
            "AGENCIES",
            text(
                "Agencies of the Moroccan national statistical system",
                "Agences du système statistique national du Maroc",
            ),
            MA,
        ),
        description=text(
            "Maintained by the root agency MA (Morocco national statistical system). Each item "
            "X becomes the nested agency MA.X.",
            "Gérée par l'agence racine MA (système statistique national du Maroc). Chaque "
            "élément X devient l'agence imbriquée MA.X.",
        ),
    )
    for inst in INSTITUTIONS:
        scheme.append(
            common.Agency(
                id=inst.id,
                name=text(inst.en, inst.fr),
                description=text(inst.role_en, inst.role_fr),
            )
        )
    return scheme


def data_provider_scheme() -> common.DataProviderScheme:
    """``MA.HCP:DATA_PROVIDERS(1.0)``: one data provider per institution."""
    scheme = common.DataProviderScheme(
        **_scheme_kw(
            "DATA_PROVIDERS",
            text("Data providers of the Morocco LMIS", "Fournisseurs de données du SIMT du Maroc"),
            HCP,
        )
    )
    for inst in INSTITUTIONS:
        scheme.append(
            common.DataProvider(
                id=inst.id,
                name=text(inst.en, inst.fr),
                description=text(inst.role_en, inst.role_fr),
            )
        )
    return scheme


def data_consumer_scheme() -> common.DataConsumerScheme:
    """``MA.HCP:DATA_CONSUMERS(1.0)``: the harvesting international organisations."""
    scheme = common.DataConsumerScheme(
        **_scheme_kw(
            "DATA_CONSUMERS",
            text("Data consumers of the Morocco LMIS", "Consommateurs de données du SIMT du Maroc"),
            HCP,
        )
    )
    for id_, en, fr in CONSUMERS:
        scheme.append(common.DataConsumer(id=id_, name=text(en, fr)))
    return scheme


def artefacts() -> list:
    return [agency_scheme(), data_provider_scheme(), data_consumer_scheme()]
