"""Data validation: rules compiled once per dataflow, then checked against every observation.

``compile_rules`` turns a DSD, its codelists (a mapping keyed by codelist URN, e.g.
``urn:sdmx:org.sdmx.infomodel.codelist.Codelist=MA.HCP:CL_SEX_MA(1.0)``), the Allowed content
constraints of the dataflow and provision agreement and, optionally, concept schemes (keyed by
URN, for core representations) into a frozen ``FlowRules``: dimension order, the time dimension,
per coded component the allowed codes (codelist ∩ every Allowed cube region, remembering which
constraint excluded each code), per uncoded component its facets (R-MOD-15: local representation,
else the concept's core representation, else String), attributes with assignment status and
attachment level (R-MOD-14) and the measure's text type. ``DataValidator`` then consumes the
``registry.io.data_events`` stream, one event at a time (``check``) or in batches
(``check_batch``: the same findings, several times faster), and adds
``registry.validation.report`` findings to a ``ReportBuilder``; ``finish`` reports what can only
be known at the end (mandatory series and dataset attributes, an empty submission). Verdicts are
cached, every cache capped: per (component, value) (4,096 valid values per component, 16,384
invalid ones in all), per (frequency, period) (16,384), per attribute set found valid (4,096).
In ``check_batch`` an observation whose series is known without key problems (or new, with codes
already known valid), whose period is known valid for the series' frequency, whose attributes
equal the row before's or form a set known valid repeating the series' recorded series-level
values, and whose value is a plain number costs a few C-level look-ups; any other row gets every
check. Per distinct series the validator keeps its key (a tuple of interned strings) and the
first value of each series attribute (one tuple shared by all series with the same values):
about 150 bytes a series of six dimensions, 15 MB for 100,000 series; a series with key problems,
or still missing a mandatory series attribute, also keeps those issues or its first location.
Rows repeat the values of series, group and dataset attributes: a bad one (not a valid code or
value, or other than the series' or group's first one) is reported once per series and distinct
value, at the first row carrying it, with that row's period (the validator notes each such
finding's series, component and value); observation-level problems and series key problems are
reported on every row. Duplicate observations are not this module's job: the submission service
finds them in the store's staging table, so nothing is kept per observation. Limits: exclusion cube
regions are applied only when they select a single component (a combination of several is not
enforced), ``DataKeySet`` constraints and the time ranges of cube regions are ignored, and a
series or group attribute given in a ``GroupValues`` event whose key does not cover the
attribute's dimensions counts as present for every series.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence, Set
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from operator import contains, itemgetter
from sys import intern as _intern
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
_KeyIssue = tuple[str, str, str | None, dict[str, Any]]  # (code, component, value, params)
_NO_PERIODS: frozenset[str] = frozenset()
#: check_batch's state about the row before (see ``DataValidator.__init__``).
_Last = tuple[
    tuple[str | None, ...] | None, Mapping[str, str] | None, Set[str], tuple[str | None, ...]
]


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


def _text(key: tuple[str | None, ...]) -> str:
    """A series (or group) key as written in messages: values joined by dots."""
    return ".".join(v or "" for v in key)


def _picker(ids: tuple[str, ...]) -> Callable[[Mapping[str, str]], tuple[str, ...]]:
    """A C-level ``itemgetter`` over ``ids`` that always returns a tuple (``KeyError`` if one
    is missing)."""
    if len(ids) > 1:
        return itemgetter(*ids)
    if ids:
        (only,) = ids
        return lambda values: (values[only],)
    return lambda values: ()


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
        self._found = 0  # findings added by rows so far: tells a clean row from one that was not
        # Per series: its key (strings interned) → the first value of each series attribute, a
        # tuple shared by every series with the same values; the rest only for a few series.
        self._series: dict[tuple[str | None, ...], tuple[str | None, ...]] = {}
        self._series_issues: dict[tuple[str | None, ...], list[_KeyIssue]] = {}
        self._first_location: dict[tuple[str | None, ...], Location] = {}
        self._deleted_only: set[tuple[str | None, ...]] = set()
        self._shared_values: dict[tuple[str | None, ...], tuple[str | None, ...]] = {}
        self._value_ok: dict[str, set[str]] = {c: set() for c in self._known}
        self._dimension_ok = tuple(self._value_ok[d] for d in rules.dimension_ids)
        self._value_issues: dict[tuple[str, str], list[Issue]] = {}
        self._ok_periods: dict[str | None, set[str]] = {}
        self._period_issues: dict[tuple[str | None, str], list[Issue]] = {}
        self._periods_cached = 0
        self._good: set[tuple[tuple[str, str], ...]] = set()
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
        self._mandatory_slots = tuple(self._series_attrs.index(a) for a in self._series_mandatory)
        self._no_values: tuple[str | None, ...] = (None,) * len(self._series_attrs)
        self._group_attrs = tuple(
            a for a in self._keyed if self._keyed_getters[a.id] is not self._key_of
        )
        self._keyed_values: dict[str, dict[tuple[str | None, ...], str]] = {
            a.id: {} for a in self._keyed
        }
        self._keyed_seen: dict[str, dict[tuple[str | None, ...], tuple[str, Location]]] = {
            a.id: {} for a in self._group_attrs if a.mandatory
        }
        self._plain_measure = self._measure_facets_plain(rules)
        self._everywhere: set[str] = set()  # keyed attributes given by a wide group
        self._dataset_attrs = tuple(a.id for a in attrs if a.level == DATASET)
        # Attributes whose value rows repeat (series, group, dataset level): a bad value of one
        # is reported once per series, and (series key, component, value, code) noted here.
        self._repeated = frozenset(a.id for a in attrs if a.level != OBSERVATION)
        self._reported: set[tuple[tuple[str | None, ...], str, str, str]] = set()
        self._delete = False
        self._dataset_missing: set[str] = set()
        self._dataset_location: Location | None = None
        self._freq_slot = dim_ids.index("FREQ") if "FREQ" in dim_ids else -1  # FREQ ↔ period
        self._time = rules.time_dimension or "TIME_PERIOD"
        self._time_kinds = _TIME_KINDS.get(rules.time_type, _TIME_KINDS["ObservationalTimePeriod"])
        self._measure_facets = rules.facets.get(rules.measure_id)
        # For check_batch, about the row before: the key of its series (None unless it was an
        # observation without finding in its key and attributes), those attributes, the periods
        # known valid for the series' frequency and its series attribute values so far.
        self._last: _Last = (None, None, _NO_PERIODS, ())
        self._series_getter = _picker(self._series_attrs)

    def _getter(self, attr: AttributeRule) -> Callable[[Mapping[str, str]], tuple[str | None, ...]]:
        dims = attr.dimensions
        if set(dims) >= set(self.rules.dimension_ids) or not dims:
            return self._key_of
        return lambda values: tuple(map(values.get, dims))

    @staticmethod
    def _measure_facets_plain(rules: FlowRules) -> bool:
        """Whether the measure is a float type with no other facet (the fast path)."""
        f = rules.facets.get(rules.measure_id)
        return f is not None and f == Facets(text_type=f.text_type) and f.text_type in _FLOAT_TYPES

    # -- reporting -----------------------------------------------------------------------------

    def _add(
        self,
        code: str,
        location: Location,
        component: str | None,
        value: str | None,
        key: tuple[str | None, ...] | None,
        period: str | None,
        params: Mapping[str, Any],
    ) -> None:
        self._found += 1
        if component is not None:
            location = location.in_column(component)
        self.report.add(
            Finding(
                code,
                location,
                component=component,
                value=value,
                series_key=_text(key) if key is not None else None,
                period=period,
                params=params,
            )
        )

    def _first_time(
        self, key: tuple[str | None, ...], component: str, value: str, code: str = ""
    ) -> bool:
        """Whether a finding about a repeated attribute value is new for its series (noted)."""
        seen = (key, component, value, code)
        if seen in self._reported:
            return False
        self._reported.add(seen)
        return True

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

    def _new_series(
        self, key: tuple[str | None, ...], dims: Mapping[str, str], location: Location
    ) -> tuple[tuple[str | None, ...], tuple[str | None, ...]]:
        """Remember a series key not seen before: (the key as stored, its attribute values)."""
        # Stored with one string object per distinct code, however many series repeat it.
        if "" not in key and all(map(contains, self._dimension_ok, key)):
            key = tuple(map(_intern, key))  # type: ignore[arg-type]  # no None: all valid
        else:
            issues: list[_KeyIssue] = []
            for component, value in zip(self.rules.dimension_ids, key, strict=True):
                if value is None:
                    if not self._delete:
                        params = {"dsd": self.rules.dsd}
                        issues.append(("MISSING_DIMENSION", component, None, params))
                elif value == "":
                    issues.append(("EMPTY_DIMENSION_VALUE", component, "", {}))
                else:
                    for code, params in self._value_check(component, value):
                        issues.append((code, component, value, params))
            key = tuple([_intern(v) if v else v for v in key])
            if issues:
                self._series_issues[key] = issues
        values = self._no_values
        self._series[key] = values
        if self._delete:
            self._deleted_only.add(key)
        known = self._known
        if not known.issuperset(dims):
            for component in dims:
                if component not in known:
                    self._unknown(component, location)
        return key, values

    def _plain_series(
        self, key: tuple[str | None, ...], dims: Mapping[str, str], attrs: Mapping[str, str]
    ) -> tuple[str | None, ...] | None:
        """For ``check_batch``: remember a new series and return its attribute values when the
        row would have no finding, else None (and ``_row`` takes the row).

        That is when its key's codes, its components, its period and its attribute set are
        already known valid and it gives every series attribute (so no mandatory one is
        missing and no location needs keeping).
        """
        if (
            self._group_attrs
            or self._dataset_missing
            or "" in key
            or not all(map(contains, self._dimension_ok, key))
            or not self._known.issuperset(dims)
            or tuple(attrs.items()) not in self._good
        ):
            return None
        periods = self._ok_periods.get(key[self._freq_slot] if self._freq_slot >= 0 else None)
        if periods is None or dims.get(self._time) not in periods:
            return None
        try:
            values = self._share(self._series_getter(attrs))
        except KeyError:
            return None
        self._series[tuple(map(_intern, key))] = values  # type: ignore[arg-type]  # no None
        return values

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

    def _period_issues_of(self, freq: str | None, period: str) -> list[Issue]:
        """Issues of a period for a frequency, cached: valid ones in a set per frequency."""
        ok = self._ok_periods.get(freq)
        if ok is not None and period in ok:
            return []
        issues = self._period_issues.get((freq, period))
        if issues is None:
            issues = self._period_check(freq, period)
            if self._periods_cached < _CACHE_LIMIT * 4:
                self._periods_cached += 1
                if issues:
                    self._period_issues[(freq, period)] = issues
                else:
                    self._ok_periods.setdefault(freq, set()).add(period)
        return issues

    # -- events --------------------------------------------------------------------------------

    def check(self, event: DataEvent) -> None:
        """Validate one event (see the module docstring)."""
        if type(event) is ObservationRow:
            self._row(event)
            return
        self._last = (None, None, _NO_PERIODS, ())
        if isinstance(event, DataSetStart):
            self._dataset(event)
        elif isinstance(event, GroupValues):
            self._group(event)

    def check_batch(self, events: Iterable[DataEvent]) -> None:
        """Validate events in order, as ``check`` does one by one, with the same findings.

        The hot path, written inline with its state in local variables. An observation of a
        series already seen without key problems, whose period is already known valid for the
        series' frequency, whose attributes equal those of the row before (same series) or form
        a set known valid that repeats the series-level values already recorded, and whose
        value is a plain number, costs a few C-level comparisons and look-ups: every check
        ``_row`` would make is known to pass. Any other row takes ``_row``.
        """
        row_type = ObservationRow
        pick = self._pick
        time = self._time
        plain = self._plain_measure
        numeric = _NUMBER.fullmatch
        row = self._row
        value_check = self._value
        good = self._good
        series = self._series
        series_issues = self._series_issues
        deleted_only = self._deleted_only
        ok_periods = self._ok_periods
        freq_slot = self._freq_slot
        series_values = self._series_getter
        new_series = self._plain_series
        shortcut = not self._group_attrs  # group attributes are checked on every new attribute set
        delete = self._delete
        last_key, last_attrs, last_periods, last_values = self._last
        good_attrs = None  # the last attribute set found in ``good``, whatever its series
        fast = 0
        try:
            for event in events:
                if type(event) is not row_type:
                    self.check(event)
                    delete = self._delete
                    last_key, last_attrs, last_periods, last_values = self._last
                    continue
                dims, value, attrs, location, series_only = event
                if series_only or delete:
                    last_key, last_attrs, last_periods, last_values = row(event)
                    continue
                try:
                    key = pick(dims)
                except KeyError:  # a dimension is missing
                    last_key, last_attrs, last_periods, last_values = row(event)
                    continue
                if key != last_key:
                    # Another series: known without key problems (or new and plainly valid),
                    # with periods seen?
                    values = series.get(key)
                    if values is None:
                        values = new_series(key, dims, attrs)
                    periods = ok_periods.get(key[freq_slot] if freq_slot >= 0 else None)
                    if (
                        values is None
                        or periods is None
                        or (series_issues and key in series_issues)
                        or (deleted_only and key in deleted_only)
                    ):
                        last_key, last_attrs, last_periods, last_values = row(event)
                        continue
                    last_key, last_attrs, last_periods, last_values = key, None, periods, values
                if (period := dims.get(time)) not in last_periods:
                    last_key, last_attrs, last_periods, last_values = row(event)
                    continue
                if attrs != last_attrs:
                    # A set known valid, repeating the series-level values recorded?
                    try:
                        same = shortcut and series_values(attrs) == last_values
                    except KeyError:
                        same = False
                    if (
                        not same
                        or (attrs != good_attrs and tuple(attrs.items()) not in good)
                        or self._dataset_missing
                    ):
                        last_key, last_attrs, last_periods, last_values = row(event)
                        continue
                    last_attrs = good_attrs = attrs
                fast += 1
                if (
                    value is None
                    or not plain
                    or not (value.replace(".", "", 1).isdecimal() or numeric(value))
                ):
                    value_check(value, attrs, location, key, period)
        finally:
            self._observations += fast
            self._last = last_key, last_attrs, last_periods, last_values

    def _row(self, row: ObservationRow) -> _Last:
        """Every check of one row; what ``check_batch`` may assume of the next row."""
        dims, value, attrs, location, series_only = row
        try:
            key = self._pick(dims)  # C-level; a missing dimension takes the slow path
        except KeyError:
            key = self._key_of(dims)
        values = self._series.get(key)
        new = values is None
        if values is None:
            key, values = self._new_series(key, dims, location)
        period = dims.get(self._time)
        issues = self._series_issues.get(key) if self._series_issues else None
        if issues:
            for code, component, bad, params in issues:
                self._add(code, location, component, bad, key, period, params)
        delete = self._delete
        observation = not series_only and not delete
        found = self._found
        # Attribute sets repeat from row to row: one whose components are all known, values
        # valid and observation-level mandatory attributes present is checked once.
        signature = tuple(attrs.items())
        if signature not in self._good:
            self._attributes(attrs, location, key, period, signature, observation)
        clean = found == self._found
        freq = key[self._freq_slot] if self._freq_slot >= 0 else None  # dims["FREQ"]
        if series_only:
            if delete:
                self._observations += 1
        else:
            self._observations += 1
            if period:
                for code, params in self._period_issues_of(freq, period):
                    component = self._time if code == "BAD_TIME_PERIOD" else "FREQ"
                    self._add(code, location, component, period, key, period, params)
            elif period is None:
                if not delete and self.rules.time_dimension is not None:
                    params = {"dsd": self.rules.dsd}
                    self._add("MISSING_DIMENSION", location, self._time, None, key, None, params)
            else:
                self._add("EMPTY_DIMENSION_VALUE", location, self._time, "", key, "", {})
        if not delete:
            if self._deleted_only:
                self._deleted_only.discard(key)
            found = self._found
            if self._series_attrs:
                self._series_values(attrs, location, key, values, period)
            if self._group_attrs:
                self._group_row(attrs, dims, location, key, period)
            clean = clean and found == self._found
            if observation and (
                value is None or not self._plain_measure or not _NUMBER.fullmatch(value)
            ):
                self._value(value, attrs, location, key, period)
        if self._dataset_missing:
            for component in [c for c in self._dataset_missing if c in attrs]:
                self._dataset_missing.discard(component)
        if new and self._mandatory_slots:
            recorded = self._series[key]
            if not all(recorded[slot] is not None for slot in self._mandatory_slots):
                self._first_location[key] = location  # for finish; dropped once they come
        if observation and clean and not issues:
            periods = self._ok_periods.get(freq) or _NO_PERIODS
            self._last = (key, attrs, periods, self._series[key])
        else:
            self._last = (None, None, _NO_PERIODS, ())
        return self._last

    def _attributes(
        self,
        attrs: Mapping[str, str],
        location: Location,
        key: tuple[str | None, ...],
        period: str | None,
        signature: tuple[tuple[str, str], ...],
        observation: bool,
    ) -> None:
        """Check an attribute set not seen valid before: components, values, mandatory ones."""
        good = True
        known = self._known
        for component, text in attrs.items():
            if component not in known:
                self._unknown(component, location)
                good = False
                continue
            issues = self._value_check(component, text)
            if not issues:
                continue
            good = False
            if component in self._repeated and not self._first_time(key, component, text):
                continue  # a series (group, dataset) value: reported at its series' first row
            for code, params in issues:
                self._add(code, location, component, text, key, period, params)
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
                        key,
                        period,
                        params,
                    )
        if good and len(self._good) < _CACHE_LIMIT:
            self._good.add(signature)

    def _series_values(
        self,
        attrs: Mapping[str, str],
        location: Location,
        key: tuple[str | None, ...],
        values: tuple[str | None, ...],
        period: str | None,
    ) -> None:
        """Record the series-level attribute values of a row; report a second, different one."""
        if values is self._no_values:
            try:
                every = self._series_getter(attrs)
            except KeyError:
                pass
            else:  # the common case: the first row of a series gives all its attributes
                self._series[key] = self._share(every)
                if self._first_location:
                    self._first_location.pop(key, None)
                return
        recorded: list[str | None] | None = None
        for slot, component in enumerate(self._series_attrs):
            given = attrs.get(component)
            if given is not None:
                first = values[slot]
                if first is None:
                    if recorded is None:
                        recorded = list(values)
                    recorded[slot] = given
                elif first != given and self._first_time(key, component, given, SERIES):
                    params = {"other": first, "level": SERIES}
                    self._add(
                        "INCONSISTENT_ATTRIBUTE", location, component, given, key, period, params
                    )
        if recorded is None:
            return
        shared = self._series[key] = self._share(tuple(recorded))
        if self._first_location and all(shared[s] is not None for s in self._mandatory_slots):
            self._first_location.pop(key, None)

    def _share(self, values: tuple[str | None, ...]) -> tuple[str | None, ...]:
        """One tuple object for equal series attribute values, its strings interned."""
        shared = self._shared_values.get(values)
        if shared is None:
            shared = tuple([_intern(v) if v else v for v in values])
            if len(self._shared_values) < _CACHE_LIMIT:
                self._shared_values[shared] = shared
        return shared

    def _value(
        self,
        value: str | None,
        attrs: Mapping[str, str],
        location: Location,
        key: tuple[str | None, ...] | None,
        period: str | None,
    ) -> None:
        """The checks of the observation value outside the fast path (empty, not a number…)."""
        measure = self.rules.measure_id
        if value is None or value == "":
            if "OBS_STATUS" not in attrs:
                self._add("MISSING_VALUE_WITHOUT_STATUS", location, measure, value, key, period, {})
        elif self._measure_facets is not None:
            for code, params in self._value_check(measure, value):
                if "text_type" in params:
                    params = {**params, "text_type": self.rules.measure_type}
                self._add(code, location, measure, value, key, period, params)

    def _group_row(
        self,
        attrs: Mapping[str, str],
        dims: Mapping[str, str],
        location: Location,
        key: tuple[str | None, ...],
        period: str | None,
    ) -> None:
        for attr in self._group_attrs:
            gkey = self._keyed_getters[attr.id](dims)
            seen = self._keyed_seen.get(attr.id)
            value = attrs.get(attr.id)
            if seen is not None and gkey not in seen:
                seen[gkey] = (_text(gkey), location)
            if value is None:
                continue
            values = self._keyed_values[attr.id]
            first = values.setdefault(gkey, value)
            if first != value and self._first_time(key, attr.id, value, GROUP):
                params = {"other": first, "level": GROUP}
                self._add("INCONSISTENT_ATTRIBUTE", location, attr.id, value, key, period, params)

    def _dataset(self, event: DataSetStart) -> None:
        self._close_dataset()
        self._delete = event.action == "Delete"
        mandatory = {a for a in self._dataset_attrs if self.rules.attributes[a].mandatory}
        self._dataset_missing = mandatory - set(event.attributes)
        self._dataset_location = event.location
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
                self.report.add(
                    Finding(
                        "INCONSISTENT_ATTRIBUTE",
                        event.location,
                        component=component,
                        value=value,
                        series_key=_text(gkey),
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
                        location = location.in_column(component)
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
                slot = self._series_attrs.index(component)
                given = self._keyed_values[component]
                deleted_only = self._deleted_only
                for key, recorded in self._series.items():
                    if recorded[slot] is None and key not in given and key not in deleted_only:
                        location = self._first_location[key]
                        location = location.in_column(component)
                        self.report.add(
                            Finding(
                                "MISSING_MANDATORY_ATTRIBUTE",
                                location,
                                component=component,
                                series_key=_text(key),
                                params={"level": SERIES},
                            )
                        )
        if not self._observations:
            self.report.add(Finding("EMPTY_SUBMISSION"))
