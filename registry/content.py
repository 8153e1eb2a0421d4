"""The shipped SDMX content: the folders ``codelists/``, ``dsd/`` and ``dataflows/``.

``content_files`` lists the SDMX-ML files of the three folders in load order; ``load_files`` reads
any set of structure files into one list of artefacts so that references between files resolve
within a single transaction. ``registry init`` and ``registry load`` both go through here and
through ``registry.maintenance``, so loading is idempotent (identical artefacts are no-ops).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sdmx.model.common import MaintainableArtefact

from registry.io import sdmxml

CONTENT_FOLDERS = ("codelists", "dsd", "dataflows")
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
