"""Content negotiation for requests: the ``Format`` to answer with, decided before any DB work.

Thin wrapper over ``registry.io.formats.negotiate`` reading ``Accept`` and ``?format=``; also says
whether an error should be rendered as SDMX-JSON (the client prefers JSON) or SDMX-ML, and which
languages the client prefers (``?lang=``, then ``Accept-Language`` by q-value).
"""

from __future__ import annotations

from collections.abc import Sequence

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


def preferred_languages(
    request: Request, default: Sequence[str] = (), *, lang: str | None = None
) -> tuple[str, ...]:
    """Language primary subtags by preference: ``lang`` (default: the ``lang`` query parameter;
    ``all`` names none), then ``Accept-Language`` by q-value (equal values in header order,
    ``q=0`` and ``*`` left out), then ``default``; each once."""
    if lang is None:
        lang = request.query_params.get("lang", "")
    ranked: list[tuple[float, str]] = []
    for part in request.headers.get("accept-language", "").split(","):
        tag, *options = (piece.strip() for piece in part.split(";"))
        q = 1.0
        for option in options:
            name, _, value = option.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if tag and tag != "*" and q > 0:
            ranked.append((q, tag))
    ranked.sort(key=lambda item: -item[0])  # stable: equal q-values keep their order
    tags = [lang] if lang and lang != "all" else []
    tags += [tag for _, tag in ranked] + list(default)
    return tuple(dict.fromkeys(tag.split("-")[0].lower() for tag in tags))
