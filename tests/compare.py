"""Comparison of two sdmx1 artefacts the way a curator would: identity, names, items, components.

Used by the round-trip tests (file → registry → HTTP → sdmx1) to assert that what comes back is
what went in: ids, versions, finality, names and descriptions in every language, items with their
parents, DSD components in order with their representations, dataflow structures.
"""

from __future__ import annotations

from typing import Any

from sdmx.model import common


def _texts(obj: Any, attr: str) -> dict[str, str]:
    value = getattr(obj, attr, None)
    if value is None:
        return {}
    return {k: str(v) for k, v in value.localizations.items() if str(v).strip()}


def _rep(component: Any) -> Any:
    rep = getattr(component, "local_representation", None)
    enum = getattr(rep, "enumerated", None)
    return None if enum is None else (getattr(enum.maintainer, "id", None), enum.id)


def summary(obj: common.MaintainableArtefact) -> dict[str, Any]:
    """A plain-data view of an artefact, equal for equal artefacts."""
    out: dict[str, Any] = {
        "id": obj.id,
        "agency": getattr(obj.maintainer, "id", None),
        "version": str(obj.version),
        "is_final": bool(obj.is_final),
        "name": _texts(obj, "name"),
        "description": _texts(obj, "description"),
    }
    items = getattr(obj, "items", None)
    if isinstance(items, dict):
        out["items"] = {
            item_id: (
                _texts(item, "name"),
                _texts(item, "description"),
                getattr(getattr(item, "parent", None), "id", None)
                if isinstance(getattr(item, "parent", None), common.Item)
                else None,
            )
            for item_id, item in items.items()
        }
    for attr in ("dimensions", "attributes", "measures"):
        cl = getattr(obj, attr, None)
        if cl is not None and hasattr(cl, "components"):
            out[attr] = [(c.id, _rep(c)) for c in cl.components]
    structure = getattr(obj, "structure", None)
    if structure is not None and hasattr(structure, "id"):
        out["structure"] = (getattr(structure.maintainer, "id", None), structure.id)
    return out


def assert_same(
    original: common.MaintainableArtefact, returned: common.MaintainableArtefact
) -> None:
    """Fail with the differing fields when two artefacts differ."""
    a, b = summary(original), summary(returned)
    assert a == b, {k: (a.get(k), b.get(k)) for k in a.keys() | b.keys() if a.get(k) != b.get(k)}
