"""Streaming writer of SDMX-CSV 1.0 data messages (``application/vnd.sdmx.data+csv;version=1.0.0``).

``write_data_csv`` turns a ``registry.io.data_out`` dataset and its series into a generator of
UTF-8 chunks of an RFC 4180 file (comma, ``\\r\\n``, quotes only where needed) as the SDMX-CSV 1.0
field guide describes it (R-CSV1-01/02): the header row first, alone, before the first series is
read, then one row per observation, about 64 KiB at a time. Columns: ``DATAFLOW`` (cells
``AGENCY:ID(VERSION)``), every dimension in DSD order (the time dimension last), ``OBS_VALUE``
(that literal header, whatever the measure's id), then, since the file is streamed, every
attribute of the DSD in DSD order whether used or not, followed by any dataset attribute the DSD
does not declare. Dataset, series (and group) attribute values are repeated on every row of the
series. Cross-sectional input (see ``data_out``) is written the same way: the file is always
flat. ``detail=dataonly`` leaves the attribute columns out; ``serieskeysonly`` writes one row per
series with empty ``TIME_PERIOD`` and ``OBS_VALUE`` cells and no attribute columns (the dimension
at observation is the empty one for cross-sectional input); ``nodata`` the same rows with the
attribute columns. A series or observation attribute the columns do not have raises
``ValueError`` when it is met (a response never drops a value silently). SDMX-CSV 1.0 has no
place for the dataset action or the data provider, nor for several datasets or their validity
(``includeHistory``): given a dataset with ``valid_from`` / ``valid_to`` it raises ``ValueError``
at once, and at a second dataset when it comes (the query layer refuses such answers first).
Media-type parameters: ``label_mode``
(``labels=id``, the default, or ``both``: headers ``ID: Name`` and, for the dataflow and coded
components, cells ``ID: Name``; names come from ``Labels``, the id standing in for a missing one,
so that a reader always sees a labelled file) and ``time_format`` (``timeFormat=original``, the
default, or ``normalized``: a period is written as the ISO 8601 start of the span it covers,
``registry.periods.normalise``, e.g. ``2020-Q2`` → ``2020-04-01``; the field guide asks for the
"most granular" representation given the highest frequency in the message, which a streaming
writer cannot know beforehand, so the start of the period is used for every frequency, as in the
guide's monthly example; a value that is not a period is written as it is).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache

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
)
from registry.periods import PeriodError, normalise, parse_period

__all__ = ["LABEL_MODES", "MEDIA_TYPE", "TIME_FORMATS", "write_data_csv"]

MEDIA_TYPE = "application/vnd.sdmx.data+csv;version=1.0.0"
#: Values of the ``labels`` media-type parameter, and of ``timeFormat``.
LABEL_MODES = ("id", "both")
TIME_FORMATS = ("original", "normalized")
#: How many rows are written between two looks at the buffer's size.
_ROW_BATCH = 256


def write_data_csv(
    dataset: DataSetOut | DataSets,
    series: Iterable[SeriesOut] | None = None,
    *,
    detail: str = "full",
    dimension_at_observation: str = "TIME_PERIOD",
    header: MessageHeader | None = None,
    labels: Labels | None = None,
    label_mode: str = "id",
    time_format: str = "original",
) -> Iterator[bytes]:
    """An SDMX-CSV 1.0 data message, streamed (see the module docstring); ``header`` unused
    (SDMX-CSV has none)."""
    first, pairs, _several = datasets_of(dataset, series)
    layout = check_request(first, detail, dimension_at_observation)
    if label_mode not in LABEL_MODES:
        raise ValueError(f"labels={label_mode!r}: expected one of {', '.join(LABEL_MODES)}")
    if time_format not in TIME_FORMATS:
        raise ValueError(f"timeFormat={time_format!r}: expected one of {', '.join(TIME_FORMATS)}")
    _one_version(first)
    writer = _Writer(first, layout, detail, labels or Labels(), label_mode, time_format)
    return chunked(writer.header_row(), writer.pieces(_only_series(pairs)), lambda: "")


def _one_version(dataset: DataSetOut) -> None:
    if dataset.valid_from is not None or dataset.valid_to is not None:
        raise ValueError(
            "SDMX-CSV 1.0 has no place for the validity of a dataset (a version of the data)"
        )


def _only_series(pairs: Iterator[tuple[DataSetOut, Iterable[SeriesOut]]]) -> Iterator[SeriesOut]:
    """The series of the one dataset an SDMX-CSV 1.0 file holds; ``ValueError`` at a second."""
    for index, (dataset, series) in enumerate(pairs):
        if index:
            raise ValueError(
                "SDMX-CSV 1.0 holds one dataset: it has no place for a second one, its action "
                "or its validity"
            )
        _one_version(dataset)
        yield from series


class _Writer:
    """Columns, cell rendering and the loop over series of one file."""

    def __init__(
        self,
        dataset: DataSetOut,
        layout: Layout,
        detail: str,
        labels: Labels,
        label_mode: str,
        time_format: str,
    ) -> None:
        rules = dataset.rules
        self.dsd = rules.dsd
        self.layout = layout
        self.labels = labels
        self.both = label_mode == "both"
        self.observations = detail in ("full", "dataonly")
        self.with_attributes = detail in ("full", "nodata")
        self.dimensions = layout.dimensions
        attributes = list(rules.attributes) if self.with_attributes else []
        if self.with_attributes:
            attributes += [a for a in dataset.dataset_attributes if a not in rules.attributes]
        self.attributes = attributes
        self.attribute_index = {a: i for i, a in enumerate(attributes)}
        self.coded = frozenset(rules.allowed)
        self.time = layout.time_dimension
        self.time_index = self.dimensions.index(self.time)
        self.observation_index = self.dimensions.index(layout.observation_dimension)
        self.period: Callable[[str], str] = (
            _normalised_period if time_format == "normalized" else _same
        )
        ref = dataset.dataflow
        flow = f"{ref.agency_id}:{ref.id}({ref.version})"
        self.flow = f"{flow}: {labels.dataflow or ref.id}" if self.both else flow
        self.dataset_cells = [""] * len(attributes)
        self.fill(self.dataset_cells, dataset.dataset_attributes, "dataset")
        self.buffer = io.StringIO()
        self.csv = csv.writer(self.buffer, lineterminator="\r\n")

    def header_row(self) -> str:
        heads = [*self.dimensions, *self.attributes]
        if self.both:
            heads = [f"{h}: {self.labels.component(h)}" for h in heads]
        count = len(self.dimensions)
        self.csv.writerow(["DATAFLOW", *heads[:count], "OBS_VALUE", *heads[count:]])
        return self.take()

    def take(self) -> str:
        text = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return text

    def cell(self, component: str, value: str) -> str:
        if component == self.time:
            return self.period(value)
        if self.both and component in self.coded:
            return f"{value}: {self.labels.code(component, value) or value}"
        return value

    def fill(self, cells: list[str], values: Mapping[str, str], where: str) -> None:
        index = self.attribute_index
        for attribute, value in values.items():
            position = index.get(attribute)
            if position is None:
                raise ValueError(
                    f"{where} attribute {attribute}={value!r} has no SDMX-CSV column: it is not "
                    f"an attribute of {self.dsd}"
                )
            cells[position] = self.cell(attribute, value)

    def key_cells(self, series: SeriesOut) -> list[str]:
        """The dimension cells of a series, the dimension at observation left empty."""
        key = series.key
        cells = [""] * len(self.dimensions)
        for position, dimension in enumerate(self.dimensions):
            value = key.get(dimension)
            if value is not None:
                cells[position] = self.cell(dimension, value)
            elif position != self.observation_index:
                raise ValueError(f"series key {dict(key)} has no value for {dimension}")
        return cells

    def pieces(self, series: Iterable[SeriesOut]) -> Iterator[str]:
        flow, writerow = self.flow, self.csv.writerow
        at_obs = self.observation_index
        cross_sectional = self.layout.cross_sectional
        period = None if self.period is _same else self.period
        with_attributes = self.with_attributes
        rows = 0
        for one in series:
            dims = self.key_cells(one)
            attributes = self.dataset_cells
            if with_attributes and one.attributes:
                attributes = attributes.copy()
                self.fill(attributes, one.attributes, "series")
            # The cells of the last observation attributes seen, for the next observation with
            # the very same mapping (the query layer shares one per distinct stored value).
            last_values: object = None
            last_cells = attributes
            if not self.observations:
                writerow([flow, *dims, "", *attributes])
                rows += 1
            else:
                for obs in one.observations:
                    if cross_sectional:
                        if obs.key_value is None:
                            raise ValueError(f"observation {obs} has no key_value")
                        dims[at_obs] = self.cell(self.dimensions[at_obs], obs.key_value)
                    else:
                        dims[at_obs] = (
                            obs.time_period if period is None else period(obs.time_period)
                        )
                    cells = attributes
                    values = obs.attributes
                    if with_attributes and values:
                        if values is last_values:
                            cells = last_cells
                        else:
                            cells = attributes.copy()
                            self.fill(cells, values, "observation")
                            last_values, last_cells = values, cells
                    writerow([flow, *dims, obs.value or "", *cells])
                    rows += 1
                    if rows >= _ROW_BATCH:
                        rows = 0
                        yield self.take()
            if rows >= _ROW_BATCH:
                rows = 0
                yield self.take()
        yield self.take()


def _same(value: str) -> str:
    return value


@lru_cache(maxsize=16_384)
def _normalised_period(value: str) -> str:
    """``timeFormat=normalized``: the ISO 8601 start of the period (the value if not one)."""
    try:
        return normalise(parse_period(value))
    except PeriodError:
        return value
