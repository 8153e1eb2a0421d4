"""SQL for users and their bearer tokens (only SHA-256 hashes of tokens are stored)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session, col

from registry.storage.tables import TokenRow, UserRow


@dataclass(frozen=True)
class UserRecord:
    """A user as the core sees it: name, role and, for producers, the provider they report as."""

    name: str
    role: str
    provider: str | None


def add_token(
    session: Session, *, name: str, role: str, provider: str | None, token_hash: str
) -> UserRecord:
    """Create the user if new (or update role/provider), and attach a new token hash."""
    user = session.scalars(select(UserRow).where(col(UserRow.name) == name)).first()
    if user is None:
        user = UserRow(name=name, role=role, provider=provider)
    else:
        user.role, user.provider = role, provider
    session.add(user)
    session.flush()
    assert user.id is not None
    session.add(TokenRow(user_id=user.id, token_hash=token_hash))
    session.flush()
    return UserRecord(user.name, user.role, user.provider)


def user_for_token(session: Session, token_hash: str) -> UserRecord | None:
    """The user owning a non-revoked token with this hash, or None."""
    stmt = (
        select(UserRow)
        .join(TokenRow, col(TokenRow.user_id) == col(UserRow.id))
        .where(col(TokenRow.token_hash) == token_hash, col(TokenRow.revoked).is_(False))
    )
    user = session.scalars(stmt).first()
    return None if user is None else UserRecord(user.name, user.role, user.provider)
