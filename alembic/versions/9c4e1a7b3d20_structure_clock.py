"""structure clock: one row whose marker every structure write replaces

Revision ID: 9c4e1a7b3d20
Revises: 7c4e9a1d3f60
Create Date: 2026-11-29 12:40:00.000000

Caches of resolved structures (``registry.data_structures.flow_context``) key their entries on
this marker, read once per request, so that a structure written by any process (another uvicorn
worker, the CLI) is seen by the next request. The row starts with a random marker, so that a
database re-created under the same URL never matches entries cached for the previous one.
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "9c4e1a7b3d20"
down_revision: str | None = "7c4e9a1d3f60"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    clock = op.create_table(
        "structure_clock",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("marker", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(clock, [{"id": 1, "marker": uuid.uuid4().hex, "changed_at": datetime.now(UTC)}])


def downgrade() -> None:
    op.drop_table("structure_clock")
