"""The table of output formats and content negotiation (Accept with q-weights, ``?format=``).

Each ``Format`` names one SDMX media type (exact type and version, as sent in ``Content-Type``) and
the kind of resource it serves. ``negotiate`` picks the format for a request from the ``format``
query parameter (which wins, as the SDMX-REST "extend" page says) or the ``Accept`` header, and
raises ``NotAcceptableError`` (406) listing what is available when nothing fits. Media-type
parameters are parsed loosely (``;version=2.1`` and ``; version=2.1`` alike); ``media_parameters``
gives the other parameters of the chosen Accept entry (SDMX-CSV ``labels``, ``timeFormat``).
``text/csv`` asks for a resource's CSV format, as ``application/json`` asks for its JSON one.
"""

from __future__ import annotations

from dataclasses import dataclass

from registry.errors import NotAcceptableError


@dataclass(frozen=True)
class Format:
    """One output format: a short name, the resource kind it serves and its exact media type."""

    name: str
    kind: str
    media_type: str
    version: str
    #: Values of ``?format=`` that select this format (lower case).
    aliases: tuple[str, ...] = ()

    @property
    def content_type(self) -> str:
        return f"{self.media_type};version={self.version}"

    @property
    def is_json(self) -> bool:
        return "json" in self.media_type


STRUCTURE_XML = Format(
    "structure-xml",
    "structure",
    "application/vnd.sdmx.structure+xml",
    "2.1",
    ("structure", "sdmx-ml", "sdmx-2.1", "sdmx_2.1", "xml", "sdmx-ml-2.1"),
)
STRUCTURE_JSON = Format(
    "structure-json",
    "structure",
    "application/vnd.sdmx.structure+json",
    "1.0.0",
    ("jsonstructure", "json", "sdmx-json", "sdmx_json"),
)

GENERIC_METADATA_XML = Format(
    "genericmetadata-xml",
    "metadata",
    "application/vnd.sdmx.genericmetadata+xml",
    "2.1",
    ("genericmetadata", "sdmx-ml", "sdmx-2.1", "sdmx_2.1", "xml", "sdmx-ml-2.1"),
)

#: Data formats (REST 1.5, SDMX 2.1): SDMX-ML 2.1 generic (the default) and structure-specific,
#: their time-series forms, SDMX-JSON 1.0 and SDMX-CSV 1.0; ``registry.io.data_out.writer_for``
#: gives the writer of each. ``DATA_CSV_LABELS`` is SDMX-CSV with ``labels=both``, chosen by the
#: .Stat ``format=csvfilewithlabels``; by Accept the ``labels`` parameter says it (see
#: ``media_parameters``).
GENERIC_DATA_XML = Format(
    "genericdata-xml",
    "data",
    "application/vnd.sdmx.genericdata+xml",
    "2.1",
    ("genericdata", "sdmx-ml", "sdmx-2.1", "sdmx_2.1", "xml", "sdmx-ml-2.1", "sdmx_2.1_generic"),
)
STRUCTURE_SPECIFIC_DATA_XML = Format(
    "structurespecificdata-xml",
    "data",
    "application/vnd.sdmx.structurespecificdata+xml",
    "2.1",
    ("structurespecificdata", "sdmx_2.1_structured", "sdmx-2.1-structured", "structured"),
)
GENERIC_TIME_SERIES_DATA_XML = Format(
    "generictimeseriesdata-xml",
    "data",
    "application/vnd.sdmx.generictimeseriesdata+xml",
    "2.1",
    ("generictimeseriesdata",),
)
STRUCTURE_SPECIFIC_TIME_SERIES_DATA_XML = Format(
    "structurespecifictimeseriesdata-xml",
    "data",
    "application/vnd.sdmx.structurespecifictimeseriesdata+xml",
    "2.1",
    ("structurespecifictimeseriesdata",),
)
DATA_JSON = Format(
    "data-json",
    "data",
    "application/vnd.sdmx.data+json",
    "1.0.0",
    ("jsondata", "json", "sdmx-json", "sdmx_json"),
)
DATA_CSV = Format(
    "data-csv",
    "data",
    "application/vnd.sdmx.data+csv",
    "1.0.0",
    ("csvdata", "csv", "sdmx-csv", "sdmx_csv", "csvfile"),
)
DATA_CSV_LABELS = Format(
    "data-csv-labels",
    "data",
    "application/vnd.sdmx.data+csv",
    "1.0.0",
    ("csvfilewithlabels",),
)

#: Every format, defaults first within each kind.
FORMATS: tuple[Format, ...] = (
    STRUCTURE_XML,
    STRUCTURE_JSON,
    GENERIC_METADATA_XML,
    GENERIC_DATA_XML,
    STRUCTURE_SPECIFIC_DATA_XML,
    GENERIC_TIME_SERIES_DATA_XML,
    STRUCTURE_SPECIFIC_TIME_SERIES_DATA_XML,
    DATA_JSON,
    DATA_CSV,
    DATA_CSV_LABELS,
)

#: Generic media types that mean "the default format of this resource".
_GENERIC = {"*/*", "application/*", "application/xml", "text/xml"}
_GENERIC_JSON = {"application/json", "text/json"}
#: Generic CSV media types: the resource's CSV format, if it has one.
_GENERIC_CSV = {"text/csv", "application/csv"}


@dataclass(frozen=True)
class MediaRange:
    """One entry of an Accept header."""

    type: str
    params: tuple[tuple[str, str], ...]
    q: float

    def param(self, name: str) -> str | None:
        return dict(self.params).get(name)


def parse_accept(header: str | None) -> list[MediaRange]:
    """Parse an Accept header into media ranges sorted by q (highest first, order kept on ties)."""
    ranges: list[MediaRange] = []
    for part in (header or "").split(","):
        pieces = [p.strip() for p in part.split(";")]
        if not pieces[0]:
            continue
        params: list[tuple[str, str]] = []
        q = 1.0
        for piece in pieces[1:]:
            name, _, value = piece.partition("=")
            name, value = name.strip().lower(), value.strip().strip('"')
            if name == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
            elif name:
                params.append((name, value))
        ranges.append(MediaRange(pieces[0].lower(), tuple(params), q))
    return sorted((r for r in ranges if r.q > 0), key=lambda r: -r.q)


def _version_ok(wanted: str | None, fmt: Format) -> bool:
    if wanted is None:
        return True
    have = fmt.version.split(".")
    want = wanted.split(".")
    return have[: len(want)] == want or want == have[: len(want)] + ["0"] * (len(want) - len(have))


def _match(rng: MediaRange, candidates: list[Format]) -> Format | None:
    if rng.type in _GENERIC:
        return candidates[0]
    if rng.type in _GENERIC_JSON:
        return next((f for f in candidates if f.is_json), None)
    if rng.type in _GENERIC_CSV:
        return next((f for f in candidates if f.media_type.endswith("+csv")), None)
    for fmt in candidates:
        if rng.type == fmt.media_type and _version_ok(rng.param("version"), fmt):
            return fmt
    return None


def formats_for(kind: str) -> list[Format]:
    return [f for f in FORMATS if f.kind == kind]


def negotiate(kind: str, accept: str | None, format_param: str | None = None) -> Format:
    """The format to answer with for a resource ``kind``; 406 when no acceptable one exists."""
    candidates = formats_for(kind)
    if format_param:
        wanted = format_param.strip().lower()
        for fmt in candidates:
            if wanted in fmt.aliases or wanted == fmt.name:
                return fmt
        choices = ", ".join(a for f in candidates for a in f.aliases[:1])
        raise NotAcceptableError(
            f"format={format_param!r} is not available for {kind} queries; use one of: {choices}"
        )
    ranges = parse_accept(accept)
    if not ranges and not (accept or "").strip():
        return candidates[0]
    for rng in ranges:
        found = _match(rng, candidates)
        if found is not None:
            return found
    raise NotAcceptableError(
        f"none of the accepted media types ({accept}) can be produced for {kind} queries; "
        "available: " + ", ".join(f.content_type for f in candidates)
    )


def media_parameters(accept: str | None, fmt: Format) -> dict[str, str]:
    """The media-type parameters (``version`` and ``q`` aside) of the Accept entry that selects
    ``fmt``, e.g. ``{"labels": "both", "timeformat": "normalized"}`` for SDMX-CSV (names lower
    case, values as sent); empty when no entry names it (``*/*``, ``?format=``)."""
    for rng in parse_accept(accept):
        if rng.type == fmt.media_type and _match(rng, [fmt]) is fmt:
            return {name: value for name, value in rng.params if name != "version"}
    return {}
