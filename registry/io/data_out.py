"""What every data writer takes: the datasets, their series and observations, and their layout.

The data writers (``sdmxml_data_out``: SDMX-ML 2.1 generic and structure-specific, their
time-series forms; ``sdmxjson_data``: SDMX-JSON 1.0; ``sdmxcsv_out``: SDMX-CSV 1.0) all read the
same input and return a generator of ``bytes`` chunks: the first chunk (the message header, up to
the start of the dataset) comes out before the first series is read, then a chunk about every
``FLUSH_BYTES`` characters, so memory stays flat whatever the size of the response. The input is a
``DataSetOut`` (the dataflow, its compiled ``FlowRules``, the dataset-level attribute values, the
action, the data provider, and the ``valid_from`` / ``valid_to`` instants of a version of the data)
and an iterable of ``SeriesOut``, each with its ``ObsOut`` observations, with values as the strings
stored (no number formatting anywhere); or, for a message of several datasets (the versions of
``includeHistory``), an iterable of such (``DataSetOut``, series) pairs of one dataflow, each
dataset's series read in turn once the previous dataset's are written (``datasets_of``).
Group-level attribute values are expected resolved onto each series they apply to: no writer writes
``Group`` elements (a series may carry any attribute; what a reader gets is the same).

The shape of the input depends on ``dimension_at_observation`` (R-DAT-09):

* ``TIME_PERIOD`` (the time dimension, the default) and ``AllDimensions``: ``SeriesOut.key`` holds
  the series dimensions (every dimension but the time dimension, DSD order) and each
  ``ObsOut.time_period`` its period; ``SeriesOut.attributes`` the series (and group) level values,
  ``ObsOut.attributes`` the observation level ones. For ``AllDimensions`` the writers flatten:
  every observation is written with every dimension and with the series' attribute values too
  (a series without observations then has nothing to write).
* any other dimension ``X`` (cross-sectional data): the caller groups observations by every
  dimension but ``X``: ``SeriesOut.key`` holds every dimension but ``X``, the time dimension
  included (under its id), each ``ObsOut.key_value`` holds the value of ``X``
  (``ObsOut.time_period`` repeats the series' period and is not read), and attributes that
  depend on ``X`` belong in ``ObsOut.attributes``. The writers do not regroup.

``detail`` (R-DAT-10): ``full``; ``dataonly`` (no attribute anywhere); ``serieskeysonly`` (series
keys only: no attribute, no observation); ``nodata`` (series and dataset attributes, no
observation). A response without observations is written as series (what its keys are) whatever the
dimension at observation: a flat one would be empty (SDMX-ML headers then say the time dimension).
``check_request`` refuses, with ``ValueError``, a ``detail`` or ``dimension_at_observation`` the
dataset cannot have: the query layer is expected to have answered the client first. ``Labels``
carries the names SDMX-CSV ``labels=both`` and SDMX-JSON ``name`` fields show (ids stand in where a
name is missing); ``MessageHeader`` the message id, preparation time, sender (``LMIS_REGISTRY``)
and test flag. ``writer_for`` maps the name of a data ``Format`` (``registry.io.formats``) to its
writer.
"""

from __future__ import annotations

import itertools
import re
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from types import MappingProxyType
from typing import NamedTuple

from registry.io.data_events import ACTIONS, StructureRef
from registry.validation.data import FlowRules

__all__ = [
    "ALL_DIMENSIONS",
    "DETAILS",
    "FLUSH_BYTES",
    "SENDER",
    "DataSetOut",
    "DataSets",
    "Labels",
    "Layout",
    "MessageHeader",
    "ObsOut",
    "SeriesOut",
    "check_request",
    "chunked",
    "datasets_of",
    "instant_text",
    "writer_for",
]

#: The ``detail`` values of REST 1.5 data queries.
DETAILS = ("full", "dataonly", "serieskeysonly", "nodata")
#: ``dimensionAtObservation`` for flat data.
ALL_DIMENSIONS = "AllDimensions"
#: ``Sender id`` of every message the registry writes.
SENDER = "LMIS_REGISTRY"
#: A writer yields a chunk once it holds about this many characters.
FLUSH_BYTES = 1 << 16

_NO_VALUES: Mapping[str, str] = MappingProxyType({})
_NCNAME_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]")


class ObsOut(NamedTuple):
    """One observation: its period, its value (``None``: missing), its attribute values.

    ``key_value`` is the value of the dimension at observation in cross-sectional data (see the
    module docstring); it is ``None`` otherwise. A named tuple: cheap to build by the hundred
    thousand.
    """

    time_period: str
    value: str | None
    attributes: Mapping[str, str] = _NO_VALUES
    key_value: str | None = None


@dataclass(frozen=True, slots=True)
class SeriesOut:
    """One series: its key (dimension id → code, DSD order), attribute values, observations."""

    key: Mapping[str, str]
    attributes: Mapping[str, str] = field(default_factory=dict)
    observations: Sequence[ObsOut] = ()


@dataclass(frozen=True)
class DataSetOut:
    """The dataset being written: its dataflow and rules, dataset attributes, action, provider.

    ``provider`` is the data provider as (agency id, provider id) of the agency's
    ``DATA_PROVIDERS`` scheme, or ``None`` when the data come from several providers or none; only
    SDMX-JSON carries it (a link): SDMX-CSV 1.0 has no place for it and sdmx1 cannot read it in
    SDMX-ML data messages.
    """

    dataflow: StructureRef
    rules: FlowRules
    dataset_attributes: Mapping[str, str] = field(default_factory=dict)
    action: str = "Information"
    provider: tuple[str, str] | None = None
    #: When the values of this dataset came into effect (SDMX-ML ``validFromDate``, SDMX-JSON
    #: ``validFrom``) and, for a dataset of deleted values, when they ceased to be (``validTo``).
    valid_from: datetime | None = None
    valid_to: datetime | None = None

    @property
    def structure_id(self) -> str:
        """The header ``structureID`` (an xs:ID, so an NCName) naming the dataflow."""
        ref = self.dataflow
        text = _NCNAME_UNSAFE.sub("_", f"{ref.agency_id}_{ref.id}_{ref.version}")
        return text if re.match(r"[A-Za-z_]", text) else f"S_{text}"


@dataclass(frozen=True)
class Labels:
    """Names shown next to ids: ``components`` (component id → name), ``codes`` (component id →
    code → name), the ``dataflow``'s name and the ``language`` they are in (all optional)."""

    components: Mapping[str, str] = field(default_factory=dict)
    codes: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    dataflow: str | None = None
    language: str | None = None

    def component(self, component_id: str) -> str:
        return self.components.get(component_id) or component_id

    def code(self, component_id: str, code: str) -> str | None:
        names = self.codes.get(component_id)
        return names.get(code) if names is not None else None


def new_message_id() -> str:
    """A fresh message id (an SDMX IDType: letters, digits, ``_@$-``)."""
    return f"IREF{uuid.uuid4().hex[:16].upper()}"


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@dataclass(frozen=True)
class MessageHeader:
    """The header fields every data message carries."""

    id: str = field(default_factory=new_message_id)
    prepared: datetime = field(default_factory=_now)
    sender: str = SENDER
    test: bool = False

    @property
    def prepared_text(self) -> str:
        """``prepared`` as xs:dateTime in UTC with a ``Z`` (a naive time is taken as UTC)."""
        value = self.prepared
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        text = value.replace(tzinfo=None).isoformat(timespec="seconds")
        return f"{text}Z"


@dataclass(frozen=True)
class Layout:
    """Where the dimensions go for one dataset and one dimension at observation.

    ``series_dimensions`` are on the series (DSD order), ``observation_dimensions`` on each
    observation; ``flat`` is true for ``AllDimensions`` (no series: every observation carries
    every dimension); ``cross_sectional`` when the dimension at observation is not the time
    dimension (``ObsOut.key_value`` holds its value). ``dimensions`` lists every dimension, DSD
    order, the time dimension last.
    """

    dimension_at_observation: str
    time_dimension: str
    dimensions: tuple[str, ...]
    series_dimensions: tuple[str, ...]
    observation_dimensions: tuple[str, ...]
    flat: bool
    cross_sectional: bool

    @property
    def observation_dimension(self) -> str:
        """The dimension an observation adds to its series' key (time or ``X``)."""
        return self.observation_dimensions[-1] if not self.flat else self.time_dimension

    def observation_value(self, obs: ObsOut) -> str:
        """The value of ``observation_dimension`` for one observation."""
        if self.cross_sectional:
            return obs.key_value or ""
        return obs.time_period


def check_request(
    dataset: DataSetOut, detail: str, dimension_at_observation: str, *, time_series: bool = False
) -> Layout:
    """The layout of a response, after checking the request parameters (``ValueError``)."""
    if detail not in DETAILS:
        raise ValueError(f"detail={detail!r}: expected one of {', '.join(DETAILS)}")
    if dataset.action not in ACTIONS:
        raise ValueError(f"action={dataset.action!r}: expected one of {', '.join(ACTIONS)}")
    rules = dataset.rules
    time = rules.time_dimension or "TIME_PERIOD"
    dims = rules.dimension_ids
    every = (*dims, time)
    at_obs = dimension_at_observation
    if time_series and at_obs != time:
        raise ValueError(
            f"dimensionAtObservation={at_obs!r}: time-series messages have {time} at observation"
        )
    if at_obs == ALL_DIMENSIONS:
        return Layout(at_obs, time, every, dims, every, flat=True, cross_sectional=False)
    if at_obs == time:
        return Layout(at_obs, time, every, dims, (time,), flat=False, cross_sectional=False)
    if at_obs in dims:
        series = tuple(d for d in every if d != at_obs)
        return Layout(at_obs, time, every, series, (at_obs,), flat=False, cross_sectional=True)
    raise ValueError(
        f"dimensionAtObservation={at_obs!r}: expected {time}, {ALL_DIMENSIONS} or one of the "
        f"dimensions of {rules.dsd} ({', '.join(dims)})"
    )


#: Several datasets of one dataflow, each with its series (see the module docstring).
DataSets = Iterable[tuple[DataSetOut, Iterable[SeriesOut]]]


def datasets_of(
    dataset: DataSetOut | DataSets, series: Iterable[SeriesOut] | None
) -> tuple[DataSetOut, Iterator[tuple[DataSetOut, Iterable[SeriesOut]]], bool]:
    """What a writer was given, as (the first dataset, every (dataset, series) pair, whether
    several datasets were asked for).

    The first pair is taken at once (its series are not touched); the others are checked as
    they come: another dataflow or DSD, or an unknown action, raises ``ValueError`` then. An
    empty sequence of datasets is a ``ValueError`` (a message has at least one).
    """
    if isinstance(dataset, DataSetOut):
        if series is None:
            raise TypeError("a DataSetOut is written with its series")
        return dataset, iter([(dataset, series)]), False
    if series is not None:
        raise TypeError("several datasets are given as (DataSetOut, series) pairs, series alone")
    pairs = iter(dataset)
    first = next(pairs, None)
    if first is None:
        raise ValueError("no dataset to write: a data message holds at least one")
    return first[0], _same_structure(first[0], itertools.chain([first], pairs)), True


def _same_structure(
    first: DataSetOut, pairs: Iterator[tuple[DataSetOut, Iterable[SeriesOut]]]
) -> Iterator[tuple[DataSetOut, Iterable[SeriesOut]]]:
    for dataset, series in pairs:
        if dataset.dataflow != first.dataflow or dataset.rules.dsd != first.rules.dsd:
            raise ValueError(
                f"dataset of {dataset.dataflow.urn} in a message of {first.dataflow.urn}: "
                "the datasets of one message share its structure"
            )
        if dataset.action not in ACTIONS:
            raise ValueError(f"action={dataset.action!r}: expected one of {', '.join(ACTIONS)}")
        yield dataset, series


def instant_text(value: datetime) -> str:
    """An instant as xs:dateTime in UTC with a ``Z`` (a naive time is taken as UTC), with its
    fraction of a second when it has one."""
    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return value.replace(tzinfo=None).isoformat() + "Z"


def writer_for(format_name: str) -> Callable[..., Iterator[bytes]]:
    """The writer of a data ``Format`` (by ``Format.name``); ``KeyError`` for another name.

    The CSV writers also take ``label_mode`` (``id`` or ``both``) and ``time_format``
    (``original`` or ``normalized``); the ``data-csv-labels`` one has ``label_mode="both"``.
    """
    # Imported here: the writer modules import this one.
    from registry.io import sdmxcsv_out, sdmxjson_data, sdmxml_data_out

    writers: dict[str, Callable[..., Iterator[bytes]]] = {
        "genericdata-xml": sdmxml_data_out.write_generic_data,
        "generictimeseriesdata-xml": sdmxml_data_out.write_generic_time_series_data,
        "structurespecificdata-xml": sdmxml_data_out.write_structure_specific_data,
        "structurespecifictimeseriesdata-xml": (
            sdmxml_data_out.write_structure_specific_time_series_data
        ),
        "data-json": sdmxjson_data.write_data_json,
        "data-csv": sdmxcsv_out.write_data_csv,
        "data-csv-labels": partial(sdmxcsv_out.write_data_csv, label_mode="both"),
    }
    return writers[format_name]


def chunked(head: str, pieces: Iterable[str], tail: Callable[[], str]) -> Iterator[bytes]:
    """UTF-8 chunks of a document: ``head`` alone first (before ``pieces`` is touched), then the
    pieces about ``FLUSH_BYTES`` characters at a time, the last chunk ending with ``tail()``
    (called once every piece is out, so it may describe what the pieces held)."""
    yield head.encode("utf-8")
    buffer: list[str] = []
    size = 0
    for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= FLUSH_BYTES:
            yield "".join(buffer).encode("utf-8")
            buffer.clear()
            size = 0
    buffer.append(tail())
    yield "".join(buffer).encode("utf-8")
