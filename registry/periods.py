"""SDMX time periods as pure functions: every ``ObservationalTimePeriod`` form becomes a ``Period``.

``parse_period`` reads one lexical value (xs:gYear ``2020``, xs:gYearMonth ``2020-01``, xs:date,
xs:dateTime, the reporting periods ``2020-A1``, ``-S1``, ``-T1``, ``-Q1``, ``-M01``, ``-W01``,
``-D001`` and time ranges ``2020-01-01/P1Y``, each optionally with a timezone) into the half-open
span ``[start, end)`` it covers, as timezone-aware UTC datetimes: a value with an offset is
shifted to UTC, a value without one is taken as UTC (the registry's server time). An xs:dateTime
covers one unit of its last written digit (``T10:00:00`` is that second, ``T10:00:00.5`` that
tenth of a second), so spans nest across all forms and ``2020-04-01T00:00:00`` is not inside
``2020-Q1``. Reporting periods are computed for a reporting year that starts on 1 January (weeks
are then ISO 8601 weeks); ``REPORTING_YEAR_START_DAY`` and the REST 2.x ``reportingYearStartDay``
parameter are not supported, so a non-calendar reporting year is read as the calendar year.
``matches_frequency`` and ``frequency_hint`` relate periods to SDMX ``CL_FREQ`` 2.1 codes;
``parse_query_bound``, ``contained`` and ``parse_updated_after`` implement the REST
``startPeriod``/``endPeriod`` (TCK-safe containment, R-DAT-04/05) and ``updatedAfter`` (R-DAT-07,
R-HTTP-11) rules; ``normalise`` gives the ISO start used by SDMX-CSV ``timeFormat=normalized``.
Parsing is cached per lexical value, because the ingest path calls it once per observation and
observations share few distinct periods; every bad value raises ``PeriodError`` whose ``reason``
a statistician can act on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from registry.errors import QuerySyntaxError

__all__ = [
    "FREQ_KINDS",
    "FREQ_NAMES",
    "KINDS",
    "Period",
    "PeriodError",
    "contained",
    "frequency_hint",
    "matches_frequency",
    "normalise",
    "parse_period",
    "parse_query_bound",
    "parse_updated_after",
]

#: Every value ``Period.kind`` takes.
KINDS = frozenset(
    {
        "year",
        "month",
        "day",
        "datetime",
        "reporting_year",
        "semester",
        "trimester",
        "quarter",
        "reporting_month",
        "week",
        "reporting_day",
        "range",
    }
)

#: SDMX ``CL_FREQ`` 2.1 code → the period kinds data of that frequency may use. A ``range`` only
#: matches when its duration is the frequency's own (``P1Y`` or ``P12M`` for A, ``P3M`` for Q…).
#: ``A_3`` ("three times a year") is the CL_FREQ code for trimesters: CL_FREQ has no ``T``. Codes
#: not listed (multi-year A2…A30, M2, W2, I, OA, OM, _O, _U, _Z…) constrain nothing here.
FREQ_KINDS: dict[str, frozenset[str]] = {
    "A": frozenset({"year", "reporting_year", "range"}),
    "S": frozenset({"semester", "range"}),
    "A_3": frozenset({"trimester", "range"}),
    "Q": frozenset({"quarter", "range"}),
    "M": frozenset({"month", "reporting_month", "range"}),
    "W": frozenset({"week", "range"}),
    "D": frozenset({"day", "reporting_day", "range"}),
    "B": frozenset({"day", "range"}),
    "H": frozenset({"datetime", "range"}),
    "N": frozenset({"datetime", "range"}),
}

#: How a fix hint names each frequency ("2020-Q1 is quarterly; FREQ says M").
FREQ_NAMES: dict[str, str] = {
    "A": "annual",
    "S": "half-yearly",
    "A_3": "four-monthly",
    "Q": "quarterly",
    "M": "monthly",
    "W": "weekly",
    "D": "daily",
    "B": "daily (business days)",
    "H": "hourly",
    "N": "minutely",
}

# (months, fixed part) of the one duration a range must have to match each frequency.
_RANGE_DURATIONS: dict[str, tuple[int, timedelta]] = {
    "A": (12, timedelta(0)),
    "S": (6, timedelta(0)),
    "A_3": (4, timedelta(0)),
    "Q": (3, timedelta(0)),
    "M": (1, timedelta(0)),
    "W": (0, timedelta(weeks=1)),
    "D": (0, timedelta(days=1)),
    "B": (0, timedelta(days=1)),
    "H": (0, timedelta(hours=1)),
    "N": (0, timedelta(minutes=1)),
}
_HINT_BY_DURATION = {v: k for k, v in reversed(_RANGE_DURATIONS.items())}  # D wins over B

_HINT_BY_KIND = {
    "year": "A",
    "reporting_year": "A",
    "semester": "S",
    "trimester": "A_3",
    "quarter": "Q",
    "month": "M",
    "reporting_month": "M",
    "week": "W",
    "day": "D",
    "reporting_day": "D",
}

_TZ = r"(Z|[+-]\d{2}:\d{2})?"
_GREGORIAN = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?" + _TZ)
_REPORTING = re.compile(r"(\d{4})-([ASTQMWD])(\d+)" + _TZ)
_DATETIME = re.compile(r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?" + _TZ)
_DURATION = re.compile(
    r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:\.(\d+))?S)?)?"
)
_TZ_SUFFIX = re.compile(r"(?:Z|[+-]\d{2}:\d{2})\Z")
# REST 1.5 OpenAPI: the dash after the year is optional (2020Q1, 2020M01, 202001, 20200131).
_DASHLESS = re.compile(r"(\d{4})-?(?:(\d{2})(?:-?(\d{2}))?|([ASTQMWD])(\d+))" + _TZ)
# R-HTTP-11: an unencoded "+" in a query string arrives as a space: "…T14:15:00 01:00".
_SPACED_OFFSET = re.compile(r"(.*T\d{2}:\d{2}:\d{2}(?:\.\d+)?) (\d{2}:\d{2})")
_SHORT_FIELDS = re.compile(r"\d{4}-\d{1,2}(?:-\d{1,2})?")

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

# letter → (kind, digits, highest number, what one is called, the written range)
_REPORTING_SPEC: dict[str, tuple[str, int, int, str, str]] = {
    "A": ("reporting_year", 1, 1, "reporting year", "A1 only"),
    "S": ("semester", 1, 2, "semester", "S1 or S2"),
    "T": ("trimester", 1, 3, "trimester", "T1 to T3"),
    "Q": ("quarter", 1, 4, "quarter", "Q1 to Q4"),
    "M": ("reporting_month", 2, 12, "reporting month", "M01 to M12"),
    "W": ("week", 2, 53, "week", "W01 to W53"),
    "D": ("reporting_day", 3, 366, "reporting day", "D001 to D366"),
}
# letter → months in one period, for the month-aligned reporting periods
_REPORTING_MONTHS = {"A": 12, "S": 6, "T": 4, "Q": 3, "M": 1}
_DIGIT_WORDS = {1: "one digit", 2: "two digits", 3: "three digits"}

_EXAMPLES = (
    "expected an SDMX time period such as 2020, 2020-01, 2020-01-31, 2020-01-31T10:00:00, "
    "2020-A1, 2020-S1, 2020-T1, 2020-Q1, 2020-M01, 2020-W01, 2020-D001 or 2020-01-01/P1Y"
)
_CACHE_SIZE = 16384  # about 45 years of daily periods, ~4.5 MB when full
_NO_SHIFT = timedelta(0)
_ONE_DAY = timedelta(days=1)
_ONE_WEEK = timedelta(weeks=1)


class PeriodError(QuerySyntaxError, ValueError):
    """A value that is not an SDMX time period; ``reason`` says why, without a final full stop.

    A ``QuerySyntaxError`` (SDMX 140, HTTP 400) so a bad ``startPeriod`` needs no translation in
    the API layer, and a ``ValueError`` for callers that only know Python; the submission
    validator turns it into a ``BAD_TIME_PERIOD`` finding with ``text`` and ``reason``.
    """

    def __init__(self, message: str, *, text: str = "", reason: str = "") -> None:
        super().__init__(message)
        self.text = text
        self.reason = reason or message


def _error(text: str, reason: str) -> PeriodError:
    if not text:
        return PeriodError("an empty value is not a valid period", reason=reason)
    return PeriodError(f"{text} is not a valid period: {reason}", text=text, reason=reason)


@dataclass(frozen=True, slots=True)
class Period:
    """One time period: its lexical ``text``, its ``kind`` and the UTC span ``[start, end)``."""

    text: str
    kind: str
    start: datetime
    end: datetime


# --- parsing ------------------------------------------------------------------------------------


@lru_cache(maxsize=_CACHE_SIZE)
def parse_period(text: str) -> Period:
    """Parse one SDMX time period; raise ``PeriodError`` naming what is wrong with it.

    Cached on the lexical value (``parse_period.cache_info()``); invalid values are not cached.
    """
    try:
        return _parse(text)
    except (OverflowError, ValueError) as exc:
        if isinstance(exc, PeriodError):
            raise
        # datetime's own range: a span that starts before year 1 or ends after year 9999
        raise _error(
            text, "it reaches beyond the years 0001 to 9999 that this registry supports"
        ) from exc


def _parse(text: str) -> Period:
    if "/" in text:
        return _parse_range(text)
    if len(text) > 10 and text[10] == "T":
        start, end, _ = _parse_datetime(text)
        return Period(text, "datetime", start, end)
    m = _GREGORIAN.fullmatch(text)
    if m is not None:
        return _parse_gregorian(text, m)
    m = _REPORTING.fullmatch(text)
    if m is not None:
        return _parse_reporting(text, m)
    raise _error(text, _garbage_reason(text))


def _garbage_reason(text: str) -> str:
    if not text:
        return "it is empty"
    if text != text.strip():
        return "it has spaces around it"
    upper = text.upper()
    if upper != text and (_REPORTING.fullmatch(upper) or _DATETIME.fullmatch(upper)):
        return f"write the letters in upper case: {upper}"
    if _SHORT_FIELDS.fullmatch(text):
        return "months and days are written with two digits (2020-01, 2020-01-05)"
    canonical = _dashed(text)
    if canonical is not None:
        return f"write it with a dash: {canonical}"
    return _EXAMPLES


def _dashed(text: str) -> str | None:
    """The dashed spelling of a REST 1.5 dashless period (``2020Q1`` → ``2020-Q1``), or None."""
    m = _DASHLESS.fullmatch(text)
    if m is None:
        return None
    y, mo, d, letter, number, tz = m.groups()
    if letter is not None:
        canonical = f"{y}-{letter}{number}"
    else:
        canonical = f"{y}-{mo}" + (f"-{d}" if d is not None else "")
    canonical += tz or ""
    return None if canonical == text else canonical


def _offset(text: str, tz: str | None) -> timedelta:
    """The UTC offset written as ``Z`` or ``±hh:mm`` (SDMX and XSD allow -14:00 to +14:00)."""
    if tz is None or tz == "Z":
        return _NO_SHIFT
    hours, minutes = int(tz[1:3]), int(tz[4:6])
    if minutes > 59 or hours > 14 or (hours == 14 and minutes):
        raise _error(text, f"timezone offset {tz} is outside -14:00 to +14:00")
    delta = timedelta(hours=hours, minutes=minutes)
    return -delta if tz[0] == "-" else delta


def _year(text: str, digits: str) -> int:
    year = int(digits)
    if year == 0:
        raise _error(text, "year 0000 does not exist")
    return year


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _days_in_month(year: int, month: int) -> int:
    if month == 2 and _is_leap(year):
        return 29
    return _DAYS_IN_MONTH[month - 1]


def _check_month(text: str, digits: str) -> int:
    month = int(digits)
    if not 1 <= month <= 12:
        raise _error(text, f"month {digits} does not exist")
    return month


def _check_day(text: str, year: int, month: int, digits: str) -> int:
    day = int(digits)
    last = _days_in_month(year, month)
    if day == 0:
        raise _error(text, f"day {digits} does not exist")
    if day > last:
        raise _error(text, f"{_MONTHS[month - 1]} {year:04d} has {last} days")
    return day


def _add_months(year: int, month: int, count: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + count
    return index // 12, index % 12 + 1


@lru_cache(maxsize=4096)
def _month_start(index: int) -> datetime:
    """Midnight UTC on the first of month ``index`` (year * 12 + month - 1); shared instances."""
    return datetime(index // 12, index % 12 + 1, 1, tzinfo=UTC)


def _month_span(year: int, month: int, count: int, shift: timedelta) -> tuple[datetime, datetime]:
    index = year * 12 + month - 1
    start = _month_start(index)
    end = _month_start(index + count)
    if shift:
        return start - shift, end - shift
    return start, end


def _parse_gregorian(text: str, m: re.Match[str]) -> Period:
    y, mo, d, tz = m.groups()
    year = _year(text, y)
    shift = _offset(text, tz) if tz else _NO_SHIFT
    if mo is None:
        start, end = _month_span(year, 1, 12, shift)
        return Period(text, "year", start, end)
    month = _check_month(text, mo)
    if d is None:
        start, end = _month_span(year, month, 1, shift)
        return Period(text, "month", start, end)
    day = _check_day(text, year, month, d)
    start = datetime(year, month, day, tzinfo=UTC)
    if shift:
        start -= shift
    return Period(text, "day", start, start + _ONE_DAY)


def _weeks_in_year(year: int) -> int:
    """52, or 53 when 1 January is a Thursday (or a Wednesday in a leap year): ISO 8601."""
    jan1 = datetime(year, 1, 1).weekday()  # Monday is 0
    return 53 if jan1 == 3 or (jan1 == 2 and _is_leap(year)) else 52


def _parse_reporting(text: str, m: re.Match[str]) -> Period:
    y, letter, digits, tz = m.groups()
    kind, width, highest, name, written = _REPORTING_SPEC[letter]
    if len(digits) != width:
        raise _error(text, f"a {name} is written with {_DIGIT_WORDS[width]} ({written})")
    number = int(digits)
    if not 1 <= number <= highest:
        raise _error(text, f"{name} {digits} does not exist ({written})")
    year = _year(text, y)
    shift = _offset(text, tz) if tz else _NO_SHIFT
    months = _REPORTING_MONTHS.get(letter)
    if months is not None:
        start, end = _month_span(year, (number - 1) * months + 1, months, shift)
        return Period(text, kind, start, end)
    if letter == "W":
        if number == 53 and _weeks_in_year(year) == 52:
            raise _error(text, f"{year:04d} has 52 ISO weeks, so W53 does not exist")
        jan4 = datetime(year, 1, 4, tzinfo=UTC)
        start = jan4 - timedelta(days=jan4.weekday() - 7 * (number - 1)) - shift
        return Period(text, kind, start, start + _ONE_WEEK)
    # letter == "D"
    if number == 366 and not _is_leap(year):
        raise _error(text, f"{year:04d} is not a leap year, so it has 365 days (D001 to D365)")
    start = _month_start(year * 12) + timedelta(days=number - 1) - shift
    return Period(text, kind, start, start + _ONE_DAY)


def _parse_datetime(text: str, value: str | None = None) -> tuple[datetime, datetime, timedelta]:
    """Parse an xs:dateTime (``value``, or all of ``text``) → (start, end, local offset).

    The span is one unit of the last written digit; ``T24:00:00`` is the next day's midnight.
    """
    value = text if value is None else value
    m = _DATETIME.fullmatch(value)
    if m is None:
        raise _error(text, f"{value} is not a date-time (expected YYYY-MM-DDThh:mm:ss[±hh:mm])")
    y, mo, d, hh, mi, ss, frac, tz = m.groups()
    year = _year(text, y)
    month = _check_month(text, mo)
    day = _check_day(text, year, month, d)
    hour, minute, second = int(hh), int(mi), int(ss)
    microsecond = int(frac[:6].ljust(6, "0")) if frac else 0
    midnight_after = hour == 24 and minute == 0 and second == 0 and microsecond == 0
    if hour > 23 and not midnight_after:
        raise _error(text, f"hour {hh} does not exist (00 to 23, or 24:00:00 for midnight)")
    if minute > 59:
        raise _error(text, f"minute {mi} does not exist")
    if second > 59:
        raise _error(text, f"second {ss} does not exist")
    shift = _offset(text, tz) if tz else _NO_SHIFT
    if midnight_after:
        start = datetime(year, month, day, tzinfo=UTC) + timedelta(days=1)
    else:
        start = datetime(year, month, day, hour, minute, second, microsecond, tzinfo=UTC)
    unit = timedelta(microseconds=10 ** (6 - min(len(frac), 6))) if frac else timedelta(seconds=1)
    return start - shift, start - shift + unit, shift


def _parse_range(text: str) -> Period:
    head, _, duration = text.partition("/")
    if "T" in head:
        start, _, shift = _parse_datetime(text, head)
    else:
        m = _GREGORIAN.fullmatch(head)
        if m is None or m.group(3) is None:
            if m is None and _REPORTING.fullmatch(head) is None:
                raise _error(text, _garbage_reason(text))
            raise _error(text, "a time range starts with a date or a date-time (2020-01-01/P1Y)")
        period = _parse_gregorian(text, m)
        start, shift = period.start, _offset(text, m.group(4))
    months, fixed = _duration(text, duration)
    local = start + shift
    year, month = _add_months(local.year, local.month, months)
    day = min(local.day, _days_in_month(year, month))  # XSD: pin to the month's last day
    end = local.replace(year=year, month=month, day=day) + fixed - shift
    return Period(text, "range", start, end)


@lru_cache(maxsize=256)
def _duration_cached(value: str) -> tuple[int, timedelta] | None:
    m = _DURATION.fullmatch(value)
    if m is None or value in ("P", "PT") or value.endswith("T"):
        return None
    y, mo, w, d, h, mi, s, frac = (g or "0" for g in m.groups())
    seconds = timedelta(seconds=int(s), microseconds=int(frac[:6].ljust(6, "0")))
    fixed = timedelta(weeks=int(w), days=int(d), hours=int(h), minutes=int(mi)) + seconds
    return int(y) * 12 + int(mo), fixed


def _duration(text: str, value: str) -> tuple[int, timedelta]:
    """An ISO 8601 duration → (whole months, fixed part); empty or malformed → ``PeriodError``."""
    parsed = _duration_cached(value)
    if parsed is None:
        examples = "such as P1Y, P3M, P1W, P1D, PT1H or P1Y6M"
        if not value:
            raise _error(text, f"a time range needs a duration after the / ({examples})")
        raise _error(
            text,
            f"{value} is not an ISO 8601 duration (a time range is a start and a duration, "
            f"{examples})",
        )
    if parsed == (0, timedelta(0)):
        raise _error(text, f"the duration {value} is empty")
    return parsed


# --- frequency ----------------------------------------------------------------------------------


def matches_frequency(period: Period, freq: str) -> bool:
    """Whether data of CL_FREQ ``freq`` may use ``period``; an unknown code is never a mismatch."""
    kinds = FREQ_KINDS.get(freq)
    if kinds is None:
        return True
    if period.kind not in kinds:
        return False
    if period.kind == "range":
        return _range_duration(period) == _RANGE_DURATIONS[freq]
    return True


def frequency_hint(period: Period) -> str:
    """The CL_FREQ code ``period`` implies (``2020-Q1`` → ``Q``), or ``""`` when none does.

    A date-time on the hour gives ``H``, otherwise ``N``; a range gives the code of its duration
    (``P1Y`` → ``A``, ``P1D`` → ``D``) and ``""`` for a duration no code describes (``P10D``).
    """
    hint = _HINT_BY_KIND.get(period.kind)
    if hint is not None:
        return hint
    if period.kind == "datetime":
        # read the written (local) time: an offset such as +05:30 must not turn 10:00 into 04:30
        m = _DATETIME.fullmatch(period.text)
        on_the_hour = m is not None and m[5] == m[6] == "00" and not int(m[7] or "0")
        return "H" if on_the_hour else "N"
    duration = _range_duration(period) if period.kind == "range" else None
    return "" if duration is None else _HINT_BY_DURATION.get(duration, "")


def _range_duration(period: Period) -> tuple[int, timedelta] | None:
    return _duration_cached(period.text.partition("/")[2])


# --- queries ------------------------------------------------------------------------------------


def parse_query_bound(text: str, *, end: bool) -> datetime:
    """A REST ``startPeriod`` (``end=False``) or ``endPeriod`` (``end=True``) → a UTC instant.

    ``startPeriod`` gives the start of its period and ``endPeriod`` the (exclusive) end of its
    period, so both bounds are inclusive (R-DAT-04). Every ``parse_period`` form is accepted, plus
    the REST 1.5 OpenAPI spellings without the dash (``2020Q1``, ``2020M01``, ``202001``,
    ``20200131``) and a date-time whose ``+`` arrived as a space (R-HTTP-11).
    """
    period = _query_period(text)
    return period.end if end else period.start


def _query_period(text: str) -> Period:
    try:
        return parse_period(text)
    except PeriodError as first:
        spaced = _SPACED_OFFSET.fullmatch(text)
        canonical = f"{spaced[1]}+{spaced[2]}" if spaced is not None else _dashed(text)
        if canonical is None:
            raise
        try:
            period = parse_period(canonical)
        except PeriodError as exc:
            raise _error(text, exc.reason) from first
        return Period(text, period.kind, period.start, period.end)


def contained(period: Period, start: datetime | None, end: datetime | None) -> bool:
    """The TCK-safe rule (R-DAT-05): the whole period lies within ``[start, end]``; None = open."""
    return (start is None or period.start >= start) and (end is None or period.end <= end)


def parse_updated_after(text: str) -> datetime:
    """A REST ``updatedAfter`` xs:dateTime → the aware UTC instant it names.

    The spec reads a value without a timezone in the server's local time; this registry's server
    time is UTC, so such a value is taken as UTC. A space where an unencoded ``+`` was
    (``2009-05-15T14:15:00 01:00``, R-HTTP-11) is read as ``+``. A plain date (``2009-05-15``) is
    tolerated as its midnight.
    """
    spaced = _SPACED_OFFSET.fullmatch(text)
    value = f"{spaced[1]}+{spaced[2]}" if spaced is not None else text
    try:
        period = parse_period(value)
    except PeriodError as exc:
        raise _error(text, exc.reason) from None
    if period.kind not in ("datetime", "day"):
        raise _error(text, "updatedAfter takes a date-time such as 2009-05-15T14:15:00+01:00")
    return period.start


# --- output -------------------------------------------------------------------------------------


def normalise(period: Period) -> str:
    """The period's start as ISO 8601, for SDMX-CSV ``timeFormat=normalized``.

    A date (``2020-Q2`` → ``2020-04-01``) for every form but date-times and ranges that start at
    a time, which keep their time (``2020-01-01T10:00:00``). The start is given in the period's
    own timezone and a timezone written in the period is kept (``2020-Q2Z`` → ``2020-04-01Z``).
    """
    return _normalised(period.text, period.kind, period.start)


@lru_cache(maxsize=_CACHE_SIZE)
def _normalised(text: str, kind: str, start: datetime) -> str:
    head = text.partition("/")[0] if kind == "range" else text
    suffix = _TZ_SUFFIX.search(head)
    tz = suffix.group() if suffix is not None else ""
    local = start + _offset(text, tz or None)
    if kind == "datetime" or (kind == "range" and "T" in head):
        return local.replace(tzinfo=None).isoformat() + tz
    return local.date().isoformat() + tz
