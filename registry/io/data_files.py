"""What a submitted data file is: its fingerprint, its format and the structures it names.

``fingerprint`` streams the file once for its SHA-256 and size (of the bytes as sent, compressed
or not: the identity used to recognise a resubmission). ``sniff`` looks at the start of the
decompressed content: ``<`` (after a byte-order mark and blanks) means SDMX-ML, whose root
element tells the message type and version, and whose header (or first dataset) names the
structure; anything else is read as SDMX-CSV, whose header row tells 1.0 from 2.0 and whose first
data row names the structure. ``events`` then streams the data events with the right reader.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, cast

from lxml import etree

from registry.errors import InvalidMessageError
from registry.io import sdmxcsv, sdmxml_data
from registry.io.data_events import DataEvent, StructureRef

__all__ = ["Sniffed", "events", "fingerprint", "sniff"]

_BLOCK = 1 << 20
_BOM = b"\xef\xbb\xbf"
_VERSION = re.compile(r"/schemas/v(\d+)_(\d+)(?:_\d+)?/message$")


@dataclass(frozen=True)
class Sniffed:
    """The format of a data file and the structures it declares."""

    syntax: str  # "xml" | "csv"
    label: str  # e.g. "SDMX-ML 2.1 StructureSpecificData", "SDMX-CSV 2.0"
    structures: tuple[StructureRef, ...]


def fingerprint(path: Path) -> tuple[str, int]:
    """SHA-256 (hex) and size in bytes of the file as sent."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            digest.update(block)
            size += len(block)
    return digest.hexdigest(), size


def _head(stream: BinaryIO) -> bytes:
    peek = getattr(stream, "peek", None)
    data = cast(bytes, peek(1 << 16)) if peek is not None else b""
    return data[len(_BOM) :] if data.startswith(_BOM) else data


def sniff(stream: BinaryIO) -> Sniffed:
    """The format and declared structures (reads the start of ``stream``; open it anew to read)."""
    head = _head(stream)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InvalidMessageError(
            "row 1: the file is UTF-16 text; save it as UTF-8 (in Excel: CSV UTF-8)", row=1
        )
    head = head.lstrip()
    if not head:
        raise InvalidMessageError("the file is empty")
    if head.startswith(b"<"):
        label = _xml_label(head)
        refs = sdmxml_data.sniff_structure(stream)
        return Sniffed("xml", label, tuple(refs))
    if b"\x00" in head[:1024]:
        raise InvalidMessageError("the file is neither SDMX-ML nor SDMX-CSV (it holds binary data)")
    first = head.split(b"\n", 1)[0].lstrip(b'"')
    label = "SDMX-CSV 1.0" if first.upper().startswith(b"DATAFLOW") else "SDMX-CSV 2.0"
    refs, _ = sdmxcsv.sniff_structures(stream)
    return Sniffed("csv", label, tuple(refs))


def _xml_label(head: bytes) -> str:
    parser = etree.XMLPullParser(
        events=("start",), resolve_entities=False, no_network=True, load_dtd=False
    )
    try:
        parser.feed(head)
        for _, element in parser.read_events():
            qname = etree.QName(cast(etree._Element, element).tag)
            match = _VERSION.search(qname.namespace or "")
            version = f"{match[1]}.{match[2]}" if match else "?"
            return f"SDMX-ML {version} {qname.localname}"
    except etree.XMLSyntaxError:
        pass  # the reader reports it with its line
    return "SDMX-ML"


def events(
    stream: BinaryIO,
    sniffed: Sniffed,
    *,
    dimension_ids: Sequence[str],
    attribute_ids: Sequence[str],
    measure_id: str,
) -> Iterator[DataEvent]:
    """The data events of the file, with the reader its format needs."""
    if sniffed.syntax == "xml":
        return sdmxml_data.read_data(stream, dimension_ids=dimension_ids)
    return sdmxcsv.read_csv(
        stream, dimension_ids=dimension_ids, attribute_ids=attribute_ids, measure_id=measure_id
    )
