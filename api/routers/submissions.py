"""Data submission over HTTP: ``POST /submissions``, ``GET /submissions`` and ``/submissions/{id}``.

A producer (or an admin) posts one data file, as the raw body with an SDMX media type or as the
``file`` field of a ``multipart/form-data`` body, spooled to disk under the size cap by
``api.uploads``. The query parameters (``dataflow`` as an SDMX-REST flowRef, ``action``,
``dry_run``, ``lang``, and ``provider`` for an admin) become ``SubmissionOptions``, and
``registry.submission.submit`` runs in a worker thread. The answer, rendered by
``api.report_pages``, is the validation report, JSON by default or an HTML page for a browser, in
English or French: 201 with ``Location`` when the file was stored, 200 for an identical file
already accepted (``Location`` of that one) or a clean dry run, 422 when the file was refused. A
producer lists and reads only its own provider's submissions (another provider's is 404, as if it
did not exist); admins and curators see all of them.
"""

from __future__ import annotations

import functools
import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool

from api.deps import CurrentUser, SessionDep, SettingsDep, get_engine
from api.negotiation import preferred_languages
from api.report_pages import list_response, report_response, submission_path
from api.uploads import DATA_MEDIA_TYPES, FILE_FIELD, MULTIPART, spooled_upload
from registry import auth, submission
from registry.errors import (
    ForbiddenError,
    NoResultsError,
    NotAcceptableError,
    QuerySyntaxError,
    UnsupportedError,
)
from registry.io.formats import parse_accept
from registry.storage.users import UserRecord
from registry.validation.report import LANGUAGES

router = APIRouter(tags=["submissions"])

EngineDep = Annotated[Engine, Depends(get_engine)]

#: Who may submit data, and who may read submissions (admins may do everything).
SUBMITTERS = ("producer",)
READERS = ("producer", "curator")
ACTIONS = ("Append", "Replace", "Delete", "Information")

_FLOW_REF = re.compile(
    r"(?:(?P<agency>[A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*)*),)?(?P<id>[A-Za-z_@$][\w@$-]*)"
    r"(?:,(?P<version>latest|\d+(?:\.\d+)*))?"
)
_PROVIDER = re.compile(r"[A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*)*:[\w@$-]+")
_POST_PARAMS = ("dataflow", "action", "dry_run", "lang", "provider")
_LIST_PARAMS = ("limit", "offset", "lang")
_ONE_PARAMS = ("lang",)


# ── query parameters ──────────────────────────────────────────────────────────────────────────


def check_params(request: Request, allowed: tuple[str, ...]) -> None:
    """Refuse (501, naming it) any query parameter the endpoint does not know."""
    for name in request.query_params:
        if name not in allowed:
            raise UnsupportedError(
                f"the query parameter {name!r} is not supported on {request.url.path} "
                f"(supported: {', '.join(allowed)}; names are case-sensitive)"
            )


#: Media ranges of Accept that let a report be answered (JSON, or HTML for a browser).
_REPORT_RANGES = frozenset({"application/json", "text/html", "*/*", "application/*", "text/*"})


def check_acceptable(request: Request) -> None:
    """406 before any work when the client accepts neither JSON nor HTML."""
    header = request.headers.get("accept")
    if header and not any(r.type in _REPORT_RANGES for r in parse_accept(header)):
        raise NotAcceptableError(
            f"none of the accepted media types ({header}) can be produced for submission "
            "reports; available: application/json, text/html"
        )


def parse_flow_ref(flow_ref: str | None) -> str | None:
    """An SDMX-REST flowRef as the dataflow reference ``SubmissionOptions`` takes.

    ``AGENCY,ID,VERSION`` / ``AGENCY,ID`` / ``ID`` become ``AGENCY:ID(VERSION)`` / ``AGENCY:ID`` /
    ``ID``; ``all`` as agency and ``latest`` as version mean "not given".
    """
    if flow_ref is None or not flow_ref.strip():
        return None
    m = _FLOW_REF.fullmatch(flow_ref.strip())
    if m is None:
        raise QuerySyntaxError(
            f"invalid dataflow {flow_ref!r}: expected an SDMX-REST flowRef, ID, AGENCY,ID or "
            "AGENCY,ID,VERSION (e.g. MA.HCP,DF_LFS_KEY,1.0)"
        )
    agency = m["agency"] if m["agency"] not in (None, "all") else None
    version = m["version"] if m["version"] not in (None, "latest") else None
    ref = m["id"] if agency is None else f"{agency}:{m['id']}"
    return ref if version is None else f"{ref}({version})"


def parse_action(action: str | None) -> str | None:
    """The dataset action in its SDMX spelling, whatever the case; None when not given."""
    if action is None or not action.strip():
        return None
    for name in ACTIONS:
        if action.strip().lower() == name.lower():
            return name
    raise QuerySyntaxError(f"invalid action {action!r}: expected one of {', '.join(ACTIONS)}")


def choose_language(request: Request, lang: str | None) -> str:
    """``lang`` if given (en or fr, else 400), else the first of them in Accept-Language, or en."""
    if lang is not None:
        if lang.lower() not in LANGUAGES:
            raise QuerySyntaxError(f"invalid lang {lang!r}: expected one of {', '.join(LANGUAGES)}")
        return lang.lower()
    return next(
        (tag for tag in preferred_languages(request, lang="") if tag in LANGUAGES), LANGUAGES[0]
    )


def submitting_provider(user: UserRecord, provider: str | None) -> str | None:
    """The provider checked against provision agreements: a producer's own, an admin's choice."""
    if provider is not None and not _PROVIDER.fullmatch(provider):
        raise QuerySyntaxError(
            f"invalid provider {provider!r}: expected AGENCY:PROVIDER_ID (e.g. MA.HCP:HCP)"
        )
    if user.role == "admin":
        return provider
    if provider is not None and provider != user.provider:
        raise ForbiddenError(
            f"the token of {user.name!r} submits as provider {user.provider}, not {provider}"
        )
    return user.provider


# ── endpoints ─────────────────────────────────────────────────────────────────────────────────

_DATA_BODY = {"schema": {"type": "string", "format": "binary"}}
_POST_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "One SDMX data file (SDMX-ML 2.1 or 3.0, SDMX-CSV 1.0 or 2.0), plain, "
        "gzip or zip: the raw body, or the field 'file' of a multipart/form-data form.",
        "content": {
            **{media: _DATA_BODY for media in sorted(DATA_MEDIA_TYPES)},
            MULTIPART: {
                "schema": {
                    "type": "object",
                    "properties": {FILE_FIELD: {"type": "string", "format": "binary"}},
                    "required": [FILE_FIELD],
                }
            },
        },
    }
}
_REPORT: dict[str, Any] = {"application/json": {}, "text/html": {}}
_POST_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Identical to an accepted submission (Location: that one), or a clean "
        "dry run: nothing stored",
        "content": _REPORT,
    },
    201: {"description": "Accepted and stored; Location names the submission", "content": _REPORT},
    400: {"description": "Bad query parameter or malformed form (SDMX error 140)"},
    401: {"description": "No or unknown bearer token (SDMX error 110)"},
    403: {"description": "The token's role may not submit data (SDMX error 110)"},
    413: {"description": "Body larger than REGISTRY_MAX_UPLOAD_BYTES: nothing submitted"},
    415: {"description": "Body of a type that is not SDMX data"},
    422: {"description": "The file was refused: the report lists why", "content": _REPORT},
}


@router.post(
    "/submissions",
    summary="Submit one data file (producer or admin token)",
    description="Validates the file against its dataflow and the provider's provision agreement "
    "and stores it all-or-nothing. The answer is the validation report (JSON, or HTML for a "
    "browser).",
    response_class=Response,
    status_code=201,
    openapi_extra=_POST_BODY,
    responses=_POST_RESPONSES,
)
async def post_submission(
    request: Request,
    settings: SettingsDep,
    engine: EngineDep,
    user: CurrentUser,
    dataflow: Annotated[
        str | None,
        Query(
            description="SDMX-REST flowRef of the dataflow the file must report: "
            "AGENCY,ID,VERSION, AGENCY,ID or ID (default: the one the file names)"
        ),
    ] = None,
    action: Annotated[
        str | None,
        Query(description="Overrides the file's action: Append, Replace, Delete or Information"),
    ] = None,
    dry_run: Annotated[
        bool, Query(description="Validate only: nothing is stored and no record is kept")
    ] = False,
    lang: Annotated[
        str | None,
        Query(description="Language of the report, en or fr (default: from Accept-Language)"),
    ] = None,
    provider: Annotated[
        str | None,
        Query(
            description="Admins only: the data provider AGENCY:ID to check the provision "
            "agreement for (default: none checked); producers submit as their own provider"
        ),
    ] = None,
) -> Response:
    who = auth.require(user, SUBMITTERS, "submitting data")
    check_params(request, _POST_PARAMS)
    check_acceptable(request)
    language = choose_language(request, lang)
    options = submission.SubmissionOptions(
        owner=who.name,
        provider=submitting_provider(who, provider),
        dataflow=parse_flow_ref(dataflow),
        action=parse_action(action),
        dry_run=dry_run,
    )
    async with spooled_upload(request, settings.max_upload_bytes) as upload:
        # The decompressed size is capped like the body, as ``registry submit`` does.
        record = await run_in_threadpool(
            functools.partial(submission.submit, max_bytes=settings.max_upload_bytes),
            engine,
            upload,
            options,
        )
    if record.duplicate_of is not None:
        return report_response(
            request, record, language, 200, submission_path(request, record.duplicate_of)
        )
    if record.status == "accepted" and record.id is not None:
        return report_response(request, record, language, 201, submission_path(request, record.id))
    if record.status == "valid":
        return report_response(request, record, language, 200)
    return report_response(request, record, language, 422)


@router.get(
    "/submissions",
    summary="List submissions, newest first (a producer sees its own provider's)",
    response_class=Response,
    responses={200: {"content": {"application/json": {}, "text/html": {}}}},
)
def list_submissions(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    limit: Annotated[int, Query(ge=1, le=1000, description="At most this many")] = 100,
    offset: Annotated[int, Query(ge=0, description="Skip this many of the newest")] = 0,
    lang: Annotated[str | None, Query(description="Language of the messages, en or fr")] = None,
) -> Response:
    who = auth.require(user, READERS, "reading submissions")
    check_params(request, _LIST_PARAMS)
    check_acceptable(request)
    language = choose_language(request, lang)
    provider = who.provider if who.role == "producer" else None
    records = submission.list_submissions(session, provider=provider, limit=limit, offset=offset)
    return list_response(request, records, language, limit, offset, keep_lang=lang is not None)


@router.get(
    "/submissions/{submission_id}",
    summary="One submission and its validation report",
    response_class=Response,
    responses={
        200: {"content": {"application/json": {}, "text/html": {}}},
        404: {"description": "No such submission, or one of another provider (SDMX error 100)"},
    },
)
def get_submission(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    submission_id: int,
    lang: Annotated[str | None, Query(description="Language of the messages, en or fr")] = None,
) -> Response:
    who = auth.require(user, READERS, "reading submissions")
    check_params(request, _ONE_PARAMS)
    check_acceptable(request)
    language = choose_language(request, lang)
    record = submission.get_submission(session, submission_id)
    if record is None or (who.role == "producer" and record.provider != who.provider):
        raise NoResultsError(f"there is no submission {submission_id} you may see")
    return report_response(request, record, language)
