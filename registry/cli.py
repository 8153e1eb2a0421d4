"""The ``registry`` command (Typer): init, serve, load, data validate/submit and token management.

Every command reads its settings from ``REGISTRY_*`` variables (see ``registry.config``), brings
the database schema up to date before touching it, and reports a user mistake as one line on
stderr with a non-zero exit code (1: refused or invalid input, 2: usage), never a traceback.
``validate`` and ``submit`` run a data file through ``registry.submission.submit`` and print its
report (text from ``registry.validation.text`` or JSON), exiting 0 when the file is valid or
accepted, 1 when it is invalid or rejected, 2 when it could not be used at all.
"""

from __future__ import annotations

import getpass
import json
import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TextIO, TypeVar

import typer
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlmodel import Session

from registry import auth, content, maintenance, submission
from registry.config import Settings
from registry.errors import RegistryError, StructureSubmissionError
from registry.io.data_events import ACTIONS
from registry.results import ArtefactResult
from registry.storage import migrate
from registry.storage.db import make_engine, session_scope
from registry.validation import text
from registry.validation.report import CODES

app = typer.Typer(
    name="registry",
    help="lmis-registry: SDMX registry and data hub for the national LMIS.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
token_app = typer.Typer(help="Manage bearer tokens.", no_args_is_help=True)
app.add_typer(token_app, name="token")

T = TypeVar("T")


def _fail(message: str, code: int = 1) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def _actor() -> str:
    try:
        return "cli:" + getpass.getuser()
    except (KeyError, OSError):
        return "cli"


def _engine(settings: Settings, code: int = 1) -> Engine:
    engine = make_engine(settings.database_url)
    try:
        migrate.upgrade(engine)
    except OperationalError as exc:
        _fail(f"cannot open the database {settings.database_url}: {exc.orig}", code)
    return engine


@contextmanager
def _store() -> Iterator[Session]:
    """A migrated database and one transaction; RegistryError becomes a one-line error."""
    try:
        settings = Settings.from_env()
    except RegistryError as exc:
        _fail(exc.message, 2)
        raise  # unreachable; for type checkers
    engine = _engine(settings)
    try:
        with session_scope(engine) as session:
            yield session
    finally:
        engine.dispose()


def _report(results: Sequence[ArtefactResult]) -> None:
    for r in results:
        line = f"{r.status:>13}  {r.urn}"
        if r.messages:
            line += "\n" + "\n".join(f"{'':>15}{m}" for m in r.messages)
        typer.echo(line)
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
    typer.echo(", ".join(f"{n} {status}" for status, n in sorted(counts.items())))


def _guarded(func: Callable[[], T]) -> T:
    try:
        return func()
    except StructureSubmissionError as exc:
        _report(exc.results)
        _fail(exc.message)
    except RegistryError as exc:
        _fail(exc.message)
    raise AssertionError("unreachable")


def _load(paths: Sequence[Path]) -> None:
    def run() -> None:
        artefacts = content.load_files(paths)
        with _store() as session:
            results = maintenance.submit_structures(session, artefacts, actor=_actor())
        _report(results)

    _guarded(run)


def _load_metadata(paths: Sequence[Path]) -> None:
    def run() -> None:
        with _store() as session:
            results = content.load_metadata(session, paths, actor=_actor())
        _report(results)

    _guarded(run)


@app.command()
def init() -> None:
    """Create or upgrade the database and load the shipped SDMX content (idempotent)."""
    files = content.content_files()
    if not files:
        with _store():
            pass
        typer.echo("database ready; no shipped content found")
        return
    _load(files)
    reports = content.metadata_files()
    if reports:
        _load_metadata(reports)


@app.command()
def load(
    files: Annotated[
        list[Path],
        typer.Argument(exists=True, dir_okay=False, readable=True, help="SDMX-ML structure files"),
    ],
) -> None:
    """Load SDMX-ML structure files (2.1 or 3.0) into the registry, all in one transaction."""
    _load(files)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to bind (REGISTRY_HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="Port (REGISTRY_PORT)")] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes (REGISTRY_WORKERS)")] = None,
) -> None:
    """Serve the SDMX-REST API with uvicorn."""
    import uvicorn

    try:
        settings = Settings.from_env()
    except RegistryError as exc:
        _fail(exc.message, 2)
        return
    _engine(settings).dispose()
    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers or settings.workers,
        log_level=settings.log_level.lower(),
    )


@token_app.command("create")
def token_create(
    role: Annotated[str, typer.Option(help="admin, curator or producer")],
    name: Annotated[str | None, typer.Option(help="Who holds the token (default: role)")] = None,
    provider: Annotated[
        str | None, typer.Option(help="Data provider of a producer, AGENCY:PROVIDER_ID")
    ] = None,
) -> None:
    """Create a bearer token and print it once (only its hash is stored)."""

    def run() -> None:
        with _store() as session:
            secret, user = auth.create_token(
                session, name=name or role, role=role, provider=provider
            )
        typer.echo(secret)
        typer.echo(
            f"token for {user.name!r} (role {user.role}"
            + (f", provider {user.provider}" if user.provider else "")
            + "); it is shown only once",
            err=True,
        )

    _guarded(run)


#: Files at least this large get a progress bar on stderr (when stderr is a terminal).
PROGRESS_MIN_BYTES = 4 * 1024 * 1024
#: Findings listed per code in the text report unless ``--limit`` says otherwise.
DEFAULT_LIMIT = 50
_DATAFLOW_REF = re.compile(r"[A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*)*:[\w@$-]+\([\w.+-]+\)")
_PROVIDER_REF = re.compile(r"[A-Za-z][\w-]*(?:\.[A-Za-z][\w-]*)*:[\w@$-]+")

FileArg = Annotated[
    Path, typer.Argument(help="SDMX-ML (2.1, 3.0) or SDMX-CSV (1.0, 2.0) data file, or .gz/.zip")
]
DataflowOpt = Annotated[
    str | None,
    typer.Option(help="Dataflow AGENCY:ID(VERSION) the file must report (default: as it says)"),
]
ActionOpt = Annotated[
    str | None,
    typer.Option(help="Override the file's action: Append, Replace, Delete or Information"),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the report as JSON on stdout")]
LangOpt = Annotated[str, typer.Option(help="Language of the messages: en or fr")]
LimitOpt = Annotated[
    int,
    typer.Option(min=0, help="Findings shown per code in the text report (0: all it lists)"),
]


def _submission_owner() -> str:
    try:
        return getpass.getuser() or "cli"
    except (KeyError, OSError):
        return "cli"


@contextmanager
def _progress(size: int, stream: TextIO, label: str) -> Iterator[Callable[[int], None] | None]:
    """A ``progress`` callback drawing a bar on ``stream`` for a big file on a terminal, or None."""
    if size < PROGRESS_MIN_BYTES or not stream.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=Console(file=stream),
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=size)
        yield lambda done: bar.update(task, completed=min(done, size))


def _exit_code(report: Mapping[str, Any]) -> int:
    """0 valid or accepted, 2 when every error says the file itself was unusable, else 1."""
    if report["status"] in ("valid", "accepted"):
        return 0
    errors = {
        code
        for code, n in report["counts_by_code"].items()
        if n and (code not in CODES or CODES[code].severity == "error")
    }
    return 2 if errors and errors <= submission.UNUSABLE_CODES else 1


def _run_submission(
    file: Path,
    *,
    owner: str,
    provider: str | None,
    dataflow: str | None,
    action: str | None,
    dry_run: bool,
    as_json: bool,
    lang: str,
    limit: int,
) -> None:
    if lang not in text.LANGUAGES:
        _fail(f"--lang must be one of {', '.join(text.LANGUAGES)}, got {lang!r}", 2)
    if dataflow is not None and not _DATAFLOW_REF.fullmatch(dataflow):
        _fail(f"--dataflow must look like AGENCY:ID(VERSION), got {dataflow!r}", 2)
    if provider is not None and not _PROVIDER_REF.fullmatch(provider):
        _fail(f"--provider must look like AGENCY:PROVIDER_ID, got {provider!r}", 2)
    if action is not None:
        by_name = {a.lower(): a for a in ACTIONS}
        if action.lower() not in by_name:
            _fail(f"--action must be one of {', '.join(ACTIONS)}, got {action!r}", 2)
        action = by_name[action.lower()]
    if not file.is_file():
        _fail(f"{file}: no such file" if not file.exists() else f"{file}: not a file", 2)
    if not os.access(file, os.R_OK):
        _fail(f"{file}: cannot be read (permission denied)", 2)
    try:
        settings = Settings.from_env()
    except RegistryError as exc:
        _fail(exc.message, 2)
        raise  # unreachable; for type checkers
    options = submission.SubmissionOptions(
        owner=owner, provider=provider, dataflow=dataflow, action=action, dry_run=dry_run
    )
    engine = _engine(settings, 2)
    try:
        with _progress(file.stat().st_size, sys.stderr, file.name) as progress:
            record = submission.submit(
                engine,
                submission.Upload(file, file_name=file.name),
                options,
                max_bytes=settings.max_upload_bytes,
                progress=progress,
            )
    except OSError as exc:
        _fail(f"{file}: {exc.strerror or exc}", 2)
        raise  # unreachable; for type checkers
    except RegistryError as exc:
        _fail(exc.message)
        raise  # unreachable; for type checkers
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines() or [repr(exc)]
        _fail(f"database error ({settings.database_url}): {reason[0]}", 2)
        raise  # unreachable; for type checkers
    finally:
        engine.dispose()
    report = submission.report_json(record, lang)
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        typer.echo(text.render(report, lang, limit=limit or None), nl=False)
    raise typer.Exit(_exit_code(report))


@app.command()
def validate(
    file: FileArg,
    dataflow: DataflowOpt = None,
    provider: Annotated[
        str | None,
        typer.Option(help="Check the provision agreement of this provider, AGENCY:PROVIDER_ID"),
    ] = None,
    action: ActionOpt = None,
    as_json: JsonOpt = False,
    lang: LangOpt = "en",
    limit: LimitOpt = DEFAULT_LIMIT,
) -> None:
    """Check a data file against the registry's structures; store nothing.

    Exit 0 valid (warnings allowed), 1 invalid, 2 unusable file or configuration error.
    """
    _run_submission(
        file,
        owner="cli",
        provider=provider,
        dataflow=dataflow,
        action=action,
        dry_run=True,
        as_json=as_json,
        lang=lang,
        limit=limit,
    )


@app.command()
def submit(
    file: FileArg,
    provider: Annotated[
        str, typer.Option(help="Data provider submitting the file, AGENCY:PROVIDER_ID")
    ],
    dataflow: DataflowOpt = None,
    action: ActionOpt = None,
    as_json: JsonOpt = False,
    lang: LangOpt = "en",
    limit: LimitOpt = DEFAULT_LIMIT,
) -> None:
    """Check a data file and store it if it has no error (all or nothing).

    Exit 0 accepted, 1 rejected (kept on record), 2 unusable file or configuration error.
    """
    _run_submission(
        file,
        owner=_submission_owner(),
        provider=provider,
        dataflow=dataflow,
        action=action,
        dry_run=False,
        as_json=as_json,
        lang=lang,
        limit=limit,
    )


def main() -> None:
    """Console-script entry point."""
    app(prog_name="registry")


if __name__ == "__main__":  # pragma: no cover
    main()
