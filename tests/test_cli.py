"""The ``registry`` command as a user runs it: a subprocess, real files, exit codes, no tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy

BENCH = Path(__file__).parent / "data" / "bench"


def run(*args: str, db: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "REGISTRY_DATABASE_URL": f"sqlite:///{db}", **env}
    return subprocess.run(
        [sys.executable, "-m", "registry", *args],
        capture_output=True,
        text=True,
        env=environ,
        timeout=120,
    )


def _count(db: Path) -> int:
    engine = sqlalchemy.create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        n = conn.execute(sqlalchemy.text("SELECT count(*) FROM artefact")).scalar_one()
    engine.dispose()
    return int(n)


@pytest.mark.parametrize("command", [[], ["init"], ["serve"], ["load"], ["token", "create"]])
def test_help_everywhere(tmp_path: Path, command: list[str]) -> None:
    result = run(*command, "--help", db=tmp_path / "r.db")
    assert result.returncode == 0 and "Usage" in result.stdout


def test_init_is_idempotent(tmp_path: Path) -> None:
    db = tmp_path / "var" / "r.db"
    first = run("init", db=db)
    assert first.returncode == 0, first.stderr
    n = _count(db)
    second = run("init", db=db)
    assert second.returncode == 0, second.stderr
    assert _count(db) == n
    assert "created" not in second.stdout.splitlines()[-1]


def test_load_refuses_dangling_references_then_loads_in_order(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    refused = run("load", str(BENCH / "synthetic_provision.xml"), db=db)
    assert refused.returncode == 1
    assert "Traceback" not in refused.stderr
    assert "Dataflow=TEST:DF_LFS(1.0)" in refused.stdout + refused.stderr
    assert refused.stderr.startswith("error: ")
    ok = run(
        "load", str(BENCH / "synthetic_dsd.xml"), str(BENCH / "synthetic_provision.xml"), db=db
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip().splitlines()[-1] == "14 created"
    assert _count(db) == 14


def test_user_mistakes_are_one_line_errors(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    bad_xml = tmp_path / "bad.xml"
    bad_xml.write_text("<not closed")
    result = run("load", str(bad_xml), db=db)
    assert result.returncode == 1 and result.stderr.startswith("error: ")
    assert "Traceback" not in result.stderr
    missing = run("load", str(tmp_path / "nope.xml"), db=db)
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    role = run("token", "create", "--role", "king", db=db)
    assert role.returncode == 1 and "role must be one of" in role.stderr
    setting = run("init", db=db, REGISTRY_PORT="eighty")
    assert setting.returncode == 2 and "REGISTRY_PORT" in setting.stderr


def test_token_is_printed_once_and_stored_hashed(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    result = run("token", "create", "--role", "producer", "--provider", "MA.HCP:HCP", db=db)
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip()
    assert token.startswith("lmis_") and len(token) > 30
    assert "shown only once" in result.stderr
    engine = sqlalchemy.create_engine(f"sqlite:///{db}")
    with engine.connect() as conn:
        hashes = [r[0] for r in conn.execute(sqlalchemy.text("SELECT token_hash FROM token"))]
    engine.dispose()
    assert len(hashes) == 1 and token not in hashes[0]


def test_serve_answers_over_http(tmp_path: Path) -> None:
    import socket
    import time

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    db = tmp_path / "r.db"
    assert run("load", str(BENCH / "synthetic_dsd.xml"), db=db).returncode == 0
    environ = {**os.environ, "REGISTRY_DATABASE_URL": f"sqlite:///{db}"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "registry", "serve", "--port", str(port)],
        env=environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/-/health", timeout=2)
                break
            except httpx.TransportError:
                assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        assert health.json()["artefacts"] == 12
        flows = httpx.get(f"http://127.0.0.1:{port}/rest/dataflow/TEST/DF_LFS", timeout=10)
        assert flows.status_code == 200 and b"DF_LFS" in flows.content
    finally:
        proc.terminate()
        proc.wait(timeout=10)
