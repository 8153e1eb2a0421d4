"""Data structure definitions (DOMAIN.md §4.1–4.3) and the metadata structure (§7).

- ``MA.HCP:DSD_LMIS_DW(1.0)``: labour force and decent work (13 dimensions + TIME_PERIOD);
- ``MA.HCP:DSD_LMIS_MIG(1.0)``: labour migration (12 dimensions + TIME_PERIOD);
- ``MA.HCP:MSD_LMIS_IND(1.0)``: reference metadata, one report per indicator (or dataflow).

Both data DSDs share one attribute list (§4.3). ILO ties the unit attributes to the MEASURE
dimension; SOURCE follows ILO:IMF_ILOSTAT and is attached to REF_AREA + MEASURE + TIME_PERIOD, so
a series may change source from one period to the next (e.g. RGPH then ENE).
"""

from __future__ import annotations

from collections.abc import Mapping

from sdmx.model import common, v21

from .common import maintainable_kw, text
from .concepts import facet

FVT = common.FacetValueType
XFVT = common.ExtendedFacetValueType
M, C = common.UsageStatus.mandatory, common.UsageStatus.conditional

#: Dimension order of DOMAIN §4.1 (TIME_PERIOD last).
DW_DIMENSIONS = (
    "REF_AREA", "FREQ", "MEASURE", "SEX", "AGE", "GEO", "EDU", "ECO", "OCU", "STE", "INS", "DSB",
    "MIG",
)  # fmt: skip
#: Dimension order of DOMAIN §4.2 (TIME_PERIOD last).
MIG_DIMENSIONS = (
    "REF_AREA", "FREQ", "MEASURE", "SEX", "AGE", "EDU", "ECO", "OCU", "MIG", "MIGR_BASIS",
    "COUNTERPART_AREA", "MIGR_REASON",
)  # fmt: skip

#: Default code when a breakdown does not apply (DOMAIN §4.1, §4.2), written as a
#: ``DEFAULT_WHEN_NA`` annotation on each dimension.
DEFAULTS = {
    "REF_AREA": "MAR",
    "SEX": "SEX_T",
    "AGE": "AGE_YTHADULT_YGE15 or _Z",
    "GEO": "GEO_COV_NAT",
    "EDU": "EDU_ISCED11_TOTAL or _Z",
    "ECO": "ECO_ISIC4_TOTAL",
    "OCU": "OCU_ISCO08_TOTAL or _Z",
    "STE": "STE_ICSE93_TOTAL",
    "INS": "INS_SECTOR_TOTAL or _Z",
    "DSB": "DSB_STATUS_TOTAL or _Z",
    "MIG": "MIG_STATUS_TOTAL",
    "MIGR_BASIS": "_Z",
    "COUNTERPART_AREA": "_T",
    "MIGR_REASON": "_T or _Z",
}

#: Attributes of §4.3: (id, attachment, status). Attachment is "obs" (primary measure), "dataset"
#: (no relationship), "series" (every dimension but TIME_PERIOD) or a tuple of dimension ids.
ATTRIBUTES = (
    ("OBS_STATUS", "obs", M),
    ("CONF_STATUS", "obs", C),
    ("UNIT_MEASURE", ("MEASURE",), M),
    ("UNIT_MULT", ("MEASURE",), M),
    ("DECIMALS", "obs", C),
    ("SOURCE", ("REF_AREA", "MEASURE", "TIME_PERIOD"), M),
    ("NOTE_SOURCE", "series", C),
    ("NOTE_INDICATOR", ("MEASURE",), C),
    ("NOTE_CLASSIF", "obs", C),
    ("COMMENT", "obs", C),
    ("UPPER_BOUND", "obs", C),
    ("LOWER_BOUND", "obs", C),
    ("EMBARGO_TIME", "dataset", C),
    ("UNIT_MEASURE_TYPE", ("MEASURE",), C),
)


def _rep(concept: common.Concept) -> common.Representation:
    """The local representation of a component: a copy of the concept's core representation."""
    core = concept.core_representation
    assert core is not None, concept.id
    return common.Representation(
        enumerated=core.enumerated, non_enumerated=list(core.non_enumerated)
    )


def data_structure(
    id_: str,
    name: common.InternationalString,
    description: common.InternationalString,
    dimensions: tuple[str, ...],
    cs: v21.ConceptScheme,
) -> v21.DataStructureDefinition:
    dsd = v21.DataStructureDefinition(**maintainable_kw(id_, name, description=description))
    dsd.dimensions.id = "DimensionDescriptor"
    dsd.attributes.id = "AttributeDescriptor"
    dsd.measures.id = "MeasureDescriptor"

    for pos, dim_id in enumerate(dimensions, start=1):
        concept = cs[dim_id]
        anns = []
        if dim_id in DEFAULTS:
            anns.append(v21.Annotation(type="DEFAULT_WHEN_NA", title=DEFAULTS[dim_id]))
        dsd.dimensions.append(
            v21.Dimension(
                id=dim_id,
                concept_identity=concept,
                local_representation=_rep(concept),
                order=pos,
                annotations=anns,
            )
        )
    time = cs["TIME_PERIOD"]
    dsd.dimensions.append(
        v21.TimeDimension(
            id="TIME_PERIOD",
            concept_identity=time,
            local_representation=_rep(time),
            order=len(dimensions) + 1,
        )
    )

    measure = v21.PrimaryMeasure(
        id="OBS_VALUE", concept_identity=cs["OBS_VALUE"], local_representation=_rep(cs["OBS_VALUE"])
    )
    dsd.measures.append(measure)

    series_dims = [d for d in dsd.dimensions.components if d.id != "TIME_PERIOD"]
    for attr_id, attachment, status in ATTRIBUTES:
        if attachment == "obs":
            related: common.AttributeRelationship = v21.PrimaryMeasureRelationship()
        elif attachment == "dataset":
            related = v21.NoSpecifiedRelationship()
        elif attachment == "series":
            related = common.DimensionRelationship(dimensions=list(series_dims))
        else:
            related = common.DimensionRelationship(
                dimensions=[dsd.dimensions.get(d) for d in attachment]
            )
        concept = cs[attr_id]
        dsd.attributes.append(
            v21.DataAttribute(
                id=attr_id,
                concept_identity=concept,
                local_representation=_rep(concept),
                usage_status=status,
                related_to=related,
            )
        )
    return dsd


def dsd_lmis_dw(cs: v21.ConceptScheme) -> v21.DataStructureDefinition:
    return data_structure(
        "DSD_LMIS_DW",
        text(
            "Labour force and decent work indicators",
            "Indicateurs de la population active et du travail décent",
        ),
        text(
            "Employment, unemployment, labour force participation, NEET, informality, "
            "underemployment, earnings, hours, child labour, occupational injuries, labour "
            "inspection, social dialogue and administrative registers. Survey and register data "
            "share this structure; SOURCE tells them apart. A breakdown that does not apply "
            "takes its total code or _Z (DEFAULT_WHEN_NA annotation).",
            "Emploi, chômage, activité, NEET, informalité, sous-emploi, salaires, durée du "
            "travail, travail des enfants, accidents du travail, inspection du travail, dialogue "
            "social et registres administratifs. Données d'enquête et de registre partagent "
            "cette structure ; SOURCE les distingue. Une ventilation sans objet prend son code "
            "total ou _Z (annotation DEFAULT_WHEN_NA).",
        ),
        DW_DIMENSIONS,
        cs,
    )


def dsd_lmis_mig(cs: v21.ConceptScheme) -> v21.DataStructureDefinition:
    return data_structure(
        "DSD_LMIS_MIG",
        text("Labour migration", "Migration de travail"),
        text(
            "Migrant workers in Morocco, migration flows, Moroccans abroad, returns, residence "
            "permits, remittances and recruitment costs. The pair (MIGR_BASIS, "
            "COUNTERPART_AREA) replaces ILO's five per-country classifications (CCT, CBR, CRS, "
            "CDS, CPR). A breakdown that does not apply takes its total code or _Z "
            "(DEFAULT_WHEN_NA annotation).",
            "Travailleurs migrants au Maroc, flux migratoires, Marocains à l'étranger, retours, "
            "titres de séjour, transferts et coûts de recrutement. Le couple (MIGR_BASIS, "
            "COUNTERPART_AREA) remplace les cinq classifications par pays du BIT (CCT, CBR, CRS, "
            "CDS, CPR). Une ventilation sans objet prend son code total ou _Z (annotation "
            "DEFAULT_WHEN_NA).",
        ),
        MIG_DIMENSIONS,
        cs,
    )


# --- Metadata structure (DOMAIN §7) --------------------------------------------------------------

#: (id, representation, minOccurs, maxOccurs). maxOccurs None = unbounded. Representation: a
#: codelist id or a facet key.
MSD_ATTRIBUTES = (
    ("DEFINITION", "xhtml", 1, 1),
    ("CALCULATION_METHOD", "xhtml", 1, 1),
    ("FORMULA", "string", 0, 1),
    ("UNIT", "CL_UNIT_MEASURE_MA", 1, 1),
    ("UNIT_MULT", "CL_UNIT_MULT", 0, 1),
    ("PERIODICITY", "CL_FREQ_MA", 1, 1),
    ("DATA_SOURCE", "CL_SOURCE_MA", 1, None),
    ("SOURCE_INSTITUTION", "string", 1, None),
    ("DISAGGREGATION", "string", 0, 1),
    ("INT_STANDARD", "string", 0, 1),
    ("NATIONAL_DEVIATION", "xhtml", 0, 1),
    ("LIMITATIONS", "xhtml", 0, 1),
    ("SDG_INDICATOR", "string", 0, 1),
    ("DWI_ELEMENT", "CL_DWI_MA", 0, 1),
    ("ILO_INDICATOR", "string", 0, 1),
    ("REF_PERIOD", "string", 0, 1),
    ("RELEASE_CALENDAR", "string", 0, 1),
    ("LEGAL_MANDATE", "string", 0, 1),
    ("CONTACT_ORGANISATION", "string", 0, 1),
    ("CONTACT_EMAIL", "string", 0, 1),
    ("META_LAST_UPDATE", "date", 1, 1),
)


def _msd_rep(key: str, codelists: Mapping[str, common.Codelist]) -> common.Representation:
    if key in codelists:
        return common.Representation(enumerated=codelists[key])
    return {
        "xhtml": lambda: facet(XFVT.Xhtml),
        "string": lambda: facet(FVT.string),
        "date": lambda: facet(FVT.gregorianDay),
    }[key]()


def msd_lmis_ind(
    codelists: Mapping[str, common.Codelist],
    cs_meta: v21.ConceptScheme,
    cs_lmis: v21.ConceptScheme,
) -> v21.MetadataStructureDefinition:
    msd = v21.MetadataStructureDefinition(
        **maintainable_kw(
            "MSD_LMIS_IND",
            text("Indicator reference metadata", "Métadonnées de référence des indicateurs"),
            description=text(
                "One report per indicator (a code of CL_MEASURE_MA) or per dataflow: definition, "
                "calculation method and formula, unit, periodicity, sources, disaggregations, "
                "international standards and national deviations, SDG and Decent Work "
                "references, contacts.",
                "Un rapport par indicateur (un code de CL_MEASURE_MA) ou par flux de données : "
                "définition, méthode de calcul et formule, unité, périodicité, sources, "
                "ventilations, normes internationales et écarts nationaux, références ODD et "
                "travail décent, contacts.",
            ),
        )
    )
    indicator = v21.MetadataTarget(id="INDICATOR_TARGET")
    indicator.append(
        v21.IdentifiableObjectTarget(
            id="INDICATOR",
            object_type=common.Code,
            local_representation=common.Representation(enumerated=codelists["CL_MEASURE_MA"]),
        )
    )
    dataflow = v21.MetadataTarget(id="DATAFLOW_TARGET")
    dataflow.append(
        v21.IdentifiableObjectTarget(
            id="DATAFLOW",
            object_type=v21.DataflowDefinition,
            local_representation=facet(FVT.identifiableReference),
        )
    )
    msd.target[indicator.id] = indicator
    msd.target[dataflow.id] = dataflow

    rs = v21.ReportStructure(id="INDICATOR_REPORT", report_for=[indicator, dataflow])
    for attr_id, rep, lo, hi in MSD_ATTRIBUTES:
        concept = cs_lmis[attr_id] if attr_id == "UNIT_MULT" else cs_meta[attr_id]
        rs.append(
            v21.MetadataAttribute(
                id=attr_id,
                concept_identity=concept,
                local_representation=_msd_rep(rep, codelists),
                min_occurs=lo,
                max_occurs=hi,
                # isPresentational is left to its XSD default (false): sdmx1 2.28 reads the
                # string "false" as True.
            )
        )
    msd.report_structure[rs.id] = rs
    return msd
