"""FastAPI dependencies as ``Annotated`` aliases: settings, a per-request session, the caller.

``SessionDep`` yields one SQLModel session per request (committed by ``session_scope`` when the
handler returns, rolled back if it raises; FastAPI runs that exit after the response is sent, so
a handler that writes commits itself before answering); ``CurrentUser`` resolves an
``Authorization: Bearer`` token to a ``UserRecord`` (None when the request is anonymous; an
unknown token is a 401).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.engine import Engine
from sqlmodel import Session

from registry import auth
from registry.catalog import ArtefactCache
from registry.config import Settings
from registry.storage.db import session_scope
from registry.storage.users import UserRecord


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_engine(request: Request) -> Engine:
    return request.app.state.engine


def get_cache(request: Request) -> ArtefactCache:
    return request.app.state.artefact_cache


def get_session(engine: Annotated[Engine, Depends(get_engine)]) -> Iterator[Session]:
    with session_scope(engine) as session:
        yield session


def get_current_user(
    request: Request, session: Annotated[Session, Depends(get_session)]
) -> UserRecord | None:
    header = request.headers.get("authorization", "")
    scheme, _, secret = header.partition(" ")
    if not header:
        return None
    if scheme.lower() != "bearer" or not secret.strip():
        return auth.authenticate(session, "\x00invalid")  # raises UnauthorizedError
    return auth.authenticate(session, secret.strip())


SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
EngineDep = Annotated[Engine, Depends(get_engine)]
CacheDep = Annotated[ArtefactCache, Depends(get_cache)]
CurrentUser = Annotated[UserRecord | None, Depends(get_current_user)]
