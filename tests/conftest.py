"""Shared fixtures: a database per test on SQLite and PostgreSQL, a live uvicorn server, tokens.

``database_url`` is parametrised over both backends; the PostgreSQL variant uses the server named
by ``REGISTRY_TEST_POSTGRES_URL`` with a fresh schema per test (skipped only when the variable is
unset; CI sets it and refuses skips). ``live_server`` runs the real app under uvicorn on a free
loopback port in a background thread, so HTTP tests talk to a real server.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import sdmx.reader.xml.v30  # noqa: F401  (sdmx1 quirk: import before any data read)
import sqlalchemy
import uvicorn

import registry.io.sdmxml  # noqa: F401  (its sdmx1 reader fixes apply process-wide, as in the app)
from registry import auth
from registry.config import Settings
from registry.storage import migrate
from registry.storage.db import make_engine, normalise_url, session_scope

DATA = Path(__file__).parent / "data"
POSTGRES_ENV = "REGISTRY_TEST_POSTGRES_URL"


def _postgres_url(schema: str) -> str:
    base = normalise_url(os.environ[POSTGRES_ENV])
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


@contextmanager
def migrated_database(kind: str, folder: Path) -> Iterator[str]:
    """The URL of a migrated, empty database: a SQLite file in ``folder``, or a fresh schema of
    the ``REGISTRY_TEST_POSTGRES_URL`` server (dropped afterwards; skips when the variable is
    unset)."""
    if kind == "sqlite":
        url = f"sqlite:///{folder / 'registry.db'}"
        engine = make_engine(url)
        migrate.upgrade(engine)
        engine.dispose()
        yield url
        return
    if not os.environ.get(POSTGRES_ENV):
        pytest.skip(f"PostgreSQL: {POSTGRES_ENV} is not set")
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = sqlalchemy.create_engine(normalise_url(os.environ[POSTGRES_ENV]))
    with admin.begin() as conn:
        conn.execute(sqlalchemy.text(f"CREATE SCHEMA {schema}"))
    url = _postgres_url(schema)
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(sqlalchemy.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database on each backend."""
    with migrated_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def engine(database_url: str) -> Iterator[sqlalchemy.engine.Engine]:
    eng = make_engine(database_url)
    yield eng
    eng.dispose()


@dataclass(frozen=True)
class Tokens:
    admin: str
    curator: str
    producer: str


@pytest.fixture
def tokens(engine: sqlalchemy.engine.Engine) -> Tokens:
    with session_scope(engine) as session:
        admin, _ = auth.create_token(session, name="ada", role="admin")
        curator, _ = auth.create_token(session, name="cora", role="curator")
        producer, _ = auth.create_token(session, name="pat", role="producer", provider="TEST:BENCH")
    return Tokens(admin, curator, producer)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class LiveServer:
    url: str
    settings: Settings


def start_server(settings: Settings) -> tuple[uvicorn.Server, threading.Thread, str]:
    from api.app import create_app

    port = _free_port()
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60  # generous: CI machines may be busy
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    return server, thread, f"http://127.0.0.1:{port}"


@pytest.fixture
def live_server(database_url: str) -> Iterator[LiveServer]:
    """The real app under uvicorn, on a free port, over the test database."""
    settings = Settings(database_url=database_url, max_upload_bytes=5 * 1024 * 1024)
    server, thread, url = start_server(settings)
    yield LiveServer(url, settings)
    server.should_exit = True
    thread.join(timeout=10)
