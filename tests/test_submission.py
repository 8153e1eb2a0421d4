"""Data submission end to end on SQLite and PostgreSQL: what is stored, and the SDMX actions.

Every valid example of the shipped content is accepted for its provider and stored exactly as
sdmx1 reads the same file; the synthetic labour-force data in four formats stores the same
content; Append, Replace (series-level) and Delete (observations, whole series, wildcards) change
the store as SDMX says, with counts; duplicates in a file are found whatever their distance;
a dry run and a refused file leave the store as it was; an identical resubmission stores nothing.
"""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sdmx
import sqlalchemy
from lxml import etree

from registry import content, maintenance
from registry.io import sdmxml
from registry.storage import data as stored_data
from registry.storage.db import session_scope
from registry.submission import SubmissionOptions, Upload, list_submissions, report_json, submit

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
GENERATOR = ROOT / "tests" / "data" / "bench" / "gen_synthetic.py"
LFS = "urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=TEST:DF_LFS(1.0)"
BENCH = "TEST:BENCH"
EXAMPLES = sorted(p for p in (ROOT / "examples").glob("*.*") if p.suffix in (".csv", ".xml"))


def _load(engine: sqlalchemy.engine.Engine, paths: list[Path]) -> None:
    with session_scope(engine) as session:
        for path in paths:
            artefacts = sdmxml.read_structures(path.read_bytes()).artefacts
            maintenance.submit_structures(session, artefacts, actor="test")


@pytest.fixture
def lfs(engine: sqlalchemy.engine.Engine) -> sqlalchemy.engine.Engine:
    """A store holding the synthetic labour-force structures and BENCH's agreement."""
    _load(
        engine, [DATA / "bench" / "synthetic_dsd.xml", DATA / "bench" / "synthetic_provision.xml"]
    )
    return engine


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """200 synthetic observations in each format the generator writes."""
    folder = tmp_path_factory.mktemp("synthetic")
    out = {}
    for fmt, name in (("xml", "ss.xml"), ("generic", "generic.xml"), ("csv", "v1.csv")):
        path = folder / name
        subprocess.run(
            [
                sys.executable,
                str(GENERATOR),
                "--obs",
                "200",
                "--periods",
                "8",
                "--format",
                fmt,
                "-o",
                str(path),
            ],
            check=True,
        )
        out[fmt] = path
    out["csv2"] = folder / "v2.csv"
    subprocess.run(
        [
            sys.executable,
            str(GENERATOR),
            "--obs",
            "200",
            "--periods",
            "8",
            "--format",
            "csv2",
            "-o",
            str(out["csv2"]),
        ],
        check=True,
    )
    return out


def _submit(engine: sqlalchemy.engine.Engine, path: Path, **options: Any) -> Any:
    options.setdefault("owner", "test")
    return submit(engine, Upload(path, path.name), SubmissionOptions(**options))


def _stored(engine: sqlalchemy.engine.Engine, flow: str) -> list[tuple[Any, ...]]:
    with session_scope(engine) as session:
        return [
            (v.series_key, v.time_period, v.value, tuple(sorted(v.attributes.items())))
            for v in stored_data.observation_views(session, flow)
        ]


def _table_counts(engine: sqlalchemy.engine.Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            table: conn.execute(sqlalchemy.text(f"SELECT COUNT(*) FROM {table}")).scalar_one()
            for table in ("series", "observation", "dataset_attribute", "group_attribute")
        }


def _codes(record: Any) -> set[str]:
    return set(record.report.get("counts", {}))


# ── what sdmx1 reads ────────────────────────────────────────────────────────────────────────────


def _sdmx1_rows(path: Path, dsd: Any) -> list[tuple[Any, ...]]:
    """(series key, period, value, attributes of every level) as sdmx1 reads the file."""
    # sdmx1 2.28 cannot read a header's DataProvider element: it is taken out first.
    root = etree.parse(str(path)).getroot()
    for provider in root.findall("{*}Header/{*}DataProvider"):
        provider.getparent().remove(provider)
    msg = sdmx.read_sdmx(io.BytesIO(etree.tostring(root)), structure=dsd)
    dims = [d.id for d in dsd.dimensions.components if d.id != "TIME_PERIOD"]
    rows = []
    for ds in msg.data:
        dataset_attrs = {k: str(getattr(v, "value", v)) for k, v in ds.attrib.items()}
        for obs in ds.obs:
            key = {k: str(v.value) for k, v in obs.key.values.items()}
            attrs = dict(dataset_attrs)
            if obs.series_key is not None:
                for group_key in getattr(obs.series_key, "group_keys", ()):
                    attrs.update({k: str(v.value) for k, v in group_key.attrib.items()})
                attrs.update({k: str(v.value) for k, v in obs.series_key.attrib.items()})
            attrs.update({k: str(v.value) for k, v in obs.attached_attribute.items()})
            value = None if obs.value is None else str(obs.value)
            rows.append(
                (
                    ".".join(key[d] for d in dims),
                    key["TIME_PERIOD"],
                    value,
                    tuple(sorted(attrs.items())),
                )
            )
    return sorted(rows)


def _shipped_dsd(flow_id: str) -> Any:
    msg = sdmx.read_sdmx(ROOT / "dataflows" / f"MA.HCP.{flow_id}-1.0.xml")
    dsd_id = msg.dataflow[flow_id].structure.id
    return sdmx.read_sdmx(ROOT / "dsd" / f"MA.HCP.{dsd_id}-1.0.xml").structure[dsd_id]


# ── shipped examples ────────────────────────────────────────────────────────────────────────────


@pytest.fixture
def shipped(engine: sqlalchemy.engine.Engine) -> sqlalchemy.engine.Engine:
    with session_scope(engine) as session:
        maintenance.submit_structures(
            session, content.load_files(content.content_files()), actor="test"
        )
    return engine


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_is_accepted_and_stored_as_sdmx1_reads_it(
    shipped: sqlalchemy.engine.Engine, path: Path
) -> None:
    flow_id, provider = path.name.split(".")[:2]
    record = _submit(shipped, path, provider=f"MA.HCP:{provider}")
    assert record.status == "accepted", report_json(record)["findings"]
    assert record.id is not None
    flow = f"urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=MA.HCP:{flow_id}(1.0)"
    assert record.dataflow == flow
    stored = _stored(shipped, flow)
    assert record.counts["added"] == len(stored) == record.counts["observations"] > 0
    if path.suffix == ".xml":  # sdmx1 reads SDMX-CSV 2.x only; the CSV twin must store the same
        assert stored == _sdmx1_rows(path, _shipped_dsd(flow_id))
    else:
        twin = path.with_suffix(".xml")
        assert _submit(shipped, twin, provider=f"MA.HCP:{provider}").status == "accepted"
        assert _stored(shipped, flow) == stored


def test_a_provider_without_agreement_is_not_authorised(shipped: sqlalchemy.engine.Engine) -> None:
    path = ROOT / "examples" / "DF_REMIT.OC.csv"
    before = _table_counts(shipped)
    record = _submit(shipped, path, provider="MA.HCP:ANAPEC")
    assert record.status == "rejected"
    assert _codes(record) == {"NOT_AUTHORISED"}
    message = report_json(record)["findings"][0]["message"]
    assert "MA.HCP:ANAPEC" in message and "DF_REMIT" in message
    assert _table_counts(shipped) == before


# ── formats, actions, duplicates ────────────────────────────────────────────────────────────────


def test_every_format_stores_the_same_content(
    lfs: sqlalchemy.engine.Engine, generated: dict[str, Path]
) -> None:
    contents = {}
    dsd = sdmx.read_sdmx(DATA / "bench" / "synthetic_dsd.xml").structure["DSD_LFS"]
    for fmt, path in generated.items():
        record = _submit(lfs, path, provider=BENCH, action="Replace")
        assert record.status == "accepted", (fmt, report_json(record)["findings"][:3])
        assert record.counts["observations"] == 200
        contents[fmt] = _stored(lfs, LFS)
    assert contents["xml"] == _sdmx1_rows(generated["xml"], dsd)
    assert contents["generic"] == contents["csv"] == contents["csv2"] == contents["xml"]


def _csv(path: Path, rows: list[str]) -> Path:
    header = "DATAFLOW,FREQ,REF_AREA,SEX,AGE,ECO,MEASURE,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,UNIT_MULT,OBS_STATUS"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _row(key: str, period: str, value: str, status: str = "A") -> str:
    freq, area, sex, age, eco, measure = key.split(".")
    return (
        f"TEST:DF_LFS(1.0),{freq},{area},{sex},{age},{eco},{measure},{period},{value},PS,3,{status}"
    )


K1 = "Q.MAR.SEX_T.AGE_Y15-24.ECO_ISIC4_A.EMP"
K2 = "Q.MAR.SEX_F.AGE_Y15-24.ECO_ISIC4_A.EMP"


def _values(engine: sqlalchemy.engine.Engine) -> dict[tuple[str, str], str | None]:
    return {(k, p): v for k, p, v, _ in _stored(engine, LFS)}


def test_append_replace_delete(lfs: sqlalchemy.engine.Engine, tmp_path: Path) -> None:
    first = _csv(
        tmp_path / "a.csv",
        [_row(K1, "2020-Q1", "1"), _row(K1, "2020-Q2", "2"), _row(K2, "2020-Q1", "3")],
    )
    record = _submit(lfs, first, provider=BENCH)
    assert record.status == "accepted", report_json(record)["findings"]
    assert record.counts == {
        "series": 2,
        "observations": 3,
        "added": 3,
        "replaced": 0,
        "unchanged": 0,
        "deleted": 0,
    }
    # Append: one overwritten, one new
    more = _csv(tmp_path / "b.csv", [_row(K1, "2020-Q2", "20"), _row(K1, "2020-Q3", "30")])
    record = _submit(lfs, more, provider=BENCH, action="Append")
    assert (record.counts["added"], record.counts["replaced"]) == (1, 1)
    assert _values(lfs) == {
        (K1, "2020-Q1"): "1",
        (K1, "2020-Q2"): "20",
        (K1, "2020-Q3"): "30",
        (K2, "2020-Q1"): "3",
    }
    # Replace: the series K1 now holds exactly what is sent; K2 is untouched
    again = _csv(tmp_path / "c.csv", [_row(K1, "2020-Q2", "200")])
    record = _submit(lfs, again, provider=BENCH, action="Replace")
    assert (record.counts["added"], record.counts["replaced"], record.counts["deleted"]) == (
        0,
        1,
        2,
    )
    assert _values(lfs) == {(K1, "2020-Q2"): "200", (K2, "2020-Q1"): "3"}
    # Delete one observation, then a whole series through a wildcard on SEX
    gone = _csv(tmp_path / "d.csv", [_row(K2, "2020-Q1", "")])
    record = _submit(lfs, gone, provider=BENCH, action="Delete")
    assert record.status == "accepted", report_json(record)["findings"]
    assert record.counts["deleted"] == 1
    assert _values(lfs) == {(K1, "2020-Q2"): "200"}
    wildcard = tmp_path / "e.csv"
    wildcard.write_text(
        "DATAFLOW,FREQ,REF_AREA,SEX,AGE,ECO,MEASURE,TIME_PERIOD,OBS_VALUE\n"
        "TEST:DF_LFS(1.0),Q,MAR,,AGE_Y15-24,ECO_ISIC4_A,EMP,,\n",
        encoding="utf-8",
    )
    record = _submit(lfs, wildcard, provider=BENCH, action="Delete")
    assert record.status == "accepted", report_json(record)["findings"]
    assert record.counts["deleted"] == 1
    assert _values(lfs) == {}


@pytest.mark.parametrize("distance", [1, 7_000])
def test_duplicates_are_found_at_any_distance(
    lfs: sqlalchemy.engine.Engine, tmp_path: Path, distance: int
) -> None:
    rows = [_row(K1, "2020-Q1", "1")]
    between = max(distance - 1, 1)
    rows += [_row(K2, f"{1000 + i // 4}-Q{i % 4 + 1}", "5") for i in range(between)]
    rows += [_row(K1, "2020-Q1", "2"), _row(K2, "1000-Q1", "5")]
    path = _csv(tmp_path / "dup.csv", rows)
    before = _table_counts(lfs)
    record = _submit(lfs, path, provider=BENCH)
    report = report_json(record)
    assert record.status == "rejected"
    assert report["counts_by_code"] == {"DUPLICATE_OBSERVATION": 1, "REPEATED_OBSERVATION": 1}
    dup = next(f for f in report["findings"] if f["code"] == "DUPLICATE_OBSERVATION")
    assert (dup["row"], dup["series_key"], dup["period"], dup["value"]) == (
        between + 3,
        K1,
        "2020-Q1",
        "2",
    )
    assert "'1'" in dup["message"]
    assert _table_counts(lfs) == before


def test_duplicates_next_to_each_other_in_a_new_series(
    lfs: sqlalchemy.engine.Engine, tmp_path: Path
) -> None:
    """Rows of a new series' first run go straight into the store: repeats are caught there."""
    rows = [_row(K1, "2020-Q1", "1"), _row(K1, "2020-Q2", "2"), _row(K1, "2020-Q2", "2")]
    record = _submit(lfs, _csv(tmp_path / "repeat.csv", rows), provider=BENCH)
    report = report_json(record)
    assert record.status == "accepted", report["findings"]
    assert report["counts_by_code"] == {"REPEATED_OBSERVATION": 1}
    assert report["findings"][0]["row"] == 4
    assert (record.counts["observations"], record.counts["added"]) == (3, 2)
    assert _values(lfs) == {(K1, "2020-Q1"): "1", (K1, "2020-Q2"): "2"}
    before = _table_counts(lfs)
    rows = [_row(K2, "2021-Q1", "1"), _row(K2, "2021-Q1", "9")]
    record = _submit(lfs, _csv(tmp_path / "conflict.csv", rows), provider=BENCH)
    report = report_json(record)
    assert record.status == "rejected"
    assert report["counts_by_code"] == {"DUPLICATE_OBSERVATION": 1}
    (dup,) = report["findings"]
    assert (dup["row"], dup["series_key"], dup["period"], dup["value"]) == (3, K2, "2021-Q1", "9")
    assert "'1'" in dup["message"]
    assert _table_counts(lfs) == before


def test_series_attributes_written_batch_by_batch(
    lfs: sqlalchemy.engine.Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Series-level values go to the store with each batch: Replace replaces them once per
    submission, values met in later batches of the same submission are merged in."""
    monkeypatch.setattr("registry.submission.BATCH_SIZE", 2)

    def rows(key: str, unit_mult: list[str]) -> list[str]:
        return [
            _row(key, f"2020-Q{q + 1}", "1").replace(",PS,3,", f",PS,{mult},")
            for q, mult in enumerate(unit_mult)
        ]

    def attributes() -> dict[str, dict[str, str]]:
        with lfs.connect() as conn:
            found = conn.execute(sqlalchemy.text("SELECT series_key, attributes FROM series"))
            return {key: stored_data._json(attrs) for key, attrs in found}

    first = _csv(tmp_path / "first.csv", rows(K1, ["3"] * 4) + rows(K2, ["3"] * 4))
    assert _submit(lfs, first, provider=BENCH).status == "accepted"
    assert attributes() == {K1: {"UNIT_MEASURE": "PS", "UNIT_MULT": "3"}} | {
        K2: {"UNIT_MEASURE": "PS", "UNIT_MULT": "3"}
    }
    # K1: UNIT_MULT no longer sent (removed); K2: sent in the first batch of its rows only
    again = _csv(tmp_path / "again.csv", rows(K1, ["", "", "", ""]) + rows(K2, ["6", "6", "", ""]))
    record = _submit(lfs, again, provider=BENCH, action="Replace")
    assert record.status == "accepted", report_json(record)["findings"]
    assert attributes() == {
        K1: {"UNIT_MEASURE": "PS"},
        K2: {"UNIT_MEASURE": "PS", "UNIT_MULT": "6"},
    }


def test_more_series_than_the_ingest_remembers(
    lfs: sqlalchemy.engine.Engine,
    generated: dict[str, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """When the ingest forgets series keys (a bounded map), no row of any batch is lost."""
    monkeypatch.setattr("registry.submission.BATCH_SIZE", 7)  # runs of 8 cross batches
    monkeypatch.setattr("registry.ingest._SERIES_LIMIT", 2)
    record = _submit(lfs, generated["xml"], provider=BENCH)
    assert record.status == "accepted", report_json(record)["findings"]
    assert (record.counts["series"], record.counts["added"]) == (25, 200)
    stored = _stored(lfs, LFS)
    assert len(stored) == 200 and len({key for key, *_ in stored}) == 25
    # Interleaved series (staged) and a Delete of everything, forgetting keys all along
    interleaved = _csv(
        tmp_path / "more.csv",
        [_row(k, f"2030-Q{q}", "1") for q in range(1, 5) for k in (K1, K2)],
    )
    assert _submit(lfs, interleaved, provider=BENCH).counts["added"] == 8
    everything = tmp_path / "all.csv"
    everything.write_text(
        "DATAFLOW,FREQ,REF_AREA,SEX,AGE,ECO,MEASURE,TIME_PERIOD,OBS_VALUE\n"
        + "".join(
            f"TEST:DF_LFS(1.0),{key.replace('.', ',')},,\n"
            for key in sorted({k for k, *_ in stored})
        )
        + "".join(f"TEST:DF_LFS(1.0),{k.replace('.', ',')},,\n" for k in (K1, K2)),
        encoding="utf-8",
    )
    record = _submit(lfs, everything, provider=BENCH, action="Delete")
    assert record.status == "accepted", report_json(record)["findings"]
    assert record.counts["deleted"] == 208
    assert _table_counts(lfs)["observation"] == 0


@pytest.mark.parametrize("action", ["Information", "Append", "Replace"])
def test_series_sent_in_several_runs_are_stored_whole(
    lfs: sqlalchemy.engine.Engine, tmp_path: Path, action: str
) -> None:
    """A file not sorted by series (periods interleaved) stores every row once, counted once."""
    periods = [f"2020-Q{q}" for q in range(1, 5)]
    rows = [
        _row(key, p, f"{i}.{n}") for n, p in enumerate(periods) for i, key in enumerate((K1, K2))
    ]
    record = _submit(lfs, _csv(tmp_path / "interleaved.csv", rows), provider=BENCH, action=action)
    assert record.status == "accepted", report_json(record)["findings"]
    assert record.counts == {
        "series": 2,
        "observations": 8,
        "added": 8,
        "replaced": 0,
        "unchanged": 0,
        "deleted": 0,
    }
    assert _values(lfs) == {
        (key, p): f"{i}.{n}" for n, p in enumerate(periods) for i, key in enumerate((K1, K2))
    }
    with lfs.connect() as conn:
        summaries = conn.execute(
            sqlalchemy.text("SELECT series_key, observation_count FROM series ORDER BY series_key")
        ).all()
    assert [tuple(s) for s in summaries] == sorted([(K1, 4), (K2, 4)])


# ── records, dry runs, resubmission ─────────────────────────────────────────────────────────────


def test_dry_run_stores_nothing_and_keeps_no_record(
    lfs: sqlalchemy.engine.Engine, generated: dict[str, Path]
) -> None:
    record = _submit(lfs, generated["csv"], provider=BENCH, dry_run=True)
    assert (record.status, record.id) == ("valid", None)
    assert record.counts["added"] == 200
    assert _table_counts(lfs)["observation"] == 0
    with session_scope(lfs) as session:
        assert list_submissions(session) == []


def test_identical_resubmission_stores_nothing(
    lfs: sqlalchemy.engine.Engine, generated: dict[str, Path]
) -> None:
    first = _submit(lfs, generated["xml"], provider=BENCH)
    again = _submit(lfs, generated["xml"], provider=BENCH)
    assert first.status == again.status == "accepted"
    assert again.duplicate_of == first.id == again.id
    with session_scope(lfs) as session:
        assert [r.id for r in list_submissions(session)] == [first.id]
    other = _submit(lfs, generated["generic"], provider=BENCH)  # new bytes: applied again
    assert other.id != first.id and other.duplicate_of is None
    assert _submit(lfs, generated["xml"], provider=BENCH).duplicate_of is None


def test_rejected_submission_is_recorded_with_its_report(
    lfs: sqlalchemy.engine.Engine, tmp_path: Path
) -> None:
    path = _csv(tmp_path / "bad.csv", [_row(K1, "2020-Q1", "abc")])
    record = _submit(lfs, path, provider=BENCH)
    assert record.status == "rejected" and record.id is not None
    with session_scope(lfs) as session:
        (kept,) = list_submissions(session, provider=BENCH)
    assert kept.id == record.id and kept.status == "rejected"
    assert kept.sha256 == record.sha256 and kept.size == path.stat().st_size
    assert kept.data_format == "SDMX-CSV 1.0" and kept.dataflow == LFS
    finding = report_json(kept, "fr")["findings"][0]
    assert finding["code"] == "NON_NUMERIC_VALUE" and finding["row"] == 2
    assert "n'est pas un nombre" in finding["message"]


def test_views_iterate(lfs: sqlalchemy.engine.Engine, generated: dict[str, Path]) -> None:
    _submit(lfs, generated["csv"], provider=BENCH)
    with session_scope(lfs) as session:
        views: Iterator[Any] = stored_data.observation_views(session, LFS)
        first = next(views)
    assert first.dimensions["FREQ"] == "Q" and first.attributes["UNIT_MEASURE"]


def test_the_gil_switch_interval_is_put_back(
    lfs: sqlalchemy.engine.Engine, generated: dict[str, Path]
) -> None:
    """The ingest shortens it while its writing thread runs (registry.switching), then restores."""
    before = sys.getswitchinterval()
    assert _submit(lfs, generated["csv"], provider=BENCH).status == "accepted"
    assert sys.getswitchinterval() == before
