"""SDMX-ML for structures: submitted bytes in, sdmx1 objects out, and back to SDMX-ML 2.1.

``read_structures`` parses a submission (an SDMX-ML 2.1 or 3.0 ``Structure`` message, or a 2.1/3.0
``SubmitStructureRequest`` with inline structures) safely with lxml (no DTD, no entities, no
network), hands it to sdmx1 and converts every SDMX 3.0 object to its SDMX 2.1 equivalent so the
rest of the registry sees one model; every failure is an ``InvalidMessageError`` a statistician can
act on. ``canonical_xml``/``read_artefact`` store and re-hydrate one artefact as deterministic
SDMX-ML 2.1; ``write_structures`` writes XSD-valid structure messages (stubs and partial schemes
included); ``references`` lists the URNs an artefact points to; ``write_submit_structure_response``
and ``write_error`` write the registry's answers. sdmx1's writer lacks or gets wrong several 2.1
structures (provision agreements, structure sets, VTL schemes, ``validTo``, facets, XSD order), so
this module registers its own writer functions on ``sdmx.writer.xml.writer`` and fills a few
reader gaps on sdmx1's SDMX-ML parser tables at import, without forking sdmx1.
"""

from __future__ import annotations

import io
import pathlib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sdmx.reader.xml.v21 as _reader21
import sdmx.reader.xml.v30 as _reader30  # sdmx1 quirk: import before any data is read
from lxml import etree
from sdmx import message
from sdmx.model import common, v21, v30
from sdmx.reader.xml import Reader as _SdmxXmlReader
from sdmx.writer.xml import writer

from registry.errors import InvalidMessageError, UnsupportedError
from registry.io import safexml
from registry.results import ArtefactResult
from registry.structure_types import parse_urn, type_of, urn_of

__all__ = [
    "StructureSubmission",
    "canonical_xml",
    "read_artefact",
    "read_structures",
    "references",
    "write_error",
    "write_structures",
    "write_submit_structure_response",
]


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_SCHEMAS = "http://www.sdmx.org/resources/sdmxml/schemas"
_V21 = f"{_SCHEMAS}/v2_1"
_NS = {
    "mes": f"{_V21}/message",
    "str": f"{_V21}/structure",
    "com": f"{_V21}/common",
    "reg": f"{_V21}/registry",
}
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_ACTIONS = ("Append", "Replace", "Delete")

#: Children of ``message:Structures`` in the fixed order of the SDMX-ML 2.1 XSD (R-ML-03).
_CONTAINER_ORDER = _words(
    "OrganisationSchemes Dataflows Metadataflows CategorySchemes Categorisations Codelists "
    "HierarchicalCodelists Concepts MetadataStructures DataStructures StructureSets "
    "ReportingTaxonomies Processes Constraints ProvisionAgreements CustomTypes VtlMappings "
    "NamePersonalisations Rulesets Transformations UserDefinedOperators"
)

#: URN class of a maintainable → its container element in ``message:Structures``.
_CONTAINER = {
    "AgencyScheme": "OrganisationSchemes",
    "DataProviderScheme": "OrganisationSchemes",
    "DataConsumerScheme": "OrganisationSchemes",
    "Dataflow": "Dataflows",
    "Metadataflow": "Metadataflows",
    "CategoryScheme": "CategorySchemes",
    "Categorisation": "Categorisations",
    "Codelist": "Codelists",
    "HierarchicalCodelist": "HierarchicalCodelists",
    "ConceptScheme": "Concepts",
    "MetadataStructure": "MetadataStructures",
    "DataStructure": "DataStructures",
    "StructureSet": "StructureSets",
    "ContentConstraint": "Constraints",
    "ProvisionAgreement": "ProvisionAgreements",
    "CustomTypeScheme": "CustomTypes",
    "VtlMappingScheme": "VtlMappings",
    "NamePersonalisationScheme": "NamePersonalisations",
    "RulesetScheme": "Rulesets",
    "TransformationScheme": "Transformations",
    "UserDefinedOperatorScheme": "UserDefinedOperators",
}

_DATA_ROOTS = {
    "GenericData",
    "GenericTimeSeriesData",
    "StructureSpecificData",
    "StructureSpecificTimeSeriesData",
    "CompactData",
    "CrossSectionalData",
    "UtilityData",
}
_METADATA_ROOTS = {"GenericMetadata", "StructureSpecificMetadata", "MetadataReport"}


# ── Reading submissions ─────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class StructureSubmission:
    """The maintainable artefacts of one structure submission, as SDMX 2.1 sdmx1 objects."""

    action: str
    artefacts: tuple[common.MaintainableArtefact, ...]
    sdmx_version: str
    header_id: str | None


def read_structures(source: bytes | pathlib.Path) -> StructureSubmission:
    """Read an SDMX-ML 2.1/3.0 structure message or structure submission request."""
    data = safexml.read_source(source)
    root = safexml.parse(data)
    version, kind = _classify(root)
    action = "Append"
    if kind == "SubmitStructureRequest":
        action, data = _unwrap_submit_request(root)
    msg = _read_sdmx1(data)
    try:
        artefacts = _artefacts(msg, from_v30=version == "3.0")
    except (InvalidMessageError, UnsupportedError):
        raise
    except Exception as exc:  # a shape of sdmx1 objects this module does not expect
        raise InvalidMessageError(
            f"The structures could not be converted for storage: {type(exc).__name__}: {exc}."
        ) from None
    return StructureSubmission(action, artefacts, version, _header_id(root))


def _classify(root: etree._Element) -> tuple[str, str]:
    """(SDMX-ML version, root kind) of a structure message; InvalidMessageError otherwise."""
    qname = etree.QName(root)
    local, namespace = qname.localname, qname.namespace or ""
    match = re.fullmatch(
        r"http://www\.sdmx\.org/resources/sdmxml/schemas/v(\d)_(\d)/message", namespace, re.I
    )
    if not match:
        where = f" in namespace {namespace}" if namespace else " (no namespace)"
        raise InvalidMessageError(
            f"The document is not an SDMX-ML message: its root element is <{local}>{where}; "
            "a structure submission has root <message:Structure> (SDMX-ML 2.1 or 3.0)."
        )
    version = f"{match[1]}.{match[2]}"
    if version not in ("2.1", "3.0"):
        raise InvalidMessageError(
            f"SDMX-ML {version} is not supported: send SDMX-ML 2.1 or 3.0 structure messages."
        )
    return version, _kind(root, local, version)


def _kind(root: etree._Element, local: str, version: str) -> str:
    if local in ("Structure", "SubmitStructureRequest"):
        return local
    if local == "RegistryInterface":
        body = [etree.QName(e).localname for e in root if etree.QName(e).localname != "Header"]
        if body[:1] == ["SubmitStructureRequest"]:
            return "SubmitStructureRequest"
        what = f"a {body[0]}" if body else "no request"
        raise InvalidMessageError(
            f"The document is an SDMX-ML {version} RegistryInterface message with {what}, "
            "not a structure submission (SubmitStructureRequest)."
        )
    raise InvalidMessageError(
        f"The document is {_describe(local, version)}, not a structure message."
    )


def _describe(local: str, version: str) -> str:
    if local in _DATA_ROOTS:
        return f"an SDMX-ML {version} data message ({local}); send data to the data upload"
    if local in _METADATA_ROOTS:
        return f"an SDMX-ML {version} reference metadata message ({local})"
    if local.endswith("Query"):
        return f"an SDMX-ML {version} query message ({local})"
    if local == "Error":
        return f"an SDMX-ML {version} error message (Error)"
    return f"an SDMX-ML {version} {local} message"


def _unwrap_submit_request(root: etree._Element) -> tuple[str, bytes]:
    """(action, Structure message bytes) from a (RegistryInterface/)SubmitStructureRequest."""
    ns = etree.QName(root).namespace or ""
    base = ns.rsplit("/", 1)[0]
    request = root.find(f"{{{ns}}}SubmitStructureRequest")
    if request is None:
        raise InvalidMessageError("The SubmitStructureRequest message has no request body.")
    action = _request_action(request, base)
    if request.find(f"{{{base}/registry}}StructureLocation") is not None:
        raise UnsupportedError(
            "This registry does not fetch remote structures (StructureLocation): put the "
            "structures inline, in <structure:Structures>, or POST the Structure message itself."
        )
    structures = request.find(f"{{{base}/structure}}Structures")
    if structures is None:
        raise InvalidMessageError("The SubmitStructureRequest holds no <structure:Structures>.")
    return action, _as_structure_message(root, structures, ns)


def _request_action(request: etree._Element, base: str) -> str:
    action = request.get("action", "Append")
    overrides = {
        e.get("action", action) for e in request.iterfind(f"{{{base}/registry}}SubmittedStructure")
    }
    if action == "Information" or overrides - {action}:
        raise UnsupportedError(
            "Only one action per request is supported (Append, Replace or Delete for all "
            "structures, without per-structure SubmittedStructure overrides or Information)."
        )
    if action not in _ACTIONS:
        raise InvalidMessageError(f"Unknown SubmitStructureRequest action {action!r}.")
    return action


def _as_structure_message(root: etree._Element, structures: etree._Element, ns: str) -> bytes:
    """Re-wrap inline ``structure:Structures`` into a ``message:Structure`` for sdmx1."""
    nsmap: dict[Any, str] = {**root.nsmap, "mes": ns}
    out = etree.Element(f"{{{ns}}}Structure", nsmap=nsmap)
    header = root.find(f"{{{ns}}}Header")
    if header is not None:
        out.append(_copy(header))
    body = etree.SubElement(out, f"{{{ns}}}Structures")
    body.extend(_copy(child) for child in structures)
    return etree.tostring(out, encoding="utf-8", xml_declaration=True)


def _copy(elem: etree._Element) -> etree._Element:
    return etree.fromstring(etree.tostring(elem))


def _header_id(root: etree._Element) -> str | None:
    ns = etree.QName(root).namespace
    text = root.findtext(f"{{{ns}}}Header/{{{ns}}}ID")
    return text.strip() if text and text.strip() else None


def _read_sdmx1(data: bytes) -> message.StructureMessage:
    try:
        msg = _SdmxXmlReader().convert(io.BytesIO(data))
    except Exception as exc:  # sdmx1 raises many types; report what it said
        raise InvalidMessageError(
            f"The structure message could not be read: {_explain(exc)}."
        ) from None
    if not isinstance(msg, message.StructureMessage):
        raise InvalidMessageError("The document is not a structure message.")
    return msg


def _explain(exc: BaseException) -> str:
    cause = exc.__cause__ or exc
    detail = f"{type(cause).__name__}: {cause}" if str(cause) else type(cause).__name__
    return f"sdmx1 said {detail}"


def _artefacts(
    msg: message.StructureMessage, *, from_v30: bool
) -> tuple[common.MaintainableArtefact, ...]:
    seen: dict[int, common.MaintainableArtefact] = {}
    for obj in msg.iter_objects(external_reference=False):
        seen.setdefault(id(obj), obj)
    converter = _V30Converter(msg) if from_v30 else None
    out = []
    for obj in seen.values():
        _check_identity(obj)
        artefact = converter.convert(obj) if converter else obj
        if from_v30:
            _stability_from_version(artefact)
        out.append(_finish(artefact, msg))
    return tuple(out)


def _check_identity(obj: Any) -> None:
    if not _is_set(obj) or not _agency(obj):
        name = getattr(obj, "name", None) or ""
        raise InvalidMessageError(
            f"A {type(obj).__name__} {str(name)!r} in the message has no id or no agencyID: "
            "every maintainable artefact needs both (check how it is nested in the message)."
        )


def _finish(obj: Any, msg: message.StructureMessage | None) -> Any:
    """Normalise an artefact: bool flags, str version, no sdmx1 parse errors left inside."""
    obj.is_final = bool(obj.is_final)
    obj.is_external_reference = bool(obj.is_external_reference)
    obj.version = str(obj.version) if obj.version else "1.0"
    if isinstance(obj, common.ItemScheme):
        obj.is_partial = _is_true(obj.is_partial)
    _default_reference_versions(obj)
    if isinstance(obj, v21.DataStructureDefinition):
        _check_resolved(obj)
        _fix_measure_dimensions(obj, msg)
    return obj


def _default_reference_versions(obj: Any) -> None:
    """A reference without version means 1.0 (SDMX 2.1): say so on the referenced stubs."""
    for target in _referenced(obj):
        if isinstance(target, common.Item):
            target = target.get_scheme()
        if isinstance(target, common.MaintainableArtefact) and not target.version:
            target.version = "1.0"


def _is_true(value: Any) -> bool:
    return value is True or str(value).lower() == "true"


def _check_resolved(dsd: v21.DataStructureDefinition) -> None:
    """sdmx1 turns unresolvable concept references into an annotation; refuse them instead."""
    problems = [
        f"component {component.id}: {annotation.text}"
        for component in _components(dsd)
        for annotation in component.annotations
        if str(annotation.id or "").endswith("-parse-error")
    ]
    if problems:
        raise InvalidMessageError(
            f"Data structure {dsd.maintainer}:{dsd.id}({dsd.version}) refers to concepts that "
            "the concept scheme given in the same message does not contain: "
            + "; ".join(problems)
            + ". Submit the complete concept scheme, or leave it out of the message."
        )


def _components(dsd: Any) -> list[Any]:
    return [
        *dsd.dimensions.components,
        *dsd.attributes.components,
        *dsd.measures.components,
    ]


def _fix_measure_dimensions(
    dsd: v21.DataStructureDefinition, msg: message.StructureMessage | None
) -> None:
    """A MeasureDimension is enumerated by a concept scheme; sdmx1 guesses a codelist."""
    for dim in dsd.dimensions.components:
        rep: Any = dim.local_representation
        enumerated = getattr(rep, "enumerated", None)
        if isinstance(dim, v21.MeasureDimension) and isinstance(enumerated, common.Codelist):
            rep.enumerated = _concept_scheme_like(enumerated, msg)


def _concept_scheme_like(cl: common.Codelist, msg: message.StructureMessage | None) -> Any:
    for cs in msg.concept_scheme.values() if msg else ():
        if (cs.id, _agency(cs), cs.version) == (cl.id, _agency(cl), cl.version):
            return cs
    return common.ConceptScheme(
        id=cl.id, maintainer=cl.maintainer, version=cl.version, is_external_reference=True
    )


def _stability_from_version(obj: Any) -> None:
    """SDMX 3.0 has no isFinal: a semantic version without extension (1.2.3) is stable."""
    obj.is_final = bool(re.fullmatch(r"\d+\.\d+\.\d+", str(obj.version or "")))


# ── SDMX 3.0 → SDMX 2.1 ─────────────────────────────────────────────────────────────────────────


class _V30Converter:
    """Turns sdmx.model.v30 objects into their sdmx.model.v21 equivalents (memoised)."""

    def __init__(self, msg: message.StructureMessage) -> None:
        self.msg = msg
        self.done: dict[int, Any] = {}

    def convert(self, obj: Any) -> Any:
        if id(obj) not in self.done:
            self.done[id(obj)] = self._convert(obj)
        return self.done[id(obj)]

    def _convert(self, obj: Any) -> Any:
        for cls, method in self._methods():
            if isinstance(obj, cls):
                return method(obj)
        if isinstance(obj, _UNSUPPORTED_V30):
            raise UnsupportedError(
                f"SDMX 3.0 {type(obj).__name__} {obj.id!r} has no SDMX 2.1 equivalent and "
                "cannot be stored by this registry."
            )
        _convert_annotations(obj)
        return self._refresh_refs(obj)

    def _methods(self) -> list[tuple[type, Callable[[Any], Any]]]:
        return [
            (v30.Dataflow, self._dataflow),
            (v30.DataStructureDefinition, self._dsd),
            (v30.DataConstraint, self._constraint),
            (v30.GeoCodelist, self._codelist),
            (v30.ValueList, self._valuelist),
            (v30.Hierarchy, self._hierarchy),
        ]

    def _refresh_refs(self, obj: Any) -> Any:
        """Common classes (codelists, schemes, agreements…) may point at v30 objects."""
        if isinstance(obj, common.Categorisation) and obj.artefact is not None:
            obj.artefact = self.ref(obj.artefact)
        if isinstance(obj, common.ProvisionAgreement) and obj.structure_usage is not None:
            obj.structure_usage = self.ref(obj.structure_usage)
        if isinstance(obj, common.ConceptScheme):
            for concept in obj:
                concept.core_representation = self.rep(concept.core_representation)
        if isinstance(obj, common.Codelist) and getattr(obj, "extends", None):
            self._flatten_extensions(obj)
        if isinstance(obj, common.VTLMappingScheme):
            for mapping in obj:
                if isinstance(mapping, common.VTLDataflowMapping) and mapping.dataflow_alias:
                    mapping.dataflow_alias = self.ref(mapping.dataflow_alias)
        return obj

    def _flatten_extensions(self, obj: common.Codelist) -> None:
        """2.1 has no codelist extension: copy in the selected codes of the extended lists.

        Lost: the extension link itself (its prefix and selections are applied, not kept).
        """
        holder: Any = obj  # sdmx1 sets ``extends`` outside its Codelist dataclass fields
        extensions: list[Any] = holder.extends
        own = list(obj)
        obj.items = {}
        for ext in sorted(extensions, key=lambda e: e.sequence or 0):
            base = self._extended(obj, ext.extends)
            for code in _selected_codes(base, ext.selection):
                _add_code(obj, code, prefix=ext.prefix or "")
        for code in own:  # the extending list's own codes win over inherited ones
            obj.items.pop(code.id, None)
            obj.items[code.id] = code
        holder.extends = []

    def _extended(self, obj: common.Codelist, target: Any) -> common.Codelist:
        key = _identity_of(target)
        for candidate in self.msg.codelist.values():
            if not candidate.is_external_reference and _identity_of(candidate) == key:
                return candidate
        raise UnsupportedError(
            f"Codelist {obj.maintainer}:{obj.id}({obj.version}) extends {':'.join(key)} which "
            "is not in the message: submit both together so that the extension can be "
            "flattened into an SDMX 2.1 codelist."
        )

    def ref(self, obj: Any) -> Any:
        """A referenced object: converted if it is a v30 artefact, else unchanged."""
        if isinstance(obj, (v30.Dataflow, v30.DataStructureDefinition)) and (
            obj.is_external_reference
        ):
            return self._stub(obj)
        if isinstance(obj, (v30.GeoCodelist, v30.ValueList)) and obj.is_external_reference:
            return _stub_of(common.Codelist, obj)
        if isinstance(obj, (v30.Dataflow, v30.DataStructureDefinition, v30.DataConstraint)):
            return self.convert(obj)
        return obj

    def _stub(self, obj: Any) -> Any:
        cls = (
            v21.DataflowDefinition if isinstance(obj, v30.Dataflow) else v21.DataStructureDefinition
        )
        if id(obj) not in self.done:
            self.done[id(obj)] = _stub_of(cls, obj)
        return self.done[id(obj)]

    def rep(self, rep: common.Representation | None) -> common.Representation | None:
        """Enumerations by value lists/geo codelists become codelists; 3.0-only types → String."""
        if rep is None:
            return None
        if rep.enumerated is not None:
            rep.enumerated = self.ref(rep.enumerated)
        for facet in rep.non_enumerated:
            # Lost: the geospatial text type (2.1 has none) and 3.0 sentinel values.
            if getattr(facet.value_type, "name", "") == "geospatialInformation":
                facet.value_type = common.FacetValueType.string
            facet.type.sentinel_values = None
        return rep

    def _dataflow(self, obj: v30.Dataflow) -> v21.DataflowDefinition:
        # Nothing is lost: a 3.0 dataflow is a 2.1 dataflow.
        out = v21.DataflowDefinition(**_maintainable_fields(obj))
        out.structure = self.ref(obj.structure)
        return out

    def _dsd(self, obj: v30.DataStructureDefinition) -> v21.DataStructureDefinition:
        # Lost: the measure's own id (2.1 fixes OBS_VALUE) and usage, MetadataAttributeUsage
        # components, the link to a metadata structure, which measures a MeasureRelationship
        # names, and 3.0 multi-valued/complex attribute representations.
        measures = list(obj.measures.components)
        if len(measures) > 1:
            raise InvalidMessageError(
                f"Data structure {obj.maintainer}:{obj.id}({obj.version}) has "
                f"{len(measures)} measures ({', '.join(m.id for m in measures)}); SDMX 2.1 "
                "storage allows one primary measure (OBS_VALUE). Split the structure or submit "
                "it with a single measure."
            )
        out = v21.DataStructureDefinition(**_maintainable_fields(obj))
        for dim in obj.dimensions.components:
            self._component(dim)
            if isinstance(dim, common.TimeDimension) and dim.local_representation is None:
                dim.local_representation = _time_representation()
        out.dimensions = obj.dimensions
        out.group_dimensions = obj.group_dimensions
        out.attributes = self._attributes(obj)
        if measures:
            out.measures = v21.MeasureDescriptor(components=[self._measure(measures[0])])
        _convert_annotations(out.dimensions)
        return out

    def _component(self, component: Any) -> Any:
        _convert_annotations(component)
        component.local_representation = self.rep(component.local_representation)
        return component

    def _attributes(self, obj: v30.DataStructureDefinition) -> common.AttributeDescriptor:
        kept = [
            self._attribute(a)
            for a in obj.attributes.components
            if not isinstance(a, v30.MetadataAttributeUsage)
        ]
        return common.AttributeDescriptor(id=obj.attributes.id, components=kept)

    def _attribute(self, attr: common.DataAttribute) -> common.DataAttribute:
        self._component(attr)
        # 3.0 usage="optional" (the default) is 2.1 Conditional.
        attr.usage_status = attr.usage_status or common.UsageStatus.conditional
        attr.related_to = _relationship(attr.related_to)
        return attr

    def _measure(self, measure: v30.Measure) -> v21.PrimaryMeasure:
        self._component(measure)
        return v21.PrimaryMeasure(
            id="OBS_VALUE",
            annotations=measure.annotations,
            concept_identity=measure.concept_identity,
            local_representation=measure.local_representation,
        )

    def _constraint(self, obj: v30.DataConstraint) -> v21.ContentConstraint:
        # Lost: validFrom/validTo of keys and values, removePrefix.
        out = v21.ContentConstraint(**_maintainable_fields(obj), role=obj.role)
        out.content = {self.ref(c) for c in obj.content}
        out.data_content_region = [_cube_region(cr) for cr in obj.data_content_region]
        if obj.data_content_keys is not None:
            out.data_content_keys = _data_key_set(obj.data_content_keys)
        return out

    def _codelist(self, obj: v30.GeoCodelist) -> common.Codelist:
        # Lost: the geographic feature set values, grid cells and the grid definition.
        out = common.Codelist(**_maintainable_fields(obj), is_partial=obj.is_partial)
        _copy_items(obj, out)
        return out

    def _valuelist(self, obj: v30.ValueList) -> common.Codelist:
        # Nothing is lost, but ValueItem ids need not be valid 2.1 code ids (e.g. "€").
        out = common.Codelist(**_maintainable_fields(obj))
        ids = [item.id for item in obj.items]
        if twice := sorted({i for i in ids if ids.count(i) > 1}):
            raise InvalidMessageError(
                f"Value list {obj.maintainer}:{obj.id}({obj.version}) has the value id(s) "
                f"{', '.join(twice)} more than once; ids must be unique."
            )
        for item in obj.items:
            _convert_annotations(item)
            out.append(
                common.Code(
                    id=item.id,
                    name=item.name,
                    description=item.description,
                    annotations=item.annotations,
                )
            )
        return out

    def _hierarchy(self, obj: v30.Hierarchy) -> v21.HierarchicalCodelist:
        # Lost: HierarchyAssociation (links to the artefacts using the hierarchy).
        for code in _walk_codes(obj.codes.values()):
            _convert_annotations(code)
        hierarchy = v21.Hierarchy(
            id=obj.id,
            name=obj.name,
            description=obj.description,
            has_formal_levels=obj.has_formal_levels,
            codes=obj.codes,
            level=obj.level,
        )
        out = v21.HierarchicalCodelist(**_maintainable_fields(obj))
        out.hierarchy = [hierarchy]
        return out


_UNSUPPORTED_V30 = (
    v30.MetadataStructureDefinition,
    v30.Metadataflow,
    v30.MetadataConstraint,
    v30.HierarchyAssociation,
    v30.MetadataProviderScheme,
)


def _maintainable_fields(obj: Any) -> dict[str, Any]:
    _convert_annotations(obj)
    return {
        "id": obj.id,
        "name": obj.name,
        "description": obj.description,
        "annotations": obj.annotations,
        "maintainer": obj.maintainer,
        "version": obj.version,
        "valid_from": obj.valid_from,
        "valid_to": obj.valid_to,
        "is_final": obj.is_final,
        "is_external_reference": obj.is_external_reference,
    }


def _stub_of(cls: type, obj: Any) -> Any:
    return cls(
        id=obj.id, maintainer=obj.maintainer, version=obj.version, is_external_reference=True
    )


def _convert_annotations(obj: Any) -> None:
    """v30.Annotation → v21.Annotation, on the object and, for item schemes, on its items.

    Lost: the 3.0 non-localised annotation ``value`` (2.1 has no AnnotationValue).
    """
    targets = [obj, *obj] if isinstance(obj, common.ItemScheme) else [obj]
    for target in targets:
        annotations = getattr(target, "annotations", None)
        if annotations:
            target.annotations = [_v21_annotation(a) for a in annotations]


def _v21_annotation(a: common.BaseAnnotation) -> v21.Annotation:
    if isinstance(a, v21.Annotation):
        return a
    return v21.Annotation(id=a.id, title=a.title, type=a.type, url=a.url, text=a.text)


def _relationship(rel: common.AttributeRelationship | None) -> common.AttributeRelationship:
    if isinstance(rel, (v30.ObservationRelationship, v30.MeasureRelationship)):
        return v21.PrimaryMeasureRelationship()
    if rel is None or isinstance(rel, v30.DataflowRelationship):
        return v21.NoSpecifiedRelationship()
    return rel


def _time_representation() -> common.Representation:
    fvt = common.FacetValueType.observationalTimePeriod
    return common.Representation(non_enumerated=[common.Facet(value_type=fvt)])


def _cube_region(cr: common.CubeRegion) -> common.CubeRegion:
    member: dict[Any, Any] = {
        component: v21.MemberSelection(
            values_for=ms.values_for,
            included=ms.included,
            values=[_selection_value(v) for v in ms.values],
        )
        for component, ms in cr.member.items()
    }
    return common.CubeRegion(included=_is_true(cr.included), member=member)


def _selection_value(value: Any) -> Any:
    if isinstance(value, common.BaseMemberValue):
        return v21.MemberValue(value=value.value, cascade_values=value.cascade_values)
    if isinstance(value, v30.RangePeriod):
        start: Any = value.start
        return v21.RangePeriod(start=start, end=value.end)  # type: ignore[arg-type]
    if isinstance(value, v30.BeforePeriod):
        return v21.BeforePeriod(is_inclusive=value.is_inclusive, period=value.period)
    if isinstance(value, v30.AfterPeriod):
        return v21.AfterPeriod(is_inclusive=value.is_inclusive, period=value.period)
    return value


def _data_key_set(dks: Any) -> v21.DataKeySet:
    keys: list[Any] = [v21.DataKey(included=k.included, key_value=k.key_value) for k in dks.keys]
    return v21.DataKeySet(included=dks.included, keys=keys)


def _copy_items(source: common.ItemScheme, target: common.ItemScheme) -> None:
    """Plain Codes with the ids, names, descriptions, annotations and parents of `source`."""
    codes = {}
    for item in source:
        _convert_annotations(item)
        codes[item.id] = common.Code(
            id=item.id,
            name=item.name,
            description=item.description,
            annotations=item.annotations,
        )
    for item in source:
        if isinstance(item.parent, common.Item) and item.parent.id in codes:
            codes[item.parent.id].append_child(codes[item.id])
    for code in codes.values():
        target.append(code)


def _identity_of(target: Any) -> tuple[str, str, str]:
    """(agency, id, version) of a maintainable object or of its URN."""
    if isinstance(target, common.MaintainableArtefact):
        return (_agency(target) or "", target.id, _version(target))
    _, agency, id_, version = parse_urn(str(target))
    return (agency, id_, version)


def _selected_codes(base: common.Codelist, selection: Any) -> list[common.Code]:
    """Codes of `base` kept by an inclusive/exclusive selection (``%`` is a wildcard)."""
    if selection is None:
        return list(base)
    patterns = [
        (re.compile(re.escape(mv.value).replace("%", ".*")), bool(mv.cascade_values))
        for mv in selection.mv
    ]

    def hit(code: Any) -> bool:
        if any(p.fullmatch(code.id) for p, _ in patterns):
            return True
        parent = code.parent
        while isinstance(parent, common.Code):  # cascade: a selected ancestor selects
            if any(p.fullmatch(parent.id) for p, cascade in patterns if cascade):
                return True
            parent = parent.parent
        return False

    inclusive = isinstance(selection, v30.InclusiveCodeSelection)
    return [code for code in base if hit(code) is inclusive]


def _add_code(target: common.Codelist, code: common.Code, *, prefix: str) -> None:
    copy = common.Code(
        id=prefix + code.id,
        name=code.name,
        description=code.description,
        annotations=[_v21_annotation(a) for a in code.annotations],
    )
    parent = code.parent
    if isinstance(parent, common.Code) and prefix + parent.id in target.items:
        target.items[prefix + parent.id].append_child(copy)
    target.items.pop(copy.id, None)
    target.append(copy)


def _walk_codes(codes: Iterable[common.HierarchicalCode]) -> Iterator[common.HierarchicalCode]:
    for code in codes:
        yield code
        yield from _walk_codes(code.child)


# ── Canonical form and re-hydration ─────────────────────────────────────────────────────────────

_CANONICAL_PREPARED = datetime(2000, 1, 1)


def canonical_xml(artefact: common.MaintainableArtefact) -> bytes:
    """One artefact as a deterministic, pretty-printed SDMX-ML 2.1 Structure message."""
    return write_structures(
        [artefact], header_id="CANONICAL", prepared=_CANONICAL_PREPARED, pretty=True
    )


def read_artefact(xml: bytes) -> common.MaintainableArtefact:
    """The artefact of a ``canonical_xml`` document (trusted input: no safety parse)."""
    msg = _read_sdmx1(xml)
    found = list({id(o): o for o in msg.iter_objects(external_reference=False)}.values())
    if len(found) != 1:
        raise InvalidMessageError(
            f"A stored structure document must hold exactly one artefact, not {len(found)}."
        )
    return _finish(found[0], msg)


# ── Writing structure messages ──────────────────────────────────────────────────────────────────


def write_structures(
    artefacts: Iterable[common.MaintainableArtefact],
    *,
    header_id: str,
    prepared: datetime,
    sender: str = "LMIS_REGISTRY",
    pretty: bool = False,
) -> bytes:
    """One SDMX-ML 2.1 Structure message with `artefacts`, containers in XSD order."""
    root = _E("mes:Structure")
    root.append(_header(header_id, prepared, sender))
    root.append(_structures(artefacts))
    return etree.tostring(root, encoding="utf-8", xml_declaration=True, pretty_print=pretty)


def _header(header_id: str, prepared: datetime, sender: str) -> etree._Element:
    return _E(
        "mes:Header",
        None,
        _E("mes:ID", text=header_id),
        _E("mes:Test", text="false"),
        _E("mes:Prepared", text=prepared.isoformat()),
        _E("mes:Sender", {"id": sender}),
    )


def _structures(artefacts: Iterable[common.MaintainableArtefact]) -> etree._Element:
    containers: dict[str, etree._Element] = {}
    for artefact in artefacts:
        name = _CONTAINER[type_of(artefact).urn_class]
        if name not in containers:
            containers[name] = _E(f"str:{name}")
        containers[name].append(writer.recurse(artefact))
    body = _E("mes:Structures")
    body.extend(containers[name] for name in _CONTAINER_ORDER if name in containers)
    return body


@writer
def _structure_message(obj: message.StructureMessage) -> etree._Element:
    """Replaces sdmx1's writer, which misorders containers and skips several collections."""
    root = _E("mes:Structure")
    root.append(writer.recurse(obj.header))
    root.append(_structures(obj.iter_objects(external_reference=False)))
    return root


# Element helpers


def _E(
    tag: str,
    attrib: Mapping[str, Any] | None = None,
    *children: etree._Element | None,
    text: str | None = None,
) -> etree._Element:
    """An element `prefix:Name` (or an unqualified one) with non-None attributes/children."""
    prefix, _, local = tag.rpartition(":")
    elem = etree.Element(f"{{{_NS[prefix]}}}{local}" if prefix else local, nsmap=_NS)
    for key, value in (attrib or {}).items():
        if value is not None:
            elem.set(key, _text(value))
    elem.extend(c for c in children if c is not None)
    if text is not None:
        elem.text = text
    return elem


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _localised(tag: str, istring: Any) -> list[etree._Element]:
    """One element per language, sorted by language for a deterministic output."""
    items = sorted(getattr(istring, "localizations", {}).items())
    return [_E(tag, {_XML_LANG: lang}, text=value) for lang, value in items]


def _annotations(obj: Any) -> etree._Element | None:
    annotations = getattr(obj, "annotations", None) or []
    return _E("com:Annotations", None, *map(_annotation, annotations)) if annotations else None


@writer
def _annotation(obj: common.BaseAnnotation) -> etree._Element:
    """Replaces sdmx1's writer, which drops AnnotationURL."""
    elem = _E("com:Annotation", {"id": obj.id})
    for tag, value in (("Title", obj.title), ("Type", obj.type), ("URL", obj.url)):
        if value:
            elem.append(_E(f"com:Annotation{tag}", text=str(value)))
    elem.extend(_localised("com:AnnotationText", obj.text))
    return elem


def _nameable(obj: Any) -> list[etree._Element | None]:
    return [
        _annotations(obj),
        *_localised("com:Name", obj.name),
        *_localised("com:Description", obj.description),
    ]


def _agency(obj: Any) -> str | None:
    return getattr(obj.maintainer, "id", None)


def _version(obj: Any) -> str:
    return str(obj.version) if obj.version else "1.0"


def _maintainable(obj: Any, *children: etree._Element | None, **extra: Any) -> etree._Element:
    """``str:<Class>`` with the maintainable attributes (fixes sdmx1's validTo bug)."""
    attrib = {
        "id": obj.id,
        "urn": urn_of(obj),
        "uri": obj.uri,
        "agencyID": _agency(obj),
        "version": _version(obj),
        "isFinal": bool(obj.is_final),
        "isExternalReference": bool(obj.is_external_reference),
        "validFrom": obj.valid_from,
        "validTo": obj.valid_to,
        "structureURL": obj.structure_url,
        "serviceURL": obj.service_url,
        **extra,
    }
    return _E(f"str:{type_of(obj).urn_class}", attrib, *_nameable(obj), *children)


def _is_set(obj: Any) -> bool:
    """A real (possibly stub) object, not sdmx1's empty default or an unresolved reference."""
    return (
        isinstance(obj, common.IdentifiableArtefact)
        and bool(obj.id)
        and not isinstance(obj.id, type(common.MissingID))
    )


# References

_ITEM_CLASS = {
    common.VTLDataflowMapping: "VtlMapping",
    common.VTLConceptMapping: "VtlMapping",
    common.VTLMapping: "VtlMapping",
}


def _item_class(item: Any) -> str:
    return _ITEM_CLASS.get(type(item), type(item).__name__)


def _item_path(item: Any) -> str:
    """The id of an item, dotted through its ancestors in nested schemes (categories)."""
    if isinstance(item, (common.Category, v21.ReportingCategory)):
        return str(item.hierarchical_id)
    return str(item.id)


def _ref(target: Any, tag: str, *, cls: str | None = None, package: str | None = None) -> Any:
    """``<tag><Ref …/></tag>`` for a maintainable artefact or an item of a scheme."""
    return _E(tag, None, _E("Ref", _ref_attrib(target, cls, package)))


def _ref_attrib(target: Any, cls: str | None, package: str | None) -> dict[str, Any]:
    if isinstance(target, common.MaintainableArtefact):
        kind = type_of(target)
        return {
            "agencyID": _agency(target),
            "id": target.id,
            "version": _version(target),
            "class": cls or kind.urn_class,
            "package": package or kind.package,
        }
    scheme = target.get_scheme() if isinstance(target, common.Item) else None
    if not isinstance(scheme, common.ItemScheme):
        raise ValueError(f"cannot write a reference to {target!r}: it belongs to no scheme")
    return {
        "agencyID": _agency(scheme),
        "maintainableParentID": scheme.id,
        "maintainableParentVersion": _version(scheme),
        "id": _item_path(target),
        "class": cls or _item_class(target),
        "package": package or type_of(scheme).package,
    }


def _local_ref(tag: str, ref_id: str) -> etree._Element:
    return _E(tag, None, _E("Ref", {"id": ref_id}))


# Representations and facets

_FACET_ATTRS = {
    "is_sequence": "isSequence",
    "interval": "interval",
    "start_value": "startValue",
    "end_value": "endValue",
    "time_interval": "timeInterval",
    "start_time": "startTime",
    "end_time": "endTime",
    "min_length": "minLength",
    "max_length": "maxLength",
    "min_value": "minValue",
    "max_value": "maxValue",
    "decimals": "decimals",
    "pattern": "pattern",
}
#: sdmx1 enumeration names that are not the XSD name with a capital first letter.
_TEXT_TYPE_SPECIAL = {"uri": "URI", "timesRange": "TimeRange", "Xhtml": "XHTML"}
_TIME_TYPES = frozenset(
    _words(
        "ObservationalTimePeriod StandardTimePeriod BasicTimePeriod GregorianTimePeriod "
        "GregorianYear GregorianYearMonth GregorianDay ReportingTimePeriod ReportingYear "
        "ReportingSemester ReportingTrimester ReportingQuarter ReportingMonth ReportingWeek "
        "ReportingDay DateTime TimeRange"
    )
)
#: textType values allowed in an EnumerationFormat (CodeDataType).
_CODED_TYPES = frozenset(
    _words(
        "String Alpha AlphaNumeric Numeric BigInteger Integer Long Short Boolean URI Count "
        "InclusiveValueRange ExclusiveValueRange Incremental Month MonthDay Day Duration"
    )
) | (_TIME_TYPES - {"DateTime", "TimeRange"})


def _text_type(facet: common.Facet | None) -> str | None:
    name = getattr(getattr(facet, "value_type", None), "name", None)
    if not name:
        return None
    return _TEXT_TYPE_SPECIAL.get(name, name[0].upper() + name[1:])


def _facet_attrib(facet: common.Facet | None, *, mode: str = "text") -> dict[str, Any]:
    """Attributes of TextFormat/EnumerationFormat; `mode` applies the XSD restrictions."""
    text_type = _text_type(facet)
    attrib: dict[str, Any] = {"textType": text_type}
    if facet is not None:
        for name, xml_name in _FACET_ATTRS.items():
            attrib[xml_name] = getattr(facet.type, name, None)
    if mode == "time":
        keep = {"textType", "startTime", "endTime"}
        attrib = {k: v for k, v in attrib.items() if k in keep}
        if text_type not in _TIME_TYPES:
            attrib["textType"] = "ObservationalTimePeriod"
    elif mode == "coded":
        attrib.pop("decimals", None)
        if text_type not in _CODED_TYPES:
            attrib.pop("textType")
    return attrib


def _representation(
    rep: common.Representation | None, tag: str = "str:LocalRepresentation", *, mode: str = "text"
) -> etree._Element | None:
    """LocalRepresentation/CoreRepresentation; `mode` is text, time or measure (dimension)."""
    if rep is None:
        return (
            _E(tag, None, _E("str:TextFormat", _facet_attrib(None, mode="time")))
            if mode == "time"
            else None
        )
    facet = rep.non_enumerated[0] if rep.non_enumerated else None
    if _is_set(rep.enumerated) and mode != "time":
        if mode == "measure":
            return _E(
                tag,
                None,
                _ref(
                    rep.enumerated, "str:Enumeration", cls="ConceptScheme", package="conceptscheme"
                ),
            )
        fmt = _E("str:EnumerationFormat", _facet_attrib(facet, mode="coded")) if facet else None
        return _E(tag, None, _ref(rep.enumerated, "str:Enumeration"), fmt)
    return _E(tag, None, _E("str:TextFormat", _facet_attrib(facet, mode=mode)))


# Item schemes

_NESTED_ITEMS = (common.Category, v21.ReportingCategory)
_VTL_DEFINITION_SCHEMES = (
    common.TransformationScheme,
    common.NamePersonalisationScheme,
    common.RulesetScheme,
    common.UserDefinedOperatorScheme,
    common.CustomTypeScheme,
)


@writer
def _item_scheme(obj: common.ItemScheme) -> etree._Element:
    """Replaces sdmx1's writer: nested categories, item URNs, VTL schemes, partial schemes."""
    extra: dict[str, Any] = {"isPartial": True if _is_true(obj.is_partial) else None}
    if isinstance(obj, _VTL_DEFINITION_SCHEMES):
        extra["vtlVersion"] = getattr(obj, "vtl_version", None) or "2.0"
    elem = _maintainable(obj, **extra)
    nested = any(isinstance(i, _NESTED_ITEMS) for i in obj)
    members = {id(i) for i in obj}
    # Nested items are written inside their parent; those whose parent is absent (a partial
    # scheme) at the top level.
    top = [i for i in obj if not (nested and id(i.parent) in members)]
    elem.extend(_item(i, obj, nested=nested) for i in top)
    if isinstance(obj, common.TransformationScheme):
        elem.extend(_transformation_scheme_refs(obj))
    return elem


def _item(item: Any, scheme: Any, *, nested: bool) -> etree._Element:
    attrib = {"id": item.id, "urn": _item_urn(item, scheme), "uri": item.uri, **_item_attrib(item)}
    elem = _E(f"str:{_item_class(item)}", attrib, *_nameable(item))
    if nested:
        elem.extend(_item(child, scheme, nested=True) for child in item.child)
    elif isinstance(item, (common.Code, common.Concept)) and isinstance(item.parent, common.Item):
        elem.append(_local_ref("str:Parent", item.parent.id))
    elem.extend(c for c in _item_content(item) if c is not None)
    return elem


def _item_urn(item: Any, scheme: Any) -> str:
    kind = type_of(scheme)
    return (
        f"urn:sdmx:org.sdmx.infomodel.{kind.package}.{_item_class(item)}="
        f"{_agency(scheme)}:{scheme.id}({_version(scheme)}).{_item_path(item)}"
    )


def _item_attrib(item: Any) -> dict[str, Any]:
    """Required XML attributes of VTL items (sdmx1 keeps none of them; see the reader fixes)."""
    if isinstance(item, common.Transformation):
        return {"isPersistent": bool(getattr(item, "is_persistent", False))}
    if isinstance(item, common.Ruleset):
        return {"rulesetType": item.type or "", "rulesetScope": item.scope or ""}
    if isinstance(item, common.NamePersonalisation):
        return {"vtlArtefact": getattr(item, "vtl_artefact", None) or ""}
    if isinstance(item, common.VTLMapping):
        return {"alias": getattr(item, "alias", None) or item.id}
    return {}


def _item_content(item: Any) -> list[etree._Element | None]:
    """Type-specific children of an item, after its names and parent."""
    if isinstance(item, common.Concept):
        return [_representation(item.core_representation, "str:CoreRepresentation"), _iso(item)]
    if isinstance(item, common.Organisation):
        return [_contact(c) for c in item.contact]
    if isinstance(item, common.VTLMapping):
        return _vtl_mapping(item)
    return [
        _E(f"str:{tag}", text=str(value)) for tag, value in _vtl_texts(item) if value is not None
    ]


def _iso(concept: common.Concept) -> etree._Element | None:
    iso = concept.iso_concept
    if iso is None:
        return None
    return _E(
        "str:ISOConceptReference",
        None,
        _E("str:ConceptAgency", text=str(iso.agency)),
        _E("str:ConceptSchemeID", text=str(iso.scheme_id)),
        _E("str:ConceptID", text=str(iso.id)),
    )


def _contact(contact: common.Contact) -> etree._Element:
    """Replaces sdmx1's contact writer, which drops Fax and X400."""
    channels = [
        *([("Telephone", contact.telephone)] if contact.telephone else []),
        *[("Fax", v) for v in contact.fax],
        *[("X400", v) for v in contact.x400],
        *[("URI", v) for v in contact.uri],
        *[("Email", v) for v in contact.email],
    ]
    return _E(
        "str:Contact",
        None,
        *_localised("com:Name", contact.name),
        *_localised("str:Department", contact.org_unit),
        *_localised("str:Role", contact.responsibility),
        *[_E(f"str:{tag}", text=str(value)) for tag, value in channels],
    )


def _vtl_texts(item: Any) -> list[tuple[str, Any]]:
    if isinstance(item, common.Transformation):
        return [("Expression", item.expression or ""), ("Result", item.result or "")]
    if isinstance(item, common.UserDefinedOperator):
        return [("OperatorDefinition", item.definition or "")]
    if isinstance(item, common.Ruleset):
        return [("RulesetDefinition", item.definition or "")]
    if isinstance(item, common.NamePersonalisation):
        return [
            ("VtlDefaultName", item.vtl_default_name or ""),
            ("PersonalisedName", getattr(item, "personalised_name", None) or ""),
        ]
    if isinstance(item, common.CustomType):
        return [
            ("VtlScalarType", item.vtl_scalar_type or ""),
            ("DataType", item.data_type or "String"),
            ("VtlLiteralFormat", item.vtl_literal_format),
            ("OutputFormat", item.output_format),
            ("NullValue", item.null_value),
        ]
    return []


_TO_VTL = {"basic": "Basic", "pivot": "Pivot", "basic-a2m": "Basic-A2M", "pivot-a2m": "Pivot-A2M"}
_FROM_VTL = {"basic": "Basic", "unpivot": "Unpivot", "m2a": "M2A"}


def _vtl_mapping(item: common.VTLMapping) -> list[etree._Element | None]:
    if isinstance(item, common.VTLDataflowMapping) and _is_set(item.dataflow_alias):
        # sdmx1 annotates from_vtl_method as a list, but its reader stores a VTLtoSDMX member.
        to_vtl: Any = item.to_vtl_method
        from_vtl: Any = item.from_vtl_method
        return [
            _ref(item.dataflow_alias, "str:Dataflow"),
            _E("str:ToVtlMapping", {"method": _TO_VTL.get(to_vtl.name)}) if to_vtl else None,
            _E("str:FromVtlMapping", {"method": _FROM_VTL.get(from_vtl.name)})
            if from_vtl
            else None,
        ]
    alias = getattr(item, "concept_alias", None)
    if isinstance(alias, common.Codelist):
        return [_ref(alias, "str:Codelist")]
    if isinstance(alias, common.ConceptScheme):
        return [_ref(alias, "str:ConceptScheme")]
    return [_ref(alias, "str:Concept")] if alias is not None else []


def _transformation_scheme_refs(obj: common.TransformationScheme) -> list[etree._Element]:
    pairs = [
        ("VtlMappingScheme", obj.vtl_mapping_scheme),
        ("NamePersonalisationScheme", obj.name_personalisation_scheme),
        ("CustomTypeScheme", obj.custom_type_scheme),
        ("RulesetScheme", obj.ruleset_scheme),
        ("UserDefinedOperatorScheme", obj.user_defined_operator_scheme),
    ]
    return [_ref(target, f"str:{tag}") for tag, target in pairs if _is_set(target)]


# Data structures


@writer
def _dsd(obj: v21.DataStructureDefinition) -> etree._Element:
    """Replaces sdmx1's writer: XSD child order, facets, stubs, fixed descriptor ids."""
    components = _components(obj)
    if not components:
        return _maintainable(obj)
    content = _E(
        "str:DataStructureComponents",
        None,
        _E(
            "str:DimensionList",
            {"id": "DimensionDescriptor"},
            _annotations(obj.dimensions),
            *map(_dimension, obj.dimensions.components),
        ),
        *map(_group, obj.group_dimensions.values()),
        _attribute_list(obj),
        _E(
            "str:MeasureList",
            {"id": "MeasureDescriptor"},
            _annotations(obj.measures),
            *map(_primary_measure, obj.measures.components),
        ),
    )
    return _maintainable(obj, content)


def _concept_children(component: Any, rep: etree._Element | None) -> list[etree._Element | None]:
    """Annotations, ConceptIdentity, LocalRepresentation, ConceptRole: the XSD order."""
    identity = component.concept_identity
    role = getattr(component, "concept_role", None)
    return [
        _annotations(component),
        _ref(identity, "str:ConceptIdentity") if isinstance(identity, common.Concept) else None,
        rep,
        _ref(role, "str:ConceptRole") if isinstance(role, common.Concept) else None,
    ]


def _dimension(dim: common.DimensionComponent) -> etree._Element:
    if isinstance(dim, common.TimeDimension):
        tag, mode = "TimeDimension", "time"
    elif isinstance(dim, v21.MeasureDimension):
        tag, mode = "MeasureDimension", "measure"
    else:
        tag, mode = "Dimension", "text"
    children = _concept_children(dim, _representation(dim.local_representation, mode=mode))
    if mode == "time":
        children = children[:3]  # a TimeDimension has no ConceptRole
    return _E(f"str:{tag}", {"id": dim.id, "position": dim.order}, *children)


def _group(group: common.GroupDimensionDescriptor) -> etree._Element:
    refs = [
        _E("str:GroupDimension", None, _local_ref("str:DimensionReference", d.id))
        for d in group.components
    ]
    return _E("str:Group", {"id": group.id}, _annotations(group), *refs)


def _attribute_list(dsd: v21.DataStructureDefinition) -> etree._Element | None:
    if not dsd.attributes.components:
        return None
    measure = dsd.measures.components[0].id if dsd.measures.components else "OBS_VALUE"
    attributes = [_attribute(a, measure) for a in dsd.attributes.components]
    return _E(
        "str:AttributeList",
        {"id": "AttributeDescriptor"},
        _annotations(dsd.attributes),
        *attributes,
    )


def _attribute(attr: common.DataAttribute, measure_id: str) -> etree._Element:
    tag = "ReportingYearStartDay" if isinstance(attr, v21.ReportingYearStartDay) else "Attribute"
    status = attr.usage_status or common.UsageStatus.conditional
    children = _concept_children(attr, _representation(attr.local_representation))
    return _E(
        f"str:{tag}",
        {"id": attr.id, "assignmentStatus": status.name.title()},
        *children,
        _attribute_relationship(attr.related_to, measure_id),
    )


def _attribute_relationship(rel: Any, measure_id: str) -> etree._Element:
    elem = _E("str:AttributeRelationship")
    if isinstance(rel, common.DimensionRelationship) and rel.dimensions:
        elem.extend(_local_ref("str:Dimension", d.id) for d in rel.dimensions)
        if rel.group_key is not None:
            elem.append(_local_ref("str:AttachmentGroup", rel.group_key.id))
    elif (
        isinstance(rel, (common.GroupRelationship, common.DimensionRelationship)) and rel.group_key
    ):
        elem.append(_local_ref("str:Group", rel.group_key.id))
    elif isinstance(
        rel, (v21.PrimaryMeasureRelationship, v30.ObservationRelationship, v30.MeasureRelationship)
    ):
        elem.append(_local_ref("str:PrimaryMeasure", measure_id))
    else:
        elem.append(_E("str:None"))
    return elem


def _primary_measure(measure: Any) -> etree._Element:
    rep = _representation(measure.local_representation)
    return _E("str:PrimaryMeasure", {"id": measure.id}, *_concept_children(measure, rep)[:3])


@writer
def _dataflow(obj: v21.DataflowDefinition) -> etree._Element:
    structure = _ref(obj.structure, "str:Structure") if _is_set(obj.structure) else None
    return _maintainable(obj, structure)


@writer
def _metadataflow(obj: v21.MetadataflowDefinition) -> etree._Element:
    structure = _ref(obj.structure, "str:Structure") if _is_set(obj.structure) else None
    return _maintainable(obj, structure)


# Categorisations, agreements, constraints


@writer
def _categorisation(obj: common.Categorisation) -> etree._Element:
    if _is_set(obj.artefact) and _is_set(obj.category):
        return _maintainable(
            obj, _ref(obj.artefact, "str:Source"), _ref(obj.category, "str:Target")
        )
    return _maintainable(obj)  # Source and Target come together or not at all


@writer
def _provision_agreement(obj: common.ProvisionAgreement) -> etree._Element:
    """sdmx1 has no writer for ProvisionAgreement."""
    return _maintainable(
        obj,
        _ref(obj.structure_usage, "str:StructureUsage") if _is_set(obj.structure_usage) else None,
        _ref(obj.data_provider, "str:DataProvider") if _is_set(obj.data_provider) else None,
    )


_ATTACHMENT_ORDER = (
    ("DataProvider", common.DataProvider),
    ("DataStructure", common.BaseDataStructureDefinition),
    ("MetadataStructure", common.BaseMetadataStructureDefinition),
    ("Dataflow", common.BaseDataflow),
    ("Metadataflow", common.BaseMetadataflow),
    ("ProvisionAgreement", common.ProvisionAgreement),
)


@writer
def _content_constraint(obj: v21.ContentConstraint) -> etree._Element:
    """Replaces sdmx1's writer: one ConstraintAttachment, sorted content, explicit type.

    A ``reference_period`` (the registry's availability answers) is not written as a
    ``str:ReferencePeriod``: sdmx1 2.28, the harvesters' client, cannot read one (it raises
    NotImplementedError on the element, see tests/test_api_availability.py); the same coverage is
    in the cube region's TIME_PERIOD TimeRange, and SDMX-JSON carries ``referencePeriod``."""
    role = getattr(getattr(obj, "role", None), "role", None)
    kind = "Allowed" if role is common.ConstraintRoleType.allowable else "Actual"
    keys = [_data_key_set_elem(obj.data_content_keys)] if obj.data_content_keys else []
    regions = [_cube_region_elem(cr) for cr in obj.data_content_region]
    return _maintainable(obj, _attachment(obj.content), *keys, *regions, type=kind)


def _attachment(content: Iterable[Any]) -> etree._Element | None:
    refs = []
    for tag, cls in _ATTACHMENT_ORDER:
        targets = [c for c in content if isinstance(c, cls) and _is_set(c)]
        for target in sorted(targets, key=_sort_key):
            refs.append(_ref(target, f"str:{tag}"))
    return _E("str:ConstraintAttachment", None, *refs) if refs else None


def _sort_key(obj: Any) -> str:
    return urn_of(obj) if isinstance(obj, common.MaintainableArtefact) else str(obj.id)


def _data_key_set_elem(dks: Any) -> etree._Element:
    keys = [
        _E(
            "str:Key",
            {"isIncluded": _is_true(key.included)},
            *[
                _E("com:KeyValue", {"id": c.id}, _E("com:Value", text=str(cv.value)))
                for c, cv in key.key_value.items()
            ],
        )
        for key in dks.keys
    ]
    return _E("str:DataKeySet", {"isIncluded": _is_true(dks.included)}, *keys)


def _cube_region_elem(cr: common.CubeRegion) -> etree._Element:
    selections = list(cr.member.values())
    dims = [ms for ms in selections if not isinstance(ms.values_for, common.DataAttribute)]
    attrs = [ms for ms in selections if isinstance(ms.values_for, common.DataAttribute)]
    return _E(
        "str:CubeRegion",
        {"include": _is_true(cr.included)},
        *[_member_selection(ms, "com:KeyValue") for ms in dims],
        *[_member_selection(ms, "com:Attribute") for ms in attrs],
    )


def _member_selection(ms: Any, tag: str) -> etree._Element:
    include = None if _is_true(ms.included) else False
    return _E(
        tag, {"id": ms.values_for.id, "include": include}, *map(_selection_value_elem, ms.values)
    )


def _selection_value_elem(value: Any) -> etree._Element:
    if isinstance(value, common.BaseMemberValue):
        cascade = True if value.cascade_values else None
        return _E("com:Value", {"cascadeValues": cascade}, text=str(value.value))
    if isinstance(value, v21.RangePeriod):
        return _E(
            "com:TimeRange",
            None,
            _period("com:StartPeriod", value.start),
            _period("com:EndPeriod", value.end),
        )
    tag = "com:BeforePeriod" if isinstance(value, v21.BeforePeriod) else "com:AfterPeriod"
    return _E("com:TimeRange", None, _period(tag, value))


def _period(tag: str, period: Any) -> etree._Element:
    return _E(tag, {"isInclusive": _is_true(period.is_inclusive)}, text=_text(period.period))


# Hierarchical codelists and structure sets


@writer
def _hierarchical_codelist(obj: v21.HierarchicalCodelist) -> etree._Element:
    """Replaces sdmx1's writer: code references, levels and their XSD order."""
    return _maintainable(obj, *map(_hierarchy_elem, obj.hierarchy))


def _hierarchy_elem(h: v21.Hierarchy) -> etree._Element:
    attrib = {"id": h.id, "leveled": True if h.has_formal_levels else None}
    codes = [_hierarchical_code(c) for c in h.codes.values()]
    level = _level(h.level) if h.level is not None else None
    return _E("str:Hierarchy", attrib, *_nameable(h), *codes, level)


def _hierarchical_code(hc: common.HierarchicalCode) -> etree._Element:
    attrib = {"id": hc.id, "validFrom": hc.valid_from, "validTo": hc.valid_to}
    return _E(
        "str:HierarchicalCode",
        attrib,
        _annotations(hc),
        _ref(hc.code, "str:Code") if hc.code is not None else None,
        *map(_hierarchical_code, hc.child),
        _local_ref("str:Level", hc.level.id) if hc.level is not None else None,
    )


def _level(level: common.Level) -> etree._Element:
    facet = getattr(level.code_format, "coding_format", None)
    attrib = _facet_attrib(facet, mode="coded") if facet is not None else {}
    coding = _E("str:CodingFormat", attrib) if any(v is not None for v in attrib.values()) else None
    child = _level(level.child) if level.child is not None else None
    return _E("str:Level", {"id": level.id}, *_nameable(level), coding, child)


@writer
def _structure_set(obj: v21.StructureSet) -> etree._Element:
    """sdmx1 has no writer for StructureSet (only codelist maps exist in its model)."""
    return _maintainable(obj, *map(_codelist_map, obj.item_scheme_map))


def _codelist_map(m: Any) -> etree._Element:
    associations = [
        _E(
            "str:CodeMap",
            None,
            _annotations(a),
            _local_ref("str:Source", a.source.id),
            _local_ref("str:Target", a.target.id),
        )
        for a in m.item_association
    ]
    return _E(
        "str:CodelistMap",
        {"id": m.id},
        *_nameable(m),
        _ref(m.source, "str:Source"),
        _ref(m.target, "str:Target"),
        *associations,
    )


# Metadata structures

_FIXED_TARGET = {
    v21.DimensionDescriptorValuesTarget: ("KeyDescriptorValuesTarget", "KeyValues"),
    v21.DataSetTarget: ("DataSetTarget", "DataSetReference"),
    v21.ReportPeriodTarget: ("ReportPeriodTarget", None),
}
_OBJECT_TYPE_NAMES = {
    v21.DataflowDefinition: "Dataflow",
    v21.DataStructureDefinition: "DataStructure",
    v21.MetadataflowDefinition: "Metadataflow",
    v21.MetadataStructureDefinition: "MetadataStructure",
    common.DataAttribute: "DataAttribute",
}


@writer
def _msd(obj: v21.MetadataStructureDefinition) -> etree._Element:
    """Replaces sdmx1's writer: objectType names, target representations, text types."""
    if not obj.target and not obj.report_structure:
        return _maintainable(obj)
    content = _E(
        "str:MetadataStructureComponents",
        None,
        *map(_metadata_target, obj.target.values()),
        *map(_report_structure, obj.report_structure.values()),
    )
    return _maintainable(obj, content)


def _metadata_target(target: v21.MetadataTarget) -> etree._Element:
    return _E(
        "str:MetadataTarget",
        {"id": target.id},
        _annotations(target),
        *map(_target_object, target.components),
    )


def _target_object(obj: Any) -> etree._Element:
    if type(obj) in _FIXED_TARGET:
        tag, text_type = _FIXED_TARGET[type(obj)]
        facet = (
            obj.local_representation.non_enumerated[0]
            if obj.local_representation and obj.local_representation.non_enumerated
            else None
        )
        attrib = _facet_attrib(facet, mode="time") if text_type is None else {"textType": text_type}
        rep = _E("str:LocalRepresentation", None, _E("str:TextFormat", attrib))
        return _E(f"str:{tag}", None, _annotations(obj), rep)
    object_type: Any = getattr(obj, "object_type", None)
    type_name = _OBJECT_TYPE_NAMES.get(object_type) or getattr(object_type, "__name__", "Any")
    rep = obj.local_representation
    if rep is not None and _is_set(rep.enumerated):
        local = _E("str:LocalRepresentation", None, _ref(rep.enumerated, "str:Enumeration"))
    else:
        local = _E(
            "str:LocalRepresentation",
            None,
            _E("str:TextFormat", {"textType": "IdentifiableReference"}),
        )
    return _E(
        "str:IdentifiableObjectTarget",
        {"id": obj.id, "objectType": type_name},
        _annotations(obj),
        local,
    )


def _report_structure(rs: v21.ReportStructure) -> etree._Element:
    return _E(
        "str:ReportStructure",
        {"id": rs.id},
        _annotations(rs),
        *map(_metadata_attribute, rs.components),
        *[_local_ref("str:MetadataTarget", t.id) for t in rs.report_for],
    )


def _metadata_attribute(mda: Any) -> etree._Element:
    # Lost in sdmx1 already: maxOccurs="unbounded" is read as "not given".
    attrib = {
        "id": mda.id,
        "minOccurs": mda.min_occurs,
        "maxOccurs": mda.max_occurs,
        "isPresentational": True if mda.is_presentational else None,
    }
    children = _concept_children(mda, _representation(mda.local_representation))[:3]
    return _E("str:MetadataAttribute", attrib, *children, *map(_metadata_attribute, mda.child))


# ── References between artefacts ────────────────────────────────────────────────────────────────


def references(artefact: common.MaintainableArtefact) -> frozenset[str]:
    """Standard URNs of the other maintainable artefacts `artefact` refers to."""
    own = urn_of(artefact)
    urns = {_maintainable_urn(target) for target in _referenced(artefact)}
    return frozenset(u for u in urns if u is not None and u != own)


def _maintainable_urn(obj: Any) -> str | None:
    """URN of a maintainable, or of the scheme of an item (a Concept, a Code, a provider)."""
    if isinstance(obj, common.Item):
        obj = obj.get_scheme()
    if not isinstance(obj, common.MaintainableArtefact) or not _is_set(obj):
        return None
    try:
        return urn_of(obj)
    except (KeyError, ValueError):  # not a stored type, or a reference without agency
        return None


def _referenced(obj: Any) -> Iterator[Any]:
    for cls, func in _REFERENCE_FINDERS:
        if isinstance(obj, cls):
            yield from func(obj)
            return


def _dsd_refs(dsd: Any) -> Iterator[Any]:
    for component in _components(dsd):
        yield from _component_refs(component)


def _component_refs(component: Any) -> Iterator[Any]:
    yield component.concept_identity
    yield getattr(component, "concept_role", None)
    yield getattr(component.local_representation, "enumerated", None)


def _msd_refs(msd: v21.MetadataStructureDefinition) -> Iterator[Any]:
    for target in msd.target.values():
        for component in target.components:
            yield getattr(component.local_representation, "enumerated", None)
    for rs in msd.report_structure.values():
        for mda in _walk_metadata_attributes(rs.components):
            yield from _component_refs(mda)


def _walk_metadata_attributes(attributes: Iterable[Any]) -> Iterator[Any]:
    for mda in attributes:
        yield mda
        yield from _walk_metadata_attributes(mda.child)


def _concept_scheme_refs(cs: common.ConceptScheme) -> Iterator[Any]:
    for concept in cs:
        yield getattr(concept.core_representation, "enumerated", None)


def _hcl_refs(hcl: v21.HierarchicalCodelist) -> Iterator[Any]:
    for hierarchy in hcl.hierarchy:
        for code in _walk_codes(hierarchy.codes.values()):
            yield code.code


def _structure_set_refs(ss: v21.StructureSet) -> Iterator[Any]:
    for m in ss.item_scheme_map:
        yield m.source
        yield m.target


def _transformation_refs(ts: common.TransformationScheme) -> Iterator[Any]:
    yield ts.vtl_mapping_scheme
    yield ts.name_personalisation_scheme
    yield ts.custom_type_scheme
    yield ts.ruleset_scheme
    yield ts.user_defined_operator_scheme


def _vtl_mapping_refs(vms: common.VTLMappingScheme) -> Iterator[Any]:
    for mapping in vms:
        yield getattr(mapping, "dataflow_alias", None)
        yield getattr(mapping, "concept_alias", None)


_REFERENCE_FINDERS: list[tuple[type, Callable[[Any], Iterable[Any]]]] = [
    (common.BaseDataStructureDefinition, _dsd_refs),
    (v21.MetadataStructureDefinition, _msd_refs),
    (common.StructureUsage, lambda o: [o.structure]),
    (common.ConceptScheme, _concept_scheme_refs),
    (v21.ContentConstraint, lambda o: list(o.content)),
    (common.ProvisionAgreement, lambda o: [o.structure_usage, o.data_provider]),
    (common.Categorisation, lambda o: [o.artefact, o.category]),
    (v21.HierarchicalCodelist, _hcl_refs),
    (v21.StructureSet, _structure_set_refs),
    (common.TransformationScheme, _transformation_refs),
    (common.VTLMappingScheme, _vtl_mapping_refs),
]


# ── Registry answers ────────────────────────────────────────────────────────────────────────────

_RESULT_STATUS = {
    "created": "Success",
    "replaced": "Success",
    "deleted": "Success",
    "unchanged": "Warning",
    "error": "Failure",
    "not_processed": "Failure",
}
_RESULT_ACTION = {"created": "Append", "replaced": "Replace", "deleted": "Delete"}
_RESULT_DEFAULT_TEXT = {
    "created": "created",
    "replaced": "replaced",
    "deleted": "deleted",
    "unchanged": "identical to the stored artefact; nothing changed",
    "error": "refused",
    "not_processed": "not stored because another artefact of the submission failed",
}


def write_submit_structure_response(
    results: Sequence[ArtefactResult], *, header_id: str, prepared: datetime
) -> bytes:
    """SDMX-ML 2.1 RegistryInterface/SubmitStructureResponse, one SubmissionResult per result."""
    root = _E("mes:RegistryInterface")
    header = _header(header_id, prepared, "LMIS_REGISTRY")
    header.append(_E("mes:Receiver", {"id": "not_supplied"}))  # required in a registry header
    root.append(header)
    root.append(_E("mes:SubmitStructureResponse", None, *map(_submission_result, results)))
    return etree.tostring(root, encoding="utf-8", xml_declaration=True, pretty_print=True)


def _submission_result(result: ArtefactResult) -> etree._Element:
    submitted = _E(
        "reg:SubmittedStructure",
        {"action": _RESULT_ACTION.get(result.status)},
        _E("reg:MaintainableObject", None, _E("URN", text=result.urn)),
    )
    texts = _result_texts(result)
    status = _E(
        "reg:StatusMessage",
        {"status": _RESULT_STATUS[result.status]},
        *[
            _E(
                "reg:MessageText",
                {"code": result.status},
                _E("com:Text", {_XML_LANG: "en"}, text=t),
            )
            for t in texts
        ],
    )
    return _E("reg:SubmissionResult", None, submitted, status)


def _result_texts(result: ArtefactResult) -> list[str]:
    if result.status == "unchanged":
        return [_RESULT_DEFAULT_TEXT["unchanged"], *result.messages]
    return list(result.messages) or [_RESULT_DEFAULT_TEXT[result.status]]


def write_error(errors: Sequence[tuple[int, str]]) -> bytes:
    """SDMX-ML 2.1 ``message:Error`` with one ErrorMessage per (code, text)."""
    messages = [
        _E("mes:ErrorMessage", {"code": code}, _E("com:Text", {_XML_LANG: "en"}, text=text))
        for code, text in errors
    ]
    root = _E("mes:Error", None, *messages)
    return etree.tostring(root, encoding="utf-8", xml_declaration=True, pretty_print=True)


# ── sdmx1 reader gaps, filled on its SDMX-ML parser tables ──────────────────────────────────────
#
# Each fix wraps sdmx1's parser for one element (both SDMX-ML 2.1 and 3.0 tables), so that what
# the writer above writes is read back as written: VTL attributes sdmx1 drops, 3.0 attribute
# ``usage``, textType names it cannot map (URI, TimeRange, XHTML) or defaults it gets wrong (a
# TimeDimension TextFormat without textType), optional XML attributes it requires (CubeRegion
# ``include``, ContentConstraint ``type``), constraint values it discards without a DSD, names
# that nested nameables (VTL items, levels, codelist maps) steal from their parent, nested
# categories it reverses, category paths it flattens, and the maintainer Agency it adds to an
# AgencyScheme's items. They apply to every sdmx1 read in the process, not only to this module's.

_Fix = Callable[[Any, Any, etree._Element], None]
_Around = Callable[[Callable[..., Any], Any, etree._Element], Any]


def _wrap(
    reader_cls: Any,
    tag: str,
    after: _Fix | None = None,
    before: _Fix | None = None,
    event: str = "end",
    around: _Around | None = None,
) -> None:
    """Add fixes around sdmx1's own parser for `tag` (kept aside: re-imports do not stack)."""
    key = (reader_cls.format.qname(tag), event)
    table = reader_cls.__dict__.get("_lmis_fixes")
    if table is None:
        table = {}
        reader_cls._lmis_fixes = table
    if key not in table:
        table[key] = (reader_cls.parser.get(key), {}, {}, {})
    original, befores, afters, arounds = table[key]
    if original is None and event == "end":
        return
    for fixes, fix in ((befores, before), (afters, after), (arounds, around)):
        if fix is not None:
            fixes[fix.__qualname__] = fix

    def call(reader: Any, elem: etree._Element) -> Any:
        if original is None:
            return None
        for wrapper in arounds.values():
            return wrapper(original, reader, elem)
        return original(reader, elem)

    def parse(reader: Any, elem: etree._Element) -> Any:
        for fix in befores.values():
            fix(reader, None, elem)
        result = call(reader, elem)
        for fix in afters.values():
            fix(reader, result, elem)
        return result

    reader_cls.parser[key] = parse


def _fill_reader_gap(tags: str, *, after: _Fix | None = None, before: _Fix | None = None) -> None:
    for reader_cls in (_reader21.Reader, _reader30.Reader):
        for tag in tags.split():
            _wrap(reader_cls, tag, after, before)


def _set_attr(name: str, xml_name: str, convert: Callable[[str], Any] = str) -> _Fix:
    def fix(reader: Any, obj: Any, elem: etree._Element) -> None:
        if isinstance(obj, common.IdentifiableArtefact) and elem.get(xml_name) is not None:
            setattr(obj, name, convert(elem.get(xml_name, "")))

    fix.__qualname__ = f"_set_attr.{name}"
    return fix


def _stash_names(reader: Any, _: Any, elem: etree._Element) -> None:
    reader.stash(reader.model.Annotation, "Name", "Description", name="lmis names")


def _unstash_names(reader: Any, _: Any, elem: etree._Element) -> None:
    reader.unstash(name="lmis names")


def _own_names(tags: str) -> None:
    """sdmx1 lets these nested nameables take their parent's names and annotations."""
    for reader_cls in (_reader21.Reader, _reader30.Reader):
        for tag in tags.split():
            _wrap(reader_cls, tag, after=_stash_names, event="start")
            _wrap(reader_cls, tag, after=_unstash_names)


def _document_order(reader: Any, item: Any, elem: etree._Element) -> None:
    """sdmx1 collects nested items (categories) last-first; restore the document order."""
    if isinstance(item, common.Item):
        item.child.reverse()


def _ruleset_attrs(reader: Any, obj: Any, elem: etree._Element) -> None:
    if isinstance(obj, common.Ruleset):
        obj.type = elem.get("rulesetType")
        obj.scope = elem.get("rulesetScope")


def _drop_maintainer_agencies(reader: Any, scheme: Any, elem: etree._Element) -> None:
    """sdmx1 adds the Agency objects it created for agencyID attributes to the items."""
    if not isinstance(scheme, common.AgencyScheme):
        return
    for key, item in list(scheme.items.items()):
        if id(item) in reader.ignore:
            del scheme.items[key]
            if item.parent is scheme:
                item.parent = None


def _usage_status(reader: Any, attr: Any, elem: etree._Element) -> None:
    usage = elem.get("usage")
    if isinstance(attr, common.DataAttribute) and usage:
        attr.usage_status = (
            common.UsageStatus.mandatory if usage == "mandatory" else common.UsageStatus.conditional
        )


def _default_include(reader: Any, _: Any, elem: etree._Element) -> None:
    elem.set("include", elem.get("include", "true"))


def _default_constraint_type(reader: Any, _: Any, elem: etree._Element) -> None:
    if elem.get("type") is None and elem.get("role") is None:
        elem.set("type", "Actual")


def _bool_included(reader: Any, obj: Any, elem: etree._Element) -> None:
    if obj is not None and hasattr(obj, "included"):
        obj.included = _is_true(elem.get("include", elem.get("isIncluded", "true")))


def _read_member_selection(original: Callable[..., Any], reader: Any, elem: etree._Element) -> Any:
    """sdmx1 finds the constrained component through a DSD; with none at hand (a constraint
    attached to a provision agreement, a data provider, or a dataflow given by reference) it
    discards the values. Keep them, on a component known by its id."""
    values = [str(v) for v in reader.stack.get("Value", {}).values()]
    ranges = [
        v
        for key, stack in reader.stack.items()
        if isinstance(key, type) and issubclass(key, _TIME_RANGE_VALUES)
        for v in stack.values()
    ]
    try:
        result = original(reader, elem)
    except KeyError:
        result = None
    if result is None:
        reader.pop_all("Value")
        reader.pop_all(_TIME_RANGE_VALUES[0], subclass=True)
        reader.pop_all(_TIME_RANGE_VALUES[1], subclass=True)
        local = etree.QName(elem).localname
        component_cls = common.DataAttribute if local == "Attribute" else common.Dimension
        result = reader.model.MemberSelection(
            values_for=component_cls(id=elem.get("id", "")),
            values=[reader.model.MemberValue(value=v) for v in values] or ranges,
        )
    result.included = _is_true(elem.get("include", "true"))
    return result


_TIME_RANGE_VALUES = (v21.TimeRangeValue, v30.TimeRangeValue)


def _nest_referenced_category(reader: Any, obj: Any, elem: etree._Element) -> None:
    """A nested category is referenced by its path (``PSC.DEM.TOT``); sdmx1 turns the path into
    one flat stub category. Rebuild the stub's ancestors so that ``id`` is the category's own id
    and ``hierarchical_id`` the path, as for a category of a scheme held in full."""
    category = getattr(obj, "category", None)
    scheme = category.get_scheme() if isinstance(category, common.Category) else None
    if not (
        isinstance(obj, common.Categorisation)
        and isinstance(category, common.Category)
        and isinstance(scheme, common.CategoryScheme)
        and scheme.is_external_reference
        and "." in str(category.id)
    ):
        return
    scheme.items.pop(category.id, None)
    parent: Any = None
    for part in str(category.id).split("."):
        siblings = parent.child if parent is not None else list(scheme.items.values())
        node = next((c for c in siblings if c.id == part), None)
        if node is None:
            node = common.Category(id=part)
            if parent is not None:
                parent.append_child(node)
            scheme.items.setdefault(part, node)
            node.parent = parent if parent is not None else scheme
        parent = node
    obj.category = parent


def _custom_type_formats(reader: Any, obj: Any, elem: etree._Element) -> None:
    if isinstance(obj, common.CustomType):
        obj.vtl_literal_format = reader.pop_single("VtlLiteralFormat")
        obj.output_format = reader.pop_single("OutputFormat")


def _read_facet(reader: Any, elem: etree._Element) -> None:
    """Replaces sdmx1's TextFormat parser: every XSD textType, context-aware default."""
    args: dict[str, Any] = {
        _snake(str(k)): v for k, v in elem.items() if k not in ("textType", "isMultiLingual")
    }
    text_type = elem.get("textType") or _default_text_type(elem)
    facet = common.Facet(type=common.FacetType(**args), value_type=_facet_value_type(text_type))
    reader.push(elem, facet)


def _default_text_type(elem: etree._Element) -> str:
    owner = elem.getparent()
    owner = owner.getparent() if owner is not None else None
    local = etree.QName(owner).localname if owner is not None else ""
    return (
        "ObservationalTimePeriod" if local in ("TimeDimension", "ReportPeriodTarget") else "String"
    )


def _facet_value_type(text_type: str) -> Any:
    inverse = {xml: name for name, xml in _TEXT_TYPE_SPECIAL.items()}
    name = inverse.get(text_type, text_type[:1].lower() + text_type[1:])
    for enum in (common.FacetValueType, common.ExtendedFacetValueType):
        if name in enum.__members__:
            return enum[name]
    raise ValueError(f"unknown textType {text_type!r}")


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _register_reader_fixes() -> None:
    _fill_reader_gap(
        "str:TransformationScheme str:NamePersonalisationScheme str:RulesetScheme "
        "str:UserDefinedOperatorScheme str:CustomTypeScheme",
        after=_set_attr("vtl_version", "vtlVersion"),
    )
    _fill_reader_gap(
        "str:Transformation", after=_set_attr("is_persistent", "isPersistent", _is_true)
    )
    _fill_reader_gap("str:Ruleset", after=_ruleset_attrs)
    _fill_reader_gap("str:NamePersonalisation", after=_set_attr("vtl_artefact", "vtlArtefact"))
    _fill_reader_gap("str:VtlMapping", after=_set_attr("alias", "alias"))
    _fill_reader_gap("str:CustomType", after=_custom_type_formats)
    _fill_reader_gap("str:AgencyScheme", after=_drop_maintainer_agencies)
    _fill_reader_gap("str:Categorisation", after=_nest_referenced_category)
    _fill_reader_gap("str:Category str:ReportingCategory", after=_document_order)
    _fill_reader_gap("str:CubeRegion", before=_default_include, after=_bool_included)
    for reader_cls in (_reader21.Reader, _reader30.Reader):
        for tag in ("com:KeyValue", "com:Attribute", "str:KeyValue"):
            _wrap(reader_cls, tag, around=_read_member_selection)
    _fill_reader_gap("str:DataKeySet", after=_bool_included)
    _fill_reader_gap("str:ContentConstraint str:DataConstraint", before=_default_constraint_type)
    _wrap(_reader30.Reader, "str:Attribute", _usage_status)
    for reader_cls in (_reader21.Reader, _reader30.Reader):
        for tag in ("str:TextFormat", "str:EnumerationFormat"):
            reader_cls.parser[reader_cls.format.qname(tag), "end"] = _read_facet
        parser: dict[Any, Any] = reader_cls.parser
        for tag in ("str:VtlLiteralFormat", "str:OutputFormat"):
            parser[reader_cls.format.qname(tag), "start"] = None
            parser[reader_cls.format.qname(tag), "end"] = _reader21._text


_register_reader_fixes()
_own_names(
    "str:Transformation str:Ruleset str:UserDefinedOperator str:NamePersonalisation "
    "str:VtlMapping str:Level str:CodelistMap"
)
