"""``includeHistory=true`` data queries over real HTTP (uvicorn), on SQLite and PostgreSQL.

One store per backend receives, as TEST:BENCH's producer over HTTP, four submissions to the
dataflow TEST:DF_UPD (DSD_LFS): a first one (which keeps no revision), an Append that overwrites
one value and adds two, a Replace of one series (one value overwritten, three removed, one
added) and a Delete of one observation and of a whole series; then a rejected file that would
have overwritten values (it keeps none). ``includeHistory=false`` answers exactly the values in
effect; ``includeHistory=true`` answers one ``Replace`` dataset per submission with what it wrote
(``validFromDate`` its time) and one ``Delete`` dataset with what it deleted (``validToDate``),
in SDMX-ML generic and structure-specific (sdmx1 reads the datasets, lxml their action and
validity) and SDMX-JSON (``validFrom`` / ``validTo``), and replaying them gives the values in
effect. The key, providers, ``updatedAfter``, the period window, ``lastNObservations`` and
``detail`` apply to each version, and the size limit to all of them; SDMX-CSV 1.0 answers 406
naming the reason; a cross-sectional history 501.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
import sdmx
from lxml import etree

from registry import auth, content, maintenance
from registry.config import Settings
from registry.io import sdmxml
from registry.storage.data_history import revision_count
from registry.storage.db import make_engine, session_scope
from tests.conftest import migrated_database
from tests.test_api_data import (
    BENCH,
    CSV_HEADER,
    CSV_TYPE,
    FORMATS,
    Row,
    csv_body,
    csv_rows,
    extra_flow_structures,
    grammar_row,
    json_rows,
    lfs_dsd,
    numeric,
    sdmx_error,
    serving,
    xml_rows,
)

FLOW = "DF_UPD"
PATH = f"TEST,{FLOW},1.0"
MES = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
SS = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific"
#: (key, period, value, OBS_STATUS): what a version holds (series attributes are not versioned).
Value = tuple[str, str, str | None, str | None]


def value_of(row: Row) -> Value:
    return (row[0], row[1], row[2], dict(row[3]).get("OBS_STATUS"))


def values(rows: Sequence[Row]) -> list[Value]:
    return sorted(value_of(r) for r in rows)


def revised(alias: str, index: int, value: str) -> Row:
    key, period, _, attrs = grammar_row(alias, index)
    return (key, period, value, attrs)


def delete_body() -> bytes:
    """The Delete of the fourth submission: one observation of QT, and the whole series MT (its
    key with neither period nor value)."""
    key, period, _, _ = grammar_row("QT", 0)
    mt = grammar_row("MT", 0)[0]
    lines = [
        CSV_HEADER,
        f"TEST:{FLOW}(1.0),{','.join(key.split('.'))},{period},,,,",
        f"TEST:{FLOW}(1.0),{','.join(mt.split('.'))},,,,,",
    ]
    return ("\n".join(lines) + "\n").encode()


# The four submissions: what each sends.
V1 = [grammar_row(a, i) for a in ("QT", "AT") for i in range(4)]
V2 = [revised("QT", 1, "999.90"), grammar_row("QT", 4), grammar_row("MT", 0)]
V3 = [revised("AT", 1, "555.50"), grammar_row("AT", 4)]
AT_REMOVED = [grammar_row("AT", i) for i in (0, 2, 3)]  # by V3's series-level Replace
V4_GONE = [grammar_row("QT", 0), grammar_row("MT", 0)]


@dataclass(frozen=True)
class Version:
    """One dataset of a history answer: action, validity and values."""

    action: str
    valid_from: str | None
    valid_to: str | None
    values: list[Value]


def utc(value: datetime) -> str:
    """An instant as the writers write it (UTC, ``Z``)."""
    return value.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z"


def expected_versions(times: Sequence[datetime]) -> list[Version]:
    t1, t2, t3, t4 = (utc(t) for t in times)
    return [
        Version("Replace", t1, None, values(V1)),
        Version("Replace", t2, None, values(V2)),
        Version("Replace", t3, None, values(V3)),
        Version("Delete", None, t3, values(AT_REMOVED)),
        Version("Delete", None, t4, values(V4_GONE)),
    ]


def in_effect() -> list[Value]:
    current = {(r[0], r[1]): r for r in V1}
    for row in [*V2, *V3]:
        current[(row[0], row[1])] = row
    for gone in [*AT_REMOVED, *V4_GONE]:
        current.pop((gone[0], gone[1]))
    return values(list(current.values()))


def replay(versions: Sequence[Version]) -> list[Value]:
    """The values in effect after applying the datasets in order."""
    state: dict[tuple[str, str], Value] = {}
    for version in versions:
        for value in version.values:
            if version.action == "Delete":
                state.pop(value[:2])
            else:
                state[value[:2]] = value
    return sorted(state.values())


@dataclass(frozen=True)
class History:
    client: httpx.Client
    settings: Settings
    times: list[datetime]  # submitted_at of the four accepted submissions
    revisions: list[int]  # revision rows after each of them, then after the rejected one
    rejected: dict[str, Any]

    def data(self, path: str = PATH, **params: str) -> httpx.Response:
        return self.client.get(f"/rest/data/{path}", params=params)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def history(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[History]:
    folder = tmp_path_factory.mktemp(f"history-{request.param}")
    with migrated_database(request.param, folder) as url:
        engine = make_engine(url)
        with session_scope(engine) as session:
            shipped = content.load_files(content.content_files())
            maintenance.submit_structures(session, shipped, actor="test")
            for message in (
                (BENCH / "synthetic_dsd.xml").read_bytes(),
                (BENCH / "synthetic_provision.xml").read_bytes(),
                extra_flow_structures(),
            ):
                artefacts = sdmxml.read_structures(message).artefacts
                maintenance.submit_structures(session, artefacts, actor="test")
            producer, _ = auth.create_token(
                session, name="pat", role="producer", provider="TEST:BENCH"
            )

        def revisions() -> int:
            with session_scope(engine) as session:
                return revision_count(session)

        settings = Settings(database_url=url, max_upload_bytes=5 * 1024 * 1024)
        with serving(settings) as base, httpx.Client(base_url=base, timeout=120) as client:
            headers = {"Authorization": f"Bearer {producer}", "Content-Type": CSV_TYPE}

            def post(body: bytes, **params: str) -> dict[str, Any]:
                r = client.post("/submissions", content=body, params=params, headers=headers)
                return dict(r.json())

            times, counts = [], []
            steps = [
                (csv_body(FLOW, V1), {}),
                (csv_body(FLOW, V2), {"action": "Append"}),
                (csv_body(FLOW, V3), {"action": "Replace"}),
                (delete_body(), {"action": "Delete"}),
            ]
            for body, params in steps:
                report = post(body, **params)
                assert report["status"] == "accepted", report
                times.append(datetime.fromisoformat(report["submitted_at"]))
                counts.append(revisions())
            # Overwrites of two stored values next to a code the DSD does not have: rejected.
            bad = csv_body(FLOW, [revised("QT", 2, "1.00"), revised("QT", 3, "2.00")])
            bad += (
                csv_body(FLOW, [grammar_row("QF", 0)])
                .split(b"\n", 1)[1]
                .replace(b",MAR,", b",NOWHERE,")
            )
            rejected = post(bad, action="Append")
            counts.append(revisions())
            yield History(client, settings, times, counts, rejected)
        engine.dispose()


# ── reading the answers ──────────────────────────────────────────────────────────────────────────


def attribute(dataset: Any, name: str) -> str | None:
    """An attribute of a ``DataSet`` element, unqualified (generic) or ``ss:`` (structure-
    specific)."""
    value = dataset.get(name, dataset.get(f"{{{SS}}}{name}"))
    return None if value is None else str(value)


def xml_versions(body: bytes) -> list[Version]:
    """The datasets of an SDMX-ML answer: sdmx1 reads each one's values, lxml its action and
    validity (sdmx1 2.28 reads neither from SDMX-ML)."""
    root = etree.fromstring(body)
    found = []
    for dataset in root.findall(f"{{{MES}}}DataSet"):
        one = etree.fromstring(body)
        for other in one.findall(f"{{{MES}}}DataSet"):
            if other.sourceline != dataset.sourceline:
                one.remove(other)
        rows = xml_rows(etree.tostring(one), lfs_dsd())
        found.append(
            Version(
                attribute(dataset, "action") or "",
                attribute(dataset, "validFromDate"),
                attribute(dataset, "validToDate"),
                values(rows),
            )
        )
    return found


def json_versions(body: bytes) -> list[Version]:
    doc = json.loads(body)
    found = []
    for dataset in doc["data"]["dataSets"]:
        one = {**doc, "data": {**doc["data"], "dataSets": [dataset]}}
        rows = numeric(json_rows(json.dumps(one).encode(), lfs_dsd()))
        found.append(
            Version(
                dataset["action"], dataset.get("validFrom"), dataset.get("validTo"), values(rows)
            )
        )
    return found


def numeric_versions(versions: Sequence[Version]) -> list[Version]:
    """JSON numbers lose their lexical form: values as canonical decimals."""
    out = []
    for v in versions:
        rows = numeric([(k, p, x, (("OBS_STATUS", s),) if s else ()) for k, p, x, s in v.values])
        out.append(Version(v.action, v.valid_from, v.valid_to, values(rows)))
    return out


def answer_versions(history: History, fmt: str, path: str = PATH, **params: str) -> list[Version]:
    r = history.data(path, includeHistory="true", format=fmt, **params)
    assert r.status_code == 200, r.text[:1500]
    assert r.headers["content-type"] == FORMATS[fmt]
    if fmt == "jsondata":
        return json_versions(r.content)
    return xml_versions(r.content)


def expected_in(fmt: str, versions: Sequence[Version]) -> list[Version]:
    return numeric_versions(versions) if fmt == "jsondata" else list(versions)


# ── the tests ─────────────────────────────────────────────────────────────────────────────────────


def test_revisions_are_kept_only_when_values_are_superseded(history: History) -> None:
    # First submission: nothing overwritten, nothing kept. Append: QT's overwritten value.
    # Replace of AT: one overwritten, three removed. Delete: QT's value and MT's whole series.
    assert history.revisions == [0, 1, 5, 7, 7]
    # The rejected file kept nothing (and stored nothing).
    assert history.rejected["status"] == "rejected", history.rejected
    assert len(history.times) == len(set(history.times)) == 4


def test_without_history_the_values_in_effect(history: History) -> None:
    r = history.data(format="csvdata")
    assert r.status_code == 200, r.text
    assert values(csv_rows(r.content, lfs_dsd())) == in_effect()
    for flag in ("false", "0"):
        again = history.data(format="csvdata", includeHistory=flag)
        assert again.content == r.content


@pytest.mark.parametrize("fmt", ["genericdata", "structurespecificdata", "jsondata"])
def test_every_version_with_its_validity_and_action(history: History, fmt: str) -> None:
    got = answer_versions(history, fmt)
    expected = expected_in(fmt, expected_versions(history.times))
    assert got == expected
    assert replay(got) == sorted(
        expected_in(fmt, [Version("Replace", "", "", in_effect())])[0].values
    )


@pytest.mark.parametrize("fmt", ["genericdata", "structurespecificdata"])
def test_sdmx1_reads_every_dataset(history: History, fmt: str) -> None:
    r = history.data(includeHistory="true", format=fmt)
    message: Any = sdmx.read_sdmx(io.BytesIO(r.content), structure=lfs_dsd())
    assert len(message.data) == 5
    assert [len(ds.obs) for ds in message.data] == [8, 3, 2, 3, 2]
    header = etree.fromstring(r.content).find(f"{{{MES}}}Header")
    assert header is not None and header.find(f"{{{MES}}}DataSetAction") is None


def test_json_datasets_say_their_action_and_validity(history: History) -> None:
    r = history.data(includeHistory="true", format="jsondata")
    doc = json.loads(r.content)
    assert [d["action"] for d in doc["data"]["dataSets"]] == ["Replace"] * 3 + ["Delete"] * 2
    assert "validTo" not in doc["data"]["dataSets"][0]
    assert "validFrom" not in doc["data"]["dataSets"][3]


def test_the_other_parameters_apply_to_each_version(history: History) -> None:
    everything = expected_versions(history.times)
    quarterly = grammar_row("QT", 0)[0]

    def only(versions: Sequence[Version], keep: Any) -> list[Version]:
        out = []
        for v in versions:
            kept = [x for x in v.values if keep(x)]
            if kept:
                out.append(Version(v.action, v.valid_from, v.valid_to, kept))
        return out

    # The key: QT's versions only (the AT Replace and its Delete disappear).
    got = answer_versions(history, "genericdata", f"{PATH}/Q.....")
    assert got == only(everything, lambda x: x[0] == quarterly)
    # updatedAfter: the versions of the submissions made after the instant.
    after = history.times[1] + (history.times[2] - history.times[1]) / 2
    got = answer_versions(history, "genericdata", updatedAfter=after.isoformat())
    assert got == everything[2:]
    # A period window, on every version.
    got = answer_versions(history, "genericdata", startPeriod="2020", endPeriod="2020")
    assert got == only(everything, lambda x: x[1].startswith("2020"))
    # lastNObservations: per series of each version.
    got = answer_versions(history, "genericdata", lastNObservations="1")
    assert [len(v.values) for v in got] == [2, 2, 1, 1, 2]
    assert got[2].values == values([grammar_row("AT", 4)])
    assert got[0].values == values([grammar_row("AT", 3), grammar_row("QT", 3)])
    # detail=serieskeysonly: each version's series, no observation.
    r = history.data(includeHistory="true", detail="serieskeysonly")
    root = etree.fromstring(r.content)
    datasets = root.findall(f"{{{MES}}}DataSet")
    assert [len(d) for d in datasets] == [2, 2, 1, 1, 2]
    assert not root.findall(".//{*}Obs")
    # Flat output, each version on its own.
    for fmt in ("genericdata", "structurespecificdata", "jsondata"):
        got = answer_versions(history, fmt, dimensionAtObservation="AllDimensions")
        assert got == expected_in(fmt, everything), fmt
    # The providers: BENCH reported everything; another provider has nothing.
    assert answer_versions(history, "genericdata", f"{PATH}/all/TEST,BENCH") == everything
    other = history.data(f"{PATH}/all/TEST,OTHER", includeHistory="true")
    assert sdmx_error(other)[:2] == (404, "100")
    # Nothing in any version: 404.
    assert sdmx_error(history.data(f"{PATH}/Q.FRA....", includeHistory="true"))[:2] == (
        404,
        "100",
    )


def test_csv_cannot_carry_the_history(history: History) -> None:
    status, code, message = sdmx_error(history.data(includeHistory="true", format="csvdata"))
    assert (status, code) == (406, "406")
    assert "includeHistory" in message and "SDMX-ML" in message


def test_cross_sectional_history_is_not_written(history: History) -> None:
    r = history.data(includeHistory="true", dimensionAtObservation="REF_AREA")
    status, code, message = sdmx_error(r)
    assert (status, code) == (501, "501") and "includeHistory" in message


def test_versions_come_in_submission_order(history: History) -> None:
    """The versions come in submission order, each Replace before the Delete of its time."""
    got = answer_versions(history, "structurespecificdata")
    stamps = [v.valid_from or v.valid_to or "" for v in got]
    assert stamps == sorted(stamps)


def test_too_large_a_history_is_refused(history: History) -> None:
    """The size limit counts every value of every version (18 here): 17 is too few."""
    for limit, status in ((17, 413), (18, 200)):
        settings = replace(history.settings, max_response_observations=limit)
        with serving(settings) as base:
            r = httpx.get(f"{base}/rest/data/{PATH}", params={"includeHistory": "true"})
        if status == 200:
            assert r.status_code == 200, r.text[:500]
            continue
        code, sdmx_code, message = sdmx_error(r)
        assert (code, sdmx_code) == (413, "510") and "includeHistory" in message
