"""SQL for reference-metadata reports: one ``metadata_report`` row per report of a metadataflow.

Every function takes an open ``Session`` and leaves transaction control to the caller (a metadata
message is one transaction). Rows go out as frozen ``ReportRecord`` values carrying the canonical
GenericMetadata text, never as ORM objects. Queries select on the metadataflow URN, the target key
and the provider only; the JSON column is payload.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import Session, col

from registry.storage.artefacts import aware
from registry.storage.tables import MetadataReportRow, utcnow


@dataclass(frozen=True)
class ReportRecord:
    """One stored report: identity, selectors, canonical SDMX-ML and change time."""

    metadataflow_urn: str
    report_id: str
    target_key: str
    target_values: dict[str, str]
    provider: str | None
    sdmx_ml: str
    content_hash: str
    updated_at: datetime


def _record(row: MetadataReportRow) -> ReportRecord:
    return ReportRecord(
        metadataflow_urn=row.metadataflow_urn,
        report_id=row.report_id,
        target_key=row.target_key,
        target_values=dict(row.target_values),
        provider=row.provider,
        sdmx_ml=row.sdmx_ml,
        content_hash=row.content_hash,
        updated_at=aware(row.updated_at),
    )


def _row(session: Session, metadataflow_urn: str, report_id: str) -> MetadataReportRow | None:
    stmt = select(MetadataReportRow).where(
        col(MetadataReportRow.metadataflow_urn) == metadataflow_urn,
        col(MetadataReportRow.report_id) == report_id,
    )
    return session.scalars(stmt).first()


def get(session: Session, metadataflow_urn: str, report_id: str) -> ReportRecord | None:
    """The stored report ``report_id`` of a metadataflow, or None."""
    row = _row(session, metadataflow_urn, report_id)
    return None if row is None else _record(row)


def save(
    session: Session,
    *,
    metadataflow_urn: str,
    report_id: str,
    target_key: str,
    target_values: dict[str, str],
    provider: str | None,
    sdmx_ml: str,
    content_hash: str,
) -> None:
    """Insert or overwrite one report."""
    row = _row(session, metadataflow_urn, report_id)
    if row is None:
        row = MetadataReportRow(
            metadataflow_urn=metadataflow_urn,
            report_id=report_id,
            target_key=target_key,
            sdmx_ml=sdmx_ml,
            content_hash=content_hash,
        )
    row.target_key = target_key
    row.target_values = dict(target_values)
    row.provider = provider
    row.sdmx_ml = sdmx_ml
    row.content_hash = content_hash
    row.updated_at = utcnow()
    session.add(row)
    session.flush()


def find(
    session: Session,
    metadataflow_urns: Sequence[str],
    keys: Sequence[str] | None = None,
    providers: Sequence[str] | None = None,
) -> list[ReportRecord]:
    """Reports of the metadataflows; ``None`` for keys or providers means any."""
    stmt = select(MetadataReportRow).where(
        col(MetadataReportRow.metadataflow_urn).in_(list(metadataflow_urns))
    )
    if keys is not None:
        stmt = stmt.where(col(MetadataReportRow.target_key).in_(list(keys)))
    if providers is not None:
        stmt = stmt.where(col(MetadataReportRow.provider).in_(list(providers)))
    stmt = stmt.order_by(col(MetadataReportRow.metadataflow_urn), col(MetadataReportRow.report_id))
    return [_record(row) for row in session.scalars(stmt)]


def count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(MetadataReportRow)) or 0)


def last_change(session: Session) -> datetime | None:
    """When a report was last created or replaced."""
    return aware(session.scalar(select(func.max(MetadataReportRow.updated_at))))
