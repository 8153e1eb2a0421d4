"""Outcome values of structure submissions: one ``ArtefactResult`` per maintainable artefact.

These frozen values are what ``registry.maintenance`` returns and what the writers turn into an
SDMX-ML ``SubmitStructureResponse`` or its JSON equivalent. ``status`` is one of ``STATUSES``;
``messages`` are sentences a curator understands (for an error: what is wrong and how to fix it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: created: new artefact stored; unchanged: identical to the stored one (no-op); replaced: a
#: non-final artefact was overwritten; deleted: removed; error: refused for the reason given;
#: not_processed: fine by itself, but not stored because another artefact of the message failed.
STATUSES = ("created", "unchanged", "replaced", "deleted", "error", "not_processed")


@dataclass(frozen=True)
class ArtefactResult:
    """What happened to one artefact of a structure submission."""

    urn: str
    status: str
    messages: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown status {self.status!r}")

    @property
    def ok(self) -> bool:
        return self.status not in ("error", "not_processed")

    def as_dict(self) -> dict[str, object]:
        return {"urn": self.urn, "status": self.status, "messages": list(self.messages)}
