"""Streaming readers for SDMX-ML data messages: bytes in, ``data_events`` out, memory flat.

``read_data`` reads SDMX-ML 2.1 ``GenericData``, ``GenericTimeSeriesData``,
``StructureSpecificData`` and ``StructureSpecificTimeSeriesData`` and SDMX-ML 3.0
``StructureSpecificData`` with ``lxml.etree.iterparse`` (no DTD, no entities, no network; every
observation and series is cleared once read, so no tree is ever built) and yields one
``DataSetStart`` per dataset (0-based ``index``; ``action`` defaults to ``Append``), one
``GroupValues`` per group (and per SDMX-ML 3.0 ``Atts``, as ``group_id=""``: an empty key means
dataset-level values), and one ``ObservationRow`` per observation or per series sent without
observations (``series_only``). A structure-specific message does not say which XML attributes are
dimensions, so ``dimension_ids`` (the DSD's dimension ids; ``TIME_PERIOD`` is always one) is
required for it and ignored for generic messages; ``OBS_VALUE`` is the value, every other
unqualified XML attribute an attribute value (``REPORTING_YEAR_START_DAY`` included, as the 2.1
XSD declares it on datasets, groups, series and observations) and namespace-qualified ones
(``xsi:type``, ``ss:*``) are not data. In SDMX-ML 2.1 explicit-measure messages the observation's
``type`` or ``xsi:type`` gives the value of the dimension at observation. SDMX-ML 3.0 ``Comp``
values are read when simple: several values are joined with ``;`` and one multilingual value is
written ``en:Text;fr:Texte`` (the SDMX-CSV 2.0 conventions); several multilingual values, XHTML,
values containing ``;``, attached ``Metadata`` and 3.0 explicit measures raise
``UnsupportedError`` rather than lose data. Annotations and ``DataProvider`` elements are not
read. ``sniff_structure`` reads only the header so that a caller can look the DSD up first.
Errors are raised while iterating: ``InvalidMessageError`` for DTDs and entities, malformed or
truncated XML, messages that are not data, unknown actions or structure ids, with the line in its
text and in its ``line`` attribute (none for a refused DTD). With
``xsd=True`` (the default) a message the official XSDs describe completely (SDMX-ML 2.1
``GenericData`` and ``GenericTimeSeriesData``; see ``registry.io.xsd``) is validated against them
while it is parsed, chunk by chunk, before the chunk's events are read: the first violation raises
``SchemaInvalidError`` (an ``InvalidMessageError`` with ``line`` and a readable ``reason``), events
yielded before it coming from valid chunks; a syntax error past the first 64 KiB is then refused
at the same line and column, possibly in other words (lxml keeps only libxml2's last error when
validating). Structure-specific messages need a schema derived from their DSD, which the registry
does not generate yet, so they are not XSD-checked (the data validator checks their content against
the DSD); nor is anything with ``xsd=False``.
"""

from __future__ import annotations

import ast
import itertools
import re
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO, cast

from lxml import etree

from registry.errors import InvalidMessageError, RegistryError, UnsupportedError
from registry.io.data_events import (
    ACTIONS,
    DataEvent,
    DataSetStart,
    GroupValues,
    Location,
    ObservationRow,
    StructureRef,
)
from registry.io.safexml import DTD_DECLARATION, DTD_REFUSED, UnsafeXMLError, syntax_error
from registry.io.xsd import (
    ANCHOR,
    ANCHOR_TARGET,
    SchemaInvalidError,
    StreamValidation,
    data_schema,
)
from registry.structure_types import parse_urn

__all__ = ["SchemaInvalidError", "read_data", "sniff_structure"]

_SCHEMAS = "http://www.sdmx.org/resources/sdmxml/schemas"
_MESSAGE_NS = re.compile(
    r"http://www\.sdmx\.org/resources/sdmxml/schemas/v(\d)_(\d)/message", re.IGNORECASE
)
_XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_SAFE: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
}
_CHUNK = 1 << 16
_LOST_ERROR = re.compile(r"line \d+: (b'.*'|b\".*\")", re.DOTALL)
_DATA_ROOTS = {
    "2.1": (
        "GenericData",
        "GenericTimeSeriesData",
        "StructureSpecificData",
        "StructureSpecificTimeSeriesData",
    ),
    "3.0": ("StructureSpecificData",),
}
_OTHER_DATA_ROOTS = {"CompactData", "CrossSectionalData", "UtilityData", "MessageGroup"}
_METADATA_ROOTS = {"GenericMetadata", "StructureSpecificMetadata", "MetadataReport"}
_REF_KINDS = {
    "Structure": "datastructure",
    "StructureUsage": "dataflow",
    "ProvisionAgrement": "provisionagreement",  # sic: the SDMX-ML 2.1 XSD spelling
    "ProvisionAgreement": "provisionagreement",
}
_URN_KINDS = {
    "DataStructure": "datastructure",
    "Dataflow": "dataflow",
    "ProvisionAgreement": "provisionagreement",
}


# ── Public API ──────────────────────────────────────────────────────────────────────────────────


def read_data(
    source: Path | BinaryIO,
    *,
    dimension_ids: Collection[str] | None = None,
    xsd: bool = True,
) -> Iterator[DataEvent]:
    """Stream the events of an SDMX-ML 2.1/3.0 data message (see the module docstring).

    ``dimension_ids`` are the dimension ids of the DSD; they are required for structure-specific
    messages (``TypeError`` otherwise) and ignored for generic ones. ``xsd`` validates generic
    messages against the official XSD as they stream (``SchemaInvalidError`` on the first
    violation).
    """
    with _opened(source) as stream:
        data = _Input(stream)
        message = data.sniff_root()
        reader: _Reader
        if message.structure_specific:
            if dimension_ids is None:
                raise TypeError(
                    "read_data needs dimension_ids for structure-specific data: read the "
                    "structure with sniff_structure and pass the DSD's dimension ids."
                )
            reader = _StructureSpecificReader(message, dimension_ids)
        else:
            reader = _GenericReader(message)
        schema = data_schema(message.version, message.root) if xsd else None
        with _syntax_errors(data):
            if schema is None:
                yield from reader.run(_parse(data, reader.tags()))
            else:
                yield from reader.run(_validated(data, reader.tags(), schema, message))


def sniff_structure(source: Path | BinaryIO) -> list[StructureRef]:
    """The structures the header of a data message declares, in header order.

    Parsing stops at the end of the header (or at the first ``DataSet``); a seekable stream is
    put back where it was, so it can be passed to ``read_data`` next.
    """
    with _opened(source) as stream:
        start = stream.tell() if _seekable(stream) else None
        try:
            data = _Input(stream)
            message = data.sniff_root()
            header = f"{{{message.message_ns}}}Header"
            with _syntax_errors(data):
                for event, elem in _parse(data, [header, "{*}DataSet"], ("start", "end")):
                    if event == "end" and elem.tag == header:
                        return [d.ref for d in _header_structures(elem, message).values()]
                    if elem.tag != header:
                        break
            return []
        finally:
            if start is not None:
                stream.seek(start)


# ── Input: opening, sniffing the root, safe parsing ─────────────────────────────────────────────


@contextmanager
def _opened(source: Path | BinaryIO) -> Iterator[IO[bytes]]:
    if isinstance(source, (str, Path)):
        try:
            handle = open(source, "rb")  # noqa: SIM115 (closed by the with below)
        except OSError as exc:
            raise InvalidMessageError(f"Cannot read the file {source}: {exc.strerror}.") from None
        with handle:
            yield handle
    else:
        yield source


def _line(elem: etree._Element) -> int | None:
    """The line of an element (lxml's stubs do not say it is an int)."""
    return cast(int | None, elem.sourceline)


def _seekable(stream: IO[bytes]) -> bool:
    try:
        return bool(stream.seekable())
    except (AttributeError, ValueError):
        return False


@dataclass(frozen=True, slots=True)
class _Message:
    """What the root element says: the SDMX-ML version and the data message type."""

    version: str
    root: str

    @property
    def base(self) -> str:
        return f"{_SCHEMAS}/v{self.version.replace('.', '_')}"

    @property
    def message_ns(self) -> str:
        return f"{self.base}/message"

    @property
    def structure_specific(self) -> bool:
        return self.root.startswith("StructureSpecific")


class _Input:
    """The bytes of the message, for lxml: what the root sniff read ahead, then the rest.

    It notes whether a DTD or entity declaration went past, so that a syntax error caused by one
    (a DOCTYPE after the root element) is reported as what it is.
    """

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._replay: list[bytes] = []
        self._tail = b""
        self.saw_dtd = False
        #: The XSD check, when the message is validated as it is parsed.
        self.validation: StreamValidation | None = None
        #: Where ``inject`` put bytes of its own: (line, 0-based column, length).
        self._injected: tuple[int, int, int] | None = None
        #: Lines read so far, and bytes on the last one: where the input ends once all is read.
        self.newlines = 0
        self.last_line = 0

    def read(self, size: int = _CHUNK) -> bytes:
        if self._replay:
            return self._replay.pop(0)
        return self._take(size if size and size > 0 else _CHUNK)

    def _take(self, size: int) -> bytes:
        chunk = self._stream.read(size)
        if not isinstance(chunk, bytes):
            raise TypeError("read_data needs a binary stream (open the file with 'rb').")
        if not self.saw_dtd and DTD_DECLARATION.search(self._tail + chunk):
            self.saw_dtd = True
        self._tail = chunk[-8:]
        newlines = chunk.count(b"\n")
        if newlines:
            self.newlines += newlines
            self.last_line = len(chunk) - chunk.rfind(b"\n") - 1
        else:
            self.last_line += len(chunk)
        return chunk

    def sniff_root(self) -> _Message:
        """Read ahead to the root start tag; refuse DTDs and anything but a data message."""
        parser = etree.XMLPullParser(events=("start",), **_SAFE)
        while chunk := self._take(_CHUNK):
            self._replay.append(chunk)
            try:
                parser.feed(chunk)
            except etree.XMLSyntaxError as exc:
                raise self.malformed(exc) from None
            for _, root in parser.read_events():
                self._refuse_dtd(cast(etree._Element, root))
                return _classify(cast(etree._Element, root))
        raise InvalidMessageError("The document holds no XML element (it is empty or truncated).")

    def _refuse_dtd(self, root: etree._Element) -> None:
        docinfo: Any = root.getroottree().docinfo
        if self.saw_dtd or docinfo.doctype or docinfo.internalDTD is not None:
            raise UnsafeXMLError(DTD_REFUSED)

    def inject(self, marker: bytes) -> bool:
        """Have ``marker`` (a processing instruction) read as a piece of its own, right after
        the XML declaration; False when the start of the document does not allow it (UTF-16)."""
        head = self._replay[0] if self._replay else b""
        offset = _after_declaration(head)
        if offset is None or offset >= len(head):
            return False
        self._replay[0:1] = [head[:offset] + marker, head[offset:]]
        line_start = head.rfind(b"\n", 0, offset) + 1
        self._injected = (head.count(b"\n", 0, offset) + 1, offset - line_start, len(marker))
        return True

    def malformed(self, exc: etree.XMLSyntaxError) -> InvalidMessageError:
        if self.saw_dtd:
            return UnsafeXMLError(DTD_REFUSED)
        if self.validation is not None:
            invalid = self.validation.error(self.validation.parser.feed_error_log)
            if invalid is not None and not self.validation.ended:
                return invalid  # met before the syntax error, which stopped the parser
            if invalid is not None:  # what the end of the input left open, seen by the schema
                exc.msg = "the document ends before its last element is complete"
                exc.lineno, exc.offset = self.newlines + 1, self.last_line
                return syntax_error(exc)
            _tidy_lost_error(exc)
        if self._injected is not None and exc.offset is not None:
            line, column, length = self._injected
            if exc.lineno == line and exc.offset >= column:  # after the marker: not in the file
                exc.offset -= length
        return syntax_error(exc)


def _tidy_lost_error(exc: etree.XMLSyntaxError) -> None:
    """The text of a syntax error met while validating.

    lxml's schema plug disconnects the parser's error log, so such an exception quotes only
    libxml2's last error, as ``line N: b'…'`` (with the right line and column); keep the text.
    """
    match = _LOST_ERROR.fullmatch(exc.msg or "")
    if match is not None:
        text = cast(bytes, ast.literal_eval(match[1]))
        exc.msg = text.decode("utf-8", "replace").strip()


def _after_declaration(head: bytes) -> int | None:
    """The offset just after the XML declaration (or after the UTF-8 byte-order mark, or 0)."""
    start = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    if b"\x00" in head[start : start + 4]:
        return None  # UTF-16 or UTF-32 without a byte-order mark
    if re.match(rb"<\?xml[ \t\r\n]", head[start : start + 6]):
        end = head.find(b"?>", start)
        return None if end < 0 else end + 2
    return start if head[start : start + 1] in (b"<", b" ", b"\t", b"\r", b"\n") else None


def _parse(
    data: _Input, tags: list[str], events: tuple[str, ...] = ("end",)
) -> Iterator[tuple[str, Any]]:
    """(event, element) pairs for the given tags; wrap the loop in ``_syntax_errors``."""
    return etree.iterparse(data, events=events, tag=tags, **_SAFE)


def _validated(
    data: _Input, tags: list[str], schema: etree.XMLSchema, message: _Message
) -> Iterator[tuple[str, Any]]:
    """``_parse`` with XSD validation: each chunk is fed, checked, and only then are its events
    read (``itertools.chain`` keeps the per-event cost of ``iterparse``)."""
    # Entities left to lxml's default ('internal'): with resolve_entities=False and a schema,
    # lxml takes a truncated or malformed document for well-formed (its schema plug disconnects
    # the error log it checks). No entity can be declared anyway: a DTD never gets past the root.
    parser = etree.XMLPullParser(
        events=("end", "pi"),
        tag=[*tags, etree.PI],
        schema=schema,
        **{**_SAFE, "resolve_entities": "internal"},
    )
    validation = data.validation = StreamValidation(parser, message.version)
    return itertools.chain.from_iterable(_feed_checked(data, parser, validation))


def _feed_checked(
    data: _Input, parser: etree.XMLPullParser, validation: StreamValidation
) -> Iterator[Iterable[tuple[str, Any]]]:
    events = parser.read_events()
    try:
        if data.inject(ANCHOR):  # fed alone: the anchor is known before any element is parsed
            validation.activate()
            parser.feed(data.read())
            first = []
            for event, elem in events:
                if event == "pi" and getattr(elem, "target", None) == ANCHOR_TARGET:
                    validation.anchor(elem)
                else:
                    first.append((event, elem))
            yield first
        while chunk := data.read():
            validation.activate()
            parser.feed(chunk)
            validation.check()
            yield events
        validation.activate()
        validation.ended = True  # errors of close() are about the end of the input
        parser.close()
        yield events
    finally:
        validation.finish()


@contextmanager
def _syntax_errors(data: _Input) -> Iterator[None]:
    """Turn lxml's parse errors into InvalidMessageError naming the line."""
    try:
        yield
    except etree.XMLSyntaxError as exc:  # also bad bytes and unknown encodings
        raise data.malformed(exc) from None


def _classify(root: etree._Element) -> _Message:
    qname = etree.QName(root.tag)
    local, namespace = qname.localname, qname.namespace or ""
    match = _MESSAGE_NS.fullmatch(namespace)
    if not match:
        where = f" in namespace {namespace}" if namespace else " (no namespace)"
        raise InvalidMessageError(
            f"The document is not an SDMX-ML message: its root element is <{local}>{where}.",
            line=_line(root),
        )
    version = f"{match[1]}.{match[2]}"
    if local in _DATA_ROOTS.get(version, ()):
        return _Message(version, local)
    raise _not_data(local, version, _line(root))


def _not_data(local: str, version: str, line: int | None) -> RegistryError:
    if local in _OTHER_DATA_ROOTS or local.endswith("Data"):
        return UnsupportedError(
            f"SDMX-ML {version} {local} messages are not supported: send SDMX-ML 2.1 generic or "
            "structure-specific data, or SDMX-ML 3.0 structure-specific data."
        )
    if local == "Structure":
        what = "a structure message (Structure)"
    elif local in _METADATA_ROOTS:
        what = f"a reference metadata message ({local})"
    elif local == "Error":
        what = "an error message (Error)"
    elif local.endswith("Query"):
        what = f"a query message ({local})"
    else:
        what = f"a {local} message"
    return InvalidMessageError(
        f"The document is {what} in SDMX-ML {version}, not a data message: send "
        "GenericData or StructureSpecificData.",
        line=line,
    )


# ── Header ──────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True, slots=True)
class _Declared:
    """One ``message:Structure`` of the header, as datasets refer to it by ``structureID``."""

    ref: StructureRef
    dimension_at_observation: str = "TIME_PERIOD"
    namespace: str | None = None
    explicit_measures: bool = False


def _header_structures(header: etree._Element, message: _Message) -> dict[str, _Declared]:
    out = {}
    for elem in header.iterfind(f"{{{message.message_ns}}}Structure"):
        structure_id = elem.get("structureID")
        if not structure_id:
            raise InvalidMessageError(
                f"The header Structure at line {elem.sourceline} has no structureID.",
                line=_line(elem),
            )
        namespace = elem.get("namespace")
        explicit = elem.get("explicitMeasures", "false").strip() in ("true", "1") or bool(
            namespace and namespace.endswith(":explicit")
        )
        out[structure_id] = _Declared(
            _structure_ref(elem),
            elem.get("dimensionAtObservation") or "TIME_PERIOD",
            namespace,
            explicit,
        )
    return out


def _structure_ref(structure: etree._Element) -> StructureRef:
    """The DSD, dataflow or provision agreement a header ``Structure`` points to."""
    for child in structure:
        if not isinstance(child.tag, str):
            continue  # comments, processing instructions
        local = etree.QName(child).localname
        kind = _REF_KINDS.get(local)
        if kind is None:
            break
        ref = child.find("Ref")
        if ref is not None:
            return _from_ref(ref, kind)
        urn = (child.findtext("URN") or child.text or "").strip()
        return _from_urn(urn, kind, child)
    raise InvalidMessageError(
        f"The header Structure at line {structure.sourceline} names no structure: it needs a "
        "Structure (DSD), StructureUsage (dataflow) or ProvisionAgreement reference.",
        line=_line(structure),
    )


def _from_ref(ref: etree._Element, kind: str) -> StructureRef:
    agency, id_ = ref.get("agencyID"), ref.get("id")
    if not agency or not id_:
        raise InvalidMessageError(
            f"The structure reference at line {ref.sourceline} needs agencyID and id.",
            line=_line(ref),
        )
    return StructureRef(kind, agency, id_, ref.get("version") or "1.0")


def _from_urn(urn: str, kind: str, elem: etree._Element) -> StructureRef:
    try:
        structure_type, agency, id_, version = parse_urn(urn)
    except ValueError:
        raise InvalidMessageError(
            f"The structure reference at line {elem.sourceline} is not a Ref nor a URN: {urn!r}.",
            line=_line(elem),
        ) from None
    if _URN_KINDS.get(structure_type.urn_class) != kind:
        expected = next(cls for cls, k in _URN_KINDS.items() if k == kind)
        raise InvalidMessageError(
            f"The structure reference at line {elem.sourceline} points to a "
            f"{structure_type.urn_class} where a {expected} is expected: {urn}.",
            line=_line(elem),
        )
    return StructureRef(kind, agency, id_, version)


# ── Readers ─────────────────────────────────────────────────────────────────────────────────────


def _forget(elem: etree._Element) -> None:
    """Free an element once read, and the siblings read before it (memory stays flat)."""
    elem.clear()
    parent = elem.getparent()
    if parent is not None:
        while elem.getprevious() is not None:
            del parent[0]


def _items(elem: etree._Element) -> list[tuple[str, str]]:
    """The XML attributes of an element (lxml gives ``str`` for them; its stubs say more)."""
    return cast(list[tuple[str, str]], elem.items())


def _local(qualified: str) -> str:
    """``prefix:Name`` → ``Name`` (an ``xsi:type`` value)."""
    return qualified.rpartition(":")[2]


class _Reader:
    """What both layouts share: the header, the current dataset and series, the event loop.

    Only ``end`` events are parsed: an observation's parent tells whether a new series (or a new
    dataset) begins, and everything before an observation in its series or dataset (series key,
    series attributes, dataset attributes) is complete by then.
    """

    obs_tag = "Obs"
    series_tag = "Series"
    group_tags: tuple[str, ...] = ("Group",)

    def __init__(self, message: _Message) -> None:
        self.message = message
        self.header_tag = f"{{{message.message_ns}}}Header"
        self.structures: dict[str, _Declared] = {}
        self.index = -1
        self.dataset: etree._Element | None = None
        self.declared = _Declared(StructureRef("datastructure", "", ""))
        #: The element observations are read in (a Series, or a DataSet for flat data).
        self.container: etree._Element | None = None
        self.series_values: tuple[dict[str, str], dict[str, str]] = ({}, {})
        self._line: int | None = -1
        self._location = Location()

    # Layout-specific parts.
    def tags(self) -> list[str]:
        raise NotImplementedError

    def structure_id(self, dataset: etree._Element) -> str | None:
        raise NotImplementedError

    def action(self, dataset: etree._Element) -> str | None:
        raise NotImplementedError

    def dataset_attributes(self, dataset: etree._Element) -> dict[str, str]:
        raise NotImplementedError

    def read_series(self, series: etree._Element) -> tuple[dict[str, str], dict[str, str]]:
        raise NotImplementedError

    def group(self, elem: etree._Element) -> GroupValues:
        raise NotImplementedError

    def check_declaration(self, declared: _Declared, dataset: etree._Element) -> None:
        """Hook for layout-specific limits on what a header declaration may ask."""

    # The event loop: ``run`` (one per layout, as it reads observations, the hot path) calls
    # ``enter`` at the first observation of a series or flat dataset and ``end`` for the rest.
    def run(self, events: Iterator[tuple[str, Any]]) -> Iterator[DataEvent]:
        raise NotImplementedError

    def enter(self, container: etree._Element) -> Iterator[DataEvent]:
        """The first observation of a series (or of a flat dataset) was read."""
        if container.tag == self.series_tag:
            yield from self.enter_dataset(container.getparent())
            self.series_values = self.read_series(container)
        else:
            yield from self.enter_dataset(container)
            self.series_values = ({}, {})
        self.container = container

    def enter_dataset(self, dataset: etree._Element | None) -> Iterator[DataSetStart]:
        if dataset is not None and dataset is not self.dataset:
            self.dataset = dataset
            yield self.begin_dataset(dataset)

    def end(self, elem: etree._Element) -> Iterator[DataEvent]:
        tag = elem.tag
        if not isinstance(tag, str):  # a processing instruction (read when validating)
            return
        if tag == self.series_tag:
            if elem is not self.container:  # a series without observations
                yield from self.enter_dataset(elem.getparent())
                yield self.series_only(elem)
            self.container = None
        elif tag in self.group_tags:
            yield from self.enter_dataset(elem.getparent())
            yield self.group(elem)
        elif tag == self.header_tag:
            self.structures = _header_structures(elem, self.message)
        elif tag == "Metadata":
            raise UnsupportedError(
                f"Reference metadata attached to data (<Metadata> at line {elem.sourceline}) is "
                "not supported: send it as a metadata message.",
                line=_line(elem),
            )
        else:  # a DataSet
            yield from self.enter_dataset(elem)
            self.dataset = self.container = None
        _forget(elem)

    # Shared steps.
    def begin_dataset(self, elem: etree._Element) -> DataSetStart:
        self.index += 1
        declared = self.declared = self.declaration(elem)
        action = self.action(elem) or "Append"
        if action not in ACTIONS:
            raise InvalidMessageError(
                f"The DataSet at line {elem.sourceline} has action {action!r}; "
                f"the SDMX actions are {', '.join(ACTIONS)}.",
                line=_line(elem),
            )
        self.check_declaration(declared, elem)
        return DataSetStart(
            index=self.index,
            action=action,
            structure=declared.ref,
            attributes=self.dataset_attributes(elem),
            dimension_at_observation=declared.dimension_at_observation,
            location=self.location(elem),
        )

    def declaration(self, dataset: etree._Element) -> _Declared:
        structure_id = self.structure_id(dataset)
        if structure_id is None and len(self.structures) == 1:
            return next(iter(self.structures.values()))
        declared = self.structures.get(structure_id or "")
        if declared is None:
            known = ", ".join(sorted(self.structures)) or "none"
            raise InvalidMessageError(
                f"The DataSet at line {dataset.sourceline} refers to structure "
                f"{structure_id!r}, which the header does not declare (header structureIDs: "
                f"{known}).",
                line=_line(dataset),
            )
        return declared

    def series_only(self, series: etree._Element) -> ObservationRow:
        dims, attrs = self.read_series(series)
        return ObservationRow(dims, None, attrs, self.location(series), True)

    def location(self, elem: etree._Element) -> Location:
        line = cast(int | None, elem.sourceline)
        if line != self._line:
            self._line, self._location = line, Location(line)
        return self._location


class _StructureSpecificReader(_Reader):
    """Structure-specific layout: values are XML attributes named by component id."""

    group_tags = ("Group", "Atts")

    def __init__(self, message: _Message, dimension_ids: Collection[str]) -> None:
        super().__init__(message)
        self.dims = frozenset(dimension_ids) | {"TIME_PERIOD"}
        ss = f"{message.base}/data/structurespecific"
        self.structure_ref_attr = f"{{{ss}}}structureRef"
        self.action_attr = f"{{{ss}}}action"
        self.explicit_measure_dimension = ""

    def tags(self) -> list[str]:
        return [self.header_tag, "{*}DataSet", "Group", "Atts", "Series", "Obs", "Metadata"]

    def structure_id(self, dataset: etree._Element) -> str | None:
        return dataset.get(self.structure_ref_attr)

    def action(self, dataset: etree._Element) -> str | None:
        return dataset.get(self.action_attr)

    def check_declaration(self, declared: _Declared, dataset: etree._Element) -> None:
        self.explicit_measure_dimension = ""
        if not declared.explicit_measures:
            return
        if self.message.version != "2.1" or declared.dimension_at_observation == "AllDimensions":
            raise UnsupportedError(
                f"The DataSet at line {dataset.sourceline} uses explicit measures "
                f"(SDMX-ML {self.message.version}, dimension at observation "
                f"{declared.dimension_at_observation}); only SDMX-ML 2.1 explicit measures at "
                "the observation level are supported.",
                line=_line(dataset),
            )
        self.explicit_measure_dimension = declared.dimension_at_observation

    def dataset_attributes(self, dataset: etree._Element) -> dict[str, str]:
        return {k: v for k, v in _items(dataset) if k[0] != "{"}

    def run(self, events: Iterator[tuple[str, Any]]) -> Iterator[DataEvent]:
        """``_Reader.run`` with ``observation`` written inline, state in local variables: this
        is the hot path, once per observation (method calls would cost a third of the time)."""
        dims_ids, new_row, new_location = self.dims, ObservationRow, Location
        container: etree._Element | None = None
        series_dims, series_attrs = self.series_values
        line, location = -1, Location()
        for _, elem in events:
            if elem.tag != "Obs":
                yield from self.end(elem)
                container = self.container
                continue
            parent = elem.getparent()
            if parent is not container:
                yield from self.enter(parent)
                container, (series_dims, series_attrs) = parent, self.series_values
            dims, attrs, value = series_dims.copy(), series_attrs.copy(), None
            for key, text in elem.items():
                if key in dims_ids:
                    dims[key] = text
                elif key == "OBS_VALUE":
                    value = text
                elif key[0] != "{" and key != "type":
                    attrs[key] = text
            if len(elem):
                value = self.obs_components(elem, dims, attrs, value)
            if self.explicit_measure_dimension:
                self.explicit_measure(elem, dims)
            if (sourceline := elem.sourceline) != line:
                line, location = sourceline, new_location(sourceline)
            yield new_row(dims, value, attrs, location, False)
            elem.clear()
            while elem.getprevious() is not None:
                del parent[0]

    def read_series(self, series: etree._Element) -> tuple[dict[str, str], dict[str, str]]:
        dims, attrs = self.split(series)
        for child in series:
            if child.tag == "Comp":
                self.put(dims, attrs, child.get("id", ""), _comp_value(child))
            elif child.tag == "Obs":
                break
        return dims, attrs

    def split(self, elem: etree._Element) -> tuple[dict[str, str], dict[str, str]]:
        """(dimension values, attribute values) of the unqualified XML attributes."""
        dims: dict[str, str] = {}
        attrs: dict[str, str] = {}
        for key, value in _items(elem):
            if key[0] != "{" and key != "type":
                self.put(dims, attrs, key, value)
        return dims, attrs

    def put(self, dims: dict[str, str], attrs: dict[str, str], key: str, value: str) -> None:
        (dims if key in self.dims else attrs)[key] = value

    def obs_components(
        self, elem: etree._Element, dims: dict[str, str], attrs: dict[str, str], value: str | None
    ) -> str | None:
        """SDMX-ML 3.0 ``Comp`` children of an observation; the new observation value."""
        for child in elem:
            if child.tag == "Comp":
                key, text = child.get("id", ""), _comp_value(child)
                if key == "OBS_VALUE":
                    value = text
                else:
                    self.put(dims, attrs, key, text)
        return value

    def explicit_measure(self, elem: etree._Element, dims: dict[str, str]) -> None:
        """SDMX-ML 2.1 explicit measures: the observation's type names the measure."""
        dimension = self.explicit_measure_dimension
        if dimension not in dims:
            measure = elem.get("type") or _local(elem.get(_XSI_TYPE) or "")
            if measure:
                dims[dimension] = measure

    def group(self, elem: etree._Element) -> GroupValues:
        key, attrs = self.split(elem)
        for child in elem:
            if child.tag == "Comp":
                self.put(key, attrs, child.get("id", ""), _comp_value(child))
        if elem.tag == "Atts":
            return GroupValues("", key, attrs, self.location(elem))
        group_id = elem.get("type") or _local(elem.get(_XSI_TYPE) or "")
        if not group_id:
            raise InvalidMessageError(
                f"The Group at line {elem.sourceline} does not say which group it is "
                "(no xsi:type and no type attribute).",
                line=_line(elem),
            )
        return GroupValues(group_id, key, attrs, self.location(elem))


class _GenericReader(_Reader):
    """Generic layout: ``Value id= value=`` elements under keys and ``Attributes``."""

    def __init__(self, message: _Message) -> None:
        super().__init__(message)
        gen = f"{message.base}/data/generic"
        self.obs_tag = f"{{{gen}}}Obs"
        self.series_tag = f"{{{gen}}}Series"
        self.group_tags = (f"{{{gen}}}Group",)
        self.value_tag = f"{{{gen}}}Value"
        self.attributes_tag = f"{{{gen}}}Attributes"
        self.series_key_tag = f"{{{gen}}}SeriesKey"
        self.group_key_tag = f"{{{gen}}}GroupKey"
        self.obs_key_tag = f"{{{gen}}}ObsKey"
        self.obs_dimension_tag = f"{{{gen}}}ObsDimension"
        self.obs_value_tag = f"{{{gen}}}ObsValue"

    def tags(self) -> list[str]:
        return [self.header_tag, "{*}DataSet", *self.group_tags, self.series_tag, self.obs_tag]

    def structure_id(self, dataset: etree._Element) -> str | None:
        return dataset.get("structureRef")

    def action(self, dataset: etree._Element) -> str | None:
        return dataset.get("action")

    def values(self, elem: etree._Element) -> dict[str, str]:
        value_tag = self.value_tag
        return {v.get("id", ""): v.get("value", "") for v in elem if v.tag == value_tag}

    def dataset_attributes(self, dataset: etree._Element) -> dict[str, str]:
        found = dataset.find(self.attributes_tag)
        return {} if found is None else self.values(found)

    def read_series(self, series: etree._Element) -> tuple[dict[str, str], dict[str, str]]:
        dims: dict[str, str] = {}
        attrs: dict[str, str] = {}
        for child in series:
            if child.tag == self.series_key_tag:
                dims = self.values(child)
            elif child.tag == self.attributes_tag:
                attrs = self.values(child)
            elif child.tag == self.obs_tag:
                break
        return dims, attrs

    def run(self, events: Iterator[tuple[str, Any]]) -> Iterator[DataEvent]:
        """Observations read inline, as in ``_StructureSpecificReader.run``."""
        obs_tag, value_tag, attributes_tag = self.obs_tag, self.value_tag, self.attributes_tag
        obs_dimension_tag, obs_value_tag = self.obs_dimension_tag, self.obs_value_tag
        obs_key_tag, new_row, new_location = self.obs_key_tag, ObservationRow, Location
        container: etree._Element | None = None
        series_dims, series_attrs = self.series_values
        line, location, at_observation = -1, Location(), "TIME_PERIOD"
        for _, elem in events:
            if elem.tag != obs_tag:
                yield from self.end(elem)
                container = self.container
                continue
            parent = elem.getparent()
            if parent is not container:
                yield from self.enter(parent)
                container, (series_dims, series_attrs) = parent, self.series_values
                at_observation = self.declared.dimension_at_observation
            dims, attrs, value = series_dims.copy(), series_attrs.copy(), None
            for child in elem:
                tag = child.tag
                if tag == obs_dimension_tag:
                    dims[child.get("id") or at_observation] = child.get("value", "")
                elif tag == obs_value_tag:
                    value = child.get("value")
                elif tag == attributes_tag:
                    for item in child:
                        if item.tag == value_tag:
                            attrs[item.get("id", "")] = item.get("value", "")
                elif tag == obs_key_tag:
                    dims.update(self.values(child))
            if (sourceline := elem.sourceline) != line:
                line, location = sourceline, new_location(sourceline)
            yield new_row(dims, value, attrs, location, False)
            elem.clear()
            while elem.getprevious() is not None:
                del parent[0]

    def group(self, elem: etree._Element) -> GroupValues:
        key: dict[str, str] = {}
        attrs: dict[str, str] = {}
        for child in elem:
            if child.tag == self.group_key_tag:
                key = self.values(child)
            elif child.tag == self.attributes_tag:
                attrs = self.values(child)
        return GroupValues(elem.get("type", ""), key, attrs, self.location(elem))


# ── SDMX-ML 3.0 Comp values ─────────────────────────────────────────────────────────────────────


def _comp_value(comp: etree._Element) -> str:
    """One string for a ``Comp``: several values joined with ``;``, texts as ``lang:text``."""
    values = [v for v in comp if v.tag == "Value"]
    line = _line(comp)
    where = f"component {comp.get('id')!r} at line {line}"
    if any(len(v) for v in values):
        if len(values) > 1:
            raise UnsupportedError(
                f"Several multilingual values for {where} are not supported "
                "(one multilingual value, or several plain values, are).",
                line=line,
            )
        texts = [_text(t, where, line) for t in values[0] if isinstance(t.tag, str)]
        return _join(texts, where, line)
    return _join([v.text or "" for v in values], where, line)


def _text(elem: etree._Element, where: str, line: int | None) -> str:
    if etree.QName(elem).localname != "Text":
        raise UnsupportedError(
            f"Structured (XHTML) values for {where} are not supported.", line=line
        )
    return f"{elem.get(_XML_LANG, 'en')}:{elem.text or ''}"


def _join(parts: list[str], where: str, line: int | None) -> str:
    if len(parts) > 1 and any(";" in p for p in parts):
        raise UnsupportedError(
            f"A value of {where} contains ';', which separates multiple values: "
            "such values are not supported.",
            line=line,
        )
    return ";".join(parts)
