"""Facts about the machine and software a benchmark ran on, recorded next to its figures.

CPU model and core counts, memory, operating system, Python, the SQLite library Python links,
the PostgreSQL server version (when a URL is given and the server answers), the versions of the
packages on the ingest path and the checkout's commit. Every fact that cannot be found is None,
never an exception: psutil is optional.
"""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

PACKAGES = ("lxml", "sdmx1", "SQLAlchemy", "sqlmodel", "psycopg", "pysdmx", "pandas")


def cpu_model() -> str | None:
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


def _psutil_facts() -> dict[str, Any]:
    try:
        import psutil
    except ImportError:
        return {"physical_cores": None, "memory_gb": None}
    return {
        "physical_cores": psutil.cpu_count(logical=False),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
    }


def _package_versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    return out


def _commit(root: Path) -> str | None:
    try:
        head = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return head + ("+changes" if dirty else "")


def postgres_version(url: str) -> str | None:
    """``SHOW server_version`` of the server at ``url``, or None if it does not answer."""
    try:
        from sqlalchemy import text

        from registry.storage.db import make_engine

        engine = make_engine(url)
        try:
            with engine.connect() as connection:
                return str(connection.execute(text("SHOW server_version")).scalar())
        finally:
            engine.dispose()
    except Exception:
        return None


def facts(root: Path, postgres_url: str | None = None) -> dict[str, Any]:
    """Everything above as one JSON-ready dict."""
    return {
        "cpu_model": cpu_model(),
        "logical_cores": os.cpu_count(),
        **_psutil_facts(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": postgres_version(postgres_url) if postgres_url else None,
        "packages": _package_versions(),
        "commit": _commit(root),
    }
