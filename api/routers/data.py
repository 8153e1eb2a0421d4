"""SDMX-REST 1.5 data queries: ``GET /rest/data/{flowRef}/{key}/{providerRef}``, streamed.

The handler negotiates the format first (SDMX-ML 2.1 GenericData by default, StructureSpecific
and the time-series forms, SDMX-JSON 1.0, SDMX-CSV 1.0; 406 before any database work), parses the
path and parameters (400 on bad syntax, 501 on anything unsupported), resolves the dataflow and
the matching series (404, SDMX 100, when nothing matches), refuses an answer over
``REGISTRY_MAX_RESPONSE_OBSERVATIONS`` (SDMX 510, HTTP 413, saying how to narrow the query) and
a time-series format for a flat or cross-sectional answer and SDMX-CSV for
``includeHistory=true`` (406: CSV 1.0 has no place for versions), answers 304 to a client whose
copy is current (the ETag covers the media type with its SDMX-CSV parameters), then streams the
message: the header leaves before the observations are read, and the store session lives as
long as the stream.
SDMX-JSON and labelled SDMX-CSV show names (``registry.data_labels.code_labels``) in the first
language of ``lang``, Accept-Language (by q-value) and REGISTRY_LANGUAGES that each name has,
else English, else any; ``Content-Language`` says the language of the dataflow's name.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse
from sqlmodel import Session

from api.caching import not_modified, validators
from api.deps import EngineDep, SettingsDep
from api.negotiation import preferred_languages, request_format
from api.paths import add_get_routes
from registry.data_labels import code_labels
from registry.data_query import DataAnswer, answer_data_query
from registry.errors import NotAcceptableError, QuerySyntaxError
from registry.io.data_out import writer_for
from registry.io.formats import Format, media_parameters
from registry.query.data import parse_data_query

router = APIRouter(tags=["data"])

_SHAPE = "/rest/data/{flowRef}/{key}/{providerRef}"
#: The writers that show names (SDMX-JSON ``name`` fields, SDMX-CSV ``labels=both``).
_LABELLED = frozenset({"data-json", "data-csv-labels"})


def data_query(
    request: Request,
    engine: EngineDep,
    settings: SettingsDep,
    flow_ref: str,
    key: str | None = None,
    provider_ref: str | None = None,
) -> Response:
    fmt = request_format(request, "data")
    params = dict(request.query_params.items())
    query = parse_data_query(flow_ref, key, provider_ref, params)
    _check_history(fmt, query.include_history)
    session = Session(engine)
    try:
        answer = answer_data_query(
            session, query, max_observations=settings.max_response_observations
        )
        _check_time_series(fmt, answer)
        headers = validators(
            request, _representation(request, fmt), answer.last_change, answer.version
        )
        unchanged = not_modified(request, headers, answer.last_change)
    except BaseException:
        session.close()
        raise
    if unchanged is not None:
        session.close()
        return unchanged
    try:
        if "csv" not in fmt.name and {"labels", "timeFormat"} & params.keys():
            raise QuerySyntaxError(
                f"labels and timeFormat apply to SDMX-CSV only, not to {fmt.media_type}"
            )
        writer_options = _csv_options(request, fmt, params) if "csv" in fmt.name else {}
        format_name = writer_options.pop("format_name", fmt.name)
        if format_name in _LABELLED:
            labels = code_labels(
                session, answer.context, preferred_languages(request, settings.languages)
            )
            writer_options["labels"] = labels
            if labels.language:
                headers["Content-Language"] = labels.language
        chunks = writer_for(format_name)(
            *_content(answer),
            detail=query.detail,
            dimension_at_observation=answer.dimension_at_observation,
            **writer_options,
        )
    except BaseException:  # a bad labels/timeFormat value: the session must not outlive it
        session.close()
        raise

    def stream() -> Iterator[bytes]:
        try:
            yield from chunks
        finally:
            session.close()

    return StreamingResponse(stream(), media_type=fmt.content_type, headers=headers)


def _representation(request: Request, fmt: Format) -> str:
    """The media type with the Accept parameters that shape the body (SDMX-CSV ``labels``,
    ``timeFormat``), so that each representation has its own ETag."""
    accepted = media_parameters(request.headers.get("accept"), fmt)
    return fmt.content_type + "".join(f";{k}={v.lower()}" for k, v in sorted(accepted.items()))


def _check_history(fmt: Format, include_history: bool) -> None:
    """406 for ``includeHistory=true`` in SDMX-CSV 1.0: the versions of the data are datasets
    with an action and a validity, which a CSV 1.0 file has no place for (dropping them would
    present every version as current data)."""
    if include_history and "csv" in fmt.name:
        raise NotAcceptableError(
            f"includeHistory=true: {fmt.media_type} holds one dataset, without action or "
            "validity dates, so it cannot carry the earlier versions of the data; ask for "
            "SDMX-ML (application/vnd.sdmx.genericdata+xml or structurespecificdata+xml) or "
            "SDMX-JSON (application/vnd.sdmx.data+json)"
        )


def _content(answer: DataAnswer) -> tuple[Any, ...]:
    """What the writer writes: the versions of the data (``includeHistory``), or one dataset."""
    return (answer.history,) if answer.history is not None else (answer.dataset, answer.series)


def _check_time_series(fmt: Format, answer: DataAnswer) -> None:
    """406 for a time-series format asked with another dimension at observation (the writers
    refuse it with ValueError, a 500): those messages have the time dimension at observation."""
    time_dimension = answer.context.rules.time_dimension or "TIME_PERIOD"
    if "timeseries" in fmt.name and answer.dimension_at_observation != time_dimension:
        raise NotAcceptableError(
            f"{fmt.media_type} messages have {time_dimension} at observation, so they cannot "
            f"carry dimensionAtObservation={answer.dimension_at_observation}; ask for "
            "application/vnd.sdmx.genericdata+xml, application/vnd.sdmx.structurespecificdata+xml"
            ", SDMX-JSON or SDMX-CSV instead"
        )


def _csv_options(request: Request, fmt: Format, params: dict[str, str]) -> dict[str, Any]:
    """SDMX-CSV ``labels`` and ``timeFormat``, from the query or the Accept media type."""
    accepted = media_parameters(request.headers.get("accept"), fmt)
    labels = params.get("labels", accepted.get("labels", "id")).lower()
    time_format = params.get("timeFormat", accepted.get("timeformat", "original")).lower()
    if labels not in ("id", "both") or time_format not in ("original", "normalized"):
        raise QuerySyntaxError(
            f"labels={labels!r} / timeFormat={time_format!r}: SDMX-CSV takes labels=id|both and "
            "timeFormat=original|normalized"
        )
    options: dict[str, Any] = {"time_format": time_format}
    if labels == "both" or fmt.name == "data-csv-labels":
        options["format_name"] = "data-csv-labels"
    return options


def bad_shape(request: Request, path: str = "") -> None:
    raise QuerySyntaxError(
        f"{request.url.path} is not a data query: use {_SHAPE} "
        "(flowRef required; key and providerRef optional)"
    )


_PATHS = (
    "/rest/data/{flow_ref}",
    "/rest/data/{flow_ref}/{key}",
    "/rest/data/{flow_ref}/{key}/{provider_ref}",
)
add_get_routes(router, _PATHS, data_query, "SDMX-REST 1.5 data query")
for _p in ("/rest/data", "/rest/data/", "/rest/data/{path:path}"):
    router.add_api_route(_p, bad_shape, methods=["GET"], include_in_schema=False)
