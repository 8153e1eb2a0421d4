"""Rendering of every failure as one SDMX error: SDMX-ML ``Error``, SDMX-JSON ``errors`` or HTML.

``install(app)`` registers the handlers: ``RegistryError`` (and its tree) with its own status and
SDMX code; request validation errors as SDMX 140 / HTTP 400; unknown paths as SDMX 100 / 404; and
any unexpected exception as SDMX 500 without leaking a stack trace. A refused structure submission
is answered with its ``SubmitStructureResponse`` so the curator sees the fate of every artefact.
"""

from __future__ import annotations

import html
import json
import logging
from collections.abc import Sequence
from datetime import UTC, datetime

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.negotiation import wants_html, wants_json
from registry.errors import (
    NoResultsError,
    QuerySyntaxError,
    RegistryError,
    StructureSubmissionError,
    UnsupportedError,
)
from registry.io import sdmxjson, sdmxml
from registry.results import ArtefactResult

log = logging.getLogger("registry.api")

XML_ERROR_TYPE = "application/xml"
JSON_ERROR_TYPE = "application/json"


def submission_response(
    request: Request,
    results: Sequence[ArtefactResult],
    status: int,
    missing: Sequence[str] = (),
    message: str | None = None,
) -> Response:
    """A structure-submission answer: SubmitStructureResponse XML, or JSON on request."""
    if wants_json(request):
        payload: dict[str, object] = {"results": [r.as_dict() for r in results]}
        if message:
            payload["message"] = message
        if missing:
            payload["missing"] = list(missing)
        body = json.dumps(payload, ensure_ascii=False)
        return Response(body, status_code=status, media_type=JSON_ERROR_TYPE)
    xml = sdmxml.write_submit_structure_response(
        results, header_id=_header_id(), prepared=datetime.now(UTC)
    )
    return Response(xml, status_code=status, media_type=XML_ERROR_TYPE)


def _header_id() -> str:
    import uuid

    return "IREF" + uuid.uuid4().hex[:16].upper()


def render(request: Request, exc: RegistryError) -> Response:
    """One error in the format the client prefers."""
    if isinstance(exc, StructureSubmissionError) and exc.results:
        return submission_response(request, exc.results, exc.status, exc.details, exc.message)
    text = exc.message if not exc.details else exc.message + " — " + "; ".join(exc.details)
    headers = {"Vary": "Accept, Accept-Encoding, Accept-Language"}
    if exc.status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="lmis-registry"'
    if wants_json(request):
        body = sdmxjson.write_errors_json([(exc.code, exc.title, text)])
        return Response(body, exc.status, headers, media_type=JSON_ERROR_TYPE)
    if wants_html(request):
        page = (
            f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{exc.status} "
            f"{html.escape(exc.title)}</title></head><body><h1>{html.escape(exc.title)}</h1>"
            f"<p>{html.escape(text)}</p><p>SDMX error code {exc.code}</p></body></html>"
        )
        return Response(page, exc.status, headers, media_type="text/html")
    body = sdmxml.write_error([(exc.code, text)])
    return Response(body, exc.status, headers, media_type=XML_ERROR_TYPE)


async def _registry_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RegistryError)
    return render(request, exc)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = "; ".join(
        f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}" for e in exc.errors()
    )
    return render(request, QuerySyntaxError(f"invalid request: {problems}"))


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 404:
        return render(request, NoResultsError(f"no resource at {request.url.path}"))
    if exc.status_code == 405:
        return render(
            request, UnsupportedError(f"{request.method} is not supported on {request.url.path}")
        )
    error = RegistryError(str(exc.detail))
    error.status = exc.status_code  # type: ignore[misc]
    return render(request, error)


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return render(request, RegistryError("internal error; the registry logged the details"))


def install(app: FastAPI) -> None:
    app.add_exception_handler(RegistryError, _registry_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
