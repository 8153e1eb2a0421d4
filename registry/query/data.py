"""SDMX-REST 1.5 data and availability query grammar: path segments and parameters → frozen queries.

``parse_data_query`` reads ``/data/{flowRef}/{key}/{providerRef}`` (checklist R-DAT-01…11) and
``parse_availability_query`` reads ``/availableconstraint/{flowRef}/{key}/{providerRef}/
{componentID}`` (R-AV-01/02) into a ``DataQuery`` or an ``AvailabilityQuery``, with no storage and
no HTTP. The ``flowRef`` is ``ID`` (``all,ID,latest``), ``AGENCY,ID`` or ``AGENCY,ID,VERSION`` and
names exactly one dataflow; the key is ``all`` or one position per dimension (the time dimension
excepted), each empty (a wildcard) or codes joined with ``+``, kept as a tuple of frozensets whose
length is checked later against the DSD (``check_length``); the ``providerRef`` is ``all`` or
``ID`` / ``AGENCY,ID`` values joined with ``+``. ``startPeriod`` and ``endPeriod`` accept every
SDMX period form (dashless REST 1.5 spellings included) and are kept as the text sent plus the
inclusive UTC bounds ``registry.periods.parse_query_bound`` gives, as datetimes and as whole
epoch seconds (the unit the observation store uses); ``updatedAfter`` is an instant. A malformed
segment or value, or a ``startPeriod`` after the ``endPeriod``, is a ``QuerySyntaxError``
(140/400) naming the culprit and what is allowed; any query parameter the resource does not define
(besides ``TRANSPORT_PARAMS``) is an ``UnsupportedError`` (501) naming it, so nothing is silently
ignored.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from registry.errors import QuerySyntaxError, UnsupportedError
from registry.periods import Period, PeriodError, contained, parse_query_bound, parse_updated_after
from registry.query.params import TRANSPORT_PARAMS

__all__ = [
    "ALL_DIMENSIONS",
    "AVAILABILITY_MODES",
    "AVAILABILITY_PARAMS",
    "AVAILABILITY_REFERENCES",
    "DATA_DETAILS",
    "DATA_PARAMS",
    "TIME_DIMENSION",
    "AvailabilityQuery",
    "DataQuery",
    "FlowRef",
    "FlowSelection",
    "PeriodBound",
    "parse_availability_query",
    "parse_data_query",
    "parse_flow_ref",
    "parse_key",
    "parse_provider_ref",
]

#: Values of ``detail`` for data queries (R-DAT-10), default ``full``.
DATA_DETAILS: tuple[str, ...] = ("full", "dataonly", "serieskeysonly", "nodata")

#: ``dimensionAtObservation`` keyword for a flat view (R-DAT-09).
ALL_DIMENSIONS = "AllDimensions"

#: The id of the SDMX 2.1 time dimension, ``dimensionAtObservation`` for a time-series view.
TIME_DIMENSION = "TIME_PERIOD"

#: Values of ``mode`` for availability queries (R-AV-02), default ``exact``.
AVAILABILITY_MODES: tuple[str, ...] = ("exact", "available")

#: Values of ``references`` for availability queries (R-AV-02), default ``none``.
AVAILABILITY_REFERENCES: tuple[str, ...] = (
    "none",
    "all",
    "datastructure",
    "conceptscheme",
    "codelist",
    "dataproviderscheme",
    "dataflow",
)

_PERIOD_PARAMS: tuple[str, ...] = ("startPeriod", "endPeriod", "updatedAfter")

#: Query parameters of ``/data`` queries (REST 1.5), transport parameters aside.
DATA_PARAMS: tuple[str, ...] = (
    *_PERIOD_PARAMS,
    "firstNObservations",
    "lastNObservations",
    "dimensionAtObservation",
    "detail",
    "includeHistory",
    "labels",  # SDMX-CSV: id | both (also a parameter of its media type)
    "timeFormat",  # SDMX-CSV: original | normalized
)

#: Query parameters of ``/availableconstraint`` queries (REST 1.5), transport parameters aside.
AVAILABILITY_PARAMS: tuple[str, ...] = (*_PERIOD_PARAMS, "mode", "references")

_AGENCY = re.compile(r"[A-Za-z][A-Za-z0-9_-]*(?:\.[A-Za-z][A-Za-z0-9_-]*)*")
_ID = re.compile(r"[A-Za-z0-9_@$-]+")
_VERSION = re.compile(r"\d+(?:\.\d+)*|\d+\.\d+\.\d+-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*")
_DIMENSION_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_POSITIVE = re.compile(r"[0-9]+")
_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}
_MAX_COUNT = 2**63 - 1  # the largest LIMIT a BIGINT-based store can take
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SECOND = timedelta(seconds=1)

_FLOW_FORMS = "ID, AGENCY,ID or AGENCY,ID,VERSION (e.g. MA.HCP,DF_LFS,1.0)"
_PROVIDER_FORMS = "all, PROVIDER_ID or AGENCY,PROVIDER_ID, several joined with + (e.g. HCP+ANAPEC)"
_CODE_CHARS = "letters, digits, _ @ $ -"
_PERIODS = (
    "expected an SDMX period such as 2024, 2024-03, 2024-03-31, 2024-03-31T12:00:00Z, 2024-A1, "
    "2024-S1, 2024-T1, 2024-Q1, 2024-M03, 2024-W05 or 2024-D060"
)


@dataclass(frozen=True)
class FlowRef:
    """The one dataflow a query names: ``agency`` None means any agency (``all``)."""

    agency: str | None
    id: str
    version: str = "latest"

    def __str__(self) -> str:
        return f"{self.agency or 'all'},{self.id},{self.version}"


@dataclass(frozen=True)
class PeriodBound:
    """A ``startPeriod`` or ``endPeriod``: the ``text`` sent and the UTC ``instant`` it stands for.

    For ``startPeriod`` the instant is the start of the period, for ``endPeriod`` its exclusive end,
    so both bounds are inclusive (R-DAT-04). ``epoch`` is the instant in whole seconds since 1970,
    rounded down like any instant the store holds, so comparisons in seconds keep every match.
    """

    text: str
    instant: datetime
    epoch: int


@dataclass(frozen=True)
class FlowSelection:
    """What data and availability queries share: dataflow, key, providers and time window.

    ``key`` is None for ``all``, else one frozenset of codes per key position, an empty one being
    a wildcard; ``providers`` is None for ``all``, else (agency or None for any, provider id)
    pairs; ``updated_after`` is an aware UTC datetime.
    """

    flow: FlowRef
    key: tuple[frozenset[str], ...] | None = None
    providers: frozenset[tuple[str | None, str]] | None = None
    start_period: PeriodBound | None = None
    end_period: PeriodBound | None = None
    updated_after: datetime | None = None

    @property
    def window(self) -> tuple[int | None, int | None]:
        """startPeriod and endPeriod as inclusive epoch-second bounds (None: open), the unit the
        observation store keeps period bounds in."""
        start = self.start_period.epoch if self.start_period else None
        return start, self.end_period.epoch if self.end_period else None

    @property
    def key_text(self) -> str:
        """The key as a REST path segment (codes of a position in sorted order), or ``all``."""
        if self.key is None:
            return "all"
        return ".".join("+".join(sorted(codes)) for codes in self.key)

    @property
    def provider_text(self) -> str:
        """The providers as a REST path segment, or ``all``."""
        if self.providers is None:
            return "all"
        return "+".join(
            f"{agency},{pid}" if agency else pid
            for agency, pid in sorted(self.providers, key=lambda p: (p[1], p[0] or ""))
        )

    def check_length(
        self, n_dimensions: int, dsd_name: str, dimension_ids: Sequence[str] = ()
    ) -> None:
        """QuerySyntaxError unless the key has one position per dimension of the DSD.

        ``n_dimensions`` counts the dimensions a key covers (every one but the time dimension);
        ``dimension_ids``, when given, are named in the message. A key of ``all`` always fits.
        """
        if self.key is None or len(self.key) == n_dimensions:
            return
        order = f" ({'.'.join(dimension_ids)})" if dimension_ids else ""
        raise QuerySyntaxError(
            f"The key {self.key_text!r} has {_count(len(self.key), 'position')} but the data "
            f"structure {dsd_name} has {_count(n_dimensions, 'dimension')} besides the time "
            f"dimension{order}: write one position per dimension, separated by dots, and leave "
            "a position empty to take every code (or use the key all)"
        )

    def matches(self, dimension_values: Sequence[str]) -> bool:
        """Whether a series key (its dimension values in DSD order, time excepted) is selected.

        A key of another length never matches; call ``check_length`` first to report it.
        """
        key = self.key
        if key is None:
            return True
        if len(dimension_values) != len(key):
            return False
        return all(
            not codes or value in codes for codes, value in zip(key, dimension_values, strict=True)
        )

    def matches_provider(self, agency: str, provider_id: str) -> bool:
        """Whether data of the provider ``provider_id`` of agency ``agency`` is selected."""
        providers = self.providers
        if providers is None:
            return True
        return (agency, provider_id) in providers or (None, provider_id) in providers

    def in_period(self, period: Period) -> bool:
        """Whether ``period`` lies wholly within startPeriod…endPeriod (R-DAT-05 containment)."""
        start = self.start_period.instant if self.start_period else None
        end = self.end_period.instant if self.end_period else None
        return contained(period, start, end)


@dataclass(frozen=True)
class DataQuery(FlowSelection):
    """A parsed ``/data/{flowRef}/{key}/{providerRef}`` query (REST 1.5).

    ``first_n_observations`` / ``last_n_observations`` are per series, None when absent;
    ``dimension_at_observation`` is None when absent (the default then depends on the DSD),
    ``TIME_PERIOD``, ``AllDimensions`` or a dimension id still to be checked against the DSD;
    ``detail`` is one of ``DATA_DETAILS``.
    """

    first_n_observations: int | None = None
    last_n_observations: int | None = None
    dimension_at_observation: str | None = None
    detail: str = "full"
    include_history: bool = False

    @property
    def path(self) -> str:
        """The query as a REST 1.5 path, for messages (``data/MA.HCP,DF_LFS,latest/A..F/all``)."""
        return f"data/{self.flow}/{self.key_text}/{self.provider_text}"

    def check_dimension_at_observation(self, dimension_ids: Collection[str], dsd_name: str) -> None:
        """QuerySyntaxError unless ``dimension_at_observation`` is absent, ``AllDimensions`` or
        one of ``dimension_ids`` (every dimension of the DSD, the time dimension included)."""
        value = self.dimension_at_observation
        if value is None or value == ALL_DIMENSIONS or value in dimension_ids:
            return
        raise QuerySyntaxError(
            f"Invalid dimensionAtObservation {value!r}: the data structure {dsd_name} has no such "
            f"dimension; expected {ALL_DIMENSIONS} or one of {', '.join(dimension_ids)}"
        )


@dataclass(frozen=True)
class AvailabilityQuery(FlowSelection):
    """A parsed ``/availableconstraint/{flowRef}/{key}/{providerRef}/{componentID}`` query.

    ``component_id`` is None for ``all``, else a dimension id still to be checked against the DSD;
    ``mode`` is one of ``AVAILABILITY_MODES`` and ``references`` one of
    ``AVAILABILITY_REFERENCES``.
    """

    component_id: str | None = None
    mode: str = "exact"
    references: str = "none"

    @property
    def path(self) -> str:
        """The query as a REST 1.5 path, for messages."""
        return (
            f"availableconstraint/{self.flow}/{self.key_text}/{self.provider_text}/"
            f"{self.component_id or 'all'}"
        )

    def check_component(self, dimension_ids: Collection[str], dsd_name: str) -> None:
        """QuerySyntaxError unless ``component_id`` is ``all`` or one of ``dimension_ids``."""
        value = self.component_id
        if value is None or value in dimension_ids:
            return
        raise QuerySyntaxError(
            f"Invalid componentID {value!r}: the data structure {dsd_name} has no such dimension; "
            f"expected all or one of {', '.join(dimension_ids)}"
        )


# --- parsing ------------------------------------------------------------------------------------


def parse_data_query(
    flow_ref: str, key: str | None, provider_ref: str | None, params: Mapping[str, str]
) -> DataQuery:
    """Parse the path segments and query parameters of a REST 1.5 data query.

    Missing (``None`` or empty) key and providerRef mean ``all``. Raises ``QuerySyntaxError`` for
    a malformed segment or parameter value and for a startPeriod after the endPeriod, and
    ``UnsupportedError`` for a query parameter data queries do not define (case-sensitive).
    """
    flow = parse_flow_ref(flow_ref)
    key_positions = parse_key(key)
    providers = parse_provider_ref(provider_ref)
    _check_params(params, DATA_PARAMS, "data")
    start, end, updated = _parse_window(params)
    return DataQuery(
        flow=flow,
        key=key_positions,
        providers=providers,
        start_period=start,
        end_period=end,
        updated_after=updated,
        first_n_observations=_parse_count(params, "firstNObservations"),
        last_n_observations=_parse_count(params, "lastNObservations"),
        dimension_at_observation=_parse_dimension_at_observation(
            params.get("dimensionAtObservation")
        ),
        detail=_parse_choice(params, "detail", DATA_DETAILS),
        include_history=_parse_boolean(params, "includeHistory"),
    )


def parse_availability_query(
    flow_ref: str,
    key: str | None,
    provider_ref: str | None,
    component_id: str | None,
    params: Mapping[str, str],
) -> AvailabilityQuery:
    """Parse the path segments and query parameters of a REST 1.5 availability query.

    Missing (``None`` or empty) key, providerRef and componentID mean ``all``. Errors as for
    ``parse_data_query``; the parameters are startPeriod, endPeriod, updatedAfter, mode and
    references.
    """
    flow = parse_flow_ref(flow_ref)
    key_positions = parse_key(key)
    providers = parse_provider_ref(provider_ref)
    component = _parse_component_id(component_id)
    _check_params(params, AVAILABILITY_PARAMS, "availability")
    start, end, updated = _parse_window(params)
    return AvailabilityQuery(
        flow=flow,
        key=key_positions,
        providers=providers,
        start_period=start,
        end_period=end,
        updated_after=updated,
        component_id=component,
        mode=_parse_choice(params, "mode", AVAILABILITY_MODES),
        references=_parse_choice(params, "references", AVAILABILITY_REFERENCES),
    )


def parse_flow_ref(flow_ref: str) -> FlowRef:
    """``ID``, ``AGENCY,ID`` or ``AGENCY,ID,VERSION`` → ``FlowRef`` (R-DAT-01).

    Agency ``all`` means any agency, as the spec spells ``ID`` out as ``all,ID,latest``; the id
    and version name one dataflow, so ``all`` is refused there, as are ``+`` lists.
    """
    if not flow_ref:
        raise QuerySyntaxError(f"The flowRef is missing: expected {_FLOW_FORMS}")
    if "+" in flow_ref:
        raise QuerySyntaxError(
            f"Invalid flowRef {flow_ref!r}: a data query names exactly one dataflow, "
            f"so + lists are not allowed; expected {_FLOW_FORMS}"
        )
    parts = flow_ref.split(",")
    if len(parts) > 3:
        raise QuerySyntaxError(
            f"Invalid flowRef {flow_ref!r}: it has {len(parts)} comma-separated parts; "
            f"expected {_FLOW_FORMS}"
        )
    agency = parts[0] if len(parts) > 1 else "all"
    flow_id = parts[1] if len(parts) > 1 else parts[0]
    version = parts[2] if len(parts) > 2 else "latest"
    if agency != "all" and not _AGENCY.fullmatch(agency):
        raise QuerySyntaxError(
            f"Invalid agency {agency!r} in flowRef {flow_ref!r}: expected all or a dotted "
            "NCName such as MA.HCP (each part a letter, then letters, digits, _ or -)"
        )
    if flow_id == "all" or not _ID.fullmatch(flow_id):
        what = "all dataflows cannot be queried at once" if flow_id == "all" else _CODE_CHARS
        raise QuerySyntaxError(
            f"Invalid dataflow id {flow_id!r} in flowRef {flow_ref!r}: expected the id of one "
            f"dataflow ({what})"
        )
    if version != "latest" and not _VERSION.fullmatch(version):
        raise QuerySyntaxError(
            f"Invalid version {version!r} in flowRef {flow_ref!r}: a data query selects one "
            "version, latest or a number such as 1.0 or 1.0.0 (all, * and ~ are not REST 1.5)"
        )
    return FlowRef(None if agency == "all" else agency, flow_id, version)


def parse_key(key: str | None) -> tuple[frozenset[str], ...] | None:
    """``all`` or missing → None; else one frozenset of codes per dot-separated position (R-DAT-02).

    An empty position is a wildcard (an empty frozenset); ``+`` joins the codes of one position.
    """
    if key is None or key in ("", "all"):
        return None
    positions: list[frozenset[str]] = []
    for number, position in enumerate(key.split("."), start=1):
        codes = position.split("+") if position else []
        for code in codes:
            if not _ID.fullmatch(code):
                raise QuerySyntaxError(
                    f"Invalid key {key!r}: position {number} ({position!r}) "
                    + _bad_code(code)
                    + "; a key is one position per dimension separated by dots, each empty "
                    "(any code) or codes joined with +, or all"
                )
        positions.append(frozenset(codes))
    return tuple(positions)


def _bad_code(code: str) -> str:
    if not code:
        return "has an empty code in its + list"
    if code == "*":
        return "holds *, the REST 2.x wildcard: in REST 1.5 leave the position empty"
    return f"holds {code!r}, which is not a code ({_CODE_CHARS})"


def parse_provider_ref(provider_ref: str | None) -> frozenset[tuple[str | None, str]] | None:
    """``all`` or missing → None; else (agency or None, provider id) pairs joined by ``+``.

    ``all`` anywhere in a ``+`` list means every provider; agency ``all`` means any agency
    (R-DAT-03: ``ID`` stands for ``all,ID``).
    """
    if provider_ref is None or provider_ref == "":
        return None
    parts = provider_ref.split("+")
    if "all" in parts:
        return None
    providers: set[tuple[str | None, str]] = set()
    for part in parts:
        pieces = part.split(",")
        agency = pieces[0] if len(pieces) > 1 else "all"
        provider_id = pieces[-1]
        if len(pieces) > 2 or (agency != "all" and not _AGENCY.fullmatch(agency)):
            raise QuerySyntaxError(
                f"Invalid providerRef {provider_ref!r}: {part!r} is not PROVIDER_ID or "
                f"AGENCY,PROVIDER_ID (the agency a dotted NCName such as MA.HCP); "
                f"expected {_PROVIDER_FORMS}"
            )
        if provider_id == "all" or not _ID.fullmatch(provider_id):
            reason = "all cannot follow an agency" if provider_id == "all" else _CODE_CHARS
            raise QuerySyntaxError(
                f"Invalid provider id {provider_id!r} in providerRef {provider_ref!r} "
                f"({reason}); expected {_PROVIDER_FORMS}"
            )
        providers.add((None if agency == "all" else agency, provider_id))
    return frozenset(providers)


def _parse_component_id(component_id: str | None) -> str | None:
    if component_id is None or component_id in ("", "all"):
        return None
    if not _DIMENSION_ID.fullmatch(component_id):
        raise QuerySyntaxError(
            f"Invalid componentID {component_id!r}: expected all or the id of one dimension "
            "(a letter, then letters, digits, _ or -)"
        )
    return component_id


def _check_params(params: Mapping[str, str], allowed: Sequence[str], kind: str) -> None:
    """UnsupportedError naming the first parameter neither in ``allowed`` nor a transport one."""
    for name in params:
        if name not in allowed and name not in TRANSPORT_PARAMS:
            supported = ", ".join((*allowed, *sorted(TRANSPORT_PARAMS)))
            raise UnsupportedError(
                f"The query parameter {name!r} is not supported for {kind} queries "
                f"(supported: {supported}; names are case-sensitive)"
            )


def _parse_window(
    params: Mapping[str, str],
) -> tuple[PeriodBound | None, PeriodBound | None, datetime | None]:
    """startPeriod, endPeriod and updatedAfter; 400 when a value is bad or start is after end."""
    start = _parse_bound(params, "startPeriod", end=False)
    end = _parse_bound(params, "endPeriod", end=True)
    if start is not None and end is not None and start.instant >= end.instant:
        raise QuerySyntaxError(
            f"startPeriod {start.text!r} (from {_iso(start.instant)}) is after endPeriod "
            f"{end.text!r} (up to {_iso(end.instant)}): the period range is empty"
        )
    updated = params.get("updatedAfter")
    if updated is None:
        return start, end, None
    try:
        instant = parse_updated_after(updated)
    except PeriodError as exc:
        example = "expected an xs:dateTime such as 2009-05-15T14:15:00+01:00"
        reason = exc.reason
        if reason.startswith("expected"):
            reason = example
        elif "such as" not in reason:
            reason = f"{reason}; {example}"
        raise QuerySyntaxError(
            f"Invalid updatedAfter {updated!r}: {reason} (percent-encode + and : in the URL)"
        ) from None
    return start, end, instant


def _parse_bound(params: Mapping[str, str], name: str, *, end: bool) -> PeriodBound | None:
    text = params.get(name)
    if text is None:
        return None
    try:
        instant = parse_query_bound(text, end=end)
    except PeriodError as exc:
        reason = exc.reason if exc.reason.startswith("expected") else f"{exc.reason}; {_PERIODS}"
        raise QuerySyntaxError(f"Invalid {name} {text!r}: {reason}") from None
    return PeriodBound(text, instant, (instant - _EPOCH) // _SECOND)


def _parse_count(params: Mapping[str, str], name: str) -> int | None:
    text = params.get(name)
    if text is None:
        return None
    if not _POSITIVE.fullmatch(text) or int(text) == 0 or int(text) > _MAX_COUNT:
        raise QuerySyntaxError(
            f"Invalid {name} {text!r}: expected a positive integer (1, 2, …, at most "
            f"{_MAX_COUNT}), the number of observations per series"
        )
    return int(text)


def _parse_dimension_at_observation(value: str | None) -> str | None:
    if value is None:
        return None
    if not _DIMENSION_ID.fullmatch(value):
        raise QuerySyntaxError(
            f"Invalid dimensionAtObservation {value!r}: expected {TIME_DIMENSION}, "
            f"{ALL_DIMENSIONS} or the id of a dimension (a letter, then letters, digits, _ or -)"
        )
    return value


def _parse_choice(params: Mapping[str, str], name: str, choices: Sequence[str]) -> str:
    """The lower-cased value of ``name`` if it is one of ``choices`` (the first is the default)."""
    text = params.get(name)
    if text is None:
        return choices[0]
    value = text.lower()
    if value not in choices:
        raise QuerySyntaxError(f"Invalid {name} {text!r}: expected one of {', '.join(choices)}")
    return value


def _parse_boolean(params: Mapping[str, str], name: str) -> bool:
    text = params.get(name)
    if text is None:
        return False
    value = _BOOLEANS.get(text.lower())
    if value is None:
        raise QuerySyntaxError(f"Invalid {name} {text!r}: expected true or false")
    return value


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _iso(instant: datetime) -> str:
    return instant.isoformat().replace("+00:00", "Z")
