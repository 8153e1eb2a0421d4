"""Standard SDMX-REST 1.5 resources this release does not serve yet: each answers SDMX 501.

R-ERR-04: every standard resource must exist, even if only to say it is not implemented, so a
harvester learns "not supported" (501) rather than "no such path" (404).
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from registry.errors import UnsupportedError

router = APIRouter(tags=["not implemented"])

PENDING = ("schema",)


def not_implemented(request: Request, path: str = "") -> None:
    resource = request.url.path.removeprefix("/rest/").split("/")[0]
    raise UnsupportedError(f"the {resource} resource is not implemented by this registry yet")


for _resource in PENDING:
    router.add_api_route(
        f"/rest/{_resource}", not_implemented, methods=["GET"], include_in_schema=False
    )
    router.add_api_route(
        f"/rest/{_resource}/{{path:path}}",
        not_implemented,
        methods=["GET"],
        include_in_schema=False,
    )
