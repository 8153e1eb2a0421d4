"""``parse_data_query`` and ``parse_availability_query``: the REST 1.5 grammar, table by table.

Valid URLs (written as a client sends them, percent-encoding and all) give the expected query
fields; every bad input gives the right error class (``QuerySyntaxError`` 400 or
``UnsupportedError`` 501) with a message naming the culprit. Period bounds are checked against
instants written out by hand for every period form of every frequency.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest

from registry.errors import QuerySyntaxError, RegistryError, UnsupportedError
from registry.periods import parse_period
from registry.query.data import (
    AVAILABILITY_REFERENCES,
    DATA_DETAILS,
    AvailabilityQuery,
    DataQuery,
    FlowRef,
    PeriodBound,
    parse_availability_query,
    parse_data_query,
)
from registry.query.params import TRANSPORT_PARAMS

F = frozenset


def data(url: str) -> DataQuery:
    """Parse ``data/{flowRef}[/{key}[/{providerRef}]][?query]`` as the API layer will."""
    parts = urlsplit(url)
    segments = [unquote(s) for s in parts.path.split("/")]
    assert segments[0] == "data", url
    flow, key, provider = [*segments[1:], None, None][:3]
    assert flow is not None
    return parse_data_query(flow, key, provider, dict(parse_qsl(parts.query, True)))


def availability(url: str) -> AvailabilityQuery:
    """Parse ``availableconstraint/{flowRef}[/{key}[/{providerRef}[/{componentID}]]][?query]``."""
    parts = urlsplit(url)
    segments = [unquote(s) for s in parts.path.split("/")]
    assert segments[0] == "availableconstraint", url
    flow, key, provider, component = [*segments[1:], None, None, None][:4]
    assert flow is not None
    query = dict(parse_qsl(parts.query, True))
    return parse_availability_query(flow, key, provider, component, query)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def epoch(text: str) -> int:
    return int(utc(text).timestamp())


# --- data queries: valid ------------------------------------------------------------------------

DATA_VALID: list[tuple[str, dict[str, Any]]] = [
    # R-DAT-01: the three flowRef forms; ID means all,ID,latest; agency all is any agency.
    ("data/DF_LFS", dict(flow=FlowRef(None, "DF_LFS", "latest"), key=None, providers=None)),
    ("data/MA.HCP,DF_LFS", dict(flow=FlowRef("MA.HCP", "DF_LFS", "latest"))),
    ("data/MA.HCP,DF_LFS,1.0", dict(flow=FlowRef("MA.HCP", "DF_LFS", "1.0"))),
    ("data/MA.HCP,DF_LFS,latest", dict(flow=FlowRef("MA.HCP", "DF_LFS", "latest"))),
    ("data/all,DF_LFS,2.1.3", dict(flow=FlowRef(None, "DF_LFS", "2.1.3"))),
    ("data/ILO,DF_$@-1,1.0.0-draft", dict(flow=FlowRef("ILO", "DF_$@-1", "1.0.0-draft"))),
    ("data/A-B_C.D,1", dict(flow=FlowRef("A-B_C.D", "1", "latest"))),
    # R-DAT-02: all, missing and empty keys mean everything.
    ("data/DF_LFS/all", dict(key=None)),
    ("data/DF_LFS/", dict(key=None)),
    ("data/DF_LFS/all/all", dict(key=None, providers=None)),
    # Positions: codes, + lists (OR, duplicates collapse, order irrelevant), empty = wildcard.
    ("data/DF/M", dict(key=(F({"M"}),))),
    ("data/DF/M.FR+DE..A", dict(key=(F({"M"}), F({"FR", "DE"}), F(), F({"A"})))),
    ("data/DF/M.DE+FR+DE..A", dict(key=(F({"M"}), F({"FR", "DE"}), F(), F({"A"})))),
    ("data/DF/.", dict(key=(F(), F()))),
    ("data/DF/..", dict(key=(F(), F(), F()))),
    ("data/DF/...A", dict(key=(F(), F(), F(), F({"A"})))),
    ("data/DF/A...", dict(key=(F({"A"}), F(), F(), F()))),
    ("data/DF/A+Q+M.", dict(key=(F({"A", "Q", "M"}), F()))),
    ("data/DF/_T.Y15-24.$X.@1", dict(key=(F({"_T"}), F({"Y15-24"}), F({"$X"}), F({"@1"})))),
    ("data/DF/ALL", dict(key=(F({"ALL"}),))),  # only lower-case "all" is the keyword,
    ("data/DF/all.M", dict(key=(F({"all"}), F({"M"})))),  # and only as the whole key
    # R-DAT-03: providerRef forms and + lists.
    ("data/DF/all/HCP", dict(providers=F({(None, "HCP")}))),
    ("data/DF/all/MA.HCP,HCP", dict(providers=F({("MA.HCP", "HCP")}))),
    ("data/DF/all/all,HCP", dict(providers=F({(None, "HCP")}))),
    ("data/DF/all/CH2+NO2", dict(providers=F({(None, "CH2"), (None, "NO2")}))),
    (
        "data/DF/all/MA,HCP+ANAPEC+MA.GOV,CNSS",
        dict(providers=F({("MA", "HCP"), (None, "ANAPEC"), ("MA.GOV", "CNSS")})),
    ),
    ("data/DF/all/HCP+all", dict(providers=None)),
    ("data/DF/all/", dict(providers=None)),
    # The checklist examples (R-DAT-04/07, R-HTTP-11).
    (
        "data/ECB,ECB_EXR1_WEB,latest/M..EUR.SP00.A/ECB",
        dict(
            flow=FlowRef("ECB", "ECB_EXR1_WEB", "latest"),
            key=(F({"M"}), F(), F({"EUR"}), F({"SP00"}), F({"A"})),
            providers=F({(None, "ECB")}),
        ),
    ),
    (
        "data/ECB_EXR1_WEB/D.USD.EUR.SP00.A?startPeriod=2009-05-01&endPeriod=2009-05-31",
        dict(
            start_period=PeriodBound("2009-05-01", utc("2009-05-01"), epoch("2009-05-01")),
            end_period=PeriodBound("2009-05-31", utc("2009-06-01"), epoch("2009-06-01")),
        ),
    ),
    (
        "data/ECB_EXR1_WEB/M.USD+GBP+JPY.EUR.SP00.A?updatedAfter=2009-05-15T14%3A15%3A00%2B01%3A00",
        dict(updated_after=utc("2009-05-15T13:15:00")),
    ),
    # An unencoded + arrives as a space and is read as +.
    (
        "data/DF?updatedAfter=2009-05-15T14:15:00+01:00",
        dict(updated_after=utc("2009-05-15T13:15:00")),
    ),
    ("data/DF?updatedAfter=2009-05-15T14:15:00Z", dict(updated_after=utc("2009-05-15T14:15:00"))),
    ("data/DF?updatedAfter=2009-05-15T14:15:00", dict(updated_after=utc("2009-05-15T14:15:00"))),
    (
        "data/DF?updatedAfter=2009-05-15T14:15:00.250-02:30",
        dict(updated_after=utc("2009-05-15T16:45:00.250")),
    ),
    ("data/DF?updatedAfter=2009-05-15", dict(updated_after=utc("2009-05-15"))),
    # R-DAT-06: open-ended windows.
    (
        "data/DF?startPeriod=2020",
        dict(
            start_period=PeriodBound("2020", utc("2020-01-01"), epoch("2020-01-01")),
            end_period=None,
        ),
    ),
    (
        "data/DF?endPeriod=2020",
        dict(
            start_period=None,
            end_period=PeriodBound("2020", utc("2021-01-01"), epoch("2021-01-01")),
        ),
    ),
    # R-DAT-08: first/last N observations.
    ("data/DF?firstNObservations=1", dict(first_n_observations=1, last_n_observations=None)),
    ("data/DF?lastNObservations=12", dict(last_n_observations=12, first_n_observations=None)),
    ("data/DF?lastNObservations=007", dict(last_n_observations=7)),
    (
        "data/DF?firstNObservations=2&lastNObservations=3",
        dict(first_n_observations=2, last_n_observations=3),
    ),
    (
        f"data/DF?lastNObservations={2**63 - 1}",
        dict(last_n_observations=2**63 - 1),
    ),
    # R-DAT-09: dimensionAtObservation (ids are checked against the DSD later).
    ("data/DF", dict(dimension_at_observation=None)),
    ("data/DF?dimensionAtObservation=TIME_PERIOD", dict(dimension_at_observation="TIME_PERIOD")),
    (
        "data/DF?dimensionAtObservation=AllDimensions",
        dict(dimension_at_observation="AllDimensions"),
    ),
    ("data/DF?dimensionAtObservation=REF_AREA", dict(dimension_at_observation="REF_AREA")),
    ("data/DF?dimensionAtObservation=Sex-2", dict(dimension_at_observation="Sex-2")),
    # R-DAT-10 / R-DAT-11: detail and includeHistory; values are case-insensitive.
    ("data/DF", dict(detail="full", include_history=False)),
    ("data/DF?detail=DataOnly", dict(detail="dataonly")),
    ("data/DF?detail=SERIESKEYSONLY", dict(detail="serieskeysonly")),
    ("data/DF?includeHistory=true", dict(include_history=True)),
    ("data/DF?includeHistory=TRUE", dict(include_history=True)),
    ("data/DF?includeHistory=1", dict(include_history=True)),
    ("data/DF?includeHistory=false", dict(include_history=False)),
    ("data/DF?includeHistory=0", dict(include_history=False)),
    # Transport parameters are left to the API layer.
    ("data/DF?format=csvdata&lang=fr", dict(detail="full")),
    ("data/DF?formatVersion=1.0.0&compression=gzip", dict(detail="full")),
    # Everything at once.
    (
        "data/MA.HCP,DF_LFS,1.0/A.MA+FR..F/MA.HCP,HCP?startPeriod=2019-Q3&endPeriod=2020-M02"
        "&updatedAfter=2024-01-01T00%3A00%3A00Z&firstNObservations=5"
        "&dimensionAtObservation=AllDimensions&detail=nodata&includeHistory=false&format=jsondata",
        dict(
            flow=FlowRef("MA.HCP", "DF_LFS", "1.0"),
            key=(F({"A"}), F({"MA", "FR"}), F(), F({"F"})),
            providers=F({("MA.HCP", "HCP")}),
            start_period=PeriodBound("2019-Q3", utc("2019-07-01"), epoch("2019-07-01")),
            end_period=PeriodBound("2020-M02", utc("2020-03-01"), epoch("2020-03-01")),
            updated_after=utc("2024-01-01"),
            first_n_observations=5,
            dimension_at_observation="AllDimensions",
            detail="nodata",
            include_history=False,
        ),
    ),
]
DATA_VALID += [(f"data/DF?detail={d}", dict(detail=d)) for d in DATA_DETAILS]


@pytest.mark.parametrize(("url", "expected"), DATA_VALID, ids=[u for u, _ in DATA_VALID])
def test_data_valid(url: str, expected: dict[str, Any]) -> None:
    query = data(url)
    assert isinstance(query, DataQuery)
    for field, value in expected.items():
        assert getattr(query, field) == value, field


def test_data_defaults() -> None:
    query = parse_data_query("DF", None, None, {})
    assert query == DataQuery(flow=FlowRef(None, "DF", "latest"))
    assert (query.start_period, query.end_period, query.updated_after) == (None, None, None)
    assert query.path == "data/all,DF,latest/all/all"


# --- data queries: invalid ----------------------------------------------------------------------

Path3 = tuple[str, str | None, str | None]

DATA_INVALID: list[tuple[Path3, dict[str, str], type[RegistryError], tuple[str, ...]]] = [
    # flowRef (R-DAT-01): one dataflow, three forms, REST 1.5 patterns.
    (("", None, None), {}, QuerySyntaxError, ("flowRef", "AGENCY,ID,VERSION")),
    (("all", None, None), {}, QuerySyntaxError, ("'all'", "one dataflow")),
    (("ECB,all", None, None), {}, QuerySyntaxError, ("'all'", "ECB,all")),
    (("ECB,EXR,all", None, None), {}, QuerySyntaxError, ("version", "'all'", "latest")),
    (("ECB,EXR,~", None, None), {}, QuerySyntaxError, ("version", "'~'")),
    (("ECB,EXR,*", None, None), {}, QuerySyntaxError, ("version", "'*'")),
    (("ECB,EXR,1.0+", None, None), {}, QuerySyntaxError, ("flowRef", "1.0+", "exactly one")),
    (("ECB,EXR,1.0+2.0", None, None), {}, QuerySyntaxError, ("+ lists",)),
    (("ECB+BIS,EXR", None, None), {}, QuerySyntaxError, ("ECB+BIS,EXR", "+")),
    (("ECB,EXR+EXR2", None, None), {}, QuerySyntaxError, ("ECB,EXR+EXR2",)),
    (("ECB,EXR,v1", None, None), {}, QuerySyntaxError, ("version", "'v1'")),
    (("ECB,EXR,1.", None, None), {}, QuerySyntaxError, ("version", "'1.'")),
    (("ECB,EXR,1.0-draft", None, None), {}, QuerySyntaxError, ("version", "1.0-draft")),
    (("ECB,EXR,", None, None), {}, QuerySyntaxError, ("version", "''")),
    (("ECB,EXR,1.0,X", None, None), {}, QuerySyntaxError, ("4 comma-separated parts",)),
    (("1ECB,EXR", None, None), {}, QuerySyntaxError, ("agency", "'1ECB'")),
    (("ECB.,EXR", None, None), {}, QuerySyntaxError, ("agency", "'ECB.'")),
    ((",EXR", None, None), {}, QuerySyntaxError, ("agency", "''")),
    (("ECB,,1.0", None, None), {}, QuerySyntaxError, ("dataflow id", "''")),
    (("ECB,EX R", None, None), {}, QuerySyntaxError, ("dataflow id", "'EX R'")),
    (("ECB,EX.R", None, None), {}, QuerySyntaxError, ("dataflow id", "'EX.R'")),
    (("ECB:EXR(1.0)", None, None), {}, QuerySyntaxError, ("dataflow id", "ECB:EXR(1.0)")),
    # key (R-DAT-02): codes joined by +, empty positions only as whole positions.
    (("DF", "M.FR++DE", None), {}, QuerySyntaxError, ("'M.FR++DE'", "position 2", "empty code")),
    (("DF", "M.+FR", None), {}, QuerySyntaxError, ("position 2", "'+FR'", "empty code")),
    (("DF", "M.FR+", None), {}, QuerySyntaxError, ("position 2", "'FR+'")),
    (("DF", "+", None), {}, QuerySyntaxError, ("position 1", "empty code")),
    (("DF", "M..A.+", None), {}, QuerySyntaxError, ("position 4",)),
    (("DF", "M.*.A", None), {}, QuerySyntaxError, ("position 2", "*", "leave the position empty")),
    (("DF", "M.F R", None), {}, QuerySyntaxError, ("position 2", "'F R'", "not a code")),
    (("DF", "M.FR,DE", None), {}, QuerySyntaxError, ("'FR,DE'",)),
    (("DF", "M.FR|DE", None), {}, QuerySyntaxError, ("'FR|DE'",)),
    (("DF", "M.é", None), {}, QuerySyntaxError, ("'é'",)),
    # providerRef (R-DAT-03).
    (("DF", None, "CH2+"), {}, QuerySyntaxError, ("providerRef", "'CH2+'", "provider id ''")),
    (("DF", None, "+CH2"), {}, QuerySyntaxError, ("providerRef", "'+CH2'")),
    (("DF", None, "ECB,all"), {}, QuerySyntaxError, ("'ECB,all'", "all cannot follow")),
    (("DF", None, "A,B,C"), {}, QuerySyntaxError, ("'A,B,C'", "AGENCY,PROVIDER_ID")),
    (("DF", None, "1X,CH2"), {}, QuerySyntaxError, ("'1X,CH2'", "NCName")),
    (("DF", None, ",CH2"), {}, QuerySyntaxError, ("',CH2'",)),
    (("DF", None, "CH 2"), {}, QuerySyntaxError, ("provider id 'CH 2'",)),
    (("DF", None, "ECB,"), {}, QuerySyntaxError, ("provider id ''",)),
]


@pytest.mark.parametrize(("path", "params", "error", "words"), DATA_INVALID, ids=repr)
def test_data_invalid(
    path: Path3, params: dict[str, str], error: type[RegistryError], words: tuple[str, ...]
) -> None:
    with pytest.raises(error) as info:
        parse_data_query(*path, params)
    assert type(info.value) is error
    for word in words:
        assert word in info.value.message, word


Bad = tuple[dict[str, str], type[RegistryError], tuple[str, ...]]

DATA_BAD_PARAMS: list[Bad] = [
    # Numbers (R-DAT-08).
    ({"firstNObservations": "0"}, QuerySyntaxError, ("firstNObservations '0'", "positive")),
    ({"lastNObservations": "-1"}, QuerySyntaxError, ("lastNObservations", "'-1'")),
    ({"lastNObservations": "+5"}, QuerySyntaxError, ("'+5'",)),
    ({"lastNObservations": "1.5"}, QuerySyntaxError, ("'1.5'",)),
    ({"lastNObservations": "1e3"}, QuerySyntaxError, ("'1e3'",)),
    ({"lastNObservations": "ten"}, QuerySyntaxError, ("'ten'",)),
    ({"lastNObservations": ""}, QuerySyntaxError, ("lastNObservations", "''")),
    ({"lastNObservations": " 5"}, QuerySyntaxError, ("' 5'",)),
    ({"lastNObservations": "٥"}, QuerySyntaxError, ("'٥'",)),
    ({"lastNObservations": "1_000"}, QuerySyntaxError, ("'1_000'",)),
    ({"firstNObservations": str(2**63)}, QuerySyntaxError, (str(2**63), "at most")),
    # dimensionAtObservation (R-DAT-09): NCName-like ids only.
    ({"dimensionAtObservation": ""}, QuerySyntaxError, ("dimensionAtObservation ''",)),
    ({"dimensionAtObservation": "1X"}, QuerySyntaxError, ("'1X'", "TIME_PERIOD")),
    ({"dimensionAtObservation": "REF.AREA"}, QuerySyntaxError, ("'REF.AREA'",)),
    ({"dimensionAtObservation": "A+B"}, QuerySyntaxError, ("'A+B'",)),
    # detail (R-DAT-10) and includeHistory (R-DAT-11).
    ({"detail": "allstubs"}, QuerySyntaxError, ("detail 'allstubs'",)),
    (
        {"detail": "none"},
        QuerySyntaxError,
        ("detail 'none'", "full, dataonly, serieskeysonly, nodata"),
    ),
    ({"detail": ""}, QuerySyntaxError, ("detail", "''")),
    ({"includeHistory": "yes"}, QuerySyntaxError, ("includeHistory 'yes'", "true or false")),
    ({"includeHistory": ""}, QuerySyntaxError, ("includeHistory", "''")),
    # Anything else is a 501 naming it; names are case-sensitive.
    ({"references": "all"}, UnsupportedError, ("'references'", "data queries")),
    ({"mode": "exact"}, UnsupportedError, ("'mode'",)),
    ({"StartPeriod": "2020"}, UnsupportedError, ("'StartPeriod'", "case-sensitive")),
    ({"startperiod": "2020"}, UnsupportedError, ("'startperiod'",)),
    ({"c[FREQ]": "A"}, UnsupportedError, ("'c[FREQ]'",)),
    ({"attributes": "dsd"}, UnsupportedError, ("'attributes'",)),
    ({"measures": "all"}, UnsupportedError, ("'measures'",)),
    ({"explicitMeasure": "true"}, UnsupportedError, ("'explicitMeasure'",)),
    ({"FORMAT": "csv"}, UnsupportedError, ("'FORMAT'",)),
    ({"": ""}, UnsupportedError, ("''",)),
    # startPeriod after endPeriod.
    (
        {"startPeriod": "2024-Q2", "endPeriod": "2024-Q1"},
        QuerySyntaxError,
        ("'2024-Q2'", "'2024-Q1'", "after", "2024-04-01T00:00:00Z"),
    ),
    ({"startPeriod": "2025", "endPeriod": "2024"}, QuerySyntaxError, ("'2025'", "'2024'")),
    (
        {"startPeriod": "2024-04-01", "endPeriod": "2024-03"},
        QuerySyntaxError,
        ("'2024-04-01'", "'2024-03'"),
    ),
    (
        {"startPeriod": "2024-03-01T00:00:01Z", "endPeriod": "2024-02-29T23:59:59Z"},
        QuerySyntaxError,
        ("after",),
    ),
    (
        {"startPeriod": "2024-03-01T01:00:00+01:00", "endPeriod": "2024-02-29T23:59:59Z"},
        QuerySyntaxError,
        ("after",),
    ),
    # updatedAfter (R-DAT-07): an xs:dateTime.
    ({"updatedAfter": "yesterday"}, QuerySyntaxError, ("updatedAfter 'yesterday'", "xs:dateTime")),
    ({"updatedAfter": "2024-Q1"}, QuerySyntaxError, ("updatedAfter '2024-Q1'", "date-time")),
    ({"updatedAfter": "2024"}, QuerySyntaxError, ("updatedAfter", "'2024'")),
    (
        {"updatedAfter": "2024-01-01T25:00:00Z"},
        QuerySyntaxError,
        ("'2024-01-01T25:00:00Z'", "hour 25"),
    ),
    ({"updatedAfter": "2024-01-01T10:00:00+15:00"}, QuerySyntaxError, ("+15:00",)),
    ({"updatedAfter": ""}, QuerySyntaxError, ("updatedAfter", "''")),
]


@pytest.mark.parametrize(("params", "error", "words"), DATA_BAD_PARAMS, ids=repr)
def test_data_bad_params(
    params: dict[str, str], error: type[RegistryError], words: tuple[str, ...]
) -> None:
    with pytest.raises(error) as info:
        parse_data_query("DF", "A.B", "HCP", params)
    assert type(info.value) is error
    for word in words:
        assert word in info.value.message, word


# --- period bounds ------------------------------------------------------------------------------

#: (value, start of startPeriod, exclusive end of endPeriod) for every form of every frequency.
PERIODS: list[tuple[str, str, str]] = [
    # annual
    ("2024", "2024-01-01", "2025-01-01"),
    ("2024-A1", "2024-01-01", "2025-01-01"),
    ("2024A1", "2024-01-01", "2025-01-01"),
    # half-yearly
    ("2024-S1", "2024-01-01", "2024-07-01"),
    ("2024-S2", "2024-07-01", "2025-01-01"),
    ("2024S2", "2024-07-01", "2025-01-01"),
    # four-monthly
    ("2024-T1", "2024-01-01", "2024-05-01"),
    ("2024-T2", "2024-05-01", "2024-09-01"),
    ("2024T3", "2024-09-01", "2025-01-01"),
    # quarterly
    ("2024-Q1", "2024-01-01", "2024-04-01"),
    ("2024Q1", "2024-01-01", "2024-04-01"),
    ("2024-Q4", "2024-10-01", "2025-01-01"),
    # monthly
    ("2024-M03", "2024-03-01", "2024-04-01"),
    ("2024M03", "2024-03-01", "2024-04-01"),
    ("2024-03", "2024-03-01", "2024-04-01"),
    ("202403", "2024-03-01", "2024-04-01"),
    ("2024-M12", "2024-12-01", "2025-01-01"),
    ("2024-02", "2024-02-01", "2024-03-01"),
    # weekly (ISO weeks)
    ("2024-W05", "2024-01-29", "2024-02-05"),
    ("2024W05", "2024-01-29", "2024-02-05"),
    ("2024-W01", "2024-01-01", "2024-01-08"),
    ("2020-W53", "2020-12-28", "2021-01-04"),
    ("2021-W01", "2021-01-04", "2021-01-11"),
    # daily
    ("2024-01-31", "2024-01-31", "2024-02-01"),
    ("20240131", "2024-01-31", "2024-02-01"),
    ("2024-D060", "2024-02-29", "2024-03-01"),
    ("2024D366", "2024-12-31", "2025-01-01"),
    ("2023-D365", "2023-12-31", "2024-01-01"),
    # date-times: one second; offsets shift to UTC; no offset is UTC; + sent unencoded
    ("2024-03-01T12:00:00Z", "2024-03-01T12:00:00", "2024-03-01T12:00:01"),
    ("2024-03-01T12:00:00", "2024-03-01T12:00:00", "2024-03-01T12:00:01"),
    ("2024-03-01T12:00:00+01:00", "2024-03-01T11:00:00", "2024-03-01T11:00:01"),
    ("2024-03-01T12:00:00 01:00", "2024-03-01T11:00:00", "2024-03-01T11:00:01"),
    ("2024-03-01T12:00:00-05:00", "2024-03-01T17:00:00", "2024-03-01T17:00:01"),
    ("2024-12-31T23:30:00-01:00", "2025-01-01T00:30:00", "2025-01-01T00:30:01"),
    # a timezone on a period, a time range
    ("2024-Q1+01:00", "2023-12-31T23:00:00", "2024-03-31T23:00:00"),
    ("2024-01-01/P3M", "2024-01-01", "2024-04-01"),
    ("2024-01-01T06:00:00/PT12H", "2024-01-01T06:00:00", "2024-01-01T18:00:00"),
    # before 1970: negative epochs
    ("1960-Q1", "1960-01-01", "1960-04-01"),
]


@pytest.mark.parametrize(("text", "start", "end"), PERIODS, ids=[p[0] for p in PERIODS])
def test_period_bounds(text: str, start: str, end: str) -> None:
    query = parse_data_query("DF", None, None, {"startPeriod": text, "endPeriod": text})
    assert query.start_period == PeriodBound(text, utc(start), epoch(start))
    assert query.end_period == PeriodBound(text, utc(end), epoch(end))
    assert isinstance(query.start_period.epoch, int)
    # the same bounds for availability queries
    available = parse_availability_query("DF", None, None, None, {"startPeriod": text})
    assert available.start_period == query.start_period
    available = parse_availability_query("DF", None, None, None, {"endPeriod": text})
    assert available.end_period == query.end_period


def test_sub_second_bounds_round_down() -> None:
    """Epochs round down (floor), before 1970 too, like the instants the store holds."""
    query = parse_data_query(
        "DF",
        None,
        None,
        {"startPeriod": "1969-12-31T23:59:59.5Z", "endPeriod": "2024-01-01T00:00:00.25Z"},
    )
    assert query.start_period is not None and query.end_period is not None
    assert query.start_period.instant == utc("1969-12-31T23:59:59.5")
    assert query.start_period.epoch == -1
    assert query.end_period.instant == utc("2024-01-01T00:00:00.26")
    assert query.end_period.epoch == epoch("2024-01-01")


BAD_PERIODS: list[tuple[str, str]] = [
    ("2024-Q5", "quarter 5"),
    ("2024-Q0", "quarter 0"),
    ("2024-S3", "semester 3"),
    ("2024-T4", "trimester 4"),
    ("2024-A2", "reporting year 2"),
    ("2024-M13", "reporting month 13"),
    ("2024-M3", "two digits"),
    ("2024-13", "month 13"),
    ("2024-1", "two digits"),
    ("2024-W54", "week 54"),
    ("2021-W53", "52 ISO weeks"),
    ("2023-D366", "not a leap year"),
    ("2024-D1", "three digits"),
    ("2024-02-30", "February 2024 has 29 days"),
    ("2024-03-01T25:00:00Z", "hour 25"),
    ("2024-03-01T12:00:00+15:00", "+15:00"),
    ("2024-q1", "upper case"),
    ("24", "SDMX"),
    ("2024/2025", "time range starts with a date"),
    ("2024-01-01/1Y", "not an ISO 8601 duration"),
    ("last year", "SDMX"),
    ("", "empty"),
    (" 2024", "spaces"),
]


@pytest.mark.parametrize("name", ["startPeriod", "endPeriod"])
@pytest.mark.parametrize(("text", "reason"), BAD_PERIODS, ids=[b[0] for b in BAD_PERIODS])
def test_bad_period(name: str, text: str, reason: str) -> None:
    for parse in (
        lambda: parse_data_query("DF", None, None, {name: text}),
        lambda: parse_availability_query("DF", None, None, None, {name: text}),
    ):
        with pytest.raises(QuerySyntaxError) as info:
            parse()
        assert type(info.value) is QuerySyntaxError
        message = info.value.message
        assert f"Invalid {name} {text!r}" in message
        assert reason in message
        assert message.count("expected") <= 1, message


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2024-Q1", "2024-Q1"),
        ("2024-03", "2024-03"),
        ("2024-03-31", "2024-Q1"),
        ("2024", "2024-01"),
        ("2024-Q1", "2024-01-01"),
        ("2024-03-01T12:00:00Z", "2024-03-01T12:00:00Z"),
        ("2024-03-01T12:00:00+01:00", "2024-03-01T11:00:00Z"),
        ("2024-W01", "2024-01-01"),
    ],
)
def test_start_not_after_end(start: str, end: str) -> None:
    query = parse_data_query("DF", None, None, {"startPeriod": start, "endPeriod": end})
    assert query.start_period is not None and query.end_period is not None
    assert query.start_period.instant < query.end_period.instant


def test_in_period_is_containment() -> None:
    """R-DAT-05: monthly 2020-03 is inside 2020-Q1…2020-Q1, annual 2020 is not."""
    query = data("data/DF?startPeriod=2020-Q1&endPeriod=2020-Q1")
    inside = ["2020-03", "2020-01", "2020-M02", "2020-03-31", "2020-03-31T23:59:59Z", "2020-Q1"]
    outside = ["2020", "2020-S1", "2020-04", "2019-12", "2020-W01", "2020-04-01T00:00:00Z"]
    assert all(query.in_period(parse_period(p)) for p in inside)
    assert not any(query.in_period(parse_period(p)) for p in outside)
    open_end = data("data/DF?startPeriod=2020-Q2")
    assert open_end.in_period(parse_period("2099")) and not open_end.in_period(parse_period("2020"))
    assert data("data/DF").in_period(parse_period("1900"))


def test_epochs_compare_like_the_store() -> None:
    """Stored observations carry ``int(timestamp)`` bounds: comparing epochs keeps containment."""
    query = data("data/DF?startPeriod=2020-Q1&endPeriod=2020-Q1")
    assert query.start_period is not None and query.end_period is not None
    for text in ["2020-03", "2020", "2020-04", "2019-12-31", "2020-W02", "2020-03-31T23:59:59"]:
        period = parse_period(text)
        start, end = int(period.start.timestamp()), int(period.end.timestamp())
        by_epoch = start >= query.start_period.epoch and end <= query.end_period.epoch
        assert by_epoch == query.in_period(period), text


# --- key, providers and the checks left for the DSD ---------------------------------------------


def test_matches() -> None:
    query = data("data/DF/M.FR+DE..A")
    assert query.matches(("M", "FR", "X", "A"))
    assert query.matches(["M", "DE", "", "A"])
    assert not query.matches(("M", "IT", "X", "A"))
    assert not query.matches(("A", "FR", "X", "A"))
    assert not query.matches(("M", "FR", "X", "Q"))
    assert not query.matches(("M", "FR", "X"))
    assert not query.matches(("M", "FR", "X", "A", "B"))
    assert not query.matches(("m", "fr", "X", "a"))  # codes are case-sensitive
    everything = data("data/DF/all")
    assert everything.matches(()) and everything.matches(("A", "B", "C"))
    wildcards = data("data/DF/..")
    assert wildcards.matches(("A", "B", "C")) and not wildcards.matches(("A", "B"))


@pytest.mark.parametrize(
    ("key", "dimensions", "words"),
    [
        ("M.FR", 4, ("'M.FR'", "2 positions", "4 dimensions", "TEST:DSD_LFS(1.0)")),
        ("M.FR..A.B", 4, ("5 positions", "4 dimensions")),
        ("M", 2, ("1 position ", "2 dimensions")),
        ("..", 1, ("3 positions", "1 dimension ")),
        ("M.", 3, ("2 positions", "3 dimensions")),
    ],
)
def test_check_length(key: str, dimensions: int, words: tuple[str, ...]) -> None:
    query = parse_data_query("DF", key, None, {})
    with pytest.raises(QuerySyntaxError) as info:
        query.check_length(dimensions, "TEST:DSD_LFS(1.0)")
    assert type(info.value) is QuerySyntaxError
    for word in words:
        assert word in info.value.message, word


def test_check_length_passes_and_names_dimensions() -> None:
    data("data/DF/M.FR+DE..A").check_length(4, "TEST:DSD(1.0)")
    data("data/DF/...").check_length(4, "TEST:DSD(1.0)")
    data("data/DF/all").check_length(7, "TEST:DSD(1.0)")
    data("data/DF").check_length(0, "TEST:DSD(1.0)")
    with pytest.raises(QuerySyntaxError) as info:
        data("data/DF/A.MA").check_length(3, "TEST:DSD(1.0)", ("FREQ", "REF_AREA", "SEX"))
    assert "(FREQ.REF_AREA.SEX)" in info.value.message
    availability_query = availability("availableconstraint/DF/A.MA")
    with pytest.raises(QuerySyntaxError, match="2 positions"):
        availability_query.check_length(3, "TEST:DSD(1.0)")


def test_matches_provider() -> None:
    query = data("data/DF/all/HCP+MA.GOV,CNSS")
    assert query.matches_provider("MA.HCP", "HCP")
    assert query.matches_provider("OTHER", "HCP")  # no agency given: any agency
    assert query.matches_provider("MA.GOV", "CNSS")
    assert not query.matches_provider("MA", "CNSS")
    assert not query.matches_provider("MA.HCP", "ANAPEC")
    assert data("data/DF").matches_provider("ANY", "ONE")


def test_check_dimension_at_observation() -> None:
    dims = ("FREQ", "REF_AREA", "TIME_PERIOD")
    data("data/DF").check_dimension_at_observation(dims, "TEST:DSD(1.0)")
    for value in ("TIME_PERIOD", "AllDimensions", "REF_AREA"):
        data(f"data/DF?dimensionAtObservation={value}").check_dimension_at_observation(dims, "X")
    query = data("data/DF?dimensionAtObservation=SEX")
    with pytest.raises(QuerySyntaxError) as info:
        query.check_dimension_at_observation(dims, "TEST:DSD(1.0)")
    for word in ("'SEX'", "TEST:DSD(1.0)", "AllDimensions", "FREQ, REF_AREA, TIME_PERIOD"):
        assert word in info.value.message


def test_queries_are_frozen_values() -> None:
    a = data("data/MA.HCP,DF/M.FR+DE/HCP+ANAPEC?startPeriod=2020")
    b = data("data/MA.HCP,DF,latest/M.DE+FR+DE/ANAPEC+HCP?startPeriod=2020")
    assert a == b and hash(a) == hash(b)
    assert a != data("data/MA.HCP,DF/M.FR/HCP+ANAPEC?startPeriod=2020")
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.detail = "nodata"  # type: ignore[misc]
    assert a.key_text == "M.DE+FR"
    assert a.provider_text == "ANAPEC+HCP"
    assert a.path == "data/MA.HCP,DF,latest/M.DE+FR/ANAPEC+HCP"
    assert str(data("data/DF").flow) == "all,DF,latest"
    assert data("data/DF/all/MA,HCP").provider_text == "MA,HCP"


# --- availability queries -----------------------------------------------------------------------

AVAILABILITY_VALID: list[tuple[str, dict[str, Any]]] = [
    # R-AV-01: trailing segments may be left off; componentID all is the default.
    (
        "availableconstraint/ECB_EXR1_WEB",
        dict(
            flow=FlowRef(None, "ECB_EXR1_WEB", "latest"),
            key=None,
            providers=None,
            component_id=None,
            mode="exact",
            references="none",
        ),
    ),
    (
        "availableconstraint/ECB,ECB_EXR1_WEB,1.0/M..EUR.SP00.A/ECB?mode=available",
        dict(
            flow=FlowRef("ECB", "ECB_EXR1_WEB", "1.0"),
            key=(F({"M"}), F(), F({"EUR"}), F({"SP00"}), F({"A"})),
            providers=F({(None, "ECB")}),
            mode="available",
        ),
    ),
    ("availableconstraint/ECB_EXR1_WEB/M..EUR.SP00.A/ECB?mode=exact", dict(mode="exact")),
    ("availableconstraint/DF/all/all/all", dict(key=None, providers=None, component_id=None)),
    ("availableconstraint/DF/all/all/", dict(component_id=None)),
    ("availableconstraint/DF/all/all/REF_AREA", dict(component_id="REF_AREA")),
    (
        "availableconstraint/DF/A+M.FR/HCP+ANAPEC/SEX",
        dict(
            component_id="SEX",
            key=(F({"A", "M"}), F({"FR"})),
            providers=F({(None, "HCP"), (None, "ANAPEC")}),
        ),
    ),
    ("availableconstraint/DF?mode=AVAILABLE", dict(mode="available")),
    ("availableconstraint/DF?references=Codelist", dict(references="codelist")),
    (
        "availableconstraint/DF?startPeriod=2020-Q1&endPeriod=2020-Q2&updatedAfter=2024-01-01T00%3A00%3A00%2B02%3A00",
        dict(
            start_period=PeriodBound("2020-Q1", utc("2020-01-01"), epoch("2020-01-01")),
            end_period=PeriodBound("2020-Q2", utc("2020-07-01"), epoch("2020-07-01")),
            updated_after=utc("2023-12-31T22:00:00"),
        ),
    ),
    ("availableconstraint/DF?format=structure&lang=fr", dict(mode="exact")),
]
AVAILABILITY_VALID += [
    (f"availableconstraint/DF?references={r}", dict(references=r)) for r in AVAILABILITY_REFERENCES
]


@pytest.mark.parametrize(
    ("url", "expected"), AVAILABILITY_VALID, ids=[u for u, _ in AVAILABILITY_VALID]
)
def test_availability_valid(url: str, expected: dict[str, Any]) -> None:
    query = availability(url)
    assert isinstance(query, AvailabilityQuery)
    for field, value in expected.items():
        assert getattr(query, field) == value, field


Path4 = tuple[str, str | None, str | None, str | None]

AVAILABILITY_INVALID: list[tuple[Path4, dict[str, str], type[RegistryError], tuple[str, ...]]] = [
    # The path segments follow the data grammar.
    (("ECB,EXR,all", None, None, None), {}, QuerySyntaxError, ("version", "'all'")),
    (("DF", "M.FR++DE", None, None), {}, QuerySyntaxError, ("position 2", "empty code")),
    (("DF", None, "A,B,C", None), {}, QuerySyntaxError, ("providerRef", "'A,B,C'")),
    # componentID: all or one dimension id.
    (("DF", None, None, "1FREQ"), {}, QuerySyntaxError, ("componentID '1FREQ'", "dimension")),
    (("DF", None, None, "FREQ+SEX"), {}, QuerySyntaxError, ("componentID", "'FREQ+SEX'")),
    (("DF", None, None, "REF.AREA"), {}, QuerySyntaxError, ("componentID", "'REF.AREA'")),
    (("DF", None, None, "_T"), {}, QuerySyntaxError, ("componentID", "'_T'")),
]


@pytest.mark.parametrize(("path", "params", "error", "words"), AVAILABILITY_INVALID, ids=repr)
def test_availability_invalid(
    path: Path4, params: dict[str, str], error: type[RegistryError], words: tuple[str, ...]
) -> None:
    with pytest.raises(error) as info:
        parse_availability_query(*path, params)
    assert type(info.value) is error
    for word in words:
        assert word in info.value.message, word


AVAILABILITY_BAD_PARAMS: list[Bad] = [
    # mode and references (R-AV-02).
    ({"mode": "full"}, QuerySyntaxError, ("mode", "'full'", "exact, available")),
    ({"mode": ""}, QuerySyntaxError, ("mode", "''")),
    ({"references": "children"}, QuerySyntaxError, ("references 'children'", "dataflow")),
    ({"references": "codelists"}, QuerySyntaxError, ("'codelists'",)),
    ({"references": "parents"}, QuerySyntaxError, ("'parents'",)),
    # Period parameters, as for data.
    ({"startPeriod": "2024-Q5"}, QuerySyntaxError, ("startPeriod", "'2024-Q5'")),
    ({"startPeriod": "2024-Q2", "endPeriod": "2024-Q1"}, QuerySyntaxError, ("after",)),
    ({"updatedAfter": "2024-13-01T00:00:00Z"}, QuerySyntaxError, ("updatedAfter", "month 13")),
    # Data-only parameters and unknown ones are 501.
    ({"detail": "full"}, UnsupportedError, ("'detail'", "availability queries")),
    ({"firstNObservations": "1"}, UnsupportedError, ("'firstNObservations'",)),
    ({"dimensionAtObservation": "AllDimensions"}, UnsupportedError, ("dimensionAt",)),
    ({"includeHistory": "false"}, UnsupportedError, ("'includeHistory'",)),
    ({"Mode": "exact"}, UnsupportedError, ("'Mode'",)),
    ({"c[FREQ]": "A"}, UnsupportedError, ("'c[FREQ]'",)),
]


@pytest.mark.parametrize(("params", "error", "words"), AVAILABILITY_BAD_PARAMS, ids=repr)
def test_availability_bad_params(
    params: dict[str, str], error: type[RegistryError], words: tuple[str, ...]
) -> None:
    with pytest.raises(error) as info:
        parse_availability_query("DF", "A.B", "HCP", "SEX", params)
    assert type(info.value) is error
    for word in words:
        assert word in info.value.message, word


def test_availability_component_check_and_path() -> None:
    query = availability("availableconstraint/MA.HCP,DF,1.0/A..F/HCP/SEX")
    assert query.path == "availableconstraint/MA.HCP,DF,1.0/A..F/HCP/SEX"
    query.check_component(("FREQ", "REF_AREA", "SEX"), "TEST:DSD(1.0)")
    with pytest.raises(QuerySyntaxError) as info:
        query.check_component(("FREQ", "REF_AREA"), "TEST:DSD(1.0)")
    for word in ("componentID 'SEX'", "TEST:DSD(1.0)", "FREQ, REF_AREA"):
        assert word in info.value.message
    whole = availability("availableconstraint/DF")
    whole.check_component((), "TEST:DSD(1.0)")
    assert whole.path == "availableconstraint/all,DF,latest/all/all/all"
    assert whole.matches(("A", "B")) and whole.in_period(parse_period("2020"))


def test_every_transport_parameter_is_accepted() -> None:
    params = {name: "x" for name in TRANSPORT_PARAMS}
    assert parse_data_query("DF", None, None, params).detail == "full"
    assert parse_availability_query("DF", None, None, None, params).mode == "exact"
