"""Data submission: one uploaded file checked against its structures and stored all-or-nothing.

``submit`` runs the flow of ARCHITECTURE §4 for one file already on disk (an HTTP upload spooled
with its size cap, or a CLI argument): open it (gzip/zip transparently, decompressed size capped),
sniff the format (SDMX-ML 2.1 generic or structure-specific and their time-series forms, SDMX-ML
3.0, SDMX-CSV 1.0/2.0) and the structure it claims, resolve dataflow → DSD → codelists and
Allowed constraints, check the provider's provision agreement, compile the rules once, then stream
the events in batches through ``DataValidator`` and into a staging area of the store, where
duplicates are found and Append/Replace/Delete are merged into the stored series in one
transaction, committed only when the report has no error (and never on a dry run). Whatever the
outcome, a ``submission`` record (who, when, file hash, structures used, counts, report) is kept,
except for dry runs. Resubmitting a file identical to the last accepted one for the same dataflow
and provider stores nothing and returns that submission (``duplicate_of``).
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from registry.catalog import Catalog
from registry.data_structures import FlowContext, FlowProblem, resolve_flow
from registry.errors import InvalidMessageError, PayloadTooLargeError, UnsupportedError
from registry.ingest import BATCH_SIZE, Ingest
from registry.io import data_files
from registry.io.compression import DEFAULT_MAX_BYTES, open_maybe_compressed
from registry.io.data_events import Location, batched
from registry.io.safexml import UnsafeXMLError
from registry.storage import audit, submissions
from registry.storage.data import DataWriter, MergeCounts
from registry.storage.db import session_scope
from registry.storage.records import SubmissionRecord
from registry.storage.tables import utcnow
from registry.validation.report import Finding, ReportBuilder

__all__ = [
    "SubmissionOptions",
    "Upload",
    "get_submission",
    "list_submissions",
    "report_json",
    "submit",
]


@dataclass(frozen=True)
class Upload:
    """A file to submit, already on disk: plain or gzip/zip compressed."""

    path: Path
    #: The name the sender gave it (multipart file name or CLI argument), for the record.
    file_name: str | None = None
    #: The declared media type (``Content-Type`` of the body or part), or None; the format is
    #: sniffed from the content either way, the declared type only breaks ties.
    media_type: str | None = None


@dataclass(frozen=True)
class SubmissionOptions:
    """Who submits and how: the provider checked against provision agreements, and overrides."""

    #: Who is submitting (token owner's user name, or ``cli``), for the record and the audit.
    owner: str
    #: The data provider, ``AGENCY:PROVIDER_ID``; None skips the provision-agreement check (an
    #: admin, or ``registry validate`` without ``--provider``).
    provider: str | None = None
    #: ``AGENCY:ID(VERSION)`` of the dataflow; the file must then refer to it (or to nothing).
    dataflow: str | None = None
    #: Overrides the dataset action of the file: Append, Replace, Delete or Information.
    action: str | None = None
    #: Validate and stage, then roll back: nothing is stored and no record is kept.
    dry_run: bool = False


#: Finding codes meaning the file itself could not be used (the CLI exits 2 on these alone).
UNUSABLE_CODES = frozenset(
    {"UNREADABLE_FILE", "FORBIDDEN_XML", "FILE_TOO_LARGE", "NO_STRUCTURE", "UNKNOWN_STRUCTURE"}
)


def submit(
    engine: Engine,
    upload: Upload,
    options: SubmissionOptions,
    *,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    progress: Callable[[int], None] | None = None,
) -> SubmissionRecord:
    """Check ``upload`` and store it if clean (see the module docstring); never raises for bad data.

    ``max_bytes`` caps the decompressed size (``FILE_TOO_LARGE``); ``progress`` is called now
    and then with the number of (compressed) bytes read so far. Problems with the file or its
    content become findings of the returned record; only a broken store raises.
    """
    started = time.monotonic()
    sha256, size = data_files.fingerprint(upload.path)
    draft = SubmissionRecord(
        id=None,
        status="invalid" if options.dry_run else "rejected",
        submitted_at=utcnow(),
        owner=options.owner,
        provider=options.provider,
        file_name=upload.file_name,
        size=size,
        sha256=sha256,
        media_type=upload.media_type,
        data_format=None,
        action=options.action,
        requested_action=options.action,
        dataflow=None,
        structures={},
        counts=dict.fromkeys(COUNTS, 0),
        duration_ms=0,
        report={},
    )
    report = ReportBuilder()
    try:
        with open_maybe_compressed(upload.path, max_bytes=max_bytes) as stream:
            sniffed = data_files.sniff(stream)
    except _FILE_ERRORS as exc:
        report.add(_file_finding(exc, max_bytes))
        return _reject(engine, draft, report, started, options)
    draft = replace(draft, data_format=sniffed.label)
    with Session(engine, expire_on_commit=False) as session:
        try:
            context = resolve_flow(
                Catalog(session), sniffed.structures, options.dataflow, options.provider
            )
        except FlowProblem as problem:
            report.add(Finding(problem.code, params=problem.params))
            session.rollback()
            return _reject(engine, draft, report, started, options)
        draft = replace(draft, dataflow=context.dataflow_urn, structures=context.structures)
        if not options.dry_run:
            earlier = submissions.last_accepted(session, context.dataflow_urn)
            if _same(earlier, draft):
                assert earlier is not None
                return replace(earlier, duplicate_of=earlier.id)
        record = _ingest(
            session, upload, options, sniffed, context, draft, report, max_bytes, progress, started
        )
    if record.status in ("accepted", "valid", "invalid"):
        return record
    return _reject(engine, record, report, started, options)


#: Keys of ``SubmissionRecord.counts``.
COUNTS = ("series", "observations", "added", "replaced", "unchanged", "deleted")
_FILE_ERRORS = (InvalidMessageError, PayloadTooLargeError, UnsupportedError)


def _same(earlier: SubmissionRecord | None, draft: SubmissionRecord) -> bool:
    """Whether ``draft`` repeats the last accepted submission to the dataflow, byte for byte."""
    return (
        earlier is not None
        and earlier.sha256 == draft.sha256
        and earlier.provider == draft.provider
        and earlier.requested_action == draft.requested_action
    )


def _file_finding(exc: Exception, max_bytes: int | None) -> Finding:
    """One finding for a file that cannot be read on (with its line or row when known)."""
    message = str(exc)
    if isinstance(exc, PayloadTooLargeError):
        limit = f"{max_bytes:,}" if max_bytes is not None else "?"
        return Finding("FILE_TOO_LARGE", params={"limit": limit})
    if getattr(exc, "xsd", False):
        code = "XSD_INVALID"
    elif isinstance(exc, UnsafeXMLError):
        code = "FORBIDDEN_XML"
    else:
        code = "UNREADABLE_FILE"
    # Where the reader says (InvalidMessageError's attributes), never guessed from the text.
    location = Location(
        line=getattr(exc, "line", None),
        row=getattr(exc, "row", None),
        column=getattr(exc, "column", None),
    )
    return Finding(code, location, params={"reason": getattr(exc, "reason", None) or message})


def _ingest(
    session: Session,
    upload: Upload,
    options: SubmissionOptions,
    sniffed: data_files.Sniffed,
    context: FlowContext,
    draft: SubmissionRecord,
    report: ReportBuilder,
    max_bytes: int | None,
    progress: Callable[[int], None] | None,
    started: float,
) -> SubmissionRecord:
    """Validate and stage in one transaction; commit only a clean, real submission."""
    submission_id = submissions.insert(session, replace(draft, status="running"))
    writer = DataWriter(
        session,
        dataflow_urn=context.dataflow_urn,
        provider=options.provider,
        submission_id=submission_id,
    )
    position = "row" if sniffed.syntax == "csv" else "line"
    ingest = Ingest(context, writer, report, position=position, action=options.action)
    rules = context.rules
    dims = (*rules.dimension_ids, *((rules.time_dimension,) if rules.time_dimension else ()))
    try:
        with (
            _without_cyclic_gc(),
            open_maybe_compressed(upload.path, max_bytes=max_bytes, progress=progress) as stream,
        ):
            stream_events = data_files.events(
                stream,
                sniffed,
                dimension_ids=dims,
                attribute_ids=tuple(rules.attributes),
                measure_id=rules.measure_id,
            )
            for batch in batched(stream_events, BATCH_SIZE):
                ingest.feed(batch)
        ingest.finish()
    except _FILE_ERRORS as exc:
        report.add(_file_finding(exc, max_bytes))
    finally:
        ingest.close()
    merged = MergeCounts()
    if report.ok:
        merged = ingest.store()
    counts = {
        "series": writer.series_count(),
        "observations": ingest.observations,
        "added": merged.added,
        "replaced": merged.replaced,
        "unchanged": merged.unchanged,
        "deleted": merged.deleted,
    }
    actions = list(dict.fromkeys(ingest.actions))
    record = replace(
        draft,
        action=options.action or ("+".join(actions) if actions else None),
        counts=counts,
        report=report.dump(),
        duration_ms=_elapsed(started),
    )
    if options.dry_run:
        session.rollback()
        return replace(record, status="valid" if report.ok else "invalid")
    if not report.ok:
        session.rollback()
        return record
    writer.close()
    record = replace(record, id=submission_id, status="accepted")
    submissions.update(session, submission_id, record)
    audit.record(
        session,
        actor=options.owner,
        action="submit-data",
        target=context.dataflow_urn,
        detail={"submission": submission_id, **counts},
    )
    session.commit()
    return record


_gc_lock = threading.Lock()
_gc_holders = 0
_gc_was_enabled = True


@contextmanager
def _without_cyclic_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while observations stream.

    Batches keep thousands of small dicts and tuples alive at once, so the collector keeps
    promoting and rescanning them (and every long-lived object of the process): about a third of
    the reading time. Streamed data makes no reference cycles, so reference counting frees it
    all the same. Concurrent submissions share the pause; the last one out resumes collection.
    """
    global _gc_holders, _gc_was_enabled
    with _gc_lock:
        if _gc_holders == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_holders += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_holders -= 1
            if _gc_holders == 0 and _gc_was_enabled:
                gc.enable()


def _elapsed(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def _reject(
    engine: Engine,
    draft: SubmissionRecord,
    report: ReportBuilder,
    started: float,
    options: SubmissionOptions,
) -> SubmissionRecord:
    """The record of a refused file: kept (status rejected) unless this was a dry run."""
    record = replace(draft, report=report.dump(), duration_ms=_elapsed(started))
    if options.dry_run:
        return replace(record, status="valid" if report.ok else "invalid")
    record = replace(record, status="rejected")
    with session_scope(engine) as session:
        return replace(record, id=submissions.insert(session, record))


def get_submission(session: Session, submission_id: int) -> SubmissionRecord | None:
    """The kept record of one submission, or None."""
    return submissions.get(session, submission_id)


def list_submissions(
    session: Session, *, provider: str | None = None, limit: int = 100, offset: int = 0
) -> list[SubmissionRecord]:
    """Kept records, newest first; only ``provider``'s when given (a producer sees its own)."""
    return submissions.listing(session, provider=provider, limit=limit, offset=offset)


def report_json(record: SubmissionRecord, lang: str = "en") -> dict[str, Any]:
    """The report as JSON for machines (and the source of the HTML and text renderings).

    Keys: id, status, dry_run, duplicate_of, submitted_at (ISO 8601 UTC), owner, provider, file
    {name, size, sha256, media_type, format}, action, structures, counts {series, observations,
    added, replaced, deleted}, duration_ms, then the findings part: errors, warnings,
    counts_by_code, truncated (per code, how many were counted but not listed) and findings
    (each with code, severity, message, hint, line / row / column, series_key, period,
    component, value), messages in ``lang`` (en or fr).
    """
    findings = ReportBuilder.load(record.report).as_dict(lang)
    return {
        "id": record.id,
        "status": record.status,
        "dry_run": record.id is None,
        "duplicate_of": record.duplicate_of,
        "submitted_at": record.submitted_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "owner": record.owner,
        "provider": record.provider,
        "file": {
            "name": record.file_name,
            "size": record.size,
            "sha256": record.sha256,
            "media_type": record.media_type,
            "format": record.data_format,
        },
        "action": record.action,
        "structures": record.structures,
        "counts": record.counts,
        "duration_ms": record.duration_ms,
        "errors": findings["errors"],
        "warnings": findings["warnings"],
        "counts_by_code": findings["counts"],
        "truncated": findings["truncated"],
        "findings": findings["findings"],
    }
