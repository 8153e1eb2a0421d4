"""SQL for reading the history of a dataflow's data: every value each submission wrote or deleted.

A value written by a submission is either still stored (``observation``, whose ``submission_id``
is its last writer) or was later overwritten or deleted and kept in ``observation_revision``
(with the submission that wrote it and the one that superseded it, see
``registry.storage.data``). ``history_rows`` streams, in one query, the versions of a dataflow's
data as SDMX-REST ``includeHistory`` lays them out: for each accepted submission, in the order
they were made, the values it wrote (still in effect or not) and then the values it deleted,
each group by series key and period, with the submission's time; optionally inside a period
window (whole-period containment on the stored UTC bounds) and, for stored observations, only of
given series (revisions name their series by key, as a whole-series Delete removes the series
row, so the caller filters them by key). The database sorts; the cursor streams, so memory does
not grow with the answer. ``count_history`` bounds the size of such an answer.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import text
from sqlmodel import Session

from registry.storage.artefacts import aware
from registry.storage.data_read import decode_json

_CHUNK = 500  # series ids in an IN (...) list, beyond which stored values are not pre-filtered


class HistoryRow(NamedTuple):
    """One value of one version: written (``deleted`` false) or deleted by ``submission_id``."""

    submission_id: int
    submitted_at: datetime
    deleted: bool
    series_key: str
    provider: str | None
    time_period: str
    value: str | None
    attributes: dict[str, str]


def _filters(
    dataflow_urn: str, series_ids: Sequence[int] | None, start: int | None, end: int | None
) -> tuple[str, str, dict[str, Any]]:
    """(condition on stored observations ``o``, condition on values ``v``, parameters)."""
    params: dict[str, Any] = {"f": dataflow_urn}
    stored = ""
    if series_ids is not None and len(series_ids) <= _CHUNK:
        names = [f":id{i}" for i in range(len(series_ids))] or ["NULL"]
        stored = f" AND o.series_id IN ({', '.join(names)})"
        params.update({f"id{i}": sid for i, sid in enumerate(series_ids)})
    window = ""
    if start is not None:
        window += " AND v.period_start >= :start"
        params["start"] = start
    if end is not None:
        window += " AND v.period_end <= :end"
        params["end"] = end
    return stored, window, params


def _versions(stored: str) -> str:
    """Every value of the dataflow with the submission that wrote or deleted it (``v``)."""
    columns = "time_period, period_start, period_end, obs_value, attributes"
    return (
        f"SELECT o.submission_id AS sid, 0 AS deleted, s.series_key, s.provider, "
        f"{', '.join('o.' + c for c in columns.split(', '))} FROM observation o "
        f"JOIN series s ON s.id = o.series_id WHERE s.dataflow_urn = :f{stored} "
        f"UNION ALL SELECT submission_id, 0, series_key, provider, {columns} "
        "FROM observation_revision WHERE dataflow_urn = :f "
        f"UNION ALL SELECT superseded_by, 1, series_key, provider, {columns} "
        "FROM observation_revision WHERE dataflow_urn = :f AND deleted = TRUE"
    )


def history_rows(
    session: Session,
    dataflow_urn: str,
    *,
    series_ids: Sequence[int] | None = None,
    start: int | None = None,
    end: int | None = None,
) -> Iterator[HistoryRow]:
    """Every version of the dataflow's values, by submission time, submission, written before
    deleted, series key and period (see the module docstring).

    ``series_ids`` (sorted or not) restricts the values still stored to those series when there
    are at most a few hundred (else the caller filters them too); ``start`` / ``end`` (epoch
    seconds, inclusive) keep the values whose whole period lies inside.
    """
    stored, window, params = _filters(dataflow_urn, series_ids, start, end)
    connection = session.connection().execution_options(stream_results=True, yield_per=5000)
    rows = connection.execute(
        text(
            "SELECT v.sid, b.submitted_at, v.deleted, v.series_key, v.provider, v.time_period, "
            f"v.obs_value, v.attributes FROM ({_versions(stored)}) v "
            f"JOIN submission b ON b.id = v.sid WHERE 1 = 1{window} "
            "ORDER BY b.submitted_at, v.sid, v.deleted, v.series_key, v.period_start, "
            "v.time_period"
        ),
        params,
    )
    for sid, when, deleted, key, provider, period, value, attrs in rows:
        if isinstance(when, str):  # SQLite hands back text
            when = datetime.fromisoformat(when)
        yield HistoryRow(
            sid,
            aware(when) or when,
            bool(deleted),
            key,
            provider,
            period,
            value,
            decode_json(attrs),
        )


def count_history(
    session: Session,
    dataflow_urn: str,
    *,
    series_ids: Sequence[int] | None = None,
    start: int | None = None,
    end: int | None = None,
    limit: int,
) -> int:
    """How many rows ``history_rows`` would yield, counting no further than ``limit`` + 1."""
    stored, window, params = _filters(dataflow_urn, series_ids, start, end)
    value = (
        session.connection()
        .execute(
            text(
                f"SELECT COUNT(*) FROM (SELECT 1 FROM ({_versions(stored)}) v "
                f"WHERE 1 = 1{window} LIMIT :cap) c"
            ),
            {**params, "cap": limit + 1},
        )
        .scalar_one()
    )
    return int(value)


def revision_count(session: Session, dataflow_urn: str | None = None) -> int:
    """How many earlier values are kept (of one dataflow, or of all)."""
    where, params = ("WHERE dataflow_urn = :f", {"f": dataflow_urn}) if dataflow_urn else ("", {})
    statement = text(f"SELECT COUNT(*) FROM observation_revision {where}")
    return int(session.connection().execute(statement, params).scalar_one())
