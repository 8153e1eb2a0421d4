"""A shorter GIL switch interval while an ingest writes in its background thread.

CPython lets a thread holding the GIL keep it for up to ``sys.getswitchinterval()`` (5 ms by
default) after another thread asks for it. An ingest's writing thread needs the GIL only for
moments between its database statements, which run without it; while the reading thread is busy
in pure Python (the ``csv`` module never lets the GIL go, lxml often does), each of those moments
cost up to 5 ms, and the reader ended up waiting for the writer at the end of every batch.
``responsive`` sets 0.5 ms while at least one ingest writes (counted, thread-safe: a server may
run several) and puts the previous value back when the last one ends. Measured on 1,000,000
SDMX-CSV observations into SQLite: 134,000 → 168,000 obs/s.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["INTERVAL", "responsive"]

#: Seconds; CPython's default is 0.005.
INTERVAL = 0.0005


class _Users:
    lock = threading.Lock()
    count = 0
    saved = 0.0


@contextmanager
def responsive() -> Iterator[None]:
    """A switch interval of at most ``INTERVAL`` inside the block (see the module docstring)."""
    with _Users.lock:
        if _Users.count == 0:
            _Users.saved = sys.getswitchinterval()
            sys.setswitchinterval(min(_Users.saved, INTERVAL))
        _Users.count += 1
    try:
        yield
    finally:
        with _Users.lock:
            _Users.count -= 1
            if _Users.count == 0:
                sys.setswitchinterval(_Users.saved)
