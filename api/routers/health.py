"""Liveness and readiness: ``GET /-/health`` is 200 with the store's state, 503 if it is down."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError

import registry
from api.deps import SessionDep
from registry.storage import artefacts

router = APIRouter(tags=["health"])


@router.get("/-/health", summary="Health check")
def health(session: SessionDep) -> JSONResponse:
    try:
        count = artefacts.count(session)
    except SQLAlchemyError as exc:
        return JSONResponse({"status": "error", "database": type(exc).__name__}, status_code=503)
    return JSONResponse(
        {"status": "ok", "database": "ok", "artefacts": count, "version": registry.__version__}
    )
