"""SDMX-CSV 1.0 and 2.0 data files read as a stream of data events, one row at a time.

``read_csv`` turns a file (a ``Path``, opened with ``open_maybe_compressed`` so gzip and zip work,
or a binary stream, left open) into the ``registry.io.data_events`` sequence with the ``csv``
module over a UTF-8 text wrapper: a byte-order mark is skipped, a byte that is not UTF-8 is an
``InvalidMessageError`` naming its row. The first header cell gives the version: ``DATAFLOW`` (1.0,
cells ``AGENCY:ID(VERSION)``, always a dataflow) or ``STRUCTURE`` (2.0, then ``STRUCTURE_ID`` and,
in this order, the optional ``STRUCTURE_NAME``, ``ACTION``, ``SERIES_KEY`` and ``OBS_KEY``, whose
cells other than the action are ignored); the delimiter is the one given or the character right
after that cell (comma, semicolon, tab or pipe). A ``DataSetStart`` begins whenever the structure
or the action changes from one row to the next. Files without an ``ACTION`` column (all of 1.0)
are ``Information``, as SDMX-CSV 2.0 says (2.1 would say Merge; what Information stores is the
submission's decision), ``M`` is ``Append``, and ``AGENCY:ID`` without a version means 1.0.
``TIME_PERIOD`` is always a dimension and ``measure_id`` the value (an empty cell is ``None``; a
second measure is just another column). With ``dimension_ids`` exactly those columns are the other
dimensions and every other column, listed in ``attribute_ids`` or not (custom columns too), is an
attribute, so the validator reports unknown components with their row; without it every column not
in ``attribute_ids`` is a dimension. Empty attribute cells are left out. Empty dimension cells are
kept as ``""`` for the validator, except in a Delete dataset, where an empty dimension is a
wildcard and is left out. A row without a ``TIME_PERIOD`` value is ``series_only`` in a Delete
dataset (a row of nothing but structure and action deletes everything), and elsewhere when it has
no value but has attributes (series or partial-key attributes, R-CSV2-06). Headers may read ``ID:
Name`` (``labels=both``): the id is kept, and the dimension and attribute cells of such a file
written ``ID: Name`` (an id of letters, digits and ``_@$.-``, a colon, a space) are cut to the id,
while the value cell is kept whole. A ``STRUCTURE_NAME`` column (``labels=name``) means every
component column is followed by a name column, which is skipped. Multi-valued ``ID[]`` and
multilingual ``ID[en;fr]`` columns read as ``ID`` with their cells as written, which is already the
convention the SDMX-ML reader follows (values joined by ``;``, texts as ``en:Text;fr:Texte``);
cells written with another sub-delimiter (``STRUCTURE[|]``) are rejoined with ``;``, and
``UnsupportedError`` is raised for a value that contains ``;`` there and for nested metadata
columns (``ID[].SUB``). Rows are physical lines, the header being row 1; a record whose quoted
cell runs over several lines is numbered by its first line, the rows after it by their own first
lines (``csv`` reader ``line_num`` semantics). Blank lines and rows of empty cells are skipped; a
row with another number of cells than the header, a quote left open or followed by more text, an
unknown structure kind or action, or a malformed ``STRUCTURE_ID`` is an ``InvalidMessageError``
naming the row, in its text and in its ``row`` attribute (and ``column``, the column's name, for a
bad header or SDMX cell). ``sniff_structures`` reads the header and the first data rows only,
so that a caller can fetch the structures before reading the whole file.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from registry.errors import InvalidMessageError, UnsupportedError
from registry.io.compression import open_maybe_compressed
from registry.io.data_events import DataEvent, DataSetStart, Location, ObservationRow, StructureRef

if TYPE_CHECKING:
    from _csv import Reader as CsvReader

__all__ = ["TIME_PERIOD", "read_csv", "sniff_structures"]

TIME_PERIOD = "TIME_PERIOD"

_DATAFLOW = "DATAFLOW"
_STRUCTURE = "STRUCTURE"
_STRUCTURE_ID = "STRUCTURE_ID"
#: Optional SDMX-CSV 2.0 columns after STRUCTURE_ID, in the order the format fixes.
_OPTIONAL_V2 = ("STRUCTURE_NAME", "ACTION", "SERIES_KEY", "OBS_KEY")
_RESERVED = frozenset((_DATAFLOW, _STRUCTURE, _STRUCTURE_ID, *_OPTIONAL_V2))
_KINDS = {
    "dataflow": "dataflow",
    "datastructure": "datastructure",
    "dataprovision": "provisionagreement",
}
_ACTIONS = {"I": "Information", "A": "Append", "R": "Replace", "D": "Delete", "M": "Append"}
_DEFAULT_ACTION = "Information"
_DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
_FIRST_CELL = re.compile(r'"?(DATAFLOW|STRUCTURE(?:\[.\])?)"?(.?)')
_STRUCTURE_CELL = re.compile(r"STRUCTURE(?:\[(.)\])?")
_REF = re.compile(
    r"(?P<agency>[\w@$\-]+(?:\.[\w@$\-]+)*):(?P<id>[\w@$\-]+)"
    r"(?:\((?P<version>[^()\s]+)\))?(?:: .*)?",
    re.ASCII | re.DOTALL,
)
_LABELLED = re.compile(r"([A-Za-z0-9_@$.\-]+): ")
#: ``ID``, ``ID[]`` (multi-valued) or ``ID[en;fr]`` (multilingual, languages listed).
_COMPONENT_HEADER = re.compile(r"([^\[\]]+)(\[[^\[\]]*\])?")
_LINE_BREAK = re.compile(rb"\r\n|\r|\n")

Row = list[str]
Converter = Callable[[Row, int], ObservationRow]


@dataclass(frozen=True)
class _Layout:
    """What the header says: version, delimiter, where the SDMX columns and components are."""

    version: str
    delimiter: str
    width: int
    kind_col: int | None
    ref_col: int
    action_col: int | None
    sub_delimiter: str = ";"
    components: tuple[tuple[int, str], ...] = ()
    several_values: tuple[tuple[int, str], ...] = ()
    labels: bool = False

    @property
    def dataset_cols(self) -> tuple[int, ...]:
        return tuple(c for c in (self.kind_col, self.ref_col, self.action_col) if c is not None)


@dataclass(frozen=True)
class _Plan:
    """Which columns become dimensions, attributes and the value."""

    dimensions: tuple[tuple[int, str], ...]
    attributes: tuple[tuple[int, str], ...]
    value_col: int | None
    time_col: int | None


# --- public API ----------------------------------------------------------------------------------


def read_csv(
    source: BinaryIO | Path,
    *,
    delimiter: str | None = None,
    dimension_ids: Sequence[str] | None = None,
    attribute_ids: Sequence[str] | None = None,
    measure_id: str = "OBS_VALUE",
) -> Iterator[DataEvent]:
    """Yield the data events of an SDMX-CSV 1.0 or 2.0 file, streaming (see the module doc)."""
    with _text(source) as text, _decoding_errors() as position:
        reader, layout = _open_reader(text, delimiter, position)
        plan = _plan(layout, dimension_ids, attribute_ids, measure_id)
        yield from _events(reader, layout, plan)


def sniff_structures(
    source: BinaryIO | Path, delimiter: str | None = None, *, max_rows: int | None = 1
) -> tuple[list[StructureRef], list[str]]:
    """The structures of the first ``max_rows`` data rows (``None``: all) and the component ids.

    Component ids are the header's columns other than the SDMX ones, without labels or brackets.
    A seekable stream is put back where it was.
    """
    start = None if isinstance(source, Path) or not source.seekable() else source.tell()
    try:
        with _text(source) as text, _decoding_errors() as position:
            reader, layout = _open_reader(text, delimiter, position)
            refs = _sniffed_refs(reader, layout, max_rows)
    finally:
        if start is not None and not isinstance(source, Path):
            source.seek(start)
    return refs, [component for _, component in layout.components]


# --- text, decoding and the header ---------------------------------------------------------------


@contextmanager
def _text(source: BinaryIO | Path) -> Iterator[io.TextIOWrapper]:
    """A UTF-8 text view of ``source``; a stream given by the caller is left open."""
    with ExitStack() as stack:
        binary = (
            stack.enter_context(open_maybe_compressed(source))
            if isinstance(source, Path)
            else source
        )
        text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
        try:
            yield text
        finally:
            text.detach()


class _Position:
    """How many physical lines the csv reader has consumed (0 before it exists)."""

    def __init__(self) -> None:
        self.reader: CsvReader | None = None

    @property
    def lines(self) -> int:
        return self.reader.line_num if self.reader is not None else 0


@contextmanager
def _decoding_errors() -> Iterator[_Position]:
    """Turn a UTF-8 decoding failure into an ``InvalidMessageError`` naming its physical row.

    The text wrapper decodes ahead in chunks; every line before the failing chunk has reached the
    csv reader, so the row is the lines read plus the line breaks before the bad byte.
    """
    position = _Position()
    try:
        yield position
    except UnicodeDecodeError as exc:
        data = exc.object if isinstance(exc.object, bytes) else bytes(exc.object)
        row = position.lines + 1 + len(_LINE_BREAK.findall(data, 0, exc.start))
        raise InvalidMessageError(_not_utf8(row, data, exc.start), row=row) from None


def _not_utf8(row: int, data: bytes, start: int) -> str:
    if row == 1 and data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "the file is UTF-16 text; save it as UTF-8 (in Excel: CSV UTF-8)"
    return f"row {row} is not UTF-8 text (byte 0x{data[start]:02X}); save the file as UTF-8"


def _open_reader(
    text: io.TextIOWrapper, delimiter: str | None, position: _Position
) -> tuple[CsvReader, _Layout]:
    """Read the header line, choose the delimiter, and return the csv reader past the header."""
    first_line = text.readline()
    if not first_line.strip():
        raise InvalidMessageError(
            "row 1 is empty: an SDMX-CSV file starts with its header row", row=1
        )
    delimiter = _check_delimiter(delimiter) if delimiter else _sniff_delimiter(first_line)
    reader = csv.reader(chain([first_line], text), delimiter=delimiter, strict=True)
    position.reader = reader
    header = next(reader)
    return reader, _layout(header, delimiter)


def _check_delimiter(delimiter: str) -> str:
    if len(delimiter) != 1:
        raise ValueError(f"a CSV delimiter is one character, not {delimiter!r}")
    return delimiter


def _sniff_delimiter(first_line: str) -> str:
    """The character right after ``DATAFLOW`` or ``STRUCTURE[…]`` (R-CSV1-04)."""
    match = _FIRST_CELL.match(first_line)
    if match is None:
        raise _wrong_first_column(first_line)
    character = match.group(2)
    if character in _DELIMITERS:
        return character
    if character in ("", "\r", "\n"):
        return ","
    raise InvalidMessageError(
        f"row 1: {match.group(1)} must be followed by the delimiter (comma, semicolon, tab or "
        f"pipe), not {character!r}",
        row=1,
    )


def _wrong_first_column(found: str) -> InvalidMessageError:
    cell = re.split(r"[,;\t|\r\n]", found, maxsplit=1)[0][:40]
    return InvalidMessageError(
        f"row 1: the first column must be DATAFLOW (SDMX-CSV 1.0) or STRUCTURE (SDMX-CSV 2.0), "
        f"not {cell!r}",
        row=1,
    )


def _layout(header: Row, delimiter: str) -> _Layout:
    """The SDMX columns of the header, then its component columns."""
    layout, start, with_names = _sdmx_columns(header, delimiter)
    columns = list(enumerate(header))[start:]
    if with_names:
        columns = _without_name_columns(columns)
    parsed = [(index, *_component_id(cell, index, layout.version)) for index, cell in columns]
    _check_unique(parsed)
    return replace(
        layout,
        components=tuple((index, component) for index, component, _, _ in parsed),
        several_values=tuple((index, component) for index, component, many, _ in parsed if many),
        labels=any(labelled for *_, labelled in parsed),
    )


def _sdmx_columns(header: Row, delimiter: str) -> tuple[_Layout, int, bool]:
    """The layout of the SDMX columns, where the components start, and whether names follow."""
    first = header[0].strip()
    if first == _DATAFLOW:
        return _Layout("1.0", delimiter, len(header), None, 0, None), 1, False
    match = _STRUCTURE_CELL.fullmatch(first)
    if match is None:
        raise _wrong_first_column(first)
    if len(header) < 2 or header[1].strip() != _STRUCTURE_ID:
        raise InvalidMessageError(
            "row 1: the second column of SDMX-CSV 2.0 must be STRUCTURE_ID", row=1
        )
    optional = _optional_columns(header)
    action = optional.get("ACTION")
    layout = _Layout("2.0", delimiter, len(header), 0, 1, action, match.group(1) or ";")
    return layout, 2 + len(optional), "STRUCTURE_NAME" in optional


def _optional_columns(header: Row) -> dict[str, int]:
    """STRUCTURE_NAME, ACTION, SERIES_KEY, OBS_KEY where present, in that order after column 2."""
    found: dict[str, int] = {}
    index = 2
    for name in _OPTIONAL_V2:
        if index < len(header) and header[index].strip() == name:
            found[name] = index
            index += 1
    return found


def _without_name_columns(columns: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """With ``labels=name`` every component column is followed by its name column (skipped)."""
    if len(columns) % 2:
        raise InvalidMessageError(
            "row 1: with a STRUCTURE_NAME column (labels=name) every component column must be "
            f"followed by its name column, but there are {len(columns)} columns after the SDMX "
            "ones",
            row=1,
        )
    return columns[::2]


def _component_id(cell: str, index: int, version: str) -> tuple[str, bool, bool]:
    """(id, several values, labelled) of a header: ``ID``, ``ID: Name``, ``ID[]``, ``ID[en;fr]``."""
    text = cell.strip()
    header, labelled, _ = text.partition(": ")
    match = _COMPONENT_HEADER.fullmatch(header)
    if not header:
        raise InvalidMessageError(
            f"row 1: column {index + 1} has no header; name it or delete the column", row=1
        )
    if match is None:
        raise UnsupportedError(
            f"column {text!r}: nested components (metadata attributes such as ID[].SUB) and "
            "multi-valued multilingual ones are not supported",
            row=1,
            column=text,
        )
    component = match.group(1)
    if version == "2.0" and component in _RESERVED:
        raise InvalidMessageError(
            f"row 1: column {component} must come right after STRUCTURE_ID, in the order "
            "STRUCTURE_NAME, ACTION, SERIES_KEY, OBS_KEY",
            row=1,
            column=component,
        )
    return component, match.group(2) is not None, bool(labelled)


def _check_unique(parsed: list[tuple[int, str, bool, bool]]) -> None:
    seen: dict[str, int] = {}
    for index, component, _, _ in parsed:
        if component in seen:
            raise InvalidMessageError(
                f"row 1: {component} appears twice (columns {seen[component] + 1} and {index + 1})",
                row=1,
                column=component,
            )
        seen[component] = index


def _plan(
    layout: _Layout,
    dimension_ids: Sequence[str] | None,
    attribute_ids: Sequence[str] | None,
    measure_id: str,
) -> _Plan:
    """Sort the component columns into dimensions, attributes and the value (module doc)."""
    dims: list[tuple[int, str]] = []
    attrs: list[tuple[int, str]] = []
    value_col = time_col = None
    for index, component in layout.components:
        if component == measure_id:
            value_col = index
            continue
        if component == TIME_PERIOD:
            time_col = index
        if component == TIME_PERIOD or (
            component in dimension_ids
            if dimension_ids is not None
            else component not in (attribute_ids or ())
        ):
            dims.append((index, component))
        else:
            attrs.append((index, component))
    return _Plan(tuple(dims), tuple(attrs), value_col, time_col)


# --- rows ----------------------------------------------------------------------------------------


def _events(reader: CsvReader, layout: _Layout, plan: _Plan) -> Iterator[DataEvent]:
    """The dataset and observation events of the data rows."""
    width = layout.width
    dataset_key = itemgetter(*layout.dataset_cols)
    current_key: object = None  # the raw STRUCTURE, STRUCTURE_ID and ACTION cells
    dataset: tuple[StructureRef, str] | None = None
    convert: Converter = _before_first_row
    index = -1
    line = reader.line_num
    try:
        for row in reader:
            number, line = line + 1, reader.line_num
            if len(row) != width or dataset_key(row) != current_key:
                if not any(row):
                    continue  # a blank line, or a row of empty cells
                if len(row) != width:
                    raise _ragged(number, len(row), layout)
                current_key = dataset_key(row)
                found = _dataset_of(row, layout, number)
                if found != dataset:
                    index += 1
                    dataset, convert = found, _converter(plan, layout, delete=found[1] == "Delete")
                    yield DataSetStart(index, found[1], found[0], location=Location(row=number))
            yield convert(row, number)
    except csv.Error as exc:
        raise _unreadable(line + 1, exc) from None


def _before_first_row(row: Row, number: int) -> ObservationRow:
    raise AssertionError("a data row before its dataset")


def _sniffed_refs(reader: CsvReader, layout: _Layout, max_rows: int | None) -> list[StructureRef]:
    """The distinct structures of the first ``max_rows`` non-blank data rows."""
    refs: list[StructureRef] = []
    line = reader.line_num
    rows = 0
    try:
        for row in reader:
            number, line = line + 1, reader.line_num
            if not any(row):
                continue
            if len(row) != layout.width:
                raise _ragged(number, len(row), layout)
            ref = _dataset_of(row, layout, number)[0]
            refs += [] if ref in refs else [ref]
            rows += 1
            if max_rows is not None and rows >= max_rows:
                break
    except csv.Error as exc:
        raise _unreadable(line + 1, exc) from None
    return refs


def _unreadable(number: int, exc: csv.Error) -> InvalidMessageError:
    return InvalidMessageError(
        f"row {number} cannot be read as CSV ({exc}); check its double quotes: a quoted cell "
        "must be closed, right before the delimiter or the end of the line",
        row=number,
    )


def _ragged(number: int, cells: int, layout: _Layout) -> InvalidMessageError:
    name = _DELIMITERS.get(layout.delimiter, repr(layout.delimiter))
    return InvalidMessageError(
        f"row {number} has {cells} cells but the header has {layout.width}; look for a missing "
        f"or extra {name}, or a cell with a {name} that is not in double quotes",
        row=number,
    )


def _dataset_of(row: Row, layout: _Layout, number: int) -> tuple[StructureRef, str]:
    """The structure and action a data row declares."""
    kind = "dataflow" if layout.kind_col is None else _kind(row[layout.kind_col], number)
    column = _DATAFLOW if layout.version == "1.0" else _STRUCTURE_ID
    ref = _structure_ref(kind, row[layout.ref_col], number, column)
    if layout.action_col is None:
        return ref, _DEFAULT_ACTION
    return ref, _action(row[layout.action_col], number)


def _kind(cell: str, number: int) -> str:
    kind = _KINDS.get(cell.strip())
    if kind is None:
        raise InvalidMessageError(
            f"row {number}, column STRUCTURE: {cell!r} is not dataflow, datastructure or "
            "dataprovision",
            row=number,
            column=_STRUCTURE,
        )
    return kind


def _structure_ref(kind: str, cell: str, number: int, column: str) -> StructureRef:
    match = _REF.fullmatch(cell.strip())
    if match is None:
        raise InvalidMessageError(
            f"row {number}, column {column}: {cell!r} is not AGENCY:ID(VERSION), "
            "e.g. MA.HCP:DF_LFS_KEY(1.0)",
            row=number,
            column=column,
        )
    agency, id_, version = match.group("agency", "id", "version")
    return StructureRef(kind, agency, id_, version or "1.0")


def _action(cell: str, number: int) -> str:
    action = _ACTIONS.get(cell.strip())
    if action is None:
        raise InvalidMessageError(
            f"row {number}, column ACTION: {cell!r} is not one of I (information), A (append), "
            "R (replace), D (delete), M (merge)",
            row=number,
            column="ACTION",
        )
    return action


# --- row converters ------------------------------------------------------------------------------


def _converter(plan: _Plan, layout: _Layout, *, delete: bool) -> Converter:
    """The function turning one data row into an ``ObservationRow``."""
    convert = _compile_row(plan, delete=delete)
    if layout.labels:
        convert = _with_labels(convert, plan.value_col)
    if layout.several_values and layout.sub_delimiter != ";":
        convert = _with_semicolons(convert, layout.several_values, layout.sub_delimiter)
    return convert


def _getter(indices: list[int]) -> Callable[[Row], tuple[str, ...]]:
    """A C-level picker of the cells at ``indices`` that always returns a tuple."""
    if not indices:
        return lambda row: ()
    if len(indices) == 1:
        (only,) = indices
        return lambda row: (row[only],)
    return itemgetter(*indices)


def _compile_row(plan: _Plan, *, delete: bool) -> Converter:
    """``convert(row, number)``: the row's dimension and attribute dicts, given to ``_observation``.

    Built once per dataset from ``operator.itemgetter`` over the column positions, so the per-row
    work is a few C-level calls. Empty attribute cells are left out, and empty dimension cells too
    in a Delete dataset (where they are wildcards).
    """
    dim_ids = tuple(id_ for _, id_ in plan.dimensions)
    attr_ids = tuple(id_ for _, id_ in plan.attributes)
    dim_cells = _getter([int(index) for index, _ in plan.dimensions])
    attr_cells = _getter([int(index) for index, _ in plan.attributes])
    value_col, time_col = plan.value_col, plan.time_col
    observation = _observation

    def convert(row: Row, number: int) -> ObservationRow:
        # Lengths match: ragged rows were refused before conversion.
        cells = dim_cells(row)
        if delete and "" in cells:
            dimensions = {k: v for k, v in zip(dim_ids, cells) if v}  # noqa: B905
        else:
            dimensions = dict(zip(dim_ids, cells))  # noqa: B905
        cells = attr_cells(row)
        if "" in cells:
            attributes = {k: v for k, v in zip(attr_ids, cells) if v}  # noqa: B905
        else:
            attributes = dict(zip(attr_ids, cells))  # noqa: B905
        value = row[value_col] if value_col is not None else ""
        time = row[time_col] if time_col is not None else ""
        return observation(dimensions, value, attributes, time, number, delete)

    return convert


def _with_labels(convert: Converter, value_col: int | None) -> Converter:
    """``labels=both``: cut ``ID: Name`` cells to ``ID``, except the value cell."""

    def strip_labels(row: Row, number: int) -> ObservationRow:
        ids = [cell if i == value_col else _id_part(cell) for i, cell in enumerate(row)]
        return convert(ids, number)

    return strip_labels


def _id_part(cell: str) -> str:
    match = _LABELLED.match(cell)
    return match.group(1) if match else cell


def _with_semicolons(
    convert: Converter, columns: tuple[tuple[int, str], ...], sub_delimiter: str
) -> Converter:
    """Multi-valued and multilingual cells written with another sub-delimiter, joined by ``;``."""

    def rejoin(row: Row, number: int) -> ObservationRow:
        row = list(row)
        for index, component in columns:
            parts = row[index].split(sub_delimiter)
            if len(parts) > 1 and any(";" in part for part in parts):
                raise UnsupportedError(
                    f"row {number}, column {component}: a value contains ';', which separates "
                    "multiple values in the registry; such values are not supported",
                    row=number,
                    column=component,
                )
            row[index] = ";".join(parts)
        return convert(row, number)

    return rejoin


def _observation(
    dimensions: dict[str, str],
    value: str,
    attributes: dict[str, str],
    time: str,
    row: int,
    delete: bool,
) -> ObservationRow:
    """The ``ObservationRow`` of one row; ``series_only`` as the module doc says."""
    if delete:
        series_only = not time
    else:
        series_only = not value and not time and bool(attributes)
        if series_only:
            dimensions.pop(TIME_PERIOD, None)
    return ObservationRow(dimensions, value or None, attributes, Location(row=row), series_only)
