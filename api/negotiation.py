"""Content negotiation for requests: the ``Format`` to answer with, decided before any DB work.

Thin wrapper over ``registry.io.formats.negotiate`` reading ``Accept`` and ``?format=``; also says
whether an error should be rendered as SDMX-JSON (the client prefers JSON) or SDMX-ML.
"""

from __future__ import annotations

from fastapi import Request

from registry.io.formats import Format, negotiate, parse_accept


def request_format(request: Request, kind: str) -> Format:
    """The negotiated format for a ``kind`` of resource (406 if none fits)."""
    return negotiate(kind, request.headers.get("accept"), request.query_params.get("format"))


def wants_json(request: Request) -> bool:
    """True when the client's first acceptable type (or ``?format=``) is JSON."""
    fmt = (request.query_params.get("format") or "").lower()
    if fmt:
        return "json" in fmt
    ranges = parse_accept(request.headers.get("accept"))
    return bool(ranges) and "json" in ranges[0].type


def wants_html(request: Request) -> bool:
    ranges = parse_accept(request.headers.get("accept"))
    return bool(ranges) and ranges[0].type == "text/html"
