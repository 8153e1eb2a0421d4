"""Safe parsing of untrusted XML: one place that reads a submitted document into an lxml tree.

Entity resolution, DTD loading and network access are off, and any ``<!DOCTYPE`` or ``<!ENTITY``
before the root element is refused outright (billion laughs, external entities, HTML pages).
Every failure is an ``InvalidMessageError``; a syntax error names its line and column in the
message and carries the line as ``line`` (``syntax_error``), so the structure and metadata readers
(and anything else reading whole documents) share one behaviour. A refused DTD has no line.
"""

from __future__ import annotations

import pathlib
import re
from typing import Any

from lxml import etree

from registry.errors import InvalidMessageError

DTD_REFUSED = (
    "DTDs and entities are not allowed in SDMX-ML: remove the <!DOCTYPE …> declaration "
    "(an HTML page, or a document using entities, is not an SDMX-ML message)."
)


class UnsafeXMLError(InvalidMessageError):
    """A document refused for safety (a DTD or entity declaration), not for being malformed."""


#: A DTD or entity declaration, wherever it appears (streaming readers search chunks with it).
DTD_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_ROOT_START = re.compile(rb"<[A-Za-z_]")


def read_source(source: bytes | pathlib.Path) -> bytes:
    """The bytes of a submitted document given as bytes or a file path."""
    if isinstance(source, pathlib.Path):
        try:
            return source.read_bytes()
        except OSError as exc:
            raise InvalidMessageError(f"Cannot read the file {source}: {exc.strerror}.") from None
    return bytes(source)


def refuse_dtd(prolog: bytes) -> None:
    """Refuse a document whose prolog (the bytes before the root element) declares a DTD."""
    match = _ROOT_START.search(prolog)
    if DTD_DECLARATION.search(prolog[: match.start() if match else len(prolog)]):
        raise UnsafeXMLError(DTD_REFUSED)


def _position(exc: etree.XMLSyntaxError) -> tuple[int, int]:
    return exc.position if exc.position else (exc.lineno, 0)


def syntax_message(exc: etree.XMLSyntaxError) -> str:
    """A statistician-readable sentence for an lxml syntax error, with line and column."""
    line, column = _position(exc)
    text = (exc.msg or str(exc)).split(", line ")[0]
    return f"The document is not well-formed XML: {text} (line {line}, column {column})."


def syntax_error(exc: etree.XMLSyntaxError) -> InvalidMessageError:
    """The ``InvalidMessageError`` of an lxml syntax error: ``syntax_message``, and its ``line``."""
    line = _position(exc)[0]
    return InvalidMessageError(syntax_message(exc), line=line if line else None)


def parse(data: bytes) -> etree._Element:
    """Parse with every dangerous lxml feature off; refuse any DTD (entity expansion, XXE)."""
    refuse_dtd(data)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise syntax_error(exc) from None
    except ValueError as exc:  # e.g. an unsupported encoding declaration
        raise InvalidMessageError(f"The document is not readable XML: {exc}.") from None
    docinfo: Any = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise UnsafeXMLError(DTD_REFUSED)
    return root
