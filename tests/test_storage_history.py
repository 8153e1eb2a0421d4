"""Revisions kept by the store, and messages of several datasets written by every data writer.

Storage (SQLite and PostgreSQL): a first submission keeps no revision, nor does an identical
resubmission (a duplicate), but an Append of the same values does (a new dissemination); a message whose first dataset overwrites a value and whose second deletes it keeps
the value in effect before the message as deleted by it (the value of the first dataset was
never in effect), and ``history_rows`` reads that back with a period window. Writers: given
(dataset, series) pairs, the SDMX-ML writers write one ``DataSet`` per pair with its action and
``validFromDate`` / ``validToDate`` (schema-valid, no header ``DataSetAction``), SDMX-JSON one
``dataSets`` member each with ``validFrom`` / ``validTo`` (schema-valid), all streaming (no series
of a dataset read before the previous dataset is written, the header before any); SDMX-CSV
refuses a version or a second dataset; a sequence of another dataflow or of nothing is refused.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sdmx
import sqlalchemy
from lxml import etree

from registry.io.data_events import StructureRef
from registry.io.data_out import DataSetOut, ObsOut, SeriesOut
from registry.io.sdmxcsv_out import write_data_csv
from registry.io.sdmxjson_data import write_data_json
from registry.io.sdmxml_data_out import write_generic_data
from registry.storage import data_history
from registry.storage.db import session_scope
from tests.test_io_data_out import (
    HEADER,
    SERIES,
    TIME,
    XML_WRITERS,
    _Counting,
    _dataset,
    _dsd,
    _json_errors,
    _rules,
    _ss_schema,
    _xsd_errors,
)
from tests.test_submission import BENCH, K1, LFS, _csv, _row, _submit, _values, lfs  # noqa: F401

MES = "{http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message}"
SS = "{http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific}"
T1 = datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=UTC)
T2 = datetime(2024, 2, 3, 4, 5, 6, tzinfo=UTC)


def _revisions(engine: sqlalchemy.engine.Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        rows = conn.execute(
            sqlalchemy.text(
                "SELECT series_key, time_period, obs_value, submission_id, superseded_by, "
                "deleted FROM observation_revision ORDER BY id"
            )
        )
        return [(*r[:5], bool(r[5])) for r in rows]


# ── storage ─────────────────────────────────────────────────────────────────────────────────────


def test_a_first_submission_and_an_identical_file_keep_no_revision(
    lfs: sqlalchemy.engine.Engine,  # noqa: F811
    tmp_path: Path,
) -> None:
    rows = [_row(K1, f"{2000 + i // 4}-Q{i % 4 + 1}", str(i)) for i in range(40)]
    path = _csv(tmp_path / "a.csv", rows)
    first = _submit(lfs, path, provider=BENCH)
    assert first.status == "accepted"
    assert _revisions(lfs) == []
    again = _submit(lfs, path, provider=BENCH)
    assert again.status == "accepted" and again.duplicate_of == first.id
    assert _revisions(lfs) == []
    # The same values sent again (other bytes: an explicit Append) change nothing: no value is
    # overwritten, so nothing is kept and the observations stay those of the first submission.
    resent = _submit(lfs, path, provider=BENCH, action="Append")
    assert resent.status == "accepted" and resent.duplicate_of is None
    assert (resent.counts["unchanged"], resent.counts["replaced"]) == (40, 0)
    assert _revisions(lfs) == []
    with lfs.connect() as conn:
        writers = conn.execute(sqlalchemy.text("SELECT DISTINCT submission_id FROM observation"))
        assert [w for (w,) in writers] == [first.id]
    # One value changed: only it is kept, as overwritten by the new submission.
    rows[7] = _row(K1, "2001-Q4", "70")
    changed = _submit(lfs, _csv(tmp_path / "b.csv", rows), provider=BENCH, action="Replace")
    assert (changed.counts["unchanged"], changed.counts["replaced"]) == (39, 1)
    assert changed.counts["deleted"] == changed.counts["added"] == 0
    assert [r[1:] for r in _revisions(lfs)] == [("2001-Q4", "7", first.id, changed.id, False)]


def _two_datasets(*datasets: tuple[str, list[ObsOut]]) -> bytes:
    """A generic data message of DF_LFS with one dataset per (action, observations of K1)."""
    key = dict(zip(_rules().dimension_ids, K1.split("."), strict=True))
    pairs = [
        (
            _dataset(action=action),
            [SeriesOut(key, {"UNIT_MEASURE": "PS", "UNIT_MULT": "3"}, observations)],
        )
        for action, observations in datasets
    ]
    return b"".join(write_generic_data(pairs, header=HEADER))


def test_a_value_overwritten_then_deleted_by_one_message_is_kept_as_deleted(
    lfs: sqlalchemy.engine.Engine,  # noqa: F811
    tmp_path: Path,
) -> None:
    first = _csv(tmp_path / "a.csv", [_row(K1, "2020-Q1", "1"), _row(K1, "2020-Q2", "2")])
    s1 = _submit(lfs, first, provider=BENCH)
    assert s1.status == "accepted"
    message = tmp_path / "b.xml"
    message.write_bytes(
        _two_datasets(
            ("Append", [ObsOut("2020-Q1", "10", {"OBS_STATUS": "A"})]),
            ("Delete", [ObsOut("2020-Q1", None), ObsOut("2020-Q2", None)]),
        )
    )
    s2 = _submit(lfs, message, provider=BENCH)
    assert s2.status == "accepted", s2.report
    assert _values(lfs) == {}
    assert _revisions(lfs) == [
        (K1, "2020-Q1", "1", s1.id, s2.id, True),
        (K1, "2020-Q2", "2", s1.id, s2.id, True),
    ]
    with session_scope(lfs) as session:
        rows = list(data_history.history_rows(session, LFS))
        assert [(r.submission_id, r.deleted, r.time_period, r.value) for r in rows] == [
            (s1.id, False, "2020-Q1", "1"),
            (s1.id, False, "2020-Q2", "2"),
            (s2.id, True, "2020-Q1", "1"),
            (s2.id, True, "2020-Q2", "2"),
        ]
        assert rows[0].submitted_at == s1.submitted_at
        assert rows[0].attributes == {"OBS_STATUS": "A"}
        q2 = datetime(2020, 4, 1, tzinfo=UTC).timestamp()
        window = data_history.history_rows(session, LFS, start=int(q2))
        assert [(r.deleted, r.time_period) for r in window] == [
            (False, "2020-Q2"),
            (True, "2020-Q2"),
        ]
        assert data_history.count_history(session, LFS, limit=3) == 4
        assert data_history.count_history(session, LFS, limit=10) == 4
        assert data_history.revision_count(session, LFS) == 2


# ── writers: several datasets ───────────────────────────────────────────────────────────────────


def _versions() -> list[tuple[DataSetOut, Iterable[SeriesOut]]]:
    return [
        (_dataset(action="Replace", valid_from=T1), SERIES),
        (_dataset(action="Delete", valid_to=T2), SERIES[:1]),
    ]


@pytest.mark.parametrize("name", XML_WRITERS)
def test_sdmx_ml_writes_one_dataset_per_version(name: str) -> None:
    data = b"".join(XML_WRITERS[name](_versions(), header=HEADER))
    if name.startswith("generic"):
        assert _xsd_errors(data) == []
    else:
        assert _xsd_errors(data, _ss_schema(TIME)) == []
    root = etree.fromstring(data)
    assert root.find(f"{MES}Header/{MES}DataSetAction") is None
    prefix = "" if name.startswith("generic") else SS
    found = [
        (d.get(f"{prefix}action"), d.get(f"{prefix}validFromDate"), d.get(f"{prefix}validToDate"))
        for d in root.findall(f"{MES}DataSet")
    ]
    assert found == [
        ("Replace", "2024-01-02T03:04:05.123456Z", None),
        ("Delete", None, "2024-02-03T04:05:06Z"),
    ]
    message: Any = sdmx.read_sdmx(io.BytesIO(data), structure=_dsd())
    assert [len(ds.obs) for ds in message.data] == [5, 3]


def test_sdmx_json_writes_one_dataset_per_version() -> None:
    doc = json.loads(b"".join(write_data_json(_versions(), header=HEADER)))
    assert _json_errors(doc) == []
    datasets = doc["data"]["dataSets"]
    assert [(d["action"], d.get("validFrom"), d.get("validTo")) for d in datasets] == [
        ("Replace", "2024-01-02T03:04:05.123456Z", None),
        ("Delete", None, "2024-02-03T04:05:06Z"),
    ]
    assert [sum(len(s["observations"]) for s in d["series"].values()) for d in datasets] == [5, 3]


@pytest.mark.parametrize("name", [*XML_WRITERS, "json"])
def test_each_dataset_streams_in_turn(name: str) -> None:
    writer = write_data_json if name == "json" else XML_WRITERS[name]
    first, second = _Counting(_many(3000)), _Counting(_many(10))

    def pairs() -> Iterator[tuple[DataSetOut, Iterable[SeriesOut]]]:
        yield _dataset(action="Replace", valid_from=T1), first
        assert first.taken == 3000  # the first dataset is written before the second is asked
        yield _dataset(action="Delete", valid_to=T2), second

    chunks = writer(pairs(), header=HEADER)
    head = next(chunks)
    assert first.taken == 0 and head.startswith((b"<?xml", b'{"meta":'))
    next(chunks)
    assert 0 < first.taken < 3000 and second.taken == 0
    assert b"".join(chunks).count(b"Delete") >= 1
    assert second.taken == 10


def _many(count: int) -> Iterator[SeriesOut]:
    for i in range(count):
        key = dict(zip(_rules().dimension_ids, K1.split("."), strict=True))
        key["AGE"] = f"AGE{i}"
        yield SeriesOut(key, {}, (ObsOut("2020-Q1", str(i), {"OBS_STATUS": "A"}),))


def test_the_one_dataset_form_is_unchanged() -> None:
    one = b"".join(write_generic_data(_dataset(), SERIES, header=HEADER))
    root = etree.fromstring(one)
    assert root.findtext(f"{MES}Header/{MES}DataSetAction") == "Information"
    dataset = root.find(f"{MES}DataSet")
    assert dataset is not None and dataset.get("validFromDate") is None


def test_what_cannot_be_written_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one"):
        write_generic_data([])
    with pytest.raises(TypeError):
        write_generic_data(_versions(), SERIES)
    with pytest.raises(TypeError):
        write_generic_data(_dataset())
    other = DataSetOut(StructureRef("dataflow", "TEST", "OTHER", "1.0"), _rules())
    mixed = [(_dataset(), SERIES), (other, SERIES)]
    with pytest.raises(ValueError, match="share its structure"):
        b"".join(write_data_json(mixed))
    # SDMX-CSV 1.0: no place for a version, nor for a second dataset.
    with pytest.raises(ValueError, match="validity"):
        write_data_csv(_versions())
    with pytest.raises(ValueError, match="one dataset"):
        b"".join(write_data_csv([(_dataset(), SERIES), (_dataset(), SERIES)]))
    single = b"".join(write_data_csv([(_dataset(), SERIES)]))
    assert single == b"".join(write_data_csv(_dataset(), SERIES))
