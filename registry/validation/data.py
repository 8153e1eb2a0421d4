"""Data validation: rules compiled once per dataflow, then checked against every observation.

``compile_rules`` turns a DSD, its codelists (a mapping keyed by codelist URN, e.g.
``urn:sdmx:org.sdmx.infomodel.codelist.Codelist=MA.HCP:CL_SEX_MA(1.0)``), the Allowed content
constraints of the dataflow and provision agreement and, optionally, concept schemes (keyed by
URN, for core representations) into a frozen ``FlowRules``: dimension order, the time dimension,
per coded component the allowed codes (codelist ∩ every Allowed cube region, remembering which
constraint excluded each code), per uncoded component its facets (R-MOD-15: local representation,
else the concept's core representation, else String), attributes with assignment status and
attachment level (R-MOD-14) and the measure's text type. ``DataValidator`` then consumes the
``registry.io.data_events`` stream and adds ``registry.validation.report`` findings to a
``ReportBuilder``: per row it re-uses the verdicts cached per distinct series key, period and
(component, value), so a row of a known series costs a few dict look-ups; ``finish`` reports what
can only be known at the end (mandatory series and dataset attributes, an empty submission).
Duplicate observations are found with an open-addressing table of 64-bit ``hash((series number,
period))`` values held in ``array`` buffers (20 bytes a slot, at most two thirds full: about 42 MB
for a million observations, half as much again while the table doubles, and no Python object per
observation); two different observations whose hashes collide would be reported as a duplicate,
which among a million observations happens with a probability of about n²/2⁶⁵ ≈ 3·10⁻⁸, and a
31-bit digest of value and attributes tells a ``DUPLICATE_OBSERVATION`` from a
``REPEATED_OBSERVATION`` (wrong with probability 2⁻³¹ per pair).
Limits: exclusion cube regions are applied only when they select a single component (a combination
of several is not enforced), ``DataKeySet`` constraints and the time ranges of cube regions are
ignored, and a series or group attribute given in a ``GroupValues`` event whose key does not
cover the attribute's dimensions counts as present for every series.
"""

from __future__ import annotations

import difflib
import re
from array import array
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from operator import itemgetter
from typing import Any

from sdmx.model import common, v21

from registry.io.data_events import DataEvent, DataSetStart, GroupValues, Location, ObservationRow
from registry.periods import Period, PeriodError, frequency_hint, matches_frequency, parse_period
from registry.validation.report import Finding, ReportBuilder

__all__ = ["AttributeRule", "DataValidator", "Facets", "FlowRules", "compile_rules"]

#: Attribute attachment levels (R-MOD-14).
DATASET, GROUP, SERIES, OBSERVATION = "dataset", "group", "series", "observation"
_CODELIST_URN = "urn:sdmx:org.sdmx.infomodel.codelist.Codelist={}:{}({})"
_CACHE_LIMIT = 4096  # distinct values remembered per component (free text must not grow memory)
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|NaN|INF|-INF")
_INTEGER = re.compile(r"[+-]?\d+")
_INTEGER_TYPES = frozenset({"Integer", "Long", "Short", "BigInteger", "Count", "Incremental"})
_FLOAT_TYPES = frozenset({"Double", "Float", "Decimal", "InclusiveValueRange"})
_FLOAT_TYPES |= {"ExclusiveValueRange"}
_SIMPLE_PATTERNS = {
    "Alpha": re.compile(r"[A-Za-z]*"),
    "AlphaNumeric": re.compile(r"[A-Za-z0-9]*"),
    "Numeric": re.compile(r"[0-9]*"),
    "Boolean": re.compile(r"true|false|1|0"),
    "URI": re.compile(r"\S+"),
}
_GREGORIAN = frozenset({"year", "month", "day"})
_REPORTING = frozenset(
    {"reporting_year", "semester", "trimester", "quarter", "reporting_month", "week"}
) | {"reporting_day"}
#: Time text types → the ``Period.kind`` values they accept (R-MOD-16).
_TIME_KINDS: dict[str, frozenset[str]] = {
    "ObservationalTimePeriod": _GREGORIAN | _REPORTING | {"datetime", "range"},
    "StandardTimePeriod": _GREGORIAN | _REPORTING | {"datetime"},
    "BasicTimePeriod": _GREGORIAN | {"datetime"},
    "GregorianTimePeriod": _GREGORIAN,
    "GregorianYear": frozenset({"year"}),
    "GregorianYearMonth": frozenset({"month"}),
    "GregorianDay": frozenset({"day"}),
    "ReportingTimePeriod": _REPORTING,
    "DateTime": frozenset({"datetime"}),
    "TimesRange": frozenset({"range"}),
    "TimeRange": frozenset({"range"}),
}

Issue = tuple[str, dict[str, Any]]  # (code, params) with component and value filled in later


@dataclass(frozen=True)
class Facets:
    """The facets of an uncoded component that upload validation enforces."""

    text_type: str = "String"
    min_length: int | None = None
    max_length: int | None = None
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    pattern: str | None = None
    decimals: int | None = None


@dataclass(frozen=True)
class AttributeRule:
    """An attribute: mandatory or not, where it attaches, and the dimensions that key it."""

    id: str
    mandatory: bool
    level: str  # DATASET | GROUP | SERIES | OBSERVATION
    dimensions: tuple[str, ...] = ()  # for GROUP and SERIES: the dimensions its value depends on


@dataclass(frozen=True)
class FlowRules:
    """Everything needed to validate a dataflow's observations, compiled once."""

    dsd: str  # "AGENCY:ID(VERSION)", for messages
    dimension_ids: tuple[str, ...]  # series dimensions, DSD order, without the time dimension
    time_dimension: str | None
    allowed: Mapping[str, frozenset[str]]  # coded component → codelist ∩ Allowed constraints
    codelist_codes: Mapping[str, frozenset[str]]  # coded component → every code of its codelist
    codelists: Mapping[str, str]  # coded component → "AGENCY:ID(VERSION)" of its codelist
    excluded_by: Mapping[str, Mapping[str, str]]  # component → code → constraint excluding it
    facets: Mapping[str, Facets]  # uncoded component (dimension, attribute, measure) → facets
    attributes: Mapping[str, AttributeRule]
    measure_id: str
    measure_type: str
    time_type: str = "ObservationalTimePeriod"

    @property
    def components(self) -> frozenset[str]:
        dims = (*self.dimension_ids, *((self.time_dimension,) if self.time_dimension else ()))
        return frozenset((*dims, *self.attributes, self.measure_id))


def _ref(obj: Any) -> str:
    maintainer = getattr(getattr(obj, "maintainer", None), "id", None) or "?"
    return f"{maintainer}:{obj.id}({getattr(obj, 'version', None) or '1.0'})"


def _text_type(facet: common.Facet) -> str | None:
    value_type = facet.value_type
    if value_type is None:
        return None
    name = value_type.name
    return name[0].upper() + name[1:]


def _facets(representation: common.Representation | None) -> Facets:
    if representation is None:
        return Facets()
    fields: dict[str, Any] = {}
    for facet in representation.non_enumerated or ():
        text_type = _text_type(facet)
        if text_type:
            fields["text_type"] = text_type
        ft = facet.type
        for name in ("min_length", "max_length", "decimals"):
            if getattr(ft, name, None) is not None:
                fields[name] = int(getattr(ft, name))
        for name in ("min_value", "max_value"):
            if getattr(ft, name, None) is not None:
                fields[name] = Decimal(str(getattr(ft, name)))
        if getattr(ft, "pattern", None):
            fields["pattern"] = str(ft.pattern)
    return Facets(**fields)


def _representation(
    component: common.Component, concepts: Mapping[str, common.Concept]
) -> common.Representation | None:
    """R-MOD-15: the local representation, else the concept's core representation."""
    local = component.local_representation
    if local is not None and (local.enumerated is not None or local.non_enumerated):
        return local
    concept = component.concept_identity
    if concept is None:
        return None
    core = getattr(concept, "core_representation", None)
    if core is None:
        found = concepts.get(getattr(concept, "urn", None) or "") or concepts.get(concept.id)
        core = getattr(found, "core_representation", None)
    return core


def _concept_index(schemes: Mapping[str, common.ItemScheme] | None) -> dict[str, common.Concept]:
    index: dict[str, common.Concept] = {}
    for scheme in (schemes or {}).values():
        for concept in scheme.items.values():
            index.setdefault(concept.id, concept)
            if getattr(concept, "urn", None):
                index[concept.urn] = concept
    return index


def _codes(enumerated: Any, codelists: Mapping[str, v21.Codelist], component: str) -> set[str]:
    urn = getattr(enumerated, "urn", None) or _CODELIST_URN.format(
        getattr(enumerated.maintainer, "id", "?"), enumerated.id, enumerated.version or "1.0"
    )
    codelist = codelists.get(urn)
    if codelist is None and len(enumerated):
        codelist = enumerated
    if codelist is None:
        raise ValueError(f"codelist {urn} of {component} was not given")
    return set(codelist.items)


def _apply_constraints(
    constraints: Sequence[v21.ContentConstraint],
    allowed: dict[str, set[str]],
    excluded_by: dict[str, dict[str, str]],
) -> None:
    for constraint in constraints:
        role = getattr(getattr(constraint, "role", None), "role", None)
        if role is not None and role != common.ConstraintRoleType.allowable:
            continue  # Actual constraints describe data, they do not restrict it
        name = _ref(constraint)
        for region in constraint.data_content_region:
            members = list(region.member.items())
            if not region.included and len(members) != 1:
                continue  # an excluded combination of several components: not enforced
            for component, selection in members:
                cid = getattr(component, "id", str(component))
                if cid not in allowed:
                    continue
                values = {str(getattr(v, "value", v)) for v in getattr(selection, "values", ())}
                keep = selection.included == region.included
                before = allowed[cid]
                after = before & values if keep else before - values
                for code in before - after:
                    excluded_by[cid].setdefault(code, name)
                allowed[cid] = after


def _attachment(attr: common.DataAttribute, time_dim: str | None) -> tuple[str, tuple[str, ...]]:
    rel = attr.related_to
    if isinstance(rel, common.DimensionRelationship):
        dims = tuple(d.id for d in rel.dimensions)
        if time_dim in dims:
            return OBSERVATION, ()
        return (SERIES if dims else DATASET), dims
    if isinstance(rel, common.GroupRelationship):
        group = rel.group_key
        dims = tuple(d.id for d in getattr(group, "components", ())) if group else ()
        return GROUP, dims
    if isinstance(rel, v21.PrimaryMeasureRelationship):
        return OBSERVATION, ()
    return DATASET, ()


def compile_rules(
    dsd: v21.DataStructureDefinition,
    codelists: Mapping[str, v21.Codelist],
    constraints: Sequence[v21.ContentConstraint] = (),
    concept_schemes: Mapping[str, common.ItemScheme] | None = None,
) -> FlowRules:
    """Compile a DSD, its codelists (keyed by URN) and its Allowed constraints into rules."""
    concepts = _concept_index(concept_schemes)
    allowed: dict[str, set[str]] = {}
    codelist_names: dict[str, str] = {}
    facets: dict[str, Facets] = {}
    dims: list[str] = []
    time_dim: str | None = None
    time_type = "ObservationalTimePeriod"
    components: list[common.Component] = []
    for dim in dsd.dimensions.components:
        if isinstance(dim, common.TimeDimension):
            time_dim = dim.id
            rep = _representation(dim, concepts)
            tt = _facets(rep).text_type
            time_type = tt if tt in _TIME_KINDS else time_type
            continue
        dims.append(dim.id)
        components.append(dim)
    components.extend(dsd.attributes.components)
    measures = list(dsd.measures.components)
    measure = measures[0] if measures else None
    if measure is not None:
        components.append(measure)
    for component in components:
        rep = _representation(component, concepts)
        if rep is not None and rep.enumerated is not None:
            allowed[component.id] = _codes(rep.enumerated, codelists, component.id)
            codelist_names[component.id] = _ref(rep.enumerated)
        else:
            facets[component.id] = _facets(rep)
    codes = {cid: frozenset(values) for cid, values in allowed.items()}
    excluded_by: dict[str, dict[str, str]] = {cid: {} for cid in allowed}
    _apply_constraints(constraints, allowed, excluded_by)
    attributes = {}
    for attr in dsd.attributes.components:
        level, attr_dims = _attachment(attr, time_dim)
        mandatory = attr.usage_status == common.UsageStatus.mandatory
        attributes[attr.id] = AttributeRule(attr.id, mandatory, level, attr_dims)
    measure_id = measure.id if measure is not None else "OBS_VALUE"
    return FlowRules(
        dsd=_ref(dsd),
        dimension_ids=tuple(dims),
        time_dimension=time_dim,
        allowed={cid: frozenset(values) for cid, values in allowed.items()},
        codelist_codes=codes,
        codelists=codelist_names,
        excluded_by={cid: dict(v) for cid, v in excluded_by.items() if v},
        facets=facets,
        attributes=attributes,
        measure_id=measure_id,
        measure_type=facets[measure_id].text_type if measure_id in facets else "String",
        time_type=time_type,
    )


def _suggest(value: str, codes: frozenset[str]) -> str:
    ordered = sorted(codes)
    return ", ".join(difflib.get_close_matches(value, ordered, n=3) or ordered[:3])


def _number(value: str) -> Decimal | None:
    if not _NUMBER.fullmatch(value):
        return None
    try:
        return Decimal(value.replace("INF", "Infinity"))
    except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
        return None


def _facet_issues(value: str, f: Facets) -> list[Issue]:
    """The facet violations of one uncoded value (R-MOD-15)."""
    issues: list[Issue] = []
    tt = f.text_type
    number: Decimal | None = None
    if tt in _FLOAT_TYPES or tt in _INTEGER_TYPES:
        number = _number(value)
        if number is None:
            return [("NON_NUMERIC_VALUE", {"text_type": tt})]
        if tt in _INTEGER_TYPES and not _INTEGER.fullmatch(value):
            return [("INVALID_VALUE_TYPE", {"text_type": tt})]
        if f.decimals is not None and number.is_finite():
            exponent = number.as_tuple().exponent
            if isinstance(exponent, int) and -exponent > f.decimals:
                text = f"{tt} with at most {f.decimals} decimals"
                issues.append(("INVALID_VALUE_TYPE", {"text_type": text}))
    elif tt in _TIME_KINDS:
        try:
            kind = parse_period(value).kind
        except PeriodError:
            return [("INVALID_VALUE_TYPE", {"text_type": tt})]
        if kind not in _TIME_KINDS[tt]:
            return [("INVALID_VALUE_TYPE", {"text_type": tt})]
    elif tt in _SIMPLE_PATTERNS and not _SIMPLE_PATTERNS[tt].fullmatch(value):
        return [("INVALID_VALUE_TYPE", {"text_type": tt})]
    if f.max_length is not None and len(value) > f.max_length:
        issues.append(("VALUE_TOO_LONG", {"length": len(value), "limit": f.max_length}))
    if f.min_length is not None and len(value) < f.min_length:
        issues.append(("VALUE_TOO_SHORT", {"length": len(value), "limit": f.min_length}))
    if f.min_value is not None or f.max_value is not None:
        number = number if number is not None else _number(value)
        low, high = f.min_value, f.max_value
        if number is not None and (
            (low is not None and number < low) or (high is not None and number > high)
        ):
            bounds = f"{'' if low is None else low}..{'' if high is None else high}"
            issues.append(("VALUE_OUT_OF_RANGE", {"bounds": bounds}))
    if f.pattern is not None and not re.fullmatch(f.pattern, value):
        issues.append(("PATTERN_MISMATCH", {"pattern": f.pattern}))
    return issues


class _SeenTable:
    """Open-addressing set of 64-bit keys with a 32-bit digest and a float per key."""

    def __init__(self, capacity: int = 1 << 16) -> None:
        self._alloc(capacity)

    def _alloc(self, capacity: int) -> None:
        self.mask = capacity - 1
        self.limit = capacity * 2 // 3
        self.count = 0
        self.keys = array("q", bytes(8 * capacity))
        self.digests = array("i", bytes(4 * capacity))
        self.values = array("d", bytes(8 * capacity))

    def put(self, key: int, digest: int, value: float) -> tuple[int, float] | None:
        """Insert, or return the (digest, value) already stored for ``key``."""
        keys, mask = self.keys, self.mask
        key = key or 1  # 0 marks an empty slot
        i = key & mask
        while True:
            k = keys[i]
            if k == key:
                return self.digests[i], self.values[i]
            if not k:
                break
            i = (i + 1) & mask
        keys[i] = key
        self.digests[i] = digest
        self.values[i] = value
        self.count += 1
        if self.count > self.limit:
            self.grow()
        return None

    def grow(self) -> None:
        keys, digests, values = self.keys, self.digests, self.values
        self._alloc((self.mask + 1) * 2)
        for i, key in enumerate(keys):  # no list of old entries: memory stays flat
            if key:
                self.put(key, digests[i], values[i])


_NAN = float("nan")


class _Series:
    """What is remembered per distinct series key: its issues and where it first appeared."""

    __slots__ = ("data", "index", "issues", "key", "location", "signature", "text", "values")

    def __init__(
        self,
        key: tuple[str | None, ...],
        issues: list[tuple[str, str, str | None, dict[str, Any]]],
        location: Location,
        index: int,
    ) -> None:
        self.key = key
        self.text = ".".join(v or "" for v in key)
        self.issues = issues  # (code, component, value, params) found in the key's dimensions
        self.location = location
        self.values: dict[str, str] = {}  # series-level attribute values seen first
        self.data = False  # whether a row outside a Delete dataset belongs to it
        self.index = index  # a small int standing for the key in the duplicate table
        self.signature: frozenset[tuple[str, str]] | None = None  # last attribute set recorded


class DataValidator:
    """Checks a stream of data events against ``FlowRules``, adding findings to a report."""

    def __init__(self, rules: FlowRules, report: ReportBuilder) -> None:
        self.rules = rules
        self.report = report
        self._key_of: Callable[[Mapping[str, str]], tuple[str | None, ...]]
        dim_ids = rules.dimension_ids
        self._key_of = lambda dims: tuple(map(dims.get, dim_ids))
        self._pick: Callable[[Mapping[str, str]], tuple[str | None, ...]] = (
            itemgetter(*dim_ids) if len(dim_ids) > 1 else self._key_of
        )
        self._known = rules.components
        self._expected = ", ".join(sorted(self._known))
        self._unknown_reported: set[str] = set()
        self._series: dict[tuple[str | None, ...], _Series] = {}
        self._value_ok: dict[str, set[str]] = {}
        self._value_issues: dict[tuple[str, str], list[Issue]] = {}
        self._period_issues: dict[tuple[str | None, str], list[Issue]] = {}
        self._seen = _SeenTable()
        self._good: set[frozenset[tuple[str, str]]] = set()
        self._observations = 0
        attrs = rules.attributes.values()
        self._obs_mandatory = tuple(a.id for a in attrs if a.mandatory and a.level == OBSERVATION)
        self._keyed = tuple(a for a in attrs if a.level in (SERIES, GROUP))
        self._keyed_getters = {a.id: self._getter(a) for a in self._keyed}
        self._series_attrs = tuple(
            a.id for a in self._keyed if self._keyed_getters[a.id] is self._key_of
        )
        self._series_mandatory = tuple(
            a for a in self._series_attrs if self.rules.attributes[a].mandatory
        )
        self._group_attrs = tuple(
            a for a in self._keyed if self._keyed_getters[a.id] is not self._key_of
        )
        self._keyed_values: dict[str, dict[tuple[str | None, ...], str]] = {
            a.id: {} for a in self._keyed
        }
        self._keyed_seen: dict[str, dict[tuple[str | None, ...], tuple[str, Location]]] = {
            a.id: {} for a in self._group_attrs if a.mandatory
        }
        self._numeric = _NUMBER.fullmatch if self._measure_facets_plain(rules) else None
        self._everywhere: set[str] = set()  # keyed attributes given by a wide group
        self._dataset_attrs = tuple(a.id for a in attrs if a.level == DATASET)
        self._delete = False
        self._dataset_missing: set[str] = set()
        self._dataset_location: Location | None = None
        self._has_freq = "FREQ" in rules.dimension_ids
        self._time = rules.time_dimension or "TIME_PERIOD"
        self._time_kinds = _TIME_KINDS.get(rules.time_type, _TIME_KINDS["ObservationalTimePeriod"])
        self._measure_facets = rules.facets.get(rules.measure_id)

    def _getter(self, attr: AttributeRule) -> Callable[[Mapping[str, str]], tuple[str | None, ...]]:
        dims = attr.dimensions
        if set(dims) >= set(self.rules.dimension_ids) or not dims:
            return self._key_of
        return lambda values: tuple(map(values.get, dims))

    # -- reporting -----------------------------------------------------------------------------

    def _add(
        self,
        code: str,
        location: Location,
        component: str | None,
        value: str | None,
        series: _Series | None,
        period: str | None,
        params: Mapping[str, Any],
    ) -> None:
        if component is not None and location.row is not None:
            location = location._replace(column=component)
        self.report.add(
            Finding(
                code,
                location,
                component=component,
                value=value,
                series_key=series.text if series is not None else None,
                period=period,
                params=params,
            )
        )

    def _unknown(self, component: str, location: Location) -> None:
        if component in self._unknown_reported:
            return
        self._unknown_reported.add(component)
        params = {"dsd": self.rules.dsd, "expected": self._expected}
        self._add("UNKNOWN_COMPONENT", location, component, None, None, None, params)

    # -- checks --------------------------------------------------------------------------------

    def _code_issues(self, component: str, value: str) -> list[Issue]:
        rules = self.rules
        allowed = rules.allowed.get(component)
        if allowed is not None:
            if value in allowed:
                return []
            codelist = rules.codelists[component]
            if value not in rules.codelist_codes[component]:
                suggestions = _suggest(value, rules.codelist_codes[component])
                return [
                    ("CODE_NOT_IN_CODELIST", {"codelist": codelist, "suggestions": suggestions})
                ]
            constraint = rules.excluded_by.get(component, {}).get(value, "a constraint")
            params = {
                "codelist": codelist,
                "constraint": constraint,
                "suggestions": _suggest(value, allowed),
            }
            return [("CODE_NOT_ALLOWED", params)]
        facets = rules.facets.get(component)
        return _facet_issues(value, facets) if facets is not None else []

    def _value_check(self, component: str, value: str) -> list[Issue]:
        """Issues of one (component, value), cached; an empty list when it is valid."""
        ok = self._value_ok.get(component)
        if ok is not None and value in ok:
            return []
        key = (component, value)
        issues = self._value_issues.get(key)
        if issues is None:
            issues = self._code_issues(component, value)
            if issues:
                if len(self._value_issues) < _CACHE_LIMIT * 4:
                    self._value_issues[key] = issues
            else:
                ok = self._value_ok.setdefault(component, set())
                if len(ok) < _CACHE_LIMIT:
                    ok.add(value)
        return issues

    def _new_series(self, key: tuple[str | None, ...], row: ObservationRow) -> _Series:
        issues: list[tuple[str, str, str | None, dict[str, Any]]] = []
        for component, value in zip(self.rules.dimension_ids, key, strict=True):
            if value is None:
                if not self._delete:
                    issues.append(("MISSING_DIMENSION", component, None, {"dsd": self.rules.dsd}))
            elif value == "":
                issues.append(("EMPTY_DIMENSION_VALUE", component, "", {}))
            else:
                for code, params in self._value_check(component, value):
                    issues.append((code, component, value, params))
        series = _Series(key, issues, row.location, len(self._series))
        self._series[key] = series
        return series

    def _period_check(self, freq: str | None, period: str) -> list[Issue]:
        try:
            parsed: Period = parse_period(period)
        except PeriodError as exc:
            return [("BAD_TIME_PERIOD", {"reason": exc.reason})]
        if parsed.kind not in self._time_kinds:
            reason = f"a {parsed.kind.replace('_', ' ')} is not a {self.rules.time_type}"
            return [("BAD_TIME_PERIOD", {"reason": reason})]
        if freq and not matches_frequency(parsed, freq):
            implied = frequency_hint(parsed) or "another"
            return [("FREQ_PERIOD_MISMATCH", {"freq": freq, "implied": implied})]
        return []

    def check(self, event: DataEvent) -> None:
        """Validate one event (see the module docstring)."""
        if type(event) is ObservationRow:
            self._row(event)
        elif isinstance(event, DataSetStart):
            self._dataset(event)
        elif isinstance(event, GroupValues):
            self._group(event)

    @staticmethod
    def _measure_facets_plain(rules: FlowRules) -> bool:
        """Whether the measure is a float type with no other facet (the fast path)."""
        f = rules.facets.get(rules.measure_id)
        return f is not None and f == Facets(text_type=f.text_type) and f.text_type in _FLOAT_TYPES

    def _row(self, row: ObservationRow) -> None:
        dims, value, attrs, location, series_only = row
        try:
            key = self._pick(dims)  # C-level; a missing dimension takes the slow path
        except KeyError:
            key = self._key_of(dims)
        series = self._series.get(key)
        if series is None:
            series = self._new_series(key, row)
            known = self._known
            if not known.issuperset(dims):
                for component in dims:
                    if component not in known:
                        self._unknown(component, location)
        period = dims.get(self._time)
        if series.issues:
            for code, component, bad, params in series.issues:
                self._add(code, location, component, bad, series, period, params)
        delete = self._delete
        observation = not series_only and not delete
        # Attribute sets repeat from row to row: one whose components are all known, values
        # valid and observation-level mandatory attributes present is checked once.
        signature = frozenset(attrs.items())
        if signature not in self._good:
            self._attributes(row, series, period, signature, observation)
        if series_only:
            if delete:
                self._observations += 1
        else:
            self._observations += 1
            if period:
                freq = dims.get("FREQ")
                issues = self._period_issues.get((freq, period))
                if issues is None:
                    issues = self._new_period(freq, period)
                if issues:
                    for code, params in issues:
                        component = self._time if code == "BAD_TIME_PERIOD" else "FREQ"
                        self._add(code, location, component, period, series, period, params)
            elif period is None:
                if not delete and self.rules.time_dimension is not None:
                    params = {"dsd": self.rules.dsd}
                    self._add("MISSING_DIMENSION", location, self._time, None, series, None, params)
            else:
                self._add("EMPTY_DIMENSION_VALUE", location, self._time, "", series, "", {})
        if not delete:
            if series.signature != signature:
                series.signature = signature
                if self._series_attrs:
                    self._series_values(row, series, period)
            series.data = True
            if self._group_attrs:
                self._group_row(row, series, period)
            if observation:
                numeric = self._numeric
                if value is None or numeric is None or not numeric(value):
                    self._value(row, series, period)
                if period is not None:
                    # duplicate detection, inlined: see the module docstring and _SeenTable
                    table = self._seen
                    keys = table.keys
                    mask = table.mask
                    hashed = hash((series.index, period)) or 1
                    i = hashed & mask
                    digest = hash((value, signature)) & 0x7FFFFFFF
                    while True:
                        k = keys[i]
                        if not k:
                            keys[i] = hashed
                            table.digests[i] = digest
                            try:
                                table.values[i] = float(value) if value else _NAN
                            except ValueError:
                                table.values[i] = _NAN
                            table.count += 1
                            if table.count > table.limit:
                                table.grow()
                            break
                        if k == hashed:
                            self._duplicate(row, series, period, table.digests[i] == digest, i)
                            break
                        i = (i + 1) & mask
        if self._dataset_missing:
            for component in [c for c in self._dataset_missing if c in attrs]:
                self._dataset_missing.discard(component)

    def _attributes(
        self,
        row: ObservationRow,
        series: _Series,
        period: str | None,
        signature: frozenset[tuple[str, str]],
        observation: bool,
    ) -> None:
        """Check an attribute set not seen valid before: components, values, mandatory ones."""
        attrs = row.attributes
        location = row.location
        good = True
        known = self._known
        for component, text in attrs.items():
            if component not in known:
                self._unknown(component, location)
                good = False
                continue
            issues = self._value_check(component, text)
            for code, params in issues:
                self._add(code, location, component, text, series, period, params)
                good = False
        for component in self._obs_mandatory:
            if component not in attrs:
                good = False
                if observation:
                    params = {"level": OBSERVATION}
                    self._add(
                        "MISSING_MANDATORY_ATTRIBUTE",
                        location,
                        component,
                        None,
                        series,
                        period,
                        params,
                    )
        if good and len(self._good) < _CACHE_LIMIT:
            self._good.add(signature)

    def _series_values(self, row: ObservationRow, series: _Series, period: str | None) -> None:
        """Record the series-level attribute values of a row; report a second, different one."""
        values = series.values
        for component in self._series_attrs:
            given = row.attributes.get(component)
            if given is not None:
                first = values.get(component)
                if first is None:
                    values[component] = given
                elif first != given:
                    params = {"other": first, "level": SERIES}
                    self._add(
                        "INCONSISTENT_ATTRIBUTE",
                        row.location,
                        component,
                        given,
                        series,
                        period,
                        params,
                    )

    def _duplicate(
        self, row: ObservationRow, series: _Series, period: str, same: bool, slot: int
    ) -> None:
        value = row.value
        if same:
            self._add("REPEATED_OBSERVATION", row.location, None, value, series, period, {})
        else:
            first = self._seen.values[slot]
            params = {"other": "" if first != first else repr(first)}  # NaN: no number kept
            measure = self.rules.measure_id
            self._add("DUPLICATE_OBSERVATION", row.location, measure, value, series, period, params)

    def _new_period(self, freq: str | None, period: str) -> list[Issue]:
        issues = self._period_check(freq if self._has_freq else None, period)
        if len(self._period_issues) < _CACHE_LIMIT * 4:
            self._period_issues[(freq, period)] = issues
        return issues

    def _value(self, row: ObservationRow, series: _Series, period: str | None) -> None:
        """The checks of the observation value outside the fast path (empty, not a number…)."""
        value = row.value
        measure = self.rules.measure_id
        if value is None or value == "":
            if "OBS_STATUS" not in row.attributes:
                self._add(
                    "MISSING_VALUE_WITHOUT_STATUS", row.location, measure, value, series, period, {}
                )
        elif self._measure_facets is not None:
            for code, params in self._value_check(measure, value):
                if "text_type" in params:
                    params = {**params, "text_type": self.rules.measure_type}
                self._add(code, row.location, measure, value, series, period, params)

    def _group_row(self, row: ObservationRow, series: _Series, period: str | None) -> None:
        attrs = row.attributes
        dims = row.dimensions
        for attr in self._group_attrs:
            gkey = self._keyed_getters[attr.id](dims)
            seen = self._keyed_seen.get(attr.id)
            value = attrs.get(attr.id)
            if seen is not None and gkey not in seen:
                seen[gkey] = (".".join(v or "" for v in gkey), row.location)
            if value is None:
                continue
            values = self._keyed_values[attr.id]
            first = values.setdefault(gkey, value)
            if first != value:
                params = {"other": first, "level": GROUP}
                self._add(
                    "INCONSISTENT_ATTRIBUTE", row.location, attr.id, value, series, period, params
                )

    def _dataset(self, event: DataSetStart) -> None:
        self._close_dataset()
        self._delete = event.action == "Delete"
        mandatory = {a for a in self._dataset_attrs if self.rules.attributes[a].mandatory}
        self._dataset_missing = mandatory - set(event.attributes)
        self._dataset_location = event.location
        self._seen = _SeenTable()
        for component, value in event.attributes.items():
            if component not in self._known:
                self._unknown(component, event.location)
                continue
            for code, params in self._value_check(component, value):
                self._add(code, event.location, component, value, None, None, params)

    def _close_dataset(self) -> None:
        if self._dataset_location is None or self._delete:
            return
        for component in sorted(self._dataset_missing):
            params = {"level": DATASET}
            loc = self._dataset_location
            self._add("MISSING_MANDATORY_ATTRIBUTE", loc, component, None, None, None, params)

    def _group(self, event: GroupValues) -> None:
        for component, value in event.attributes.items():
            rule = self.rules.attributes.get(component)
            if rule is None:
                self._unknown(component, event.location)
                continue
            for code, params in self._value_check(component, value):
                self._add(code, event.location, component, value, None, None, params)
            if rule.level not in (SERIES, GROUP):
                continue
            if not set(rule.dimensions) <= set(event.key):
                self._everywhere.add(component)
                continue
            gkey = tuple(event.key.get(d) for d in rule.dimensions)
            if self._keyed_getters[component] is self._key_of:
                gkey = self._key_of(event.key)
            first = self._keyed_values[component].setdefault(gkey, value)
            if first != value:
                params = {"other": first, "level": "group"}
                text = ".".join(v or "" for v in gkey)
                self.report.add(
                    Finding(
                        "INCONSISTENT_ATTRIBUTE",
                        event.location,
                        component=component,
                        value=value,
                        series_key=text,
                        params=params,
                    )
                )

    def finish(self) -> None:
        """Report what only the end of the stream tells: missing keyed attributes, no data."""
        if not self._delete:
            self._close_dataset()
            for component, seen in self._keyed_seen.items():
                if component in self._everywhere:
                    continue
                values = self._keyed_values[component]
                level = self.rules.attributes[component].level
                for gkey, (text, location) in seen.items():
                    if gkey not in values:
                        params = {"level": level}
                        if location.row is not None:
                            location = location._replace(column=component)
                        self.report.add(
                            Finding(
                                "MISSING_MANDATORY_ATTRIBUTE",
                                location,
                                component=component,
                                series_key=text,
                                params=params,
                            )
                        )
            for component in self._series_mandatory:
                if component in self._everywhere:
                    continue
                given = self._keyed_values[component]
                for series in self._series.values():
                    if series.data and component not in series.values and series.key not in given:
                        location = series.location
                        if location.row is not None:
                            location = location._replace(column=component)
                        self.report.add(
                            Finding(
                                "MISSING_MANDATORY_ATTRIBUTE",
                                location,
                                component=component,
                                series_key=series.text,
                                params={"level": SERIES},
                            )
                        )
        if not self._observations:
            self.report.add(Finding("EMPTY_SUBMISSION"))
