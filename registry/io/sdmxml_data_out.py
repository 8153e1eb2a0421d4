"""Streaming writers of SDMX-ML 2.1 data messages: generic and structure-specific, series or flat.

``write_generic_data`` (``GenericData``, the REST 1.5 default), ``write_generic_time_series_data``
(``GenericTimeSeriesData``), ``write_structure_specific_data`` (``StructureSpecificData``) and
``write_structure_specific_time_series_data`` (``StructureSpecificTimeSeriesData``) turn a
``registry.io.data_out`` dataset and its series into a generator of UTF-8 chunks, text built with
string formatting (no tree): the header and the opening of the ``DataSet`` first, before the first
series is read, then about every 64 KiB. The header carries an ``ID``, ``Test``, ``Prepared``
(UTC), ``Sender id="LMIS_REGISTRY"``, one ``Structure`` (``structureID`` derived from the dataflow,
the dataflow as ``common:StructureUsage``, ``dimensionAtObservation``, and for structure-specific
messages the ``namespace``) and the ``DataSetAction`` (left out of a message of several datasets,
each ``DataSet`` saying its own ``action`` and ``validFromDate`` / ``validToDate``, SDMX-REST
``includeHistory``: they follow one another in the order given); no ``DataProvider``, even when the
dataset has one: sdmx1 2.28, the reference client, cannot read that element in a data message
(header or dataset) and fails on the whole message. Structure-specific messages use the namespace
Fusion Registry and .Stat write for a dataflow,
``urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=AGENCY:ID(VERSION): ObsLevelDim:DIM``
(R-ML-07), declared as ``ns1`` and named by the ``DataSet``'s ``xsi:type="ns1:DataSetType"``, with
``ss:dataScope="DataStructure"`` (the scope of the DSD-derived schema). Series hold their key in
DSD order (generic ``SeriesKey``; XML attributes in structure-specific messages) then their
attribute values; observations the dimension at observation, ``OBS_VALUE`` (left out when the value
is missing) and their attribute values; flat (``AllDimensions``) observations every dimension and
the series' attribute values too. Dataset attributes are a generic ``Attributes`` element or XML
attributes of the structure-specific ``DataSet``. A flat response without observations
(``serieskeysonly``, ``nodata``) is written as time series, and its header says ``TIME_PERIOD``, so
that structure-specific messages stay valid against the schema their namespace names. Empty
``Attributes`` elements are never written (the XSD forbids them). Text is escaped for XML (line
breaks and tabs in attribute values as character references, so they read back as written);
characters XML cannot carry (control characters other than tab and line breaks) are written as
U+FFFD. A component id that is not an XML name, a series key that does not hold exactly the series
dimensions, and a cross-sectional observation without ``key_value`` raise ``ValueError`` when they
are met.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from typing import NamedTuple

from registry.io.data_out import (
    DataSetOut,
    DataSets,
    Labels,
    Layout,
    MessageHeader,
    ObsOut,
    SeriesOut,
    check_request,
    chunked,
    datasets_of,
    instant_text,
)

__all__ = [
    "write_generic_data",
    "write_generic_time_series_data",
    "write_structure_specific_data",
    "write_structure_specific_time_series_data",
]

_V21 = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1"
_MESSAGE_NS = f"{_V21}/message"
_COMMON_NS = f"{_V21}/common"
_GENERIC_NS = f"{_V21}/data/generic"
_SS_NS = f"{_V21}/data/structurespecific"
_XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
#: How many observations are joined into one piece of output.
_OBS_BATCH = 512

_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
_ESCAPES |= {"\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}
_ESCAPES |= {chr(c): "\ufffd" for c in range(0x20) if chr(c) not in "\t\n\r"}
_ESCAPES |= {"\ufffe": "\ufffd", "\uffff": "\ufffd"}
_TABLE = str.maketrans(_ESCAPES)
_XML_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")

#: Reference element and Ref class/package of each kind of structure a dataset may point to.
_STRUCTURE_REFS = {
    "dataflow": ("StructureUsage", "Dataflow", "datastructure"),
    "datastructure": ("Structure", "DataStructure", "datastructure"),
    "provisionagreement": ("ProvisionAgrement", "ProvisionAgreement", "registry"),  # sic (XSD)
}


def _esc(text: str) -> str:
    return text.translate(_TABLE)


@lru_cache(maxsize=4096)
def _name(component_id: str) -> str:
    """A component id, checked to be usable as an XML attribute name."""
    if not _XML_NAME.fullmatch(component_id):
        raise ValueError(f"component id {component_id!r} is not an XML name")
    return component_id


# ── Public API ──────────────────────────────────────────────────────────────────────────────────


def write_generic_data(
    dataset: DataSetOut | DataSets,
    series: Iterable[SeriesOut] | None = None,
    *,
    detail: str = "full",
    dimension_at_observation: str = "TIME_PERIOD",
    header: MessageHeader | None = None,
    labels: Labels | None = None,
) -> Iterator[bytes]:
    """SDMX-ML 2.1 ``GenericData``, streamed (see the module docstring); ``labels`` unused."""
    first, pairs, several = datasets_of(dataset, series)
    layout = check_request(first, detail, dimension_at_observation)
    return _write(_Generic("GenericData"), first, pairs, several, layout, detail, header)


def write_generic_time_series_data(
    dataset: DataSetOut | DataSets,
    series: Iterable[SeriesOut] | None = None,
    *,
    detail: str = "full",
    dimension_at_observation: str = "TIME_PERIOD",
    header: MessageHeader | None = None,
    labels: Labels | None = None,
) -> Iterator[bytes]:
    """SDMX-ML 2.1 ``GenericTimeSeriesData``: time at observation only (``ValueError`` else)."""
    first, pairs, several = datasets_of(dataset, series)
    layout = check_request(first, detail, dimension_at_observation, time_series=True)
    writer = _Generic("GenericTimeSeriesData")
    return _write(writer, first, pairs, several, layout, detail, header)


def write_structure_specific_data(
    dataset: DataSetOut | DataSets,
    series: Iterable[SeriesOut] | None = None,
    *,
    detail: str = "full",
    dimension_at_observation: str = "TIME_PERIOD",
    header: MessageHeader | None = None,
    labels: Labels | None = None,
) -> Iterator[bytes]:
    """SDMX-ML 2.1 ``StructureSpecificData``, streamed (see the module docstring)."""
    first, pairs, several = datasets_of(dataset, series)
    layout = check_request(first, detail, dimension_at_observation)
    writer = _StructureSpecific("StructureSpecificData", first.rules.measure_id)
    return _write(writer, first, pairs, several, layout, detail, header)


def write_structure_specific_time_series_data(
    dataset: DataSetOut | DataSets,
    series: Iterable[SeriesOut] | None = None,
    *,
    detail: str = "full",
    dimension_at_observation: str = "TIME_PERIOD",
    header: MessageHeader | None = None,
    labels: Labels | None = None,
) -> Iterator[bytes]:
    """SDMX-ML 2.1 ``StructureSpecificTimeSeriesData``: time at observation only."""
    first, pairs, several = datasets_of(dataset, series)
    layout = check_request(first, detail, dimension_at_observation, time_series=True)
    writer = _StructureSpecific("StructureSpecificTimeSeriesData", first.rules.measure_id)
    return _write(writer, first, pairs, several, layout, detail, header)


# ── Shared: header, dataset, the loop over series ──────────────────────────────────────────────


class _Plan(NamedTuple):
    """What one response writes: where dimensions go, and which parts."""

    layout: Layout
    series_dimensions: tuple[str, ...]
    flat: bool
    attributes: bool
    observations: bool


def _plan(layout: Layout, detail: str, rules_dimensions: tuple[str, ...]) -> _Plan:
    series_dims = layout.series_dimensions if not layout.flat else rules_dimensions
    observations = detail in ("full", "dataonly")
    return _Plan(layout, series_dims, layout.flat, detail in ("full", "nodata"), observations)


def _write(
    writer: _Format,
    dataset: DataSetOut,
    pairs: Iterator[tuple[DataSetOut, Iterable[SeriesOut]]],
    several: bool,
    layout: Layout,
    detail: str,
    header: MessageHeader | None,
) -> Iterator[bytes]:
    if layout.flat and detail in ("serieskeysonly", "nodata"):  # series, said as such
        layout = check_request(dataset, detail, layout.time_dimension)
    plan = _plan(layout, detail, dataset.rules.dimension_ids)
    head = writer.head(dataset, layout, header or MessageHeader(), action=not several)
    head += writer.dataset(dataset, plan)
    pieces = _pieces(writer, pairs, plan)
    return chunked(head, pieces, lambda: f"</message:DataSet></message:{writer.root}>\n")


def _pieces(
    writer: _Format, pairs: Iterator[tuple[DataSetOut, Iterable[SeriesOut]]], plan: _Plan
) -> Iterator[str]:
    for index, (dataset, series) in enumerate(pairs):
        if index:  # the first dataset was opened in the head
            yield f"</message:DataSet>\n{writer.dataset(dataset, plan)}"
        if plan.flat:
            for one in series:
                yield from writer.flat_observations(one, plan)
        else:
            for one in series:
                yield from writer.series(one, plan)


def _validity(dataset: DataSetOut, prefix: str) -> str:
    """The ``validFromDate`` / ``validToDate`` XML attributes of a dataset that has them."""
    text = ""
    if dataset.valid_from is not None:
        text += f' {prefix}validFromDate="{instant_text(dataset.valid_from)}"'
    if dataset.valid_to is not None:
        text += f' {prefix}validToDate="{instant_text(dataset.valid_to)}"'
    return text


def _key_values(series: SeriesOut, dimensions: tuple[str, ...]) -> list[tuple[str, str]]:
    key = series.key
    try:
        values = [(d, key[d]) for d in dimensions]
    except KeyError as exc:
        raise ValueError(f"series key {dict(key)} has no value for {exc.args[0]}") from None
    if len(key) != len(dimensions):
        extra = sorted(set(key) - set(dimensions))
        raise ValueError(f"series key {dict(key)} has values for {extra}, not series dimensions")
    return values


def _observation_value(layout: Layout, obs: ObsOut) -> str:
    if layout.cross_sectional and obs.key_value is None:
        raise ValueError(
            f"observation {obs} has no key_value for {layout.dimension_at_observation}"
        )
    return layout.observation_value(obs)


class _Format:
    """One SDMX-ML data message type: root element, header, dataset, series, observations."""

    root: str
    structure_specific: bool = False

    def namespaces(self, dataset: DataSetOut, layout: Layout) -> str:
        raise NotImplementedError

    def structure_attributes(self, dataset: DataSetOut, layout: Layout) -> str:
        return f' dimensionAtObservation="{_esc(layout.dimension_at_observation)}"'

    def head(
        self, dataset: DataSetOut, layout: Layout, header: MessageHeader, *, action: bool = True
    ) -> str:
        ref = dataset.dataflow
        element, cls, package = _STRUCTURE_REFS[ref.kind]
        parts = [
            '<?xml version="1.0" encoding="UTF-8"?>\n',
            f'<message:{self.root} xmlns:message="{_MESSAGE_NS}" xmlns:common="{_COMMON_NS}"',
            self.namespaces(dataset, layout),
            ">\n<message:Header>",
            f"<message:ID>{_esc(header.id)}</message:ID>",
            f"<message:Test>{'true' if header.test else 'false'}</message:Test>",
            f"<message:Prepared>{header.prepared_text}</message:Prepared>",
            f'<message:Sender id="{_esc(header.sender)}"/>\n',
            f'<message:Structure structureID="{dataset.structure_id}"',
            self.structure_attributes(dataset, layout),
            f"><common:{element}>",
            f'<Ref agencyID="{_esc(ref.agency_id)}" id="{_esc(ref.id)}"',
            f' version="{_esc(ref.version)}" class="{cls}" package="{package}"/>',
            f"</common:{element}></message:Structure>\n",
        ]
        if action:  # one dataset: its action; several have their own, each on its DataSet
            parts.append(f"<message:DataSetAction>{dataset.action}</message:DataSetAction>\n")
        parts.append("</message:Header>\n")
        return "".join(parts)

    def dataset(self, dataset: DataSetOut, plan: _Plan) -> str:
        raise NotImplementedError

    def series(self, series: SeriesOut, plan: _Plan) -> Iterator[str]:
        raise NotImplementedError

    def flat_observations(self, series: SeriesOut, plan: _Plan) -> Iterator[str]:
        raise NotImplementedError


# ── Generic ─────────────────────────────────────────────────────────────────────────────────────


def _generic_values(tag: str, values: Iterable[tuple[str, str]]) -> str:
    inner = "".join(f'<generic:Value id="{_esc(k)}" value="{_esc(v)}"/>' for k, v in values)
    return f"<generic:{tag}>{inner}</generic:{tag}>" if inner else ""


class _Generic(_Format):
    """``GenericData`` and ``GenericTimeSeriesData``: ``Value id= value=`` elements."""

    def __init__(self, root: str) -> None:
        self.root = root

    def namespaces(self, dataset: DataSetOut, layout: Layout) -> str:
        return f' xmlns:generic="{_GENERIC_NS}"'

    def dataset(self, dataset: DataSetOut, plan: _Plan) -> str:
        text = f'<message:DataSet structureRef="{dataset.structure_id}" action="{dataset.action}"'
        text += f"{_validity(dataset, '')}>"
        if plan.attributes:
            text += _generic_values("Attributes", dataset.dataset_attributes.items())
        return text + "\n"

    def series(self, series: SeriesOut, plan: _Plan) -> Iterator[str]:
        key = _generic_values("SeriesKey", _key_values(series, plan.series_dimensions))
        attributes = (
            _generic_values("Attributes", series.attributes.items()) if plan.attributes else ""
        )
        observations = series.observations if plan.observations else ()
        if not observations:
            yield f"<generic:Series>{key}{attributes}</generic:Series>\n"
            return
        yield f"<generic:Series>{key}{attributes}\n"
        layout = plan.layout
        dim = (
            f'<generic:Obs><generic:ObsDimension id="{_esc(layout.observation_dimension)}" value="'
        )
        with_attributes = plan.attributes
        parts: list[str] = []
        for obs in observations:
            parts.append(dim)
            parts.append(_esc(_observation_value(layout, obs)))
            parts.append('"/>')
            if obs.value is not None:
                parts.append(f'<generic:ObsValue value="{_esc(obs.value)}"/>')
            if with_attributes and obs.attributes:
                parts.append(_generic_values("Attributes", obs.attributes.items()))
            parts.append("</generic:Obs>\n")
            if len(parts) >= _OBS_BATCH * 5:
                yield "".join(parts)
                parts.clear()
        parts.append("</generic:Series>\n")
        yield "".join(parts)

    def flat_observations(self, series: SeriesOut, plan: _Plan) -> Iterator[str]:
        key = _key_values(series, plan.series_dimensions)
        open_key = "<generic:Obs><generic:ObsKey>" + "".join(
            f'<generic:Value id="{_esc(k)}" value="{_esc(v)}"/>' for k, v in key
        )
        time = f'<generic:Value id="{_esc(plan.layout.time_dimension)}" value="'
        series_attributes = series.attributes if plan.attributes else {}
        parts: list[str] = []
        for obs in series.observations:
            parts.append(f'{open_key}{time}{_esc(obs.time_period)}"/></generic:ObsKey>')
            if obs.value is not None:
                parts.append(f'<generic:ObsValue value="{_esc(obs.value)}"/>')
            if plan.attributes:
                merged = {**series_attributes, **obs.attributes}
                parts.append(_generic_values("Attributes", merged.items()))
            parts.append("</generic:Obs>\n")
            if len(parts) >= _OBS_BATCH * 4:
                yield "".join(parts)
                parts.clear()
        if parts:
            yield "".join(parts)


# ── Structure-specific ──────────────────────────────────────────────────────────────────────────


def _xml_attributes(values: Iterable[tuple[str, str]]) -> str:
    return "".join(f' {_name(k)}="{_esc(v)}"' for k, v in values)


class _StructureSpecific(_Format):
    """``StructureSpecificData`` and its time-series form: values as XML attributes."""

    structure_specific = True

    def __init__(self, root: str, measure_id: str) -> None:
        self.root = root
        self.measure = _name(measure_id)

    @staticmethod
    def namespace(dataset: DataSetOut, layout: Layout) -> str:
        return f"{dataset.dataflow.urn}:ObsLevelDim:{layout.dimension_at_observation}"

    def namespaces(self, dataset: DataSetOut, layout: Layout) -> str:
        return (
            f' xmlns:ss="{_SS_NS}" xmlns:xsi="{_XSI_NS}"'
            f' xmlns:ns1="{_esc(self.namespace(dataset, layout))}"'
        )

    def structure_attributes(self, dataset: DataSetOut, layout: Layout) -> str:
        namespace = _esc(self.namespace(dataset, layout))
        return f' namespace="{namespace}"' + super().structure_attributes(dataset, layout)

    def dataset(self, dataset: DataSetOut, plan: _Plan) -> str:
        attributes = _xml_attributes(dataset.dataset_attributes.items()) if plan.attributes else ""
        return (
            f'<message:DataSet ss:structureRef="{dataset.structure_id}"'
            f' ss:dataScope="DataStructure" xsi:type="ns1:DataSetType"'
            f' ss:action="{dataset.action}"{_validity(dataset, "ss:")}{attributes}>\n'
        )

    def series(self, series: SeriesOut, plan: _Plan) -> Iterator[str]:
        head = "<Series" + _xml_attributes(_key_values(series, plan.series_dimensions))
        if plan.attributes:
            head += _xml_attributes(series.attributes.items())
        observations = series.observations if plan.observations else ()
        if not observations:
            yield head + "/>\n"
            return
        yield head + ">\n"
        layout = plan.layout
        dim = f'<Obs {_name(layout.observation_dimension)}="'
        value = f'" {self.measure}="'
        with_attributes = plan.attributes
        time_at_observation = not layout.cross_sectional
        # The text of the last observation attributes seen, for the next observation with the
        # very same mapping (the query layer shares one per distinct stored value).
        last_values: object = None
        last_text = ""
        parts: list[str] = []
        for obs in observations:
            parts.append(dim)
            period = obs.time_period if time_at_observation else _observation_value(layout, obs)
            parts.append(_esc(period))
            if obs.value is not None:
                parts.append(value)
                parts.append(_esc(obs.value))
            parts.append('"')
            values = obs.attributes
            if with_attributes and values:
                if values is not last_values:
                    last_values, last_text = values, _xml_attributes(values.items())
                parts.append(last_text)
            parts.append("/>\n")
            if len(parts) >= _OBS_BATCH * 6:
                yield "".join(parts)
                parts.clear()
        parts.append("</Series>\n")
        yield "".join(parts)

    def flat_observations(self, series: SeriesOut, plan: _Plan) -> Iterator[str]:
        head = "<Obs" + _xml_attributes(_key_values(series, plan.series_dimensions))
        head += f' {_name(plan.layout.time_dimension)}="'
        value = f'" {self.measure}="'
        series_attributes: Mapping[str, str] = series.attributes if plan.attributes else {}
        parts: list[str] = []
        for obs in series.observations:
            parts.append(head)
            parts.append(_esc(obs.time_period))
            if obs.value is not None:
                parts.append(value)
                parts.append(_esc(obs.value))
            parts.append('"')
            if plan.attributes:
                parts.append(_xml_attributes({**series_attributes, **obs.attributes}.items()))
            parts.append("/>\n")
            if len(parts) >= _OBS_BATCH * 6:
                yield "".join(parts)
                parts.clear()
        if parts:
            yield "".join(parts)
