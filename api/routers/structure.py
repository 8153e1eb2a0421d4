"""SDMX-REST 1.5 structure queries: ``GET /rest/{resource}/{agency}/{id}/{version}/{item}``.

The handler negotiates the format first (406 before any database work), parses the path and query
into a ``StructureQuery`` (400/501 on bad or unsupported input), resolves it against the store and
writes SDMX-ML 2.1 or SDMX-JSON 1.0 with caching headers. Trailing slashes are accepted.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sdmx.model.common import MaintainableArtefact

from api.caching import not_modified, validators
from api.deps import CacheDep, SessionDep, SettingsDep
from api.negotiation import preferred_languages, request_format
from api.paths import add_get_routes
from registry.catalog import Catalog
from registry.config import Settings
from registry.io import sdmxjson, sdmxml
from registry.io.formats import STRUCTURE_JSON, Format
from registry.query.params import TRANSPORT_PARAMS, parse_structure_query
from registry.query.structure import resolve_structure_query
from registry.storage import artefacts

router = APIRouter(tags=["structure"])


def header_id() -> str:
    return "IREF" + uuid.uuid4().hex[:16].upper()


def structure_query(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    cache: CacheDep,
    resource: str,
    agency: str | None = None,
    resource_id: str | None = None,
    version: str | None = None,
    item: str | None = None,
) -> Response:
    fmt = request_format(request, "structure")
    params = {k: v for k, v in request.query_params.items() if k not in TRANSPORT_PARAMS}
    query = parse_structure_query(resource, agency, resource_id, version, item, params)
    last_change = artefacts.last_change(session)
    marker = artefacts.structure_marker(session)
    headers = validators(request, fmt.content_type, last_change, marker)
    unchanged = not_modified(request, headers, last_change)
    if unchanged is not None:
        return unchanged
    objects = resolve_structure_query(
        query, Catalog(session, cache), max_artefacts=settings.max_response_artefacts
    )
    return structure_message(request, settings, fmt, objects, headers)


def structure_message(
    request: Request,
    settings: Settings,
    fmt: Format,
    objects: Sequence[MaintainableArtefact],
    headers: dict[str, str],
) -> Response:
    """A Structure message of ``objects`` in the negotiated format (SDMX-ML or SDMX-JSON)."""
    prepared = datetime.now(UTC)
    if fmt is STRUCTURE_JSON:
        languages = preferred_languages(request, settings.languages)
        body = sdmxjson.write_structures_json(
            objects, header_id=header_id(), prepared=prepared, languages=languages
        )
        headers["Content-Language"] = languages[0]
    else:
        body = sdmxml.write_structures(objects, header_id=header_id(), prepared=prepared)
    return Response(body, media_type=fmt.content_type, headers=headers)


_PATHS = (
    "/rest/{resource}",
    "/rest/{resource}/{agency}",
    "/rest/{resource}/{agency}/{resource_id}",
    "/rest/{resource}/{agency}/{resource_id}/{version}",
    "/rest/{resource}/{agency}/{resource_id}/{version}/{item}",
)
add_get_routes(router, _PATHS, structure_query, "SDMX-REST 1.5 structure query")
