"""Frozen views of stored artefacts handed out by ``registry.storage`` to the rest of the core.

``ArtefactRecord`` carries the index columns of an artefact row (never the SQL row object itself),
so that ``registry.query`` can select, order and reference artefacts without importing SQLModel.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


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


@dataclass(frozen=True)
class SubmissionRecord:
    """One data submission as kept in the store (or, for a dry run, as it would have been).

    ``status`` is ``accepted`` (stored) or ``rejected`` (errors, nothing stored); a dry run gives
    ``valid`` or ``invalid`` and has no ``id``. ``report`` is the language-neutral dump of the
    ``ReportBuilder`` (see ``registry.validation.report.ReportBuilder.dump``); render it with
    ``registry.submission.report_json``.
    """

    id: int | None
    status: str
    submitted_at: datetime
    owner: str
    provider: str | None
    file_name: str | None
    size: int
    sha256: str
    media_type: str | None
    #: What the file was read as, e.g. "SDMX-ML 2.1 StructureSpecificData" or "SDMX-CSV 1.0".
    data_format: str | None
    action: str | None
    #: URN of the dataflow the data was checked against (None when it could not be resolved).
    dataflow: str | None
    #: URNs used: {"dataflow", "datastructure", "provisionagreement", "constraints": [...]}.
    structures: dict[str, Any]
    #: {"series", "observations", "added", "replaced", "deleted"}.
    counts: dict[str, int]
    duration_ms: int
    report: dict[str, Any]
    #: Set when the file was identical to an already accepted submission: nothing was stored.
    duplicate_of: int | None = None
    #: The action the sender imposed on every dataset (overriding the file's), if any.
    requested_action: str | None = None
