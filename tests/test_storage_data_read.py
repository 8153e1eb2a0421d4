"""Reading data back: series chosen by key in SQL, observations streamed, the size check.

Storage (SQLite and PostgreSQL): ``flow_series`` with a key selects exactly the series the
Python rule (``DataQuery.matches``) selects, whether by exact keys or by per-position patterns,
with codes holding characters special to LIKE or GLOB (``_``, ``%``, ``*``, ``\\``), codes
differing only by case, several ``+`` codes, empty positions, a key matching nothing and stored
keys of another length; ``observations`` streams every row in series and period order over
several chunks, inside a window and ``updatedAfter``, each distinct attributes text decoded
once. The response limit is answered from the series summaries when they suffice (no count
query), and counted exactly when a window could bring the answer under it. The labels of a
dataflow are built once per structure state and language order.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy
from sqlmodel import Session

from registry import data_labels, data_query
from registry.catalog import Catalog
from registry.data_query import answer_data_query
from registry.errors import ResponseTooLargeError
from registry.query.data import parse_data_query
from registry.storage import data_read
from registry.storage.db import make_engine
from tests.test_api_data import Store, store  # noqa: F401

URN = "urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=TEST:DF_KEYS(1.0)"
OTHER = "urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=TEST:DF_OTHER(1.0)"
#: Stored keys: unescaped, ``A_B`` would also match ``AxB``, ``C%D`` ``CzzD``, ``S*T`` ``SxT``;
#: SQLite's LIKE would match ``a`` for ``A``; one key has a fourth position.
KEYS = [
    "A_B.C%D.X",
    "AxB.C%D.X",
    "A_B.CzzD.X",
    "AxB.CzzD.Y",
    "S*T.E\\F.X",
    "SxT.EF.Y",
    "a.C%D.X",
    "A.C%D.X",
    "A.CzzD.Y",
    "A_B.C%D.X.EXTRA",
]
KEY_QUERIES: list[tuple[frozenset[str], ...]] = [
    (frozenset({"A_B"}), frozenset({"C%D"}), frozenset({"X"})),
    (frozenset({"A_B"}), frozenset(), frozenset()),
    (frozenset(), frozenset({"C%D"}), frozenset()),
    (frozenset(), frozenset(), frozenset({"Y"})),
    (frozenset({"A_B", "AxB", "A"}), frozenset(), frozenset({"X"})),
    (frozenset({"A_B", "a"}), frozenset({"C%D", "CzzD"}), frozenset({"X", "Y"})),
    (frozenset({"S*T"}), frozenset({"E\\F"}), frozenset()),
    (frozenset({"A"}), frozenset(), frozenset()),
    (frozenset(), frozenset(), frozenset()),
    (frozenset({"NONE"}), frozenset(), frozenset()),
    (frozenset({"A_B"}), frozenset({"C%D"}), frozenset({"X"}), frozenset({"EXTRA"})),
    (frozenset(), frozenset(), frozenset(), frozenset()),
    (frozenset({"A_B"}), frozenset()),
]
T0 = datetime(2024, 1, 1, tzinfo=UTC)


def _expected(key: tuple[frozenset[str], ...]) -> set[str]:
    found = set()
    for stored in KEYS:
        parts = stored.split(".")
        if len(parts) == len(key) and all(not c or p in c for c, p in zip(key, parts, strict=True)):
            found.add(stored)
    return found


@pytest.fixture
def keyed(database_url: str) -> Iterator[sqlalchemy.engine.Engine]:
    """The series of ``KEYS`` (ids 1…), each with observations 2020 and 2021 (2021 written by
    a later submission, with the attributes of one of two texts), and one series of another
    dataflow with the same key as the first."""
    engine = make_engine(database_url)
    with engine.begin() as conn:
        for sid in (1, 2):
            conn.execute(
                sqlalchemy.text(
                    "INSERT INTO submission (id, status, submitted_at, owner, size, sha256, "
                    "structures, counts, duration_ms, report) VALUES (:id, 'accepted', :t, "
                    "'test', 1, 'x', '{}', '{}', 0, '{}')"
                ),
                {"id": sid, "t": T0.replace(month=sid)},
            )
        rows = [(URN, key) for key in KEYS] + [(OTHER, KEYS[0])]
        for sid, (flow, key) in enumerate(rows, start=1):
            conn.execute(
                sqlalchemy.text(
                    "INSERT INTO series (id, dataflow_urn, series_key, dimensions, attributes, "
                    "provider, submission_id, observation_count, first_period_start, "
                    "last_period_end, last_observation_submission_id) VALUES (:id, :f, :k, "
                    '\'{"D": "v"}\', \'{"U": "PS"}\', \'TEST:BENCH\', 1, 2, 1577836800, '
                    "1640995200, 2)"
                ),
                {"id": sid, "f": flow, "k": key},
            )
            for period, start, end, by, attrs in (
                ("2021", 1609459200, 1640995200, 2, '{"S": "E"}' if sid % 2 else '{"S": "A"}'),
                ("2020", 1577836800, 1609459200, 1, None),
            ):
                conn.execute(
                    sqlalchemy.text(
                        "INSERT INTO observation (series_id, time_period, period_start, "
                        "period_end, obs_value, attributes, submission_id) "
                        "VALUES (:id, :p, :s, :e, :v, :a, :b)"
                    ),
                    {
                        "id": sid,
                        "p": period,
                        "s": start,
                        "e": end,
                        "v": f"{sid}",
                        "a": attrs,
                        "b": by,
                    },
                )
    yield engine
    engine.dispose()


@pytest.mark.parametrize("exact_keys", [1000, 0], ids=["exact-keys", "patterns"])
def test_flow_series_selects_by_key_in_sql(
    keyed: sqlalchemy.engine.Engine, exact_keys: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(data_read, "_EXACT_KEYS", exact_keys)
    with Session(keyed) as session:
        every = data_read.flow_series(session, URN)
        assert [s.series_key for s in every] == KEYS  # by id; the other dataflow's left out
        assert every[0].dimensions == {"D": "v"} and every[0].attributes == {"U": "PS"}
        assert every[0].observation_count == 2 and every[0].last_observation_submission_id == 2
        for key in KEY_QUERIES:
            found = data_read.flow_series(session, URN, key)
            assert {s.series_key for s in found} == _expected(key), key
            assert [s.id for s in found] == sorted(s.id for s in found)
        light = data_read.flow_series(session, URN, KEY_QUERIES[0], with_json=False)
        assert [(s.id, s.raw_dimensions) for s in light] == [(1, None)]
        assert data_read.series_json(session, [1, 5]) == {
            1: ('{"D": "v"}', '{"U": "PS"}'),
            5: ('{"D": "v"}', '{"U": "PS"}'),
        }


def test_key_condition_uses_exact_keys_or_one_pattern_per_code() -> None:
    small = (frozenset({"A_B", "AxB"}), frozenset({"C"}))
    condition, params = data_read.key_condition(small, sqlite=True)
    assert "IN" in condition and params == ["A_B.C", "AxB.C"]
    wide: tuple[frozenset[str], ...] = (frozenset(), frozenset({"C%D", "E"}), frozenset({"S*T"}))
    condition, params = data_read.key_condition(wide, sqlite=True)
    assert condition.count("GLOB") == 3 and params == ["*.*.S[*]T", "*.C%D.*", "*.E.*"]
    condition, params = data_read.key_condition(wide, sqlite=False)
    assert condition.count("LIKE") == 3 and params == ["%.%.S*T", "%.C\\%D.%", "%.E.%"]
    assert data_read.key_condition((frozenset(), frozenset()), sqlite=False) == ("", [])


def test_observations_stream_in_order_over_chunks(
    keyed: sqlalchemy.engine.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(data_read, "_FIRST_CHUNKS", (1, 2))
    monkeypatch.setattr(data_read, "_CHUNK", 3)
    monkeypatch.setattr(data_read, "_FETCH", 2)
    ids = list(range(1, len(KEYS) + 1))
    with Session(keyed) as session:
        rows = list(data_read.observations(session, ids))
        assert [(r[0], r[1], r[2]) for r in rows] == [
            (sid, period, str(sid)) for sid in ids for period in ("2020", "2021")
        ]
        assert rows[0][3] == {} and rows[1][3] == {"S": "E"} and rows[3][3] == {"S": "A"}
        assert rows[1][3] is rows[5][3]  # one decoded dict per distinct text
        window = list(data_read.observations(session, ids[:3], start=1609459200))
        assert [(r[0], r[1]) for r in window] == [(1, "2021"), (2, "2021"), (3, "2021")]
        later = list(data_read.observations(session, ids[:2], submissions={1}))
        assert [(r[0], r[1]) for r in later] == [(1, "2020"), (2, "2020")]
        assert list(data_read.observations(session, ids, submissions=set())) == []


def test_the_size_limit_is_answered_from_the_summaries(
    store: Store,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The grammar dataflow holds 44 observations in series of 12, 4, 4, 6 and 18."""
    counted: list[int] = []
    count = data_read.count_observations

    def counting(*args: Any, **kwargs: Any) -> int:
        counted.append(1)
        return count(*args, **kwargs)

    monkeypatch.setattr(data_query.data_read, "count_observations", counting)
    engine = make_engine(store.settings.database_url)

    def ask(key: str, params: dict[str, str], limit: int) -> None:
        query = parse_data_query("TEST,DF_GRAMMAR,1.0", key, None, params)
        with Session(engine) as session:
            answer_data_query(session, query, max_observations=limit)

    try:
        with pytest.raises(ResponseTooLargeError):
            ask("all", {}, 24)
        with pytest.raises(ResponseTooLargeError):
            ask("all", {"firstNObservations": "6"}, 24)
        ask("all", {}, 44)
        ask("all", {"lastNObservations": "1"}, 24)
        assert counted == []  # the summaries sufficed
        ask("all", {"startPeriod": "2021"}, 24)  # 44 at most, 12 in fact: counted
        assert counted == [1]
        with pytest.raises(ResponseTooLargeError):
            ask("all", {"startPeriod": "2000"}, 24)
        assert len(counted) == 2
    finally:
        engine.dispose()


def test_labels_are_kept_while_the_structures_are_unchanged(
    store: Store,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    engine = make_engine(store.settings.database_url)
    query = parse_data_query("TEST,DF_LFS,1.0", "all", None, {})
    try:
        with Session(engine) as session:
            context = data_query.resolve_dataflow(Catalog(session), query.flow)
            first = data_labels.code_labels(session, context, ("fr",))
            assert data_labels.code_labels(session, context, ("fr",)) is first
            english = data_labels.code_labels(session, context, ("en",))
            assert english is not first and english.components == first.components
            assert data_labels.code_labels(session, context, ("fr",)) is first
            marker = Catalog(session).structure_marker()
            monkeypatch.setattr(Catalog, "structure_marker", lambda self: f"{marker}+1")
            changed = data_labels.code_labels(session, context, ("fr",))
            assert changed is not first and changed.components == first.components
            monkeypatch.setattr(Catalog, "structure_marker", lambda self: None)
            uncached = data_labels.code_labels(session, context, ("fr",))
            assert uncached is not data_labels.code_labels(session, context, ("fr",))
    finally:
        engine.dispose()
