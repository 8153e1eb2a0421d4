"""Structure maintenance: store, replace and delete maintainable artefacts under SDMX rules.

``submit_structures`` takes a parsed structure message and applies it in the caller's transaction:
every reference must resolve (inside the message or in the store), a final artefact never changes
(an identical resubmission is a no-op), a non-final one may be replaced, and if any artefact fails
nothing is written and ``StructureSubmissionError`` carries one ``ArtefactResult`` per artefact.
``delete_artefact`` refuses to remove an artefact that others still reference. Every write is
audited.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sdmx.model.common import MaintainableArtefact
from sqlmodel import Session

from registry.errors import ConflictError, InvalidMessageError, NoResultsError
from registry.errors import StructureSubmissionError as SubmissionError
from registry.io import sdmxml
from registry.results import ArtefactResult
from registry.storage import artefacts, audit
from registry.structure_types import StructureType, type_of, urn_of


@dataclass(frozen=True)
class PreparedArtefact:
    """An artefact ready to store: identity, canonical SDMX-ML, its hash and its references."""

    artefact: MaintainableArtefact
    type: StructureType
    urn: str
    sdmx_ml: str
    content_hash: str
    references: frozenset[str]


def prepare(artefact: MaintainableArtefact) -> PreparedArtefact:
    """Compute the canonical text, hash and outgoing references of one artefact."""
    text = sdmxml.canonical_xml(artefact).decode("utf-8")
    urn = urn_of(artefact)
    return PreparedArtefact(
        artefact=artefact,
        type=type_of(artefact),
        urn=urn,
        sdmx_ml=text,
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        references=frozenset(sdmxml.references(artefact)) - {urn},
    )


def _agency(artefact: MaintainableArtefact) -> str:
    assert artefact.maintainer is not None  # urn_of() already refused artefacts without one
    return str(artefact.maintainer.id)


def _names(artefact: MaintainableArtefact) -> dict[str, str]:
    return {lang: str(text) for lang, text in artefact.name.localizations.items()}


def _constraint_role(artefact: MaintainableArtefact) -> str | None:
    role = getattr(getattr(artefact, "role", None), "role", None)
    if role is None:
        return None
    return "Allowed" if "allow" in str(getattr(role, "name", role)).lower() else "Actual"


def _check(
    session: Session, items: Sequence[PreparedArtefact]
) -> tuple[list[ArtefactResult], set[str]]:
    """One result per artefact and the set of unresolved references, without writing anything."""
    in_message = {p.urn for p in items}
    wanted = set().union(*(p.references for p in items)) - in_message
    stored_refs = artefacts.existing(session, wanted)
    stored = {r.urn: r for r in artefacts.records(session, in_message)}
    seen: set[str] = set()
    unresolved: set[str] = set()
    results: list[ArtefactResult] = []
    for p in items:
        problems: list[str] = []
        if p.urn in seen:
            problems.append("appears twice in the message; send each artefact once")
        seen.add(p.urn)
        missing = sorted(p.references - in_message - stored_refs)
        unresolved.update(missing)
        problems.extend(
            f"references {urn}, which is neither in this message nor in the registry"
            for urn in missing
        )
        old = stored.get(p.urn)
        status = "created"
        if old is not None:
            if old.content_hash == p.content_hash:
                status = "unchanged"
            elif old.is_final:
                problems.append(
                    "is final in the registry and cannot change; submit the change as a new "
                    "version (e.g. increase the version number)"
                )
            else:
                status = "replaced"
        results.append(ArtefactResult(p.urn, "error" if problems else status, tuple(problems)))
    return results, unresolved


def submit_structures(
    session: Session, artefacts_in: Iterable[MaintainableArtefact], *, actor: str
) -> list[ArtefactResult]:
    """Store every artefact of one message, or none (raises ``StructureSubmissionError``)."""
    items = [prepare(a) for a in artefacts_in]
    if not items:
        raise InvalidMessageError("the structure message contains no maintainable artefact")
    results, missing = _check(session, items)
    failed = [r for r in results if r.status == "error"]
    if failed:
        final = [
            r
            if r.status == "error"
            else ArtefactResult(
                r.urn, "not_processed", ("not stored: another artefact of the message was refused",)
            )
            for r in results
        ]
        summary = f"{len(failed)} of {len(results)} artefacts refused; nothing was stored"
        if missing:
            summary += "; missing references: " + ", ".join(sorted(missing))
        raise SubmissionError(summary, results=final, details=sorted(missing))
    for p, result in zip(items, results, strict=True):
        if result.status == "unchanged":
            continue
        artefacts.save(
            session,
            urn=p.urn,
            urn_class=p.type.urn_class,
            agency_id=_agency(p.artefact),
            artefact_id=p.artefact.id,
            version=str(p.artefact.version),
            is_final=bool(p.artefact.is_final),
            constraint_role=_constraint_role(p.artefact),
            names=_names(p.artefact),
            sdmx_ml=p.sdmx_ml,
            content_hash=p.content_hash,
            references=p.references,
        )
        audit.record(
            session,
            actor=actor,
            action=result.status,
            target=p.urn,
            detail={"content_hash": p.content_hash},
        )
    return results


def delete_artefact(session: Session, urn: str, *, actor: str) -> ArtefactResult:
    """Remove one artefact; refused while any other artefact references it."""
    if not artefacts.existing(session, [urn]):
        raise NoResultsError(f"{urn} is not in the registry")
    users = sorted(artefacts.refs_to(session, [urn])[urn] - {urn})
    if users:
        raise ConflictError(
            f"{urn} cannot be deleted: {len(users)} artefact(s) reference it; delete or change "
            "them first",
            details=users,
        )
    artefacts.remove(session, urn)
    audit.record(session, actor=actor, action="deleted", target=urn)
    return ArtefactResult(urn, "deleted")


def delete_structures(
    session: Session, artefacts_in: Iterable[MaintainableArtefact], *, actor: str
) -> list[ArtefactResult]:
    """The ``Delete`` action of a structure message: remove each artefact it names, or none."""
    urns = [urn_of(a) for a in artefacts_in]
    doomed = set(urns)
    results: list[ArtefactResult] = []
    stored = artefacts.existing(session, doomed)
    users = artefacts.refs_to(session, doomed)
    for urn in urns:
        problems: list[str] = []
        if urn not in stored:
            problems.append("is not in the registry")
        problems.extend(f"is referenced by {u}" for u in sorted(users.get(urn, set()) - doomed))
        results.append(ArtefactResult(urn, "error" if problems else "deleted", tuple(problems)))
    if any(r.status == "error" for r in results):
        final = [
            r
            if r.status == "error"
            else ArtefactResult(r.urn, "not_processed", ("not deleted: another deletion failed",))
            for r in results
        ]
        raise SubmissionError("deletion refused; nothing was deleted", results=final)
    for urn in urns:
        artefacts.remove(session, urn)
        audit.record(session, actor=actor, action="deleted", target=urn)
    return results
