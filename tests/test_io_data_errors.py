"""Where a data file cannot be read: the readers' ``InvalidMessageError`` carries ``line`` (XML) or
``row`` and ``column`` (CSV) as attributes, and the submission's finding takes them from there,
never from the message text (a quoted value reading "row 99" does not move it)."""

from __future__ import annotations

import gzip
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from registry.errors import InvalidMessageError, UnsupportedError
from registry.io import data_files
from registry.io.compression import open_maybe_compressed
from registry.io.data_events import Location
from registry.io.safexml import UnsafeXMLError, parse
from registry.io.sdmxcsv import read_csv, sniff_structures
from registry.io.sdmxml_data import read_data
from registry.io.xsd import SchemaInvalidError
from registry.submission import _file_finding

LFS_DIMS = ("FREQ", "REF_AREA", "SEX", "AGE", "ECO", "MEASURE", "TIME_PERIOD")
HEADER = "DATAFLOW,FREQ,REF_AREA,SEX,AGE,ECO,MEASURE,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE"
CSV_ROW = "TEST:DF_LFS(1.0),Q,ARG,SEX_T,AGE_YGE15,ECO_ISIC4_TOTAL,EMP,2015-Q{q},6867.{q},PS"
V2_HEADER = "STRUCTURE,STRUCTURE_ID,ACTION,FREQ,TIME_PERIOD,OBS_VALUE"
V2_ROW = "dataflow,TEST:DF_LFS(1.0),{action},Q,2015-Q{q},1.{q}"

MESSAGE = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
SS = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific"
XML_HEAD = f"""<?xml version="1.0" encoding="UTF-8"?>
<message:StructureSpecificData xmlns:message="{MESSAGE}" xmlns:ss="{SS}">
<message:Header><message:ID>X</message:ID><message:Test>true</message:Test>
<message:Structure structureID="STR" dimensionAtObservation="TIME_PERIOD"><message:StructureUsage>\
<Ref agencyID="TEST" id="DF_LFS" version="1.0"/></message:StructureUsage></message:Structure>
</message:Header>
"""  # the DataSet starts on line 6
SERIES = '<Series FREQ="Q" REF_AREA="ARG" SEX="SEX_T" AGE="AGE_YGE15" ECO="E" MEASURE="EMP">'


def _csv(*rows: str, header: str = HEADER) -> bytes:
    return "\n".join([header, *rows, ""]).encode()


def _xml(*lines: str) -> bytes:
    return (XML_HEAD + "\n".join(lines) + "\n").encode()


def _read_csv(data: bytes) -> None:
    for _ in read_csv(io.BytesIO(data), dimension_ids=LFS_DIMS[:-1]):
        pass


def _read_xml(data: bytes) -> None:
    for _ in read_data(io.BytesIO(data), dimension_ids=LFS_DIMS):
        pass


def _refusal(read: Callable[[bytes], Any], data: bytes) -> InvalidMessageError:
    with pytest.raises(InvalidMessageError) as caught:
        read(data)
    return caught.value


def _where(exc: InvalidMessageError) -> tuple[int | None, int | None, str | None]:
    return exc.line, exc.row, exc.column


# -- CSV ------------------------------------------------------------------------------------


def test_ragged_csv_row() -> None:
    data = _csv(CSV_ROW.format(q=1), CSV_ROW.format(q=2), CSV_ROW.format(q=3) + ",extra")
    exc = _refusal(_read_csv, data)
    assert "row 4 has 11 cells" in exc.message
    assert _where(exc) == (None, 4, None)


def test_bad_utf8_at_row() -> None:
    rows = [CSV_ROW.format(q=q) for q in (1, 2, 3, 4)]
    data = _csv(*rows[:4]).replace(b"ARG,SEX_T,AGE_YGE15,ECO_ISIC4_TOTAL,EMP,2015-Q4", b"ARG\xe9")
    exc = _refusal(_read_csv, data)
    assert "row 5 is not UTF-8" in exc.message
    assert _where(exc) == (None, 5, None)


def test_unclosed_quote() -> None:
    data = _csv(CSV_ROW.format(q=1), CSV_ROW.format(q=2).replace(",PS", ',"P"S'))
    exc = _refusal(_read_csv, data)
    assert exc.message.startswith("row 3 cannot be read as CSV")
    assert _where(exc) == (None, 3, None)


def test_header_errors_are_on_row_1() -> None:
    assert _where(_refusal(_read_csv, b"FOO,BAR\n1,2\n")) == (None, 1, None)
    duplicate = _refusal(_read_csv, _csv(header=HEADER + ",FREQ"))
    assert "FREQ appears twice" in duplicate.message
    assert _where(duplicate) == (None, 1, "FREQ")


def test_bad_cells_name_row_and_column() -> None:
    data = _csv(V2_ROW.format(action="I", q=1), V2_ROW.format(action="X", q=2), header=V2_HEADER)
    assert _where(_refusal(_read_csv, data)) == (None, 3, "ACTION")
    bad_ref = _csv(CSV_ROW.format(q=1), CSV_ROW.format(q=2).replace("TEST:DF_LFS(1.0)", "DF_LFS"))
    assert _where(_refusal(_read_csv, bad_ref)) == (None, 3, "DATAFLOW")
    with pytest.raises(InvalidMessageError) as caught:
        sniff_structures(io.BytesIO(_csv(CSV_ROW.format(q=1).replace("TEST:", ""))))
    assert _where(caught.value) == (None, 2, "DATAFLOW")


def test_utf16_csv_is_row_1() -> None:
    stream = io.BufferedReader(io.BytesIO(_csv(CSV_ROW.format(q=1)).decode().encode("utf-16")))
    with pytest.raises(InvalidMessageError) as caught:
        data_files.sniff(stream)
    assert _where(caught.value) == (None, 1, None)


# -- XML ------------------------------------------------------------------------------------


def test_malformed_xml_at_line() -> None:
    data = _xml(
        '<message:DataSet ss:structureRef="STR">',
        SERIES,
        '<Obs TIME_PERIOD="2015-Q1" OBS_VALUE="1"/>',
        '<Obs TIME_PERIOD="2015-Q2" OBS_VALUE=2/>',  # line 9
        "</Series></message:DataSet></message:StructureSpecificData>",
    )
    exc = _refusal(_read_xml, data)
    assert "(line 9, column" in exc.message
    assert _where(exc) == (9, None, None)


def test_truncated_xml_at_its_last_line() -> None:
    data = _xml('<message:DataSet ss:structureRef="STR">', SERIES, '<Obs TIME_PERIOD="2015')
    exc = _refusal(_read_xml, data)
    assert exc.line == 9 and "(line 9, column" in exc.message  # after the last line break
    assert exc.row is None


def test_bad_action_and_unknown_structure_at_their_dataset() -> None:
    bad_action = _xml(
        '<message:DataSet ss:structureRef="STR" ss:action="Merge">',
        SERIES,
        '<Obs TIME_PERIOD="2015-Q1" OBS_VALUE="1"/>',
        "</Series></message:DataSet></message:StructureSpecificData>",
    )
    assert _where(_refusal(_read_xml, bad_action)) == (6, None, None)
    unknown = bad_action.replace(b' ss:action="Merge"', b"").replace(b'"STR">', b'"NOPE">', 1)
    exc = _refusal(_read_xml, unknown)
    assert "'NOPE'" in exc.message and _where(exc) == (6, None, None)


def test_doctype_is_refused_without_a_location() -> None:
    data = b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]>\n' + _xml()[22:]
    exc = _refusal(_read_xml, data)
    assert isinstance(exc, UnsafeXMLError)
    assert _where(exc) == (None, None, None)
    with pytest.raises(UnsafeXMLError) as caught:
        parse(data)
    assert _where(caught.value) == (None, None, None)


def test_whole_document_parse_gives_the_line() -> None:
    with pytest.raises(InvalidMessageError) as caught:
        parse(b"<a>\n<b>\n</a>")
    assert _where(caught.value) == (3, None, None)


def test_schema_error_keeps_its_line_and_reason() -> None:
    exc = SchemaInvalidError("element X is not expected", line=12, version="2.1")
    assert (exc.line, exc.row, exc.reason) == (12, None, "element X is not expected")
    assert "at line 12" in exc.message


# -- compression ----------------------------------------------------------------------------


def test_truncated_gzip_has_no_location(tmp_path: Path) -> None:
    packed = gzip.compress(_csv(*(CSV_ROW.format(q=q % 4 + 1) for q in range(2000))))
    path = tmp_path / "data.csv.gz"
    path.write_bytes(packed[: len(packed) // 2])
    with pytest.raises(InvalidMessageError) as caught, open_maybe_compressed(path) as stream:
        stream.read()
    assert "gzip" in caught.value.message
    assert _where(caught.value) == (None, None, None)


# -- the finding ----------------------------------------------------------------------------


def test_the_finding_takes_the_attributes_not_the_text() -> None:
    exc = InvalidMessageError("the value 'row 99' (see line 42) is wrong", row=3, column="ACTION")
    finding = _file_finding(exc, None)
    assert (finding.code, finding.location) == ("UNREADABLE_FILE", Location(row=3, column="ACTION"))
    assert _file_finding(InvalidMessageError("in 'row 99'"), None).location == Location()


def test_a_quoted_row_99_does_not_move_a_csv_finding() -> None:
    data = _csv(
        V2_ROW.format(action="I", q=1),
        V2_ROW.format(action="I", q=2),
        V2_ROW.format(action='"row 99"', q=3),
        header=V2_HEADER,
    )
    exc = _refusal(_read_csv, data)
    assert "'row 99'" in exc.message
    assert _file_finding(exc, None).location == Location(row=4, column="ACTION")


def test_a_quoted_row_99_does_not_move_an_xml_finding() -> None:
    data = b'<?xml version="1.0"?>\n\n<report xmlns="urn:x:row 99"/>\n'
    exc = _refusal(_read_xml, data)
    assert "row 99" in exc.message and "line" not in exc.message
    assert _file_finding(exc, None).location == Location(line=3)


def test_unsupported_content_says_where() -> None:
    """What the registry cannot store (501 features) is located like unreadable content."""
    data = _xml(f'<message:DataSet ss:structureRef="STR">{SERIES}', "<Metadata/>", "</Series>")
    with pytest.raises(UnsupportedError) as caught:
        _read_xml(data)
    assert caught.value.line == 7
    assert _file_finding(caught.value, None).location == Location(line=7)
