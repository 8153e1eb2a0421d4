"""SQL for the audit trail: one row per write (who, what, which target, when, detail)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from registry.storage.tables import AuditRow, utcnow


def record(
    session: Session, *, actor: str, action: str, target: str, detail: dict[str, Any] | None = None
) -> None:
    """Append one audit entry in the caller's transaction."""
    row = AuditRow(at=utcnow(), actor=actor, action=action, target=target, detail=detail or {})
    session.add(row)


def entries(session: Session, target: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
    """The latest audit entries (optionally for one target), newest first."""
    stmt = select(AuditRow).order_by(col(AuditRow.id).desc()).limit(limit)
    if target is not None:
        stmt = stmt.where(col(AuditRow.target) == target)
    return [
        {"at": r.at, "actor": r.actor, "action": r.action, "target": r.target, "detail": r.detail}
        for r in session.scalars(stmt)
    ]
