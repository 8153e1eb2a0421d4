"""Alembic environment: SQLModel metadata as the target, batch mode so SQLite can alter tables.

The connection comes either from ``config.attributes["connection"]`` (set by
``registry.storage.migrate``) or from ``REGISTRY_DATABASE_URL``.
"""

from __future__ import annotations

from sqlmodel import SQLModel

import registry.storage.tables  # noqa: F401  (registers the tables on SQLModel.metadata)
from alembic import context
from registry.config import Settings
from registry.storage.db import make_engine

target_metadata = SQLModel.metadata


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    engine = make_engine(Settings.from_env().database_url)
    with engine.begin() as conn:
        _run(conn)
