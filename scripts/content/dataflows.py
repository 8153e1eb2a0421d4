"""Dataflows (DOMAIN.md §4.4), their Allowed content constraints, and the provision agreements
of §2.3.

Each dataflow ``MA.HCP:DF_*(1.0)`` has one constraint ``MA.HCP:CC_DF_*(1.0)`` of type Allowed
(written explicitly: the SDMX 2.1 default is Actual) that restricts MEASURE and FREQ to the
flow's subset. Each provision agreement ``MA.HCP:PA_<PROVIDER>_<DATAFLOW>(1.0)`` links one data
provider of ``MA.HCP:DATA_PROVIDERS(1.0)`` to one dataflow.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sdmx.model import common, v21

from .common import maintainable_kw, text
from .indicators import INDICATORS


@dataclass(frozen=True)
class Flow:
    id: str
    dsd: str
    en: str
    fr: str
    desc_en: str
    desc_fr: str
    measures: tuple[str, ...]
    freq: tuple[str, ...]


def _measures(*, groups: str = "", sdg_prefix: str | None = None, ids: tuple[str, ...] = ()):
    out = [i.id for i in INDICATORS if i.group in groups]
    if sdg_prefix:
        out += [i.id for i in INDICATORS if i.sdg and i.sdg.startswith(sdg_prefix)]
    out += list(ids)
    return tuple(dict.fromkeys(out))


FLOWS: tuple[Flow, ...] = (
    Flow(
        "DF_LFS_KEY", "DSD_LMIS_DW",
        "Key labour force indicators", "Principaux indicateurs du marché du travail",
        "Quarterly and annual headline results of the National Employment Survey (ENE).",
        "Principaux résultats trimestriels et annuels de l'Enquête nationale sur l'emploi (ENE).",
        ("POP_XWAP_NB", "EAP_TEAP_NB", "EAP_DWAP_RT", "EMP_TEMP_NB", "EMP_DWAP_RT",
         "UNE_TUNE_NB", "UNE_DEAP_RT", "TRU_DEMP_RT", "MA_SEMP_RT"),
        ("Q", "A"),
    ),
    Flow(
        "DF_DW_IND", "DSD_LMIS_DW",
        "Decent work indicators", "Indicateurs du travail décent",
        "Labour force, underutilisation, informality, earnings, working time, child labour, "
        "safety, inspection, social dialogue and social protection indicators (catalogue "
        "groups A to C).",
        "Indicateurs de la population active, de la sous-utilisation, de l'informalité, des "
        "salaires, de la durée du travail, du travail des enfants, de la sécurité, de "
        "l'inspection, du dialogue social et de la protection sociale (groupes A à C du "
        "catalogue).",
        _measures(groups="ABC"),
        ("A",),
    ),
    Flow(
        "DF_SDG8", "DSD_LMIS_DW",
        "SDG 8 labour indicators", "Indicateurs ODD 8 relatifs au travail",
        "SDG indicators 8.3.1, 8.5.1, 8.5.2, 8.6.1, 8.7.1, 8.8.1 and 8.8.2 (the last one "
        "supplied by ILO).",
        "Indicateurs ODD 8.3.1, 8.5.1, 8.5.2, 8.6.1, 8.7.1, 8.8.1 et 8.8.2 (ce dernier fourni "
        "par le BIT).",
        _measures(sdg_prefix="8."),
        ("A",),
    ),
    Flow(
        "DF_LM_ADMIN", "DSD_LMIS_DW",
        "Administrative labour market registers", "Registres administratifs du marché du travail",
        "ANAPEC and CNSS register series and the statutory minimum wage (MEMP).",
        "Séries des registres de l'ANAPEC et de la CNSS et salaire minimum légal (MEMP).",
        _measures(groups="D", ids=("EAR_4MMN_NB",)),
        ("M", "Q", "A"),
    ),
    Flow(
        "DF_OSH", "DSD_LMIS_DW",
        "Occupational safety and health, labour inspection",
        "Sécurité et santé au travail, inspection du travail",
        "Occupational injury rates and labour inspection.",
        "Taux de lésions professionnelles et inspection du travail.",
        tuple(i.id for i in INDICATORS if i.id.startswith(("INJ_", "LAI_"))),
        ("A",),
    ),
    Flow(
        "DF_MIG_STOCK", "DSD_LMIS_MIG",
        "Labour migration: stocks", "Migration de travail : stocks",
        "Migrant workers in Morocco (survey, census and administrative sources) and Moroccans "
        "registered abroad.",
        "Travailleurs migrants au Maroc (sources d'enquête, de recensement et administratives) "
        "et Marocains immatriculés à l'étranger.",
        ("MST_NCTE_NB", "MST_TEAP_RT", "MST_TUNE_RT", "MA_MIG_EMP_SH", "MA_CNSS_FRN_NB",
         "MA_RES_VALID_NB", "MNA_TPOP_NB"),
        ("A",),
    ),
    Flow(
        "DF_MIG_FLOW", "DSD_LMIS_MIG",
        "Labour migration: flows", "Migration de travail : flux",
        "Foreign employment contracts, first residence permits, departures of Moroccans for "
        "work abroad, returns and border arrivals.",
        "Contrats de travail d'étrangers, premiers titres de séjour, départs de Marocains pour "
        "travailler à l'étranger, retours et entrées aux frontières.",
        ("MA_WKP_APR_NB", "MA_RES_NEW_NB", "MNA_OEMP_NB", "MNA_XRET_NB", "MA_BRD_ARR_NB"),
        ("M", "A"),
    ),
    Flow(
        "DF_REMIT", "DSD_LMIS_MIG",
        "Remittances and recruitment costs", "Transferts des MRE et coûts de recrutement",
        "Remittances of Moroccans abroad, remittances as a share of GDP (SDG 17.3.2) and the "
        "recruitment cost indicator (SDG 10.7.1).",
        "Transferts des Marocains résidant à l'étranger, transferts en part du PIB (ODD 17.3.2) "
        "et indicateur du coût de recrutement (ODD 10.7.1).",
        ("MA_RMT_INF_VAL", "SDG_1732_RT", "SDG_1071_RT"),
        ("M", "A"),
    ),
)  # fmt: skip

#: Provision agreements of DOMAIN §2.3: provider → [(dataflow, note EN, note FR)].
AGREEMENTS: dict[str, tuple[tuple[str, str | None, str | None], ...]] = {
    "HCP": (
        ("DF_LFS_KEY", None, None),
        ("DF_DW_IND", None, None),
        ("DF_SDG8", None, None),
        ("DF_OSH", "Denominators (employment).", "Dénominateurs (emploi)."),
        ("DF_MIG_STOCK", "ENE and RGPH.", "ENE et RGPH."),
        ("DF_MIG_FLOW", "ENMI survey.", "Enquête ENMI."),
        ("DF_REMIT", "GDP and SDG 10.7.1.", "PIB et ODD 10.7.1."),
    ),
    "MEMP": (
        ("DF_LM_ADMIN", "Statutory minimum wage.", "Salaire minimum légal."),
        ("DF_OSH", "Occupational injuries and labour inspection.",
         "Accidents du travail et inspection du travail."),
        ("DF_MIG_FLOW", "Foreign employment contracts.", "Contrats de travail d'étrangers."),
    ),
    "ANAPEC": (
        ("DF_LM_ADMIN", "Jobseekers, vacancies, placements.",
         "Demandeurs d'emploi, offres, insertions."),
        ("DF_MIG_FLOW", "International placements.", "Insertions à l'international."),
    ),
    "CNSS": (
        ("DF_LM_ADMIN", "Declared employees and wages.", "Salariés et salaires déclarés."),
        ("DF_OSH", "Denominators (insured workers).", "Dénominateurs (travailleurs assurés)."),
        ("DF_MIG_STOCK", "Foreign insured employees.", "Salariés étrangers assurés."),
    ),
    "MI": (
        ("DF_MIG_STOCK", "Regularisation and asylum stocks.",
         "Effectifs de régularisés et de demandeurs d'asile."),
        ("DF_MIG_FLOW", "Regularisation campaigns.", "Campagnes de régularisation."),
    ),
    "DGSN": (
        ("DF_MIG_STOCK", "Residence permits.", "Titres de séjour."),
        ("DF_MIG_FLOW", "Residence permits and border crossings.",
         "Titres de séjour et passages aux frontières."),
    ),
    "MAE": (
        ("DF_MIG_STOCK", "Consular registrations of Moroccans abroad.",
         "Immatriculations consulaires des Marocains résidant à l'étranger."),
    ),
    "OC": (
        ("DF_REMIT", "Remittances (balance of payments).",
         "Transferts des MRE (balance des paiements)."),
    ),
}  # fmt: skip


def dataflow(flow: Flow, dsds: Mapping[str, v21.DataStructureDefinition]) -> v21.DataflowDefinition:
    return v21.DataflowDefinition(
        **maintainable_kw(
            flow.id,
            text(flow.en, flow.fr),
            description=text(flow.desc_en, flow.desc_fr),
            structure=dsds[flow.dsd],
        )
    )


def allowed_constraint(flow: Flow, df: v21.DataflowDefinition) -> v21.ContentConstraint:
    dsd = df.structure
    region = common.CubeRegion(included=True)
    for dim_id, values in (("MEASURE", flow.measures), ("FREQ", flow.freq)):
        dim = dsd.dimensions.get(dim_id)
        region.member[dim] = v21.MemberSelection(
            values_for=dim, included=True, values=[v21.MemberValue(value=v) for v in values]
        )
    return v21.ContentConstraint(
        **maintainable_kw(
            f"CC_{flow.id}",
            text(f"Allowed content of {flow.id}", f"Contenu autorisé de {flow.id}"),
            description=text(
                f"Indicators (MEASURE) and frequencies (FREQ) that may be reported to {flow.id}.",
                f"Indicateurs (MEASURE) et fréquences (FREQ) qui peuvent être déclarés dans "
                f"{flow.id}.",
            ),
        ),
        role=common.ConstraintRole(role=common.ConstraintRoleType.allowable),
        content={df},
        data_content_region=[region],
    )


def provision_agreement(
    provider: common.DataProvider, df: v21.DataflowDefinition, note_en, note_fr
) -> common.ProvisionAgreement:
    kw = {}
    if note_en:
        kw["description"] = text(note_en, note_fr)
    return common.ProvisionAgreement(
        **maintainable_kw(
            f"PA_{provider.id}_{df.id}",
            text(
                f"Provision agreement: {provider.id} reports {df.id}",
                f"Accord de fourniture : {provider.id} déclare {df.id}",
            ),
            **kw,
        ),
        structure_usage=df,
        data_provider=provider,
    )


def artefacts(
    dsds: Mapping[str, v21.DataStructureDefinition], providers: common.DataProviderScheme
) -> list:
    dfs = {f.id: dataflow(f, dsds) for f in FLOWS}
    out: list = list(dfs.values())
    out += [allowed_constraint(f, dfs[f.id]) for f in FLOWS]
    for provider_id, flows in AGREEMENTS.items():
        for df_id, note_en, note_fr in flows:
            out.append(provision_agreement(providers[provider_id], dfs[df_id], note_en, note_fr))
    return out
