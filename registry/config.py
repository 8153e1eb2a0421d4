"""Settings: one table of ``REGISTRY_*`` environment variables, read into a frozen dataclass.

``SETTINGS`` is the single source of truth: each entry names the variable, its default, its type and
a one-line help. The README's settings table is checked against it by ``tests/test_docs.py``, and
``Settings.from_env()`` is the only place that reads the environment.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from registry.errors import ConfigurationError

DEFAULT_DATABASE_URL = "sqlite:///var/registry.db"


@dataclass(frozen=True)
class Setting:
    """One documented setting: attribute name, environment variable, default, type and help."""

    name: str
    default: Any
    type: type
    help: str

    @property
    def env(self) -> str:
        return "REGISTRY_" + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "database_url",
        DEFAULT_DATABASE_URL,
        str,
        "SQLAlchemy URL of the store: SQLite file (default) or postgresql+psycopg://…",
    ),
    Setting("host", "127.0.0.1", str, "Interface `registry serve` binds to."),
    Setting("port", 8000, int, "Port `registry serve` listens on."),
    Setting("workers", 1, int, "Uvicorn worker processes for `registry serve`."),
    Setting(
        "max_upload_bytes",
        200 * 1024 * 1024,
        int,
        "Largest accepted request body (structure or data upload), in bytes.",
    ),
    Setting(
        "max_response_artefacts",
        5000,
        int,
        "Most artefacts one structure query may return in full, stubs aside (else SDMX 510).",
    ),
    Setting(
        "max_response_observations",
        5_000_000,
        int,
        "Most observations one data query may return (else SDMX 510 / HTTP 413).",
    ),
    Setting("languages", "en,fr,ar", list, "Languages of names and messages, by preference."),
    Setting("cors_origins", "*", list, "Origins allowed to read the API from a browser."),
    Setting("structure_cache_size", 512, int, "Parsed artefacts kept in memory per process."),
    Setting("log_level", "info", str, "Log level: debug, info, warning or error."),
)


def _convert(setting: Setting, raw: str) -> Any:
    if setting.type is int:
        try:
            value = int(raw)
        except ValueError:
            raise ConfigurationError(f"{setting.env} must be an integer, got {raw!r}") from None
        if value < 0:
            raise ConfigurationError(f"{setting.env} must not be negative, got {raw!r}")
        return value
    if setting.type is list:
        return tuple(part.strip() for part in raw.split(",") if part.strip())
    return raw


@dataclass(frozen=True)
class Settings:
    """The registry's configuration; build it with ``Settings.from_env()`` or keyword arguments."""

    database_url: str = DEFAULT_DATABASE_URL
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    max_upload_bytes: int = 200 * 1024 * 1024
    max_response_artefacts: int = 5000
    max_response_observations: int = 5_000_000
    languages: tuple[str, ...] = ("en", "fr", "ar")
    cors_origins: tuple[str, ...] = ("*",)
    structure_cache_size: int = 512
    log_level: str = "info"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Read every ``REGISTRY_*`` variable of ``SETTINGS``; unknown ones are ignored."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for setting in SETTINGS:
            if setting.env in env:
                values[setting.name] = _convert(setting, env[setting.env])
        values.update(overrides)
        settings = cls(**values)
        settings.check()
        return settings

    def check(self) -> None:
        """Refuse values that cannot work, with a message naming the variable."""
        if not self.database_url.startswith(("sqlite", "postgresql")):
            raise ConfigurationError(
                "REGISTRY_DATABASE_URL must be a sqlite:// or postgresql:// URL, "
                f"got {self.database_url!r}"
            )
        if not self.languages:
            raise ConfigurationError("REGISTRY_LANGUAGES must name at least one language")
        if self.log_level.lower() not in {"debug", "info", "warning", "error", "critical"}:
            raise ConfigurationError(f"REGISTRY_LOG_LEVEL is not a log level: {self.log_level!r}")

    @property
    def sqlite_path(self) -> Path | None:
        """The database file of a SQLite URL (None for in-memory or other databases)."""
        prefix = "sqlite:///"
        if self.database_url.startswith(prefix) and self.database_url != prefix + ":memory:":
            return Path(self.database_url[len(prefix) :])
        return None


# The dataclass and the table must describe the same settings.
assert [s.name for s in SETTINGS] == [f.name for f in fields(Settings)]
