"""Schema migrations with Alembic, run programmatically: upgrade, downgrade and drift check.

``upgrade(engine)`` brings any database (new SQLite file or PostgreSQL schema) to the head
revision; ``pending_changes(engine)`` lists differences between the migrated schema and the SQLModel
tables (empty when migrations match the models; a test asserts it on both backends).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

import registry.storage.tables  # noqa: F401  (registers the tables)
from alembic import command

ALEMBIC_DIR = Path(__file__).resolve().parents[2] / "alembic"


def _config(connection: Any) -> Config:
    config = Config()
    config.set_main_option("script_location", str(ALEMBIC_DIR))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations up to ``revision`` in one transaction."""
    with engine.begin() as connection:
        command.upgrade(_config(connection), revision)


def downgrade(engine: Engine, revision: str = "base") -> None:
    """Revert migrations down to ``revision`` (``base`` drops every table)."""
    with engine.begin() as connection:
        command.downgrade(_config(connection), revision)


def current(engine: Engine) -> str | None:
    """The revision the database is at, or None if it was never migrated."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def pending_changes(engine: Engine) -> list[Any]:
    """Differences between the database schema and the SQLModel tables (empty = in sync)."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, SQLModel.metadata))
