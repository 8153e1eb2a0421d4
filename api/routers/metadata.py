"""SDMX-REST 1.5 reference-metadata queries: ``GET /rest/metadata/{flowRef}/{key}/{providerRef}``.

Same path shape as data queries (SDMX-CHECKLIST §2): ``flowRef`` is ``ID``, ``AGENCY,ID`` or
``AGENCY,ID,VERSION``; ``key`` the target values (indicator codes joined with ``+``) or ``all``;
``providerRef`` ``PROVIDER_ID``, ``AGENCY,PROVIDER_ID`` or ``all``. The handler negotiates the
format first (SDMX-ML 2.1 GenericMetadata; 406 before any database work), parses the path (400 on
bad syntax, 501 on an unsupported parameter), answers 304 to a current client, then resolves the
query (404, SDMX 100, when nothing matches) and writes the reports with ``ETag`` and
``Last-Modified``. Trailing slashes are accepted.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.caching import not_modified, validators
from api.deps import SessionDep
from api.negotiation import request_format
from api.paths import add_get_routes
from registry import metadata
from registry.errors import QuerySyntaxError

router = APIRouter(tags=["metadata"])

_SHAPE = "/rest/metadata/{flowRef}/{key}/{providerRef}"


def metadata_query(
    request: Request,
    session: SessionDep,
    flow_ref: str,
    key: str | None = None,
    provider_ref: str | None = None,
) -> Response:
    fmt = request_format(request, "metadata")
    query = metadata.parse_metadata_query(
        flow_ref, key, provider_ref, dict(request.query_params.items())
    )
    last_change = metadata.last_change(session)
    headers = validators(request, fmt.content_type, last_change)
    unchanged = not_modified(request, headers, last_change)
    if unchanged is not None:
        return unchanged
    records = metadata.resolve_metadata_query(session, query)
    body = metadata.write_reports(
        records, header_id="IREF" + uuid.uuid4().hex[:16].upper(), prepared=datetime.now(UTC)
    )
    return Response(body, media_type=fmt.content_type, headers=headers)


def bad_shape(request: Request, path: str = "") -> None:
    raise QuerySyntaxError(
        f"{request.url.path} is not a metadata query: use {_SHAPE} "
        "(flowRef required; key and providerRef optional)"
    )


_PATHS = (
    "/rest/metadata/{flow_ref}",
    "/rest/metadata/{flow_ref}/{key}",
    "/rest/metadata/{flow_ref}/{key}/{provider_ref}",
)
add_get_routes(router, _PATHS, metadata_query, "SDMX-REST 1.5 reference-metadata query")
for _p in ("/rest/metadata", "/rest/metadata/", "/rest/metadata/{path:path}"):
    router.add_api_route(_p, bad_shape, methods=["GET"], include_in_schema=False)
