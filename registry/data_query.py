"""Answering a data query: the dataflow's structures, the matching series, their observations.

``answer_data_query`` resolves the ``flowRef`` of a parsed ``DataQuery`` (the latest version when
none is given), compiles the dataflow's rules, checks the key and ``dimensionAtObservation``
against the DSD, picks the stored series matching the key (in SQL, ``data_read.flow_series``)
and the providers, checks the size of the answer against the response limit (from the series
summaries, counting only when a window or ``updatedAfter`` could bring it under: see
``_check_size``), and returns a
``DataAnswer``: the ``DataSetOut`` header of the response, the time the data last changed (for
``ETag`` / ``Last-Modified``) and a lazy iterator of ``SeriesOut`` that streams the observations
from the store, series by series, inside the period window and ``updatedAfter``, cut to the first
or last N per series, with group and series attribute values resolved onto each series (the
series JSON is read a batch at a time as the stream reaches it; equal attribute texts share one
decoded dict, which writers only read). The
first series is looked at before the answer is returned, so an empty result is a
``NoResultsError`` (SDMX 100, HTTP 404) and not an empty message. A cross-sectional
``dimensionAtObservation`` (a dimension ``X`` other than time) regroups the same observations,
selected and cut per time series first: the series sharing every dimension but ``X`` are read a
few families at a time and give one series per period, keyed by every dimension but ``X``
(time included), each observation holding its ``X`` value (see ``_cross_sections``).
``includeHistory=true`` answers every version of the data
instead, in ``DataAnswer.history``: one dataset per submission of what it wrote (``Replace``,
``validFromDate``) and one of what it deleted (``Delete``, ``validToDate``), from the revisions
the store keeps (see ``_history_answer``). The session must
stay open while the series are iterated.
"""

from __future__ import annotations

import bisect
import itertools
import operator
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session

from registry.catalog import Catalog
from registry.data_structures import FlowContext, FlowProblem, flow_context, latest_dataflows
from registry.errors import NoResultsError, ResponseTooLargeError, UnsupportedError
from registry.io.data_events import StructureRef
from registry.io.data_out import ALL_DIMENSIONS, DataSetOut, ObsOut, SeriesOut
from registry.periods import PeriodError, parse_period
from registry.query.data import DataQuery, FlowRef
from registry.storage import data_history, data_read
from registry.storage.data_read import StoredSeries
from registry.structure_types import parse_urn
from registry.validation.data import OBSERVATION, FlowRules

__all__ = ["DataAnswer", "answer_data_query", "resolve_dataflow"]


@dataclass(frozen=True)
class DataAnswer:
    """What a data response is written from."""

    dataset: DataSetOut
    series: Iterator[SeriesOut]
    dimension_at_observation: str
    last_change: datetime | None
    context: FlowContext
    #: ``includeHistory=true``: the versions of the data, (dataset, series) pairs to write in
    #: order instead of ``dataset`` and ``series`` (see ``_history_answer``).
    history: Iterator[tuple[DataSetOut, Iterator[SeriesOut]]] | None = None
    #: Changes whenever the answer could: the structure clock's marker (names, codelists) and
    #: the dataflow's data version, for the ETag (the time alone can step back).
    version: str = ""


def _version(session: Session, dataflow_urn: str) -> tuple[datetime | None, str]:
    """(when the data last changed, the answer's ``version``)."""
    data = data_read.data_version(session, dataflow_urn)
    return data.last_at, f"{Catalog(session).structure_marker()}/{data.tag}"


def resolve_dataflow(catalog: Catalog, flow: FlowRef) -> FlowContext:
    """The structures of the dataflow ``flow`` names (404 when there is none)."""
    latest = latest_dataflows(catalog, flow.agency, flow.id, flow.version)
    if not latest:
        raise NoResultsError(f"No dataflow matches {flow}")
    if len(latest) > 1:
        agencies = ", ".join(sorted(r.agency_id for r in latest))
        raise NoResultsError(
            f"Several agencies maintain a dataflow {flow.id} ({agencies}): name the agency"
        )
    try:
        return flow_context(catalog, latest[0].urn)
    except FlowProblem as problem:
        raise NoResultsError(f"The structures of {flow} are incomplete ({problem.code})") from None


def answer_data_query(
    session: Session, query: DataQuery, *, max_observations: int | None = None
) -> DataAnswer:
    """The answer to ``query`` (see the module docstring).

    More than ``max_observations`` matching observations is a ``ResponseTooLargeError``.
    """
    context = resolve_dataflow(Catalog(session), query.flow)
    rules = context.rules
    query.check_length(len(rules.dimension_ids), context.dataflow, rules.dimension_ids)
    at_observation = query.dimension_at_observation or rules.time_dimension or "TIME_PERIOD"
    if at_observation not in (rules.time_dimension, ALL_DIMENSIONS):
        dimensions = (
            *rules.dimension_ids,
            *([rules.time_dimension] if rules.time_dimension else []),
        )
        query.check_dimension_at_observation(dimensions, context.dataflow)
    if query.include_history:
        return _history_answer(session, query, context, at_observation, max_observations)
    cross_sectional = at_observation in rules.dimension_ids
    stored = data_read.flow_series(
        session, context.dataflow_urn, query.key, with_json=cross_sectional
    )
    chosen = [s for s in stored if _provider_wanted(s, query)]
    del stored
    submissions = None
    if query.updated_after is not None:
        submissions = data_read.submissions_after(
            session, context.dataflow_urn, query.updated_after
        )
    if max_observations is not None and query.detail not in ("serieskeysonly", "nodata"):
        _check_size(session, query, chosen, submissions, max_observations)
    groups = data_read.group_attributes(session, context.dataflow_urn)
    if cross_sectional:
        series = _cross_sections(session, query, chosen, groups, submissions, at_observation, rules)
    else:
        series = _series(session, query, chosen, groups, submissions)
    first = next(series, None)
    if first is None:
        raise NoResultsError(f"No data match the query {query.path}")
    _type, agency, id_, version = parse_urn(context.dataflow_urn)
    dataset = DataSetOut(
        dataflow=StructureRef("dataflow", agency, id_, version),
        rules=rules,
        dataset_attributes=data_read.dataset_attributes(session, context.dataflow_urn),
        provider=_single_provider(chosen),
    )
    last_change, version = _version(session, context.dataflow_urn)
    return DataAnswer(
        dataset,
        itertools.chain([first], series),
        at_observation,
        last_change,
        context,
        version=version,
    )


def _check_size(
    session: Session,
    query: DataQuery,
    chosen: list[StoredSeries],
    submissions: set[int] | None,
    limit: int,
) -> None:
    """``ResponseTooLargeError`` when the answer would hold more than ``limit`` observations.

    Answered from the series summaries first (``StoredSeries.observation_count``, kept exact
    by the writer, with each series' earliest period start, latest period end and newest
    writer): a series counts its observations (at most first + last N of them), or none when
    its summary shows that the period window or ``updatedAfter`` leaves none of them. That sum
    is exact without a window and ``updatedAfter``, and an upper bound with them: only when it
    exceeds ``limit`` and a window or ``updatedAfter`` is given are the observations counted
    (exactly, stopping past the limit).
    """
    per_series = None
    if query.first_n_observations is not None or query.last_n_observations is not None:
        per_series = (query.first_n_observations or 0) + (query.last_n_observations or 0)
    start, end = query.window
    newest = min(submissions) if submissions else None
    candidates = [s for s in chosen if _may_answer(s, start, end, submissions is not None, newest)]
    bound = sum(
        s.observation_count if per_series is None else min(s.observation_count, per_series)
        for s in candidates
    )
    if bound <= limit:
        return
    filtered = start is not None or end is not None or submissions is not None
    found = bound
    if filtered:
        found = data_read.count_observations(
            session,
            [s.id for s in candidates],
            start=start,
            end=end,
            submissions=submissions,
            per_series=per_series,
            limit=limit,
        )
    if found > limit:
        raise ResponseTooLargeError(
            f"The query selects more than {limit:,} observations (setting "
            "REGISTRY_MAX_RESPONSE_OBSERVATIONS); narrow it with a key, startPeriod/endPeriod, "
            "updatedAfter or firstNObservations/lastNObservations, or ask for "
            "detail=serieskeysonly first"
        )


def _may_answer(
    series: StoredSeries, start: int | None, end: int | None, after: bool, first: int | None
) -> bool:
    """Whether the summary of ``series`` allows an observation inside the window (``start`` /
    ``end``) written by a submission of id ``first`` or above (when ``after``). A stored
    period has both UTC bounds or neither, and one without bounds is outside any window."""
    if series.observation_count <= 0:
        return False
    if start is not None and (series.last_period_end is None or series.last_period_end < start):
        return False  # a kept period ends after it starts, at or after ``start``
    if end is not None and (series.first_period_start is None or series.first_period_start > end):
        return False  # a kept period starts before it ends, at or before ``end``
    if after:
        newest = series.last_observation_submission_id
        if first is None or newest is None or newest < first:
            return False
    return True


def _wanted(series: StoredSeries, query: DataQuery) -> bool:
    if query.key is not None and not query.matches(series.series_key.split(".")):
        return False
    return _provider_wanted(series, query)


def _provider_wanted(series: StoredSeries, query: DataQuery) -> bool:
    if query.providers is not None:
        agency, _, provider_id = (series.provider or ":").partition(":")
        return query.matches_provider(agency, provider_id)
    return True


def _single_provider(series: list[StoredSeries]) -> tuple[str, str] | None:
    providers = {s.provider for s in series}
    only = providers.pop() if len(providers) == 1 else None
    if only is None:
        return None
    agency, _, provider_id = only.partition(":")
    return agency, provider_id


def _series(
    session: Session,
    query: DataQuery,
    chosen: list[StoredSeries],
    groups: list[tuple[dict[str, str], dict[str, str]]],
    submissions: set[int] | None,
) -> Iterator[SeriesOut]:
    keys_only = query.detail in ("serieskeysonly", "nodata")
    filtered = (
        query.start_period is not None or query.end_period is not None or submissions is not None
    )
    decode = data_read.JsonCache().decode
    with_json = _WithJson(session, chosen)
    if keys_only and not filtered:
        for stored in chosen:
            yield _series_out(with_json.get(stored.id), groups, (), decode)
        return
    start, end = query.window
    rows = data_read.observations(
        session,
        [s.id for s in chosen],
        start=start,
        end=end,
        submissions=submissions,
    )
    for series_id, observations in itertools.groupby(rows, key=_SERIES_ID):
        kept = _cut(observations, query) if not keys_only else ()
        if not keys_only and not kept:
            continue
        if keys_only:
            for _ in observations:  # drain: the series has data in the window
                pass
        yield _series_out(with_json.get(series_id), groups, kept, decode)


class _WithJson:
    """The chosen series (sorted by id, maybe without their JSON) with their JSON, read
    ``data_read._CHUNK`` series at a time from the one asked for: asked in id order, the
    series are read once and memory holds one batch."""

    def __init__(self, session: Session, chosen: list[StoredSeries]) -> None:
        self._session = session
        self._chosen = chosen
        self._ids = [s.id for s in chosen]
        self._batch: dict[int, StoredSeries] = {}

    def get(self, series_id: int) -> StoredSeries:
        found = self._batch.get(series_id)
        if found is not None:
            return found
        index = bisect.bisect_left(self._ids, series_id)
        batch = self._chosen[index : index + _JSON_BATCH]
        missing = [s.id for s in batch if s.raw_dimensions is None]
        texts = data_read.series_json(self._session, missing) if missing else {}
        self._batch = {
            s.id: s._replace(raw_dimensions=texts[s.id][0], raw_attributes=texts[s.id][1])
            if s.id in texts
            else s
            for s in batch
        }
        return self._batch[series_id]


#: Series whose JSON is read at once when streaming.
_JSON_BATCH = 500
_SERIES_ID = operator.itemgetter(0)
_OBS = ObsOut._make


def _observations_out(rows: Iterable[data_read.ObservationRow]) -> Iterator[ObsOut]:
    return (_OBS((period, value, attributes, None)) for _sid, period, value, attributes in rows)


def _cut(rows: Iterable[data_read.ObservationRow], query: DataQuery) -> list[ObsOut]:
    first_n, last_n = query.first_n_observations, query.last_n_observations
    if first_n is None and last_n is None:
        return [_OBS((period, value, attributes, None)) for _sid, period, value, attributes in rows]
    observations = _observations_out(rows)
    if last_n is None:
        return list(itertools.islice(observations, first_n))
    head: list[ObsOut] = []
    tail: deque[ObsOut] = deque(maxlen=last_n)
    for index, obs in enumerate(observations):
        if first_n is not None and index < first_n:
            head.append(obs)
        else:
            tail.append(obs)
    if first_n is None:
        return list(tail)
    seen = {o.time_period for o in head}
    return head + [o for o in tail if o.time_period not in seen]


def _series_out(
    stored: StoredSeries,
    groups: list[tuple[dict[str, str], dict[str, str]]],
    observations: list[ObsOut] | tuple[()],
    decode: Callable[[object], Mapping[str, str]] | None = None,
) -> SeriesOut:
    """The series with its group and series attribute values; ``decode`` (a shared
    ``JsonCache``) decodes the series attributes, whose dict may then be shared by series."""
    dimensions = stored.dimensions
    own = decode(stored.raw_attributes) if decode is not None else stored.attributes
    if not groups:
        return SeriesOut(dimensions, own, observations)
    attributes: dict[str, str] = {}
    for dims, values in groups:
        if all(dimensions.get(k) == v for k, v in dims.items()):
            attributes.update(values)
    attributes.update(own)
    return SeriesOut(dimensions, attributes, observations)


def _cross_sections(
    session: Session,
    query: DataQuery,
    chosen: list[StoredSeries],
    groups: list[tuple[dict[str, str], dict[str, str]]],
    submissions: set[int] | None,
    dimension: str,
    rules: FlowRules,
) -> Iterator[SeriesOut]:
    """Cross-sectional series (``dimensionAtObservation`` = ``dimension``, see ``data_out``).

    The chosen series that share every dimension but ``dimension`` form a family; the families
    are read a few at a time (one query for about ``_FAMILY_BATCH`` series, a family never
    split), each series cut to the period window, ``updatedAfter`` and first/last N as a time
    series would be, and each family then gives one series per period it has data for, in
    period order, holding one observation per member (``key_value``: its ``dimension`` value).
    Series and group attribute values move to the observations unless the DSD attaches them to
    dimensions other than ``dimension`` and every member with data has the same value.
    Memory holds one batch of families; the series list is in memory already.
    """
    others = tuple(d for d in rules.dimension_ids if d != dimension)
    families: dict[tuple[str | None, ...], list[StoredSeries]] = {}
    for stored in chosen:
        families.setdefault(tuple(stored.dimensions.get(d) for d in others), []).append(stored)
    batch: list[list[StoredSeries]] = []
    size = 0
    for members in families.values():
        batch.append(members)
        size += len(members)
        if size >= _FAMILY_BATCH:
            yield from _batch_sections(session, query, batch, groups, submissions, dimension, rules)
            batch, size = [], 0
    if batch:
        yield from _batch_sections(session, query, batch, groups, submissions, dimension, rules)


#: About how many series one read of observations covers, for cross-sectional answers.
_FAMILY_BATCH = 200


def _batch_sections(
    session: Session,
    query: DataQuery,
    batch: list[list[StoredSeries]],
    groups: list[tuple[dict[str, str], dict[str, str]]],
    submissions: set[int] | None,
    dimension: str,
    rules: FlowRules,
) -> Iterator[SeriesOut]:
    start, end = query.window
    ids = sorted(stored.id for members in batch for stored in members)
    rows = data_read.observations(session, ids, start=start, end=end, submissions=submissions)
    kept = {
        series_id: _cut(observations, query)
        for series_id, observations in itertools.groupby(rows, key=_SERIES_ID)
    }
    keys_only = query.detail in ("serieskeysonly", "nodata")
    time = rules.time_dimension or "TIME_PERIOD"
    others = tuple(d for d in rules.dimension_ids if d != dimension)
    for members in batch:
        timed = [_series_out(m, groups, kept[m.id]) for m in members if kept.get(m.id)]
        if not timed:
            continue
        shared = {
            a: v
            for a, v in timed[0].attributes.items()
            if not _depends_on(rules, a, dimension)
            and all(t.attributes.get(a) == v for t in timed[1:])
        }
        by_period: dict[str, list[ObsOut]] = {}
        for one in timed:
            value = one.key[dimension]
            own = {a: v for a, v in one.attributes.items() if a not in shared}
            for obs in one.observations:
                attributes = {**own, **obs.attributes} if own else obs.attributes
                moved = ObsOut(obs.time_period, obs.value, attributes, key_value=value)
                by_period.setdefault(obs.time_period, []).append(moved)
        key = {d: timed[0].key[d] for d in others}
        for period in sorted(by_period, key=_period_order):
            observations = by_period[period]
            yield SeriesOut({**key, time: period}, shared, () if keys_only else observations)


def _depends_on(rules: FlowRules, attribute: str, dimension: str) -> bool:
    """Whether an attribute's value may change with ``dimension`` (unknown ones may)."""
    rule = rules.attributes.get(attribute)
    return rule is None or rule.level == OBSERVATION or dimension in rule.dimensions


def _period_order(period: str) -> tuple[datetime, str]:
    try:
        return parse_period(period).start, period
    except PeriodError:
        return datetime.max.replace(tzinfo=UTC), period


# ── includeHistory=true ─────────────────────────────────────────────────────────────────────────

#: One version of the data: a dataset header and its series.
Version = tuple[DataSetOut, Iterator[SeriesOut]]


def _history_answer(
    session: Session,
    query: DataQuery,
    context: FlowContext,
    at_observation: str,
    max_observations: int | None,
) -> DataAnswer:
    """``includeHistory=true``: every version of the matching data, one dataset per version.

    SDMX-REST 2.1 data queries (sdmx-twg/sdmx-rest, v2_1/ws/rest/docs/4_4_data_queries.md,
    "How to handle the includeHistory parameter"): the message holds one or two datasets per
    dissemination, here per accepted submission, in the order they were made: a ``Replace``
    dataset of every value it wrote, whether still in effect or later revised (``validFromDate``:
    the time of the submission), then, if it deleted values, a ``Delete`` dataset of them as they
    were (``validToDate``: the same time). The data in effect are what replaying the datasets in
    order gives. Every other parameter applies to each version: key and providers to its series,
    the period window and first/last N observations to its values, ``detail`` to its writing,
    ``updatedAfter`` keeps the versions of the submissions made after the instant. Only
    observation values are versioned: ``Replace`` datasets carry the dataset, group and series
    attribute values in effect now; ``Delete`` datasets carry none (only the deleted values with
    their observation attributes). A version with nothing left after the filters is left out;
    none at all is a ``NoResultsError``. The size limit counts the values of every version in
    the window, kept values of every series of the dataflow included (revisions are selected by
    key only once read). Cross-sectional output of the history is not written (501).
    """
    rules = context.rules
    if at_observation in rules.dimension_ids:
        raise UnsupportedError(
            f"includeHistory=true with dimensionAtObservation={at_observation} (cross-sectional "
            "data) is not supported; use TIME_PERIOD or AllDimensions"
        )
    every = data_read.flow_series(session, context.dataflow_urn)
    chosen = sorted((s for s in every if _wanted(s, query)), key=lambda s: s.id)
    start, end = query.window
    series_ids = [s.id for s in chosen]
    if max_observations is not None and query.detail not in ("serieskeysonly", "nodata"):
        found = data_history.count_history(
            session,
            context.dataflow_urn,
            series_ids=series_ids,
            start=start,
            end=end,
            limit=max_observations,
        )
        if found > max_observations:
            raise ResponseTooLargeError(
                f"The query selects more than {max_observations:,} observations with their "
                "earlier versions (setting REGISTRY_MAX_RESPONSE_OBSERVATIONS); narrow it with a "
                "key, startPeriod/endPeriod or updatedAfter, or ask without includeHistory"
            )
    submissions = None
    if query.updated_after is not None:
        submissions = data_read.submissions_after(
            session, context.dataflow_urn, query.updated_after
        )
    _type, agency, id_, version = parse_urn(context.dataflow_urn)
    current = DataSetOut(
        dataflow=StructureRef("dataflow", agency, id_, version),
        rules=rules,
        dataset_attributes=data_read.dataset_attributes(session, context.dataflow_urn),
    )
    rows = data_history.history_rows(
        session, context.dataflow_urn, series_ids=series_ids, start=start, end=end
    )
    groups = data_read.group_attributes(session, context.dataflow_urn)
    by_key = {s.series_key: s for s in every}
    versions = _versions(rows, query, current, by_key, groups, submissions)
    first = next(versions, None)
    if first is None:
        raise NoResultsError(f"No data match the query {query.path}")
    last_change, version = _version(session, context.dataflow_urn)
    return DataAnswer(
        first[0],
        iter(()),
        at_observation,
        last_change,
        context,
        history=itertools.chain([first], versions),
        version=version,
    )


def _versions(
    rows: Iterator[data_history.HistoryRow],
    query: DataQuery,
    current: DataSetOut,
    series_by_key: Mapping[str, StoredSeries],
    groups: list[tuple[dict[str, str], dict[str, str]]],
    submissions: set[int] | None,
) -> Iterator[Version]:
    """The datasets of the history, each yielded once its first series is known (a version
    whose values the filters all leave out is skipped). Each dataset's series must be read
    before the next dataset is asked for (they share one cursor)."""
    wanted: dict[tuple[str, str | None], bool] = {}

    def matches(row: data_history.HistoryRow) -> bool:
        found = wanted.get((row.series_key, row.provider))
        if found is None:
            stored = StoredSeries(0, row.series_key, None, None, row.provider)
            found = wanted[(row.series_key, row.provider)] = _wanted(stored, query)
        return found

    by_version = itertools.groupby(rows, key=lambda r: (r.submission_id, r.deleted))
    for (submission_id, deleted), version_rows in by_version:
        if submissions is not None and submission_id not in submissions:
            continue
        kept = (r for r in version_rows if matches(r))
        series = _version_series(kept, query, series_by_key, groups, current, deleted=deleted)
        first = next(series, None)
        if first is None:
            continue
        when = first[0]
        dataset = DataSetOut(
            dataflow=current.dataflow,
            rules=current.rules,
            dataset_attributes={} if deleted else current.dataset_attributes,
            action="Delete" if deleted else "Replace",
            valid_from=None if deleted else when,
            valid_to=when if deleted else None,
        )
        yield dataset, itertools.chain([first[1]], (s for _, s in series))


def _version_series(
    rows: Iterable[data_history.HistoryRow],
    query: DataQuery,
    series_by_key: Mapping[str, StoredSeries],
    groups: list[tuple[dict[str, str], dict[str, str]]],
    current: DataSetOut,
    *,
    deleted: bool,
) -> Iterator[tuple[datetime, SeriesOut]]:
    """The series of one version (with the version's time), cut as the query asks."""
    keys_only = query.detail in ("serieskeysonly", "nodata")
    dimension_ids = current.rules.dimension_ids
    for key, series_rows in itertools.groupby(rows, key=lambda r: r.series_key):
        first = next(series_rows)
        values = (
            (0, r.time_period, r.value, r.attributes) for r in itertools.chain([first], series_rows)
        )
        if keys_only:
            for _ in values:  # drain: the series has values in the window
                pass
            kept: list[ObsOut] | tuple[()] = ()
        else:
            kept = _cut(values, query)
        stored = series_by_key.get(key)
        if deleted or stored is None:  # no attribute of a deleted value, nor of a gone series
            dimensions = dict(zip(dimension_ids, key.split("."), strict=False))
            yield first.submitted_at, SeriesOut(dimensions, {}, kept)
        else:
            yield first.submitted_at, _series_out(stored, groups, kept)
