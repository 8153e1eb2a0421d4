"""``registry.periods``: every lexical form with its span, every bad form with its message, FREQ.

Tables drive the tests: valid periods with their UTC ``[start, end)``, invalid ones with the
reason a statistician reads, FREQ codes with matching and mismatching periods, REST query bounds
(dashless 1.5 forms included), ``updatedAfter`` (R-HTTP-11 space tolerance) and the SDMX-CSV
normalised form. ISO weeks and reporting days are checked exhaustively against the standard
library's calendar over whole ranges of years rather than on a few samples.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest

from registry.errors import QuerySyntaxError, RegistryError
from registry.periods import (
    FREQ_KINDS,
    FREQ_NAMES,
    KINDS,
    Period,
    PeriodError,
    contained,
    frequency_hint,
    matches_frequency,
    normalise,
    parse_period,
    parse_query_bound,
    parse_updated_after,
)


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, us: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, us, tzinfo=UTC)


# text, kind, start, end
VALID: list[tuple[str, str, datetime, datetime]] = [
    # xs:gYear, xs:gYearMonth, xs:date
    ("2020", "year", utc(2020, 1, 1), utc(2021, 1, 1)),
    ("1999", "year", utc(1999, 1, 1), utc(2000, 1, 1)),
    ("2020-01", "month", utc(2020, 1, 1), utc(2020, 2, 1)),
    ("2020-12", "month", utc(2020, 12, 1), utc(2021, 1, 1)),
    ("2020-02", "month", utc(2020, 2, 1), utc(2020, 3, 1)),
    ("2020-01-31", "day", utc(2020, 1, 31), utc(2020, 2, 1)),
    ("2020-02-29", "day", utc(2020, 2, 29), utc(2020, 3, 1)),
    ("2000-02-29", "day", utc(2000, 2, 29), utc(2000, 3, 1)),
    ("2020-12-31", "day", utc(2020, 12, 31), utc(2021, 1, 1)),
    # xs:dateTime: one unit of the last written digit
    ("2020-01-31T10:15:30", "datetime", utc(2020, 1, 31, 10, 15, 30), utc(2020, 1, 31, 10, 15, 31)),
    (
        "2020-01-31T10:15:30.5",
        "datetime",
        utc(2020, 1, 31, 10, 15, 30, 500000),
        utc(2020, 1, 31, 10, 15, 30, 600000),
    ),
    (
        "2020-01-31T10:15:30.123456789",
        "datetime",
        utc(2020, 1, 31, 10, 15, 30, 123456),
        utc(2020, 1, 31, 10, 15, 30, 123457),
    ),
    ("2020-12-31T23:59:59", "datetime", utc(2020, 12, 31, 23, 59, 59), utc(2021, 1, 1)),
    ("2020-12-31T24:00:00", "datetime", utc(2021, 1, 1), utc(2021, 1, 1, 0, 0, 1)),
    # reporting periods (year starting on 1 January)
    ("2020-A1", "reporting_year", utc(2020, 1, 1), utc(2021, 1, 1)),
    ("2020-S1", "semester", utc(2020, 1, 1), utc(2020, 7, 1)),
    ("2020-S2", "semester", utc(2020, 7, 1), utc(2021, 1, 1)),
    ("2020-T1", "trimester", utc(2020, 1, 1), utc(2020, 5, 1)),
    ("2020-T2", "trimester", utc(2020, 5, 1), utc(2020, 9, 1)),
    ("2020-T3", "trimester", utc(2020, 9, 1), utc(2021, 1, 1)),
    ("2020-Q1", "quarter", utc(2020, 1, 1), utc(2020, 4, 1)),
    ("2020-Q2", "quarter", utc(2020, 4, 1), utc(2020, 7, 1)),
    ("2020-Q3", "quarter", utc(2020, 7, 1), utc(2020, 10, 1)),
    ("2020-Q4", "quarter", utc(2020, 10, 1), utc(2021, 1, 1)),
    ("2020-M01", "reporting_month", utc(2020, 1, 1), utc(2020, 2, 1)),
    ("2020-M12", "reporting_month", utc(2020, 12, 1), utc(2021, 1, 1)),
    ("2020-W01", "week", utc(2019, 12, 30), utc(2020, 1, 6)),
    ("2020-W53", "week", utc(2020, 12, 28), utc(2021, 1, 4)),
    ("2021-W01", "week", utc(2021, 1, 4), utc(2021, 1, 11)),
    ("2021-W52", "week", utc(2021, 12, 27), utc(2022, 1, 3)),
    ("2015-W53", "week", utc(2015, 12, 28), utc(2016, 1, 4)),
    ("2020-D001", "reporting_day", utc(2020, 1, 1), utc(2020, 1, 2)),
    ("2020-D060", "reporting_day", utc(2020, 2, 29), utc(2020, 3, 1)),
    ("2021-D060", "reporting_day", utc(2021, 3, 1), utc(2021, 3, 2)),
    ("2020-D366", "reporting_day", utc(2020, 12, 31), utc(2021, 1, 1)),
    ("2021-D365", "reporting_day", utc(2021, 12, 31), utc(2022, 1, 1)),
    # time ranges: a date or date-time start and an ISO 8601 duration
    ("2020-01-01/P1Y", "range", utc(2020, 1, 1), utc(2021, 1, 1)),
    ("2020-01-01/P12M", "range", utc(2020, 1, 1), utc(2021, 1, 1)),
    ("2020-01-01T00:00:00/P3M", "range", utc(2020, 1, 1), utc(2020, 4, 1)),
    ("2020-07-01/P6M", "range", utc(2020, 7, 1), utc(2021, 1, 1)),
    ("2020-01-31/P1M", "range", utc(2020, 1, 31), utc(2020, 2, 29)),  # XSD: pinned to Feb 29
    ("2021-01-31/P1M", "range", utc(2021, 1, 31), utc(2021, 2, 28)),
    ("2020-02-29/P1Y", "range", utc(2020, 2, 29), utc(2021, 2, 28)),
    ("2020-01-06/P1W", "range", utc(2020, 1, 6), utc(2020, 1, 13)),
    ("2020-01-06/P2W", "range", utc(2020, 1, 6), utc(2020, 1, 20)),
    ("2020-01-01/P10D", "range", utc(2020, 1, 1), utc(2020, 1, 11)),
    ("2020-01-01/P1Y2M3W4D", "range", utc(2020, 1, 1), utc(2021, 3, 26)),
    ("2020-01-01T06:00:00/PT1H", "range", utc(2020, 1, 1, 6), utc(2020, 1, 1, 7)),
    ("2020-01-01T06:00:00/PT30M", "range", utc(2020, 1, 1, 6), utc(2020, 1, 1, 6, 30)),
    ("2020-01-01T06:00:00/PT1.5S", "range", utc(2020, 1, 1, 6), utc(2020, 1, 1, 6, 0, 1, 500000)),
    ("2020-01-01/P1DT12H", "range", utc(2020, 1, 1), utc(2020, 1, 2, 12)),
    ("2020-01-01/PT36H", "range", utc(2020, 1, 1), utc(2020, 1, 2, 12)),
]

# text, kind, start, end: the same forms with a timezone, shifted to UTC
TIMEZONES: list[tuple[str, str, datetime, datetime]] = [
    ("2020Z", "year", utc(2020, 1, 1), utc(2021, 1, 1)),
    ("2020+01:00", "year", utc(2019, 12, 31, 23), utc(2020, 12, 31, 23)),
    ("2020-01-05:00", "month", utc(2020, 1, 1, 5), utc(2020, 2, 1, 5)),
    ("2020-01-31Z", "day", utc(2020, 1, 31), utc(2020, 2, 1)),
    ("2020-01-31+02:00", "day", utc(2020, 1, 30, 22), utc(2020, 1, 31, 22)),
    ("2020-01-31T10:00:00Z", "datetime", utc(2020, 1, 31, 10), utc(2020, 1, 31, 10, 0, 1)),
    ("2020-01-31T10:00:00+01:00", "datetime", utc(2020, 1, 31, 9), utc(2020, 1, 31, 9, 0, 1)),
    (
        "2020-01-31T10:00:00-05:30",
        "datetime",
        utc(2020, 1, 31, 15, 30),
        utc(2020, 1, 31, 15, 30, 1),
    ),
    ("2020-01-01T00:00:00+14:00", "datetime", utc(2019, 12, 31, 10), utc(2019, 12, 31, 10, 0, 1)),
    ("2020-01-01T00:00:00-14:00", "datetime", utc(2020, 1, 1, 14), utc(2020, 1, 1, 14, 0, 1)),
    ("2020-Q1+01:00", "quarter", utc(2019, 12, 31, 23), utc(2020, 3, 31, 23)),
    ("2020-S2Z", "semester", utc(2020, 7, 1), utc(2021, 1, 1)),
    ("2020-M02-01:00", "reporting_month", utc(2020, 2, 1, 1), utc(2020, 3, 1, 1)),
    ("2020-W01+01:00", "week", utc(2019, 12, 29, 23), utc(2020, 1, 5, 23)),
    ("2020-D001-12:00", "reporting_day", utc(2020, 1, 1, 12), utc(2020, 1, 2, 12)),
    ("2020-01-01+01:00/P1D", "range", utc(2019, 12, 31, 23), utc(2020, 1, 1, 23)),
    ("2020-01-31T00:00:00+01:00/P1M", "range", utc(2020, 1, 30, 23), utc(2020, 2, 28, 23)),
]


@pytest.mark.parametrize(("text", "kind", "start", "end"), VALID + TIMEZONES, ids=lambda v: str(v))
def test_valid_period(text: str, kind: str, start: datetime, end: datetime) -> None:
    period = parse_period(text)
    assert period == Period(text, kind, start, end)
    assert period.start.tzinfo is UTC and period.end.tzinfo is UTC
    assert period.start < period.end


def test_every_kind_is_covered_by_the_table() -> None:
    assert {kind for _, kind, _, _ in VALID} == KINDS


# text, the message (the reason is the part after "is not a valid period: ")
INVALID: list[tuple[str, str]] = [
    ("2020-13", "2020-13 is not a valid period: month 13 does not exist"),
    ("2020-00", "2020-00 is not a valid period: month 00 does not exist"),
    ("2020-13-01", "2020-13-01 is not a valid period: month 13 does not exist"),
    ("2020-01-32", "2020-01-32 is not a valid period: January 2020 has 31 days"),
    ("2020-01-00", "2020-01-00 is not a valid period: day 00 does not exist"),
    ("2020-02-30", "2020-02-30 is not a valid period: February 2020 has 29 days"),
    ("2021-02-29", "2021-02-29 is not a valid period: February 2021 has 28 days"),
    ("1900-02-29", "1900-02-29 is not a valid period: February 1900 has 28 days"),
    ("2100-02-29", "2100-02-29 is not a valid period: February 2100 has 28 days"),
    ("2020-04-31", "2020-04-31 is not a valid period: April 2020 has 30 days"),
    ("0000", "0000 is not a valid period: year 0000 does not exist"),
    ("2020-A2", "2020-A2 is not a valid period: reporting year 2 does not exist (A1 only)"),
    ("2020-A0", "2020-A0 is not a valid period: reporting year 0 does not exist (A1 only)"),
    ("2020-S0", "2020-S0 is not a valid period: semester 0 does not exist (S1 or S2)"),
    ("2020-S3", "2020-S3 is not a valid period: semester 3 does not exist (S1 or S2)"),
    ("2020-T4", "2020-T4 is not a valid period: trimester 4 does not exist (T1 to T3)"),
    ("2020-Q0", "2020-Q0 is not a valid period: quarter 0 does not exist (Q1 to Q4)"),
    ("2020-Q5", "2020-Q5 is not a valid period: quarter 5 does not exist (Q1 to Q4)"),
    ("2020-Q01", "2020-Q01 is not a valid period: a quarter is written with one digit (Q1 to Q4)"),
    ("2020-M00", "2020-M00 is not a valid period: reporting month 00 does not exist (M01 to M12)"),
    ("2020-M13", "2020-M13 is not a valid period: reporting month 13 does not exist (M01 to M12)"),
    (
        "2020-M1",
        "2020-M1 is not a valid period: a reporting month is written with two digits (M01 to M12)",
    ),
    ("2020-W00", "2020-W00 is not a valid period: week 00 does not exist (W01 to W53)"),
    ("2020-W54", "2020-W54 is not a valid period: week 54 does not exist (W01 to W53)"),
    ("2021-W53", "2021-W53 is not a valid period: 2021 has 52 ISO weeks, so W53 does not exist"),
    ("2020-W1", "2020-W1 is not a valid period: a week is written with two digits (W01 to W53)"),
    (
        "2020-D000",
        "2020-D000 is not a valid period: reporting day 000 does not exist (D001 to D366)",
    ),
    (
        "2020-D367",
        "2020-D367 is not a valid period: reporting day 367 does not exist (D001 to D366)",
    ),
    (
        "2021-D366",
        "2021-D366 is not a valid period: 2021 is not a leap year, so it has 365 days (D001 to D365)",
    ),
    (
        "2020-D01",
        "2020-D01 is not a valid period: a reporting day is written with three digits (D001 to D366)",
    ),
    (
        "2020-01-01T25:00:00",
        "2020-01-01T25:00:00 is not a valid period: hour 25 does not exist (00 to 23, or 24:00:00 for midnight)",
    ),
    (
        "2020-01-01T24:00:01",
        "2020-01-01T24:00:01 is not a valid period: hour 24 does not exist (00 to 23, or 24:00:00 for midnight)",
    ),
    ("2020-01-01T10:60:00", "2020-01-01T10:60:00 is not a valid period: minute 60 does not exist"),
    ("2020-01-01T10:00:60", "2020-01-01T10:00:60 is not a valid period: second 60 does not exist"),
    (
        "2020-02-30T10:00:00",
        "2020-02-30T10:00:00 is not a valid period: February 2020 has 29 days",
    ),
    (
        "2020-01-01T10:00",
        "2020-01-01T10:00 is not a valid period: 2020-01-01T10:00 is not a date-time (expected YYYY-MM-DDThh:mm:ss[±hh:mm])",
    ),
    (
        "2020-01-01T10:00:00+15:00",
        "2020-01-01T10:00:00+15:00 is not a valid period: timezone offset +15:00 is outside -14:00 to +14:00",
    ),
    (
        "2020-Q1+14:30",
        "2020-Q1+14:30 is not a valid period: timezone offset +14:30 is outside -14:00 to +14:00",
    ),
    (
        "2020-01-01+01:60",
        "2020-01-01+01:60 is not a valid period: timezone offset +01:60 is outside -14:00 to +14:00",
    ),
    # ranges
    (
        "2020-01-01/",
        "2020-01-01/ is not a valid period: a time range needs a duration after the / (such as P1Y, P3M, P1W, P1D, PT1H or P1Y6M)",
    ),
    (
        "2020-01-01/P",
        "2020-01-01/P is not a valid period: P is not an ISO 8601 duration (a time range is a start and a duration, such as P1Y, P3M, P1W, P1D, PT1H or P1Y6M)",
    ),
    (
        "2020-01-01/PT",
        "2020-01-01/PT is not a valid period: PT is not an ISO 8601 duration (a time range is a start and a duration, such as P1Y, P3M, P1W, P1D, PT1H or P1Y6M)",
    ),
    (
        "2020-01-01/P1DT",
        "2020-01-01/P1DT is not a valid period: P1DT is not an ISO 8601 duration (a time range is a start and a duration, such as P1Y, P3M, P1W, P1D, PT1H or P1Y6M)",
    ),
    (
        "2020-01-01/P1H",
        "2020-01-01/P1H is not a valid period: P1H is not an ISO 8601 duration (a time range is a start and a duration, such as P1Y, P3M, P1W, P1D, PT1H or P1Y6M)",
    ),
    (
        "2020-01-01/-P1Y",
        "2020-01-01/-P1Y is not a valid period: -P1Y is not an ISO 8601 duration (a time range is a start and a duration, such as P1Y, P3M, P1W, P1D, PT1H or P1Y6M)",
    ),
    (
        "2020-01-01/2020-12-31",
        "2020-01-01/2020-12-31 is not a valid period: 2020-12-31 is not an ISO 8601 duration (a time range is a start and a duration, such as P1Y, P3M, P1W, P1D, PT1H or P1Y6M)",
    ),
    ("2020-01-01/P0D", "2020-01-01/P0D is not a valid period: the duration P0D is empty"),
    ("2020-01-01/PT0S", "2020-01-01/PT0S is not a valid period: the duration PT0S is empty"),
    (
        "2020/P1Y",
        "2020/P1Y is not a valid period: a time range starts with a date or a date-time (2020-01-01/P1Y)",
    ),
    (
        "2020/",
        "2020/ is not a valid period: a time range starts with a date or a date-time (2020-01-01/P1Y)",
    ),
    (
        "2020-Q1/P3M",
        "2020-Q1/P3M is not a valid period: a time range starts with a date or a date-time (2020-01-01/P1Y)",
    ),
    ("2021-02-29/P1D", "2021-02-29/P1D is not a valid period: February 2021 has 28 days"),
    # spelling mistakes with a precise hint
    ("2020-q1", "2020-q1 is not a valid period: write the letters in upper case: 2020-Q1"),
    (
        "2020-01-01t10:00:00",
        "2020-01-01t10:00:00 is not a valid period: write the letters in upper case: 2020-01-01T10:00:00",
    ),
    (
        "2020-1",
        "2020-1 is not a valid period: months and days are written with two digits (2020-01, 2020-01-05)",
    ),
    (
        "2020-01-5",
        "2020-01-5 is not a valid period: months and days are written with two digits (2020-01, 2020-01-05)",
    ),
    ("2020Q1", "2020Q1 is not a valid period: write it with a dash: 2020-Q1"),
    ("2020M01", "2020M01 is not a valid period: write it with a dash: 2020-M01"),
    ("202001", "202001 is not a valid period: write it with a dash: 2020-01"),
    (" 2020", " 2020 is not a valid period: it has spaces around it"),
    ("2020 ", "2020  is not a valid period: it has spaces around it"),
    ("", "an empty value is not a valid period"),
    # the range of years datetime can hold
    (
        "9999",
        "9999 is not a valid period: it reaches beyond the years 0001 to 9999 that this registry supports",
    ),
    (
        "0001-01-01+01:00",
        "0001-01-01+01:00 is not a valid period: it reaches beyond the years 0001 to 9999 that this registry supports",
    ),
]

EXAMPLES = (
    "expected an SDMX time period such as 2020, 2020-01, 2020-01-31, 2020-01-31T10:00:00, "
    "2020-A1, 2020-S1, 2020-T1, 2020-Q1, 2020-M01, 2020-W01, 2020-D001 or 2020-01-01/P1Y"
)
GARBAGE = ["abc", "Q1 2020", "2020-X1", "20", "20201", "-2020", "12020", "2020-Q", "N/A", "1/2"]


@pytest.mark.parametrize(("text", "message"), INVALID, ids=[t for t, _ in INVALID])
def test_invalid_period(text: str, message: str) -> None:
    with pytest.raises(PeriodError) as info:
        parse_period(text)
    assert str(info.value) == message
    assert info.value.text == text
    prefix = f"{text} is not a valid period: "
    assert info.value.reason == (message.removeprefix(prefix) if text else "it is empty")
    assert not info.value.reason.endswith(".")  # the report template adds its own full stop


@pytest.mark.parametrize("text", GARBAGE)
def test_garbage(text: str) -> None:
    with pytest.raises(PeriodError) as info:
        parse_period(text)
    assert str(info.value) == f"{text} is not a valid period: {EXAMPLES}"


def test_period_error_is_a_value_error_and_a_query_syntax_error() -> None:
    with pytest.raises(PeriodError) as info:
        parse_period("2020-13")
    error = info.value
    assert isinstance(error, ValueError)
    assert isinstance(error, QuerySyntaxError) and isinstance(error, RegistryError)
    assert (error.code, error.status) == (140, 400)
    assert error.message == str(error)


def test_period_is_a_frozen_slotted_value() -> None:
    period = parse_period("2020-Q1")
    with pytest.raises(dataclasses.FrozenInstanceError):
        period.kind = "month"  # type: ignore[misc]
    assert not hasattr(period, "__dict__")
    assert parse_period("2020-Q1") is period  # cached on the lexical value


# --- calendars, exhaustively -------------------------------------------------------------------


@pytest.mark.parametrize("year", range(1990, 2051))
def test_iso_weeks_match_the_standard_library(year: int) -> None:
    has_w53 = date(year, 12, 28).isocalendar().week == 53
    weeks = 53 if has_w53 else 52
    for week in range(1, weeks + 1):
        period = parse_period(f"{year}-W{week:02d}")
        monday = date.fromisocalendar(year, week, 1)
        assert period.start == utc(monday.year, monday.month, monday.day)
        assert period.end - period.start == timedelta(weeks=1)
    if not has_w53:
        with pytest.raises(PeriodError, match=f"{year} has 52 ISO weeks, so W53 does not exist"):
            parse_period(f"{year}-W53")


@pytest.mark.parametrize(
    ("year", "has_w53"), [(2015, True), (2020, True), (2026, True), (2021, False), (2022, False)]
)
def test_week_53_years(year: int, has_w53: bool) -> None:
    if has_w53:
        assert parse_period(f"{year}-W53").kind == "week"
    else:
        with pytest.raises(PeriodError):
            parse_period(f"{year}-W53")


@pytest.mark.parametrize("year", [1900, 2000, 2019, 2020, 2021, 2024, 2100])
def test_reporting_days_match_the_standard_library(year: int) -> None:
    leap = date(year, 12, 31).timetuple().tm_yday == 366
    for number in range(1, 366 + leap):
        day = date(year, 1, 1) + timedelta(days=number - 1)
        period = parse_period(f"{year}-D{number:03d}")
        assert (period.start, period.end) == (
            utc(day.year, day.month, day.day),
            utc(day.year, day.month, day.day) + timedelta(days=1),
        )
    if not leap:
        with pytest.raises(PeriodError, match="is not a leap year"):
            parse_period(f"{year}-D366")


@pytest.mark.parametrize(
    ("year", "leap"), [(1900, False), (2000, True), (2020, True), (2021, False), (2100, False)]
)
def test_february_29(year: int, leap: bool) -> None:
    if leap:
        assert parse_period(f"{year}-02-29").kind == "day"
        assert parse_period(f"{year}-02").end == utc(year, 3, 1)
    else:
        with pytest.raises(PeriodError, match=f"February {year} has 28 days"):
            parse_period(f"{year}-02-29")


@pytest.mark.parametrize("year", [2019, 2020])
def test_every_day_of_a_year_nests_in_its_month_quarter_semester_and_year(year: int) -> None:
    day = date(year, 1, 1)
    while day.year == year:
        p = parse_period(day.isoformat())
        q, s, t = (day.month - 1) // 3 + 1, (day.month - 1) // 6 + 1, (day.month - 1) // 4 + 1
        for outer in (
            f"{year}-{day.month:02d}",
            f"{year}-M{day.month:02d}",
            f"{year}-Q{q}",
            f"{year}-T{t}",
            f"{year}-S{s}",
            f"{year}-A1",
            str(year),
        ):
            o = parse_period(outer)
            assert contained(p, o.start, o.end), (day, outer)
        day += timedelta(days=1)


# --- FREQ ---------------------------------------------------------------------------------------

# text, FREQ, matches
FREQ_CASES: list[tuple[str, str, bool]] = [
    ("2020", "A", True),
    ("2020-A1", "A", True),
    ("2020-01-01/P1Y", "A", True),
    ("2020-01-01/P12M", "A", True),
    ("2020-07-01/P1Y", "A", True),
    ("2020-01-01/P2Y", "A", False),
    ("2020-01-01/P6M", "A", False),
    ("2020-Q1", "A", False),
    ("2020-01", "A", False),
    ("2020-S1", "S", True),
    ("2020-01-01/P6M", "S", True),
    ("2020", "S", False),
    ("2020-Q1", "S", False),
    ("2020-T1", "A_3", True),
    ("2020-01-01/P4M", "A_3", True),
    ("2020-Q1", "A_3", False),
    ("2020-Q1", "Q", True),
    ("2020-01-01/P3M", "Q", True),
    ("2020-01", "Q", False),
    ("2020-M01", "Q", False),
    ("2020-S1", "Q", False),
    ("2020-01", "M", True),
    ("2020-M01", "M", True),
    ("2020-01-15/P1M", "M", True),
    ("2020-Q1", "M", False),
    ("2020-01-31", "M", False),
    ("2020-W01", "W", True),
    ("2020-01-06/P1W", "W", True),
    ("2020-01-06/P7D", "W", True),
    ("2020-01-06/P2W", "W", False),
    ("2020-01", "W", False),
    ("2020-01-31", "D", True),
    ("2020-D031", "D", True),
    ("2020-01-31/P1D", "D", True),
    ("2020-01-31/PT24H", "D", True),
    ("2020-01-31T00:00:00", "D", False),
    ("2020-W05", "D", False),
    ("2020-01-31", "B", True),
    ("2020-D031", "B", False),
    ("2020-01", "B", False),
    ("2020-01-31T10:00:00", "H", True),
    ("2020-01-31T10:00:00/PT1H", "H", True),
    ("2020-01-31T10:00:00/PT60M", "H", True),
    ("2020-01-31", "H", False),
    ("2020-01-31T10:00:00/PT1M", "H", False),
    ("2020-01-31T10:01:00", "N", True),
    ("2020-01-31T10:01:00/PT1M", "N", True),
    ("2020-01-31", "N", False),
    # codes this table does not constrain: the codelist check is the validator's job
    ("2020-Q1", "A2", True),
    ("2020-Q1", "I", True),
    ("2020-Q1", "_Z", True),
    ("2020-Q1", "XYZ", True),
]


@pytest.mark.parametrize(("text", "freq", "expected"), FREQ_CASES, ids=lambda v: str(v))
def test_matches_frequency(text: str, freq: str, expected: bool) -> None:
    assert matches_frequency(parse_period(text), freq) is expected


HINTS: list[tuple[str, str]] = [
    ("2020", "A"),
    ("2020-A1", "A"),
    ("2020-S2", "S"),
    ("2020-T2", "A_3"),
    ("2020-Q1", "Q"),
    ("2020-01", "M"),
    ("2020-M01", "M"),
    ("2020-W01", "W"),
    ("2020-01-31", "D"),
    ("2020-D031", "D"),
    ("2020-01-31T10:00:00", "H"),
    ("2020-01-31T10:00:00+05:30", "H"),  # on the hour where it was written
    ("2020-01-31T10:00:00.000", "H"),
    ("2020-01-31T10:30:00", "N"),
    ("2020-01-31T10:00:01", "N"),
    ("2020-01-01/P1Y", "A"),
    ("2020-01-01/P3M", "Q"),
    ("2020-01-01/P1W", "W"),
    ("2020-01-01/P1D", "D"),
    ("2020-01-01T00:00:00/PT1H", "H"),
    ("2020-01-01/P10D", ""),
    ("2020-01-01/P2Y", ""),
]


@pytest.mark.parametrize(("text", "hint"), HINTS, ids=[t for t, _ in HINTS])
def test_frequency_hint(text: str, hint: str) -> None:
    period = parse_period(text)
    assert frequency_hint(period) == hint
    if hint:
        assert matches_frequency(period, hint)
        assert hint in FREQ_NAMES


def test_frequency_tables_are_consistent() -> None:
    assert set(FREQ_NAMES) == set(FREQ_KINDS)
    assert set().union(*FREQ_KINDS.values()) == KINDS
    assert "T" not in FREQ_KINDS  # SDMX CL_FREQ 2.1 has A_3 for trimesters, no T


def test_a_hint_for_every_kind_but_odd_ranges() -> None:
    for text, kind, _, _ in VALID:
        hint = frequency_hint(parse_period(text))
        assert hint or kind == "range", text


# --- queries ------------------------------------------------------------------------------------

# text, start bound (end=False), end bound (end=True)
BOUNDS: list[tuple[str, datetime, datetime]] = [
    ("2020", utc(2020, 1, 1), utc(2021, 1, 1)),
    ("2020-03", utc(2020, 3, 1), utc(2020, 4, 1)),
    ("2020-03-15", utc(2020, 3, 15), utc(2020, 3, 16)),
    ("2020-A1", utc(2020, 1, 1), utc(2021, 1, 1)),
    ("2020-S2", utc(2020, 7, 1), utc(2021, 1, 1)),
    ("2020-T2", utc(2020, 5, 1), utc(2020, 9, 1)),
    ("2020-Q1", utc(2020, 1, 1), utc(2020, 4, 1)),
    ("2020-M01", utc(2020, 1, 1), utc(2020, 2, 1)),
    ("2020-W01", utc(2019, 12, 30), utc(2020, 1, 6)),
    ("2020-D366", utc(2020, 12, 31), utc(2021, 1, 1)),
    ("2020-01-01T10:00:00", utc(2020, 1, 1, 10), utc(2020, 1, 1, 10, 0, 1)),
    ("2020-01-01T10:00:00+01:00", utc(2020, 1, 1, 9), utc(2020, 1, 1, 9, 0, 1)),
    ("2020-01-01T10:00:00 01:00", utc(2020, 1, 1, 9), utc(2020, 1, 1, 9, 0, 1)),  # R-HTTP-11
    ("2020-01-01/P1Y", utc(2020, 1, 1), utc(2021, 1, 1)),
    # the REST 1.5 OpenAPI regex makes the dash optional
    ("2020A1", utc(2020, 1, 1), utc(2021, 1, 1)),
    ("2020S1", utc(2020, 1, 1), utc(2020, 7, 1)),
    ("2020T3", utc(2020, 9, 1), utc(2021, 1, 1)),
    ("2020Q1", utc(2020, 1, 1), utc(2020, 4, 1)),
    ("2020M01", utc(2020, 1, 1), utc(2020, 2, 1)),
    ("2020W53", utc(2020, 12, 28), utc(2021, 1, 4)),
    ("2020D060", utc(2020, 2, 29), utc(2020, 3, 1)),
    ("202003", utc(2020, 3, 1), utc(2020, 4, 1)),
    ("20200315", utc(2020, 3, 15), utc(2020, 3, 16)),
    ("2020-0315", utc(2020, 3, 15), utc(2020, 3, 16)),
    ("2020Q1Z", utc(2020, 1, 1), utc(2020, 4, 1)),
]


@pytest.mark.parametrize(("text", "start", "end"), BOUNDS, ids=[t for t, _, _ in BOUNDS])
def test_query_bound(text: str, start: datetime, end: datetime) -> None:
    assert parse_query_bound(text, end=False) == start
    assert parse_query_bound(text, end=True) == end


BAD_BOUNDS: list[tuple[str, str]] = [
    ("2020-13", "2020-13 is not a valid period: month 13 does not exist"),
    ("202013", "202013 is not a valid period: month 13 does not exist"),
    ("2020Q5", "2020Q5 is not a valid period: quarter 5 does not exist (Q1 to Q4)"),
    ("2021W53", "2021W53 is not a valid period: 2021 has 52 ISO weeks, so W53 does not exist"),
    ("2020S|", f"2020S| is not a valid period: {EXAMPLES}"),  # the 1.5 regex's S[1|2] typo
    ("yesterday", f"yesterday is not a valid period: {EXAMPLES}"),
    ("", "an empty value is not a valid period"),
]


@pytest.mark.parametrize(("text", "message"), BAD_BOUNDS, ids=[t for t, _ in BAD_BOUNDS])
def test_bad_query_bound(text: str, message: str) -> None:
    for end in (False, True):
        with pytest.raises(PeriodError) as info:
            parse_query_bound(text, end=end)
        assert str(info.value) == message


def test_checklist_example_r_dat_05() -> None:
    """Monthly 2020-03 is inside startPeriod=2020-Q1&endPeriod=2020-Q1; annual 2020 is not."""
    start = parse_query_bound("2020-Q1", end=False)
    end = parse_query_bound("2020-Q1", end=True)
    assert contained(parse_period("2020-03"), start, end)
    assert contained(parse_period("2020-M03"), start, end)
    assert not contained(parse_period("2020"), start, end)
    assert not contained(parse_period("2020-04"), start, end)
    assert not contained(parse_period("2020-04-01T00:00:00"), start, end)  # first instant of Q2
    assert contained(parse_period("2020-03-31T23:59:59"), start, end)


# period, startPeriod, endPeriod, contained
CONTAINMENT: list[tuple[str, str | None, str | None, bool]] = [
    ("2020-03", "2020-Q1", "2020-Q1", True),
    ("2020", "2020-Q1", "2020-Q1", False),
    ("2020", "2020", "2020", True),
    ("2020-Q1", "2020-01", "2020-03", True),
    ("2020-Q1", "2020-01", "2020-02", False),
    ("2020-Q1", "2020-02", None, False),
    ("2020-Q1", None, "2020-03-31", True),
    ("2020-Q1", None, None, True),
    ("2020-W01", "2020", "2020", False),  # starts on 2019-12-30
    ("2020-W01", "2019", "2020", True),
    ("2020-01-01T10:00:00", "2020-01-01T10:00:00", "2020-01-01T10:00:00", True),
    ("2020-01-01T10:00:00", "2020-01-01T10:00:01", None, False),
    ("2020-01-01T10:00:00+01:00", "2020-01-01T09:00:00Z", "2020-01-01T09:00:00Z", True),
    ("2020-Q1", "2020S1", "2020S1", True),
    ("2020-S2", "2020Q1", "2020Q2", False),
]


@pytest.mark.parametrize(("text", "start", "end", "expected"), CONTAINMENT, ids=lambda v: str(v))
def test_contained(text: str, start: str | None, end: str | None, expected: bool) -> None:
    lower = None if start is None else parse_query_bound(start, end=False)
    upper = None if end is None else parse_query_bound(end, end=True)
    assert contained(parse_period(text), lower, upper) is expected


UPDATED_AFTER: list[tuple[str, datetime]] = [
    ("2009-05-15T14:15:00+01:00", utc(2009, 5, 15, 13, 15)),
    ("2009-05-15T14:15:00 01:00", utc(2009, 5, 15, 13, 15)),  # R-HTTP-11: "+" became a space
    ("2009-05-15T14:15:00-01:00", utc(2009, 5, 15, 15, 15)),
    ("2009-05-15T14:15:00Z", utc(2009, 5, 15, 14, 15)),
    ("2009-05-15T14:15:00", utc(2009, 5, 15, 14, 15)),  # no timezone: server time, UTC
    ("2009-05-15T14:15:00.250 01:00", utc(2009, 5, 15, 13, 15, 0, 250000)),
    ("2009-05-15", utc(2009, 5, 15)),  # a date is tolerated as its midnight
]


@pytest.mark.parametrize(("text", "instant"), UPDATED_AFTER, ids=[t for t, _ in UPDATED_AFTER])
def test_updated_after(text: str, instant: datetime) -> None:
    parsed = parse_updated_after(text)
    assert parsed == instant
    assert parsed.tzinfo is UTC


BAD_UPDATED_AFTER: list[tuple[str, str]] = [
    (
        "2009-05",
        "2009-05 is not a valid period: updatedAfter takes a date-time such as 2009-05-15T14:15:00+01:00",
    ),
    (
        "2009-Q1",
        "2009-Q1 is not a valid period: updatedAfter takes a date-time such as 2009-05-15T14:15:00+01:00",
    ),
    (
        "2009-05-15T25:00:00",
        "2009-05-15T25:00:00 is not a valid period: hour 25 does not exist (00 to 23, or 24:00:00 for midnight)",
    ),
    (
        "2009-05-15T14:15:00 15:00",
        "2009-05-15T14:15:00 15:00 is not a valid period: timezone offset +15:00 is outside -14:00 to +14:00",
    ),
    ("now", f"now is not a valid period: {EXAMPLES}"),
]


@pytest.mark.parametrize(
    ("text", "message"), BAD_UPDATED_AFTER, ids=[t for t, _ in BAD_UPDATED_AFTER]
)
def test_bad_updated_after(text: str, message: str) -> None:
    with pytest.raises(PeriodError) as info:
        parse_updated_after(text)
    assert str(info.value) == message


# --- output -------------------------------------------------------------------------------------

NORMALISED: list[tuple[str, str]] = [
    ("2020", "2020-01-01"),
    ("2020-03", "2020-03-01"),
    ("2020-03-15", "2020-03-15"),
    ("2020-A1", "2020-01-01"),
    ("2020-S2", "2020-07-01"),
    ("2020-T2", "2020-05-01"),
    ("2020-Q2", "2020-04-01"),
    ("2020-M11", "2020-11-01"),
    ("2020-W01", "2019-12-30"),
    ("2020-D366", "2020-12-31"),
    ("2020-01-01/P1Y", "2020-01-01"),
    ("2020-01-01T06:00:00/PT1H", "2020-01-01T06:00:00"),
    ("2020-01-31T10:15:30", "2020-01-31T10:15:30"),
    ("2020-01-31T10:15:30.5", "2020-01-31T10:15:30.500000"),
    ("2020-01-31T24:00:00", "2020-02-01T00:00:00"),
    # a written timezone is kept, and the start is given in it
    ("2020-Q2Z", "2020-04-01Z"),
    ("2020-Q2+01:00", "2020-04-01+01:00"),
    ("2020-01-31-05:00", "2020-01-31-05:00"),
    ("2020-01-31T10:15:30+01:00", "2020-01-31T10:15:30+01:00"),
    ("2020-01-31T10:15:30Z", "2020-01-31T10:15:30Z"),
    ("2020-01-01+02:00/P1D", "2020-01-01+02:00"),
]


@pytest.mark.parametrize(("text", "expected"), NORMALISED, ids=[t for t, _ in NORMALISED])
def test_normalise(text: str, expected: str) -> None:
    assert normalise(parse_period(text)) == expected
