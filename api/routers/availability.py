"""SDMX-REST 1.5 availability: ``GET /rest/availableconstraint/{flowRef}/{key}/{providerRef}/
{componentID}``.

The handler negotiates the format first (an SDMX-ML 2.1 Structure message by default, or
SDMX-JSON 1.0 structure; 406 before any database work), parses the path and parameters (400 on
bad syntax, 501 on an unknown parameter), resolves and checks the dataflow (404, SDMX 100, when
it is unknown), answers 304 to a client whose copy is current (``ETag``/``Last-Modified`` follow
the last accepted submission to the dataflow and the last structure change), then computes the
Actual content constraint from the stored series summaries (404 when no data match) and writes
it with the structures ``references`` asks for. Trailing segments and slashes are optional.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.caching import not_modified, validators
from api.deps import CacheDep, SessionDep, SettingsDep
from api.negotiation import request_format
from api.paths import add_get_routes
from api.routers.structure import structure_message
from registry.availability import (
    availability_structures,
    compute_availability,
    prepare_availability,
)
from registry.errors import QuerySyntaxError
from registry.query.data import parse_availability_query

router = APIRouter(tags=["data"])

_SHAPE = "/rest/availableconstraint/{flowRef}/{key}/{providerRef}/{componentID}"


def availability_query(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    cache: CacheDep,
    flow_ref: str,
    key: str | None = None,
    provider_ref: str | None = None,
    component_id: str | None = None,
) -> Response:
    fmt = request_format(request, "structure")
    params = dict(request.query_params.items())
    query = parse_availability_query(flow_ref, key, provider_ref, component_id, params)
    prepared = prepare_availability(session, query, artefact_cache=cache)
    headers = validators(request, fmt.content_type, prepared.last_change, prepared.version)
    unchanged = not_modified(request, headers, prepared.last_change)
    if unchanged is not None:
        return unchanged
    objects = availability_structures(prepared, compute_availability(session, prepared))
    return structure_message(request, settings, fmt, objects, headers)


def bad_shape(request: Request, path: str = "") -> None:
    raise QuerySyntaxError(
        f"{request.url.path} is not an availability query: use {_SHAPE} "
        "(flowRef required; key, providerRef and componentID optional)"
    )


_PATHS = (
    "/rest/availableconstraint/{flow_ref}",
    "/rest/availableconstraint/{flow_ref}/{key}",
    "/rest/availableconstraint/{flow_ref}/{key}/{provider_ref}",
    "/rest/availableconstraint/{flow_ref}/{key}/{provider_ref}/{component_id}",
)
add_get_routes(router, _PATHS, availability_query, "SDMX-REST 1.5 availability query")
for _p in ("/rest/availableconstraint", "/rest/availableconstraint/{path:path}"):
    router.add_api_route(_p, bad_shape, methods=["GET"], include_in_schema=False)
