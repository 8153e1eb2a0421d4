"""Structure maintenance over HTTP: ``POST /rest/structure`` and ``DELETE /rest/{resource}/...``.

Writes need a bearer token with role admin or curator. The body (an SDMX-ML 2.1 or 3.0 Structure
message, or a ``SubmitStructureRequest``) is spooled with the configured size cap, parsed with
entities and network access off, and applied as one transaction. The answer is a
``SubmitStructureResponse`` (SDMX-ML, or JSON when asked) with one result per artefact: 201 when
something was created, 200 otherwise, 409 with nothing stored when any artefact is refused.
The transaction is committed before the answer is written: FastAPI runs the session
dependency's exit (its commit) only after the response has gone, so a client that sends its next
message on the answer (a provision agreement after its dataflow) could otherwise find nothing.
"""

from __future__ import annotations

import tempfile
from typing import cast

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.deps import CurrentUser, SessionDep, SettingsDep
from api.errors import submission_response
from api.uploads import check_declared_length, too_large
from registry import auth, maintenance
from registry.errors import QuerySyntaxError, UnsupportedError
from registry.io import sdmxml
from registry.structure_types import BY_RESOURCE

router = APIRouter(tags=["maintenance"])

_SPOOL_IN_MEMORY = 1024 * 1024


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused past ``limit`` bytes before it is all read."""
    check_declared_length(request, limit)
    size = 0
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY) as spool:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise too_large(limit, subject="body")
            spool.write(chunk)
        spool.seek(0)
        return cast(bytes, spool.read())


@router.post(
    "/rest/structure",
    summary="Submit structures (SDMX-ML Structure message or SubmitStructureRequest)",
    response_class=Response,
    status_code=201,
)
async def post_structures(
    request: Request, session: SessionDep, settings: SettingsDep, user: CurrentUser
) -> Response:
    who = auth.require(user, auth.STRUCTURE_WRITERS, "writing structures")
    body = await read_body(request, settings.max_upload_bytes)
    submission = sdmxml.read_structures(body)
    if submission.action == "Delete":
        results = maintenance.delete_structures(session, submission.artefacts, actor=who.name)
    else:
        results = maintenance.submit_structures(session, submission.artefacts, actor=who.name)
    session.commit()  # before the answer: see the module docstring
    status = 201 if any(r.status == "created" for r in results) else 200
    return submission_response(request, results, status)


@router.delete(
    "/rest/{resource}/{agency}/{resource_id}/{version}",
    summary="Delete one artefact (refused while others reference it)",
    response_class=Response,
)
def delete_structure(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    resource: str,
    agency: str,
    resource_id: str,
    version: str,
) -> Response:
    who = auth.require(user, auth.STRUCTURE_WRITERS, "deleting structures")
    stype = BY_RESOURCE.get(resource.lower())
    if stype is None:
        raise QuerySyntaxError(
            f"cannot delete from {resource!r}: name one artefact type, e.g. codelist or dataflow"
        )
    if (
        version in ("all", "latest")
        or "+" in f"{agency}{resource_id}{version}"
        or "all"
        in (
            agency,
            resource_id,
        )
    ):
        raise UnsupportedError("DELETE names exactly one artefact: no 'all', 'latest' or '+' lists")
    result = maintenance.delete_artefact(
        session, stype.urn(agency, resource_id, version), actor=who.name
    )
    session.commit()  # before the answer: see the module docstring
    return submission_response(request, [result], 200)
