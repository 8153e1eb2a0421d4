"""metadata reports: one row per reference-metadata report of a metadataflow

Revision ID: 3e2293fb03a7
Revises: c515823bc97c
Create Date: 2026-11-29 07:56:15.920872
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "3e2293fb03a7"
down_revision: str | None = "c515823bc97c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "metadata_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("metadataflow_urn", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("report_id", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("target_key", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("target_values", sa.JSON(), nullable=False),
        sa.Column("provider", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("sdmx_ml", sa.Text(), nullable=False),
        sa.Column("content_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("metadataflow_urn", "report_id", name="uq_metadata_report"),
    )
    with op.batch_alter_table("metadata_report", schema=None) as batch_op:
        batch_op.create_index(
            "ix_metadata_report_key", ["metadataflow_urn", "target_key"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("metadata_report", schema=None) as batch_op:
        batch_op.drop_index("ix_metadata_report_key")
    op.drop_table("metadata_report")
