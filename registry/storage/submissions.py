"""SQL for submission records: create, complete, look up and list the ``submission`` rows.

Every function takes an open ``Session`` and leaves transaction control to the caller. Records go
out as frozen ``SubmissionRecord`` values (registry/storage/records.py), never as ORM rows.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from registry.storage.artefacts import aware
from registry.storage.records import SubmissionRecord
from registry.storage.tables import SubmissionRow


def _record(row: SubmissionRow) -> SubmissionRecord:
    assert row.id is not None
    return SubmissionRecord(
        id=row.id,
        status=row.status,
        submitted_at=aware(row.submitted_at),
        owner=row.owner,
        provider=row.provider,
        file_name=row.file_name,
        size=row.size,
        sha256=row.sha256,
        media_type=row.media_type,
        data_format=row.data_format,
        action=row.action,
        dataflow=row.dataflow_urn,
        structures=dict(row.structures),
        counts=dict(row.counts),
        duration_ms=row.duration_ms,
        report=dict(row.report),
        duplicate_of=row.duplicate_of,
        requested_action=row.requested_action,
    )


def _columns(record: SubmissionRecord) -> dict[str, Any]:
    values = asdict(record)
    values.pop("id")
    values["dataflow_urn"] = values.pop("dataflow")
    return values


def insert(session: Session, record: SubmissionRecord) -> int:
    """Add a record (its ``id`` is ignored) and return the new id."""
    row = SubmissionRow(**_columns(record))
    session.add(row)
    session.flush()
    assert row.id is not None
    return row.id


def update(session: Session, submission_id: int, record: SubmissionRecord) -> None:
    """Overwrite the stored fields of a record created by ``insert``."""
    row = session.get(SubmissionRow, submission_id)
    if row is None:
        raise LookupError(f"no submission {submission_id}")
    for name, value in _columns(record).items():
        setattr(row, name, value)
    session.add(row)
    session.flush()


def get(session: Session, submission_id: int) -> SubmissionRecord | None:
    row = session.get(SubmissionRow, submission_id)
    return None if row is None else _record(row)


def listing(
    session: Session, *, provider: str | None, limit: int, offset: int
) -> list[SubmissionRecord]:
    """Records newest first, only ``provider``'s when given."""
    stmt = select(SubmissionRow).order_by(col(SubmissionRow.id).desc()).limit(limit).offset(offset)
    if provider is not None:
        stmt = stmt.where(col(SubmissionRow.provider) == provider)
    return [_record(row) for row in session.scalars(stmt)]


def last_accepted(session: Session, dataflow_urn: str) -> SubmissionRecord | None:
    """The latest accepted (data-changing) submission to a dataflow."""
    stmt = (
        select(SubmissionRow)
        .where(col(SubmissionRow.dataflow_urn) == dataflow_urn)
        .where(col(SubmissionRow.status) == "accepted")
        .where(col(SubmissionRow.duplicate_of).is_(None))
        .order_by(col(SubmissionRow.id).desc())
        .limit(1)
    )
    row = session.scalars(stmt).first()
    return None if row is None else _record(row)
