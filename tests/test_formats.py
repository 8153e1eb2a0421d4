"""Content negotiation: Accept with q-weights, loose parameters, ?format= aliases, 406."""

from __future__ import annotations

import pytest

from registry.errors import NotAcceptableError
from registry.io.formats import STRUCTURE_JSON, STRUCTURE_XML, negotiate, parse_accept


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, STRUCTURE_XML),
        ("", STRUCTURE_XML),
        ("*/*", STRUCTURE_XML),
        ("application/xml", STRUCTURE_XML),
        ("text/xml", STRUCTURE_XML),
        ("application/vnd.sdmx.structure+xml;version=2.1", STRUCTURE_XML),
        ("application/vnd.sdmx.structure+xml; version=2.1", STRUCTURE_XML),
        ("application/vnd.sdmx.structure+json;version=1.0.0", STRUCTURE_JSON),
        ("application/vnd.sdmx.structure+json; version=1.0", STRUCTURE_JSON),
        ("application/vnd.sdmx.structure+json", STRUCTURE_JSON),
        ("application/json", STRUCTURE_JSON),
        # The TCK's q-weighted mix must yield JSON.
        (
            "application/vnd.sdmx.structure+xml;version=2.1;q=0.9, "
            "application/vnd.sdmx.structure+json;version=1.0.0",
            STRUCTURE_JSON,
        ),
        ("text/html;q=1, application/vnd.sdmx.structure+xml;q=0.5", STRUCTURE_XML),
        ("application/vnd.sdmx.structure+xml;version=3.0.0, */*;q=0.1", STRUCTURE_XML),
    ],
)
def test_accept(accept: str | None, expected: object) -> None:
    assert negotiate("structure", accept) is expected


@pytest.mark.parametrize(
    "accept",
    [
        "garbage/garbage",
        "application/vnd.sdmx.structure+xml;version=3.0.0",
        "text/html",
        "application/*;q=0",
    ],
)
def test_unsupported_accept_is_406(accept: str) -> None:
    with pytest.raises(NotAcceptableError, match="available"):
        negotiate("structure", accept)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("jsonstructure", STRUCTURE_JSON), ("JSON", STRUCTURE_JSON), ("structure", STRUCTURE_XML)],
)
def test_format_parameter_wins(value: str, expected: object) -> None:
    assert negotiate("structure", "application/vnd.sdmx.structure+xml", value) is expected


def test_unknown_format_parameter() -> None:
    with pytest.raises(NotAcceptableError, match="format='csvdata'"):
        negotiate("structure", None, "csvdata")


def test_parse_accept_orders_by_q_and_drops_zero() -> None:
    ranges = parse_accept("a/b;q=0.2, c/d, e/f;q=0, g/h;q=0.5")
    assert [r.type for r in ranges] == ["c/d", "g/h", "a/b"]
