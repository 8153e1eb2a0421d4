"""Route registration for SDMX-REST paths whose trailing segments are optional.

SDMX-REST lets clients leave trailing path segments off and write a trailing slash (R-HTTP-12:
harvesters may not follow redirects), so each resource is registered once per prefix length, with
and without the slash; only the longest form appears in the OpenAPI document.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from fastapi import APIRouter
from fastapi.responses import Response


def add_get_routes(
    router: APIRouter, paths: Sequence[str], endpoint: Callable[..., Any], summary: str
) -> None:
    """Register ``endpoint`` for GET on every path of ``paths``, with and without a final slash."""
    for path in paths:
        for variant in (path, path + "/"):
            router.add_api_route(
                variant,
                endpoint,
                methods=["GET"],
                include_in_schema=variant == paths[-1],
                summary=summary,
                response_class=Response,
            )
