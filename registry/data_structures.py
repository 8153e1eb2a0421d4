"""Which structures a data submission follows: dataflow, DSD, codelists, constraints, agreement.

``resolve_flow`` takes the structures a file declares (dataflow, DSD or provision agreement, from
its header or first column), the dataflow the sender named (``ID``, ``AGENCY:ID`` for the latest
version, or ``AGENCY:ID(VERSION)``) and the sender's data provider, and returns a ``FlowContext``:
the dataflow, its DSD, the compiled validation rules (codelists ∩ the Allowed content constraints
attached to the dataflow, its DSD or the provider's provision agreement) and the URNs used, for
the submission record. Problems become ``FlowProblem`` with a report code: ``NO_STRUCTURE``,
``UNKNOWN_STRUCTURE``, ``STRUCTURE_MISMATCH`` or ``NOT_AUTHORISED`` (the provider has no
provision agreement for the dataflow).

``flow_context`` (used by every submission, data query and availability query) keeps what it
builds in ``FLOW_CACHE``, a per-process, thread-safe LRU keyed on the dataflow, the agreement and
the structure clock's marker (``Catalog.structure_marker``, one cheap read per call): any
structure write, by any process, changes the marker, so the next call rebuilds. Callers share
the cached DSD, codelists and rules and must not mutate them; each gets its own ``structures``
and ``codelists`` dicts.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar, cast

from sdmx.model import common, v21

from registry.catalog import Catalog
from registry.io.data_events import StructureRef
from registry.query.structure import pick_latest
from registry.storage.records import ArtefactRecord
from registry.structure_types import parse_urn, urn_of
from registry.validation.data import FlowRules, compile_rules

__all__ = [
    "FLOW_CACHE",
    "FlowContext",
    "FlowProblem",
    "StructureCache",
    "flow_context",
    "latest_dataflows",
    "resolve_flow",
]

_FLOW_NAME = re.compile(r"(?:([\w.@$-]+):)?([\w@$-]+)(?:\(([\w.+~*-]+)\))?")


@dataclass(frozen=True)
class FlowContext:
    """Everything a submission needs about the structures its data follows.

    ``dsd``, ``rules`` and the codelists are shared with ``FLOW_CACHE`` and other requests:
    read them, never change them (``Catalog.load`` gives an own copy to trim or edit).
    """

    dataflow_urn: str
    dataflow: str  # "AGENCY:ID(VERSION)"
    dsd: v21.DataStructureDefinition
    rules: FlowRules
    provision_agreement: str | None
    structures: dict[str, Any] = field(default_factory=dict)
    #: The codelists used, by URN (names for labelled output).
    codelists: dict[str, v21.Codelist] = field(default_factory=dict)


class FlowProblem(Exception):
    """The data cannot be tied to usable structures: one report code and its parameters."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def _short(urn: str) -> str:
    _type, agency, id_, version = parse_urn(urn)
    return f"{agency}:{id_}({version})"


def latest_dataflows(
    catalog: Catalog, agency: str | None, id_: str, version: str | None
) -> list[ArtefactRecord]:
    """The dataflows ``id_`` of ``agency`` (any when None) in ``version`` (the latest when None or
    ``latest``): one per agency maintaining such a dataflow."""
    versions = [version] if version and version != "latest" else None
    return pick_latest(catalog.find(["Dataflow"], [agency] if agency else None, [id_], versions))


def _named_flow(catalog: Catalog, name: str) -> str:
    match = _FLOW_NAME.fullmatch(name.strip())
    if not match:
        raise FlowProblem("UNKNOWN_STRUCTURE", structure=name)
    agency, id_, version = match.groups()
    latest = latest_dataflows(catalog, agency, id_, version)
    if len(latest) != 1:
        raise FlowProblem("UNKNOWN_STRUCTURE", structure=f"dataflow {name}")
    return latest[0].urn


def _declared_flows(catalog: Catalog, ref: StructureRef) -> tuple[set[str], str | None]:
    """Dataflow URNs a declared structure may stand for, and the agreement it names (if any)."""
    found = catalog.records([ref.urn])
    if not found:
        raise FlowProblem("UNKNOWN_STRUCTURE", structure=f"{ref.kind} {_short(ref.urn)}")
    if ref.kind == "dataflow":
        return {ref.urn}, None
    if ref.kind == "provisionagreement":
        flows = {u for u in catalog.refs_from([ref.urn]).get(ref.urn, set()) if ".Dataflow=" in u}
        return flows, ref.urn
    users = catalog.refs_to([ref.urn]).get(ref.urn, set())
    return {u for u in users if ".Dataflow=" in u}, None


def _provider_of(catalog: Catalog, agreement: v21.ProvisionAgreement, urn: str) -> str | None:
    provider = agreement.data_provider
    if provider is None:
        return None
    schemes = [u for u in catalog.refs_from([urn]).get(urn, set()) if ".DataProviderScheme=" in u]
    if not schemes:
        return None
    return f"{parse_urn(schemes[0])[1]}:{provider.id}"


def _agreement(catalog: Catalog, flow_urn: str, provider: str) -> str | None:
    users = catalog.refs_to([flow_urn]).get(flow_urn, set())
    for urn in sorted(u for u in users if ".ProvisionAgreement=" in u):
        agreement = cast(v21.ProvisionAgreement, catalog.load(urn))
        if _provider_of(catalog, agreement, urn) == provider:
            return urn
    return None


def resolve_flow(
    catalog: Catalog,
    declared: Sequence[StructureRef],
    requested: str | None,
    provider: str | None,
) -> FlowContext:
    """The structures of a submission (see the module docstring); raises ``FlowProblem``."""
    wanted = _named_flow(catalog, requested) if requested else None
    chosen: str | None = wanted
    named_agreement: str | None = None
    for ref in declared:
        flows, agreement = _declared_flows(catalog, ref)
        named_agreement = named_agreement or agreement
        if wanted is not None:
            if wanted not in flows:
                raise FlowProblem(
                    "STRUCTURE_MISMATCH",
                    structure=f"{ref.kind} {_short(ref.urn)}",
                    expected=f"dataflow {_short(wanted)}",
                )
            continue
        if len(flows) != 1:
            raise FlowProblem("NO_STRUCTURE")
        (flow,) = flows
        if chosen is not None and flow != chosen:
            raise FlowProblem(
                "STRUCTURE_MISMATCH",
                structure=f"dataflow {_short(flow)}",
                expected=f"dataflow {_short(chosen)}",
            )
        chosen = flow
    if chosen is None:
        raise FlowProblem("NO_STRUCTURE")
    flow_urn = chosen
    agreement_urn: str | None = None
    if provider is not None:
        agreement_urn = _agreement(catalog, flow_urn, provider)
        if agreement_urn is None or (named_agreement and named_agreement != agreement_urn):
            raise FlowProblem("NOT_AUTHORISED", provider=provider, dataflow=_short(flow_urn))
    return flow_context(catalog, flow_urn, agreement_urn)


_CacheKey = tuple[str, str, str | None]  # (structure marker, dataflow URN, agreement / other)
_Value = TypeVar("_Value")


class StructureCache(Generic[_Value]):
    """A thread-safe LRU of values built from stored structures (see the module docstring).

    Keys start with the structure clock's marker: entries of an older marker are never hit again
    and leave as the least recently used; at most ``maxsize`` are kept (a ``FlowContext`` holds
    one DSD with its codelists and compiled rules).
    """

    def __init__(self, maxsize: int = 64) -> None:
        self.maxsize = maxsize
        self._items: OrderedDict[_CacheKey, _Value] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: _CacheKey) -> _Value | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                self.misses += 1
            else:
                self.hits += 1
                self._items.move_to_end(key)
            return found

    def put(self, key: _CacheKey, value: _Value) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.hits = self.misses = 0

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)


FLOW_CACHE: StructureCache[FlowContext] = StructureCache()


def flow_context(catalog: Catalog, flow_urn: str, agreement_urn: str | None = None) -> FlowContext:
    """The structures of one dataflow (and of the provider's agreement, when given), from
    ``FLOW_CACHE`` while the stored structures are unchanged."""
    marker = catalog.structure_marker()
    if marker is None:  # no clock row: nothing tells when structures change, so never cache
        return _build_flow_context(catalog, flow_urn, agreement_urn)
    key = (marker, flow_urn, agreement_urn)
    context = FLOW_CACHE.get(key)
    if context is None:
        context = _build_flow_context(catalog, flow_urn, agreement_urn)
        FLOW_CACHE.put(key, context)
    return _own_copy(context)


def _own_copy(context: FlowContext) -> FlowContext:
    """The context with its own dicts (and lists in them), the sdmx1 objects and rules shared."""
    structures = {k: list(v) if isinstance(v, list) else v for k, v in context.structures.items()}
    return replace(context, structures=structures, codelists=dict(context.codelists))


def _build_flow_context(
    catalog: Catalog, flow_urn: str, agreement_urn: str | None = None
) -> FlowContext:
    """The structures of one dataflow, read and compiled from the catalogue."""
    flow_refs = catalog.refs_from([flow_urn]).get(flow_urn, set())
    dsd_urns = sorted(u for u in flow_refs if ".DataStructure=" in u)
    if not dsd_urns:
        raise FlowProblem("UNKNOWN_STRUCTURE", structure=f"the DSD of {_short(flow_urn)}")
    dsd_urn = dsd_urns[0]
    dsd = cast(v21.DataStructureDefinition, catalog.load(dsd_urn))
    used = catalog.refs_from([dsd_urn]).get(dsd_urn, set())
    codelists = {u: cast(v21.Codelist, catalog.load(u)) for u in used if ".Codelist=" in u}
    schemes = {u: cast(common.ItemScheme, catalog.load(u)) for u in used if ".ConceptScheme=" in u}
    for scheme in schemes.values():  # codelists of core representations
        urn = urn_of(scheme)
        for ref in catalog.refs_from([urn]).get(urn, set()):
            if ".Codelist=" in ref and ref not in codelists:
                codelists[ref] = cast(v21.Codelist, catalog.load(ref))
    targets = [flow_urn, dsd_urn, *([agreement_urn] if agreement_urn else [])]
    attached = catalog.refs_to(targets)
    candidates = sorted({u for t in targets for u in attached.get(t, set())})
    allowed = [
        r.urn
        for r in catalog.records([u for u in candidates if ".ContentConstraint=" in u])
        if r.constraint_role == "Allowed"
    ]
    constraints = [cast(v21.ContentConstraint, catalog.load(u)) for u in allowed]
    rules = compile_rules(dsd, codelists, constraints, schemes)
    structures = {
        "dataflow": flow_urn,
        "datastructure": dsd_urn,
        "provisionagreement": agreement_urn,
        "constraints": allowed,
    }
    return FlowContext(flow_urn, _short(flow_urn), dsd, rules, agreement_urn, structures, codelists)
