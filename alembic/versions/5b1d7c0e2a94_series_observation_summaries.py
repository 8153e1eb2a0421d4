"""series: observation summaries (count, first period start, last period end, last writer)

Revision ID: 5b1d7c0e2a94
Revises: ba96f90f8dea
Create Date: 2026-12-02 10:00:00.000000

Availability queries read these per-series summaries instead of scanning the observations;
``DataWriter.merge`` keeps them current. Existing series are summarised here once.
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "5b1d7c0e2a94"
down_revision: str | None = "ba96f90f8dea"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("series", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("observation_count", sa.BigInteger(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("first_period_start", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("last_period_end", sa.BigInteger(), nullable=True))
        batch_op.add_column(
            sa.Column("last_observation_submission_id", sa.Integer(), nullable=True)
        )
    op.execute(
        "UPDATE series SET observation_count = a.n, first_period_start = a.first_start, "
        "last_period_end = a.last_end, last_observation_submission_id = a.last_submission "
        "FROM (SELECT series_id, COUNT(*) AS n, MIN(period_start) AS first_start, "
        "MAX(period_end) AS last_end, MAX(submission_id) AS last_submission "
        "FROM observation GROUP BY series_id) a WHERE series.id = a.series_id"
    )


def downgrade() -> None:
    with op.batch_alter_table("series", schema=None) as batch_op:
        batch_op.drop_column("last_observation_submission_id")
        batch_op.drop_column("last_period_end")
        batch_op.drop_column("first_period_start")
        batch_op.drop_column("observation_count")
