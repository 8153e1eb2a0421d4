"""SQL for reading data back: a dataflow's series, then their observations in period order.

Data queries select series first and then stream the observations of the chosen series.
``flow_series`` selects a dataflow's series by key in SQL (see ``key_condition``: exact keys
for a small cross product of a key without empty positions, else one pattern per position and
code on ``series_key``), with their observation summaries (count, earliest period start, latest
period end, newest writer) and their dimension and attribute JSON left undecoded until a caller
reads it, so a whole-dataflow answer holds a list of light rows. ``observations`` streams the
observations of the chosen series, by chunks of series ids (small first, for an early first
byte), in series id then period order, optionally within a period window (whole-period
containment on the stored UTC bounds) and written by given submissions (``updatedAfter``), as
plain ``(series id, period, value, attributes)`` tuples: it reads through the DB-API cursor
(a server-side cursor on PostgreSQL, fetched a few thousand rows at a time), and decodes each
distinct attributes text once per call (``JsonCache``; callers share the decoded dicts and must
not change them), so memory does not grow with the answer and nothing above needs SQL.
"""

from __future__ import annotations

import gc
import itertools
import json
import math
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import text
from sqlmodel import Session

from registry.storage.artefacts import aware

_CHUNK = 500  # series ids per IN (...) list
#: Series ids of the first observation reads: a small first read gives the first byte early.
_FIRST_CHUNKS = (20, 100)
#: Rows per fetch from the cursor (PostgreSQL server-side cursor, SQLite ``fetchmany``).
_FETCH = 5000
#: A key whose positions all have codes selects by exact keys up to this many combinations.
_EXACT_KEYS = 1000
#: Names of server-side cursors, unique in the process (two streams may share a connection).
_CURSOR_NUMBERS = itertools.count()


class StoredSeries(NamedTuple):
    """A stored series with its observation summary; its JSON is decoded when read (the raw
    values are None in a row read without it: ``flow_series(with_json=False)``)."""

    id: int
    series_key: str
    raw_dimensions: Any
    raw_attributes: Any
    provider: str | None
    observation_count: int = 0
    first_period_start: int | None = None
    last_period_end: int | None = None
    last_observation_submission_id: int | None = None

    @property
    def dimensions(self) -> dict[str, str]:
        """Dimension id → code (decoded on each read: keep the result if it is needed twice)."""
        return decode_json(self.raw_dimensions)

    @property
    def attributes(self) -> dict[str, str]:
        return decode_json(self.raw_attributes)


#: An observation as ``observations`` yields it: (series id, period, value, attributes).
ObservationRow = tuple[int, str, str | None, Mapping[str, str]]


def decode_json(value: Any) -> dict[str, str]:
    """A JSON column's value as a dict (SQLite hands back text, PostgreSQL decoded JSON)."""
    if value is None:
        return {}
    return dict(json.loads(value)) if isinstance(value, str) else dict(value)


class JsonCache:
    """Decodes JSON object texts, each distinct text once while at most ``size`` are held (the
    decoded dicts are shared: read them, never change them)."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._decoded: dict[Any, Mapping[str, str]] = {}
        self._empty: Mapping[str, str] = {}

    def decode(self, value: Any) -> Mapping[str, str]:
        if value is None:
            return self._empty
        if not isinstance(value, str):  # already decoded (a PostgreSQL JSON column)
            return dict(value)
        found = self._decoded.get(value)
        if found is None:
            if len(self._decoded) >= self.size:
                self._decoded.clear()
            found = self._decoded[value] = dict(json.loads(value))
        return found


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block (for building many objects without
    cycles: a full collection of a server's heap takes tens of milliseconds). The collector is
    process-wide: it is enabled again at the end of the block if it was enabled at its start."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _glob_literal(code: str) -> str:
    """``code`` as a literal in an SQLite GLOB pattern (GLOB is case-sensitive, LIKE is not)."""
    return "".join(f"[{c}]" if c in "*?[" else c for c in code)


def _like_literal(code: str) -> str:
    """``code`` as a literal in a LIKE pattern with ``ESCAPE '\\'``."""
    return code.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def key_condition(key: Sequence[Collection[str]] | None, *, sqlite: bool) -> tuple[str, list[str]]:
    """An SQL condition on ``series_key`` selecting the keys ``key`` matches (`` AND …`` or
    empty), with its parameters (DB-API marks: ``?`` on SQLite, ``%s`` on PostgreSQL). ``key``
    has one collection of codes per position, an empty one taking every code.

    Keys are the codes joined by dots (codes have none). When every position has codes and
    their combinations are at most ``_EXACT_KEYS``, the condition is ``series_key IN`` those
    exact keys (index lookups, whatever the collation). Otherwise, for each position with codes
    (the one with fewest first), one pattern per code: the code at its place, any text at the
    others (SQLite GLOB, case-sensitive; PostgreSQL LIKE with ``_``, ``%`` and ``\\`` escaped);
    a pattern with as many literal dots as the key has separators cannot let a wildcard span a
    dot, so it matches exactly the keys of that many positions with that code there. A key of
    another length never matches (the caller checks the length of stored keys: a pattern
    could match a key with more positions).
    """
    if key is None or not any(key):
        return "", []
    mark = "?" if sqlite else "%s"
    if all(key) and math.prod(len(codes) for codes in key) <= _EXACT_KEYS:
        keys = [".".join(c) for c in itertools.product(*(sorted(codes) for codes in key))]
        return f" AND series_key IN ({', '.join([mark] * len(keys))})", keys
    if sqlite:
        anything, literal, test = "*", _glob_literal, "series_key GLOB ?"
    else:
        anything, literal, test = "%", _like_literal, "series_key LIKE %s ESCAPE '\\'"
    positions = sorted((i for i, codes in enumerate(key) if codes), key=lambda i: len(key[i]))
    clauses = []
    patterns: list[str] = []
    for position in positions:
        for code in sorted(key[position]):
            parts = [anything] * len(key)
            parts[position] = literal(code)
            patterns.append(".".join(parts))
        clauses.append(f"({' OR '.join([test] * len(key[position]))})")
    return " AND " + " AND ".join(clauses), patterns


def flow_series(
    session: Session,
    dataflow_urn: str,
    key: Sequence[Collection[str]] | None = None,
    *,
    with_json: bool = True,
) -> list[StoredSeries]:
    """The stored series of a dataflow whose key ``key`` matches (all when None), by id.

    ``key`` is as for ``key_condition``; a stored key of another length than ``key`` is left
    out. Without ``with_json`` the rows leave out the dimension and attribute JSON
    (``raw_dimensions`` and ``raw_attributes`` are None: read them with ``series_json``); equal
    providers and summary values are one object: a dataflow's series list stays small.
    """
    with cyclic_gc_paused():  # tens of thousands of new tuples, none of them cyclic
        return _flow_series(session, dataflow_urn, key, with_json)


def _flow_series(
    session: Session,
    dataflow_urn: str,
    key: Sequence[Collection[str]] | None,
    with_json: bool,
) -> list[StoredSeries]:
    sqlite = _is_sqlite(session)
    condition, params = key_condition(key, sqlite=sqlite)
    json_columns = (
        "CAST(dimensions AS TEXT), CAST(attributes AS TEXT)" if with_json else "NULL, NULL"
    )
    cursor = _cursor(session)
    try:
        cursor.execute(
            f"SELECT id, series_key, {json_columns}, provider, observation_count, "
            "first_period_start, last_period_end, last_observation_submission_id FROM series "
            f"WHERE dataflow_urn = {'?' if sqlite else '%s'}{condition} ORDER BY id",
            [dataflow_urn, *params],
        )
        separators = None if key is None else len(key) - 1
        values: dict[Any, Any] = {}  # one object per distinct provider, count, bound, writer
        same = values.setdefault
        found: list[StoredSeries] = []
        while rows := cursor.fetchmany(_FETCH):
            for sid, series_key, dims, attrs, *shared in rows:
                if separators is not None and series_key.count(".") != separators:
                    continue
                provider, count, first, last, writer = (same(v, v) for v in shared)
                found.append(
                    StoredSeries(sid, series_key, dims, attrs, provider, count, first, last, writer)
                )
        return found
    finally:
        cursor.close()


def series_json(session: Session, series_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """Series id → (dimensions JSON text, attributes JSON text) of ``series_ids``."""
    mark = "?" if _is_sqlite(session) else "%s"
    found: dict[int, tuple[str, str]] = {}
    cursor = _cursor(session)
    try:
        for begin in range(0, len(series_ids), _CHUNK):
            chunk = series_ids[begin : begin + _CHUNK]
            cursor.execute(
                "SELECT id, CAST(dimensions AS TEXT), CAST(attributes AS TEXT) FROM series "
                f"WHERE id IN ({', '.join([mark] * len(chunk))})",
                list(chunk),
            )
            found.update((sid, (dims, attrs)) for sid, dims, attrs in cursor.fetchall())
        return found
    finally:
        cursor.close()


def _cursor(session: Session, name: str | None = None) -> Any:
    """A DB-API cursor on the session's connection (a server-side one when ``name`` is given,
    on PostgreSQL)."""
    dbapi: Any = session.connection().connection.driver_connection
    if name is None or _is_sqlite(session):
        cursor = dbapi.cursor()
        cursor.arraysize = _FETCH
        return cursor
    cursor = dbapi.cursor(name=name)
    cursor.itersize = _FETCH
    return cursor


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


class DataVersion(NamedTuple):
    """What changes whenever the stored data of a dataflow changes: its accepted submissions
    (how many, the newest id, the newest time)."""

    submissions: int
    last_id: int | None
    last_at: datetime | None

    @property
    def tag(self) -> str:
        """The version as text (for ETags)."""
        return f"{self.submissions}:{self.last_id}"


def data_version(session: Session, dataflow_urn: str) -> DataVersion:
    """The ``DataVersion`` of a dataflow's stored data (one aggregate over its submissions)."""
    count, last_id, last_at = (
        session.connection()
        .execute(
            text(
                "SELECT COUNT(*), MAX(id), MAX(submitted_at) FROM submission "
                "WHERE dataflow_urn = :f AND status = 'accepted' AND duplicate_of IS NULL"
            ),
            {"f": dataflow_urn},
        )
        .one()
    )
    if isinstance(last_at, str):  # SQLite aggregates lose the column type
        last_at = datetime.fromisoformat(last_at)
    return DataVersion(int(count), last_id, aware(last_at))


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


def _positional_window(
    start: int | None, end: int | None, submissions: set[int] | None, mark: str
) -> tuple[str, list[Any]]:
    """``_window`` for a DB-API cursor: conditions with ``mark`` placeholders, their values."""
    conditions = ""
    values: list[Any] = []
    if start is not None:
        conditions += f" AND period_start >= {mark}"
        values.append(start)
    if end is not None:
        conditions += f" AND period_end <= {mark}"
        values.append(end)
    if submissions is not None:
        ids = sorted(submissions)
        conditions += f" AND submission_id IN ({', '.join([mark] * len(ids)) or 'NULL'})"
        values += ids
    return conditions, values


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


def _chunks(series_ids: Sequence[int]) -> Iterator[Sequence[int]]:
    """``series_ids`` in slices of ``_FIRST_CHUNKS`` sizes, then of ``_CHUNK``."""
    begin = 0
    for size in itertools.chain(_FIRST_CHUNKS, itertools.repeat(_CHUNK)):
        if begin >= len(series_ids):
            return
        yield series_ids[begin : begin + size]
        begin += size


def observations(
    session: Session,
    series_ids: Sequence[int],
    *,
    start: int | None = None,
    end: int | None = None,
    submissions: set[int] | None = None,
) -> Iterator[ObservationRow]:
    """Observations of ``series_ids`` (pass them sorted), by series id then period, as
    (series id, period, value, attributes) tuples (see the module docstring).

    ``start`` / ``end`` (epoch seconds, inclusive bounds of the query window) keep the
    observations whose whole period lies inside; ``submissions`` keeps those last written by
    one of these submissions.
    """
    if submissions is not None and not submissions:
        return
    sqlite = _is_sqlite(session)
    mark = "?" if sqlite else "%s"
    conditions, values = _positional_window(start, end, submissions, mark)
    decode = JsonCache().decode
    for chunk in _chunks(series_ids):
        statement = (
            "SELECT series_id, time_period, obs_value, attributes FROM observation "
            f"WHERE series_id IN ({', '.join([mark] * len(chunk))}){conditions} "
            "ORDER BY series_id, period_start, time_period"
        )
        # PostgreSQL: a server-side cursor, the rows come _FETCH at a time
        cursor = _cursor(session, f"registry_observations_{next(_CURSOR_NUMBERS)}")
        try:
            cursor.execute(statement, [*chunk, *values])
            while rows := cursor.fetchmany(_FETCH):
                for sid, period, value, attrs in rows:
                    yield sid, period, value, decode(attrs)
        finally:
            cursor.close()
