"""SDMX-ML 2.1 ``GenericMetadata``: reference-metadata reports in and out, as small frozen values.

``read_generic_metadata`` parses a GenericMetadata message safely with lxml (no DTD, no entities,
no network) into a ``MetadataMessage``: metadata sets (the metadataflow or MSD they use, the data
provider) holding ``MetadataReport`` values (report structure, target and its reference values,
reported attributes with their ``value``, multilingual ``common:Text`` or multilingual XHTML
``common:StructuredText``). ``write_generic_metadata`` writes sets back as one XSD-valid message and
``canonical_report`` writes one report as the deterministic message the registry stores and ships
in ``metadata/``, so reading then writing gives the same bytes. sdmx1 2.28 is not used here: its
writer drops ``xml:lang`` on StructuredText and cannot write ``common:Text``, and its reader mixes
up the languages of multilingual XHTML (see ``tests/test_metadata.py``).
"""

from __future__ import annotations

import copy
import pathlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lxml import etree

from registry.errors import InvalidMessageError, UnsupportedError
from registry.io import safexml
from registry.structure_types import BY_URN_CLASS

__all__ = [
    "MetadataMessage",
    "MetadataReport",
    "MetadataSet",
    "ReportedAttribute",
    "TargetValue",
    "canonical_report",
    "read_generic_metadata",
    "write_generic_metadata",
]

_V21 = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1"
XHTML = "http://www.w3.org/1999/xhtml"
_NS = {
    "mes": f"{_V21}/message",
    "com": f"{_V21}/common",
    "md": f"{_V21}/metadata/generic",
}
_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_CANONICAL_PREPARED = datetime(2000, 1, 1)
_HEADER_CLASSES = {"StructureUsage": "Metadataflow", "Structure": "MetadataStructure"}


def _q(tag: str) -> str:
    prefix, local = tag.split(":")
    return f"{{{_NS[prefix]}}}{local}"


@dataclass(frozen=True)
class ReportedAttribute:
    """One reported metadata attribute: a ``value``, texts or XHTML by language, and children.

    ``texts`` holds ``common:Text`` and ``xhtml`` ``common:StructuredText`` as (language, content)
    pairs in document order; XHTML content is serialised markup whose elements declare the XHTML
    namespace (``<p xmlns="http://www.w3.org/1999/xhtml">…</p>``).
    """

    id: str
    value: str | None = None
    texts: tuple[tuple[str, str], ...] = ()
    xhtml: tuple[tuple[str, str], ...] = ()
    children: tuple[ReportedAttribute, ...] = ()

    def text(self, lang: str) -> str | None:
        """The plain text in ``lang``, from ``texts`` or from the XHTML with tags removed."""
        for code, content in self.texts:
            if code == lang:
                return content
        for code, content in self.xhtml:
            if code == lang:
                return xhtml_text(content)
        return None


@dataclass(frozen=True)
class TargetValue:
    """A ``ReferenceValue`` of a report target: ``ObjectReference`` (a URN) or ``ReportPeriod``."""

    id: str
    kind: str
    value: str


@dataclass(frozen=True)
class MetadataReport:
    """One ``md:Report``: its report structure, metadata target, target values and attributes."""

    report_structure: str
    target: str
    values: tuple[TargetValue, ...]
    attributes: tuple[ReportedAttribute, ...]

    def attribute(self, id_: str) -> ReportedAttribute | None:
        """The first top-level reported attribute ``id_``, or None."""
        return next((a for a in self.attributes if a.id == id_), None)

    def values_of(self, id_: str) -> list[str]:
        """The ``value`` of every top-level reported attribute ``id_`` (repeatable ones)."""
        return [a.value for a in self.attributes if a.id == id_ and a.value is not None]


@dataclass(frozen=True)
class MetadataSet:
    """One ``MetadataSet``: the URN of its metadataflow (or MSD), its provider and reports.

    ``provider`` is ``AGENCY:PROVIDER_ID`` (e.g. ``MA.HCP:HCP``) or None.
    """

    structure_urn: str
    reports: tuple[MetadataReport, ...]
    provider: str | None = None
    set_id: str | None = None

    @property
    def structure_class(self) -> str:
        return self.structure_urn.split("=")[0].rsplit(".", 1)[-1]


@dataclass(frozen=True)
class MetadataMessage:
    """A GenericMetadata message: its header ID and metadata sets."""

    header_id: str | None
    sets: tuple[MetadataSet, ...]


# ── Reading ─────────────────────────────────────────────────────────────────────────────────────


def read_generic_metadata(source: bytes | pathlib.Path) -> MetadataMessage:
    """Read an SDMX-ML 2.1 GenericMetadata message (``InvalidMessageError`` if unusable)."""
    root = safexml.parse(safexml.read_source(source))
    if root.tag == _q("mes:StructureSpecificMetadata"):
        raise UnsupportedError(
            "Structure-specific metadata messages are not supported; send GenericMetadata."
        )
    if root.tag != _q("mes:GenericMetadata"):
        raise InvalidMessageError(
            f"Expected an SDMX-ML 2.1 GenericMetadata message, not <{etree.QName(root).localname}>"
            f" in namespace {etree.QName(root).namespace or '(none)'}."
        )
    header = root.find(_q("mes:Header"))
    if header is None:
        raise InvalidMessageError("The GenericMetadata message has no Header.")
    structures = {
        s.get("structureID", ""): _header_structure(s) for s in header.iterfind(_q("mes:Structure"))
    }
    header_provider = _provider(header.find(_q("mes:DataProvider")))
    sets = tuple(
        _metadata_set(s, structures, header_provider) for s in root.iterfind(_q("mes:MetadataSet"))
    )
    return MetadataMessage(header.findtext(_q("mes:ID")), sets)


def _header_structure(elem: etree._Element) -> str:
    for tag, cls in _HEADER_CLASSES.items():
        ref = elem.find(_q(f"com:{tag}"))
        if ref is not None:
            return _reference_urn(ref, cls)
    raise UnsupportedError(
        "Only metadata reported against a metadataflow (com:StructureUsage) or a metadata "
        "structure (com:Structure) is supported, not against a provision agreement."
    )


def _reference_urn(elem: etree._Element, cls: str) -> str:
    urn = elem.findtext("URN")
    if urn:
        return urn.strip()
    ref = elem.find("Ref")
    if ref is None or not ref.get("agencyID") or not ref.get("id"):
        raise InvalidMessageError(f"A {cls} reference needs a URN or a Ref with agencyID and id.")
    return BY_URN_CLASS[cls].urn(
        ref.get("agencyID", ""), ref.get("id", ""), ref.get("version", "1.0")
    )


def _provider(elem: etree._Element | None) -> str | None:
    if elem is None:
        return None
    ref = elem.find("Ref")
    if ref is not None and ref.get("agencyID") and ref.get("id"):
        return f"{ref.get('agencyID')}:{ref.get('id')}"
    urn = (elem.findtext("URN") or "").strip()
    m = re.fullmatch(
        r"urn:sdmx:org\.sdmx\.infomodel\.base\.DataProvider=([^:]+):[^.]+\(.*\)\.(.+)", urn
    )
    if not m:
        raise InvalidMessageError(f"Unreadable DataProvider reference {urn!r}.")
    return f"{m[1]}:{m[2]}"


def _metadata_set(
    elem: etree._Element, structures: dict[str, str], header_provider: str | None
) -> MetadataSet:
    ref = elem.get("structureRef", "")
    if ref not in structures:
        raise InvalidMessageError(
            f"MetadataSet structureRef={ref!r} names no Structure of the header "
            f"(declared: {', '.join(sorted(structures)) or 'none'})."
        )
    _refuse_annotations(elem, "a MetadataSet")
    provider = _provider(elem.find(_q("md:DataProvider"))) or header_provider
    reports = tuple(_report(r) for r in elem.iterfind(_q("md:Report")))
    if not reports:
        raise InvalidMessageError("A MetadataSet must hold at least one Report.")
    return MetadataSet(structures[ref], reports, provider, elem.get("setID"))


def _refuse_annotations(elem: etree._Element, where: str) -> None:
    if elem.find(_q("com:Annotations")) is not None:
        raise UnsupportedError(f"Annotations on {where} are not supported; remove them.")


def _report(elem: etree._Element) -> MetadataReport:
    _refuse_annotations(elem, "a metadata Report")
    target = elem.find(_q("md:Target"))
    attributes = elem.find(_q("md:AttributeSet"))
    if target is None or attributes is None:
        raise InvalidMessageError(f"Report {elem.get('id')!r} needs a Target and an AttributeSet.")
    return MetadataReport(
        report_structure=elem.get("id", ""),
        target=target.get("id", ""),
        values=tuple(_target_value(v) for v in target.iterfind(_q("md:ReferenceValue"))),
        attributes=_attribute_set(attributes),
    )


def _target_value(elem: etree._Element) -> TargetValue:
    id_ = elem.get("id", "")
    obj = elem.find(_q("md:ObjectReference"))
    if obj is not None:
        urn = (obj.findtext("URN") or "").strip()
        if not urn:
            raise InvalidMessageError(
                f"ReferenceValue {id_!r}: give the target object as a URN (<URN>…</URN>)."
            )
        return TargetValue(id_, "ObjectReference", urn)
    period = elem.find(_q("md:ReportPeriod"))
    if period is not None:
        return TargetValue(id_, "ReportPeriod", (period.text or "").strip())
    kind = etree.QName(elem[0]).localname if len(elem) else "nothing"
    raise UnsupportedError(
        f"ReferenceValue {id_!r} holds {kind}; only ObjectReference and ReportPeriod targets "
        "are supported."
    )


def _attribute_set(elem: etree._Element) -> tuple[ReportedAttribute, ...]:
    return tuple(_reported(a) for a in elem.iterfind(_q("md:ReportedAttribute")))


def _reported(elem: etree._Element) -> ReportedAttribute:
    id_ = elem.get("id", "")
    _refuse_annotations(elem, f"ReportedAttribute {id_!r}")
    texts = tuple((t.get(_LANG, "en"), t.text or "") for t in elem.iterfind(_q("com:Text")))
    xhtml = tuple(
        (t.get(_LANG, "en"), _inner_xhtml(t, id_)) for t in elem.iterfind(_q("com:StructuredText"))
    )
    children = elem.find(_q("md:AttributeSet"))
    return ReportedAttribute(
        id=id_,
        value=elem.get("value"),
        texts=texts,
        xhtml=xhtml,
        children=_attribute_set(children) if children is not None else (),
    )


def _inner_xhtml(elem: etree._Element, attr_id: str) -> str:
    """The content of a StructuredText as markup; whitespace between block elements dropped."""
    parts = [elem.text] if elem.text and elem.text.strip() else []
    for child in elem:
        if not isinstance(child.tag, str) or etree.QName(child).namespace != XHTML:
            raise InvalidMessageError(
                f"ReportedAttribute {attr_id!r}: StructuredText may only hold XHTML elements "
                f"(namespace {XHTML})."
            )
        fresh = copy.deepcopy(child)
        fresh.tail = None
        etree.cleanup_namespaces(fresh)
        parts.append(etree.tostring(fresh, encoding="unicode"))
        if child.tail and child.tail.strip():
            parts.append(child.tail)
    return "".join(parts)


def xhtml_text(markup: str) -> str:
    """The text of XHTML markup, tags removed and whitespace collapsed."""
    wrapper = etree.fromstring(
        f'<div xmlns="{XHTML}">{markup}</div>'.encode(),
        etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False),
    )
    return " ".join("".join(str(t) for t in wrapper.itertext()).split())


# ── Writing ─────────────────────────────────────────────────────────────────────────────────────


def canonical_report(report: MetadataReport, *, structure_urn: str, provider: str | None) -> bytes:
    """One report as a deterministic, pretty-printed GenericMetadata message (stored form)."""
    metadata_set = MetadataSet(structure_urn, (report,), provider)
    return write_generic_metadata(
        [metadata_set], header_id="CANONICAL", prepared=_CANONICAL_PREPARED, pretty=True
    )


def write_generic_metadata(
    sets: Iterable[MetadataSet],
    *,
    header_id: str,
    prepared: datetime,
    sender: str = "LMIS_REGISTRY",
    pretty: bool = False,
) -> bytes:
    """One SDMX-ML 2.1 GenericMetadata message holding ``sets`` (header Structure per URN)."""
    sets = list(sets)
    structure_ids: dict[str, str] = {}
    for s in sets:
        structure_ids.setdefault(s.structure_urn, _structure_id(s.structure_urn))
    root = _E("mes:GenericMetadata")
    header = _E("mes:Header")
    header.extend(
        [
            _E("mes:ID", text=header_id),
            _E("mes:Test", text="false"),
            _E("mes:Prepared", text=prepared.isoformat()),
            _E("mes:Sender", {"id": sender}),
        ]
    )
    for urn, sid in structure_ids.items():
        header.append(_header_structure_elem(urn, sid))
    root.append(header)
    for s in sets:
        root.append(_set_elem(s, structure_ids[s.structure_urn]))
    return etree.tostring(root, encoding="utf-8", xml_declaration=True, pretty_print=pretty)


def _E(tag: str, attrib: dict[str, str | None] | None = None, *, text: str | None = None) -> Any:
    prefix, _, local = tag.rpartition(":")
    elem = etree.Element(f"{{{_NS[prefix]}}}{local}" if prefix else local, nsmap=_NS)
    for key, value in (attrib or {}).items():
        if value is not None:
            elem.set(key, value)
    if text is not None:
        elem.text = text
    return elem


def _split_urn(urn: str) -> tuple[str, str, str, str]:
    m = re.fullmatch(r"urn:sdmx:org\.sdmx\.infomodel\.\w+\.(\w+)=([^:]+):([^(]+)\(([^)]+)\)", urn)
    if not m:
        raise ValueError(f"not a maintainable URN: {urn!r}")
    return m[1], m[2], m[3], m[4]


def _structure_id(urn: str) -> str:
    _, agency, id_, version = _split_urn(urn)
    return re.sub(r"[^A-Za-z0-9_]", "_", f"{agency}_{id_}_{version}")


def _header_structure_elem(urn: str, structure_id: str) -> Any:
    cls, agency, id_, version = _split_urn(urn)
    tag = {"Metadataflow": "StructureUsage", "MetadataStructure": "Structure"}.get(cls)
    if tag is None:
        raise ValueError(f"metadata sets refer to a metadataflow or an MSD, not {urn}")
    package = "metadatastructure"
    ref = _E("Ref", {"agencyID": agency, "id": id_, "version": version, "class": cls})
    ref.set("package", package)
    wrapper = _E(f"com:{tag}")
    wrapper.append(ref)
    elem = _E("mes:Structure", {"structureID": structure_id})
    elem.append(wrapper)
    return elem


def _set_elem(s: MetadataSet, structure_id: str) -> Any:
    elem = _E("mes:MetadataSet", {"structureRef": structure_id, "setID": s.set_id})
    if s.provider:
        agency, _, provider_id = s.provider.partition(":")
        ref = _E(
            "Ref",
            {
                "agencyID": agency,
                "maintainableParentID": "DATA_PROVIDERS",
                "maintainableParentVersion": "1.0",
                "id": provider_id,
            },
        )
        dp = _E("md:DataProvider")
        dp.append(ref)
        elem.append(dp)
    elem.extend(_report_elem(r) for r in s.reports)
    return elem


def _report_elem(report: MetadataReport) -> Any:
    elem = _E("md:Report", {"id": report.report_structure})
    target = _E("md:Target", {"id": report.target})
    for v in report.values:
        rv = _E("md:ReferenceValue", {"id": v.id})
        if v.kind == "ObjectReference":
            obj = _E("md:ObjectReference")
            obj.append(_E("URN", text=v.value))
            rv.append(obj)
        else:
            rv.append(_E("md:ReportPeriod", text=v.value))
        target.append(rv)
    elem.append(target)
    elem.append(_attribute_set_elem(report.attributes))
    return elem


def _attribute_set_elem(attributes: Sequence[ReportedAttribute]) -> Any:
    elem = _E("md:AttributeSet")
    elem.extend(_reported_elem(a) for a in attributes)
    return elem


def _reported_elem(attr: ReportedAttribute) -> Any:
    elem = _E("md:ReportedAttribute", {"id": attr.id, "value": attr.value})
    for lang, content in attr.texts:
        text = _E("com:Text", text=content)
        text.set(_LANG, lang)
        elem.append(text)
    for lang, markup in attr.xhtml:
        elem.append(_structured_text(lang, markup))
    if attr.children:
        elem.append(_attribute_set_elem(attr.children))
    return elem


def _structured_text(lang: str, markup: str) -> Any:
    elem = _E("com:StructuredText")
    elem.set(_LANG, lang)
    wrapper = etree.fromstring(
        f'<wrapper xmlns="{XHTML}">{markup}</wrapper>'.encode(),
        etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False),
    )
    elem.text = wrapper.text
    for child in list(wrapper):
        elem.append(child)
    return elem
