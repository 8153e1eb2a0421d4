"""``parse_structure_query``: every valid form of the checklist (R-STR-01…09) and every bad input.

Valid cases give the expected ``StructureQuery`` fields; bad cases give the right error class with a
message naming the offending segment or parameter.
"""

from __future__ import annotations

from typing import Any

import pytest

from registry.errors import QuerySyntaxError, RegistryError, UnsupportedError
from registry.query.params import (
    TRANSPORT_PARAMS,
    StructureQuery,
    allows_items,
    parse_structure_query,
)

Path5 = tuple[str, str | None, str | None, str | None, str | None]

VALID: list[tuple[Path5, dict[str, str], dict[str, Any]]] = [
    # R-STR-03: missing trailing segments: agency all, id all, version latest.
    (("codelist", None, None, None, None), {}, dict(agencies=None, ids=None, versions=("latest",))),
    (
        ("datastructure", "ECB", "ECB_EXR1", None, None),
        {},
        dict(agencies=("ECB",), ids=("ECB_EXR1",), versions=("latest",), items=None),
    ),
    (("codelist", "", "", "", ""), {}, dict(agencies=None, ids=None, versions=("latest",))),
    # R-STR-02: all / latest keywords.
    (("codelist", "all", "all", "all", "all"), {}, dict(agencies=None, ids=None, versions=None)),
    (("codelist", "ECB", "CL_FREQ", "latest", None), {}, dict(versions=("latest",))),
    (("codelist", "all", "CL_FREQ", "1.0", None), {}, dict(agencies=None, versions=("1.0",))),
    # R-STR-04: + lists; "all" inside a list means all; duplicates collapse.
    (("codelist", "BIS+ECB", "CL_FREQ", None, None), {}, dict(agencies=("BIS", "ECB"))),
    (
        ("codelist", "ECB", "CL_FREQ+CL_CONF_STATUS", "1.0+2.1", None),
        {},
        dict(ids=("CL_FREQ", "CL_CONF_STATUS"), versions=("1.0", "2.1")),
    ),
    (("codelist", "ECB+all", None, "latest+1.0", None), {}, dict(agencies=None)),
    (("codelist", "ECB", None, "latest+1.0", None), {}, dict(versions=("latest", "1.0"))),
    (("codelist", "ECB+ECB", None, None, None), {}, dict(agencies=("ECB",))),
    # R-STR-05: dotted agencies, ids with @ $ -, numeric and semantic versions.
    (("codelist", "SDMX.ILO", "CL_$@-1", "1.10.3", None), {}, dict(agencies=("SDMX.ILO",))),
    (("codelist", "ECB", "CL_FREQ", "1.0.0-draft", None), {}, dict(versions=("1.0.0-draft",))),
    (("codelist", "latest", None, None, None), {}, dict(agencies=("latest",))),
    # R-STR-07: item queries, nested item paths, item all.
    (("codelist", "ILO", "CL_SEX", "1.0", "SEX_F+SEX_M"), {}, dict(items=("SEX_F", "SEX_M"))),
    (
        ("categoryscheme", "SDMX", "STAT_SUBJECT_MATTER", "1.0", "ECO_STAT.SECTORAL_STAT"),
        {},
        dict(items=("ECO_STAT.SECTORAL_STAT",)),
    ),
    (("codelist", "ILO", "CL_SEX", "1.0", "all"), {}, dict(items=None)),
    (("hierarchicalcodelist", "ESTAT", "HCL", "1.0", "H1.A.B"), {}, dict(items=("H1.A.B",))),
    (("organisationscheme", None, None, None, "ECB"), {}, dict(items=("ECB",))),
    (
        ("categoryscheme", "ECB", "DOMAINS", "latest", "PRICES"),
        {"references": "categorisation"},
        dict(items=("PRICES",), references="categorisation"),
    ),
    # R-HTTP-12: resource names are case-insensitive.
    (("DataStructure", "ECB", None, None, None), {}, dict(resource="datastructure")),
    (("structure", "ECB", None, None, None), {"detail": "allstubs"}, dict(detail="allstubs")),
    # R-STR-08 / R-STR-09 and the checklist examples.
    (
        ("datastructure", "ECB", "ECB_EXR1", "1.0", None),
        {"references": "children", "detail": "referencepartial"},
        dict(references="children", detail="referencepartial"),
    ),
    (("datastructure", "ECB", None, None, None), {"references": "dataflow"}, {}),
    (("codelist", None, None, None, None), {"detail": "allstubs"}, dict(detail="allstubs")),
    (("codelist", None, None, None, None), {}, dict(detail="full", references="none")),
    (("codelist", None, None, None, None), {"references": "ALL"}, dict(references="all")),
    (("dataflow", None, None, None, None), {"references": "allowedconstraint"}, {}),
    (("dataflow", None, None, None, None), {"references": "organisationscheme"}, {}),
    (("actualconstraint", None, None, None, None), {}, dict(resource="actualconstraint")),
    # The transport parameters are left to the API layer.
    (("codelist", None, None, None, None), {"format": "sdmx-2.1", "lang": "fr"}, {}),
    (("codelist", None, None, None, None), {"formatVersion": "2.1", "compression": "gzip"}, {}),
]
VALID += [
    (("codelist", None, None, None, None), {"detail": d}, dict(detail=d))
    for d in (
        "allstubs",
        "referencestubs",
        "allcompletestubs",
        "referencecompletestubs",
        "referencepartial",
        "full",
    )
]
VALID += [
    (("codelist", None, None, None, None), {"references": r}, dict(references=r))
    for r in ("none", "parents", "parentsandsiblings", "children", "descendants", "all")
]


@pytest.mark.parametrize(("path", "params", "expected"), VALID, ids=lambda v: repr(v))
def test_valid(path: Path5, params: dict[str, str], expected: dict[str, Any]) -> None:
    query = parse_structure_query(*path, params)
    assert isinstance(query, StructureQuery)
    for field, value in expected.items():
        assert getattr(query, field) == value, field


INVALID: list[tuple[Path5, dict[str, str], type[RegistryError], tuple[str, ...]]] = [
    # Not a standard structure resource → 400 listing the valid ones.
    (("codelists", None, None, None, None), {}, QuerySyntaxError, ("codelists", "codelist")),
    (("data", None, None, None, None), {}, QuerySyntaxError, ("'data'", "datastructure")),
    (("availableconstraint", None, None, None, None), {}, QuerySyntaxError, ("valid resources",)),
    # Standard but not implemented → 501 naming it.
    (("process", None, None, None, None), {}, UnsupportedError, ("process",)),
    (("reportingtaxonomy", "ECB", None, None, None), {}, UnsupportedError, ("reportingtaxonomy",)),
    (
        ("organisationunitscheme", None, None, None, None),
        {},
        UnsupportedError,
        ("organisationunit",),
    ),
    (("attachmentconstraint", None, None, None, None), {}, UnsupportedError, ("attachment",)),
    # R-STR-05 segment syntax.
    (("codelist", "1ECB", None, None, None), {}, QuerySyntaxError, ("agencyID", "1ECB")),
    (("codelist", "ECB.", None, None, None), {}, QuerySyntaxError, ("agencyID",)),
    (("codelist", "ECB,BIS", None, None, None), {}, QuerySyntaxError, ("agencyID", "ECB,BIS")),
    (("codelist", "ECB+", None, None, None), {}, QuerySyntaxError, ("agencyID",)),
    (("codelist", "ECB", "CL FREQ", None, None), {}, QuerySyntaxError, ("resourceID", "CL FREQ")),
    (("codelist", "ECB", "CL.FREQ", None, None), {}, QuerySyntaxError, ("resourceID",)),
    (("codelist", "ECB", "CL_FREQ", "v1", None), {}, QuerySyntaxError, ("version", "v1")),
    (("codelist", "ECB", "CL_FREQ", "1.", None), {}, QuerySyntaxError, ("version",)),
    (("codelist", "ECB", "CL_FREQ", "1.0-draft", None), {}, QuerySyntaxError, ("version",)),
    (("codelist", "ECB", "CL_FREQ", "1.0.0+", None), {}, QuerySyntaxError, ("version",)),
    (("codelist", "ECB", "CL_FREQ", "~", None), {}, QuerySyntaxError, ("version", "latest")),
    (("codelist", "ECB", "CL_FREQ", "1.0", "A..B"), {}, QuerySyntaxError, ("itemID", "A..B")),
    (("codelist", "ECB", "CL_FREQ", "1.0", "A B"), {}, QuerySyntaxError, ("itemID",)),
    # R-STR-07: item queries only on item schemes and hierarchical codelists.
    (("datastructure", "ECB", "X", "1.0", "A"), {}, QuerySyntaxError, ("datastructure", "itemID")),
    (("dataflow", "ECB", "EXR", "1.0", "all"), {}, QuerySyntaxError, ("dataflow",)),
    (("structure", "ECB", "X", "1.0", "A"), {}, QuerySyntaxError, ("structure",)),
    (("contentconstraint", "ECB", "X", "1.0", "A"), {}, QuerySyntaxError, ("contentconstraint",)),
    # R-STR-08 / R-STR-09 values.
    (("codelist",) + (None,) * 4, {"detail": "stubs"}, QuerySyntaxError, ("detail", "allstubs")),
    (("codelist",) + (None,) * 4, {"detail": ""}, QuerySyntaxError, ("detail",)),
    (("codelist",) + (None,) * 4, {"detail": "dataonly"}, QuerySyntaxError, ("detail",)),
    (
        ("codelist",) + (None,) * 4,
        {"references": "child"},
        QuerySyntaxError,
        ("references", "children", "codelist"),
    ),
    (("codelist",) + (None,) * 4, {"references": "structure"}, QuerySyntaxError, ("references",)),
    (("codelist",) + (None,) * 4, {"references": "data"}, QuerySyntaxError, ("references",)),
    (("codelist",) + (None,) * 4, {"references": "process"}, UnsupportedError, ("process",)),
    # Unknown parameters are never ignored; names are case-sensitive.
    (("codelist",) + (None,) * 4, {"startPeriod": "2020"}, UnsupportedError, ("startPeriod",)),
    (("codelist",) + (None,) * 4, {"Detail": "full"}, UnsupportedError, ("Detail",)),
    (("codelist",) + (None,) * 4, {"FORMAT": "json"}, UnsupportedError, ("FORMAT",)),
]


@pytest.mark.parametrize(("path", "params", "error", "words"), INVALID, ids=lambda v: repr(v))
def test_invalid(
    path: Path5, params: dict[str, str], error: type[RegistryError], words: tuple[str, ...]
) -> None:
    with pytest.raises(error) as info:
        parse_structure_query(*path, params)
    assert type(info.value) is error
    for word in words:
        assert word in info.value.message


def test_transport_params_constant() -> None:
    assert {"format", "formatVersion", "lang", "compression"} == TRANSPORT_PARAMS


def test_path_names_the_query() -> None:
    query = parse_structure_query("Codelist", "ECB+BIS", None, "latest", "A+B", {})
    assert query.path == "codelist/ECB+BIS/all/latest/A+B"


@pytest.mark.parametrize(
    ("resource", "allowed"),
    [
        ("codelist", True),
        ("categoryscheme", True),
        ("conceptscheme", True),
        ("agencyscheme", True),
        ("organisationscheme", True),
        ("hierarchicalcodelist", True),
        ("datastructure", False),
        ("dataflow", False),
        ("structure", False),
        ("process", False),
    ],
)
def test_allows_items(resource: str, allowed: bool) -> None:
    assert allows_items(resource) is allowed
