"""Data submission over HTTP: ``POST /submissions``, ``GET /submissions`` and ``/submissions/{id}``.

A producer (or an admin) posts one data file, as the raw body with an SDMX media type or as the
``file`` field of a ``multipart/form-data`` body. The bytes are streamed to a temporary file on
disk, never held in memory, and refused with SDMX 413 past ``REGISTRY_MAX_UPLOAD_BYTES``; the
multipart body is parsed as it streams with python-multipart's push parser. The query parameters
(``dataflow`` as an SDMX-REST flowRef, ``action``, ``dry_run``, ``lang``, and ``provider`` for an
admin) become ``SubmissionOptions``, and ``registry.submission.submit`` runs in a worker thread.
The answer is the validation report, JSON by default or an HTML page for a browser, in English or
French: 201 with ``Location`` when the file was stored, 200 for an identical file already accepted
(``Location`` of that one) or a clean dry run, 422 when the file was refused. A producer lists and
reads only its own provider's submissions (another provider's is 404, as if it did not exist);
admins and curators see all of them.
"""

from __future__ import annotations

import functools
import json
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO

import jinja2
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool

from api.deps import CurrentUser, SessionDep, SettingsDep, get_engine
from api.negotiation import wants_html
from registry import auth, submission
from registry.errors import (
    ForbiddenError,
    NoResultsError,
    NotAcceptableError,
    PayloadTooLargeError,
    QuerySyntaxError,
    UnsupportedError,
    UnsupportedMediaTypeError,
)
from registry.io.formats import parse_accept
from registry.storage.records import SubmissionRecord
from registry.storage.users import UserRecord
from registry.validation.report import CODES, LANGUAGES

if TYPE_CHECKING:
    from python_multipart.multipart import MultipartCallbacks

router = APIRouter(tags=["submissions"])

EngineDep = Annotated[Engine, Depends(get_engine)]

#: Who may submit data, and who may read submissions (admins may do everything).
SUBMITTERS = ("producer",)
READERS = ("producer", "curator")
ACTIONS = ("Append", "Replace", "Delete", "Information")

#: Declared types accepted for a raw body (the format itself is sniffed from the content).
DATA_MEDIA_TYPES = frozenset(
    {
        "application/vnd.sdmx.structurespecificdata+xml",
        "application/vnd.sdmx.structurespecifictimeseriesdata+xml",
        "application/vnd.sdmx.genericdata+xml",
        "application/vnd.sdmx.generictimeseriesdata+xml",
        "application/vnd.sdmx.data+xml",
        "application/vnd.sdmx.data+csv",
        "application/xml",
        "text/xml",
        "text/csv",
        "application/gzip",
        "application/x-gzip",
        "application/zip",
        "application/x-zip-compressed",
        "application/octet-stream",
    }
)
MULTIPART = "multipart/form-data"
FILE_FIELD = "file"
#: Room allowed in a multipart body for boundaries and part headers, on top of the file's cap.
MULTIPART_OVERHEAD = 64 * 1024

_FLOW_REF = re.compile(
    r"(?:(?P<agency>[A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*)*),)?(?P<id>[A-Za-z_@$][\w@$-]*)"
    r"(?:,(?P<version>latest|\d+(?:\.\d+)*))?"
)
_PROVIDER = re.compile(r"[A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*)*:[\w@$-]+")
_POST_PARAMS = ("dataflow", "action", "dry_run", "lang", "provider")
_LIST_PARAMS = ("limit", "offset", "lang")
_ONE_PARAMS = ("lang",)
_CAP_HINT = "(setting REGISTRY_MAX_UPLOAD_BYTES)"


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
    ranges: list[tuple[float, int, str]] = []
    for index, item in enumerate(request.headers.get("accept-language", "").split(",")):
        tag, _, params = item.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if tag and q > 0:
            ranges.append((-q, index, tag.split("-")[0].strip().lower()))
    for _q, _index, primary in sorted(ranges):
        if primary in LANGUAGES:
            return primary
    return LANGUAGES[0]


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


# ── the body, streamed to disk ────────────────────────────────────────────────────────────────


def _too_large(limit: int, size: int | None = None) -> PayloadTooLargeError:
    if size is not None:
        return PayloadTooLargeError(
            f"the body has {size:,} bytes; the limit is {limit:,} {_CAP_HINT}"
        )
    return PayloadTooLargeError(f"the file is larger than the limit of {limit:,} bytes {_CAP_HINT}")


def _check_declared_length(request: Request, limit: int) -> None:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit, int(declared))


async def spool_raw(request: Request, dest: BinaryIO, limit: int) -> int:
    """Write the request body to ``dest``, refusing it past ``limit`` bytes; the size written."""
    _check_declared_length(request, limit)
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        dest.write(chunk)
    return size


class _FilePart:
    """Callbacks of python-multipart's push parser: the ``file`` part goes to ``dest``, capped."""

    def __init__(self, dest: BinaryIO, limit: int) -> None:
        self.dest, self.limit = dest, limit
        self.size = 0
        self.headers: dict[str, str] = {}
        self._field, self._value = bytearray(), bytearray()
        self.in_file = False
        self.seen_file = False
        self.file_name: str | None = None
        self.media_type: str | None = None
        self.ended = False

    def callbacks(self) -> MultipartCallbacks:
        return {
            "on_part_begin": self._part_begin,
            "on_header_field": self._header_field,
            "on_header_value": self._header_value,
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
            "on_end": self._end,
        }

    def _part_begin(self) -> None:
        self.headers = {}
        self.in_file = False

    def _header_field(self, data: bytes, start: int, end: int) -> None:
        self._field += data[start:end]

    def _header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def _header_end(self) -> None:
        name = self._field.decode("latin-1").strip().lower()
        self.headers[name] = self._value.decode("utf-8", "replace").strip()
        self._field.clear()
        self._value.clear()

    def _headers_finished(self) -> None:
        disposition, params = parse_options_header(self.headers.get("content-disposition"))
        name = params.get(b"name", b"").decode("utf-8", "replace")
        if disposition != b"form-data" or name != FILE_FIELD:
            raise QuerySyntaxError(
                f"unexpected form field {name!r}: send the data file in the field "
                f"{FILE_FIELD!r} and the options as query parameters"
            )
        if self.seen_file:
            raise QuerySyntaxError(
                f"the form has more than one {FILE_FIELD!r} field: send one file"
            )
        self.seen_file = self.in_file = True
        raw_name = params.get(b"filename")
        if raw_name:
            text = raw_name.decode("utf-8", "replace")
            # Browsers may send a path (C:\fakepath\x.csv): keep the last component only.
            self.file_name = re.split(r"[\\/]", text)[-1] or None
        self.media_type = self.headers.get("content-type") or None

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if not self.in_file:
            return
        self.size += end - start
        if self.size > self.limit:
            raise _too_large(self.limit)
        self.dest.write(data[start:end])

    def _part_end(self) -> None:
        self.in_file = False

    def _end(self) -> None:
        self.ended = True


async def spool_multipart(
    request: Request, boundary: bytes, dest: BinaryIO, limit: int
) -> tuple[str | None, str | None]:
    """Stream a multipart body, writing its ``file`` part to ``dest``: (file name, media type)."""
    _check_declared_length(request, limit + MULTIPART_OVERHEAD)
    part = _FilePart(dest, limit)
    parser = MultipartParser(boundary, part.callbacks())
    total = 0
    try:
        async for chunk in request.stream():
            total += len(chunk)
            if total > limit + MULTIPART_OVERHEAD:
                raise _too_large(limit)
            parser.write(chunk)
        parser.finalize()
    except MultipartParseError as exc:
        raise QuerySyntaxError(f"malformed multipart/form-data body: {exc}") from exc
    if not part.seen_file:
        raise QuerySyntaxError(
            f"the multipart/form-data body has no {FILE_FIELD!r} field holding the data file"
        )
    if not part.ended:
        raise QuerySyntaxError("the multipart/form-data body ends before its closing boundary")
    return part.file_name, part.media_type


async def spool_upload(
    request: Request, dest: BinaryIO, limit: int
) -> tuple[str | None, str | None]:
    """The body or its ``file`` part written to ``dest``: (file name, declared media type)."""
    content_type = request.headers.get("content-type")
    if not content_type:
        await spool_raw(request, dest, limit)
        return None, None
    base, params = parse_options_header(content_type)
    media = base.decode("latin-1").lower()
    if media == MULTIPART:
        boundary = params.get(b"boundary")
        if not boundary:
            raise QuerySyntaxError("the multipart/form-data body has no boundary parameter")
        return await spool_multipart(request, boundary, dest, limit)
    if media not in DATA_MEDIA_TYPES:
        raise UnsupportedMediaTypeError(
            f"cannot take a body of type {media!r}: send SDMX-ML or SDMX-CSV data (plain, gzip "
            f"or zip) with one of {', '.join(sorted(DATA_MEDIA_TYPES))}, or a {MULTIPART} "
            f"form with the file in the field {FILE_FIELD!r}"
        )
    await spool_raw(request, dest, limit)
    return None, content_type.strip()


# ── rendering ─────────────────────────────────────────────────────────────────────────────────

#: Every word of the HTML pages, in each language of the reports.
LABELS: dict[str, dict[str, str]] = {
    "en": {
        "submission": "Submission",
        "submissions": "Submissions",
        "dry_run": "Dry run",
        "status": "Status",
        "accepted": "accepted",
        "rejected": "rejected",
        "valid": "valid",
        "invalid": "invalid",
        "said_accepted": "The file was accepted: its data are stored.",
        "said_rejected": "The file was rejected: nothing was stored. Correct the errors below "
        "and submit it again.",
        "said_valid": "Dry run: the file is valid. Nothing was stored.",
        "said_invalid": "Dry run: the file has errors. Nothing was stored.",
        "said_duplicate": "This file is identical to submission {id}, already accepted: "
        "nothing was stored again.",
        "see": "See submission {id}",
        "file": "File",
        "name": "Name",
        "size": "Size (bytes)",
        "sha256": "SHA-256",
        "media_type": "Declared media type",
        "format": "Read as",
        "submitted_at": "Submitted at",
        "owner": "Submitted by",
        "provider": "Data provider",
        "action": "Action",
        "duration": "Duration (ms)",
        "structures": "Structures used",
        "dataflow": "Dataflow",
        "datastructure": "Data structure definition",
        "provisionagreement": "Provision agreement",
        "constraints": "Constraints",
        "none": "none",
        "counts": "Counts",
        "series": "Series",
        "observations": "Observations",
        "added": "Added",
        "replaced": "Replaced",
        "deleted": "Deleted",
        "errors": "Errors",
        "warnings": "Warnings",
        "counts_by_code": "Findings per code",
        "code": "Code",
        "severity": "Severity",
        "count": "Count",
        "not_listed": "Not listed",
        "error": "error",
        "warning": "warning",
        "findings": "Findings",
        "findings_caption": "Every finding listed, in file order",
        "no_findings": "No problem was found.",
        "message": "Message",
        "location": "Location",
        "series_key": "Series key",
        "period": "Period",
        "component": "Component",
        "value": "Value",
        "hint": "How to fix it",
        "line": "line {n}",
        "row": "row {n}",
        "column": "column {c}",
        "truncated": "{n} more finding(s) with code {code} were counted but not listed.",
        "id": "No.",
        "no_submissions": "No submission yet.",
        "previous": "Previous page",
        "next": "Next page",
        "list_caption": "Submissions, newest first",
        "all_submissions": "All submissions",
    },
    "fr": {
        "submission": "Soumission",
        "submissions": "Soumissions",
        "dry_run": "Essai à blanc",
        "status": "Statut",
        "accepted": "acceptée",
        "rejected": "rejetée",
        "valid": "valide",
        "invalid": "non valide",
        "said_accepted": "Le fichier a été accepté : ses données sont enregistrées.",
        "said_rejected": "Le fichier a été rejeté : rien n'a été enregistré. Corrigez les "
        "erreurs ci-dessous et soumettez-le à nouveau.",
        "said_valid": "Essai à blanc : le fichier est valide. Rien n'a été enregistré.",
        "said_invalid": "Essai à blanc : le fichier contient des erreurs. Rien n'a été enregistré.",
        "said_duplicate": "Ce fichier est identique à la soumission {id}, déjà acceptée : "
        "rien n'a été enregistré à nouveau.",
        "see": "Voir la soumission {id}",
        "file": "Fichier",
        "name": "Nom",
        "size": "Taille (octets)",
        "sha256": "SHA-256",
        "media_type": "Type de média déclaré",
        "format": "Lu comme",
        "submitted_at": "Soumis le",
        "owner": "Soumis par",
        "provider": "Fournisseur de données",
        "action": "Action",
        "duration": "Durée (ms)",
        "structures": "Structures utilisées",
        "dataflow": "Flux de données",
        "datastructure": "Définition de structure de données",
        "provisionagreement": "Accord de fourniture",
        "constraints": "Contraintes",
        "none": "aucune",
        "counts": "Décomptes",
        "series": "Séries",
        "observations": "Observations",
        "added": "Ajoutées",
        "replaced": "Remplacées",
        "deleted": "Supprimées",
        "errors": "Erreurs",
        "warnings": "Avertissements",
        "counts_by_code": "Constats par code",
        "code": "Code",
        "severity": "Gravité",
        "count": "Nombre",
        "not_listed": "Non listés",
        "error": "erreur",
        "warning": "avertissement",
        "findings": "Constats",
        "findings_caption": "Tous les constats listés, dans l'ordre du fichier",
        "no_findings": "Aucun problème n'a été trouvé.",
        "message": "Message",
        "location": "Emplacement",
        "series_key": "Clé de série",
        "period": "Période",
        "component": "Composant",
        "value": "Valeur",
        "hint": "Comment corriger",
        "line": "ligne {n}",
        "row": "ligne {n}",
        "column": "colonne {c}",
        "truncated": "{n} autre(s) constat(s) de code {code} ont été comptés mais pas listés.",
        "id": "N°",
        "no_submissions": "Aucune soumission pour l'instant.",
        "previous": "Page précédente",
        "next": "Page suivante",
        "list_caption": "Soumissions, les plus récentes d'abord",
        "all_submissions": "Toutes les soumissions",
    },
}


@functools.cache
def _templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("api", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def location_text(finding: Mapping[str, Any], labels: Mapping[str, str]) -> str:
    """Where a finding is, in words: ``line 12`` (XML) or ``row 3, column SEX`` (CSV)."""
    parts = []
    if finding.get("row") is not None:
        parts.append(labels["row"].format(n=finding["row"]))
    elif finding.get("line") is not None:
        parts.append(labels["line"].format(n=finding["line"]))
    if finding.get("column"):
        parts.append(labels["column"].format(c=finding["column"]))
    return ", ".join(parts)


def summary_json(record: SubmissionRecord, lang: str) -> dict[str, Any]:
    """One line of a list: the report without its findings (counts per code kept)."""
    report = submission.report_json(record, lang)
    report.pop("findings", None)
    return report


def _headers(lang: str, location: str | None = None) -> dict[str, str]:
    headers = {"Content-Language": lang, "Vary": "Accept, Accept-Language, Authorization"}
    if location is not None:
        headers["Location"] = location
    return headers


def _render_json(body: Mapping[str, Any], status: int, headers: dict[str, str]) -> Response:
    text = json.dumps(body, ensure_ascii=False)
    return Response(text, status, headers, media_type="application/json")


def report_response(
    request: Request,
    record: SubmissionRecord,
    lang: str,
    status: int = 200,
    location: str | None = None,
) -> Response:
    """One submission's report: JSON, or an HTML page when a browser asks for it."""
    report = submission.report_json(record, lang)
    headers = _headers(lang, location)
    if not wants_html(request):
        return _render_json(report, status, headers)
    labels = LABELS[lang]
    if report["duplicate_of"] is not None:
        said = labels["said_duplicate"].format(id=report["duplicate_of"])
    else:
        said = labels.get("said_" + str(report["status"]), "")
    findings = [dict(f, location=location_text(f, labels)) for f in report["findings"]]
    page = (
        _templates()
        .get_template("submission.html")
        .render(
            t=labels,
            lang=lang,
            r=report,
            said=said,
            findings=findings,
            severities={code: CODES[code].severity for code in CODES},
            base=_root(request),
        )
    )
    return Response(page, status, headers, media_type="text/html; charset=utf-8")


def _root(request: Request) -> str:
    return str(request.scope.get("root_path", "")).rstrip("/")


def _submission_path(request: Request, submission_id: int) -> str:
    return f"{_root(request)}/submissions/{submission_id}"


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
    fd, name = tempfile.mkstemp(prefix="lmis-upload-", suffix=".part")
    path = Path(name)
    try:
        with os.fdopen(fd, "wb") as dest:
            file_name, media_type = await spool_upload(request, dest, settings.max_upload_bytes)
        upload = submission.Upload(path, file_name, media_type)
        # The decompressed size is capped like the body, as ``registry submit`` does.
        record = await run_in_threadpool(
            functools.partial(submission.submit, max_bytes=settings.max_upload_bytes),
            engine,
            upload,
            options,
        )
    finally:
        path.unlink(missing_ok=True)
    if record.duplicate_of is not None:
        return report_response(
            request, record, language, 200, _submission_path(request, record.duplicate_of)
        )
    if record.status == "accepted" and record.id is not None:
        return report_response(request, record, language, 201, _submission_path(request, record.id))
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
    summaries = [summary_json(r, language) for r in records]
    headers = _headers(language)
    if not wants_html(request):
        return _render_json({"submissions": summaries}, 200, headers)
    base = _root(request)
    keep = f"&lang={language}" if lang is not None else ""
    previous = next_ = None
    if offset > 0:
        previous = f"{base}/submissions?limit={limit}&offset={max(0, offset - limit)}{keep}"
    if len(records) == limit:
        next_ = f"{base}/submissions?limit={limit}&offset={offset + limit}{keep}"
    page = (
        _templates()
        .get_template("submissions.html")
        .render(
            t=LABELS[language],
            lang=language,
            submissions=summaries,
            base=base,
            previous=previous,
            next=next_,
            offset=offset,
        )
    )
    return Response(page, 200, headers, media_type="text/html; charset=utf-8")


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
