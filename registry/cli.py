"""The ``registry`` command (Typer): init, serve, load and token management.

Every command reads its settings from ``REGISTRY_*`` variables (see ``registry.config``), brings
the database schema up to date before touching it, and reports a user mistake as one line on
stderr with a non-zero exit code (1: refused or invalid input, 2: usage), never a traceback.
"""

from __future__ import annotations

import getpass
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from registry import auth, content, maintenance
from registry.config import Settings
from registry.errors import RegistryError, StructureSubmissionError
from registry.results import ArtefactResult
from registry.storage import migrate
from registry.storage.db import make_engine, session_scope

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


def _engine(settings: Settings) -> Engine:
    engine = make_engine(settings.database_url)
    try:
        migrate.upgrade(engine)
    except OperationalError as exc:
        _fail(f"cannot open the database {settings.database_url}: {exc.orig}")
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


def main() -> None:
    """Console-script entry point."""
    app(prog_name="registry")


if __name__ == "__main__":  # pragma: no cover
    main()
