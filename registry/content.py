"""The shipped SDMX content: the structure folders and the reports of ``metadata/``.

``content_files`` lists the SDMX-ML files of the three structure folders in load order;
``load_files`` reads any set of structure files into one list of artefacts so that references
between files resolve within a single transaction. ``registry init`` and ``registry load`` both go
through here and through ``registry.maintenance``, so loading is idempotent (identical artefacts
are no-ops). ``metadata_files`` lists the GenericMetadata reports and ``load_metadata`` checks and
stores them (through ``registry.metadata``) once the structures they use are stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sdmx.model.common import MaintainableArtefact
from sqlmodel import Session

from registry import metadata
from registry.errors import InvalidMessageError, SemanticError, UnsupportedError
from registry.io import sdmxml
from registry.results import ArtefactResult

CONTENT_FOLDERS = ("codelists", "dsd", "dataflows")
METADATA_FOLDER = "metadata"
PROJECT_ROOT = Path(__file__).resolve().parents[1]


def content_files(root: Path = PROJECT_ROOT) -> list[Path]:
    """Every ``*.xml`` file of the content folders under ``root``, folder by folder, sorted."""
    files: list[Path] = []
    for folder in CONTENT_FOLDERS:
        files.extend(sorted((root / folder).glob("*.xml")))
    return files


def load_files(paths: Iterable[Path]) -> list[MaintainableArtefact]:
    """Read structure files (SDMX-ML 2.1 or 3.0) into one list of artefacts, in file order."""
    out: list[MaintainableArtefact] = []
    for path in paths:
        out.extend(sdmxml.read_structures(Path(path)).artefacts)
    return out


def metadata_files(root: Path = PROJECT_ROOT) -> list[Path]:
    """Every ``*.xml`` GenericMetadata file of ``metadata/`` under ``root``, sorted."""
    return sorted((root / METADATA_FOLDER).glob("*.xml"))


def load_metadata(session: Session, paths: Iterable[Path], *, actor: str) -> list[ArtefactResult]:
    """Check and store the reports of metadata files in the caller's transaction, all or none.

    Every file is checked; ``SemanticError`` lists the problems of all refused files by name.
    """
    results: list[ArtefactResult] = []
    problems: list[str] = []
    for path in paths:
        try:
            results.extend(metadata.load_reports(session, Path(path), actor=actor))
        except (SemanticError, InvalidMessageError, UnsupportedError) as exc:
            problems.extend(f"{Path(path).name}: {d}" for d in exc.details or [exc.message])
    if problems:
        raise SemanticError(
            f"{len(problems)} problem(s) in the metadata files; nothing was stored: "
            + "; ".join(problems[:5])
            + (f"; … {len(problems) - 5} more" if len(problems) > 5 else ""),
            details=problems,
        )
    return results
