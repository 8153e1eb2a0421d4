"""The table of maintainable structure types: REST resource ↔ SDMX URN class ↔ sdmx1 class.

One row per maintainable class the registry stores. ``RESOURCES`` maps every SDMX-REST 1.5 structure
resource name to the URN classes it selects (``structure`` selects all, ``organisationscheme`` the
four organisation schemes, the constraint resources filter on the constraint role), or to ``None``
for a standard resource this registry does not implement (answered 501). URNs are built here, with
the SDMX class names of the standard (``DataStructure``, ``Dataflow``), not sdmx1's Python names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sdmx.model.v21 as v21
from sdmx.model import common


@dataclass(frozen=True)
class StructureType:
    """A maintainable class: its SDMX URN class and package, sdmx1 class and REST resource."""

    urn_class: str
    package: str
    model: type[common.MaintainableArtefact]
    resource: str

    @property
    def is_item_scheme(self) -> bool:
        return issubclass(self.model, common.ItemScheme)

    def urn(self, agency: str, id: str, version: str) -> str:
        prefix = f"urn:sdmx:org.sdmx.infomodel.{self.package}.{self.urn_class}"
        return f"{prefix}={agency}:{id}({version})"


TYPES: tuple[StructureType, ...] = (
    StructureType("AgencyScheme", "base", v21.AgencyScheme, "agencyscheme"),
    StructureType("DataProviderScheme", "base", v21.DataProviderScheme, "dataproviderscheme"),
    StructureType("DataConsumerScheme", "base", v21.DataConsumerScheme, "dataconsumerscheme"),
    StructureType("Dataflow", "datastructure", v21.DataflowDefinition, "dataflow"),
    StructureType("Metadataflow", "metadatastructure", v21.MetadataflowDefinition, "metadataflow"),
    StructureType("CategoryScheme", "categoryscheme", v21.CategoryScheme, "categoryscheme"),
    StructureType("Categorisation", "categoryscheme", v21.Categorisation, "categorisation"),
    StructureType("Codelist", "codelist", v21.Codelist, "codelist"),
    StructureType(
        "HierarchicalCodelist", "codelist", v21.HierarchicalCodelist, "hierarchicalcodelist"
    ),
    StructureType("ConceptScheme", "conceptscheme", v21.ConceptScheme, "conceptscheme"),
    StructureType(
        "MetadataStructure",
        "metadatastructure",
        v21.MetadataStructureDefinition,
        "metadatastructure",
    ),
    StructureType("DataStructure", "datastructure", v21.DataStructureDefinition, "datastructure"),
    StructureType("StructureSet", "mapping", v21.StructureSet, "structureset"),
    StructureType("ContentConstraint", "registry", v21.ContentConstraint, "contentconstraint"),
    StructureType("ProvisionAgreement", "registry", v21.ProvisionAgreement, "provisionagreement"),
    StructureType("CustomTypeScheme", "transformation", v21.CustomTypeScheme, "customtypescheme"),
    StructureType(
        "NamePersonalisationScheme",
        "transformation",
        v21.NamePersonalisationScheme,
        "namepersonalisationscheme",
    ),
    StructureType("RulesetScheme", "transformation", v21.RulesetScheme, "rulesetscheme"),
    StructureType(
        "TransformationScheme", "transformation", v21.TransformationScheme, "transformationscheme"
    ),
    StructureType(
        "UserDefinedOperatorScheme",
        "transformation",
        v21.UserDefinedOperatorScheme,
        "userdefinedoperatorscheme",
    ),
    StructureType("VtlMappingScheme", "transformation", v21.VTLMappingScheme, "vtlmappingscheme"),
)

BY_URN_CLASS: dict[str, StructureType] = {t.urn_class: t for t in TYPES}
BY_RESOURCE: dict[str, StructureType] = {t.resource: t for t in TYPES}

_ALL = tuple(t.urn_class for t in TYPES)
_ORGANISATION_SCHEMES = ("AgencyScheme", "DataProviderScheme", "DataConsumerScheme")

#: REST 1.5 structure resource → URN classes it selects, or None when not implemented (501).
RESOURCES: dict[str, tuple[str, ...] | None] = {
    **{t.resource: (t.urn_class,) for t in TYPES},
    "structure": _ALL,
    "organisationscheme": _ORGANISATION_SCHEMES,
    "actualconstraint": ("ContentConstraint",),
    "allowedconstraint": ("ContentConstraint",),
    "organisationunitscheme": None,
    "process": None,
    "reportingtaxonomy": None,
    "attachmentconstraint": None,
}

#: Constraint resources that select on the constraint's role.
CONSTRAINT_ROLE: dict[str, str] = {"actualconstraint": "Actual", "allowedconstraint": "Allowed"}


def type_of(obj: common.MaintainableArtefact) -> StructureType:
    """The table row for an sdmx1 object (most specific class first)."""
    for cls in type(obj).__mro__:
        for t in TYPES:
            if t.model is cls:
                return t
    raise KeyError(f"{type(obj).__name__} is not a maintainable structure type of this registry")


def urn_of(obj: common.MaintainableArtefact) -> str:
    """The standard SDMX URN of a maintainable sdmx1 object."""
    agency = obj.maintainer.id if obj.maintainer is not None else None
    if not agency or not obj.id:
        raise ValueError(f"{type(obj).__name__} {obj.id!r} has no agency or id")
    return type_of(obj).urn(agency, obj.id, str(obj.version or "1.0"))


def parse_urn(urn: str) -> tuple[StructureType, str, str, str]:
    """Split a maintainable URN into (type, agency, id, version); ValueError if it is not one."""
    m = re.fullmatch(
        r"urn:sdmx:org\.sdmx\.infomodel\.(\w+)\.(\w+)=([\w.@$-]+):([\w@$-]+)\(([\w.+~*-]+)\)", urn
    )
    if not m:
        raise ValueError(f"not a maintainable SDMX URN: {urn!r}")
    _package, cls, agency, id_, version = m.groups()
    aliases = {
        "DataStructureDefinition": "DataStructure",
        "DataflowDefinition": "Dataflow",
        "MetadataStructureDefinition": "MetadataStructure",
        "MetadataflowDefinition": "Metadataflow",
        "VTLMappingScheme": "VtlMappingScheme",
    }
    cls = aliases.get(cls, cls)
    if cls not in BY_URN_CLASS:
        raise ValueError(f"unknown structure class {cls!r} in URN {urn!r}")
    return BY_URN_CLASS[cls], agency, id_, version
