"""Resolve a parsed SDMX-REST 1.5 structure query into the sdmx1 objects of the response message.

``resolve_structure_query`` selects artefacts through an ``ArtefactIndex`` (implemented by the
storage layer; no SQL here), picks ``latest`` versions (the highest final version if any version
is final, else the highest version; versions compare numerically part by part and a semantic
pre-release such as ``1.0.0-draft`` sorts below its release), follows the reference edges that
``references`` asks for, keeps only the requested items for item queries, and applies ``detail``
with the small transforms ``to_stub``, ``filter_items`` and ``partial_for``. Matched artefacts come
first, then referenced ones, each group ordered by type, agency, id and version. ``max_artefacts``
bounds the artefacts returned in full; stubs are not counted, so ``detail=allstubs`` is a real way
to narrow a query that is too large.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from typing import Protocol

import sdmx.model.v21 as v21
from sdmx.model import common

from registry.errors import NoResultsError, ResponseTooLargeError, UnsupportedError
from registry.query.params import REFERENCE_TYPES, StructureQuery
from registry.storage.records import ArtefactRecord
from registry.structure_types import CONSTRAINT_ROLE, RESOURCES, TYPES

MaintainableArtefact = common.MaintainableArtefact
Key = tuple[str, str, str]
VersionKey = tuple[tuple[int, ...], int, tuple[tuple[int, int, str], ...], str]

#: detail → (stub the matched artefacts, stub the referenced ones, complete stubs)
STUBS: dict[str, tuple[bool, bool, bool]] = {
    "allstubs": (True, True, False),
    "allcompletestubs": (True, True, True),
    "referencestubs": (False, True, False),
    "referencecompletestubs": (False, True, True),
}

_TYPE_ORDER = {t.urn_class: n for n, t in enumerate(TYPES)}
_VERSION = re.compile(r"(\d+(?:\.\d+)*)(?:-([0-9A-Za-z.-]+))?")
_ITEM_URN = re.compile(r"=([^:=]+):([^(]+)\(([^)]+)\)\.")


class ArtefactIndex(Protocol):
    """What the resolver needs from storage: selection, reference edges and loading."""

    def find(
        self,
        urn_classes: Sequence[str],
        agencies: Sequence[str] | None,
        ids: Sequence[str] | None,
        versions: Sequence[str] | None,
    ) -> list[ArtefactRecord]:
        """Records of the given classes; ``None`` means any; versions are exact strings."""
        ...

    def refs_from(self, urns: Collection[str]) -> dict[str, set[str]]:
        """For each URN, the URNs of the (stored) artefacts it references directly."""
        ...

    def refs_to(self, urns: Collection[str]) -> dict[str, set[str]]:
        """For each URN, the URNs of the artefacts that reference it directly."""
        ...

    def records(self, urns: Collection[str]) -> list[ArtefactRecord]:
        """The records of the given URNs."""
        ...

    def load(self, urn: str) -> MaintainableArtefact:
        """A fresh, mutable sdmx1 (SDMX 2.1) copy of the artefact."""
        ...


def resolve_structure_query(
    query: StructureQuery, index: ArtefactIndex, *, max_artefacts: int
) -> list[MaintainableArtefact]:
    """The artefacts answering ``query``: matched first, then referenced, with detail applied.

    Raises ``NoResultsError`` when nothing (or no requested item) matches, and
    ``ResponseTooLargeError`` when more than ``max_artefacts`` artefacts would be returned in full.
    """
    stub_matched, stub_referenced, complete = STUBS.get(query.detail, (False, False, False))
    records = match_records(query, index)
    if not stub_matched:
        _check_size(len(records), max_artefacts, query)
    matched = _load_matched(records, query, index, _shape(stub_matched, complete))
    refs = referenced_records(query, matched, index)
    _check_size(
        (0 if stub_matched else len(matched)) + (0 if stub_referenced else len(refs)),
        max_artefacts,
        query,
    )
    shape = _shape(stub_referenced, complete)
    referenced = {r.urn: shape(index.load(r.urn)) for r in refs}
    if query.detail == "referencepartial":
        extra = _partial_context(matched, {*matched, *referenced}, index)
        context = [*matched.values(), *referenced.values(), *extra]
        for obj in referenced.values():
            partial_for(obj, context)
    return [*matched.values(), *referenced.values()]


def _shape(stub: bool, complete: bool) -> Callable[[MaintainableArtefact], MaintainableArtefact]:
    """``to_stub`` when the detail asks for stubs, else the identity (applied right after load)."""
    if stub:
        return lambda obj: to_stub(obj, complete=complete)
    return lambda obj: obj


# Selection


def match_records(query: StructureQuery, index: ArtefactIndex) -> list[ArtefactRecord]:
    """Records selected by the resource, agencies, ids and versions of ``query``, in order."""
    classes = RESOURCES.get(query.resource)
    if classes is None:
        raise UnsupportedError(f"The structure resource {query.resource!r} is not implemented")
    versions = query.versions
    latest = versions is not None and "latest" in versions
    exact = None if versions is None or latest else versions
    found = index.find(classes, query.agencies, query.ids, exact)
    role = CONSTRAINT_ROLE.get(query.resource)
    if role is not None:
        found = [r for r in found if r.constraint_role == role]
    if versions is not None:
        chosen = {r.urn: r for r in found if r.version in versions}
        if latest:
            chosen.update((r.urn, r) for r in pick_latest(found))
        found = list(chosen.values())
    if not found:
        raise NoResultsError(f"No structure matches the query {query.path}")
    return sorted(found, key=record_order)


def pick_latest(records: Iterable[ArtefactRecord]) -> list[ArtefactRecord]:
    """Per (class, agency, id): the highest final version if one is final, else the highest."""
    groups: dict[Key, list[ArtefactRecord]] = {}
    for r in records:
        groups.setdefault((r.urn_class, r.agency_id, r.artefact_id), []).append(r)
    return [max(g, key=lambda r: (r.is_final, version_key(r.version))) for g in groups.values()]


def version_key(version: str) -> VersionKey:
    """Sort key: numeric parts (trailing zeros ignored), then release above pre-release.

    ``1.10 > 1.9``, ``1.0 == 1.0.0`` (ties broken by the string), ``1.0.0-draft < 1.0.0``, and
    pre-release identifiers compare as in semver (numbers numerically, below words). A version
    that is not numeric sorts below every numeric one.
    """
    m = _VERSION.fullmatch(version)
    if m is None:
        return ((), 0, (), version)
    release = [int(p) for p in m[1].split(".")]
    while len(release) > 1 and release[-1] == 0:
        release.pop()
    ext = m[2]
    pre = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in (ext or "").split(".") if p)
    return (tuple(release), 0 if ext else 1, pre, version)


def record_order(record: ArtefactRecord) -> tuple[int, str, str, VersionKey]:
    """Response order: structure type (as in ``TYPES``), agency, id, version."""
    order = _TYPE_ORDER.get(record.urn_class, len(_TYPE_ORDER))
    return (order, record.agency_id, record.artefact_id, version_key(record.version))


def _check_size(count: int, max_artefacts: int, query: StructureQuery) -> None:
    if count > max_artefacts:
        raise ResponseTooLargeError(
            f"The query {query.path} would return {count} artefacts in full, more than the limit "
            f"of {max_artefacts}. Narrow it by naming an agency, an id or a version, or ask for "
            "detail=allstubs"
        )


def _load_matched(
    records: Sequence[ArtefactRecord],
    query: StructureQuery,
    index: ArtefactIndex,
    shape: Callable[[MaintainableArtefact], MaintainableArtefact],
) -> dict[str, MaintainableArtefact]:
    """Load and shape the matched artefacts; an item query keeps those holding a requested item."""
    matched: dict[str, MaintainableArtefact] = {}
    for r in records:
        obj: MaintainableArtefact | None = index.load(r.urn)
        if query.items is not None and obj is not None:
            obj = filter_items(obj, query.items)
        if obj is not None:
            matched[r.urn] = shape(obj)
    if not matched:
        raise NoResultsError(f"No item {'+'.join(query.items or ())} in {query.path}")
    return matched


# References


def referenced_records(
    query: StructureQuery, matched: dict[str, MaintainableArtefact], index: ArtefactIndex
) -> list[ArtefactRecord]:
    """Records of the artefacts ``query.references`` adds to the matched ones, in order."""
    scope = query.references
    urns = set(matched)
    if scope == "none":
        return []
    found: set[str] = set()
    if scope in ("parents", "parentsandsiblings", "all") or scope in REFERENCE_TYPES:
        found |= _parents(query, matched, index)
    if scope in ("parentsandsiblings", "all"):
        found |= _union(index.refs_from(found))
    if scope == "children":
        found |= _union(index.refs_from(urns))
    if scope in ("descendants", "all") or scope in REFERENCE_TYPES:
        found |= descendants(urns, index)
    records = index.records(found - urns)
    if scope in REFERENCE_TYPES:
        records = [r for r in records if is_of_resource(r, scope)]
    return sorted(records, key=record_order)


def is_of_resource(record: ArtefactRecord, resource: str) -> bool:
    """True if ``record`` is selected by the REST resource name (constraint roles included)."""
    role = CONSTRAINT_ROLE.get(resource)
    classes = RESOURCES.get(resource) or ()
    return record.urn_class in classes and (role is None or record.constraint_role == role)


def descendants(urns: Collection[str], index: ArtefactIndex) -> set[str]:
    """Everything reachable from ``urns`` through references, to any depth (``urns`` excluded)."""
    seen = set(urns)
    frontier = set(urns)
    while frontier:
        frontier = _union(index.refs_from(frontier)) - seen
        seen |= frontier
    return seen - set(urns)


def _parents(
    query: StructureQuery, matched: dict[str, MaintainableArtefact], index: ArtefactIndex
) -> set[str]:
    """Artefacts referencing a matched one; for item queries on category schemes, only the
    categorisations that target a requested category (TCK) among those targeting the scheme."""
    parents = _union(index.refs_to(matched))
    schemes = {_key(o) for o in matched.values() if isinstance(o, common.CategoryScheme)}
    if query.items is None or not schemes:
        return parents
    leaves = {path.rsplit(".", 1)[-1] for path in query.items}
    drop = set()
    for r in index.records(parents):
        if r.urn_class == "Categorisation":
            category = getattr(index.load(r.urn), "category", None)
            if _scheme_key(category) in schemes and getattr(category, "id", None) not in leaves:
                drop.add(r.urn)
    return parents - drop


def _union(edges: dict[str, set[str]]) -> set[str]:
    return set().union(*edges.values())


# Items


def filter_items(obj: MaintainableArtefact, paths: Sequence[str]) -> MaintainableArtefact | None:
    """Keep only the items at ``paths`` and their ancestors (R-STR-07); None if none exists.

    A path is an item id (``SEX_F``) or a dotted path from the root (``ECO_STAT.SECTORAL_STAT``);
    for a hierarchical codelist it starts with the hierarchy id. Item schemes get
    ``is_partial=True``. The object is changed in place and returned.
    """
    if isinstance(obj, v21.HierarchicalCodelist):
        return _filter_hierarchies(obj, paths)
    if not isinstance(obj, common.ItemScheme):
        raise TypeError(f"{type(obj).__name__} has no items")
    targets = [item for path in paths if (item := _find_item(obj, path)) is not None]
    if not targets:
        return None
    _keep_items(obj, targets)
    obj.is_partial = True
    return obj


def _find_item(scheme: common.ItemScheme, path: str) -> common.Item | None:
    item = scheme.items.get(path.rsplit(".", 1)[-1])
    if item is None or ("." in path and item.hierarchical_id != path):
        return None
    return item


def _ancestors(item: common.Item) -> Iterator[common.Item]:
    parent = item.parent
    while isinstance(parent, common.Item):
        yield parent
        parent = parent.parent


def _descendants_of(item: common.Item) -> Iterator[common.Item]:
    for child in item.child:
        yield child
        yield from _descendants_of(child)


def _keep_items(scheme: common.ItemScheme, targets: Iterable[common.Item]) -> None:
    """Reduce ``scheme`` to ``targets`` and their ancestors, keeping the original order."""
    keep: set[str] = set()
    for item in targets:
        keep.add(item.id)
        keep.update(a.id for a in _ancestors(item))
    scheme.items = {k: v for k, v in scheme.items.items() if k in keep}
    for item in scheme.items.values():
        item.child = [c for c in item.child if c.id in keep]


def _filter_hierarchies(
    hcl: v21.HierarchicalCodelist, paths: Sequence[str]
) -> v21.HierarchicalCodelist | None:
    """Keep the hierarchies named by ``paths``; ``H.A.B`` keeps only code B and its ancestors."""
    whole: set[str] = set()
    partial: dict[str, set[int]] = {}
    for path in paths:
        hierarchy_id, *codes = path.split(".")
        hierarchy = next((h for h in hcl.hierarchy if h.id == hierarchy_id), None)
        chain = _code_chain(hierarchy, codes) if hierarchy is not None else []
        if hierarchy is not None and not codes:
            whole.add(hierarchy_id)
        elif chain:
            partial.setdefault(hierarchy_id, set()).update(id(c) for c in chain)
    kept = [h for h in hcl.hierarchy if h.id in whole or h.id in partial]
    if not kept:
        return None
    for h in kept:
        if h.id not in whole:
            h.codes = {c.id: c for c in _prune_codes(h.codes.values(), partial[h.id])}
    hcl.hierarchy = kept
    return hcl


def _code_chain(hierarchy: v21.Hierarchy, ids: Sequence[str]) -> list[common.HierarchicalCode]:
    """The hierarchical codes along ``ids`` from the top of ``hierarchy``; [] if broken."""
    chain: list[common.HierarchicalCode] = []
    level: Iterable[common.HierarchicalCode] = hierarchy.codes.values()
    for code_id in ids:
        code = next((c for c in level if c.id == code_id), None)
        if code is None:
            return []
        chain.append(code)
        level = code.child
    return chain


def _prune_codes(
    codes: Iterable[common.HierarchicalCode], keep: set[int]
) -> list[common.HierarchicalCode]:
    out = [c for c in codes if id(c) in keep]
    for c in out:
        c.child = _prune_codes(c.child, keep)
    return out


# Detail


def to_stub(obj: MaintainableArtefact, *, complete: bool) -> MaintainableArtefact:
    """A stub of ``obj`` (R-STR-08): id, agency, version, name, ``is_external_reference=True``.

    Complete stubs also keep the description and annotations. ``is_final`` is kept in both (sdmx1
    always writes ``isFinal``); a constraint keeps its role (its ``type`` attribute).
    """
    stub = type(obj)(
        id=obj.id,
        urn=obj.urn,
        maintainer=obj.maintainer,
        version=obj.version,
        name=obj.name,
        is_final=obj.is_final,
        is_external_reference=True,
    )
    if complete:
        stub.description = obj.description
        stub.annotations = list(obj.annotations)
    if isinstance(obj, v21.Constraint) and isinstance(stub, v21.Constraint):
        stub.role = obj.role
    return stub


def partial_for(obj: MaintainableArtefact, context: Sequence[MaintainableArtefact]) -> None:
    """Reduce a referenced item scheme to the items ``context`` uses (``referencepartial``).

    Concept schemes keep the concepts of the DSDs in ``context``; codelists keep the codes allowed
    by the Allowed content constraints in ``context`` (union over constraints and regions, a
    superset) for every coded component using them, else stay whole; category schemes keep the
    categories targeted by the categorisations in ``context``. Ancestors are kept; a reduced
    scheme gets ``is_partial=True``. Other objects, and schemes nothing uses, are left unchanged.
    """
    if not isinstance(obj, common.ItemScheme):
        return
    used = _used_items(obj, context)
    if used is None:
        return
    _keep_items(obj, [obj.items[i] for i in used if i in obj.items])
    obj.is_partial = True


def _used_items(
    scheme: common.ItemScheme, context: Sequence[MaintainableArtefact]
) -> set[str] | None:
    key = _key(scheme)
    if key is None:
        return None
    if isinstance(scheme, common.ConceptScheme):
        concepts = (c.concept_identity for c in _components(context))
        return {c.id for c in concepts if c is not None and _scheme_key(c) == key} or None
    if isinstance(scheme, common.Codelist):
        return _allowed_codes(scheme, context)
    if isinstance(scheme, common.CategoryScheme):
        cats = [o.category for o in context if isinstance(o, common.Categorisation)]
        return {c.id for c in cats if c is not None and _scheme_key(c) == key} or None
    return None


def _components(context: Iterable[MaintainableArtefact]) -> Iterator[common.Component]:
    for dsd in context:
        if isinstance(dsd, v21.DataStructureDefinition):
            for components in (dsd.dimensions, dsd.attributes, dsd.measures):
                yield from components


def _enumeration(component: common.Component) -> Key | None:
    representation = component.local_representation
    codelist = representation.enumerated if representation is not None else None
    return _key(codelist) if codelist is not None else None


def _allowed_codes(
    codelist: common.Codelist, context: Sequence[MaintainableArtefact]
) -> set[str] | None:
    """Codes of ``codelist`` allowed on every component using it; None if any is unrestricted."""
    constraints = [o for o in context if isinstance(o, v21.ContentConstraint) and _is_allowed(o)]
    key = _key(codelist)
    users = [c for c in _components(context) if key is not None and _enumeration(c) == key]
    if not constraints or not users:
        return None
    allowed: set[str] = set()
    for component in users:
        values = _constrained_values(constraints, component.id, codelist)
        if values is None:
            return None
        allowed |= values
    return allowed


def _is_allowed(constraint: v21.ContentConstraint) -> bool:
    role = constraint.role
    return role is not None and role.role == common.ConstraintRoleType.allowable


def _constrained_values(
    constraints: Sequence[v21.ContentConstraint], component_id: str, codelist: common.Codelist
) -> set[str] | None:
    """Values the included cube regions and data keys allow for a component (cascades expanded);
    None when one of them leaves the component unrestricted or there is none."""
    values: set[str] = set()
    selections = 0
    for c in constraints:
        for region in (r for r in c.data_content_region if r.included):
            selection = next((s for d, s in region.member.items() if d.id == component_id), None)
            if selection is None or not selection.included:
                return None
            values |= _expand(selection.values, codelist)
            selections += 1
        keys = c.data_content_keys
        for key in keys.keys if keys is not None and keys.included else ():
            value = next((v for d, v in key.key_value.items() if d.id == component_id), None)
            if value is None:
                return None
            values.add(str(value.value))
            selections += 1
    return values if selections else None


def _expand(members: Iterable[object], codelist: common.Codelist) -> set[str]:
    out: set[str] = set()
    for member in members:
        value = str(getattr(member, "value", member))
        out.add(value)
        code = codelist.items.get(value)
        if getattr(member, "cascade_values", False) and code is not None:
            out.update(c.id for c in _descendants_of(code))
    return out


def _partial_context(
    matched: dict[str, MaintainableArtefact], loaded: Collection[str], index: ArtefactIndex
) -> list[MaintainableArtefact]:
    """Extra objects ``partial_for`` needs: Allowed constraints attached to matched artefacts
    and the DSDs of matched dataflows (loaded for reading only, never returned)."""
    flows = [u for u, o in matched.items() if isinstance(o, common.BaseDataflow)]
    constraints = index.records(_union(index.refs_to(matched)))
    structures = index.records(_union(index.refs_from(flows)))
    wanted = [r.urn for r in constraints if is_of_resource(r, "allowedconstraint")]
    wanted += [r.urn for r in structures if r.urn_class == "DataStructure"]
    return [index.load(urn) for urn in wanted if urn not in loaded]


# Identity helpers


def _key(obj: object) -> Key | None:
    """(agency, id, version) of a maintainable object or reference, or None."""
    maintainer = getattr(obj, "maintainer", None)
    obj_id = getattr(obj, "id", None)
    if maintainer is None or not obj_id or not getattr(maintainer, "id", None):
        return None
    return (maintainer.id, obj_id, str(getattr(obj, "version", None)))


def _scheme_key(item: object) -> Key | None:
    """(agency, id, version) of the scheme holding ``item``, from its parents or its URN."""
    parent = getattr(item, "parent", None)
    while isinstance(parent, common.Item):
        parent = parent.parent
    if isinstance(parent, common.ItemScheme):
        return _key(parent)
    m = _ITEM_URN.search(getattr(item, "urn", None) or "")
    return (m[1], m[2], m[3]) if m else None
