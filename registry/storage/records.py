"""Frozen views of stored artefacts handed out by ``registry.storage`` to the rest of the core.

``ArtefactRecord`` carries the index columns of an artefact row (never the SQL row object itself),
so that ``registry.query`` can select, order and reference artefacts without importing SQLModel.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ArtefactRecord:
    """Identity and metadata of one stored maintainable artefact version."""

    urn: str
    urn_class: str
    agency_id: str
    artefact_id: str
    version: str
    is_final: bool
    constraint_role: str | None
    content_hash: str
    updated_at: datetime
