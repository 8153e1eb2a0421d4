"""Crafted bad files, one per finding code, refused by ``submit`` with the code, where and nothing stored.

Every file of ``tests/data/submissions/invalid/`` holds exactly one deliberate error (its README
lists them) and is named after the finding code it must raise: ``CODE.csv``, ``CODE.xml``
(SDMX-ML 2.1 structure-specific) and variants ``CODE.<variant>.csv|xml`` (``generic`` for
SDMX-ML 2.1 generic data, ``csv2`` for SDMX-CSV 2.0, ``series``/``group``/``dataset`` for other
attachment levels). The structures are the synthetic labour-force flow ``TEST:DF_LFS(1.0)``
(``bench/``) plus ``invalid/structures/``: the flow ``TEST:DF_FACETS(1.0)`` (facets, dataset and
group attributes, agreements for providers BENCH and OTHER) and an Allowed constraint on DF_LFS.

On SQLite and PostgreSQL, with both flows' baselines already stored by TEST:BENCH, each file is
submitted and must be ``rejected`` with exactly its code (no other error, no warning), every
listed finding exactly where the table below says (row and column for CSV, line for XML, series
key, period, component, value), and the store unchanged (observation views of both flows and the
rows of every data table); the rejected record is kept. Files whose error depends on the request
(provider, dataflow, size cap) are also submitted without it as a dry run, which must be valid:
the error really is the only one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest.mock import ANY

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from registry import maintenance, submission
from registry.io import sdmxml
from registry.storage import data
from registry.storage.db import make_engine, session_scope
from registry.storage.records import SubmissionRecord
from registry.validation.report import CODES
from tests.conftest import migrated_database

DATA = Path(__file__).parent / "data"
INVALID = DATA / "submissions" / "invalid"
STRUCTURE_FILES = (
    DATA / "bench" / "synthetic_dsd.xml",
    DATA / "bench" / "synthetic_provision.xml",
    INVALID / "structures" / "TEST.DSD_FACETS.xml",
    INVALID / "structures" / "TEST.CC_DF_LFS.xml",
)
LFS = "urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=TEST:DF_LFS(1.0)"
FACETS = "urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=TEST:DF_FACETS(1.0)"
BENCH, OTHER = "TEST:BENCH", "TEST:OTHER"
BASELINES = ("baseline/DF_LFS.csv", "baseline/DF_FACETS.xml")
DATA_TABLES = ("series", "observation", "dataset_attribute", "group_attribute", "audit")
LOCATION_KEYS = ("line", "row", "column", "series_key", "period", "component", "value")

KEY = "Q.ARG.SEX_T.AGE_YGE15.ECO_ISIC4_TOTAL.EMP"  # the one DF_LFS series of the files
NO_SEX = "Q.ARG..AGE_YGE15.ECO_ISIC4_TOTAL.EMP"
QUARTERS = ("2015-Q1", "2015-Q2", "2015-Q3", "2015-Q4")  # CSV rows 2-5, XML lines 7-10
LONG_NOTE = "Provisional, revised in June"
UNFILLED = re.compile(r"\{[a-z_]+(?:![rs])?\}")  # a message template placeholder left unfilled


def per_row(first: int, by: str, **fields: Any) -> list[dict[str, Any]]:
    """One expected finding per observation of the DF_LFS series (CSV rows 2-5, XML lines 7-10)."""
    out = []
    for i, period in enumerate(QUARTERS):
        where = {by: first + i, **({"column": fields["component"]} if by == "row" else {})}
        out.append({**where, "period": period, **fields})
    return out


@dataclass(frozen=True)
class Case:
    """One crafted file: the findings it must give and how it is submitted."""

    file: str
    findings: list[dict[str, Any]]
    provider: str | None = BENCH
    dataflow: str | None = None
    max_bytes: int | None = None
    #: A text every finding's English message must contain.
    message: str | None = None
    #: Options under which the same file is valid (dry run): the error is then the only one.
    control: dict[str, Any] | None = None
    #: Why the service does not (yet) do what the table says: a strict xfail.
    xfail: str | None = None

    @property
    def code(self) -> str:
        return self.file.split(".")[0]

    def param(self) -> Any:
        marks = []
        if self.xfail:
            marks.append(pytest.mark.xfail(reason=self.xfail, strict=True))
        return pytest.param(self, id=self.file, marks=marks)


def lfs(
    by: str, where: int, component: str, period: str | None, value: Any = None, **kw: Any
) -> dict[str, Any]:
    """One expected DF_LFS finding at a CSV row (``by='row'``) or an XML line."""
    loc: dict[str, Any] = {by: where}
    if by == "row":
        loc["column"] = component
    return {
        **loc,
        "series_key": kw.get("series_key", KEY),
        "period": period,
        "component": component,
        "value": value,
    }


def facets(
    by: str, where: int, component: str, series: str | None, period: str | None, value: Any = None
) -> dict[str, Any]:
    """One expected DF_FACETS finding (``series`` is the series key, or a group key)."""
    loc: dict[str, Any] = {by: where}
    if by == "row":
        loc["column"] = component
    return {**loc, "series_key": series, "period": period, "component": component, "value": value}


CASES: list[Case] = [
    # -- the file as a whole ----------------------------------------------------------------
    Case("UNKNOWN_STRUCTURE.csv", [{}], message="TEST:DF_NOPE(1.0)"),
    Case("UNKNOWN_STRUCTURE.xml", [{}], message="TEST:DF_NOPE(1.0)"),
    Case("NOT_AUTHORISED.csv", [{}], provider=OTHER, message=OTHER, control={"provider": BENCH}),
    Case("NOT_AUTHORISED.xml", [{}], provider=OTHER, message=OTHER, control={"provider": BENCH}),
    Case("NO_STRUCTURE.csv", [{}]),
    Case("NO_STRUCTURE.xml", [{}]),
    Case(
        "STRUCTURE_MISMATCH.csv",
        [{}],
        dataflow="TEST:DF_FACETS(1.0)",
        message="TEST:DF_LFS(1.0)",
        control={"dataflow": None},
    ),
    Case(
        "STRUCTURE_MISMATCH.xml",
        [{}],
        dataflow="TEST:DF_FACETS(1.0)",
        message="TEST:DF_FACETS(1.0)",
        control={"dataflow": None},
    ),
    Case("EMPTY_SUBMISSION.csv", [{}], dataflow="TEST:DF_LFS(1.0)"),
    Case("EMPTY_SUBMISSION.xml", [{}]),
    Case("UNREADABLE_FILE.csv", [{"row": 4}], message="row 4 has 13 cells"),
    Case("UNREADABLE_FILE.header.csv", [{"row": 1}], message="DATAFLOW"),
    Case("UNREADABLE_FILE.xml", [{"line": 8}], message="line 8"),
    Case("FORBIDDEN_XML.xml", [{}], message="DOCTYPE"),
    Case(
        "FILE_TOO_LARGE.csv",
        [{}],
        max_bytes=256,
        message="256 bytes",
        control={"max_bytes": None},
    ),
    Case("XSD_INVALID.xml", [{"line": 4}], message="Prepared"),
    # -- components -------------------------------------------------------------------------
    Case("UNKNOWN_COMPONENT.csv", [{"row": 3, "column": "NOTE", "component": "NOTE"}]),
    Case("UNKNOWN_COMPONENT.xml", [{"line": 8, "component": "NOTE"}]),
    Case("UNKNOWN_COMPONENT.series.xml", [{"line": 7, "component": "COMMENT"}]),
    Case("UNKNOWN_COMPONENT.generic.xml", [{"line": 8, "component": "NOTE"}]),
    Case(
        "MISSING_DIMENSION.csv",
        per_row(2, "row", series_key=NO_SEX, component="SEX", value=None),
    ),
    Case(
        "MISSING_DIMENSION.xml", per_row(7, "line", series_key=NO_SEX, component="SEX", value=None)
    ),
    Case(
        "MISSING_DIMENSION.generic.xml",
        per_row(7, "line", series_key=NO_SEX, component="SEX", value=None),
    ),
    Case("MISSING_DIMENSION.time.xml", [lfs("line", 8, "TIME_PERIOD", None)]),
    Case(
        "EMPTY_DIMENSION_VALUE.csv",
        [lfs("row", 3, "SEX", "2015-Q2", "", series_key=NO_SEX)],
    ),
    Case("EMPTY_DIMENSION_VALUE.xml", [lfs("line", 8, "TIME_PERIOD", "", "")]),
    Case(
        "EMPTY_DIMENSION_VALUE.generic.xml",
        per_row(7, "line", series_key=NO_SEX, component="SEX", value=""),
    ),
    # -- codes ------------------------------------------------------------------------------
    Case(
        "CODE_NOT_IN_CODELIST.csv",
        [lfs("row", 3, "REF_AREA", "2015-Q2", "XXX", series_key=KEY.replace("ARG", "XXX"))],
        message="TEST:CL_AREA(1.0)",
    ),
    Case(
        "CODE_NOT_IN_CODELIST.csv2.csv",
        [
            lfs(
                "row",
                3,
                "AGE",
                "2015-Q2",
                "AGE_Y99",
                series_key=KEY.replace("AGE_YGE15", "AGE_Y99"),
            )
        ],
    ),
    Case(
        "CODE_NOT_IN_CODELIST.xml",  # a series attribute: once, at the series' first observation
        [lfs("line", 7, "UNIT_MEASURE", "2015-Q1", "PX")],
        message="TEST:CL_UNIT_MEASURE(1.0)",
    ),
    Case(
        "CODE_NOT_IN_CODELIST.series.csv",  # repeated in each of the series' rows: listed once
        [lfs("row", 2, "UNIT_MEASURE", "2015-Q1", "PX")],
        message="TEST:CL_UNIT_MEASURE(1.0)",
    ),
    Case("CODE_NOT_IN_CODELIST.generic.xml", [lfs("line", 8, "OBS_STATUS", "2015-Q2", "Z")]),
    Case(
        "CODE_NOT_ALLOWED.csv",
        [lfs("row", 3, "MEASURE", "2015-Q2", "UNE_RT", series_key=KEY.replace("EMP", "UNE_RT"))],
        message="TEST:CC_DF_LFS(1.0)",
    ),
    Case(
        "CODE_NOT_ALLOWED.xml",
        per_row(
            7, "line", series_key=KEY.replace("EMP", "UNE_RT"), component="MEASURE", value="UNE_RT"
        ),
        message="TEST:CC_DF_LFS(1.0)",
    ),
    # -- attributes -------------------------------------------------------------------------
    Case(
        "MISSING_MANDATORY_ATTRIBUTE.csv",
        [lfs("row", 3, "OBS_STATUS", "2015-Q2")],
        message="observation level",
    ),
    Case("MISSING_MANDATORY_ATTRIBUTE.xml", [lfs("line", 8, "OBS_STATUS", "2015-Q2")]),
    Case(
        "MISSING_MANDATORY_ATTRIBUTE.series.csv",
        [lfs("row", 2, "UNIT_MEASURE", None)],
        message="series level",
    ),
    Case(
        "MISSING_MANDATORY_ATTRIBUTE.series.xml",  # the series is on line 6, its first obs on 7
        [lfs("line", 7, "UNIT_MEASURE", None)],
        message="series level",
    ),
    Case("MISSING_MANDATORY_ATTRIBUTE.generic.xml", [lfs("line", 7, "UNIT_MEASURE", None)]),
    Case(
        "MISSING_MANDATORY_ATTRIBUTE.dataset.csv",
        [facets("row", 2, "REPORT_ID", None, None)],
        message="dataset level",
    ),
    Case(
        "MISSING_MANDATORY_ATTRIBUTE.dataset.xml",
        [facets("line", 5, "REPORT_ID", None, None)],
        message="dataset level",
    ),
    Case(
        "MISSING_MANDATORY_ATTRIBUTE.group.csv",
        [facets("row", 5, "AREA_NOTE", "SEN", None)],
        message="group level",
    ),
    Case(
        "MISSING_MANDATORY_ATTRIBUTE.group.xml",
        [facets("line", 13, "AREA_NOTE", "SEN", None)],
        message="group level",
    ),
    Case(
        "INCONSISTENT_ATTRIBUTE.csv",
        [lfs("row", 4, "UNIT_MEASURE", "2015-Q3", "PT")],
        message="'PS' elsewhere for the same series",
    ),
    Case(
        "INCONSISTENT_ATTRIBUTE.xml",  # once, at the first observation of the second Series
        [lfs("line", 11, "UNIT_MULT", "2015-Q3", "6")],
        message="'3' elsewhere for the same series",
    ),
    Case(
        "INCONSISTENT_ATTRIBUTE.group.csv",
        [facets("row", 3, "AREA_NOTE", "A.MAR", "2022", "Register-based")],
        message="for the same group",
    ),
    Case(
        "INCONSISTENT_ATTRIBUTE.group.xml",
        [facets("line", 8, "AREA_NOTE", "MAR", None, "Register-based")],
        message="for the same group",
    ),
    Case(
        "INCONSISTENT_ATTRIBUTE.dataset.csv",
        [
            {
                "row": 4,
                "column": "REPORT_ID",
                "component": "REPORT_ID",
                "value": "R2024-02",
                "series_key": ANY,
                "period": ANY,
            }
        ],
    ),
    # -- values and facets ------------------------------------------------------------------
    Case("NON_NUMERIC_VALUE.csv", [lfs("row", 3, "OBS_VALUE", "2015-Q2", "6975,8")]),
    Case("NON_NUMERIC_VALUE.xml", [lfs("line", 8, "OBS_VALUE", "2015-Q2", "6 975.8")]),
    Case("INVALID_VALUE_TYPE.csv", [facets("row", 3, "OBS_COUNT", "A.MAR", "2022", "130.5")]),
    Case("INVALID_VALUE_TYPE.xml", [facets("line", 10, "OBS_COUNT", "A.MAR", "2022", "130.5")]),
    Case("VALUE_TOO_LONG.csv", [facets("row", 4, "NOTE", "A.MAR", "2023", LONG_NOTE)]),
    Case("VALUE_TOO_LONG.xml", [facets("line", 11, "NOTE", "A.MAR", "2023", LONG_NOTE)]),
    Case("VALUE_TOO_SHORT.csv", [facets("row", 3, "COLLECTOR", "A.MAR", "2022", "NS")]),
    Case("VALUE_TOO_SHORT.xml", [facets("line", 10, "COLLECTOR", "A.MAR", "2022", "NS")]),
    Case(
        "VALUE_OUT_OF_RANGE.csv",
        [facets("row", 3, "OBS_VALUE", "A.MAR", "2022", "112.0")],
        message="(0..100)",
    ),
    Case("VALUE_OUT_OF_RANGE.xml", [facets("line", 10, "OBS_VALUE", "A.MAR", "2022", "112.0")]),
    Case(
        "PATTERN_MISMATCH.csv",
        [facets("row", 5, "SRC_CODE", "Q.SEN", "2023-Q4", "XYZ2023")],
        message="[A-Z]{3}-[0-9]{4}",
    ),
    Case("PATTERN_MISMATCH.xml", [facets("line", 14, "SRC_CODE", "Q.SEN", "2023-Q4", "XYZ2023")]),
    Case(
        "MISSING_VALUE_WITHOUT_STATUS.csv",
        [facets("row", 3, "OBS_VALUE", "A.MAR", "2022")],
    ),
    Case(
        "MISSING_VALUE_WITHOUT_STATUS.xml",
        [facets("line", 10, "OBS_VALUE", "A.MAR", "2022")],
    ),
    # -- periods and duplicates -------------------------------------------------------------
    Case("BAD_TIME_PERIOD.csv", [lfs("row", 3, "TIME_PERIOD", "2015-Q5", "2015-Q5")]),
    Case("BAD_TIME_PERIOD.xml", [lfs("line", 8, "TIME_PERIOD", "2015-Q5", "2015-Q5")]),
    Case("BAD_TIME_PERIOD.generic.xml", [lfs("line", 8, "TIME_PERIOD", "2015-Q5", "2015-Q5")]),
    Case("FREQ_PERIOD_MISMATCH.csv", [lfs("row", 3, "FREQ", "2015-05", "2015-05")]),
    Case("FREQ_PERIOD_MISMATCH.xml", [lfs("line", 8, "FREQ", "2015-05", "2015-05")]),
    Case(
        "DUPLICATE_OBSERVATION.csv",
        [lfs("row", 6, "OBS_VALUE", "2015-Q2", "6975.9")],
    ),
    Case(
        "DUPLICATE_OBSERVATION.xml",
        [lfs("line", 11, "OBS_VALUE", "2015-Q2", "6975.9")],
    ),
    # -- ownership: BENCH stored series A.MAR with the baseline; OTHER may not change it ------
    Case(
        "SERIES_OF_ANOTHER_PROVIDER.csv",
        [{"row": 2, "series_key": "A.MAR"}],
        provider=OTHER,
        message="TEST:BENCH",
        control={"provider": BENCH},
    ),
    Case(
        "SERIES_OF_ANOTHER_PROVIDER.xml",
        [{"line": 8, "series_key": "A.MAR"}],
        provider=OTHER,
        message="TEST:BENCH",
        control={"provider": BENCH},
    ),
]

#: Files of ``invalid/`` that are not refused: only warnings (tested on their own below).
WARNING_FILES = {"REPEATED_OBSERVATION.csv"}


# -- the store -------------------------------------------------------------------------------


def _load_structures(engine: Engine) -> None:
    artefacts = [a for path in STRUCTURE_FILES for a in sdmxml.read_structures(path).artefacts]
    with session_scope(engine) as session:
        maintenance.submit_structures(session, artefacts, actor="test")


def _submit(
    engine: Engine,
    name: str,
    *,
    provider: str | None = BENCH,
    dataflow: str | None = None,
    max_bytes: int | None = None,
    dry_run: bool = False,
    path: Path | None = None,
) -> SubmissionRecord:
    options = submission.SubmissionOptions(
        owner="tester", provider=provider, dataflow=dataflow, dry_run=dry_run
    )
    cap = {} if max_bytes is None else {"max_bytes": max_bytes}
    upload = submission.Upload(path or INVALID / name, file_name=Path(name).name)
    return submission.submit(engine, upload, options, **cap)


def _prepare(engine: Engine) -> None:
    """Structures, then both baselines stored by BENCH: the store is not empty."""
    _load_structures(engine)
    for name in BASELINES:
        record = _submit(engine, name)
        assert record.status == "accepted", submission.report_json(record)["findings"]


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """One prepared store per backend for the whole module: refused files never change it."""
    with migrated_database(request.param, tmp_path_factory.mktemp("invalid")) as url:
        engine = make_engine(url)
        try:
            _prepare(engine)
            yield engine
        finally:
            engine.dispose()


def snapshot(engine: Engine) -> dict[str, list[Any]]:
    """Both flows' observation views and the rows of every data table (and of the audit)."""
    with session_scope(engine) as session:
        out: dict[str, list[Any]] = {
            flow: list(data.observation_views(session, flow)) for flow in (LFS, FACETS)
        }
        conn = session.connection()
        for table in DATA_TABLES:
            rows = conn.execute(text(f"SELECT * FROM {table} ORDER BY 1, 2, 3"))
            out[table] = [tuple(row) for row in rows]
    return out


def _where(finding: dict[str, Any]) -> dict[str, Any]:
    """Location and context of a finding (reported or expected); absent keys are None."""
    return {key: finding.get(key) for key in LOCATION_KEYS}


# -- the table -------------------------------------------------------------------------------


@pytest.mark.parametrize("case", [case.param() for case in CASES])
def test_crafted_file_is_rejected_with_its_code_location_and_nothing_stored(
    store: Engine, case: Case
) -> None:
    before = snapshot(store)
    assert len(before[LFS]) == 20 and len(before[FACETS]) == 4  # the baselines

    record = _submit(
        store,
        case.file,
        provider=case.provider,
        dataflow=case.dataflow,
        max_bytes=case.max_bytes,
    )
    report = submission.report_json(record)

    assert record.status == "rejected", report["findings"]
    assert record.id is not None
    assert report["counts_by_code"] == {case.code: len(case.findings)}, report["findings"]
    assert report["errors"] == len(case.findings) and report["warnings"] == 0
    assert report["truncated"] == {}
    listed = report["findings"]
    assert {f["code"] for f in listed} == {case.code}
    assert all(f["severity"] == "error" for f in listed)
    assert [_where(f) for f in listed] == [_where(e) for e in case.findings]
    for finding in listed:
        assert finding["message"] and not UNFILLED.search(finding["message"])
        if case.message is not None:
            assert case.message in finding["message"], finding["message"]
    french = submission.report_json(record, "fr")["findings"]
    assert [f["code"] for f in french] == [f["code"] for f in listed]
    assert all(fr["message"] != en["message"] for fr, en in zip(french, listed, strict=True))

    assert snapshot(store) == before
    with session_scope(store) as session:
        kept = submission.get_submission(session, record.id)
        assert kept is not None and kept.status == "rejected"
        assert kept.report == record.report and kept.sha256 == record.sha256
        assert kept.file_name == case.file and kept.provider == case.provider
        ids = [r.id for r in submission.list_submissions(session, provider=case.provider)]
        assert record.id in ids


CONTROLS = [case for case in CASES if case.control is not None]


@pytest.mark.parametrize("case", [pytest.param(c, id=c.file) for c in CONTROLS])
def test_same_file_without_the_faulty_request_is_valid(store: Engine, case: Case) -> None:
    """The request (provider, dataflow, cap) is the only error: otherwise the file is valid."""
    options: dict[str, Any] = {
        "provider": case.provider,
        "dataflow": case.dataflow,
        "max_bytes": case.max_bytes,
    }
    options.update(case.control or {})
    before = snapshot(store)
    record = _submit(store, case.file, dry_run=True, **options)
    report = submission.report_json(record)
    assert record.status == "valid", report["findings"]
    assert record.id is None and report["errors"] == report["warnings"] == 0
    assert snapshot(store) == before


@pytest.mark.parametrize(
    "name", sorted(p.relative_to(INVALID).as_posix() for p in (INVALID / "baseline").iterdir())
)
def test_baselines_are_valid(store: Engine, name: str) -> None:
    """The files the crafted ones are cut from are clean (a dry run finds nothing)."""
    record = _submit(store, name, dry_run=True)
    report = submission.report_json(record)
    assert record.status == "valid" and report["findings"] == [], report["findings"]


# -- two-step and warning-only cases, each on a fresh store ------------------------------------


def test_series_belongs_to_the_provider_that_reported_it_first(
    engine: Engine, tmp_path: Path
) -> None:
    """OTHER may report a new series to DF_FACETS; BENCH then may not change it, and vice versa."""
    _prepare(engine)
    text_ = (INVALID / "SERIES_OF_ANOTHER_PROVIDER.csv").read_text(encoding="utf-8")
    new_series = tmp_path / "TUR.csv"
    new_series.write_text(text_.replace(",MAR,", ",TUR,"), encoding="utf-8")

    accepted = _submit(engine, "TUR.csv", provider=OTHER, path=new_series)
    assert accepted.status == "accepted", submission.report_json(accepted)["findings"]
    after_other = snapshot(engine)
    assert [v for v in after_other[FACETS] if v.series_key == "A.TUR"]

    refused = _submit(engine, "TUR.csv", provider=BENCH, path=new_series)
    report = submission.report_json(refused)
    assert refused.status == "rejected"
    assert set(report["counts_by_code"]) == {"SERIES_OF_ANOTHER_PROVIDER"}
    (finding,) = report["findings"]
    assert finding["series_key"] == "A.TUR" and finding["row"] == 2
    assert OTHER in finding["message"] and BENCH in finding["message"]
    assert snapshot(engine) == after_other


@pytest.mark.parametrize("name", ["DF_FACETS.csv", "DF_FACETS.xml"])
def test_an_optional_observation_attribute_may_be_left_out(
    engine: Engine, tmp_path: Path, name: str
) -> None:
    """The baseline with NOTE (conditional, observation level) only on the 2023 observation.

    A row lacking one of several observation attributes once made ``submit`` raise KeyError.
    """
    _load_structures(engine)
    original = (INVALID / "baseline" / name).read_text(encoding="utf-8")
    sparse = original.replace(",Final,", ",,").replace(' NOTE="Final"', "")
    assert sparse != original and "Provisional" in sparse
    path = tmp_path / name
    path.write_text(sparse, encoding="utf-8")
    record = _submit(engine, name, path=path)
    assert record.status == "accepted", submission.report_json(record)["findings"]
    with session_scope(engine) as session:
        stored = list(data.observation_views(session, FACETS))
    assert [view.attributes.get("NOTE") for view in stored] == [None, None, "Provisional", None]


def test_repeated_observation_is_only_a_warning(engine: Engine) -> None:
    """The same observation twice with the same content: stored once, one warning, accepted."""
    _prepare(engine)
    before = snapshot(engine)
    record = _submit(engine, "REPEATED_OBSERVATION.csv")
    report = submission.report_json(record)
    assert record.status == "accepted", report["findings"]
    assert report["errors"] == 0
    assert set(report["counts_by_code"]) == {"REPEATED_OBSERVATION"}
    assert [_where(f) for f in report["findings"]] == [
        _where(
            {
                "row": 6,
                "series_key": KEY,
                "period": "2015-Q2",
                "value": "6975.8",
                "column": "OBS_VALUE",
                "component": "OBS_VALUE",
            }
        )
    ], "one warning for one repeated row"
    assert all(f["severity"] == "warning" for f in report["findings"])
    # The four observations equal the stored ones: the data reads back unchanged.
    assert snapshot(engine)[LFS] == before[LFS]


# -- the folder and its README -----------------------------------------------------------------


def _crafted_files() -> set[str]:
    return {p.name for p in INVALID.iterdir() if p.is_file() and p.name != "README.md"}


def test_every_file_is_in_the_table_and_every_code_has_a_file() -> None:
    assert _crafted_files() == {c.file for c in CASES} | WARNING_FILES
    covered = {name.split(".")[0] for name in _crafted_files()}
    assert covered == set(CODES)
    for case in CASES:
        assert case.code in CODES and CODES[case.code].severity == "error"


def test_readme_lists_every_file_with_its_code() -> None:
    readme = (INVALID / "README.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^\| `([^`]+)` \|", readme, flags=re.MULTILINE))
    expected = _crafted_files() | {f"baseline/{p.name}" for p in (INVALID / "baseline").iterdir()}
    expected |= {f"structures/{p.name}" for p in (INVALID / "structures").iterdir()}
    assert listed == expected
