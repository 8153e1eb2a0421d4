"""HTTP caching for harvesters: ``ETag``/``Last-Modified`` on answers and 304 on revalidation.

The validators come from the store's change clock (the time of the last write) and a marker of
what the answer is made from (the structure clock's, new at every structure write, and for data
and availability the dataflow's data version): the ETag hashes the negotiated media type, the
request URL, that time and that marker, so it changes whenever the answer could change (a data
answer's names and codes come from the structures too), even if the machine's clock stepped
back, and a revalidation is answered 304 before any query work. ``If-None-Match`` wins over
``If-Modified-Since``, as RFC 9110 says.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime

from fastapi import Request
from fastapi.responses import Response

VARY = "Accept, Accept-Encoding, Accept-Language"


def validators(
    request: Request, media_type: str, last_change: datetime | None, marker: str | None = None
) -> dict[str, str]:
    """ETag, Last-Modified, Vary and Cache-Control headers for an answer.

    ``marker`` is a version of what the answer is made from (the structure clock's marker, and
    for data the dataflow's data version): it changes with every write even when the clock of
    the machine does not move forward, and the ETag then changes too.
    """
    seed = "\n".join(
        (
            media_type,
            str(request.url.path),
            str(request.url.query),
            request.headers.get("accept-language", ""),
            last_change.isoformat() if last_change else "-",
            marker or "-",
        )
    )
    headers = {
        "ETag": '"' + hashlib.sha256(seed.encode()).hexdigest()[:40] + '"',
        "Vary": VARY,
        "Cache-Control": "no-cache",
    }
    if last_change is not None:
        headers["Last-Modified"] = format_datetime(last_change.replace(microsecond=0), usegmt=True)
    return headers


def not_modified(
    request: Request, headers: dict[str, str], last_change: datetime | None
) -> Response | None:
    """A bodiless 304 when the client's copy is current, else None."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        fresh = headers["ETag"] in tags or "*" in tags
    else:
        since = request.headers.get("if-modified-since")
        fresh = False
        if since and last_change is not None:
            try:
                when = parsedate_to_datetime(since)
            except (TypeError, ValueError):
                when = None
            fresh = (
                when is not None
                and when.tzinfo is not None
                and (last_change.replace(microsecond=0) <= when)
            )
    return Response(status_code=304, headers=headers) if fresh else None
