"""Answering an availability query: an Actual ContentConstraint computed from series summaries.

``prepare_availability`` resolves the ``flowRef`` of a parsed ``AvailabilityQuery`` (as data
queries do, ``resolve_dataflow``), checks the key length and the ``componentID`` against the DSD
and reads when the answer last changed (data or structures), so a router can answer 304 before
any work. ``compute_availability`` then takes the series of the dataflow with the observation
summaries ``DataWriter.merge`` maintains (``registry.storage.availability``) and filters them by
key, provider, period window and ``updatedAfter``; only series that a window or ``updatedAfter``
cuts into have their observations aggregated, so a whole-dataflow answer never scans
observations. It yields the series and observation counts, the time range (first period start,
last period end) of the matching data and, per dimension, the codes present: ``mode=exact``
the codes of the matching series; ``mode=available`` for each dimension the codes that would
still return data given the *other* dimensions' selections (its own is not applied to itself;
providers, window and ``updatedAfter`` apply to all; counts and time range stay those of the
exact selection). Nothing matching is a ``NoResultsError`` (SDMX 100). The dataflow's
structures come from ``flow_context`` (cached per structure clock); an ``AvailabilityCache``
keeps, per process, its series summaries with keys split by dimension, revalidated on every
query against a cheap version (the dataflow's accepted submissions), so repeated queries skip
the SQL and parsing.
``availability_structures`` builds the sdmx1 ``ContentConstraint`` of the answer (role Actual,
id ``CC_AVAILABILITY``, maintained by the dataflow's agency and attached to the dataflow, one
CubeRegion with a KeyValue per dimension, or only ``componentID``'s, the time dimension as an
inclusive TimeRange (in SDMX-JSON also as a ``referencePeriod`` of dateTimes, R-AV-07: not in
SDMX-ML, where sdmx1 2.28 cannot read it), and the ``sdmx_metrics`` annotations
``series_count`` and ``obs_count`` as .Stat Suite and Fusion Registry write them: the id names
the metric, the title is the number)
followed by what ``references`` asks for: the dataflow, the DSD, and partial item schemes:
codelists keep the codes present plus their ancestors, data provider schemes the providers of
the data, concept schemes the constrained concepts (every concept the DSD uses when the DSD is
in the message too, so that it stays self-contained).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any, cast

from sdmx.model import common, v21
from sqlmodel import Session

from registry.catalog import ArtefactCache, Catalog
from registry.data_query import resolve_dataflow
from registry.data_structures import FlowContext
from registry.errors import NoResultsError
from registry.query.data import AvailabilityQuery
from registry.query.structure import filter_items, pick_latest, record_order
from registry.storage import artefacts, data_read
from registry.storage import availability as store
from registry.structure_types import parse_urn

__all__ = [
    "CONSTRAINT_ID",
    "METRICS_TYPE",
    "Availability",
    "AvailabilityCache",
    "PreparedAvailability",
    "availability_structures",
    "compute_availability",
    "prepare_availability",
]

#: Id of the computed constraint (it is never stored).
CONSTRAINT_ID = "CC_AVAILABILITY"
#: Annotation type of the counts, as .Stat Suite and Fusion Registry write it (R-AV-06).
METRICS_TYPE = "sdmx_metrics"

_PROVIDER_SCHEME = "DATA_PROVIDERS"
_MaintainableArtefact = common.MaintainableArtefact


class AvailabilityCache:
    """What availability queries reuse between requests of one process, always revalidated.

    The series summaries of a dataflow with keys split by dimension, kept while its data version
    (accepted submissions) is unchanged, so a change made by any process is seen by the next
    query. Entries are keyed by database; at most ``max_series`` series summaries are kept, the
    least recently used dropped first. (The dataflow's structures come from ``flow_context``'s
    own cache, keyed on the structure clock.)
    """

    def __init__(self, max_series: int = 500_000) -> None:
        self.max_series = max_series
        self._tables: OrderedDict[tuple[str, str, int], tuple[Any, _FlowTable]] = OrderedDict()
        self._lock = threading.Lock()

    def flow_table(self, session: Session, dataflow_urn: str, n_dims: int) -> _FlowTable:
        """The series of a dataflow holding observations, with their summaries."""
        key = (_database(session), dataflow_urn, n_dims)
        version = data_read.data_version(session, dataflow_urn)
        with self._lock:
            hit = self._tables.get(key)
            if hit is not None and hit[0] == version:
                self._tables.move_to_end(key)
                return hit[1]
        with data_read.cyclic_gc_paused():  # tens of thousands of new tuples, none of them cyclic
            summaries = store.flow_summaries(session, dataflow_urn)
            table = _FlowTable.build(dataflow_urn, summaries, n_dims)
        with self._lock:
            self._tables[key] = (version, table)
            self._tables.move_to_end(key)
            total = sum(len(t.summaries) for _, t in self._tables.values())
            while total > self.max_series and len(self._tables) > 1:
                _key, (_version, dropped) = self._tables.popitem(last=False)
                total -= len(dropped.summaries)
        return table


def _database(session: Session) -> str:
    return str(session.connection().engine.url)


_DEFAULT_CACHE = AvailabilityCache()


@dataclass(frozen=True)
class PreparedAvailability:
    """A query whose dataflow is resolved and checked, with the time its answer last changed."""

    query: AvailabilityQuery
    context: FlowContext
    catalog: Catalog
    cache: AvailabilityCache
    last_change: datetime | None
    #: Changes whenever the answer could (structure clock, data version): for the ETag.
    version: str = ""

    @property
    def dimension_ids(self) -> tuple[str, ...]:
        return self.context.rules.dimension_ids

    @property
    def time_dimension(self) -> str | None:
        return self.context.rules.time_dimension


@dataclass(frozen=True)
class Availability:
    """What the data matching a query holds.

    ``codes`` maps each dimension of the answer (DSD order, the time dimension excepted) to its
    codes, sorted; ``time_range`` is (first period start, last period end) in epoch seconds,
    the end exclusive, or None without a time dimension in the answer; ``providers`` are the
    ``AGENCY:ID`` of the providers of the matching series (only worked out when ``references``
    asks for the data provider schemes).
    """

    codes: dict[str, tuple[str, ...]]
    series_count: int
    observation_count: int
    time_range: tuple[int, int] | None
    providers: frozenset[str]


def prepare_availability(
    session: Session,
    query: AvailabilityQuery,
    artefact_cache: ArtefactCache | None = None,
    cache: AvailabilityCache | None = None,
) -> PreparedAvailability:
    """Resolve and check the dataflow of ``query`` (404 unknown, 400 bad key or componentID)."""
    cache = cache or _DEFAULT_CACHE
    catalog = Catalog(session, artefact_cache)
    structures_changed = artefacts.last_change(session)
    context = resolve_dataflow(catalog, query.flow)
    rules = context.rules
    query.check_length(len(rules.dimension_ids), context.dataflow, rules.dimension_ids)
    time = (rules.time_dimension,) if rules.time_dimension else ()
    query.check_component((*rules.dimension_ids, *time), context.dataflow)
    data = data_read.data_version(session, context.dataflow_urn)
    changes = [t for t in (data.last_at, structures_changed) if t is not None]
    last_change = max(changes) if changes else None
    version = f"{catalog.structure_marker()}/{data.tag}"
    return PreparedAvailability(query, context, catalog, cache, last_change, version)


# --- computing -----------------------------------------------------------------------------------


class _FlowTable:
    """A dataflow's series summaries, the code of each series per dimension (``positions``),
    and, read on first need, each series' id, provider and newest writing submission."""

    def __init__(
        self,
        dataflow_urn: str,
        summaries: store.FlowSummaries,
        positions: tuple[tuple[str, ...], ...],
    ) -> None:
        self.dataflow_urn = dataflow_urn
        self.summaries = summaries
        self.positions = positions
        self._details: list[store.SeriesDetail | None] | None = None
        self._lock = threading.Lock()

    @classmethod
    def build(cls, dataflow_urn: str, summaries: store.FlowSummaries, n_dims: int) -> _FlowTable:
        # One string per distinct code (a dataflow repeats a few hundred codes over 100,000s
        # of keys): the table holds references, not a copy of each key's codes.
        codes: dict[str, str] = {}
        same = codes.setdefault
        parts = [[same(c, c) for c in key.split(".")] for key in summaries.series_keys]
        if any(len(p) != n_dims for p in parts):  # a key that does not fit the DSD never matches
            keep = [j for j, p in enumerate(parts) if len(p) == n_dims]
            columns = [getattr(summaries, f.name) for f in fields(summaries)]
            summaries = store.FlowSummaries(*(tuple(c[j] for j in keep) for c in columns))
            parts = [parts[j] for j in keep]
        positions = tuple(zip(*parts, strict=True)) if parts else tuple(() for _ in range(n_dims))
        return cls(dataflow_urn, summaries, positions)

    def details(self, session: Session) -> list[store.SeriesDetail | None]:
        """Per series (same order as the summaries): id, provider, newest writing submission;
        None for a series gone since the summaries were read (it then matches nothing)."""
        with self._lock:
            if self._details is None:
                with data_read.cyclic_gc_paused():
                    found = store.series_details(session, self.dataflow_urn)
                    self._details = [found.get(key) for key in self.summaries.series_keys]
            return self._details


def compute_availability(session: Session, prepared: PreparedAvailability) -> Availability:
    """Counts, time range and codes of the data ``prepared.query`` selects (see the module
    docstring); ``NoResultsError`` when no observation matches."""
    with data_read.cyclic_gc_paused():  # many short-lived tuples and lists, no cycles among them
        return _compute(session, prepared)


def _compute(session: Session, prepared: PreparedAvailability) -> Availability:
    query = prepared.query
    dims = prepared.dimension_ids
    table = prepared.cache.flow_table(session, prepared.context.dataflow_urn, len(dims))
    summaries = table.summaries
    # the series each selection keeps: providers, then the key position by position
    allowed: list[int] | range = range(len(summaries))
    if query.providers is not None:
        details = table.details(session)
        verdict = {d.provider: _provider_matches(query, d.provider) for d in details if d}
        allowed = [j for j, d in enumerate(details) if d is not None and verdict[d.provider]]
    missing: dict[int, list[bool]] = {}  # key position → does series j miss it?
    for i, selection in enumerate(query.key or ()):
        if selection:
            missing[i] = [code not in selection for code in table.positions[i]]
    misses: list[int] | None = None
    if missing:
        columns = list(missing.values())
        if len(columns) > 1:
            misses = list(map(sum, zip(*columns, strict=True)))
        else:
            misses = [int(m) for m in columns[0]]
        limit = 1 if query.mode == "available" else 0
        allowed = [j for j in allowed if misses[j] <= limit]
    inside = _in_window(session, prepared, table, allowed)
    if inside is not None:
        allowed = [j for j in allowed if j in inside]
    exact = allowed if misses is None else [j for j in allowed if misses[j] == 0]
    if not exact:
        raise NoResultsError(f"No data match the query {query.path}")
    whole = isinstance(exact, range)
    if inside is not None:
        counts, firsts, lasts = zip(*(inside[j] for j in exact), strict=True)
    elif whole:
        counts = summaries.observation_counts
        firsts, lasts = summaries.first_period_starts, summaries.last_period_ends
    else:
        counts = tuple(summaries.observation_counts[j] for j in exact)
        firsts = tuple(summaries.first_period_starts[j] for j in exact)
        lasts = tuple(summaries.last_period_ends[j] for j in exact)
    codes: dict[str, tuple[str, ...]] = {}
    for i, dim in enumerate(dims):
        if query.component_id not in (None, dim):
            continue
        column = table.positions[i]
        present = set(column) if whole else {column[j] for j in exact}
        if misses is not None and i in missing:  # available: one miss, and it is here
            missed = missing[i]
            present.update(column[j] for j in allowed if misses[j] == 1 and missed[j])
        codes[dim] = tuple(sorted(present))
    time_dim = prepared.time_dimension
    show_time = time_dim is not None and query.component_id in (None, time_dim)
    providers: set[str] = set()
    if query.references in ("all", "dataproviderscheme"):
        details = table.details(session)
        providers = {d.provider for j in exact if (d := details[j]) is not None and d.provider}
    return Availability(
        codes,
        len(exact),
        sum(counts),
        (min(firsts), max(lasts)) if show_time else None,
        frozenset(providers),
    )


def _provider_matches(query: AvailabilityQuery, provider: str | None) -> bool:
    agency, _, provider_id = (provider or ":").partition(":")
    return query.matches_provider(agency, provider_id)


def _in_window(
    session: Session, prepared: PreparedAvailability, table: _FlowTable, rows: Sequence[int]
) -> dict[int, tuple[int, int, int]] | None:
    """For the series at ``rows``, their observations inside the query's period window and
    ``updatedAfter``: row → (count, first period start, last period end); series with none are
    left out. None when the query has neither (every stored summary holds as it is).

    The stored summaries settle a series wholly inside or outside the window; the observations
    of the others (and of every series written since ``updatedAfter``) are aggregated.
    """
    query = prepared.query
    start, end = query.window
    if start is None and end is None and query.updated_after is None:
        return None
    summaries = table.summaries
    counts = summaries.observation_counts
    firsts, lasts = summaries.first_period_starts, summaries.last_period_ends
    found: dict[int, tuple[int, int, int]] = {}
    scan: list[int] = []
    submissions: set[int] | None = None
    if query.updated_after is not None:
        submissions = data_read.submissions_after(
            session, prepared.context.dataflow_urn, query.updated_after
        )
        oldest = min(submissions, default=None)
        details = table.details(session)
        # only a series whose newest observation came from such a submission may hold one
        scan = [
            j
            for j in rows
            if oldest is not None
            and (d := details[j]) is not None
            and (d.last_submission_id or 0) >= oldest
        ]
    else:
        for j in rows:
            first, last = firsts[j], lasts[j]
            if (end is not None and first >= end) or (start is not None and last <= start):
                continue  # wholly outside the window
            if (start is None or first >= start) and (end is None or last <= end):
                found[j] = (counts[j], first, last)
            else:
                scan.append(j)
    if scan:
        details = table.details(session)
        row_of = {d.id: j for j in scan if (d := details[j]) is not None}
        window = store.window_summaries(
            session, sorted(row_of), start=start, end=end, submissions=submissions
        )
        for series_id, summary in window.items():
            found[row_of[series_id]] = (
                summary.observations,
                summary.first_period_start,
                summary.last_period_end,
            )
    return found


# --- the structures of the answer -------------------------------------------------------------


def availability_structures(
    prepared: PreparedAvailability, availability: Availability
) -> list[_MaintainableArtefact]:
    """The Actual constraint of the answer, then the structures ``references`` asks for."""
    catalog = prepared.catalog
    context = prepared.context
    dataflow = catalog.load(context.dataflow_urn)
    constraint = _constraint(prepared, availability, dataflow)
    scope = prepared.query.references
    if scope == "none":
        return [constraint]
    wanted = {"dataflow", "datastructure", "conceptscheme", "codelist", "dataproviderscheme"}
    if scope != "all":
        wanted = {scope}
    found: list[tuple[str, _MaintainableArtefact]] = []
    if "dataflow" in wanted:
        found.append((context.dataflow_urn, dataflow))
    dsd_urn = str(context.structures["datastructure"])
    if "datastructure" in wanted:
        found.append((dsd_urn, context.dsd))
    if "conceptscheme" in wanted:
        every = "datastructure" in wanted  # keep the message self-contained
        found.extend(_concept_schemes(catalog, dsd_urn, context.dsd, availability, every=every))
    if "codelist" in wanted:
        found.extend(_codelists(catalog, dsd_urn, context, availability))
    if "dataproviderscheme" in wanted:
        found.extend(_provider_schemes(catalog, availability.providers))
    records = {r.urn: r for r in catalog.records([urn for urn, _ in found])}
    found.sort(key=lambda pair: record_order(records[pair[0]]))
    return [constraint, *(obj for _, obj in found)]


def _constraint(
    prepared: PreparedAvailability, availability: Availability, dataflow: _MaintainableArtefact
) -> v21.ContentConstraint:
    dsd = prepared.context.dsd
    _type, agency, _id, _version = parse_urn(prepared.context.dataflow_urn)
    flow = prepared.context.dataflow
    constraint = v21.ContentConstraint(
        id=CONSTRAINT_ID,
        maintainer=common.Agency(id=agency),
        version="1.0",
        is_final=False,
        name={
            "en": f"Data available in {flow}",
            "fr": f"Données disponibles dans {flow}",
        },
        role=v21.ConstraintRole(role=common.ConstraintRoleType.actual),
        annotations=[
            v21.Annotation(
                id="series_count", title=str(availability.series_count), type=METRICS_TYPE
            ),
            v21.Annotation(
                id="obs_count", title=str(availability.observation_count), type=METRICS_TYPE
            ),
        ],
    )
    constraint.content.add(cast(v21.DataflowDefinition, dataflow))
    members: dict[common.DimensionComponent, common.BaseMemberSelection] = {}
    for dim in dsd.dimensions.components:
        codes = availability.codes.get(dim.id)
        if codes is not None:
            members[dim] = v21.MemberSelection(
                values_for=dim, included=True, values=[v21.MemberValue(value=c) for c in codes]
            )
        elif dim.id == prepared.time_dimension and availability.time_range is not None:
            first, last = availability.time_range
            period = v21.RangePeriod(
                start=common.StartPeriod(is_inclusive=True, period=_instant(first)),
                end=common.EndPeriod(is_inclusive=True, period=_instant(last - 1)),
            )
            members[dim] = v21.MemberSelection(values_for=dim, included=True, values=[period])
    constraint.data_content_region.append(common.CubeRegion(included=True, member=members))
    if availability.time_range is not None:
        # The temporal coverage as a ReferencePeriod of dateTimes (R-AV-07): sdmx1 does not
        # model it; the SDMX-JSON writer writes this attribute (see io.sdmxml for SDMX-ML).
        first, last = availability.time_range
        constraint.reference_period = (_instant(first), _instant(last - 1))  # type: ignore[attr-defined]
    return constraint


def _instant(epoch: int) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


def _shown_concepts(
    dsd: v21.DataStructureDefinition, availability: Availability, *, every: bool
) -> set[str]:
    """``AGENCY:ID(VERSION)/CONCEPT`` of the concepts of the constrained dimensions, or with
    ``every`` of all the DSD's components (the DSD is in the message and refers to them all)."""
    shown: set[str] = set()
    components: list[common.Component] = [*dsd.dimensions.components]
    if every:
        components += [*dsd.attributes.components, *dsd.measures.components]
    for component in components:
        constrained = every or component.id in availability.codes
        if isinstance(component, common.TimeDimension):
            constrained = every or availability.time_range is not None
        concept = component.concept_identity
        scheme = getattr(concept, "parent", None)
        if constrained and concept is not None and isinstance(scheme, common.ItemScheme):
            shown.add(f"{_short(scheme)}/{concept.id}")
    return shown


def _short(obj: object) -> str:
    maintainer = getattr(getattr(obj, "maintainer", None), "id", None)
    version = getattr(obj, "version", None) or "1.0"
    return f"{maintainer}:{getattr(obj, 'id', None)}({version})"


def _concept_schemes(
    catalog: Catalog,
    dsd_urn: str,
    dsd: v21.DataStructureDefinition,
    availability: Availability,
    *,
    every: bool,
) -> list[tuple[str, _MaintainableArtefact]]:
    """Each concept scheme of the DSD, reduced to the concepts ``_shown_concepts`` names."""
    shown = _shown_concepts(dsd, availability, every=every)
    urns = [u for u in catalog.refs_from([dsd_urn]).get(dsd_urn, set()) if ".ConceptScheme=" in u]
    out = []
    for record in catalog.records(urns):
        name = f"{record.agency_id}:{record.artefact_id}({record.version})"
        ids = [key.split("/", 1)[1] for key in shown if key.split("/", 1)[0] == name]
        scheme = filter_items(catalog.load(record.urn), ids) if ids else None
        if scheme is not None:
            out.append((record.urn, scheme))
    return out


def _codelists(
    catalog: Catalog, dsd_urn: str, context: FlowContext, availability: Availability
) -> list[tuple[str, _MaintainableArtefact]]:
    """Each codelist of a constrained dimension, reduced to the codes present (and ancestors)."""
    wanted: dict[str, set[str]] = {}
    for dim, present in availability.codes.items():
        name = context.rules.codelists.get(dim)
        if name is not None:
            wanted.setdefault(name, set()).update(present)
    refs = catalog.refs_from([dsd_urn]).get(dsd_urn, set())
    schemes = [u for u in refs if ".ConceptScheme=" in u]
    refs |= {u for targets in catalog.refs_from(schemes).values() for u in targets}
    out = []
    for record in catalog.records([u for u in refs if ".Codelist=" in u]):
        codes = wanted.get(f"{record.agency_id}:{record.artefact_id}({record.version})")
        codelist = filter_items(catalog.load(record.urn), sorted(codes)) if codes else None
        if codelist is not None:
            out.append((record.urn, codelist))
    return out


def _provider_schemes(
    catalog: Catalog, providers: Iterable[str]
) -> list[tuple[str, _MaintainableArtefact]]:
    """Each data provider scheme holding a provider of the data, reduced to those providers."""
    by_agency: dict[str, set[str]] = {}
    for provider in providers:
        agency, _, provider_id = provider.partition(":")
        by_agency.setdefault(agency, set()).add(provider_id)
    out = []
    for agency, ids in sorted(by_agency.items()):
        records = catalog.find(["DataProviderScheme"], [agency], [_PROVIDER_SCHEME], None)
        for record in pick_latest(records):
            scheme = filter_items(catalog.load(record.urn), sorted(ids))
            if scheme is not None:
                out.append((record.urn, scheme))
    return out
