"""Data validation: the example submissions, one table-driven case per finding code, batches
(``check_batch`` against ``check``), memory."""

from __future__ import annotations

import dataclasses
import itertools
import random
import tracemalloc
from collections.abc import Iterable, Iterator
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from sdmx.model import common, v21

from registry.content import PROJECT_ROOT, content_files, load_files
from registry.io.data_events import (
    DataEvent,
    DataSetStart,
    GroupValues,
    Location,
    ObservationRow,
    batched,
)
from registry.io.sdmxcsv import read_csv
from registry.io.sdmxml import read_structures
from registry.io.sdmxml_data import read_data
from registry.validation.data import (
    SERIES,
    AttributeRule,
    DataValidator,
    Facets,
    FlowRules,
    compile_rules,
)
from registry.validation.report import ReportBuilder

EXAMPLES = PROJECT_ROOT / "examples"
SYNTHETIC_DSD = Path(__file__).parent / "data" / "bench" / "synthetic_dsd.xml"


# -- shipped content and examples ------------------------------------------------------------


@cache
def _content() -> tuple[object, ...]:
    return tuple(load_files(content_files()))


@cache
def _flow_rules(dataflow: str) -> FlowRules:
    objs = _content()
    codelists = {o.urn: o for o in objs if isinstance(o, v21.Codelist)}
    dsds = {o.id: o for o in objs if isinstance(o, v21.DataStructureDefinition)}
    flow = next(o for o in objs if isinstance(o, v21.DataflowDefinition) and o.id == dataflow)
    constraints = [
        o
        for o in objs
        if isinstance(o, v21.ContentConstraint)
        and any(isinstance(c, v21.DataflowDefinition) and c.id == flow.id for c in o.content)
    ]
    assert constraints, "every shipped dataflow has an Allowed constraint"
    return compile_rules(dsds[flow.structure.id], codelists, constraints)


def _validate(
    rules: FlowRules, events: Iterable[DataEvent], batch: int | None = None
) -> ReportBuilder:
    """The report of ``events``: one ``check`` per event, or ``check_batch`` per ``batch``."""
    report = ReportBuilder(max_listed=10**6)
    validator = DataValidator(rules, report)
    if batch is None:
        for event in events:
            validator.check(event)
    else:
        for chunk in batched(events, batch):
            validator.check_batch(chunk)
    validator.finish()
    return report


def _dumps(report: ReportBuilder) -> list[dict[str, object]]:
    return [f.as_dict() for f in report.findings]


def _validate_file(path: Path, dataflow: str, batch: int | None = None) -> ReportBuilder:
    rules = _flow_rules(dataflow)
    dims = [*rules.dimension_ids, rules.time_dimension or "TIME_PERIOD"]
    if path.suffix == ".csv":
        events = read_csv(path, dimension_ids=dims, attribute_ids=list(rules.attributes))
    else:
        events = read_data(path, dimension_ids=dims)
    return _validate(rules, events, batch)


def _error_codes(report: ReportBuilder) -> set[str]:
    return {f.code for f in report.findings if f.severity == "error"}


VALID = sorted(p for p in EXAMPLES.iterdir() if p.suffix in {".csv", ".xml"})


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_every_valid_example_has_no_finding(path: Path) -> None:
    report = _validate_file(path, path.name.split(".")[0])
    assert report.ok, [f.as_dict() for f in report.findings]
    assert not report.findings


#: code → the (row, column) of every expected finding (rows as read_csv numbers them).
INVALID = {
    "BAD_TIME_PERIOD": [(3, "TIME_PERIOD")],
    "CODE_NOT_IN_CODELIST": [(3, "SEX")],
    "FREQ_PERIOD_MISMATCH": [(3, "FREQ")],
    "MISSING_DIMENSION": [(2, "GEO"), (3, "GEO")],
    "MISSING_MANDATORY_ATTRIBUTE": [(3, "SOURCE")],
    "NON_NUMERIC_VALUE": [(3, "OBS_VALUE")],
}


#: Invalid examples whose code another part reports. DUPLICATE_OBSERVATION: the submission
#: service finds duplicates in the store's staging table (SQL, whatever the file size), so the
#: validator keeps no per-observation state.
NOT_THE_VALIDATORS = {"DUPLICATE_OBSERVATION"}


def test_every_invalid_example_is_covered() -> None:
    names = {p.stem for p in (EXAMPLES / "invalid").iterdir() if p.suffix == ".csv"}
    assert names == set(INVALID) | NOT_THE_VALIDATORS


@pytest.mark.parametrize("code", sorted(INVALID))
def test_invalid_example_yields_exactly_its_code(code: str) -> None:
    report = _validate_file(EXAMPLES / "invalid" / f"{code}.csv", "DF_LFS_KEY")
    assert _error_codes(report) == {code}
    assert [(f.location.row, f.location.column) for f in report.findings] == INVALID[code]
    for finding in report.findings:
        assert finding.series_key and finding.series_key.startswith("MAR.")
        finding.message("en"), finding.message("fr"), finding.hint()  # templates all filled


def test_not_authorised_is_not_the_validators_job() -> None:
    pytest.skip("NOT_AUTHORISED.xml: provision agreements are checked by the submission service")


def test_code_not_in_codelist_suggests_close_codes() -> None:
    report = _validate_file(EXAMPLES / "invalid" / "CODE_NOT_IN_CODELIST.csv", "DF_LFS_KEY")
    (finding,) = report.findings
    assert finding.value == "F" and finding.period == "2024-Q1"
    assert finding.params["codelist"] == "MA.HCP:CL_SEX_MA(1.0)"
    assert len(finding.params["suggestions"].split(", ")) == 3


def test_duplicates_are_left_to_the_submission_service() -> None:
    path = EXAMPLES / "invalid" / "DUPLICATE_OBSERVATION.csv"
    assert len(path.read_text().splitlines()) == 3  # header, then one observation twice
    for batch in (None, 10_000):
        report = _validate_file(path, "DF_LFS_KEY", batch)
        assert not report.findings, _dumps(report)


EXAMPLE_FILES = [*VALID, *sorted((EXAMPLES / "invalid").glob("*.csv"))]


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_check_batch_finds_what_check_finds_in_the_examples(path: Path) -> None:
    flow = "DF_LFS_KEY" if path.parent.name == "invalid" else path.name.split(".")[0]
    expected = _dumps(_validate_file(path, flow))
    for batch in (1, 2, 10_000):
        assert _dumps(_validate_file(path, flow, batch)) == expected


# -- synthetic DSD: one case per code ---------------------------------------------------------


@cache
def _synthetic() -> tuple[v21.DataStructureDefinition, dict[str, v21.Codelist]]:
    artefacts = read_structures(SYNTHETIC_DSD).artefacts
    codelists = {o.urn: o for o in artefacts if isinstance(o, v21.Codelist)}
    dsd = next(o for o in artefacts if isinstance(o, v21.DataStructureDefinition))
    return dsd, codelists


def _constraint(dimension: str, codes: list[str]) -> v21.ContentConstraint:
    dsd, _ = _synthetic()
    dim = dsd.dimensions.get(dimension)
    selection = v21.MemberSelection(
        values_for=dim, values=[v21.MemberValue(value=c) for c in codes]
    )
    return v21.ContentConstraint(
        id="CC_TEST",
        maintainer=common.Agency(id="TEST"),
        version="1.0",
        role=common.ConstraintRole(role=common.ConstraintRoleType.allowable),
        data_content_region=[v21.CubeRegion(included=True, member={dim: selection})],
    )


@cache
def _synthetic_rules(constrained: bool = False) -> FlowRules:
    dsd, codelists = _synthetic()
    constraints = [_constraint("REF_AREA", ["ARG", "MAR"])] if constrained else []
    return compile_rules(dsd, codelists, constraints)


def _with_comment(facets: Facets) -> FlowRules:
    """The synthetic rules with an uncoded observation-level COMMENT attribute."""
    rules = _synthetic_rules()
    comment = AttributeRule("COMMENT", mandatory=False, level="observation")
    return dataclasses.replace(
        rules,
        facets={**rules.facets, "COMMENT": facets},
        attributes={**rules.attributes, "COMMENT": comment},
    )


DIMS = {
    "FREQ": "Q",
    "REF_AREA": "ARG",
    "SEX": "SEX_T",
    "AGE": "AGE_YGE15",
    "ECO": "ECO_ISIC4_TOTAL",
    "MEASURE": "EMP",
    "TIME_PERIOD": "2016-Q1",
}
ATTRS = {"OBS_STATUS": "A", "UNIT_MEASURE": "PS", "UNIT_MULT": "3"}
START = DataSetStart(0, "Information", None, location=Location(line=1))


def row(
    n: int = 1,
    value: str | None = "6850.6",
    drop: tuple[str, ...] = (),
    **changes: str,
) -> ObservationRow:
    """A valid synthetic observation at CSV row ``n``, with components changed or dropped."""
    dims = {k: changes.get(k, v) for k, v in DIMS.items() if k not in drop}
    attrs = {k: changes.get(k, v) for k, v in ATTRS.items() if k not in drop}
    attrs.update({k: v for k, v in changes.items() if k not in DIMS and k not in ATTRS})
    return ObservationRow(dims, value, attrs, Location(row=n))


CASES: list[tuple[str, str | Facets | None, list[DataEvent], dict[str, int]]] = [
    ("valid", None, [START, row(1), row(2, TIME_PERIOD="2016-Q2")], {}),
    (
        "unknown once",
        None,
        [START, row(1, FOO="x"), row(2, TIME_PERIOD="2016-Q2", FOO="y")],
        {"UNKNOWN_COMPONENT": 1},
    ),
    ("missing dim", None, [START, row(1, drop=("SEX",))], {"MISSING_DIMENSION": 1}),
    ("empty dim", None, [START, row(1, SEX="")], {"EMPTY_DIMENSION_VALUE": 1}),
    ("not in codelist", None, [START, row(1, SEX="SEX_X")], {"CODE_NOT_IN_CODELIST": 1}),
    ("bad attribute code", None, [START, row(1, OBS_STATUS="Z")], {"CODE_NOT_IN_CODELIST": 1}),
    ("not allowed", "constrained", [START, row(1, REF_AREA="FRA")], {"CODE_NOT_ALLOWED": 1}),
    ("allowed", "constrained", [START, row(1, REF_AREA="MAR")], {}),
    (
        "missing obs attribute",
        None,
        [START, row(1, drop=("OBS_STATUS",))],
        {"MISSING_MANDATORY_ATTRIBUTE": 1},
    ),
    (
        "missing series attribute",
        None,
        [
            START,
            row(1, drop=("UNIT_MEASURE",)),
            row(2, TIME_PERIOD="2016-Q2", drop=("UNIT_MEASURE",)),
        ],
        {"MISSING_MANDATORY_ATTRIBUTE": 1},
    ),
    (
        "series attribute once is enough",
        None,
        [START, row(1), row(2, TIME_PERIOD="2016-Q2", drop=("UNIT_MEASURE",))],
        {},
    ),
    (
        "series attribute from group",
        None,
        [START, GroupValues("G", DIMS, {"UNIT_MEASURE": "PS"}), row(1, drop=("UNIT_MEASURE",))],
        {},
    ),
    (
        "inconsistent",
        None,
        [START, row(1), row(2, TIME_PERIOD="2016-Q2", UNIT_MULT="6")],
        {"INCONSISTENT_ATTRIBUTE": 1},
    ),
    (
        "inconsistent once per series and value",
        None,
        [
            START,
            row(1),
            row(2, TIME_PERIOD="2016-Q2", UNIT_MULT="6"),
            row(3, TIME_PERIOD="2016-Q3", UNIT_MULT="6"),
            row(4, TIME_PERIOD="2016-Q4"),
            row(5, TIME_PERIOD="2017-Q1", UNIT_MULT="0"),
            row(6, TIME_PERIOD="2017-Q2", UNIT_MULT="6"),
        ],
        {"INCONSISTENT_ATTRIBUTE": 2},
    ),
    (
        "bad series attribute once per series",
        None,
        [
            START,
            *(row(n, UNIT_MEASURE="PX", TIME_PERIOD=f"2016-Q{n}") for n in (1, 2, 3, 4)),
            *(row(n, SEX="SEX_F", UNIT_MEASURE="PX", TIME_PERIOD=f"2016-Q{n - 4}") for n in (5, 6)),
            row(7, SEX="SEX_M", UNIT_MEASURE="PX", UNIT_MULT="33"),
        ],
        {"CODE_NOT_IN_CODELIST": 4},
    ),
    (
        "bad attribute on every row",
        None,
        [START, *(row(n, OBS_STATUS="Z", TIME_PERIOD=f"2016-Q{n}") for n in (1, 2, 3))],
        {"CODE_NOT_IN_CODELIST": 3},
    ),
    (
        "bad period again after good rows",
        None,
        [
            START,
            row(1),
            row(2, TIME_PERIOD="2016-Q2"),
            row(3, TIME_PERIOD="2016-Q5"),
            row(4, TIME_PERIOD="2016-Q5", OBS_STATUS="E"),
        ],
        {"BAD_TIME_PERIOD": 2},
    ),
    ("non numeric", None, [START, row(1, value="1 234")], {"NON_NUMERIC_VALUE": 1}),
    ("decimal comma", None, [START, row(1, value="12,4")], {"NON_NUMERIC_VALUE": 1}),
    (
        "special doubles",
        None,
        [
            START,
            row(1, value="NaN"),
            row(2, value="-INF", TIME_PERIOD="2016-Q2"),
            row(3, value="1e3", TIME_PERIOD="2016-Q3"),
        ],
        {},
    ),
    ("integer measure", "integer", [START, row(1, value="1.5")], {"INVALID_VALUE_TYPE": 1}),
    ("too long", Facets(max_length=3), [START, row(1, COMMENT="abcd")], {"VALUE_TOO_LONG": 1}),
    ("too short", Facets(min_length=3), [START, row(1, COMMENT="ab")], {"VALUE_TOO_SHORT": 1}),
    (
        "out of range",
        Facets(text_type="Integer", max_value=Decimal(10)),
        [START, row(1, COMMENT="11")],
        {"VALUE_OUT_OF_RANGE": 1},
    ),
    ("pattern", Facets(pattern="[A-Z]+"), [START, row(1, COMMENT="abc")], {"PATTERN_MISMATCH": 1}),
    (
        "boolean",
        Facets(text_type="Boolean"),
        [START, row(1, COMMENT="yes")],
        {"INVALID_VALUE_TYPE": 1},
    ),
    (
        "date time",
        Facets(text_type="DateTime"),
        [START, row(1, COMMENT="2024-01-01")],
        {"INVALID_VALUE_TYPE": 1},
    ),
    ("bad period", None, [START, row(1, TIME_PERIOD="2016-Q5")], {"BAD_TIME_PERIOD": 1}),
    ("freq mismatch", None, [START, row(1, FREQ="A")], {"FREQ_PERIOD_MISMATCH": 1}),
    (
        "monthly ok",
        None,
        [START, row(1, FREQ="M", TIME_PERIOD="2016-M01"), row(2, FREQ="M", TIME_PERIOD="2016-02")],
        {},
    ),
    ("duplicate is the store's job", None, [START, row(1), row(2, value="1.0")], {}),
    (
        "missing value",
        None,
        [START, row(1, value=None, drop=("OBS_STATUS",))],
        {"MISSING_VALUE_WITHOUT_STATUS": 1, "MISSING_MANDATORY_ATTRIBUTE": 1},
    ),
    ("missing value with status", None, [START, row(1, value=None, OBS_STATUS="M")], {}),
    ("empty", None, [START], {"EMPTY_SUBMISSION": 1}),
    (
        "delete wildcards",
        None,
        [
            DataSetStart(0, "Delete", None),
            row(1, value=None, drop=("SEX", "AGE", "OBS_STATUS", "UNIT_MEASURE")),
        ],
        {},
    ),
]


def _case_rules(kind: object) -> FlowRules:
    if kind is None:
        return _synthetic_rules()
    if kind == "constrained":
        return _synthetic_rules(True)
    if kind == "integer":
        rules = _synthetic_rules()
        facets = {**rules.facets, "OBS_VALUE": Facets(text_type="Integer")}
        return dataclasses.replace(rules, facets=facets, measure_type="Integer")
    assert isinstance(kind, Facets)
    return _with_comment(kind)


@pytest.mark.parametrize(
    ("rules_kind", "events", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_synthetic_case(
    rules_kind: object, events: list[DataEvent], expected: dict[str, int]
) -> None:
    report = _validate(_case_rules(rules_kind), events)
    assert dict(report.counts) == expected, [f.as_dict() for f in report.findings]
    for batch in (1, 2, len(events)):
        assert _dumps(_validate(_case_rules(rules_kind), events, batch)) == _dumps(report)
    for finding in report.findings:
        finding.as_dict("en"), finding.as_dict("fr")  # every template gets its parameters
        if finding.code not in {"EMPTY_SUBMISSION", "UNKNOWN_COMPONENT"}:
            assert finding.series_key, finding
        if finding.location.row is not None and finding.component:
            assert finding.location.column == finding.component


def test_finding_carries_location_key_and_period() -> None:
    report = _validate(_synthetic_rules(), [START, row(7, SEX="SEX_X")])
    (f,) = report.findings
    assert f.location == Location(row=7, column="SEX")
    assert (f.component, f.value, f.period) == ("SEX", "SEX_X", "2016-Q1")
    assert f.series_key == "Q.ARG.SEX_X.AGE_YGE15.ECO_ISIC4_TOTAL.EMP"
    assert f.params["suggestions"].split(", ")[0] in {"SEX_T", "SEX_M", "SEX_F"}


def test_not_allowed_names_the_constraint() -> None:
    report = _validate(_synthetic_rules(True), [START, row(1, REF_AREA="FRA")])
    (f,) = report.findings
    assert f.params["constraint"] == "TEST:CC_TEST(1.0)"
    assert set(f.params["suggestions"].split(", ")) <= {"ARG", "MAR"}


def test_series_attribute_missing_is_reported_per_series_at_finish() -> None:
    rows = [row(i, REF_AREA=area, drop=("UNIT_MEASURE",)) for i, area in enumerate(["ARG", "MAR"])]
    report = _validate(_synthetic_rules(), [START, *rows])
    assert report.counts == {"MISSING_MANDATORY_ATTRIBUTE": 2}
    assert {f.params["level"] for f in report.findings} == {SERIES}
    assert {f.series_key.split(".")[1] for f in report.findings if f.series_key} == {"ARG", "MAR"}


def _bad_unit_rows(series: int, rows: int) -> Iterator[ObservationRow]:
    """``rows`` observations of each of ``series`` series, every one with UNIT_MEASURE = PX."""
    sexes = ("SEX_T", "SEX_F", "SEX_M")
    for s in range(series):
        for i in range(rows):
            n = 2 + s * rows + i
            period = f"{2000 + i // 4}-Q{i % 4 + 1}"
            yield row(n, SEX=sexes[s], UNIT_MEASURE="PX", TIME_PERIOD=period)


def test_a_bad_series_attribute_is_reported_once_per_series_at_its_first_row() -> None:
    events = [START, *_bad_unit_rows(series=2, rows=40)]
    report = _validate(_synthetic_rules(), events)
    assert report.counts == {"CODE_NOT_IN_CODELIST": 2}
    first, second = report.findings
    assert (first.location, first.period, first.value) == (
        Location(row=2, column="UNIT_MEASURE"),
        "2000-Q1",
        "PX",
    )
    assert first.series_key == "Q.ARG.SEX_T.AGE_YGE15.ECO_ISIC4_TOTAL.EMP"
    assert (second.location.row, second.period) == (42, "2000-Q1")
    assert second.series_key == "Q.ARG.SEX_F.AGE_YGE15.ECO_ISIC4_TOTAL.EMP"
    for batch in (1, 7, 100):
        assert _dumps(_validate(_synthetic_rules(), events, batch)) == _dumps(report)


def test_a_bad_series_attribute_from_a_later_row_is_reported_there() -> None:
    """Rows 2-3 leave UNIT_MEASURE empty (given once is enough), row 4 brings PX."""
    rows = list(_bad_unit_rows(series=1, rows=10))
    for r in rows[:2]:
        del r.attributes["UNIT_MEASURE"]
    report = _validate(_synthetic_rules(), [START, *rows])
    (finding,) = report.findings
    assert (finding.code, finding.location.row, finding.period) == (
        "CODE_NOT_IN_CODELIST",
        4,
        "2000-Q3",
    )


def test_observation_level_problems_stay_per_observation() -> None:
    rows = [row(n, OBS_STATUS="Z", TIME_PERIOD=f"2016-Q{n}") for n in (1, 2, 3, 4)]
    rows += [row(5, drop=("OBS_STATUS",), TIME_PERIOD="2017-Q1")]
    rows += [row(6, drop=("OBS_STATUS",), TIME_PERIOD="2017-Q2")]
    report = _validate(_synthetic_rules(), [START, *rows])
    assert report.counts == {"CODE_NOT_IN_CODELIST": 4, "MISSING_MANDATORY_ATTRIBUTE": 2}
    assert [f.location.row for f in report.findings] == [1, 2, 3, 4, 5, 6]


def test_errors_repeat_per_row_for_a_known_bad_series() -> None:
    rows = [row(i, SEX="SEX_X", TIME_PERIOD=f"2016-Q{i}") for i in range(1, 5)]
    report = _validate(_synthetic_rules(), [START, *rows])
    assert report.counts == {"CODE_NOT_IN_CODELIST": 4}
    assert [f.location.row for f in report.findings] == [1, 2, 3, 4]


def test_compile_rules_reads_the_dsd() -> None:
    rules = _synthetic_rules()
    assert rules.dimension_ids == ("FREQ", "REF_AREA", "SEX", "AGE", "ECO", "MEASURE")
    assert rules.time_dimension == "TIME_PERIOD"
    assert (rules.measure_id, rules.measure_type) == ("OBS_VALUE", "Double")
    assert rules.allowed["SEX"] == {"SEX_T", "SEX_M", "SEX_F"}
    assert rules.attributes["OBS_STATUS"].level == "observation"
    assert rules.attributes["UNIT_MEASURE"] == AttributeRule(
        "UNIT_MEASURE", True, SERIES, ("FREQ", "REF_AREA", "SEX", "AGE", "ECO", "MEASURE")
    )


def test_compile_rules_takes_codelists_from_the_mapping() -> None:
    dsd, codelists = _synthetic()
    urn = "urn:sdmx:org.sdmx.infomodel.codelist.Codelist=TEST:CL_SEX(1.0)"
    narrow = v21.Codelist(id="CL_SEX", maintainer=common.Agency(id="TEST"), version="1.0")
    narrow.append(v21.Code(id="SEX_T"))
    rules = compile_rules(dsd, {**codelists, urn: narrow}, [])
    assert rules.allowed["SEX"] == {"SEX_T"}
    report = _validate(rules, [START, row(1, SEX="SEX_M")])
    assert report.counts == {"CODE_NOT_IN_CODELIST": 1}


# -- check_batch against check on streams with every kind of problem -------------------------


def _variant_rules(kind: str) -> FlowRules:
    rules = _synthetic_rules()
    if kind == "group":  # UNIT_MULT keyed by part of the series key
        attr = AttributeRule("UNIT_MULT", True, "group", ("REF_AREA", "SEX"))
    elif kind == "dataset":  # UNIT_MULT expected once for the dataset
        attr = AttributeRule("UNIT_MULT", True, "dataset")
    else:
        return _with_comment(Facets(max_length=5, pattern="[a-z]+")) if kind == "comment" else rules
    return dataclasses.replace(rules, attributes={**rules.attributes, "UNIT_MULT": attr})


#: (part, component, spoilt value; None removes the component) for ``_mutate``.
SPOILS: list[tuple[str, str, str | None]] = [
    ("dims", "SEX", "SEX_X"),
    ("dims", "AGE", ""),
    ("dims", "ECO", None),
    ("dims", "BAR", "y"),
    ("dims", "TIME_PERIOD", "2016-Q5"),
    ("dims", "TIME_PERIOD", "1999-07"),
    ("dims", "TIME_PERIOD", ""),
    ("dims", "TIME_PERIOD", None),
    ("attrs", "OBS_STATUS", "Z"),
    ("attrs", "OBS_STATUS", None),
    ("attrs", "UNIT_MEASURE", None),
    ("attrs", "UNIT_MULT", "6"),
    ("attrs", "UNIT_MEASURE", "PT"),
    ("attrs", "FOO", "x"),
    ("attrs", "COMMENT", "too long"),
    ("attrs", "COMMENT", "ABC"),
]
BAD_VALUES = ["abc", "12,4", "-3", "1e3", "NaN", "+INF", "6850.60", "1.5", "", None]


def _mutate(rng: random.Random, dims: dict[str, str], attrs: dict[str, str]) -> str | None:
    """Spoil a dimension, an attribute or the value of a row; the row's value."""
    value = f"{rng.randint(0, 9999)}.{rng.randint(0, 9)}"
    if rng.random() < 0.3:
        if rng.random() < 0.5:
            attrs.pop("OBS_STATUS")  # so that a missing value has no status saying why
        return rng.choice(BAD_VALUES)
    part, component, spoilt = rng.choice(SPOILS)
    target = dims if part == "dims" else attrs
    if spoilt is None:
        target.pop(component, None)
    else:
        target[component] = spoilt
    return None if component == "TIME_PERIOD" and spoilt is None else value


def _random_stream(rng: random.Random, error_rate: float) -> list[DataEvent]:
    """Series of 1-8 observations, some rows spoilt, maybe interleaved, groups, Delete sets."""
    keys = list(itertools.product(["ARG", "MAR", "AUS"], ["SEX_T", "SEX_F"], ["EMP", "UNE"]))
    rng.shuffle(keys)
    rows: list[ObservationRow] = []
    for area, sex, measure in keys[: rng.randint(1, len(keys))]:
        freq = rng.choice(["Q", "Q", "A"])
        for i in range(rng.randint(1, 8)):
            period = f"{2000 + i // 4}-Q{i % 4 + 1}" if freq == "Q" else str(2000 + i)
            dims = {**DIMS, "FREQ": freq, "REF_AREA": area, "SEX": sex, "MEASURE": measure}
            dims["TIME_PERIOD"] = period
            attrs = {**ATTRS, "OBS_STATUS": rng.choice("AAAEP")}
            value: str | None = f"{rng.randint(0, 9999)}.{rng.randint(0, 9)}"
            if rng.random() < error_rate:
                value = _mutate(rng, dims, attrs)
            series_only = value is None and "TIME_PERIOD" not in dims
            rows.append(
                ObservationRow(dims, value, attrs, Location(row=len(rows) + 2), series_only)
            )
    if rng.random() < 0.3:
        rows.sort(key=lambda r: r.dimensions.get("TIME_PERIOD") or "")  # by period, not series
    events: list[DataEvent] = [START]
    for r in rows:
        if rng.random() < 0.02:
            key = {"REF_AREA": r.dimensions.get("REF_AREA", "ARG"), "SEX": "SEX_T"}
            events.append(GroupValues("G", key, {"UNIT_MULT": rng.choice("36")}, r.location))
        elif rng.random() < 0.01:
            action = rng.choice(["Delete", "Append"])
            events.append(DataSetStart(1, action, None, {"UNIT_MULT": "3"}, location=r.location))
        events.append(r)
    return events


@pytest.mark.parametrize("kind", ["plain", "group", "dataset", "comment"])
def test_check_batch_finds_what_check_finds_in_random_streams(kind: str) -> None:
    rules = _variant_rules(kind)
    found: set[str] = set()
    for seed in range(60):
        rng = random.Random(seed)
        events = _random_stream(rng, rng.choice([0.0, 0.05, 0.3]))
        expected = _dumps(_validate(rules, events))
        found |= {f["code"] for f in expected}
        report = ReportBuilder(max_listed=10**6)
        validator = DataValidator(rules, report)
        i = 0
        while i < len(events):  # batches of random sizes, as a reader's batches may end anywhere
            size = rng.randint(1, 9)
            validator.check_batch(events[i : i + size])
            i += size
        validator.finish()
        assert _dumps(report) == expected, seed
    assert len(found) >= 10, found  # the streams do exercise most codes


# -- memory --------------------------------------------------------------------------------------


def _fresh(text: str) -> str:
    """An equal string that is another object, as a reader builds for every row."""
    return (text + " ")[:-1]


def _synthetic_rows(
    count: int, ages: tuple[str, ...] = ("AGE_YGE15",), quarters: int = 100, fresh: bool = False
) -> Iterator[ObservationRow]:
    """``count`` distinct valid observations (up to 60 × 3 × 4 × 22 × ``ages`` series ×
    ``quarters``); with ``fresh`` every value a new string object, as readers give them."""
    _, codelists = _synthetic()
    cl = "urn:sdmx:org.sdmx.infomodel.codelist.Codelist=TEST:{}(1.0)"
    areas = sorted(codelists[cl.format("CL_AREA")].items)
    ecos = sorted(codelists[cl.format("CL_ECO")].items)
    measures = sorted(codelists[cl.format("CL_MEASURE")].items)
    periods = [f"{y}-Q{q}" for y in range(2000, 2025) for q in range(1, 5)][:quarters]
    keys = itertools.product(areas, ecos, ["SEX_T", "SEX_M", "SEX_F"], measures, ages)
    n = 0
    for area, eco, sex, measure, age in keys:
        base = {"REF_AREA": area, "ECO": eco, "SEX": sex, "MEASURE": measure, "AGE": age}
        for period in periods:
            n += 1
            if n > count:
                return
            dims = {**DIMS, **base, "TIME_PERIOD": period}
            attrs = ATTRS
            if fresh:
                dims = {k: _fresh(v) for k, v in dims.items()}
                attrs = {k: _fresh(v) for k, v in attrs.items()}
            yield ObservationRow(dims, f"{n}.5", attrs, Location(row=n))


def test_200k_observations_stay_within_memory() -> None:
    rules = _synthetic_rules()
    tracemalloc.start()
    try:
        report = _validate(rules, itertools.chain([START], _synthetic_rows(200_000)), 1_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.ok, report.as_dict()
    # Nothing kept per observation (20 bytes each would be 4 MB; the validator that found
    # duplicates itself peaked at 22 MB here): about 1.3 MB, mostly the batch being checked.
    assert peak < 4 * 2**20, f"peak {peak / 2**20:.1f} MiB"


def test_state_per_series_is_small() -> None:
    """47,520 series cost well under 250 bytes each (so 100,000 series well under 30 MB)."""
    _, codelists = _synthetic()
    ages = tuple(
        sorted(codelists["urn:sdmx:org.sdmx.infomodel.codelist.Codelist=TEST:CL_AGE(1.0)"].items)
    )
    rules = _synthetic_rules()
    report = ReportBuilder()
    tracemalloc.start()
    try:
        validator = DataValidator(rules, report)
        validator.check(START)
        for chunk in batched(_synthetic_rows(47_520, ages[:3], quarters=1, fresh=True), 1_000):
            validator.check_batch(chunk)
        del chunk
        validator.finish()
        kept, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.ok, report.as_dict()
    assert len(validator._series) == 47_520
    assert kept / 47_520 < 250, f"{kept / 47_520:.0f} bytes a series"
