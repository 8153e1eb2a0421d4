"""Shared helpers for the content definitions: names, annotations, maintainers, the final rule.

Every artefact is built as an ``sdmx.model.v21`` object. Names and descriptions are
``InternationalString`` values with the languages in a fixed order (en, fr, ar) so that the
written files are byte-stable.
"""

from __future__ import annotations

from collections.abc import Iterable

from sdmx.model import common, v21

#: Version of every artefact shipped in this release of the content.
VERSION = "1.0"

#: Finalisation rule (see README.md): content 1.0 is a draft until the institutions have
#: confirmed the "(verify)" items of DOMAIN.md, so nothing is final yet. The three organisation
#: schemes are fixed to isFinal=false by SDMX 2.1 whatever this flag says.
IS_FINAL = False

#: Language order of every InternationalString written.
LANGUAGES = ("en", "fr", "ar")


def text(en: str, fr: str | None = None, ar: str | None = None) -> common.InternationalString:
    """An InternationalString with the given languages, in the order en, fr, ar."""
    values = {"en": en, "fr": fr, "ar": ar}
    return common.InternationalString({k: values[k] for k in LANGUAGES if values[k]})


def annotation(type_: str, title: str | None = None, **texts: str) -> v21.Annotation:
    """An annotation with a type, an optional title and optional texts (en=…, fr=…)."""
    kw: dict = {"type": type_}
    if title is not None:
        kw["title"] = title
    if texts:
        kw["text"] = text(**texts)
    return v21.Annotation(**kw)


def agency(id_: str) -> common.Agency:
    """A maintainer reference: agencyID ``id_`` (e.g. ``MA`` or ``MA.HCP``)."""
    return common.Agency(id=id_)


#: The root agency of the Moroccan national statistical system (registered in SDMX:AGENCIES).
MA = agency("MA")
#: HCP, maintainer of every common structure.
HCP = agency("MA.HCP")


def maintainable_kw(id_: str, name: common.InternationalString, **kw) -> dict:
    """Keyword arguments shared by every maintainable artefact maintained by MA.HCP."""
    out = {
        "id": id_,
        "name": name,
        "version": VERSION,
        "maintainer": HCP,
        "is_final": IS_FINAL,
        "is_external_reference": False,
    }
    out.update(kw)
    return out


def codelist(
    id_: str,
    name: common.InternationalString,
    codes: Iterable[v21.Code],
    description: common.InternationalString | None = None,
    annotations: Iterable[v21.Annotation] = (),
) -> v21.Codelist:
    """A codelist maintained by MA.HCP, items appended in the given order."""
    kw = maintainable_kw(id_, name, annotations=list(annotations))
    if description is not None:
        kw["description"] = description
    cl = v21.Codelist(**kw)
    for code in codes:
        cl.append(code)
    return with_parents(cl)


def code(
    id_: str,
    en: str,
    fr: str | None = None,
    ar: str | None = None,
    *,
    description: common.InternationalString | None = None,
    annotations: Iterable[v21.Annotation] = (),
    parent: str | None = None,
) -> v21.Code:
    """A code. ``parent`` is the id of a code earlier in the same list (resolved on append)."""
    kw: dict = {"id": id_, "name": text(en, fr, ar), "annotations": list(annotations)}
    if description is not None:
        kw["description"] = description
    c = v21.Code(**kw)
    if parent is not None:
        c._parent_id = parent  # resolved by with_parents()
    return c


def with_parents(cl: v21.Codelist) -> v21.Codelist:
    """Resolve the ``parent=`` ids given to :func:`code` into sdmx1 parent/child links.

    Items must be listed in depth-first order (each child right after its parent and its
    parent's earlier children): that is the order sdmx1 gives them when it reads the file, so
    the file round-trips unchanged.
    """
    for c in cl.items.values():
        parent_id = c.__dict__.pop("_parent_id", None)
        if parent_id is not None:
            parent = cl[parent_id]
            c.parent = parent
            parent.child.append(c)

    def walk(items):
        for item in items:
            yield item.id
            yield from walk(item.child)

    roots = [c for c in cl.items.values() if not isinstance(c.parent, v21.Code)]
    if list(walk(roots)) != list(cl.items):
        raise ValueError(f"{cl.id}: list the codes in depth-first order of the hierarchy")
    return cl
