"""SQL for data availability: a dataflow's series with their observation summaries.

Availability queries (``registry.availability``) read, in one pass over the ``series`` rows of a
dataflow, each series' key and the summary ``DataWriter.merge`` keeps (observation count,
earliest period start, latest period end), so a whole-dataflow answer never touches the
observations; ``series_details`` adds, when a query needs them, each series' id, provider and
newest writing submission. Only when a period window or ``updatedAfter`` cuts into a series
are its observations aggregated, for those series alone (``window_summaries``), with the same
whole-period containment rule as data queries (``registry.storage.data_read.data_version``
tells when any of this changed). Rows are read through the driver's cursor as plain tuples: a
dataflow may hold 100,000 series.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlmodel import Session

_CHUNK = 500  # series ids per IN (...) list
_FETCH = 5000  # rows per fetch of a dataflow's series
_HAS_DATA = "FROM series WHERE dataflow_urn = {mark} AND observation_count > 0"


@dataclass(frozen=True)
class FlowSummaries:
    """The series of a dataflow that hold observations, column by column, by key.

    Per series: its key, how many observations it holds, the earliest period start and the
    latest period end among them (epoch seconds, the end exclusive).
    """

    series_keys: tuple[str, ...] = ()
    observation_counts: tuple[int, ...] = ()
    first_period_starts: tuple[int, ...] = ()
    last_period_ends: tuple[int, ...] = ()

    def __len__(self) -> int:
        return len(self.series_keys)


class SeriesDetail(NamedTuple):
    """A series' id, provider (``AGENCY:ID`` or None) and newest submission that wrote data."""

    id: int
    provider: str | None
    last_submission_id: int | None


class Summary(NamedTuple):
    """Observations of one series inside a window: how many, first start, last end."""

    observations: int
    first_period_start: int
    last_period_end: int


def _cursor(session: Session) -> tuple[Any, str]:
    """A driver cursor inside the session's transaction, and the parameter mark it takes."""
    connection = session.connection()
    dbapi: Any = connection.connection.driver_connection
    return dbapi.cursor(), "?" if connection.dialect.name == "sqlite" else "%s"


def _fetch(session: Session, statement: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    cursor, mark = _cursor(session)
    try:
        cursor.execute(statement.format(mark=mark), tuple(params))
        return list(cursor.fetchall())
    finally:
        cursor.close()


def flow_summaries(session: Session, dataflow_urn: str) -> FlowSummaries:
    """Every series of a dataflow that holds at least one observation, with its summary
    (read a batch of rows at a time, one object per distinct count and period bound)."""
    cursor, mark = _cursor(session)
    columns: tuple[list[Any], ...] = ([], [], [], [])
    numbers: dict[int, int] = {}
    same = numbers.setdefault
    try:
        cursor.execute(
            "SELECT series_key, observation_count, first_period_start, last_period_end "
            f"{_HAS_DATA.format(mark=mark)} ORDER BY series_key",
            (dataflow_urn,),
        )
        keys, counts, starts, ends = columns
        while rows := cursor.fetchmany(_FETCH):
            for key, count, start, end in rows:
                keys.append(key)
                counts.append(same(count, count))
                starts.append(same(start, start))
                ends.append(same(end, end))
    finally:
        cursor.close()
    return FlowSummaries(*(tuple(column) for column in columns))


def series_details(session: Session, dataflow_urn: str) -> dict[str, SeriesDetail]:
    """Key → id, provider and newest writing submission of every series holding data."""
    rows = _fetch(
        session,
        f"SELECT series_key, id, provider, last_observation_submission_id {_HAS_DATA}",
        [dataflow_urn],
    )
    return {key: SeriesDetail(sid, provider, last) for key, sid, provider, last in rows}


def window_summaries(
    session: Session,
    series_ids: Sequence[int],
    *,
    start: int | None = None,
    end: int | None = None,
    submissions: Collection[int] | None = None,
) -> dict[int, Summary]:
    """Per series of ``series_ids``: its observations whose whole period lies in ``start`` …
    ``end`` (epoch seconds, inclusive bounds) and, when given, that one of ``submissions`` wrote
    last. Series with no such observation are left out."""
    if submissions is not None and not submissions:
        return {}
    conditions = ""
    params: list[Any] = []
    if start is not None:
        conditions += " AND period_start >= {mark}"
        params.append(start)
    if end is not None:
        conditions += " AND period_end <= {mark}"
        params.append(end)
    if submissions is not None:
        conditions += f" AND submission_id IN ({', '.join(['{mark}'] * len(submissions))})"
        params.extend(sorted(submissions))
    found: dict[int, Summary] = {}
    for begin in range(0, len(series_ids), _CHUNK):
        chunk = series_ids[begin : begin + _CHUNK]
        marks = ", ".join(["{mark}"] * len(chunk))
        rows = _fetch(
            session,
            "SELECT series_id, COUNT(*), MIN(period_start), MAX(period_end) FROM observation "
            f"WHERE series_id IN ({marks}){conditions} GROUP BY series_id",
            [*chunk, *params],
        )
        for series_id, count, first, last in rows:
            found[series_id] = Summary(count, first, last)
    return found
