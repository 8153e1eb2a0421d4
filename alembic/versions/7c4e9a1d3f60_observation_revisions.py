"""observation revisions: earlier values of observations, kept for includeHistory

Revision ID: 7c4e9a1d3f60
Revises: 5b1d7c0e2a94
Create Date: 2026-11-29 12:30:00.000000

``DataWriter`` copies every stored observation a submission overwrites or deletes into
``observation_revision`` (with the submission that wrote it and the one that superseded it), so
that ``includeHistory=true`` data queries can answer with every version. Nothing to backfill:
earlier values were not kept before this revision.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "7c4e9a1d3f60"
down_revision: str | None = "5b1d7c0e2a94"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "observation_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataflow_urn", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=False),
        sa.Column("series_key", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
        sa.Column("provider", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("time_period", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("period_start", sa.BigInteger(), nullable=True),
        sa.Column("period_end", sa.BigInteger(), nullable=True),
        sa.Column("obs_value", sa.Text(), nullable=True),
        sa.Column("attributes", sa.Text(), nullable=True),
        sa.Column("submission_id", sa.Integer(), nullable=False),
        sa.Column("superseded_by", sa.Integer(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("observation_revision", schema=None) as batch_op:
        batch_op.create_index(
            "ix_observation_revision_flow", ["dataflow_urn", "series_key"], unique=False
        )
        batch_op.create_index(
            "ix_observation_revision_superseded", ["superseded_by"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("observation_revision", schema=None) as batch_op:
        batch_op.drop_index("ix_observation_revision_superseded")
        batch_op.drop_index("ix_observation_revision_flow")
    op.drop_table("observation_revision")
