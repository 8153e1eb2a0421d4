"""Answering a data query: the dataflow's structures, the matching series, their observations.

``answer_data_query`` resolves the ``flowRef`` of a parsed ``DataQuery`` (the latest version when
none is given), compiles the dataflow's rules, checks the key and ``dimensionAtObservation``
against the DSD, picks the stored series matching the key and the providers, and returns a
``DataAnswer``: the ``DataSetOut`` header of the response, the time the data last changed (for
``ETag`` / ``Last-Modified``) and a lazy iterator of ``SeriesOut`` that streams the observations
from the store, series by series, inside the period window and ``updatedAfter``, cut to the first
or last N per series, with group and series attribute values resolved onto each series. The
first series is looked at before the answer is returned, so an empty result is a
``NoResultsError`` (SDMX 100, HTTP 404) and not an empty message. ``includeHistory=true`` and a
cross-sectional ``dimensionAtObservation`` (a dimension other than time) answer 501: revisions
are not kept, and cross-sectional output needs a regrouping not written yet. The session must
stay open while the series are iterated.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from registry.catalog import Catalog
from registry.data_structures import FlowContext, FlowProblem, flow_context, latest_dataflows
from registry.errors import NoResultsError, ResponseTooLargeError, UnsupportedError
from registry.io.data_events import StructureRef
from registry.io.data_out import ALL_DIMENSIONS, DataSetOut, Labels, ObsOut, SeriesOut
from registry.query.data import DataQuery, FlowRef
from registry.storage import data_read
from registry.storage.data_read import StoredObservation, StoredSeries
from registry.structure_types import parse_urn

__all__ = ["DataAnswer", "answer_data_query", "code_labels", "resolve_dataflow"]


@dataclass(frozen=True)
class DataAnswer:
    """What a data response is written from."""

    dataset: DataSetOut
    series: Iterator[SeriesOut]
    dimension_at_observation: str
    last_change: datetime | None
    context: FlowContext


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
        raise UnsupportedError(
            f"dimensionAtObservation={at_observation} (cross-sectional data) is not supported "
            "yet; use TIME_PERIOD or AllDimensions"
        )
    if query.include_history:
        raise UnsupportedError(
            "includeHistory=true: this registry does not keep earlier versions of observations"
        )
    chosen = [s for s in data_read.flow_series(session, context.dataflow_urn) if _wanted(s, query)]
    chosen.sort(key=lambda s: s.id)
    submissions = None
    if query.updated_after is not None:
        submissions = data_read.submissions_after(
            session, context.dataflow_urn, query.updated_after
        )
    if max_observations is not None and query.detail not in ("serieskeysonly", "nodata"):
        _check_size(session, query, chosen, submissions, max_observations)
    groups = data_read.group_attributes(session, context.dataflow_urn)
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
    return DataAnswer(
        dataset,
        itertools.chain([first], series),
        at_observation,
        data_read.last_change(session, context.dataflow_urn),
        context,
    )


def _check_size(
    session: Session,
    query: DataQuery,
    chosen: list[StoredSeries],
    submissions: set[int] | None,
    limit: int,
) -> None:
    per_series = None
    if query.first_n_observations is not None or query.last_n_observations is not None:
        per_series = (query.first_n_observations or 0) + (query.last_n_observations or 0)
        if per_series * len(chosen) <= limit:
            return
    start, end = query.window
    found = data_read.count_observations(
        session,
        [s.id for s in chosen],
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


def code_labels(context: FlowContext, language: str = "en") -> Labels:
    """Names of the codes of the dataflow's coded components (for ``labels=both``)."""
    codes: dict[str, dict[str, str]] = {}
    for component, ref in context.rules.codelists.items():
        codelist = context.codelists.get(f"urn:sdmx:org.sdmx.infomodel.codelist.Codelist={ref}")
        if codelist is None:
            continue
        names = {}
        for code in codelist:
            localized = code.name.localizations
            name = localized.get(language) or next(iter(localized.values()), None)
            if name:
                names[code.id] = name
        codes[component] = names
    flow_name = context.dataflow
    return Labels(codes=codes, dataflow=flow_name, language=language)


def _wanted(series: StoredSeries, query: DataQuery) -> bool:
    if query.key is not None and not query.matches(series.series_key.split(".")):
        return False
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
    by_id = {s.id: s for s in chosen}
    if keys_only and not filtered:
        for stored in chosen:
            yield _series_out(stored, groups, ())
        return
    start, end = query.window
    rows = data_read.observations(
        session,
        [s.id for s in chosen],
        start=start,
        end=end,
        submissions=submissions,
    )
    for series_id, observations in itertools.groupby(rows, key=lambda r: r.series_id):
        kept = _cut(observations, query) if not keys_only else ()
        if not keys_only and not kept:
            continue
        if keys_only:
            for _ in observations:  # drain: the series has data in the window
                pass
        yield _series_out(by_id[series_id], groups, kept)


def _cut(rows: Iterable[StoredObservation], query: DataQuery) -> list[ObsOut]:
    first_n, last_n = query.first_n_observations, query.last_n_observations
    observations = (ObsOut(r.time_period, r.value, r.attributes) for r in rows)
    if first_n is None and last_n is None:
        return list(observations)
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
) -> SeriesOut:
    attributes: dict[str, str] = {}
    for dims, values in groups:
        if all(stored.dimensions.get(k) == v for k, v in dims.items()):
            attributes.update(values)
    attributes.update(stored.attributes)
    return SeriesOut(stored.dimensions, attributes, observations)
