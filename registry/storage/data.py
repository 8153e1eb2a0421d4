"""SQL for data: stage one submission's observations, find duplicates, merge them into the store.

A ``DataWriter`` works inside the caller's open transaction for one submission of one dataflow.
Series are resolved (and created) in batches by key. Observations of a series created by this
submission, in its first run of rows of the first (Append) dataset, go straight into
``observation`` (``write``: nothing stored can conflict with them; SQLite takes each batch as one
JSON array, parsed and inserted without the GIL, PostgreSQL ``COPY``), with the series' summary;
every other observation goes, in batches of plain tuples, into a per-transaction temporary staging
table (SQLite: ``INSERT OR IGNORE`` into a ``WITHOUT ROWID`` table keyed by dataset, series and
period, a batch with fewer inserts than rows holding the duplicates; PostgreSQL: ``COPY``,
duplicates found by one ``GROUP BY`` at the end; staged rows repeating a row written straight are
found at the end too). ``merge`` then
applies each dataset in order with its SDMX action, set-wise in SQL: Append (and Information)
inserts or overwrites observations; Replace first removes every stored observation of each series
it sends (SDMX 3.0 series-level replacement) then inserts; Delete removes the observations it
names, or whole series when it sends a series without observations; last, the observation
summary of every touched series (count, first and last period, last writer) is recomputed in one
UPDATE, so availability queries need not scan observations. Before a stored observation is
overwritten or deleted, one INSERT ... SELECT per step copies its value, with the submission that
wrote it and this one, into ``observation_revision`` (the history ``includeHistory`` answers
from). Nothing here commits: the
caller commits only a clean submission and rolls everything back otherwise, so the store never
holds half a file. Submissions to one dataflow are serialised (SQLite has a single writer;
PostgreSQL takes a transaction-scoped advisory lock on the dataflow URN). ``observation_views``
reads a dataflow's data back (tests, and the reference for dissemination).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import text
from sqlmodel import Session

from registry.storage.data_read import decode_json as _json

_CHUNK = 500  # keys per IN (...) list, well under every backend's parameter limit
_STAGE = "stage_obs"
_FRESH = "fresh_series"  # series created by this submission whose first rows went straight in
#: The only dataset of a message whose rows ``write`` takes straight (its index, 0-based).
STRAIGHT_DATASET = 0
_DIRECT_COLUMNS = (
    "series_id, time_period, period_start, period_end, obs_value, attributes, submission_id"
)
_COLUMNS = (
    "dataset, series_id, time_period, period_start, period_end, obs_value, attributes, location"
)
_SQLITE_DIRECT_INSERT = (
    f"INSERT INTO observation ({_DIRECT_COLUMNS}) SELECT "
    + ", ".join(f"json_extract(value, '$[{i}]')" for i in range(7))
    + " FROM json_each(?)"
)
_SQLITE_STAGE_INSERT = (
    f"INSERT OR IGNORE INTO {_STAGE} ({_COLUMNS}) SELECT "
    + ", ".join(f"json_extract(value, '$[{i}]')" for i in range(8))
    + " FROM json_each(?)"
)
_WHOLE_SERIES = ""  # time_period of a staged Delete row that removes the whole series


class PreparedRows(NamedTuple):
    """A batch of straight rows as ``DataWriter.write`` takes them (see ``DataWriter.prepare``)."""

    size: int
    rows: Any  # SQLite: the JSON text of the rows; PostgreSQL: the row tuples


class StagedRow(NamedTuple):
    """One observation (or, with ``time_period == ""`` in a Delete dataset, one whole series)."""

    dataset: int
    series_id: int
    time_period: str
    period_start: int | None
    period_end: int | None
    obs_value: str | None
    attributes: str | None  # JSON text of observation-level attribute values, or None
    location: int  # row (SDMX-CSV) or line (SDMX-ML) in the submitted file


@dataclass(frozen=True)
class Duplicate:
    """An observation sent again in the same dataset: where, and the first one's content."""

    series_id: int
    series_key: str
    time_period: str
    location: int
    obs_value: str | None
    attributes: str | None
    first_location: int
    first_value: str | None
    first_attributes: str | None

    @property
    def identical(self) -> bool:
        return (self.obs_value, self.attributes) == (self.first_value, self.first_attributes)


@dataclass(frozen=True)
class SeriesInfo:
    """A stored series as the writer knows it: its id and the provider that owns it."""

    id: int
    provider: str | None


@dataclass
class MergeCounts:
    """What a merge did: observations added, replaced (overwritten with a new value or new
    attributes), sent again unchanged, and deleted."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0  # stored observations sent again with the same value and attributes
    deleted: int = 0


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _marks(n: int) -> str:
    return ", ".join("?" * n)


class DataWriter:
    """Writes one submission's data into the caller's transaction (see the module docstring)."""

    def __init__(
        self, session: Session, *, dataflow_urn: str, provider: str | None, submission_id: int
    ) -> None:
        self.session = session
        self.dataflow_urn = dataflow_urn
        self.provider = provider
        self.submission_id = submission_id
        connection = session.connection()
        self._dbapi: Any = connection.connection.driver_connection
        self.sqlite = connection.dialect.name == "sqlite"
        self._actions: dict[int, str] = {}
        self._repeats = False  # PostgreSQL: whether the staged rows hold repeated observations
        self.direct_added = 0  # observations written straight into ``observation`` (``write``)
        if not self.sqlite:  # one writer per dataflow at a time (SQLite has one writer anyway)
            self._execute("SELECT pg_advisory_xact_lock(hashtext(?))", [dataflow_urn]).close()
        self._create_stage()

    # -- low level ----------------------------------------------------------------------------

    def _sql(self, statement: str) -> str:
        """Statements are written with ``?`` marks; psycopg wants ``%s``."""
        return statement if self.sqlite else statement.replace("?", "%s")

    def _execute(self, statement: str, params: Sequence[Any] = ()) -> Any:
        cursor = self._dbapi.cursor()
        cursor.execute(self._sql(statement), params)
        return cursor

    def _executemany(self, statement: str, rows: Iterable[Sequence[Any]]) -> None:
        cursor = self._dbapi.cursor()
        cursor.executemany(self._sql(statement), rows)
        cursor.close()

    def _create_stage(self) -> None:
        columns = (
            "dataset INTEGER NOT NULL, series_id INTEGER NOT NULL, time_period TEXT NOT NULL, "
            "period_start BIGINT, period_end BIGINT, obs_value TEXT, attributes TEXT, "
            "location BIGINT NOT NULL"
        )
        fresh_columns = (  # one row per series written straight: its observation summary
            "series_id BIGINT PRIMARY KEY, n BIGINT NOT NULL, first_start BIGINT, last_end BIGINT"
        )
        if self.sqlite:
            self._execute(f"DROP TABLE IF EXISTS temp.{_STAGE}")
            self._execute(
                f"CREATE TEMP TABLE {_STAGE} ({columns}, "
                "PRIMARY KEY (dataset, series_id, time_period)) WITHOUT ROWID"
            )
            self._execute(f"DROP TABLE IF EXISTS temp.{_FRESH}")
            self._execute(f"CREATE TEMP TABLE {_FRESH} ({fresh_columns})")
        else:
            self._execute(f"DROP TABLE IF EXISTS {_STAGE}")
            self._execute(f"CREATE TEMP TABLE {_STAGE} ({columns}) ON COMMIT DROP")
            self._execute(f"DROP TABLE IF EXISTS {_FRESH}")
            self._execute(f"CREATE TEMP TABLE {_FRESH} ({fresh_columns}) ON COMMIT DROP")

    def close(self) -> None:
        """Drop the staging tables (before the caller commits)."""
        for table in (_STAGE, _FRESH):
            self._execute(f"DROP TABLE IF EXISTS {'temp.' if self.sqlite else ''}{table}")

    # -- series -------------------------------------------------------------------------------

    def find_series(self, keys: Sequence[str]) -> dict[str, SeriesInfo]:
        """The stored series among ``keys`` (series keys of this dataflow)."""
        found: dict[str, SeriesInfo] = {}
        if not self.sqlite:
            # One index probe per key, whatever the statistics say: while a submission creates
            # series they are stale, and a join would scan every series of the dataflow per
            # batch (the LIMIT keeps the planner from flattening the lateral subquery).
            cursor = self._execute(
                "SELECT k.series_key, s.id, s.provider FROM unnest(?::text[]) AS k(series_key) "
                "CROSS JOIN LATERAL (SELECT id, provider FROM series WHERE dataflow_urn = ? "
                "AND series_key = k.series_key LIMIT 1) s",
                [list(keys), self.dataflow_urn],
            )
            found = {key: SeriesInfo(sid, provider) for key, sid, provider in cursor.fetchall()}
            cursor.close()
            return found
        for chunk in _chunks(keys):
            cursor = self._execute(
                f"SELECT series_key, id, provider FROM series "
                f"WHERE dataflow_urn = ? AND series_key IN ({_marks(len(chunk))})",
                [self.dataflow_urn, *chunk],
            )
            for key, sid, provider in cursor.fetchall():
                found[key] = SeriesInfo(sid, provider)
            cursor.close()
        return found

    def create_series(self, series: Mapping[str, Mapping[str, str]]) -> dict[str, SeriesInfo]:
        """Create series (key → dimension values) that do not exist yet; return them all."""
        if not self.sqlite:  # one statement, and the ids come back with it
            cursor = self._execute(
                "INSERT INTO series (dataflow_urn, series_key, dimensions, attributes, provider, "
                "submission_id) SELECT ?, k, d::json, '{}', ?, ? "
                "FROM unnest(?::text[], ?::text[]) AS v(k, d) RETURNING series_key, id",
                [
                    self.dataflow_urn,
                    self.provider,
                    self.submission_id,
                    list(series),
                    [json.dumps(dims) for dims in series.values()],
                ],
            )
            created = {key: SeriesInfo(sid, self.provider) for key, sid in cursor.fetchall()}
            cursor.close()
            return created
        rows = [
            (self.dataflow_urn, key, json.dumps(dims), "{}", self.provider, self.submission_id)
            for key, dims in series.items()
        ]
        self._executemany(
            "INSERT INTO series (dataflow_urn, series_key, dimensions, attributes, provider, "
            "submission_id) VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )
        return self.find_series(list(series))

    def matching_series(self, partial: Mapping[str, str]) -> list[tuple[int, str]]:
        """(id, key) of the stored series whose dimensions match every value in ``partial``."""
        cursor = self._execute(
            "SELECT id, series_key, dimensions FROM series WHERE dataflow_urn = ?",
            [self.dataflow_urn],
        )
        out = []
        for sid, key, dims in cursor:
            values = json.loads(dims) if isinstance(dims, str) else dims
            if all(values.get(k) == v for k, v in partial.items()):
                out.append((sid, key))
        cursor.close()
        return out

    def series_attributes(self, values: Mapping[int, Mapping[str, str]], *, replace: bool) -> None:
        """Record series-level attribute values: merged into the stored ones, or replacing them."""
        ids = sorted(values)
        updates = []
        for chunk in _chunks(ids):
            cursor = self._execute(
                f"SELECT id, attributes FROM series WHERE id IN ({_marks(len(chunk))})", chunk
            )
            for sid, stored in cursor.fetchall():
                current = json.loads(stored) if isinstance(stored, str) else dict(stored or {})
                new = dict(values[sid]) if replace else {**current, **values[sid]}
                if new != current:
                    updates.append((json.dumps(new), self.submission_id, sid))
            cursor.close()
        if updates:  # psycopg pipelines executemany: one round trip, one index probe per row
            self._executemany(
                "UPDATE series SET attributes = ?, submission_id = ? WHERE id = ?", updates
            )

    # -- dataset and group attributes ---------------------------------------------------------

    def dataset_attributes(self, values: Mapping[str, str]) -> None:
        """Set dataset-level attribute values of the dataflow (each replaces the stored one)."""
        self._executemany(
            "INSERT INTO dataset_attribute (dataflow_urn, component, value, submission_id) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (dataflow_urn, component) DO UPDATE SET "
            "value = excluded.value, submission_id = excluded.submission_id",
            [(self.dataflow_urn, k, v, self.submission_id) for k, v in values.items()],
        )

    def group_attributes(
        self, group_id: str, key: str, dimensions: Mapping[str, str], values: Mapping[str, str]
    ) -> None:
        """Set the attribute values of one group (partial key) of the dataflow, merged."""
        cursor = self._execute(
            "SELECT attributes FROM group_attribute "
            "WHERE dataflow_urn = ? AND group_id = ? AND group_key = ?",
            [self.dataflow_urn, group_id, key],
        )
        row = cursor.fetchone()
        cursor.close()
        stored = {} if row is None else (json.loads(row[0]) if isinstance(row[0], str) else row[0])
        merged = json.dumps({**stored, **values})
        self._execute(
            "INSERT INTO group_attribute (dataflow_urn, group_id, group_key, dimensions, "
            "attributes, submission_id) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (dataflow_urn, group_id, group_key) DO UPDATE SET "
            "attributes = excluded.attributes, submission_id = excluded.submission_id",
            [
                self.dataflow_urn,
                group_id,
                key,
                json.dumps(dict(dimensions)),
                merged,
                self.submission_id,
            ],
        ).close()

    # -- observations -------------------------------------------------------------------------

    def begin_dataset(self, index: int, action: str) -> None:
        self._actions[index] = action

    def prepare(self, direct: Sequence[tuple[Any, ...]]) -> PreparedRows:
        """Straight rows (``_DIRECT_COLUMNS`` order) as ``write`` takes them, made in the
        caller's thread: on SQLite one JSON text (the caller holds the GIL anyway; the writing
        thread then needs it only to start and end its statement)."""
        return PreparedRows(len(direct), json.dumps(direct) if self.sqlite and direct else direct)

    def write(
        self,
        direct: PreparedRows,
        fresh: Sequence[tuple[int, int, int, int]],
        staged: Sequence[StagedRow] | Sequence[tuple[Any, ...]],
    ) -> list[Duplicate]:
        """Write a batch: ``direct`` rows straight into ``observation``, ``staged`` rows to stage.

        ``direct`` rows (from ``prepare``) are observations of series this submission created
        in its first dataset (Append or Information), sent in the series' first run of rows and
        without a repeated period (the caller checks): nothing stored can conflict with them,
        so no staging and no merge are needed. ``fresh`` gives, for each such series whose run
        of rows has ended, its observation count, first period start and last period end (its
        summary, unless later rows of the series were staged). Conflicts with later rows of the
        same series are found by ``duplicates``. Returns the staged batch's duplicates on
        SQLite (see ``stage``).
        """
        if direct.size:
            self.direct_added += direct.size
            if self.sqlite:
                # One statement per batch, its rows as one JSON array: SQLite parses and inserts
                # them without holding the GIL (``executemany`` takes it back for every row,
                # and waits for the reading thread each time), so reading and writing overlap.
                self._execute(_SQLITE_DIRECT_INSERT, [direct.rows]).close()
            else:
                cursor = self._dbapi.cursor()
                with cursor.copy(f"COPY observation ({_DIRECT_COLUMNS}) FROM STDIN") as copy:
                    for row in direct.rows:
                        copy.write_row(row)
                cursor.close()
        if fresh:
            self._executemany(
                f"INSERT INTO {_FRESH} (series_id, n, first_start, last_end) VALUES (?, ?, ?, ?)",
                fresh,
            )
        return self.stage(staged)

    def stage(self, rows: Sequence[StagedRow] | Sequence[tuple[Any, ...]]) -> list[Duplicate]:
        """Stage a batch; on SQLite, return its duplicates (PostgreSQL: see ``duplicates``)."""
        if not rows:
            return []
        if not self.sqlite:
            cursor = self._dbapi.cursor()
            with cursor.copy(f"COPY {_STAGE} ({_COLUMNS}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.close()
            return []
        before = self._dbapi.total_changes
        self._execute(_SQLITE_STAGE_INSERT, [json.dumps(rows)]).close()  # see ``write``
        if self._dbapi.total_changes - before == len(rows):
            return []
        return self._sqlite_duplicates(rows)

    def _sqlite_duplicates(self, batch: Sequence[Sequence[Any]]) -> list[Duplicate]:
        found = []
        for row in map(StagedRow._make, batch):
            cursor = self._execute(
                f"SELECT location, obs_value, attributes FROM {_STAGE} "
                "WHERE dataset = ? AND series_id = ? AND time_period = ?",
                [row.dataset, row.series_id, row.time_period],
            )
            first = cursor.fetchone()
            cursor.close()
            if first is not None and first[0] != row.location:
                found.append((row, first))
        keys = self._keys([row.series_id for row, _ in found])
        return [
            Duplicate(
                row.series_id,
                keys.get(row.series_id, ""),
                row.time_period,
                row.location,
                row.obs_value,
                row.attributes,
                first[0],
                first[1],
                first[2],
            )
            for row, first in found
        ]

    def _keys(self, ids: Iterable[int]) -> dict[int, str]:
        unique = sorted(set(ids))
        keys: dict[int, str] = {}
        for chunk in _chunks(unique):
            cursor = self._execute(
                f"SELECT id, series_key FROM series WHERE id IN ({_marks(len(chunk))})", chunk
            )
            keys.update(cursor.fetchall())
            cursor.close()
        return keys

    def duplicates(self) -> Iterator[Duplicate]:
        """Duplicates known only at the end, streamed: staged rows of the first dataset that
        repeat a row written straight into ``observation`` (both backends; they are then taken
        out of the staging table, the first row winning), and on PostgreSQL every staged
        duplicate (on SQLite ``stage`` returned them)."""
        yield from self._fresh_duplicates()
        if self.sqlite:
            return
        cursor = self._dbapi.cursor(name="stage_duplicates")  # server-side: memory stays flat
        cursor.execute(
            f"SELECT s.dataset, s.series_id, s.time_period, s.location, s.obs_value, "
            f"s.attributes, r.series_key FROM {_STAGE} s JOIN (SELECT dataset, series_id, "
            f"time_period FROM {_STAGE} GROUP BY dataset, series_id, time_period "
            "HAVING COUNT(*) > 1) d USING (dataset, series_id, time_period) "
            "JOIN series r ON r.id = s.series_id "
            "ORDER BY s.dataset, s.series_id, s.time_period, s.location"
        )
        first: tuple[Any, ...] | None = None
        for row in cursor:
            if first is None or first[:3] != row[:3]:
                first = row
                continue
            self._repeats = True
            yield Duplicate(
                row[1], row[6], row[2], row[3], row[4], row[5], first[3], first[4], first[5]
            )
        cursor.close()

    def _fresh_duplicates(self) -> Iterator[Duplicate]:
        if not self.direct_added:
            return
        clash = (
            f"FROM {_STAGE} s JOIN {_FRESH} f ON f.series_id = s.series_id "
            "JOIN observation o ON o.series_id = s.series_id AND o.time_period = s.time_period "
        )
        # PostgreSQL: a server-side cursor, so that memory stays flat whatever the repeats
        cursor = self._dbapi.cursor() if self.sqlite else self._dbapi.cursor(name="fresh_repeats")
        cursor.execute(
            "SELECT s.series_id, r.series_key, s.time_period, s.location, s.obs_value, "
            f"s.attributes, o.obs_value, o.attributes {clash}"
            f"JOIN series r ON r.id = s.series_id WHERE s.dataset = {STRAIGHT_DATASET} "
            "ORDER BY s.location"
        )
        found = 0
        for sid, key, period, location, value, attrs, first_value, first_attrs in cursor:
            found += 1
            yield Duplicate(sid, key, period, location, value, attrs, 0, first_value, first_attrs)
        cursor.close()
        if found:  # the first row wins: the repeats are not merged
            self._execute(
                f"DELETE FROM {_STAGE} WHERE dataset = {STRAIGHT_DATASET} AND "
                f"(series_id, time_period) IN (SELECT s.series_id, s.time_period {clash}"
                f"WHERE s.dataset = {STRAIGHT_DATASET})"
            ).close()

    def merge(self) -> MergeCounts:
        """Apply every staged dataset, in order, with its action (see the module docstring)."""
        counts = MergeCounts(added=self.direct_added)
        if not self.sqlite:  # the planner must know the staged volume; sorts stay in memory
            self._execute(f"ANALYZE {_STAGE}").close()
            self._execute("SET LOCAL work_mem = '64MB'").close()
        for index, action in sorted(self._actions.items()):
            if action == "Delete":
                counts.deleted += self._delete(index)
            else:
                self._write(index, replace=action == "Replace", counts=counts)
        self._summarise()
        return counts

    def _summarise(self) -> None:
        """Recompute the observation summary of every series this submission touched.

        A series written straight (``write``) and never staged takes the summary its run of
        rows gave; every staged series gets one set-wise UPDATE from an aggregate over its
        observations. A series left without observations keeps its row (it may still carry
        attributes) with a count of 0. Series removed whole by a Delete have no row left.
        """
        if self.direct_added:
            self._execute(
                "UPDATE series SET observation_count = f.n, first_period_start = f.first_start, "
                "last_period_end = f.last_end, last_observation_submission_id = ? "
                f"FROM {_FRESH} f WHERE series.id = f.series_id AND NOT EXISTS "
                f"(SELECT 1 FROM {_STAGE} s WHERE s.series_id = f.series_id)",
                [self.submission_id],
            ).close()
        self._execute(
            "UPDATE series SET observation_count = a.n, first_period_start = a.first_start, "
            "last_period_end = a.last_end, last_observation_submission_id = a.last_submission "
            "FROM (SELECT t.series_id, COUNT(o.series_id) AS n, "
            "MIN(o.period_start) AS first_start, MAX(o.period_end) AS last_end, "
            "MAX(o.submission_id) AS last_submission "
            f"FROM (SELECT DISTINCT series_id FROM {_STAGE}) t "
            "LEFT JOIN observation o ON o.series_id = t.series_id GROUP BY t.series_id) a "
            "WHERE series.id = a.series_id"
        ).close()

    def _count(self, statement: str, params: Sequence[Any]) -> int:
        cursor = self._execute(statement, params)
        value = cursor.fetchone()[0]
        cursor.close()
        return int(value or 0)

    def _differs(self, left: str, right: str) -> str:
        """SQL: the two values differ, NULL being a value (SQLite ``IS NOT``, standard SQL
        ``IS DISTINCT FROM``)."""
        return f"{left} IS {'NOT' if self.sqlite else 'DISTINCT FROM'} {right}"

    def _write(self, index: int, *, replace: bool, counts: MergeCounts) -> None:
        """Apply an Append (or Replace) dataset: new observations are added, stored ones whose
        value or attributes differ are overwritten (their old content kept as history), and
        stored ones sent again unchanged are left as they are: neither rewritten nor kept as a
        revision, and not updated for ``updatedAfter``. Replace then removes the stored
        observations of its series it did not send."""
        columns = "series_id, time_period, period_start, period_end, obs_value, attributes"
        if not self._repeats:  # SQLite's staging key is unique; PostgreSQL's COPY may repeat
            rows = f"SELECT {columns}, location FROM {_STAGE} WHERE dataset = ?"
        else:  # the first one (lowest location) wins, as on SQLite
            rows = (
                f"SELECT DISTINCT ON (series_id, time_period) {columns}, location FROM {_STAGE} "
                "WHERE dataset = ? ORDER BY series_id, time_period, location"
            )
        matched = (
            f"FROM ({rows}) s JOIN observation o "
            "ON o.series_id = s.series_id AND o.time_period = s.time_period"
        )
        differ = (
            f"({self._differs('o.obs_value', 's.obs_value')} "
            f"OR {self._differs('o.attributes', 's.attributes')})"
        )
        existing = self._count(f"SELECT COUNT(*) {matched}", [index])
        changed = (
            self._count(f"SELECT COUNT(*) {matched} WHERE {differ}", [index]) if existing else 0
        )
        staged = self._count(f"SELECT COUNT(*) FROM ({rows}) s", [index])
        counts.replaced += changed
        counts.unchanged += existing - changed
        counts.added += staged - existing
        if changed:  # history: the values about to be overwritten (none on a first submission)
            self._keep(f"{matched} WHERE {differ}", [index], deleted=False)
        if replace:
            in_series = f"SELECT DISTINCT series_id FROM {_STAGE} WHERE dataset = ?"
            before = self._count(
                f"SELECT COUNT(*) FROM observation WHERE series_id IN ({in_series})", [index]
            )
            counts.deleted += before - existing
            if before > existing:  # what the series-level replacement removes
                not_sent = (
                    f"AND NOT EXISTS (SELECT 1 FROM {_STAGE} n WHERE n.dataset = ? "
                    "AND n.series_id = o.series_id AND n.time_period = o.time_period)"
                )
                self._keep(  # history first
                    f"FROM observation o WHERE o.series_id IN ({in_series}) {not_sent}",
                    [index, index],
                    deleted=True,
                )
                self._execute(
                    f"DELETE FROM observation WHERE (series_id, time_period) IN (SELECT "
                    f"o.series_id, o.time_period FROM observation o "
                    f"WHERE o.series_id IN ({in_series}) {not_sent})",
                    [index, index],
                ).close()
        order = " ORDER BY series_id, time_period" if self.sqlite and not self._repeats else ""
        self._execute(
            f"INSERT INTO observation ({columns}, submission_id) SELECT {columns}, ? "
            f"FROM ({rows}) s WHERE true{order} "
            "ON CONFLICT (series_id, time_period) DO UPDATE SET "
            "period_start = excluded.period_start, period_end = excluded.period_end, "
            "obs_value = excluded.obs_value, attributes = excluded.attributes, "
            "submission_id = excluded.submission_id "
            f"WHERE {self._differs('observation.obs_value', 'excluded.obs_value')} "
            f"OR {self._differs('observation.attributes', 'excluded.attributes')}",
            [self.submission_id, index],
        ).close()

    def _delete(self, index: int) -> int:
        distinct = "DISTINCT " if self._repeats else ""
        named = (
            f"SELECT {distinct}series_id, time_period FROM {_STAGE} WHERE dataset = ? "
            "AND time_period <> ?"
        )
        whole = f"SELECT series_id FROM {_STAGE} WHERE dataset = ? AND time_period = ?"
        self._keep(  # history: the values about to be deleted
            f"FROM ({named}) s JOIN observation o "
            "ON o.series_id = s.series_id AND o.time_period = s.time_period",
            [index, _WHOLE_SERIES],
            deleted=True,
        )
        self._keep(
            f"FROM observation o WHERE o.series_id IN ({whole})",
            [index, _WHOLE_SERIES],
            deleted=True,
        )
        cursor = self._execute(
            "DELETE FROM observation WHERE (series_id, time_period) IN "
            f"(SELECT series_id, time_period FROM {_STAGE} WHERE dataset = ? "
            "AND time_period <> ?)",
            [index, _WHOLE_SERIES],
        )
        deleted = int(cursor.rowcount or 0)
        cursor.close()
        cursor = self._execute(
            f"DELETE FROM observation WHERE series_id IN ({whole})", [index, _WHOLE_SERIES]
        )
        deleted += int(cursor.rowcount or 0)
        cursor.close()
        self._execute(f"DELETE FROM series WHERE id IN ({whole})", [index, _WHOLE_SERIES]).close()
        return deleted

    def _keep(self, source: str, params: Sequence[Any], *, deleted: bool) -> None:
        """History: copy into ``observation_revision`` the stored observations ``o`` that
        ``source`` (a ``FROM`` clause naming them ``o``) selects, superseded by this submission.

        One INSERT ... SELECT (it finds nothing on a first submission). Values this submission
        wrote itself (in an earlier dataset of the same message) are not kept: they were never
        in effect. When such a value is deleted, the earlier value it had overwritten, already
        kept, is marked deleted instead of overwritten (what the submission did in the end).
        """
        observations = f"SELECT o.* {source}"
        self._execute(
            "INSERT INTO observation_revision (dataflow_urn, series_id, series_key, provider, "
            "time_period, period_start, period_end, obs_value, attributes, submission_id, "
            "superseded_by, deleted) SELECT r.dataflow_urn, o.series_id, r.series_key, "
            "r.provider, o.time_period, o.period_start, o.period_end, o.obs_value, "
            f"o.attributes, o.submission_id, ?, {'TRUE' if deleted else 'FALSE'} "
            f"FROM ({observations}) o JOIN series r ON r.id = o.series_id "
            "WHERE o.submission_id <> ?",
            [self.submission_id, *params, self.submission_id],
        ).close()
        if deleted and len(self._actions) > 1:
            self._execute(
                "UPDATE observation_revision SET deleted = TRUE WHERE superseded_by = ? "
                "AND deleted = FALSE AND (series_id, time_period) IN (SELECT o.series_id, "
                f"o.time_period FROM ({observations}) o WHERE o.submission_id = ?)",
                [self.submission_id, *params, self.submission_id],
            ).close()

    def series_count(self) -> int:
        """Distinct series written by this submission (staged in any non-Delete dataset)."""
        deletes = [i for i, a in self._actions.items() if a == "Delete"]
        where = f" WHERE dataset NOT IN ({_marks(len(deletes))})" if deletes else ""
        return self._count(
            f"SELECT COUNT(*) FROM (SELECT series_id FROM {_STAGE}{where} "
            f"UNION SELECT series_id FROM {_FRESH}) t",
            deletes,
        )


class ObservationView(NamedTuple):
    """A stored observation with every attribute that applies to it, all levels merged."""

    series_key: str
    dimensions: dict[str, str]
    time_period: str
    value: str | None
    attributes: dict[str, str]


def observation_views(session: Session, dataflow_urn: str) -> Iterator[ObservationView]:
    """Every stored observation of a dataflow, by series key and period (tests, reference reads).

    Attributes merge the dataset level, the groups whose key the series matches, the series
    and the observation, the most specific level winning.
    """
    conn = session.connection()
    dataset = {
        component: value
        for component, value in conn.execute(
            text("SELECT component, value FROM dataset_attribute WHERE dataflow_urn = :f"),
            {"f": dataflow_urn},
        )
    }
    groups = [
        (_json(dims), _json(attrs))
        for dims, attrs in conn.execute(
            text("SELECT dimensions, attributes FROM group_attribute WHERE dataflow_urn = :f"),
            {"f": dataflow_urn},
        )
    ]
    rows = conn.execute(
        text(
            "SELECT s.series_key, s.dimensions, s.attributes, o.time_period, o.obs_value, "
            "o.attributes FROM series s JOIN observation o ON o.series_id = s.id "
            "WHERE s.dataflow_urn = :f ORDER BY s.series_key, o.time_period"
        ),
        {"f": dataflow_urn},
    )
    for key, dims_json, series_attrs, period, value, obs_attrs in rows:
        dims = _json(dims_json)
        merged = dict(dataset)
        for group_dims, group_attrs in groups:
            if all(dims.get(k) == v for k, v in group_dims.items()):
                merged.update(group_attrs)
        merged.update(_json(series_attrs))
        merged.update(_json(obs_attrs))
        yield ObservationView(key, dims, period, value, merged)
