"""``resolve_structure_query`` and its transforms against an in-memory ``ArtefactIndex``.

The fake index holds real structures read with sdmx1 (ECB_EXR, the synthetic LFS DSD, the Eurostat
ESMS message with a nested category scheme) plus crafted artefacts: further versions of codelists
(final and non-final, semantic versions), two content constraints and a hierarchical codelist.
Each artefact is kept as its own SDMX-ML document and re-read on ``load``, as the store does;
reference edges are computed by walking the sdmx1 objects.
"""

from __future__ import annotations

import io
from collections.abc import Collection, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sdmx
import sdmx.model.v21 as v21
from sdmx.message import StructureMessage
from sdmx.model import common

from registry.errors import NoResultsError, ResponseTooLargeError, UnsupportedError
from registry.query.params import StructureQuery, parse_structure_query
from registry.query.structure import (
    filter_items,
    partial_for,
    pick_latest,
    resolve_structure_query,
    to_stub,
    version_key,
)
from registry.storage.records import ArtefactRecord
from registry.structure_types import TYPES, type_of, urn_of

DATA = Path(__file__).parent / "data"
FILES = (
    DATA / "corpus" / "ECB_EXR" / "1" / "structure-full.xml",
    DATA / "bench" / "synthetic_dsd.xml",
    DATA / "corpus" / "ESTAT" / "esms-structure.xml",
)
ROLES = {
    common.ConstraintRoleType.allowable: "Allowed",
    common.ConstraintRoleType.actual: "Actual",
}


def urn(cls: str, ref: str) -> str:
    """Short URN builder: urn("Codelist", "ECB:CL_FREQ(1.0)")."""
    package = {
        "Codelist": "codelist",
        "HierarchicalCodelist": "codelist",
        "ConceptScheme": "conceptscheme",
        "DataStructure": "datastructure",
        "Dataflow": "datastructure",
        "ContentConstraint": "registry",
        "Categorisation": "categoryscheme",
        "CategoryScheme": "categoryscheme",
    }[cls]
    return f"urn:sdmx:org.sdmx.infomodel.{package}.{cls}={ref}"


ECB_CODELISTS = [
    "CL_COLLECTION",
    "CL_CURRENCY",
    "CL_DECIMALS",
    "CL_EXR_SUFFIX",
    "CL_EXR_TYPE",
    "CL_FREQ",
    "CL_OBS_CONF",
    "CL_OBS_STATUS",
    "CL_ORGANISATION",
    "CL_UNIT",
    "CL_UNIT_MULT",
]
EXR = urn("Dataflow", "ECB:EXR(1.0)")
ECB_EXR1 = urn("DataStructure", "ECB:ECB_EXR1(1.0)")
ECB_CONCEPTS = urn("ConceptScheme", "ECB:ECB_CONCEPTS(1.0)")
EXR_CONSTRAINTS = urn("ContentConstraint", "ECB:EXR_CONSTRAINTS(1.0)")
EXR_CATEGORISATION = urn("Categorisation", "ECB:53A341E8-D48B-767E-D5FF-E2E3E0E2BB19(1.0)")
ECB_CL = {urn("Codelist", f"ECB:{c}(1.0)") for c in ECB_CODELISTS}
DATAFLOWS_SCHEME = urn("CategoryScheme", "ESTAT:DATAFLOWS_SCHEME(1.0)")
DEMO_TOT_CAT = urn("Categorisation", "ESTAT:DEMO_TOT(1.0)")
DEMO_TOT_FLOW = urn("Dataflow", "ESTAT:DEMO_TOT(1.0)")


# Crafted artefacts


def codelist(
    agency: common.Agency,
    id: str,
    version: str,
    final: bool,
    codes: Sequence[tuple[str, str | None]],
    **extra: Any,
) -> v21.Codelist:
    cl = v21.Codelist(
        id=id,
        maintainer=agency,
        version=version,
        is_final=final,
        is_external_reference=False,
        name={"en": f"{id} {version}"},
        **extra,
    )
    for code_id, parent in codes:
        cl.append(common.Code(id=code_id, name={"en": code_id}, parent=cl.get(parent)))
    return cl


def crafted(ecb: StructureMessage, lfs: StructureMessage) -> list[common.MaintainableArtefact]:
    test, ecb_agency = lfs.codelist["CL_SEX"].maintainer, ecb.codelist["CL_FREQ"].maintainer
    sex_11 = codelist(
        test,
        "CL_SEX",
        "1.1",
        True,
        [("SEX_T", None), ("SEX_M", "SEX_T"), ("SEX_F", "SEX_T")],
        description={"en": "Sex, with the total as parent"},
        annotations=[v21.Annotation(id="NOTE", text={"en": "crafted"})],
    )
    sex_20 = codelist(test, "CL_SEX", "2.0", False, [("SEX_T", None), ("SEX_X", None)])
    freq_11 = codelist(ecb_agency, "CL_FREQ", "1.1", False, [("A", None), ("M", None)])
    drafts = [
        codelist(test, "CL_DRAFT", "1.0.0", False, [("A", None)]),
        codelist(test, "CL_DRAFT", "1.0.0-draft", False, [("A", None)]),
        codelist(test, "CL_DRAFT", "0.9", True, [("A", None)]),
        codelist(test, "CL_DRAFT2", "1.0.0-draft", False, [("A", None)]),
        codelist(test, "CL_DRAFT2", "0.10.0", False, [("A", None)]),
    ]
    dsd, flow = lfs.structure["DSD_LFS"], lfs.dataflow["DF_LFS"]
    sex, freq = dsd.dimensions.get("SEX"), dsd.dimensions.get("FREQ")

    def constraint(id: str, role: common.ConstraintRoleType, dim: Any, values: list[str]) -> Any:
        selection = v21.MemberSelection(
            values_for=dim, values=[v21.MemberValue(value=v) for v in values]
        )
        return v21.ContentConstraint(
            id=id,
            maintainer=test,
            version="1.0",
            is_final=True,
            is_external_reference=False,
            name={"en": id},
            role=v21.ConstraintRole(role=role),
            content={flow},
            data_content_region=[common.CubeRegion(included=True, member={dim: selection})],
        )

    allowed = constraint("CC_LFS_ALLOWED", common.ConstraintRoleType.allowable, sex, ["SEX_F"])
    actual = constraint("CC_LFS_ACTUAL", common.ConstraintRoleType.actual, freq, ["A"])
    area = lfs.codelist["CL_AREA"]
    eur = common.HierarchicalCode(id="EUR", code=area["AUT"])
    eur.child.append(common.HierarchicalCode(id="BEL", code=area["BEL"], parent=eur))
    eur.child.append(common.HierarchicalCode(id="AUT", code=area["AUT"], parent=eur))
    h1 = v21.Hierarchy(id="H1", name={"en": "Continents"})
    h1.codes = {"EUR": eur, "ARG": common.HierarchicalCode(id="ARG", code=area["ARG"])}
    h2 = v21.Hierarchy(id="H2", name={"en": "Flat"})
    h2.codes = {"BRA": common.HierarchicalCode(id="BRA", code=area["BRA"])}
    hcl = v21.HierarchicalCodelist(
        id="HCL_AREA",
        maintainer=test,
        version="1.0",
        is_final=True,
        is_external_reference=False,
        name={"en": "Areas"},
        hierarchy=[h1, h2],
    )
    return [sex_11, sex_20, freq_11, *drafts, allowed, actual, hcl]


# The fake index


def _scheme_of(item: Any) -> Any:
    while isinstance(item, common.Item):
        item = item.parent
    return item


def _hierarchical_codes(codes: Collection[common.HierarchicalCode]) -> Iterator[Any]:
    for hc in codes:
        yield hc
        yield from _hierarchical_codes(hc.child)


def direct_refs(obj: common.MaintainableArtefact) -> Iterator[Any]:
    """The maintainable artefacts ``obj`` points to, found by walking the sdmx1 object."""
    if isinstance(obj, v21.DataStructureDefinition):
        for components in (obj.dimensions, obj.attributes, obj.measures):
            for c in components:
                if c.local_representation is not None:
                    yield c.local_representation.enumerated
                yield _scheme_of(c.concept_identity)
    elif isinstance(obj, v21.DataflowDefinition):
        yield obj.structure
    elif isinstance(obj, v21.ContentConstraint):
        yield from obj.content
    elif isinstance(obj, common.Categorisation):
        yield obj.artefact
        yield _scheme_of(obj.category)
    elif isinstance(obj, v21.HierarchicalCodelist):
        for h in obj.hierarchy:
            yield from (_scheme_of(hc.code) for hc in _hierarchical_codes(h.codes.values()))


class FakeIndex:
    """An ``ArtefactIndex`` over SDMX-ML documents held in memory, one per artefact."""

    def __init__(self, objects: Sequence[common.MaintainableArtefact]) -> None:
        self.xml: dict[str, bytes] = {}
        self.rec: dict[str, ArtefactRecord] = {}
        self.edges: dict[str, set[str]] = {}
        self.find_calls: list[tuple[Any, ...]] = []
        for obj in objects:
            self._add(obj)
        for obj in objects:
            targets = {self._urn(t) for t in direct_refs(obj)}
            self.edges[urn_of(obj)] = {t for t in targets if t in self.rec} - {urn_of(obj)}

    @staticmethod
    def _urn(obj: Any) -> str | None:
        try:
            return urn_of(obj)
        except (KeyError, ValueError, AttributeError):
            return None

    def _add(self, obj: common.MaintainableArtefact) -> None:
        msg = StructureMessage()
        msg.add(obj)
        key = urn_of(obj)
        role = getattr(getattr(obj, "role", None), "role", None)
        self.xml[key] = sdmx.to_xml(msg)
        self.rec[key] = ArtefactRecord(
            urn=key,
            urn_class=type_of(obj).urn_class,
            agency_id=obj.maintainer.id,
            artefact_id=obj.id,
            version=str(obj.version),
            is_final=bool(obj.is_final),
            constraint_role=ROLES.get(role) if role is not None else None,
            content_hash=key,
            updated_at=datetime(2024, 1, 1, tzinfo=UTC),
        )

    def find(
        self,
        urn_classes: Sequence[str],
        agencies: Sequence[str] | None,
        ids: Sequence[str] | None,
        versions: Sequence[str] | None,
    ) -> list[ArtefactRecord]:
        self.find_calls.append((tuple(urn_classes), agencies, ids, versions))
        return [
            r
            for r in self.rec.values()
            if r.urn_class in urn_classes
            and (agencies is None or r.agency_id in agencies)
            and (ids is None or r.artefact_id in ids)
            and (versions is None or r.version in versions)
        ]

    def refs_from(self, urns: Collection[str]) -> dict[str, set[str]]:
        return {u: set(self.edges.get(u, ())) for u in urns}

    def refs_to(self, urns: Collection[str]) -> dict[str, set[str]]:
        return {u: {s for s, ts in self.edges.items() if u in ts} for u in urns}

    def records(self, urns: Collection[str]) -> list[ArtefactRecord]:
        return [self.rec[u] for u in urns if u in self.rec]

    def load(self, urn: str) -> common.MaintainableArtefact:
        msg = sdmx.read_sdmx(io.BytesIO(self.xml[urn]))
        for obj in msg.iter_objects(external_reference=False):
            if self._urn(obj) == urn:
                return obj
        raise KeyError(urn)


@pytest.fixture(scope="module")
def index() -> FakeIndex:
    ecb, lfs, esms = (sdmx.read_sdmx(f) for f in FILES)
    objects = [
        obj
        for msg in (ecb, lfs, esms)
        for obj in msg.iter_objects(external_reference=False)
        if isinstance(obj, common.MaintainableArtefact)
    ]
    return FakeIndex([*objects, *crafted(ecb, lfs)])


def run(
    index: FakeIndex,
    resource: str,
    agency: str | None = None,
    id: str | None = None,
    version: str | None = None,
    item: str | None = None,
    max_artefacts: int = 1000,
    **params: str,
) -> list[common.MaintainableArtefact]:
    query = parse_structure_query(resource, agency, id, version, item, params)
    return resolve_structure_query(query, index, max_artefacts=max_artefacts)


def urns(objects: Sequence[common.MaintainableArtefact]) -> list[str]:
    return [urn_of(o) for o in objects]


def refs(objects: Sequence[common.MaintainableArtefact], matched: int = 1) -> set[str]:
    """URNs of the referenced part of a result (after the ``matched`` first objects)."""
    return set(urns(objects[matched:]))


# Versions and latest


@pytest.mark.parametrize(
    ("low", "high"),
    [
        ("1.9", "1.10"),
        ("1.0", "2.0"),
        ("1.0.0-draft", "1.0.0"),
        ("1.0.0-alpha", "1.0.0-beta"),
        ("1.0.0-alpha.2", "1.0.0-alpha.10"),
        ("1.0.0-1", "1.0.0-alpha"),
        ("0.10.0", "1.0.0-draft"),
        ("1.0", "1.0.1"),
        ("not-a-version", "0.1"),
    ],
)
def test_version_key_orders(low: str, high: str) -> None:
    assert version_key(low) < version_key(high)


def test_version_key_ignores_trailing_zeros() -> None:
    assert version_key("1.0")[:3] == version_key("1.0.0")[:3]


def test_latest_prefers_final_over_higher_non_final(index: FakeIndex) -> None:
    result = run(index, "codelist", "TEST", "CL_SEX")
    assert urns(result) == [urn("Codelist", "TEST:CL_SEX(1.1)")]
    assert result[0].is_final


def test_latest_without_final_is_highest(index: FakeIndex) -> None:
    assert urns(run(index, "codelist", "ECB", "CL_FREQ", "latest")) == [
        urn("Codelist", "ECB:CL_FREQ(1.1)")
    ]
    assert urns(run(index, "codelist", "TEST", "CL_DRAFT2")) == [
        urn("Codelist", "TEST:CL_DRAFT2(1.0.0-draft)")
    ]


def test_latest_final_beats_semver_release(index: FakeIndex) -> None:
    assert urns(run(index, "codelist", "TEST", "CL_DRAFT")) == [
        urn("Codelist", "TEST:CL_DRAFT(0.9)")
    ]


def test_pick_latest_semver_release_beats_draft(index: FakeIndex) -> None:
    records = [r for r in index.rec.values() if r.artefact_id == "CL_DRAFT" and not r.is_final]
    assert [r.version for r in pick_latest(records)] == ["1.0.0"]


def test_latest_is_not_passed_to_storage(index: FakeIndex) -> None:
    index.find_calls.clear()
    run(index, "codelist", "TEST", "CL_SEX", "latest+1.0")
    assert index.find_calls == [(("Codelist",), ("TEST",), ("CL_SEX",), None)]
    index.find_calls.clear()
    run(index, "codelist", "TEST", "CL_SEX", "1.0+2.0")
    assert index.find_calls == [(("Codelist",), ("TEST",), ("CL_SEX",), ("1.0", "2.0"))]


def test_all_versions_in_order(index: FakeIndex) -> None:
    result = run(index, "codelist", "TEST", "CL_SEX", "all")
    assert [str(o.version) for o in result] == ["1.0", "1.1", "2.0"]


def test_latest_plus_explicit_version(index: FakeIndex) -> None:
    result = run(index, "codelist", "TEST", "CL_SEX", "latest+1.0")
    assert [str(o.version) for o in result] == ["1.0", "1.1"]


# Selection


def test_plus_lists(index: FakeIndex) -> None:
    result = run(index, "codelist", "ECB+TEST", "CL_FREQ+CL_SEX", "1.0")
    assert urns(result) == [
        urn("Codelist", "ECB:CL_FREQ(1.0)"),
        urn("Codelist", "TEST:CL_FREQ(1.0)"),
        urn("Codelist", "TEST:CL_SEX(1.0)"),
    ]


def test_resource_without_segments_returns_latest_of_everything(index: FakeIndex) -> None:
    result = run(index, "codelist")
    ids = [(o.maintainer.id, o.id) for o in result]
    stored = {(r.agency_id, r.artefact_id) for r in index.rec.values() if r.urn_class == "Codelist"}
    assert len(ids) == len(set(ids)) == len(stored)


def test_structure_selects_every_type_ordered_by_type(index: FakeIndex) -> None:
    result = run(index, "structure", "ECB", detail="allstubs")
    kinds = [type_of(o).urn_class for o in result]
    order = [t.urn_class for t in TYPES]
    assert kinds == sorted(kinds, key=order.index)
    assert set(kinds) == {
        "Dataflow",
        "Categorisation",
        "Codelist",
        "ConceptScheme",
        "DataStructure",
        "ContentConstraint",
    }
    assert kinds.index("Dataflow") < kinds.index("Codelist") < kinds.index("DataStructure")


@pytest.mark.parametrize(
    ("resource", "expected"),
    [
        (
            "allowedconstraint",
            {EXR_CONSTRAINTS, urn("ContentConstraint", "TEST:CC_LFS_ALLOWED(1.0)")},
        ),
        ("actualconstraint", {urn("ContentConstraint", "TEST:CC_LFS_ACTUAL(1.0)")}),
        (
            "contentconstraint",
            {
                EXR_CONSTRAINTS,
                urn("ContentConstraint", "TEST:CC_LFS_ALLOWED(1.0)"),
                urn("ContentConstraint", "TEST:CC_LFS_ACTUAL(1.0)"),
            },
        ),
    ],
)
def test_constraint_resources_filter_on_role(
    index: FakeIndex, resource: str, expected: set[str]
) -> None:
    assert set(urns(run(index, resource))) == expected


@pytest.mark.parametrize(
    "path",
    [
        ("codelist", "NOPE"),
        ("codelist", "TEST", "CL_SEX", "9.9"),
        ("datastructure", "ECB", "CL_FREQ"),
        ("actualconstraint", "ECB"),
    ],
)
def test_no_match_is_404(index: FakeIndex, path: tuple[str, ...]) -> None:
    with pytest.raises(NoResultsError) as info:
        run(index, *path)
    assert info.value.code == 100 and info.value.status == 404
    assert path[0] in info.value.message and path[1] in info.value.message


def test_unimplemented_resource_is_501(index: FakeIndex) -> None:
    query = StructureQuery("process", None, None, ("latest",), None, "full", "none")
    with pytest.raises(UnsupportedError, match="process"):
        resolve_structure_query(query, index, max_artefacts=10)


# References


def test_references_none(index: FakeIndex) -> None:
    assert urns(run(index, "dataflow", "ECB", "EXR")) == [EXR]


def test_references_children(index: FakeIndex) -> None:
    result = run(index, "datastructure", "ECB", "ECB_EXR1", "1.0", references="children")
    assert urns(result)[0] == ECB_EXR1
    assert refs(result) == ECB_CL | {ECB_CONCEPTS}


def test_references_children_of_categorisation(index: FakeIndex) -> None:
    result = run(index, "categorisation", "ECB", references="children")
    assert refs(result) == {EXR}  # its category scheme is not in the ECB file


def test_references_parents(index: FakeIndex) -> None:
    assert refs(run(index, "datastructure", "ECB", "ECB_EXR1", references="parents")) == {EXR}
    result = run(index, "codelist", "ECB", "CL_FREQ", "1.0", references="parents")
    assert refs(result) == {ECB_EXR1}


def test_references_parentsandsiblings(index: FakeIndex) -> None:
    result = run(index, "dataflow", "ECB", "EXR", references="parentsandsiblings")
    assert refs(result) == {EXR_CONSTRAINTS, EXR_CATEGORISATION}


def test_references_descendants(index: FakeIndex) -> None:
    result = run(index, "dataflow", "ECB", "EXR", references="descendants")
    assert refs(result) == {ECB_EXR1, ECB_CONCEPTS} | ECB_CL


def test_references_all(index: FakeIndex) -> None:
    result = run(index, "dataflow", "ECB", "EXR", references="all")
    expected = {EXR_CONSTRAINTS, EXR_CATEGORISATION, ECB_EXR1, ECB_CONCEPTS}
    assert refs(result) == expected | ECB_CL
    assert urns(result)[0] == EXR and len(result) == len(set(urns(result)))


@pytest.mark.parametrize(
    ("path", "references", "expected"),
    [
        (("datastructure", "ECB"), "dataflow", {EXR}),
        (("dataflow", "ECB", "EXR"), "codelist", ECB_CL),
        (("dataflow", "ECB", "EXR"), "conceptscheme", {ECB_CONCEPTS}),
        (("dataflow", "ECB", "EXR"), "allowedconstraint", {EXR_CONSTRAINTS}),
        (("dataflow", "ECB", "EXR"), "actualconstraint", set()),
        (("dataflow", "ECB", "EXR"), "categorisation", {EXR_CATEGORISATION}),
        (("codelist", "ECB", "CL_FREQ", "1.0"), "datastructure", {ECB_EXR1}),
        (
            ("dataflow", "TEST", "DF_LFS"),
            "contentconstraint",
            {
                urn("ContentConstraint", "TEST:CC_LFS_ALLOWED(1.0)"),
                urn("ContentConstraint", "TEST:CC_LFS_ACTUAL(1.0)"),
            },
        ),
        (
            ("codelist", "TEST", "CL_AREA", "1.0"),
            "hierarchicalcodelist",
            {urn("HierarchicalCodelist", "TEST:HCL_AREA(1.0)")},
        ),
    ],
)
def test_references_specific_type(
    index: FakeIndex, path: tuple[str, ...], references: str, expected: set[str]
) -> None:
    """TCK R-STR-11: the matched artefacts plus the required ones of that type, nothing else."""
    result = run(index, *path, references=references)
    assert refs(result) == expected


def test_referenced_exclude_matched(index: FakeIndex) -> None:
    result = run(index, "structure", "ECB", "all", "1.0", references="children", detail="allstubs")
    assert len(urns(result)) == len(set(urns(result)))
    matched = urns(run(index, "structure", "ECB", "all", "1.0", detail="allstubs"))
    assert urns(result) == matched
    # With latest, the DSD's CL_FREQ 1.0 is not matched (1.1 is): it comes as a reference.
    result = run(index, "structure", "ECB", references="children", detail="allstubs")
    matched = urns(run(index, "structure", "ECB", detail="allstubs"))
    assert urns(result) == [*matched, urn("Codelist", "ECB:CL_FREQ(1.0)")]


# Item queries


def test_item_query_keeps_items_and_ancestors(index: FakeIndex) -> None:
    (scheme,) = run(index, "codelist", "TEST", "CL_SEX", "1.1", "SEX_F")
    assert list(scheme.items) == ["SEX_T", "SEX_F"]
    assert [c.id for c in scheme["SEX_T"].child] == ["SEX_F"]
    assert scheme.is_partial is True


def test_item_query_plus_list_ignores_missing_ones(index: FakeIndex) -> None:
    (scheme,) = run(index, "codelist", "TEST", "CL_SEX", "1.0", "SEX_F+SEX_M+NOPE")
    assert list(scheme.items) == ["SEX_M", "SEX_F"]


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ("PSC.DEM.TOT", ["PSC", "DEM", "TOT"]),
        ("TOT", ["PSC", "DEM", "TOT"]),
        ("PSC.DEM", ["PSC", "DEM"]),
        ("PSC.DEM.MARR+PSC.DEM.TOT", ["PSC", "DEM", "TOT", "MARR"]),
    ],
)
def test_item_query_nested_categories(index: FakeIndex, item: str, expected: list[str]) -> None:
    (scheme,) = run(index, "categoryscheme", "ESTAT", "DATAFLOWS_SCHEME", "1.0", item)
    assert list(scheme.items) == expected
    assert scheme.is_partial is True


@pytest.mark.parametrize("item", ["NOPE", "DEM.TOT", "PSC.TOT"])
def test_item_query_unknown_item_is_404(index: FakeIndex, item: str) -> None:
    with pytest.raises(NoResultsError, match=item.replace(".", r"\.")):
        run(index, "categoryscheme", "ESTAT", "DATAFLOWS_SCHEME", "1.0", item)


def test_item_query_drops_schemes_without_the_item(index: FakeIndex) -> None:
    result = run(index, "codelist", "TEST", None, None, "SEX_F")
    assert urns(result) == [urn("Codelist", "TEST:CL_SEX(1.1)")]


def test_item_query_categorisations_of_the_requested_category(index: FakeIndex) -> None:
    """TCK: …/items?references=parentsandsiblings returns the categorisations pointing at them."""
    result = run(
        index, "categoryscheme", "ESTAT", "DATAFLOWS_SCHEME", "1.0", "PSC.DEM.TOT",
        references="parentsandsiblings",
    )  # fmt: skip
    assert refs(result) == {DEMO_TOT_CAT, DEMO_TOT_FLOW}
    other = run(
        index, "categoryscheme", "ESTAT", "DATAFLOWS_SCHEME", "1.0", "PSC.DEM.MARR",
        references="parentsandsiblings",
    )  # fmt: skip
    assert refs(other) == set()


def test_item_query_hierarchical_codelist(index: FakeIndex) -> None:
    (hcl,) = run(index, "hierarchicalcodelist", "TEST", "HCL_AREA", "1.0", "H1.EUR.BEL")
    (h1,) = hcl.hierarchy
    assert list(h1.codes) == ["EUR"]
    assert [c.id for c in h1.codes["EUR"].child] == ["BEL"]
    (whole,) = run(index, "hierarchicalcodelist", "TEST", "HCL_AREA", "1.0", "H2")
    assert [h.id for h in whole.hierarchy] == ["H2"]
    with pytest.raises(NoResultsError):
        run(index, "hierarchicalcodelist", "TEST", "HCL_AREA", "1.0", "H1.BEL")


# Detail


def _is_stub(obj: common.MaintainableArtefact) -> bool:
    empty = not getattr(obj, "items", None) and not getattr(obj, "hierarchy", None)
    if isinstance(obj, v21.DataStructureDefinition):
        empty = not len(obj.dimensions) and not len(obj.attributes)
    return bool(obj.is_external_reference) and empty and bool(obj.name.localizations)


def test_detail_full(index: FakeIndex) -> None:
    result = run(index, "datastructure", "ECB", "ECB_EXR1", references="children", detail="full")
    assert not any(_is_stub(o) for o in result)
    assert all(o.is_partial is not True for o in result if isinstance(o, common.ItemScheme))


def test_detail_allstubs(index: FakeIndex) -> None:
    result = run(
        index, "datastructure", "ECB", "ECB_EXR1", references="children", detail="allstubs"
    )
    assert len(result) == 13 and all(_is_stub(o) for o in result)
    assert all(not o.annotations for o in result)


def test_detail_allcompletestubs(index: FakeIndex) -> None:
    (stub,) = run(index, "codelist", "TEST", "CL_SEX", "1.1", detail="allcompletestubs")
    assert _is_stub(stub) and stub.is_final is True
    assert str(stub.description.localizations["en"]).startswith("Sex, with")
    assert [a.id for a in stub.annotations] == ["NOTE"]
    (plain,) = run(index, "codelist", "TEST", "CL_SEX", "1.1", detail="allstubs")
    assert not plain.description.localizations and not plain.annotations


@pytest.mark.parametrize("detail", ["referencestubs", "referencecompletestubs"])
def test_detail_reference_stubs(index: FakeIndex, detail: str) -> None:
    result = run(index, "dataflow", "ECB", "EXR", references="descendants", detail=detail)
    assert not _is_stub(result[0])
    assert all(_is_stub(o) for o in result[1:]) and len(result) == 14


def test_detail_referencepartial_concepts_of_the_dsd(index: FakeIndex) -> None:
    result = run(
        index, "datastructure", "ECB", "ECB_EXR1", "1.0", references="children",
        detail="referencepartial",
    )  # fmt: skip
    by_urn = dict(zip(urns(result), result, strict=True))
    concepts = by_urn[ECB_CONCEPTS]
    dsd = result[0]
    used = {c.concept_identity.id for cl in (dsd.dimensions, dsd.attributes, dsd.measures)
            for c in cl}  # fmt: skip
    assert concepts.is_partial is True and set(concepts.items) == used
    # No dataflow constraint is involved: the codelists stay whole.
    freq = by_urn[urn("Codelist", "ECB:CL_FREQ(1.0)")]
    assert len(freq) == 10 and freq.is_partial is not True


def test_detail_referencepartial_codes_allowed_by_the_dataflow_constraint(
    index: FakeIndex,
) -> None:
    result = run(
        index, "dataflow", "ECB", "EXR", references="descendants", detail="referencepartial"
    )
    by_urn = dict(zip(urns(result), result, strict=True))
    assert EXR_CONSTRAINTS not in by_urn  # read for the computation, not returned
    freq = by_urn[urn("Codelist", "ECB:CL_FREQ(1.0)")]
    assert set(freq.items) == {"A", "Q", "D", "H", "M"} and freq.is_partial is True
    currency = by_urn[urn("Codelist", "ECB:CL_CURRENCY(1.0)")]
    assert {"E0", "ATS", "USD"} <= set(currency.items) < set(index.load(urn_of(currency)).items)
    status = by_urn[urn("Codelist", "ECB:CL_OBS_STATUS(1.0)")]  # attribute: unconstrained
    assert len(status) == 17 and status.is_partial is not True


def test_detail_referencepartial_synthetic_constraint(index: FakeIndex) -> None:
    result = run(index, "dataflow", "TEST", "DF_LFS", references="codelist",
                 detail="referencepartial")  # fmt: skip
    by_id = {o.id: o for o in result[1:]}
    assert list(by_id["CL_SEX"].items) == ["SEX_F"] and by_id["CL_SEX"].is_partial
    assert len(by_id["CL_FREQ"]) == 3  # only the Actual constraint mentions FREQ


def test_detail_referencepartial_categories(index: FakeIndex) -> None:
    result = run(index, "categorisation", "ESTAT", "DEMO_TOT", references="children",
                 detail="referencepartial")  # fmt: skip
    (scheme,) = [o for o in result if isinstance(o, common.CategoryScheme)]
    assert list(scheme.items) == ["PSC", "DEM", "TOT"] and scheme.is_partial is True


def test_partial_results_are_writable_by_sdmx1(index: FakeIndex) -> None:
    result = run(index, "dataflow", "ECB", "EXR", references="all", detail="referencepartial")
    msg = StructureMessage()
    for obj in result:
        msg.add(obj)
    back = sdmx.read_sdmx(io.BytesIO(sdmx.to_xml(msg)))
    assert set(back.codelist["CL_FREQ"].items) == {"A", "Q", "D", "H", "M"}


# The transforms one by one


def test_to_stub(index: FakeIndex) -> None:
    full = index.load(urn("Codelist", "TEST:CL_SEX(1.1)"))
    stub = to_stub(full, complete=False)
    assert type(stub) is type(full) and stub is not full
    assert (stub.id, stub.maintainer.id, str(stub.version)) == ("CL_SEX", "TEST", "1.1")
    assert stub.name.localizations == full.name.localizations
    assert stub.is_external_reference is True and len(stub) == 0 and not stub.annotations
    assert len(full) == 3  # the original is untouched
    complete = to_stub(full, complete=True)
    assert complete.description.localizations and complete.annotations
    constraint = to_stub(index.load(EXR_CONSTRAINTS), complete=False)
    assert constraint.role.role == common.ConstraintRoleType.allowable
    assert not constraint.data_content_region and not constraint.content
    dsd = to_stub(index.load(ECB_EXR1), complete=True)
    assert not len(dsd.dimensions) and dsd.is_external_reference


def test_filter_items(index: FakeIndex) -> None:
    scheme = index.load(DATAFLOWS_SCHEME)
    assert filter_items(scheme, ["PSC.DEM.FERT", "MORT"]) is scheme
    assert list(scheme.items) == ["PSC", "DEM", "FERT", "MORT"]
    assert [c.id for c in scheme["DEM"].child] == ["FERT", "MORT"]
    assert filter_items(index.load(DATAFLOWS_SCHEME), ["X"]) is None
    with pytest.raises(TypeError):
        filter_items(index.load(EXR), ["A"])


def test_partial_for(index: FakeIndex) -> None:
    sex = index.load(urn("Codelist", "TEST:CL_SEX(1.0)"))
    dsd = index.load(urn("DataStructure", "TEST:DSD_LFS(1.0)"))
    allowed = index.load(urn("ContentConstraint", "TEST:CC_LFS_ALLOWED(1.0)"))
    actual = index.load(urn("ContentConstraint", "TEST:CC_LFS_ACTUAL(1.0)"))
    partial_for(sex, [dsd, actual])  # an Actual constraint restricts nothing
    assert len(sex) == 3 and sex.is_partial is not True
    partial_for(sex, [dsd, allowed])
    assert list(sex.items) == ["SEX_F"] and sex.is_partial is True
    area = index.load(urn("Codelist", "TEST:CL_AREA(1.0)"))
    partial_for(area, [dsd, allowed])  # REF_AREA is not constrained
    assert len(area) == 60
    concepts = index.load(urn("ConceptScheme", "TEST:CS_LFS(1.0)"))
    partial_for(concepts, [allowed])  # no DSD: nothing known to be used
    assert concepts.is_partial is not True
    partial_for(concepts, [dsd])
    assert concepts.is_partial is True and "SEX" in concepts.items
    flow = index.load(urn("Dataflow", "TEST:DF_LFS(1.0)"))
    partial_for(flow, [dsd, allowed])  # not an item scheme: untouched
    assert flow.structure is not None


# Size limit


def test_too_many_artefacts_is_510(index: FakeIndex) -> None:
    with pytest.raises(ResponseTooLargeError) as info:
        run(index, "codelist", max_artefacts=3)
    error = info.value
    assert error.code == 510 and error.status == 413
    assert "allstubs" in error.message and "agency" in error.message


def test_too_many_referenced_artefacts_is_510(index: FakeIndex) -> None:
    with pytest.raises(ResponseTooLargeError, match="13"):
        run(index, "datastructure", "ECB", "ECB_EXR1", references="children", max_artefacts=5)


def test_stubs_do_not_count_towards_the_limit(index: FakeIndex) -> None:
    assert len(run(index, "codelist", max_artefacts=3, detail="allstubs")) > 3
    result = run(
        index, "datastructure", "ECB", "ECB_EXR1", references="children", max_artefacts=1,
        detail="referencestubs",
    )  # fmt: skip
    assert len(result) == 13
