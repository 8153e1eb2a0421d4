"""SDMX-CSV reading and compressed uploads: the specification's samples and synthetic data against
sdmx1 (its SDMX-CSV 2.x reader, and its SDMX-ML reader for the structure-specific twin of the
synthetic files, generated from the same seed; both sides reduced to plain values, empty cells
dropped and ``ID: Name`` labels cut as the module documents), file variants (BOM, delimiters,
labels, quoting, gzip and zip), every refusal with its row, and flat memory over 200,000 rows.
"""

from __future__ import annotations

import gzip
import io
import re
import shutil
import tracemalloc
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import sdmx
import sdmx.message
from sdmx.model import common, v30

from registry.errors import InvalidMessageError, PayloadTooLargeError, UnsupportedError
from registry.io.compression import open_maybe_compressed
from registry.io.data_events import (
    DataEvent,
    DataSetStart,
    Location,
    ObservationRow,
    StructureRef,
)
from registry.io.sdmxcsv import read_csv, sniff_structures

DATA = Path(__file__).parent / "data"
SAMPLES = DATA / "corpus" / "v3" / "csv"
FILES = DATA / "submissions" / "csv"

LFS_DIMENSIONS = ("FREQ", "REF_AREA", "SEX", "AGE", "ECO", "MEASURE")
LFS_ATTRIBUTES = ("OBS_STATUS", "UNIT_MEASURE", "UNIT_MULT")
LFS_FLOW = StructureRef("dataflow", "TEST", "DF_LFS", "1.0")
LABEL = re.compile(r"([A-Za-z0-9_@$.\-]+): ")


def events(source: Path | io.BytesIO, **kwargs: Any) -> list[DataEvent]:
    return list(read_csv(source, **kwargs))


def lfs_events(source: Path | io.BytesIO, **kwargs: Any) -> list[DataEvent]:
    return events(source, dimension_ids=LFS_DIMENSIONS, attribute_ids=LFS_ATTRIBUTES, **kwargs)


def observations(evts: list[DataEvent]) -> list[ObservationRow]:
    return [e for e in evts if isinstance(e, ObservationRow)]


def datasets(evts: list[DataEvent]) -> list[DataSetStart]:
    return [e for e in evts if isinstance(e, DataSetStart)]


def csv_bytes(*lines: str) -> io.BytesIO:
    return io.BytesIO("".join(line + "\n" for line in lines).encode())


# --- the SDMX-CSV specification's samples, against sdmx1 ------------------------------------------


@dataclass(frozen=True)
class Sample:
    """How to read one sample: its DSD (as sdmx1 needs it), and the error it must raise if any."""

    dimensions: tuple[str, ...] = ("DIM_1", "DIM_2", "DIM_3")
    measures: tuple[str, ...] = ("OBS_VALUE",)
    attributes: tuple[str, ...] = ("ATTR_1", "ATTR_2", "ATTR_3")
    sdmx1_delimiter: str = ","
    error: type[Exception] | None = None
    message: str = ""


SAMPLE_CASES = {
    "example-01.csv": Sample(),  # a custom column (UPDATED) after the attributes
    # a multi-valued ATTR_1[] and two measures
    "example-02.csv": Sample(measures=("OBS_VALUE1", "OBS_VALUE2")),
    "example-03.csv": Sample(measures=("OBS_VALUE1", "OBS_VALUE2")),  # SERIES_KEY, two measures
    # labels=both, semicolons, SERIES_KEY and OBS_KEY, a decimal comma
    "example-04.csv": Sample(sdmx1_delimiter=";"),
    "example-05.csv": Sample(),  # labels=both, normalised periods
    "example-06.csv": Sample(),  # labels=name: STRUCTURE_NAME and a name column after each
    "example-07.csv": Sample(),  # multi-valued attributes, one value with a comma
    # a multilingual ATTR_1[en;fr], which sdmx1 leaves out: compared apart
    "example-08.csv": Sample(attributes=("ATTR_2", "ATTR_3")),  # two dataflow versions
    "example-09A.csv": Sample(attributes=("ATTR_2", "ATTR_3")),  # three kinds of structure
    "example-09B.csv": Sample(  # three structures, each with its own columns
        dimensions=("DIM_A1B1", "DIM_A2", "DIM_A3C2", "DIM_B2", "DIM_C1", "DIM_C3"),
        measures=("MEAS_A1B1C1",),
        attributes=("MEAS_C2", "ATTR_A1", "ATTR_B1"),
    ),
    "example-10.csv": Sample(),  # actions A then R: two datasets
    "example-11.csv": Sample(),  # a datastructure without version
    "example-12.csv": Sample(),  # a provision agreement, attributes only
    "example-13.csv": Sample(measures=("MEAS_1",)),  # a partial-key attribute row
    # nested metadata attributes
    "example-14.csv": Sample(error=UnsupportedError, message="column 'CONTACT[].NAME[]': nested"),
    "example-15.csv": Sample(),  # quoted XHTML with a line break
    "example-16.csv": Sample(),  # Delete of a value and of an attribute
    "example-17.csv": Sample(),  # Delete with wildcard dimensions
    "example-18.csv": Sample(),  # Delete of series
    "example-19A.csv": Sample(),  # Delete of everything: only STRUCTURE, STRUCTURE_ID, ACTION
    "example-19B.csv": Sample(),  # the same, with empty dimension cells
}


def test_every_sample_has_a_case():
    assert sorted(p.name for p in SAMPLES.glob("*.csv")) == sorted(SAMPLE_CASES)


def sample_dataflow(case: Sample) -> v30.Dataflow:
    agency = common.Agency(id="ESTAT")
    dsd = v30.DataStructureDefinition(id="DSD", maintainer=agency)
    dsd.dimensions.extend(v30.Dimension(id=d) for d in case.dimensions)
    dsd.measures.extend(v30.Measure(id=m) for m in case.measures)
    dsd.attributes.extend(common.DataAttribute(id=a) for a in case.attributes)
    return v30.Dataflow(id="NA_MAIN", maintainer=agency, version="1.6.0", structure=dsd)


def plain(value: Any) -> str:
    """A cell as text: codes by id, labels cut, and line breaks dropped, as sdmx1 2.28 does (it
    splits the file into lines before parsing, so a quoted cell loses its line breaks)."""
    text = str(getattr(value, "id", value) if value is not None else "")
    match = LABEL.match(text)
    return (match.group(1) if match else text).replace("\n", "")


def reduced(mapping: dict[str, Any], keep: tuple[str, ...] | None = None) -> dict[str, str]:
    return {k: plain(v) for k, v in mapping.items() if plain(v) and (keep is None or k in keep)}


def sdmx1_data(path: Path, **kwargs: Any) -> sdmx.message.DataMessage:
    message = sdmx.read_sdmx(path, **kwargs)
    assert isinstance(message, sdmx.message.DataMessage)
    return message


def sdmx1_sample(path: Path, case: Sample) -> list[tuple[str, list[tuple]]]:
    message = sdmx1_data(path, structure=sample_dataflow(case), delimiter=case.sdmx1_delimiter)
    return [
        (
            ds.action.name.capitalize(),
            [
                (
                    reduced({k: kv.value for k, kv in o.dimension.values.items()}),
                    plain(o.value) or None if len(case.measures) == 1 else None,
                    reduced({k: av.value for k, av in o.attached_attribute.items()}),
                )
                for o in ds.obs
            ],
        )
        for ds in message.data
    ]


def ours_sample(path: Path, case: Sample) -> list[tuple[str, list[tuple]]]:
    out: list[tuple[str, list[tuple]]] = []
    for event in read_csv(
        path,
        dimension_ids=case.dimensions,
        attribute_ids=case.attributes,
        measure_id=case.measures[0],
    ):
        if isinstance(event, DataSetStart):
            out.append((event.action, []))
        elif isinstance(event, ObservationRow):
            value = plain(event.value) or None if len(case.measures) == 1 else None
            attrs = reduced(dict(event.attributes), keep=case.attributes)
            out[-1][1].append((reduced(dict(event.dimensions)), value, attrs))
    return out


@pytest.mark.parametrize("name", sorted(SAMPLE_CASES))
def test_sample(name):
    case, path = SAMPLE_CASES[name], SAMPLES / name
    if case.error is not None:
        with pytest.raises(case.error, match=re.escape(case.message)):
            events(path, dimension_ids=case.dimensions, attribute_ids=case.attributes)
        return
    assert ours_sample(path, case) == sdmx1_sample(path, case)


def test_sample_structures_and_locations():
    evts = events(SAMPLES / "example-09B.csv")
    assert [(d.index, d.structure, d.location.row) for d in datasets(evts)] == [
        (0, StructureRef("dataflow", "ESTAT", "DF_A", "1.6.0"), 2),
        (1, StructureRef("datastructure", "ESTAT", "DSD_B", "1.7.0"), 3),
        (2, StructureRef("provisionagreement", "ESTAT", "DPA_C", "1.8.0"), 4),
    ]
    # a missing version reads as 1.0
    assert datasets(events(SAMPLES / "example-11.csv"))[0].structure == StructureRef(
        "datastructure", "AGENCY", "DF_ID", "1.0"
    )


def test_sample_custom_column_is_an_attribute_for_the_validator():
    obs = observations(events(SAMPLES / "example-01.csv", dimension_ids=["DIM_1", "DIM_2"]))
    assert obs[0].attributes["UPDATED"] == "2021-01-22T13:15:41Z"
    assert obs[0].dimensions == {"DIM_1": "A", "DIM_2": "B"}  # DIM_3 is not a dimension here


def test_sample_multilingual_and_multi_valued_cells_as_written():
    obs = observations(events(SAMPLES / "example-08.csv", dimension_ids=["DIM_1"]))
    assert [o.attributes["ATTR_1"] for o in obs] == [
        "en:Any Value;fr:N'importe quelle Valeur",
        'en:Value "X";fr:Valeur "X"',
    ]
    obs = observations(events(SAMPLES / "example-07.csv", dimension_ids=["DIM_1"]))
    assert obs[1].attributes == {"ATTR_1": "Value X;Value Y", "ATTR_2": "M, N & O;P & Q"} | {
        "ATTR_3": "A;C",
        "DIM_2": "B",
        "DIM_3": "2014-02",
    }


def test_other_sub_delimiter_is_rejoined_with_semicolons():
    header = "STRUCTURE[|];STRUCTURE_ID;ACTION;FREQ;NOTE[];TITLE[en|fr];UNIT"
    (obs,) = observations(
        events(
            csv_bytes(header, "dataflow;A:B(1.0);I;Q;a|b|c;en:Title|fr:Titre;x|y"),
            dimension_ids=["FREQ"],
        )
    )
    assert obs.attributes == {"NOTE": "a;b;c", "TITLE": "en:Title;fr:Titre", "UNIT": "x|y"}
    with pytest.raises(UnsupportedError, match=r"row 2, column NOTE: a value contains ';'"):
        events(csv_bytes(header, '"dataflow";A:B(1.0);I;Q;"a|b;c";en:T;x'))


def test_sample_second_measure_is_kept_as_a_column():
    obs = observations(events(SAMPLES / "example-03.csv", measure_id="OBS_VALUE1"))
    assert obs[0].value == "12.4"
    assert obs[0].dimensions["OBS_VALUE2"] == "12.5"  # without ids: a dimension; never dropped


def test_sample_labels_both_keeps_the_value_whole():
    obs = observations(events(SAMPLES / "example-04.csv"))
    assert obs[0].value == "12,4"
    assert obs[0].dimensions == {
        "DIM_1": "A",
        "DIM_2": "B",
        "DIM_3": "2014-01",
        "ATTR_2": "Y",
        "ATTR_3": "Normal, special and other values",  # not labelled: kept whole
        "ATTR_1": "N",
    }


def test_sample_partial_key_attribute_row():
    ids = {"dimension_ids": ["DIM_1", "DIM_2", "DIM_3"], "measure_id": "MEAS_1"}
    first, second = observations(events(SAMPLES / "example-13.csv", **ids))
    assert first == ObservationRow(
        {"DIM_1": "A", "DIM_2": "B", "DIM_3": "2014-01"}, "12.4", {"ATTR_1": "N"}, Location(row=2)
    )
    # empty dimension cells stay for the validator (EMPTY_DIMENSION_VALUE)
    assert second == ObservationRow(
        {"DIM_1": "", "DIM_2": "B", "DIM_3": ""}, None, {"ATTR_2": "Y"}, Location(row=3), True
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "example-16.csv",
            [
                ({"DIM_1": "A", "DIM_2": "B", "DIM_3": "2014-01"}, "-", {}),
                ({"DIM_1": "A", "DIM_2": "B", "DIM_3": "2014-02"}, None, {"ATTR_3": "-"}),
            ],
        ),
        ("example-17.csv", [({"DIM_2": "A"}, "-", {}), ({"DIM_2": "B"}, None, {"ATTR_3": "-"})]),
        ("example-18.csv", [({"DIM_2": "A"}, None, {}), ({"DIM_2": "B", "DIM_3": "C"}, None, {})]),
        ("example-19A.csv", [({}, None, {})]),
        ("example-19B.csv", [({}, None, {})]),
    ],
)
def test_sample_delete(name, expected):
    evts = events(SAMPLES / name, dimension_ids=["DIM_1", "DIM_2", "DIM_3"])
    assert [d.action for d in datasets(evts)] == ["Delete"]
    rows = observations(evts)
    # empty dimensions are wildcards; without TIME_PERIOD every row is series_only
    assert [(o.dimensions, o.value, o.attributes) for o in rows] == expected
    assert all(o.series_only for o in rows)
    assert [o.location.row for o in rows] == list(range(2, 2 + len(rows)))


def test_delete_with_time_period():
    evts = events(
        csv_bytes(
            "STRUCTURE,STRUCTURE_ID,ACTION,FREQ,REF_AREA,TIME_PERIOD,OBS_VALUE",
            "dataflow,TEST:DF_LFS(1.0),D,Q,ARG,2015-Q1,",
            "dataflow,TEST:DF_LFS(1.0),D,Q,,,",
        )
    )
    first, second = observations(evts)
    assert first.dimensions == {"FREQ": "Q", "REF_AREA": "ARG", "TIME_PERIOD": "2015-Q1"}
    assert not first.series_only
    assert second.dimensions == {"FREQ": "Q"} and second.series_only


# --- synthetic data against sdmx1 ----------------------------------------------------------------


@cache
def lfs_structures() -> tuple[Any, Any]:
    message = sdmx.read_sdmx(DATA / "bench" / "synthetic_dsd.xml")
    assert isinstance(message, sdmx.message.StructureMessage)
    return message.structure["DSD_LFS"], message.dataflow["DF_LFS"]


def sdmx1_xml_observations() -> list[tuple]:
    dsd, _ = lfs_structures()
    message = sdmx1_data(FILES / "synthetic_1000_ss.xml", structure=dsd)
    (dataset,) = message.data
    return [
        (
            {k: plain(kv.value) for k, kv in o.key.values.items()},
            float(o.value),
            {k: plain(av.value) for k, av in o.attrib.items()},
        )
        for o in dataset.obs
    ]


def reduced_observations(evts: list[DataEvent]) -> list[tuple]:
    return [
        (dict(o.dimensions), float(o.value or "nan"), dict(o.attributes))
        for o in observations(evts)
    ]


@pytest.mark.parametrize("name", ["synthetic_1000.csv", "synthetic_1000_v2.csv"])
def test_synthetic_equals_structure_specific_xml(name):
    evts = lfs_events(FILES / name)
    assert datasets(evts) == [DataSetStart(0, "Information", LFS_FLOW, location=Location(row=2))]
    assert len(evts) == 1001
    assert reduced_observations(evts) == sdmx1_xml_observations()
    assert [o.location.row for o in observations(evts)] == list(range(2, 1002))


def test_synthetic_v2_equals_sdmx1_csv():
    _, dataflow = lfs_structures()
    message = sdmx1_data(FILES / "synthetic_1000_v2.csv", structure=dataflow)
    (dataset,) = message.data
    expected = [
        (
            {k: plain(kv.value) for k, kv in o.dimension.values.items()},
            float(o.value),
            {k: plain(av.value) for k, av in o.attached_attribute.items()},
        )
        for o in dataset.obs
    ]
    assert reduced_observations(lfs_events(FILES / "synthetic_1000_v2.csv")) == expected


def test_without_ids_every_other_column_is_a_dimension():
    obs = observations(events(FILES / "synthetic_1000.csv", attribute_ids=LFS_ATTRIBUTES))
    assert list(obs[0].dimensions) == [*LFS_DIMENSIONS, "TIME_PERIOD"]
    assert obs[0].attributes == {"OBS_STATUS": "E", "UNIT_MEASURE": "PS", "UNIT_MULT": "3"}
    everything = observations(events(FILES / "synthetic_1000.csv"))
    assert list(everything[0].dimensions) == [*LFS_DIMENSIONS, "TIME_PERIOD", *LFS_ATTRIBUTES]
    assert everything[0].attributes == {}


def test_events_equal_constructed_ones():
    obs = observations(lfs_events(FILES / "synthetic_1000.csv"))[0]
    codes = ["Q", "ARG", "SEX_T", "AGE_YGE15", "ECO_ISIC4_TOTAL", "EMP", "2015-Q1"]
    expected = ObservationRow(
        dict(zip([*LFS_DIMENSIONS, "TIME_PERIOD"], codes, strict=True)),
        "6867.1",
        {"OBS_STATUS": "E", "UNIT_MEASURE": "PS", "UNIT_MULT": "3"},
        Location(row=2),
    )
    assert obs == expected and repr(obs) == repr(expected)
    assert hash(obs.location) == hash(Location(row=2))
    with pytest.raises(AttributeError):
        obs.value = "1"  # type: ignore[misc]


# --- file variants --------------------------------------------------------------------------------


@cache
def first_five() -> list[DataEvent]:
    return lfs_events(FILES / "synthetic_1000.csv")[:6]


@pytest.mark.parametrize(
    "name",
    ["lfs_bom.csv", "lfs_semicolon.csv", "lfs_tab.csv", "lfs_labels.csv", "lfs_v2_pipe.csv"],
)
def test_variant_reads_like_the_plain_file(name):
    assert lfs_events(FILES / name) == first_five()


def test_given_delimiter_wins():
    with pytest.raises(InvalidMessageError, match="row 1: the first column must be"):
        lfs_events(FILES / "lfs_semicolon.csv", delimiter=",")
    assert lfs_events(FILES / "lfs_semicolon.csv", delimiter=";") == first_five()


def test_quoted_cells_with_delimiters_quotes_and_line_breaks():
    obs = observations(lfs_events(FILES / "lfs_quoted.csv"))
    assert [o.attributes.get("COMMENT") for o in obs] == [
        "Estimate, revised",
        "Two lines:\nfirst, then second",
        'He said "revised", twice',
        None,
    ]
    # a row is the physical line where its record starts
    assert [o.location.row for o in obs] == [2, 3, 5, 6]
    assert obs[0].dimensions == first_five()[1].dimensions  # type: ignore[union-attr]


def test_binary_stream_is_left_open():
    stream = io.BytesIO((FILES / "synthetic_1000.csv").read_bytes())
    assert len(events(stream)) == 1001
    assert not stream.closed


def test_actions_and_dataset_boundaries():
    evts = events(
        csv_bytes(
            "STRUCTURE,STRUCTURE_ID,ACTION,FREQ,TIME_PERIOD,OBS_VALUE",
            "dataflow,MA.HCP:DF_LFS_KEY(1.0),I,A,2023,1",
            "dataflow,MA.HCP:DF_LFS_KEY(1.0),I,A,2024,2",
            "dataflow,MA.HCP:DF_LFS_KEY(1.0),M,A,2023,3",
            "",
            "datastructure,MA.HCP:DSD_LFS(1.0),M,A,2023,4",
            ",,,,,",
            "dataprovision,MA.HCP:PA_LFS(2.0.1),R,A,2023,5",
            "dataflow,MA.HCP:DF_LFS_KEY(1.0),D,A,2023,",
        )
    )
    agency = "MA.HCP"
    assert [(d.index, d.action, d.structure, d.location.row) for d in datasets(evts)] == [
        (0, "Information", StructureRef("dataflow", agency, "DF_LFS_KEY", "1.0"), 2),
        (1, "Append", StructureRef("dataflow", agency, "DF_LFS_KEY", "1.0"), 4),
        (2, "Append", StructureRef("datastructure", agency, "DSD_LFS", "1.0"), 6),
        (3, "Replace", StructureRef("provisionagreement", agency, "PA_LFS", "2.0.1"), 8),
        (4, "Delete", StructureRef("dataflow", agency, "DF_LFS_KEY", "1.0"), 9),
    ]
    # blank lines and rows of empty cells are skipped; rows keep their physical numbers
    assert [o.location.row for o in observations(evts)] == [2, 3, 4, 6, 8, 9]
    assert [o.value for o in observations(evts)] == ["1", "2", "3", "4", "5", None]


def test_no_action_column_means_information():
    evts = events(csv_bytes("STRUCTURE,STRUCTURE_ID,FREQ,OBS_VALUE", "dataflow,A:B(1.0),Q,1"))
    assert datasets(evts)[0].action == "Information"
    assert datasets(events(FILES / "synthetic_1000.csv"))[0].action == "Information"  # CSV 1.0


def test_structure_name_series_key_obs_key_are_ignored():
    evts = events(
        csv_bytes(
            "STRUCTURE,STRUCTURE_ID,STRUCTURE_NAME,ACTION,SERIES_KEY,OBS_KEY,FREQ,Frequency,"
            "TIME_PERIOD,Time,OBS_VALUE,Value",
            "dataflow,A:B(1.0),Flow B,A,Q,Q.2020-Q1,Q,Quarterly,2020-Q1,,7,",
        )
    )
    assert observations(evts) == [
        ObservationRow({"FREQ": "Q", "TIME_PERIOD": "2020-Q1"}, "7", {}, Location(row=2))
    ]


def test_empty_dimension_cells_are_kept_outside_delete():
    (obs,) = observations(
        events(csv_bytes("DATAFLOW,FREQ,REF_AREA,TIME_PERIOD,OBS_VALUE", "A:B(1.0),Q,,,5"))
    )
    assert obs.dimensions == {"FREQ": "Q", "REF_AREA": "", "TIME_PERIOD": ""}
    assert obs.value == "5" and not obs.series_only


def test_series_attribute_row_is_series_only():
    (obs,) = observations(
        events(
            csv_bytes("DATAFLOW,FREQ,TIME_PERIOD,OBS_VALUE,UNIT_MULT", "A:B(1.0),Q,,,3"),
            attribute_ids=["UNIT_MULT"],
        )
    )
    assert obs == ObservationRow({"FREQ": "Q"}, None, {"UNIT_MULT": "3"}, Location(row=2), True)


# --- sniffing -------------------------------------------------------------------------------------


def test_sniff_structures():
    assert sniff_structures(FILES / "synthetic_1000_v2.csv") == (
        [LFS_FLOW],
        [*LFS_DIMENSIONS, "TIME_PERIOD", "OBS_VALUE", *LFS_ATTRIBUTES],
    )
    every_row = sniff_structures(SAMPLES / "example-09B.csv", max_rows=None)[0]
    assert [r.id for r in every_row] == ["DF_A", "DSD_B", "DPA_C"]
    assert len(sniff_structures(SAMPLES / "example-09B.csv")[0]) == 1
    # labels, name columns and [] are not part of the ids
    labelled = ["DIM_1", "DIM_2", "DIM_3", "OBS_VALUE", "ATTR_2", "ATTR_3", "ATTR_1"]
    assert sniff_structures(SAMPLES / "example-04.csv")[1] == labelled
    named = ["DIM_1", "DIM_2", "DIM_3", "OBS_VALUE", "ATTR_1", "ATTR_2", "ATTR_3"]
    assert sniff_structures(SAMPLES / "example-06.csv")[1] == named
    assert sniff_structures(SAMPLES / "example-02.csv")[1][3] == "ATTR_1"
    assert sniff_structures(csv_bytes("DATAFLOW,FREQ")) == ([], ["FREQ"])


def test_sniff_puts_a_stream_back():
    stream = io.BytesIO((FILES / "lfs_bom.csv").read_bytes())
    stream.seek(0)
    assert sniff_structures(stream)[0] == [LFS_FLOW]
    assert stream.tell() == 0
    assert lfs_events(stream) == first_five()


# --- refusals -------------------------------------------------------------------------------------


def test_latin1_names_the_row():
    with pytest.raises(InvalidMessageError, match=r"^row 4 is not UTF-8 text \(byte 0xE9\); save"):
        events(FILES / "lfs_latin1.csv")


def test_non_utf8_deep_in_a_file_names_its_row():
    lines = (FILES / "synthetic_1000.csv").read_bytes().splitlines(keepends=True)
    lines[876] = lines[876][:-1] + b"\xe9\n"  # row 877, 69 kB in: past the first decoded chunks
    with pytest.raises(InvalidMessageError, match=r"^row 877 is not UTF-8"):
        events(io.BytesIO(b"".join(lines)))


def test_utf16_is_named():
    data = (FILES / "lfs_tab.csv").read_text().encode("utf-16")
    with pytest.raises(InvalidMessageError, match="the file is UTF-16 text; save it as UTF-8"):
        events(io.BytesIO(data))


def test_ragged_row():
    message = "row 3 has 11 cells but the header has 12; look for a missing or extra comma"
    with pytest.raises(InvalidMessageError, match=re.escape(message)):
        events(FILES / "lfs_ragged.csv")


def test_wrong_first_column():
    message = (
        "row 1: the first column must be DATAFLOW (SDMX-CSV 1.0) or STRUCTURE (SDMX-CSV 2.0), "
        "not 'FREQ'"
    )
    with pytest.raises(InvalidMessageError, match=re.escape(message)):
        events(FILES / "lfs_no_dataflow.csv")
    with pytest.raises(InvalidMessageError, match=re.escape(message)):
        events(FILES / "lfs_no_dataflow.csv", delimiter=",")


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ([], "row 1 is empty"),
        (["DATAFLOW:FREQ"], "row 1: DATAFLOW must be followed by the delimiter"),
        (["STRUCTURE,ACTION,FREQ"], "the second column of SDMX-CSV 2.0 must be STRUCTURE_ID"),
        (
            ["STRUCTURE,STRUCTURE_ID,FREQ,ACTION"],
            "column ACTION must come right after STRUCTURE_ID",
        ),
        (["DATAFLOW,FREQ,FREQ: Frequency"], "row 1: FREQ appears twice (columns 2 and 3)"),
        (["DATAFLOW,FREQ,,OBS_VALUE"], "row 1: column 3 has no header"),
        (
            ["STRUCTURE,STRUCTURE_ID,STRUCTURE_NAME,FREQ,Frequency,OBS_VALUE"],
            "every component column must be followed by its name column",
        ),
        (["DATAFLOW,FREQ", "A:B(1.0),Q", "DF_LFS,Q"], "row 3, column DATAFLOW: 'DF_LFS' is not"),
        (
            ["STRUCTURE,STRUCTURE_ID,ACTION,FREQ", "dataflow,A:B(1.0),X,Q"],
            "row 2, column ACTION: 'X' is not one of I (information), A (append)",
        ),
        (
            ["STRUCTURE,STRUCTURE_ID,ACTION,FREQ", "flow,A:B(1.0),I,Q"],
            "row 2, column STRUCTURE: 'flow' is not dataflow, datastructure or dataprovision",
        ),
        (
            ["DATAFLOW,FREQ,NOTE", "A:B(1.0),Q,x", 'A:B(1.0),Q,"open', "A:B(1.0),Q,y"],
            "row 3 cannot be read as CSV (unexpected end of data); check its double quotes",
        ),
        (
            ["DATAFLOW,FREQ,NOTE", 'A:B(1.0),Q,"x"y'],
            "row 2 cannot be read as CSV (',' expected after '\"')",
        ),
    ],
)
def test_refusal(lines, message):
    with pytest.raises(InvalidMessageError, match=re.escape(message)):
        events(csv_bytes(*lines))


# --- compressed bodies ----------------------------------------------------------------------------


def zipped(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return path


def patch_central_directory(path: Path, offset: int, value: int, size: int = 2) -> Path:
    """Overwrite a field of the (only) central directory entry, where zipfile reads it."""
    data = bytearray(path.read_bytes())
    entry = data.index(b"PK\x01\x02")
    data[entry + offset : entry + offset + size] = value.to_bytes(size, "little")
    path.write_bytes(bytes(data))
    return path


def read_all(path: Path, **kwargs: Any) -> bytes:
    with open_maybe_compressed(path, **kwargs) as stream:
        return stream.read()


@pytest.fixture
def synthetic() -> bytes:
    return (FILES / "synthetic_1000.csv").read_bytes()


def test_plain_gzip_and_zip_give_the_same_bytes_and_events(tmp_path, synthetic):
    plain_path = FILES / "synthetic_1000.csv"
    gz = tmp_path / "upload.csv.gz"
    gz.write_bytes(gzip.compress(synthetic))
    # a zip with a folder entry and macOS Finder metadata still holds one file
    zp = zipped(
        tmp_path / "upload.zip",
        {"data/": b"", "data/lfs.csv": synthetic, "__MACOSX/data/._lfs.csv": b"\0\5\26\7"},
    )
    no_suffix = tmp_path / "upload"  # the content decides, not the name
    shutil.copy(gz, no_suffix)
    expected = lfs_events(plain_path)
    for path in (gz, zp, no_suffix):
        assert read_all(path) == synthetic
        assert lfs_events(path) == expected
        assert sniff_structures(path) == sniff_structures(plain_path)


def test_concatenated_gzip_members(tmp_path, synthetic):
    gz = tmp_path / "upload.gz"
    gz.write_bytes(gzip.compress(synthetic[:1000]) + gzip.compress(synthetic[1000:]))
    assert read_all(gz) == synthetic


@pytest.mark.parametrize(
    ("members", "message"),
    [
        (
            {"a.csv": b"DATAFLOW", "b.csv": b"DATAFLOW"},
            "a zip archive must contain exactly one file; this one contains 2 (a.csv, b.csv)",
        ),
        ({}, "a zip archive must contain exactly one file; this one contains 0 (nothing)"),
    ],
)
def test_zip_without_exactly_one_file(tmp_path, members, message):
    with pytest.raises(InvalidMessageError, match=re.escape(message)):
        read_all(zipped(tmp_path / "upload.zip", members))
    with pytest.raises(InvalidMessageError, match=re.escape(message)):
        events(tmp_path / "upload.zip")


def test_cap_stops_a_bomb_while_streaming(tmp_path):
    bomb = tmp_path / "bomb.gz"
    bomb.write_bytes(gzip.compress(b"0" * 20_000_000))  # 20 MB in about 20 kB
    zip_bomb = zipped(tmp_path / "bomb.zip", {"a.csv": b"0" * 20_000_000})
    for path in (bomb, zip_bomb):
        with open_maybe_compressed(path, max_bytes=1_000_000) as stream:
            assert len(stream.read(500_000)) == 500_000  # under the cap, reading goes on
            with pytest.raises(PayloadTooLargeError, match="more than 1,000,000 bytes"):
                stream.read()
    assert len(read_all(bomb, max_bytes=None)) == 20_000_000


def test_zip_sizes_are_not_trusted(tmp_path):
    content = b"DATAFLOW,FREQ\n" * 1000
    uncompressed_size = 24  # offset of the 4-byte field in a central directory entry
    small = zipped(tmp_path / "s.zip", {"a.csv": content})
    patch_central_directory(small, uncompressed_size, 1, 4)
    with pytest.raises(InvalidMessageError, match="the zip content is damaged: Bad CRC-32"):
        read_all(small)
    large = zipped(tmp_path / "l.zip", {"a.csv": content})
    patch_central_directory(large, uncompressed_size, 2**32 - 1, 4)
    with pytest.raises(PayloadTooLargeError):
        read_all(large, max_bytes=len(content) - 1)
    assert read_all(large) == content


@pytest.mark.parametrize(
    ("make", "error", "message"),
    [
        (lambda d: gzip.compress(d)[:-50], InvalidMessageError, "the gzip content is damaged"),
        (lambda d: b"\x1f\x8b" + d, InvalidMessageError, "the gzip content is damaged"),
        (lambda d: b"PK" + d, InvalidMessageError, "starts like a zip archive but is not one"),
    ],
)
def test_damaged_archives(tmp_path, synthetic, make, error, message):
    path = tmp_path / "upload"
    path.write_bytes(make(synthetic))
    with pytest.raises(error, match=message):
        read_all(path)
    with pytest.raises(error, match=message):
        events(path)


def test_zip_member_damaged_or_unsupported(tmp_path, synthetic):
    damaged = zipped(tmp_path / "damaged.zip", {"a.csv": synthetic})
    data = bytearray(damaged.read_bytes())
    data[100:110] = b"\0" * 10  # inside the deflated content
    damaged.write_bytes(bytes(data))
    with pytest.raises(InvalidMessageError, match=r"damaged"):
        read_all(damaged)
    method = 10  # offset of the compression method in a central directory entry
    deflate64 = patch_central_directory(
        zipped(tmp_path / "d64.zip", {"a.csv": synthetic}), method, 9
    )
    with pytest.raises(UnsupportedError, match=r"a\.csv in the zip archive uses a compression"):
        read_all(deflate64)
    encrypted_flag = 8  # offset of the general purpose flags
    encrypted = patch_central_directory(
        zipped(tmp_path / "enc.zip", {"a.csv": synthetic}), encrypted_flag, 1
    )
    with pytest.raises(InvalidMessageError, match=r"a\.csv in the zip archive: .*encrypted"):
        read_all(encrypted)


# --- memory ---------------------------------------------------------------------------------------


def lfs_rows(count: int) -> Iterator[str]:
    yield "DATAFLOW,FREQ,REF_AREA,SEX,AGE,ECO,MEASURE,TIME_PERIOD,OBS_VALUE,OBS_STATUS,UNIT_MEASURE\n"
    for i in range(count):
        year, quarter = divmod(i, 4)
        yield (
            f"TEST:DF_LFS(1.0),Q,A{i // 4000:03d},SEX_T,AGE_YGE15,ECO_ISIC4_TOTAL,EMP,"
            f"{1900 + year % 1000}-Q{quarter + 1},{i * 0.5:.1f},A,PS\n"
        )


def test_memory_stays_flat(tmp_path):
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8") as out:
        out.writelines(lfs_rows(200_000))
    tracemalloc.start()
    try:
        count = sum(1 for _ in read_csv(path, dimension_ids=LFS_DIMENSIONS))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 200_001
    assert peak < 10 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"
