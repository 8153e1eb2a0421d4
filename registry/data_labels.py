"""Names for labelled data output: the dataflow's, its components' and its codes', in a language.

``code_labels`` gives what SDMX-CSV ``labels=both`` and SDMX-JSON ``name`` fields show, in the
languages the client prefers, built from the stored dataflow, the concept schemes its DSD uses
and its codelists, and kept per structure state, dataflow and languages in ``LABELS_CACHE`` (so a
structure write is seen by the next request). Code names are looked up when first asked for.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import cast

from sdmx.model import common
from sqlmodel import Session

from registry.catalog import Catalog
from registry.data_structures import FlowContext, StructureCache
from registry.io.data_out import Labels
from registry.structure_types import parse_urn

__all__ = ["LABELS_CACHE", "code_labels"]


def code_labels(session: Session, context: FlowContext, languages: Sequence[str] = ()) -> Labels:
    """The names labelled output shows (SDMX-CSV ``labels=both``, SDMX-JSON ``name`` fields).

    The dataflow's name, each dimension's and attribute's (the name of its concept in its
    concept scheme: sdmx1 2.1 components have no name of their own) and each code's, each in the
    first of ``languages`` (primary subtags, by preference) it has, else in English, else in any
    language it has; ``Labels.language`` is the language of the dataflow's name. The dataflow and
    the concept schemes are loaded once per structure state and language order: the labels are
    kept in ``LABELS_CACHE`` (a ``StructureCache``, the LRU ``flow_context`` uses too, keyed on the
    structure clock's marker, the dataflow and the languages), so any structure write makes the
    next call rebuild them. A code's name is looked up in its codelist when a writer first asks
    for it (then remembered with the labels), so no codelist is walked.
    """
    order = tuple(dict.fromkeys((*(tag.lower() for tag in languages), "en")))
    catalog = Catalog(session)
    marker = catalog.structure_marker()
    if marker is None:  # no clock row: nothing tells when structures change, so never cache
        return _build_labels(catalog, context, order)
    key = (marker, context.dataflow_urn, ",".join(order))
    found = LABELS_CACHE.get(key)
    if found is None:
        found = _build_labels(catalog, context, order)
        LABELS_CACHE.put(key, found)
    return found


#: Labels by (structure marker, dataflow URN, languages): see ``code_labels``.
LABELS_CACHE: StructureCache[Labels] = StructureCache(maxsize=64)


def _build_labels(catalog: Catalog, context: FlowContext, order: tuple[str, ...]) -> Labels:
    """The labels of ``code_labels``, read from the catalogue."""
    flow_name = _localised(catalog.load(context.dataflow_urn).name, order)
    dsd_urn = context.structures["datastructure"]
    scheme_urns = sorted(
        u for u in catalog.refs_from([dsd_urn]).get(dsd_urn, set()) if ".ConceptScheme=" in u
    )
    concepts: dict[str, common.Concept] = {}  # by AGENCY:SCHEME(VERSION).ID, and by ID
    for urn in scheme_urns:
        _type, agency, scheme_id, version = parse_urn(urn)
        for concept in cast(common.ItemScheme, catalog.load(urn)).items.values():
            concepts[f"{agency}:{scheme_id}({version}).{concept.id}"] = concept
            concepts.setdefault(concept.id, concept)
    components: dict[str, str] = {}
    dsd = context.dsd
    for component in (*dsd.dimensions.components, *dsd.attributes.components):
        concept = component.concept_identity
        if concept is None:
            continue
        scheme = concept.parent
        exact = (
            f"{scheme.maintainer.id}:{scheme.id}({scheme.version}).{concept.id}"
            if isinstance(scheme, common.ItemScheme) and scheme.maintainer is not None
            else concept.id
        )
        found = concepts.get(exact) or concepts.get(concept.id) or concept
        name = _localised(found.name, order)
        if name is not None:
            components[component.id] = name[0]
    codes: dict[str, Mapping[str, str]] = {}
    for component_id, ref in context.rules.codelists.items():
        codelist = context.codelists.get(f"urn:sdmx:org.sdmx.infomodel.codelist.Codelist={ref}")
        if codelist is not None:
            codes[component_id] = _CodeNames(codelist, order)
    return Labels(
        components=components,
        codes=codes,
        dataflow=flow_name[0] if flow_name else None,
        language=flow_name[1] if flow_name else order[0],
    )


def _localised(
    text: common.InternationalString | None, order: Sequence[str]
) -> tuple[str, str] | None:
    """(text, language) of ``text`` in the first language of ``order`` it has, else in any."""
    found = {
        lang.split("-")[0].lower(): value
        for lang, value in getattr(text, "localizations", {}).items()
        if value
    }
    for lang in order:
        if lang in found:
            return found[lang], lang
    return next(((value, lang) for lang, value in found.items()), None)


class _CodeNames(Mapping[str, str]):
    """Code id → name of one codelist, in the first language of ``order`` each code has; looked
    up on demand and remembered (shared by the requests ``LABELS_CACHE`` serves: a name may be
    looked up twice by two threads at once, to the same result)."""

    def __init__(self, codelist: common.Codelist, order: Sequence[str]) -> None:
        self._codelist = codelist
        self._order = order
        self._names: dict[str, str | None] = {}

    def _name(self, code_id: str) -> str | None:
        if code_id not in self._names:
            code = self._codelist.items.get(code_id)
            found = _localised(code.name, self._order) if code is not None else None
            self._names[code_id] = found[0] if found else None
        return self._names[code_id]

    def __getitem__(self, code_id: str) -> str:
        name = self._name(code_id)
        if name is None:
            raise KeyError(code_id)
        return name

    def __iter__(self) -> Iterator[str]:
        return (code_id for code_id in self._codelist.items if self._name(code_id) is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)
