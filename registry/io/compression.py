"""Open an uploaded file whether it is plain, gzip or zip, as one capped binary stream.
``open_maybe_compressed`` looks at the first bytes, not at the file name: ``1f 8b`` is gzip
(several concatenated members read as one), ``PK`` is a zip archive, anything else is read as it
is. A zip must hold exactly one file; folder entries and the ``__MACOSX/`` entries that macOS adds
are not counted, and a member named with an absolute path or ``..`` is refused. The content is
decompressed while it is read, never all at once, and the stream counts the bytes it hands out:
past ``max_bytes`` (plain files included) it raises ``PayloadTooLargeError``, so a zip or gzip bomb
stops at the cap whatever its headers claim. A damaged, encrypted or truncated archive raises
``InvalidMessageError``, also when the damage only shows while reading; a zip compression method
the standard library cannot decode raises ``UnsupportedError``. Messages never name the file, which
is usually a spooled temporary copy.
"""

from __future__ import annotations

import gzip
import io
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from registry.errors import InvalidMessageError, PayloadTooLargeError, UnsupportedError

__all__ = ["DEFAULT_MAX_BYTES", "open_maybe_compressed"]

#: Default cap on the bytes one file may expand to: 2 GiB.
DEFAULT_MAX_BYTES = 2 * 1024**3

_GZIP_MAGIC = b"\x1f\x8b"
_ZIP_MAGIC = b"PK"
_BUFFER_SIZE = 1 << 16
#: What the decompressors raise on damaged input, while opening or while reading.
_DAMAGED = (zipfile.BadZipFile, gzip.BadGzipFile, zlib.error, EOFError)


@contextmanager
def open_maybe_compressed(
    path: Path | str,
    *,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    progress: Callable[[int], None] | None = None,
) -> Iterator[BinaryIO]:
    """Yield a binary stream of the (decompressed) content of ``path``; ``None`` lifts the cap.

    ``progress``, when given, is called after each read with how many bytes of the file itself
    (compressed, for an archive) have been consumed so far.
    """
    with ExitStack() as stack:
        raw = stack.enter_context(Path(path).open("rb"))
        kind = _kind(raw.read(4))
        raw.seek(0)
        inner = _open_inner(stack, raw, kind)
        capped = _CappedReader(inner, max_bytes=max_bytes, kind=kind)
        if progress is not None:
            capped.progress = lambda: progress(raw.tell())
        yield stack.enter_context(io.BufferedReader(capped, buffer_size=_BUFFER_SIZE))


def _kind(magic: bytes) -> str:
    if magic.startswith(_GZIP_MAGIC):
        return "gzip"
    return "zip" if magic.startswith(_ZIP_MAGIC) else "plain"


def _open_inner(stack: ExitStack, raw: BinaryIO, kind: str) -> BinaryIO:
    if kind == "gzip":
        return stack.enter_context(gzip.GzipFile(fileobj=raw, mode="rb"))  # type: ignore[return-value]
    if kind == "zip":
        return _open_zip_member(stack, raw)
    return raw


def _open_zip_member(stack: ExitStack, raw: BinaryIO) -> BinaryIO:
    """The only file of a zip archive, opened for streaming."""
    try:
        archive = stack.enter_context(zipfile.ZipFile(raw))
    except (*_DAMAGED, OSError) as exc:
        raise InvalidMessageError(
            f"the file starts like a zip archive but is not one: {exc}"
        ) from exc
    members = [info for info in archive.infolist() if _is_content(info)]
    if len(members) != 1:
        listed = ", ".join(info.filename for info in members) or "nothing"
        raise InvalidMessageError(
            f"a zip archive must contain exactly one file; this one contains {len(members)} "
            f"({listed})"
        )
    member = members[0].filename
    parts = PurePosixPath(member.replace("\\", "/")).parts
    if member.startswith(("/", "\\")) or ".." in parts or (parts and parts[0].endswith(":")):
        raise InvalidMessageError(
            f"the zip archive names its file {member!r}, a path outside the archive; zip the "
            "file again from its own folder"
        )
    try:
        return stack.enter_context(archive.open(members[0]))  # type: ignore[return-value]
    except NotImplementedError as exc:  # a compression method zipfile cannot decode
        raise UnsupportedError(
            f"{member} in the zip archive uses a compression method this registry cannot read "
            f"({exc}); zip it again with the usual (deflate) method"
        ) from exc
    except RuntimeError as exc:  # an encrypted member
        raise InvalidMessageError(f"{member} in the zip archive: {exc}") from exc
    except _DAMAGED as exc:
        raise InvalidMessageError(f"{member} in the zip archive is damaged: {exc}") from exc


def _is_content(info: zipfile.ZipInfo) -> bool:
    """A zip entry that is a file of its own, not a folder or macOS Finder metadata."""
    return not info.is_dir() and not info.filename.startswith("__MACOSX/")


class _CappedReader(io.RawIOBase):
    """A read-only stream over ``inner`` that refuses to hand out more than ``max_bytes``."""

    def __init__(self, inner: BinaryIO, *, max_bytes: int | None, kind: str) -> None:
        super().__init__()
        self._inner = inner
        self._max_bytes = max_bytes
        self._kind = kind
        self._count = 0
        self.progress: Callable[[], None] | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        try:
            data = self._inner.read(len(buffer))
        except _DAMAGED as exc:
            raise InvalidMessageError(f"the {self._kind} content is damaged: {exc}") from exc
        size = len(data)
        buffer[:size] = data
        self._count += size
        if self._max_bytes is not None and self._count > self._max_bytes:
            raise PayloadTooLargeError(
                f"the file expands to more than {self._max_bytes:,} bytes, the limit for one "
                "upload; split the data into smaller files"
            )
        if self.progress is not None:
            self.progress()
        return size
