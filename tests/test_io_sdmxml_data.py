"""Tests of registry.io.sdmxml_data: every SDMX-ML data message of the corpus, read as a stream.

Each data file of ``tests/data/corpus`` (ECB_EXR generic and structure-specific, time-series,
cross-sectional and flat, with and without groups; ESTAT, INSEE, the SDMX 2.1 and 3.0 samples)
and the two real files copied to ``tests/data/submissions/xml/corpus`` is read both by
``read_data`` and by sdmx1 (the reference, given the DSD of the matching structure file) and
compared value by value: observations with every dimension value, the observation value, series
and observation attributes, series without observations, groups. Synthetic labour-force files in
both layouts are compared the same way. Then the crafted files of ``tests/data/submissions/xml``
pin each refusal and each event exactly, and the memory test shows the stream stays flat.
"""

from __future__ import annotations

import functools
import io
import itertools
import subprocess
import sys
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sdmx
import sdmx.reader.xml.v30  # (sdmx1 quirk: import before any data is read)
from lxml import etree

from registry.errors import InvalidMessageError, UnsupportedError
from registry.io.data_events import (
    DataEvent,
    DataSetStart,
    GroupValues,
    Location,
    ObservationRow,
    StructureRef,
)
from registry.io.sdmxml_data import read_data, sniff_structure

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
CRAFTED = DATA / "submissions" / "xml"
LFS_DIMS = ("FREQ", "REF_AREA", "SEX", "AGE", "ECO", "MEASURE", "TIME_PERIOD")


def _ecb_exr() -> dict[str, str]:
    """ECB_EXR/{ng,rg,sg}-*.xml are read with {ng,rg,sg}-structure-full.xml."""
    folder = DATA / "corpus" / "ECB_EXR"
    return {
        f"corpus/ECB_EXR/{p.name}": f"corpus/ECB_EXR/{p.name[:2]}-structure-full.xml"
        for p in sorted(folder.glob("[nrs]g-*.xml"))
        if "structure" not in p.name
    }


#: Every data message of the corpus → the structure message holding its DSD (None: sdmx1 reads
#: it without one, as for generic data and the ESTAT file whose DSD is not in the corpus).
STRUCTURES: dict[str, str | None] = {
    **_ecb_exr(),
    "corpus/ECB_EXR/1/M.USD.EUR.SP00.A.xml": "corpus/ECB_EXR/1/structure-full.xml",
    "corpus/ESTAT/NAMA_10_GDP-ss.xml": None,
    "corpus/ESTAT/demography-xs.xml": "corpus/ESTAT/demography-structure.xml",
    "corpus/ESTAT/footer.xml": None,
    "corpus/ESTAT/footer2.xml": None,
    "corpus/INSEE/CNA-2010-CONSO-SI-A17.xml": "corpus/INSEE/CNA-2010-CONSO-SI-A17-structure.xml",
    "corpus/INSEE/IPI-2010-A21.xml": "corpus/INSEE/IPI-2010-A21-structure.xml",
    "corpus/INSEE/bug-series-freq-data.xml": None,
    "corpus/v21/xml/demography/demography_xs.xml": "corpus/v21/xml/demography/demography.xml",
    "corpus/v3/xml/ECB_EXR0.xml": "corpus/v3/xml/ECB_EXR1.xml",
    "submissions/xml/corpus/WB/gh-78.xml": None,
    "submissions/xml/corpus/constructed/gh-218.xml": None,
}

#: Data messages refused on purpose (a construct the reader does not support) → their structure
#: message and what the error names.
UNSUPPORTED = {
    # Several multilingual values for one attribute (Comp TITLE, line 19); sdmx1 reads its
    # multi-valued attributes as empty strings, so it is no reference for this file either.
    "corpus/v3/xml/ECB_EXR_CA.xml": (
        "corpus/v3/xml/ECB_EXR_CA_DSD.xml",
        "Several multilingual values for component 'TITLE' at line 19",
    ),
}


def _root_name(path: Path) -> str:
    for _, elem in etree.iterparse(str(path), events=("start",)):
        return etree.QName(elem).localname
    return ""


def test_every_data_message_of_the_corpus_is_covered() -> None:
    found = {
        str(p.relative_to(DATA))
        for folder in ("corpus", "submissions/xml/corpus")
        for p in (DATA / folder).rglob("*.xml")
        if _root_name(p).endswith("Data")
    }
    assert found == set(STRUCTURES) | set(UNSUPPORTED)


# ── sdmx1 as the reference ──────────────────────────────────────────────────────────────────────


@functools.cache
def _structure_message(rel: str) -> Any:
    return sdmx.read_sdmx(DATA / rel)


def _dsd(path: Path, structure: str) -> Any:
    """The DSD the data message names, from its structure file."""
    msg = _structure_message(structure)
    for ref in sniff_structure(path):
        if ref.kind == "datastructure" and ref.id in msg.structure:
            return msg.structure[ref.id]
        if ref.kind == "dataflow" and ref.id in msg.dataflow:
            return msg.dataflow[ref.id].structure
    # rg-*.xml name ECB_EXR_RG, rg-structure-full.xml holds ECB_EXR_CG; ECB_EXR0.xml names the
    # dataflow EXR, ECB_EXR1.xml holds only its DSD.
    (only,) = msg.structure.values()
    return only


def _values(values: Any) -> tuple[tuple[str, str], ...]:
    """Sorted (id, value) pairs of sdmx1 key values or attribute values, or of a dict."""
    pairs = values.items() if hasattr(values, "items") else values
    return tuple(sorted((str(k), str(getattr(v, "value", v))) for k, v in pairs))


Row = tuple[tuple[tuple[str, str], ...], str | None, tuple[tuple[str, str], ...], bool]
Group = tuple[str | None, tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]


def _sdmx1_view(msg: Any, starts: list[DataSetStart]) -> list[tuple[list[Row], list[Group]]]:
    """Per dataset: sorted rows (key, value, series + observation attributes, series only)
    and sorted groups (id when sdmx1 knows it, key, attributes)."""
    out = []
    for ds, start in zip(msg.data, starts, strict=False):
        # sdmx1 2.28 attaches generic dataset-level attributes to the next observation (gh-78).
        misplaced = set(start.attributes) - set(getattr(ds, "attrib", {}))
        rows: list[Row] = []
        for obs in ds.obs:
            series_attrs = obs.series_key.attrib if obs.series_key is not None else {}
            attrs = {**series_attrs, **obs.attached_attribute}
            attrs = {k: v for k, v in attrs.items() if k not in misplaced}
            value = None if obs.value is None else str(obs.value)
            rows.append((_values(obs.key.values), value, _values(attrs), False))
        for key, observations in ds.series.items():
            if not observations:
                rows.append((_values(key.values), None, _values(key.attrib), True))
        groups = [
            (getattr(gk.described_by, "id", None), _values(gk.values), _values(gk.attrib))
            for gk in ds.group
        ]
        out.append((sorted(rows), sorted(groups, key=repr)))
    return out


def _our_view(events: list[DataEvent], group_ids: bool) -> list[tuple[list[Row], list[Group]]]:
    out: list[tuple[list[Row], list[Group]]] = []
    for event in events:
        if isinstance(event, DataSetStart):
            out.append(([], []))
        elif isinstance(event, GroupValues):
            group_id = event.group_id if group_ids else None
            out[-1][1].append((group_id, _values(event.key), _values(event.attributes)))
        else:
            row = (_values(event.dimensions), event.value, _values(event.attributes))
            out[-1][0].append((*row, event.series_only))
    return [(sorted(rows), sorted(groups, key=repr)) for rows, groups in out]


def _compare_with_sdmx1(path: Path, dsd: Any) -> list[DataEvent]:
    msg: Any = sdmx.read_sdmx(path, structure=dsd) if dsd is not None else sdmx.read_sdmx(path)
    dims = None
    if _root_name(path).startswith("StructureSpecific"):
        structure = dsd if dsd is not None else msg.data[0].structured_by
        dims = [d.id for d in structure.dimensions.components]
    events = list(read_data(path, dimension_ids=dims, xsd=False))  # content vs sdmx1
    group_ids = dsd is not None and dims is not None  # sdmx1 names groups only then
    starts = [e for e in events if isinstance(e, DataSetStart)]
    assert len(starts) == len(msg.data), "number of datasets"
    for start, ds in zip(starts, msg.data, strict=True):
        if dims is not None:  # sdmx1 reads structure-specific dataset attributes only
            assert start.attributes == dict(_values(getattr(ds, "attrib", {})))
    expected = _sdmx1_view(msg, starts)
    ours = _our_view(events, group_ids)
    for (our_rows, our_groups), (rows, groups) in zip(ours, expected, strict=True):
        assert len(our_rows) == len(rows), "number of observations"
        assert our_rows == rows
        assert our_groups == groups
    return events


@pytest.mark.parametrize("name", sorted(STRUCTURES))
def test_corpus_file_reads_as_sdmx1_reads_it(name: str) -> None:
    path = DATA / name
    structure = STRUCTURES[name]
    events = _compare_with_sdmx1(path, _dsd(path, structure) if structure else None)
    starts = [e for e in events if isinstance(e, DataSetStart)]
    assert [s.index for s in starts] == list(range(len(starts)))
    declared = sniff_structure(path)
    assert all(s.structure in declared for s in starts)
    lines = [e.location.line or 0 for e in events]
    assert lines == sorted(lines) and all(lines)  # events come in document order


@pytest.mark.parametrize("name", sorted(UNSUPPORTED))
def test_unsupported_corpus_file_is_refused_naming_the_construct(name: str) -> None:
    structure, message = UNSUPPORTED[name]
    dims = [d.id for d in _dsd(DATA / name, structure).dimensions.components]
    with pytest.raises(UnsupportedError, match=message):
        list(read_data(DATA / name, dimension_ids=dims))


# ── What sdmx1 does not read: actions, dataset attributes, explicit measures, URNs ─────────────


def test_dataset_action_and_attributes_of_real_files() -> None:
    (start, *_rest) = read_data(DATA / "submissions/xml/corpus/WB/gh-78.xml")
    assert start == DataSetStart(
        index=0,
        action="Information",
        structure=StructureRef("datastructure", "WBG_WITS", "TARIFF_TRAINS", "1.1"),
        attributes={"DATASOURCE": "TRN"},
        dimension_at_observation="TIME_PERIOD",
        location=Location(line=31),
    )
    (start, *_rest) = read_data(DATA / "corpus/ECB_EXR/1/M.USD.EUR.SP00.A.xml")
    assert isinstance(start, DataSetStart) and start.action == "Replace"
    assert start.structure == StructureRef("datastructure", "ECB", "ECB_EXR1", "1.0")  # by URN


def test_explicit_measures_name_the_measure_dimension() -> None:
    path = DATA / "corpus/ESTAT/demography-xs.xml"
    dims = ["FREQ", "COUNTRY", "SEX", "DEMO", "TIME_PERIOD"]
    start, first, *_rest = read_data(path, dimension_ids=dims)
    assert isinstance(start, DataSetStart) and start.dimension_at_observation == "DEMO"
    assert first == ObservationRow(
        {"FREQ": "A", "TIME_PERIOD": "2007", "SEX": "T", "COUNTRY": "BE", "DEMO": "TFRNSI"},
        "1.82",
        {"OBS_STATUS": "A", "UNIT_MEASURE": "CPW", "UNIT_MULT": "0"},
        Location(line=16),
    )


def test_v30_dataflow_urn_in_the_header() -> None:
    assert sniff_structure(DATA / "corpus/v3/xml/ECB_EXR0.xml") == [
        StructureRef("dataflow", "ECB", "EXR", "1.0")
    ]


# ── Synthetic files ─────────────────────────────────────────────────────────────────────────────

_SS_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<message:StructureSpecificData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common" xmlns:ss="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific" xmlns:ns1="urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure=TEST:DSD_LFS(1.0):ObsLevelDim:TIME_PERIOD" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<message:Header><message:ID>SYNTH</message:ID><message:Test>true</message:Test><message:Prepared>2024-01-01T00:00:00Z</message:Prepared><message:Sender id="TEST"/><message:Structure structureID="TEST_DF_LFS_1_0" namespace="urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure=TEST:DSD_LFS(1.0):ObsLevelDim:TIME_PERIOD" dimensionAtObservation="TIME_PERIOD"><common:StructureUsage><Ref agencyID="TEST" id="DF_LFS" version="1.0"/></common:StructureUsage></message:Structure></message:Header>
<message:DataSet ss:dataScope="DataStructure" xsi:type="ns1:DataSetType" ss:structureRef="TEST_DF_LFS_1_0">
"""
_GENERIC_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<message:GenericData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common" xmlns:generic="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic">
<message:Header><message:ID>SYNTH</message:ID><message:Test>true</message:Test><message:Prepared>2024-01-01T00:00:00Z</message:Prepared><message:Sender id="TEST"/><message:Structure structureID="TEST_DF_LFS_1_0" dimensionAtObservation="TIME_PERIOD"><common:StructureUsage><Ref agencyID="TEST" id="DF_LFS" version="1.0"/></common:StructureUsage></message:Structure></message:Header>
<message:DataSet structureRef="TEST_DF_LFS_1_0">
"""


def _synthetic_series(n_obs: int, layout: str) -> Iterator[str]:
    """Labour-force series like the project's benchmark generator (40 quarters each)."""
    areas = ("ARG", "AUS", "AUT", "BEL", "BGR", "BRA", "CAN", "CHE", "CHL", "CHN", "COL", "MAR")
    sexes = ("SEX_T", "SEX_M", "SEX_F")
    ages = ("AGE_YGE15", "AGE_Y15-24", "AGE_Y25-34", "AGE_Y35-44", "AGE_Y45-54", "AGE_Y55-64")
    ecos = [f"ECO_ISIC4_{c}" for c in "ABCDEFGHIJKLMNOPQRSTU"]
    measures = ("EMP", "UNE", "EAP", "UNE_RT")
    i = 0
    for key in itertools.product(areas, sexes, ages, ecos, measures):
        if i >= n_obs:
            return
        unit = ("PT", "0") if key[-1] == "UNE_RT" else ("PS", "3")
        obs = []
        for p in range(min(40, n_obs - i)):
            status = "P" if p == 39 else ("E" if i % 17 == 0 else "A")
            obs.append((f"{2015 + p // 4}-Q{p % 4 + 1}", f"{(i % 997) * 10.5 + 1:.1f}", status))
            i += 1
        yield from (_ss_series if layout == "ss" else _generic_series)(("Q", *key), unit, obs)


def _ss_series(
    key: tuple[str, ...], unit: tuple[str, str], obs: list[tuple[str, str, str]]
) -> Iterator[str]:
    dims = " ".join(f'{d}="{v}"' for d, v in zip(LFS_DIMS, key, strict=False))
    yield f'<Series {dims} UNIT_MEASURE="{unit[0]}" UNIT_MULT="{unit[1]}">\n'
    for period, value, status in obs:
        yield f'<Obs TIME_PERIOD="{period}" OBS_VALUE="{value}" OBS_STATUS="{status}"/>\n'
    yield "</Series>\n"


def _generic_series(
    key: tuple[str, ...], unit: tuple[str, str], obs: list[tuple[str, str, str]]
) -> Iterator[str]:
    values = "".join(
        f'<generic:Value id="{d}" value="{v}"/>' for d, v in zip(LFS_DIMS, key, strict=False)
    )
    yield f"<generic:Series><generic:SeriesKey>{values}</generic:SeriesKey><generic:Attributes>"
    yield f'<generic:Value id="UNIT_MEASURE" value="{unit[0]}"/>'
    yield f'<generic:Value id="UNIT_MULT" value="{unit[1]}"/></generic:Attributes>\n'
    for period, value, status in obs:
        yield (
            f'<generic:Obs><generic:ObsDimension value="{period}"/><generic:ObsValue '
            f'value="{value}"/><generic:Attributes><generic:Value id="OBS_STATUS" '
            f'value="{status}"/></generic:Attributes></generic:Obs>\n'
        )
    yield "</generic:Series>\n"


def _synthetic(path: Path, n_obs: int, layout: str) -> Path:
    root = "StructureSpecificData" if layout == "ss" else "GenericData"
    with path.open("w", encoding="utf-8") as out:
        out.write(_SS_HEAD if layout == "ss" else _GENERIC_HEAD)
        out.writelines(_synthetic_series(n_obs, layout))
        out.write(f"</message:DataSet>\n</message:{root}>\n")
    return path


@pytest.mark.parametrize("layout", ["ss", "generic"])
def test_synthetic_file_reads_as_sdmx1_reads_it(tmp_path: Path, layout: str) -> None:
    path = _synthetic(tmp_path / f"{layout}.xml", 1000, layout)
    dsd = _structure_message("bench/synthetic_dsd.xml").structure["DSD_LFS"]
    events = _compare_with_sdmx1(path, dsd)
    assert len(events) == 1001
    assert events[0] == DataSetStart(
        index=0,
        action="Append",
        structure=StructureRef("dataflow", "TEST", "DF_LFS", "1.0"),
        attributes={},
        location=Location(line=4),
    )


def test_memory_stays_flat_on_200000_observations(tmp_path: Path) -> None:
    """tracemalloc sees Python objects; a child process's peak RSS sees libxml2's tree too."""
    path = _synthetic(tmp_path / "ss_200k.xml", 200_000, "ss")
    tracemalloc.start()
    try:
        count = sum(1 for _ in read_data(path, dimension_ids=LFS_DIMS))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 200_001
    assert peak < 20 * 2**20
    code = (
        "import resource, sys\n"
        "from pathlib import Path\n"
        "from registry.io.sdmxml_data import read_data\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "n = sum(1 for _ in read_data(Path(sys.argv[1]), dimension_ids=sys.argv[2:]))\n"
        "print(n, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code, str(path), *LFS_DIMS],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    count, growth_kib = map(int, run.stdout.split())
    assert count == 200_001
    assert growth_kib < 20 * 1024  # the file is 13 MB; a tree of it would take far more


# ── Crafted files: refusals ─────────────────────────────────────────────────────────────────────

DTD_REFUSED = (
    "DTDs and entities are not allowed in SDMX-ML: remove the <!DOCTYPE …> declaration "
    "(an HTML page, or a document using entities, is not an SDMX-ML message)."
)


@pytest.mark.parametrize(
    "name", ["billion-laughs.xml", "external-entity.xml", "doctype-after-root.xml"]
)
def test_dtds_and_entities_are_refused(name: str) -> None:
    events: list[DataEvent] = []
    with pytest.raises(InvalidMessageError) as info:
        events.extend(read_data(CRAFTED / name, dimension_ids=LFS_DIMS))
    assert info.value.message == DTD_REFUSED
    assert events == []
    with pytest.raises(InvalidMessageError, match="DTDs and entities are not allowed"):
        sniff_structure(CRAFTED / name)


def test_truncated_file_names_the_line_after_the_rows_read() -> None:
    events: list[DataEvent] = []
    with pytest.raises(InvalidMessageError) as info:
        events.extend(read_data(CRAFTED / "truncated.xml", dimension_ids=LFS_DIMS))
    assert info.value.message == (
        "The document is not well-formed XML: Specification mandates value for attribute "
        "OBS_VAL (line 17, column 41)."
    )
    assert [type(e) for e in events] == [DataSetStart, ObservationRow, ObservationRow]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "corpus/ECB_EXR/ng-structure.xml",
            "The document is a structure message (Structure) in SDMX-ML 2.1, not a data "
            "message: send GenericData or StructureSpecificData.",
        ),
        (
            "corpus/v21/xml/demography/esms_generic.xml",
            "The document is a reference metadata message (GenericMetadata) in SDMX-ML 2.1, "
            "not a data message: send GenericData or StructureSpecificData.",
        ),
        (
            "submissions/xml/error-message.xml",
            "The document is an error message (Error) in SDMX-ML 2.1, not a data message: "
            "send GenericData or StructureSpecificData.",
        ),
        (
            "corpus/v3/xml/codelist.xml",
            "The document is a structure message (Structure) in SDMX-ML 3.0, not a data "
            "message: send GenericData or StructureSpecificData.",
        ),
    ],
)
def test_other_messages_are_refused_saying_what_they_are(name: str, message: str) -> None:
    with pytest.raises(InvalidMessageError) as info:
        list(read_data(DATA / name))
    assert info.value.message == message


@pytest.mark.parametrize(
    ("body", "error", "message"),
    [
        (b"", InvalidMessageError, "The document holds no XML element"),
        (b"<html><body>Not found</body></html>", InvalidMessageError, "root element is <html>"),
        (b"no xml at all", InvalidMessageError, r"not well-formed XML: .* \(line 1, column 1\)"),
        (
            b'<CompactData xmlns="http://www.SDMX.org/resources/SDMXML/schemas/v2_0/message"/>',
            UnsupportedError,
            "SDMX-ML 2.0 CompactData messages are not supported",
        ),
    ],
)
def test_unreadable_bodies(body: bytes, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        list(read_data(io.BytesIO(body)))


def test_bad_action_is_refused() -> None:
    with pytest.raises(InvalidMessageError) as info:
        list(read_data(CRAFTED / "bad-action.xml", dimension_ids=LFS_DIMS))
    assert info.value.message == (
        "The DataSet at line 13 has action 'Update'; the SDMX actions are Append, Replace, "
        "Delete, Information."
    )


def test_unknown_structure_id_is_refused() -> None:
    with pytest.raises(InvalidMessageError) as info:
        list(read_data(CRAFTED / "unknown-structure.xml"))
    assert info.value.message == (
        "The DataSet at line 13 refers to structure 'STR2', which the header does not declare "
        "(header structureIDs: STR1)."
    )


def test_structure_specific_data_needs_dimension_ids() -> None:
    with pytest.raises(TypeError, match="dimension_ids"):
        list(read_data(DATA / "corpus/ECB_EXR/ng-ts-ss.xml"))


def test_metadata_attached_to_data_is_unsupported() -> None:
    events: list[DataEvent] = []
    with pytest.raises(UnsupportedError) as info:
        events.extend(read_data(CRAFTED / "v30-metadata-in-data.xml", dimension_ids=LFS_DIMS))
    assert info.value.message == (
        "Reference metadata attached to data (<Metadata> at line 16) is not supported: send it "
        "as a metadata message."
    )


def _variant(name: str, old: bytes, new: bytes) -> io.BytesIO:
    body = (CRAFTED / name).read_bytes()
    assert old in body
    return io.BytesIO(body.replace(old, new))


@pytest.mark.parametrize(
    ("old", "new", "error", "message"),
    [
        (
            b'dimensionAtObservation="TIME_PERIOD">',
            b'dimensionAtObservation="TIME_PERIOD" explicitMeasures="true">',
            UnsupportedError,
            "The DataSet at line 16 uses explicit measures",
        ),
        (
            b'<Group type="SiblingGroup"',
            b"<Group",
            InvalidMessageError,
            "The Group at line 26 does not say which group it is",
        ),
        (
            b"<Value>ANAPEC</Value>",
            b"<Value>ANAPEC;ONEE</Value>",
            UnsupportedError,
            "A value of component 'SOURCE_AGENCY' at line 28 contains ';'",
        ),
        (
            b'<common:Text xml:lang="fr">Emploi</common:Text>',
            b'<common:StructuredText xml:lang="fr"><p xmlns="http://www.w3.org/1999/xhtml">'
            b"Emploi</p></common:StructuredText>",
            UnsupportedError,
            "Structured \\(XHTML\\) values for component 'TITLE' at line 18",
        ),
        (
            b"registry.ProvisionAgreement=TEST:PA_BENCH_DF_LFS(1.0.0)</common:",
            b"datastructure.Dataflow=TEST:DF_LFS(1.0)</common:",
            InvalidMessageError,
            "line 13 points to a Dataflow where a ProvisionAgreement is expected",
        ),
    ],
)
def test_v30_limits(old: bytes, new: bytes, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        list(read_data(_variant("v30-comp-atts-group.xml", old, new), dimension_ids=LFS_DIMS))


# ── Crafted files: exact events ─────────────────────────────────────────────────────────────────


def test_series_without_observations() -> None:
    series = {
        "FREQ": "Q",
        "REF_AREA": "MAR",
        "AGE": "AGE_YGE15",
        "ECO": "ECO_ISIC4_TOTAL",
        "MEASURE": "EMP",
    }
    assert list(read_data(CRAFTED / "series-without-observations.xml", dimension_ids=LFS_DIMS)) == [
        DataSetStart(
            index=0,
            action="Delete",
            structure=StructureRef("dataflow", "TEST", "DF_LFS", "1.0"),
            attributes={"NOTE": "revised", "REPORTING_YEAR_START_DAY": "--07-01"},
            location=Location(line=14),
        ),
        ObservationRow(
            {**series, "SEX": "SEX_F"}, None, {"UNIT_MEASURE": "PS"}, Location(line=15), True
        ),
        ObservationRow(
            {**series, "SEX": "SEX_M", "TIME_PERIOD": "2020-Q1"},
            None,
            {"OBS_STATUS": "A"},
            Location(line=17),
        ),
    ]


def test_header_data_provider_provision_agreement_and_two_datasets() -> None:
    path = CRAFTED / "provider-two-datasets.xml"
    pa = StructureRef("provisionagreement", "TEST", "PA_BENCH_DF_LFS", "1.0")
    dsd = StructureRef("datastructure", "TEST", "DSD_LFS", "1.0")
    assert sniff_structure(path) == [pa, dsd]
    assert list(read_data(path)) == [
        DataSetStart(0, "Replace", pa, {"NOTE": "revised"}, "TIME_PERIOD", Location(line=27)),
        GroupValues(
            "SiblingGroup",
            {"REF_AREA": "MAR", "SEX": "SEX_T"},
            {"UNIT_MEASURE": "PS"},
            Location(line=34),
        ),
        ObservationRow(
            {"FREQ": "Q", "REF_AREA": "MAR", "SEX": "SEX_T", "TIME_PERIOD": "2020-Q1"},
            "10714.2",
            {"UNIT_MULT": "3", "OBS_STATUS": "A"},
            Location(line=52),
        ),
        DataSetStart(1, "Delete", dsd, {}, "AllDimensions", Location(line=61)),
        ObservationRow(
            {"FREQ": "Q", "REF_AREA": "MAR", "SEX": "SEX_F", "TIME_PERIOD": "2019-Q4"},
            None,
            {},
            Location(line=62),
        ),
    ]


def test_v30_comp_atts_and_group() -> None:
    pa = StructureRef("provisionagreement", "TEST", "PA_BENCH_DF_LFS", "1.0.0")
    series = {
        "FREQ": "Q",
        "REF_AREA": "MAR",
        "SEX": "SEX_T",
        "AGE": "AGE_YGE15",
        "ECO": "ECO_ISIC4_TOTAL",
        "MEASURE": "EMP",
    }
    events = list(read_data(CRAFTED / "v30-comp-atts-group.xml", dimension_ids=LFS_DIMS))
    assert events == [
        DataSetStart(0, "Replace", pa, {"NOTE": "revised"}, "TIME_PERIOD", Location(line=16)),
        GroupValues("", {}, {"TITLE": "en:Employment;fr:Emploi"}, Location(line=17)),
        GroupValues("", {"REF_AREA": "MAR"}, {"UNIT_MULT": "3"}, Location(line=25)),
        GroupValues(
            "SiblingGroup",
            {"REF_AREA": "MAR", "SEX": "SEX_T"},
            {"UNIT_MEASURE": "PS"},
            Location(line=26),
        ),
        ObservationRow(
            {**series, "TIME_PERIOD": "2020-Q1"},
            "10714.2",
            {"SOURCE_AGENCY": "HCP;ANAPEC", "OBS_STATUS": "A;E"},
            Location(line=32),
        ),
        ObservationRow(
            {**series, "TIME_PERIOD": "2020-Q2"},
            "10521.9",
            {"SOURCE_AGENCY": "HCP;ANAPEC", "OBS_STATUS": "P"},
            Location(line=38),
        ),
    ]


# ── Streams ─────────────────────────────────────────────────────────────────────────────────────


class _Unseekable(io.RawIOBase):
    """A pipe-like stream: read only."""

    def __init__(self, body: bytes) -> None:
        self._body = io.BytesIO(body)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self._body.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_streams_read_like_files_and_sniffing_rewinds() -> None:
    path = DATA / "corpus/ECB_EXR/rg-ts-gf-ss.xml"
    dims = ["FREQ", "CURRENCY", "CURRENCY_DENOM", "EXR_TYPE", "EXR_VAR", "TIME_PERIOD"]
    expected = list(read_data(path, dimension_ids=dims))
    stream = io.BytesIO(path.read_bytes())
    assert sniff_structure(stream) == [StructureRef("datastructure", "ECB", "ECB_EXR_RG")]
    assert stream.tell() == 0
    assert list(read_data(stream, dimension_ids=dims)) == expected
    assert list(read_data(_Unseekable(path.read_bytes()), dimension_ids=dims)) == expected  # type: ignore[arg-type]
