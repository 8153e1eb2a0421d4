"""Bearer tokens and roles: creation (secret shown once, hash stored), lookup and permission checks.

Roles: ``admin`` (everything), ``curator`` (write structures), ``producer`` (submit data as one
data provider). Reads are public. ``require`` raises ``UnauthorizedError`` (no or unknown token) or
``ForbiddenError`` (known token, role not allowed) with a message saying which role is needed.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Collection

from sqlmodel import Session

from registry.errors import ForbiddenError, QuerySyntaxError, UnauthorizedError
from registry.storage import users
from registry.storage.users import UserRecord

ROLES = ("admin", "curator", "producer")
STRUCTURE_WRITERS = ("admin", "curator")
TOKEN_PREFIX = "lmis_"
_PROVIDER = re.compile(r"[A-Za-z][\w-]*(\.[A-Za-z][\w-]*)*:[\w@$-]+")


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def create_token(
    session: Session, *, name: str, role: str, provider: str | None = None
) -> tuple[str, UserRecord]:
    """Create (or update) user ``name`` with ``role`` and return a new secret token, once."""
    if role not in ROLES:
        raise QuerySyntaxError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    if provider is not None and not _PROVIDER.fullmatch(provider):
        raise QuerySyntaxError(
            f"provider must look like AGENCY:PROVIDER_ID (e.g. MA.HCP:HCP), not {provider!r}"
        )
    if role == "producer" and provider is None:
        raise QuerySyntaxError("a producer token needs --provider AGENCY:PROVIDER_ID")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    user = users.add_token(
        session, name=name, role=role, provider=provider, token_hash=hash_token(secret)
    )
    return secret, user


def authenticate(session: Session, secret: str | None) -> UserRecord | None:
    """The user owning ``secret``, or None when no token was given; unknown token → 401."""
    if not secret:
        return None
    user = users.user_for_token(session, hash_token(secret))
    if user is None:
        raise UnauthorizedError("the bearer token is not known to this registry (or was revoked)")
    return user


def require(user: UserRecord | None, roles: Collection[str], action: str) -> UserRecord:
    """The user, if their role allows ``action``; else 401 (anonymous) or 403."""
    if user is None:
        raise UnauthorizedError(
            f"{action} needs a bearer token with role {' or '.join(roles)} "
            "(create one with `registry token create`)"
        )
    if user.role not in roles and user.role != "admin":
        raise ForbiddenError(
            f"{action} needs role {' or '.join(roles)}; the token of {user.name!r} has role "
            f"{user.role!r}"
        )
    return user
