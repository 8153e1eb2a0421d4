"""SDMX-REST 1.5 structure-query grammar: path segments and parameters → ``StructureQuery``.

``parse_structure_query`` applies the checklist rules R-STR-01…09: the resource name is matched
case-insensitively (R-HTTP-12); missing trailing segments default to agency ``all``, id ``all`` and
version ``latest``; ``+`` joins several values; every value is checked against the REST 1.5
patterns (semantic versions such as ``1.0.0-draft`` are accepted too); ``detail`` and
``references`` values are matched case-insensitively and stored in lower case. Errors: a name that
is not a standard structure resource, a malformed segment, a bad parameter value, or an item
segment on a resource without items is a ``QuerySyntaxError`` (140/400) naming the problem and the
allowed values; a standard resource or ``references`` type this registry does not implement, or any
query parameter outside ``detail``, ``references`` and ``TRANSPORT_PARAMS``, is an
``UnsupportedError`` (501) naming it, so that nothing is ever silently ignored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from registry.errors import QuerySyntaxError, UnsupportedError
from registry.structure_types import BY_URN_CLASS, RESOURCES

#: Query parameters handled by the API layer (negotiation, compression, language), not here.
TRANSPORT_PARAMS: frozenset[str] = frozenset({"format", "formatVersion", "lang", "compression"})

#: Values of ``detail`` (R-STR-08), default ``full``.
DETAILS: tuple[str, ...] = (
    "allstubs",
    "referencestubs",
    "allcompletestubs",
    "referencecompletestubs",
    "referencepartial",
    "full",
)

#: Reference scopes of ``references`` (R-STR-09), default ``none``; resource names are also valid.
REFERENCE_SCOPES: tuple[str, ...] = (
    "none",
    "parents",
    "parentsandsiblings",
    "children",
    "descendants",
    "all",
)

#: Resource names valid as ``references=<type>``: every maintainable resource except ``structure``.
REFERENCE_TYPES: tuple[str, ...] = tuple(sorted(r for r in RESOURCES if r != "structure"))

STRUCTURE_PARAMS: tuple[str, ...] = ("detail", "references")

_AGENCY = re.compile(r"[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z][A-Za-z0-9_-]*)*")
_ID = re.compile(r"[A-Za-z0-9_@$-]+")
_VERSION = re.compile(r"\d+(\.\d+)*|\d+\.\d+\.\d+-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*")
_ITEM = re.compile(r"[A-Za-z0-9_@$-]+(\.[A-Za-z0-9_@$-]+)*")


@dataclass(frozen=True)
class StructureQuery:
    """A parsed structure query; ``None`` in a selector means ``all``.

    ``resource`` is the lower-case REST resource name; ``versions`` may hold ``"latest"``;
    ``detail`` is one of ``DETAILS`` and ``references`` one of ``REFERENCE_SCOPES`` or
    ``REFERENCE_TYPES``.
    """

    resource: str
    agencies: tuple[str, ...] | None
    ids: tuple[str, ...] | None
    versions: tuple[str, ...] | None
    items: tuple[str, ...] | None
    detail: str = "full"
    references: str = "none"

    @property
    def path(self) -> str:
        """The query as a REST 1.5 path, for messages (``codelist/ECB/CL_FREQ/latest``)."""
        parts = [self.resource]
        for values in (self.agencies, self.ids, self.versions):
            parts.append("+".join(values) if values is not None else "all")
        if self.items is not None:
            parts.append("+".join(self.items))
        return "/".join(parts)


def parse_structure_query(
    resource: str,
    agency: str | None,
    resource_id: str | None,
    version: str | None,
    item: str | None,
    params: Mapping[str, str],
) -> StructureQuery:
    """Parse the path segments and query parameters of a REST 1.5 structure query.

    Missing (``None`` or empty) segments take their defaults. Raises ``QuerySyntaxError`` for an
    unknown resource name, a malformed segment or parameter value, or an item segment on a
    resource that has no items; ``UnsupportedError`` for an unimplemented standard resource or
    reference type, and for an unknown query parameter (names are case-sensitive).
    """
    name = parse_resource(resource)
    agencies = _segment("agencyID", agency, _AGENCY, "a dotted NCName such as ECB or SDMX.ILO")
    ids = _segment("resourceID", resource_id, _ID, "letters, digits, _ @ $ -")
    versions = _segment("version", version, _VERSION, "latest, or 1.0, 1.0.0, 1.0.0-draft")
    items = _segment("itemID", item, _ITEM, "a dotted item id such as A.B")
    if item and not allows_items(name):
        raise QuerySyntaxError(
            f"Item queries are only allowed for item schemes and hierarchicalcodelist, "
            f"not for {name!r}; remove the itemID segment {item!r}"
        )
    _check_params(params)
    return StructureQuery(
        resource=name,
        agencies=agencies,
        ids=ids,
        versions=versions,
        items=items,
        detail=_parse_detail(params.get("detail")),
        references=_parse_references(params.get("references")),
    )


def parse_resource(resource: str) -> str:
    """The lower-case resource name; QuerySyntaxError if not standard, UnsupportedError if 501."""
    name = resource.lower()
    if name not in RESOURCES:
        raise QuerySyntaxError(
            f"{resource!r} is not an SDMX structure resource; valid resources: "
            + ", ".join(sorted(RESOURCES))
        )
    if RESOURCES[name] is None:
        raise UnsupportedError(f"The structure resource {name!r} is not implemented")
    return name


def allows_items(resource: str) -> bool:
    """True if ``resource`` selects only item schemes or hierarchical codelists (R-STR-07)."""
    classes = RESOURCES.get(resource) or ()
    return bool(classes) and all(
        BY_URN_CLASS[c].is_item_scheme or c == "HierarchicalCodelist" for c in classes
    )


def _segment(
    name: str, value: str | None, pattern: re.Pattern[str], expected: str
) -> tuple[str, ...] | None:
    """Split a ``+`` list and check each part; ``None`` when the list holds ``all``.

    A missing or empty segment means ``all``, except the version, which means ``latest``.
    ``latest`` is a keyword only in the version; elsewhere it is an ordinary id.
    """
    keywords = ("all", "latest") if name == "version" else ("all",)
    parts = (value or keywords[-1]).split("+")
    for part in parts:
        if part not in keywords and not pattern.fullmatch(part):
            raise QuerySyntaxError(
                f"Invalid {name} {part!r} in {value!r}: expected all, {expected}; "
                "join several with +"
            )
    if "all" in parts:
        return None
    return tuple(dict.fromkeys(parts))


def _check_params(params: Mapping[str, str]) -> None:
    """UnsupportedError naming the first parameter that is neither structural nor transport."""
    for key in params:
        if key not in STRUCTURE_PARAMS and key not in TRANSPORT_PARAMS:
            allowed = ", ".join((*STRUCTURE_PARAMS, *sorted(TRANSPORT_PARAMS)))
            raise UnsupportedError(
                f"The query parameter {key!r} is not supported for structure queries "
                f"(supported: {allowed}; names are case-sensitive)"
            )


def _parse_detail(value: str | None) -> str:
    detail = (value if value is not None else "full").lower()
    if detail not in DETAILS:
        raise QuerySyntaxError(f"Invalid detail {value!r}: expected one of {', '.join(DETAILS)}")
    return detail


def _parse_references(value: str | None) -> str:
    references = (value if value is not None else "none").lower()
    if references in REFERENCE_SCOPES:
        return references
    if references not in REFERENCE_TYPES:
        raise QuerySyntaxError(
            f"Invalid references {value!r}: expected one of {', '.join(REFERENCE_SCOPES)} "
            f"or a structure type ({', '.join(REFERENCE_TYPES)})"
        )
    if RESOURCES[references] is None:
        raise UnsupportedError(f"references={references} is not implemented: no such artefacts")
    return references
