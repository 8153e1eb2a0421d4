"""Spooling an uploaded data file to a temporary file on disk, under the size cap.

A submission arrives as the raw request body with an SDMX media type, or as the ``file`` field of a
``multipart/form-data`` body; either way the bytes are streamed to a temporary file, never held in
memory, and refused with SDMX 413 past ``REGISTRY_MAX_UPLOAD_BYTES`` (first on the declared
``Content-Length``, then on the bytes actually read). The multipart body is parsed as it streams
with python-multipart's push parser; a body of another type is 415 and a malformed form is 400.
``spooled_upload`` gives the ``registry.submission.Upload`` to submit and removes the file after;
``too_large`` and ``check_declared_length`` are the cap's 413 helpers, shared by other routes.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from fastapi import Request
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header

from registry.errors import PayloadTooLargeError, QuerySyntaxError, UnsupportedMediaTypeError
from registry.submission import Upload

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

#: Declared types accepted for a raw body (the format itself is sniffed from the content).
DATA_MEDIA_TYPES = frozenset(
    {
        "application/vnd.sdmx.structurespecificdata+xml",
        "application/vnd.sdmx.structurespecifictimeseriesdata+xml",
        "application/vnd.sdmx.genericdata+xml",
        "application/vnd.sdmx.generictimeseriesdata+xml",
        "application/vnd.sdmx.data+xml",
        "application/vnd.sdmx.data+csv",
        "application/xml",
        "text/xml",
        "text/csv",
        "application/gzip",
        "application/x-gzip",
        "application/zip",
        "application/x-zip-compressed",
        "application/octet-stream",
    }
)
MULTIPART = "multipart/form-data"
FILE_FIELD = "file"
#: Room allowed in a multipart body for boundaries and part headers, on top of the file's cap.
MULTIPART_OVERHEAD = 64 * 1024
_CAP_HINT = "(setting REGISTRY_MAX_UPLOAD_BYTES)"


def too_large(limit: int, size: int | None = None, subject: str = "file") -> PayloadTooLargeError:
    """SDMX 413 for a body of ``size`` bytes (declared), or for a ``subject`` past ``limit``."""
    if size is not None:
        return PayloadTooLargeError(
            f"the body has {size:,} bytes; the limit is {limit:,} {_CAP_HINT}"
        )
    return PayloadTooLargeError(
        f"the {subject} is larger than the limit of {limit:,} bytes {_CAP_HINT}"
    )


def check_declared_length(request: Request, limit: int) -> None:
    """413 before reading when the declared ``Content-Length`` is past ``limit``."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise too_large(limit, int(declared))


async def spool_raw(request: Request, dest: BinaryIO, limit: int) -> int:
    """Write the request body to ``dest``, refusing it past ``limit`` bytes; the size written."""
    check_declared_length(request, limit)
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        dest.write(chunk)
    return size


class _FilePart:
    """Callbacks of python-multipart's push parser: the ``file`` part goes to ``dest``, capped."""

    def __init__(self, dest: BinaryIO, limit: int) -> None:
        self.dest, self.limit = dest, limit
        self.size = 0
        self.headers: dict[str, str] = {}
        self._field, self._value = bytearray(), bytearray()
        self.in_file = False
        self.seen_file = False
        self.file_name: str | None = None
        self.media_type: str | None = None
        self.ended = False

    def callbacks(self) -> MultipartCallbacks:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": self._header_field,
            "on_header_value": self._header_value,
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
            "on_end": self._end,
        }

    def _part_begin(self) -> None:
        self.headers = {}
        self.in_file = False

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._field += data[start:end]

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def _header_end(self) -> None:
        name = self._field.decode("latin-1").strip().lower()
        self.headers[name] = self._value.decode("utf-8", "replace").strip()
        self._field.clear()
        self._value.clear()

    def _headers_finished(self) -> None:
        disposition, params = parse_options_header(self.headers.get("content-disposition"))
        name = params.get(b"name", b"").decode("utf-8", "replace")
        if disposition != b"form-data" or name != FILE_FIELD:
            raise QuerySyntaxError(
                f"unexpected form field {name!r}: send the data file in the field "
                f"{FILE_FIELD!r} and the options as query parameters"
            )
        if self.seen_file:
            raise QuerySyntaxError(
                f"the form has more than one {FILE_FIELD!r} field: send one file"
            )
        self.seen_file = self.in_file = True
        raw_name = params.get(b"filename")
        if raw_name:
            text = raw_name.decode("utf-8", "replace")
            # Browsers may send a path (C:\fakepath\x.csv): keep the last component only.
            self.file_name = re.split(r"[\\/]", text)[-1] or None
        self.media_type = self.headers.get("content-type") or None

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if not self.in_file:
            return
        self.size += end - start
        if self.size > self.limit:
            raise too_large(self.limit)
        self.dest.write(data[start:end])

    def _part_end(self) -> None:
        self.in_file = False

    def _end(self) -> None:
        self.ended = True


async def spool_multipart(
    request: Request, boundary: bytes, dest: BinaryIO, limit: int
) -> tuple[str | None, str | None]:
    """Stream a multipart body, writing its ``file`` part to ``dest``: (file name, media type)."""
    check_declared_length(request, limit + MULTIPART_OVERHEAD)
    part = _FilePart(dest, limit)
    parser = MultipartParser(boundary, part.callbacks())
    total = 0
    try:
        async for chunk in request.stream():
            total += len(chunk)
            if total > limit + MULTIPART_OVERHEAD:
                raise too_large(limit)
            parser.write(chunk)
        parser.finalize()
    except MultipartParseError as exc:
        raise QuerySyntaxError(f"malformed multipart/form-data body: {exc}") from exc
    if not part.seen_file:
        raise QuerySyntaxError(
            f"the multipart/form-data body has no {FILE_FIELD!r} field holding the data file"
        )
    if not part.ended:
        raise QuerySyntaxError("the multipart/form-data body ends before its closing boundary")
    return part.file_name, part.media_type


async def spool_upload(
    request: Request, dest: BinaryIO, limit: int
) -> tuple[str | None, str | None]:
    """The body or its ``file`` part written to ``dest``: (file name, declared media type)."""
    content_type = request.headers.get("content-type")
    if not content_type:
        await spool_raw(request, dest, limit)
        return None, None
    base, params = parse_options_header(content_type)
    media = base.decode("latin-1").lower()
    if media == MULTIPART:
        boundary = params.get(b"boundary")
        if not boundary:
            raise QuerySyntaxError("the multipart/form-data body has no boundary parameter")
        return await spool_multipart(request, boundary, dest, limit)
    if media not in DATA_MEDIA_TYPES:
        raise UnsupportedMediaTypeError(
            f"cannot take a body of type {media!r}: send SDMX-ML or SDMX-CSV data (plain, gzip "
            f"or zip) with one of {', '.join(sorted(DATA_MEDIA_TYPES))}, or a {MULTIPART} "
            f"form with the file in the field {FILE_FIELD!r}"
        )
    await spool_raw(request, dest, limit)
    return None, content_type.strip()


@contextlib.asynccontextmanager
async def spooled_upload(request: Request, limit: int) -> AsyncIterator[Upload]:
    """The body or its ``file`` part in a temporary file, as an ``Upload``; removed on exit."""
    fd, name = tempfile.mkstemp(prefix="lmis-upload-", suffix=".part")
    path = Path(name)
    try:
        with os.fdopen(fd, "wb") as dest:
            file_name, media_type = await spool_upload(request, dest, limit)
        yield Upload(path, file_name, media_type)
    finally:
        path.unlink(missing_ok=True)
