"""SQL for reading data back: a dataflow's series, then their observations in period order.

Data queries select series first (few, filtered by key and provider in Python from one scan of
the dataflow's series rows) and then stream the observations of the chosen series, by chunks of
series ids, in series id then period order, optionally within a period window (whole-period
containment on the stored UTC bounds) and written by given submissions (``updatedAfter``). Rows
go out as plain tuples and JSON is decoded here, so nothing above needs SQL; the cursor streams,
so memory does not grow with the answer.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import text
from sqlmodel import Session

from registry.storage.artefacts import aware

_CHUNK = 500  # series ids per IN (...) list


class StoredSeries(NamedTuple):
    id: int
    series_key: str
    dimensions: dict[str, str]
    attributes: dict[str, str]
    provider: str | None


class StoredObservation(NamedTuple):
    series_id: int
    time_period: str
    value: str | None
    attributes: dict[str, str]


def decode_json(value: Any) -> dict[str, str]:
    """A JSON column's value as a dict (SQLite hands back text, PostgreSQL decoded JSON)."""
    if value is None:
        return {}
    return dict(json.loads(value)) if isinstance(value, str) else dict(value)


def flow_series(session: Session, dataflow_urn: str) -> list[StoredSeries]:
    """Every stored series of a dataflow, by key."""
    rows = session.connection().execute(
        text(
            "SELECT id, series_key, dimensions, attributes, provider FROM series "
            "WHERE dataflow_urn = :f ORDER BY series_key"
        ),
        {"f": dataflow_urn},
    )
    return [StoredSeries(r[0], r[1], decode_json(r[2]), decode_json(r[3]), r[4]) for r in rows]


def dataset_attributes(session: Session, dataflow_urn: str) -> dict[str, str]:
    rows = session.connection().execute(
        text("SELECT component, value FROM dataset_attribute WHERE dataflow_urn = :f"),
        {"f": dataflow_urn},
    )
    return {component: value for component, value in rows}


def group_attributes(
    session: Session, dataflow_urn: str
) -> list[tuple[dict[str, str], dict[str, str]]]:
    """(group key dimensions, attribute values) of every stored group of a dataflow."""
    rows = session.connection().execute(
        text("SELECT dimensions, attributes FROM group_attribute WHERE dataflow_urn = :f"),
        {"f": dataflow_urn},
    )
    return [(decode_json(dims), decode_json(attrs)) for dims, attrs in rows]


def submissions_after(session: Session, dataflow_urn: str, instant: datetime) -> set[int]:
    """Ids of the accepted submissions to a dataflow made after ``instant``."""
    rows = session.connection().execute(
        text(
            "SELECT id FROM submission WHERE dataflow_urn = :f AND status = 'accepted' "
            "AND submitted_at > :t"
        ),
        {"f": dataflow_urn, "t": instant},
    )
    return {row[0] for row in rows}


def last_change(session: Session, dataflow_urn: str) -> datetime | None:
    """When the data of a dataflow last changed (its latest accepted submission)."""
    value = (
        session.connection()
        .execute(
            text(
                "SELECT MAX(submitted_at) FROM submission WHERE dataflow_urn = :f "
                "AND status = 'accepted' AND duplicate_of IS NULL"
            ),
            {"f": dataflow_urn},
        )
        .scalar()
    )
    if isinstance(value, str):  # SQLite aggregates lose the column type
        value = datetime.fromisoformat(value)
    return aware(value)


def _window(
    start: int | None, end: int | None, submissions: set[int] | None
) -> tuple[str, dict[str, Any]]:
    conditions = ""
    params: dict[str, Any] = {}
    if start is not None:
        conditions += " AND period_start >= :start"
        params["start"] = start
    if end is not None:
        conditions += " AND period_end <= :end"
        params["end"] = end
    if submissions is not None:
        names = [f":s{i}" for i in range(len(submissions))] or ["NULL"]
        conditions += f" AND submission_id IN ({', '.join(names)})"
        params.update({f"s{i}": sid for i, sid in enumerate(sorted(submissions))})
    return conditions, params


def count_observations(
    session: Session,
    series_ids: Sequence[int],
    *,
    start: int | None = None,
    end: int | None = None,
    submissions: set[int] | None = None,
    per_series: int | None = None,
    limit: int,
) -> int:
    """How many observations ``observations`` would yield, counting no further than ``limit``.

    ``per_series`` counts at most that many observations of each series (what first/last N
    observations per series keep).
    """
    conditions, params = _window(start, end, submissions)
    connection = session.connection()
    total = 0
    for begin in range(0, len(series_ids), _CHUNK):
        chunk = series_ids[begin : begin + _CHUNK]
        names = [f":id{i}" for i in range(len(chunk))]
        ids = {f"id{i}": s for i, s in enumerate(chunk)}
        if per_series is not None:
            counts = connection.execute(
                text(
                    "SELECT COUNT(*) FROM observation "
                    f"WHERE series_id IN ({', '.join(names)}){conditions} GROUP BY series_id"
                ),
                {**params, **ids},
            )
            total += sum(min(count, per_series) for (count,) in counts)
        else:
            total += connection.execute(
                text(
                    "SELECT COUNT(*) FROM (SELECT 1 FROM observation "
                    f"WHERE series_id IN ({', '.join(names)}){conditions} LIMIT :cap) c"
                ),
                {**params, "cap": limit - total + 1, **ids},
            ).scalar_one()
        if total > limit:
            break
    return total


def observations(
    session: Session,
    series_ids: Sequence[int],
    *,
    start: int | None = None,
    end: int | None = None,
    submissions: set[int] | None = None,
) -> Iterator[StoredObservation]:
    """Observations of ``series_ids`` (pass them sorted), by series id then period.

    ``start`` / ``end`` (epoch seconds, inclusive bounds of the query window) keep the
    observations whose whole period lies inside; ``submissions`` keeps those last written by
    one of these submissions.
    """
    if submissions is not None and not submissions:
        return
    conditions, params = _window(start, end, submissions)
    connection = session.connection().execution_options(stream_results=True, yield_per=5000)
    for begin in range(0, len(series_ids), _CHUNK):
        chunk = series_ids[begin : begin + _CHUNK]
        names = [f":id{i}" for i in range(len(chunk))]
        rows = connection.execute(
            text(
                "SELECT series_id, time_period, obs_value, attributes FROM observation "
                f"WHERE series_id IN ({', '.join(names)}){conditions} "
                "ORDER BY series_id, period_start, time_period"
            ),
            {**params, **{f"id{i}": sid for i, sid in enumerate(chunk)}},
        )
        for sid, period, value, attrs in rows:
            yield StoredObservation(sid, period, value, decode_json(attrs))
