"""SQL for structures: artefact rows, the reference-edge table and the change clock.

Every function takes an open ``Session`` and leaves transaction control to the caller (one
structure message = one transaction). ``save`` and ``remove`` first replace the structure clock's
marker (``structure_marker``), so caches of structures in any process see the change. Rows go out
as frozen ``ArtefactRecord`` values and canonical SDMX-ML text, never as ORM objects, so the
layers above stay free of SQL.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Sequence
from datetime import UTC, datetime
from typing import overload

from sqlalchemy import delete, func, select, update
from sqlmodel import Session, col

from registry.storage.records import ArtefactRecord
from registry.storage.tables import (
    ArtefactRefRow,
    ArtefactRow,
    AuditRow,
    StructureClockRow,
    utcnow,
)

_CHUNK = 500  # bound IN (...) lists well under every backend's parameter limit


def _chunks(values: Collection[str]) -> Iterable[list[str]]:
    items = sorted(set(values))
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


@overload
def aware(value: datetime) -> datetime: ...
@overload
def aware(value: None) -> None: ...
def aware(value: datetime | None) -> datetime | None:
    """Timestamps as UTC datetimes (SQLite hands back naive ones, PostgreSQL its session zone)."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _record(row: ArtefactRow) -> ArtefactRecord:
    return ArtefactRecord(
        urn=row.urn,
        urn_class=row.urn_class,
        agency_id=row.agency_id,
        artefact_id=row.artefact_id,
        version=row.version,
        is_final=row.is_final,
        constraint_role=row.constraint_role,
        content_hash=row.content_hash,
        updated_at=aware(row.updated_at),
    )


def find(
    session: Session,
    urn_classes: Sequence[str],
    agencies: Sequence[str] | None = None,
    ids: Sequence[str] | None = None,
    versions: Sequence[str] | None = None,
) -> list[ArtefactRecord]:
    """Artefacts of the given classes; ``None`` for agencies, ids or versions means any."""
    stmt = select(ArtefactRow).where(col(ArtefactRow.urn_class).in_(list(urn_classes)))
    if agencies is not None:
        stmt = stmt.where(col(ArtefactRow.agency_id).in_(list(agencies)))
    if ids is not None:
        stmt = stmt.where(col(ArtefactRow.artefact_id).in_(list(ids)))
    if versions is not None:
        stmt = stmt.where(col(ArtefactRow.version).in_(list(versions)))
    stmt = stmt.order_by(
        col(ArtefactRow.urn_class), col(ArtefactRow.agency_id), col(ArtefactRow.artefact_id)
    )
    return [_record(row) for row in session.scalars(stmt)]


def records(session: Session, urns: Collection[str]) -> list[ArtefactRecord]:
    """The stored artefacts among ``urns``, in URN order."""
    out: list[ArtefactRecord] = []
    for chunk in _chunks(urns):
        stmt = select(ArtefactRow).where(col(ArtefactRow.urn).in_(chunk))
        out.extend(_record(row) for row in session.scalars(stmt))
    return sorted(out, key=lambda r: r.urn)


def existing(session: Session, urns: Collection[str]) -> set[str]:
    """Which of ``urns`` are stored."""
    found: set[str] = set()
    for chunk in _chunks(urns):
        found.update(
            session.scalars(select(col(ArtefactRow.urn)).where(col(ArtefactRow.urn).in_(chunk)))
        )
    return found


def get_sdmx_ml(session: Session, urn: str) -> tuple[ArtefactRecord, str] | None:
    """The record and canonical SDMX-ML text of one artefact, or None."""
    row = session.scalars(select(ArtefactRow).where(col(ArtefactRow.urn) == urn)).first()
    return None if row is None else (_record(row), row.sdmx_ml)


def _edges(session: Session, column: str, urns: Collection[str]) -> dict[str, set[str]]:
    key, other = col(ArtefactRefRow.from_urn), col(ArtefactRefRow.to_urn)
    if column == "to":
        key, other = other, key
    out: dict[str, set[str]] = {urn: set() for urn in urns}
    for chunk in _chunks(urns):
        for a, b in session.execute(select(key, other).where(key.in_(chunk))):
            out[a].add(b)
    return out


def refs_from(session: Session, urns: Collection[str]) -> dict[str, set[str]]:
    """For each URN, the URNs of the artefacts it references."""
    return _edges(session, "from", urns)


def refs_to(session: Session, urns: Collection[str]) -> dict[str, set[str]]:
    """For each URN, the URNs of the artefacts that reference it."""
    return _edges(session, "to", urns)


def save(
    session: Session,
    *,
    urn: str,
    urn_class: str,
    agency_id: str,
    artefact_id: str,
    version: str,
    is_final: bool,
    constraint_role: str | None,
    names: dict[str, str],
    sdmx_ml: str,
    content_hash: str,
    references: Collection[str],
) -> None:
    """Insert or overwrite one artefact version and replace its outgoing reference edges."""
    _touch(session)
    row = session.scalars(select(ArtefactRow).where(col(ArtefactRow.urn) == urn)).first()
    now = utcnow()
    if row is None:
        row = ArtefactRow(
            urn=urn,
            urn_class=urn_class,
            agency_id=agency_id,
            artefact_id=artefact_id,
            version=version,
            created_at=now,
            sdmx_ml=sdmx_ml,
            content_hash=content_hash,
        )
    row.is_final = is_final
    row.constraint_role = constraint_role
    row.names = dict(names)
    row.sdmx_ml = sdmx_ml
    row.content_hash = content_hash
    row.updated_at = now
    session.add(row)
    session.execute(delete(ArtefactRefRow).where(col(ArtefactRefRow.from_urn) == urn))
    session.add_all(ArtefactRefRow(from_urn=urn, to_urn=to) for to in sorted(set(references)))
    session.flush()


def remove(session: Session, urn: str) -> bool:
    """Delete one artefact and its outgoing edges; False if it was not stored."""
    _touch(session)
    session.execute(delete(ArtefactRefRow).where(col(ArtefactRefRow.from_urn) == urn))
    result = session.execute(delete(ArtefactRow).where(col(ArtefactRow.urn) == urn))
    session.flush()
    return bool(getattr(result, "rowcount", 0))


def count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(ArtefactRow)) or 0)


def last_change(session: Session) -> datetime | None:
    """When structures last changed (any create, replace or delete), from the audit trail."""
    return aware(session.scalar(select(func.max(AuditRow.at))))


def structure_marker(session: Session) -> str | None:
    """A value that changes with every committed structure write (a new random one each time, so
    it never repeats, even in a database re-created under the same URL); None without the row."""
    stmt = select(col(StructureClockRow.marker)).where(col(StructureClockRow.id) == 1)
    return session.scalars(stmt).first()


def _touch(session: Session) -> None:
    """Give the structure clock a new marker in the caller's transaction.

    Called before any artefact row is written, so every structure-writing transaction takes the
    clock row's lock first (on PostgreSQL): writers queue on it instead of deadlocking on rows.
    """
    marker, now = uuid.uuid4().hex, utcnow()
    result = session.execute(
        update(StructureClockRow)
        .where(col(StructureClockRow.id) == 1)
        .values(marker=marker, changed_at=now)
    )
    if not getattr(result, "rowcount", 0):  # a database whose row was removed
        session.add(StructureClockRow(id=1, marker=marker, changed_at=now))
        session.flush()
