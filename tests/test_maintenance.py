"""Structure maintenance rules on SQLite and PostgreSQL, with the real synthetic LFS structures.

One message is one transaction; references must resolve; final artefacts never change; non-final
ones are replaced; identical resubmission is a no-op; deletion is refused while referenced. After
every refusal the store is checked to be exactly as before (count and content hashes).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sdmx.model import common
from sqlalchemy.engine import Engine

from registry import maintenance
from registry.errors import ConflictError, NoResultsError, StructureSubmissionError
from registry.io import sdmxml
from registry.storage import artefacts, audit
from registry.storage.db import session_scope
from registry.structure_types import urn_of

BENCH = Path(__file__).parent / "data" / "bench"
DSD_FILE = BENCH / "synthetic_dsd.xml"
PROVISION_FILE = BENCH / "synthetic_provision.xml"


def _read(path: Path) -> list[common.MaintainableArtefact]:
    return list(sdmxml.read_structures(path).artefacts)


def _snapshot(engine: Engine) -> dict[str, str]:
    with session_scope(engine) as s:
        every = artefacts.find(s, [r for r in _classes()], None, None, None)
        return {r.urn: r.content_hash for r in every}


def _classes() -> list[str]:
    from registry.structure_types import TYPES

    return [t.urn_class for t in TYPES]


def _submit(engine: Engine, objs: list[common.MaintainableArtefact]) -> list[str]:
    with session_scope(engine) as s:
        return [r.status for r in maintenance.submit_structures(s, objs, actor="test")]


def test_load_then_identical_resubmission_is_a_no_op(engine: Engine) -> None:
    objs = _read(DSD_FILE)
    assert set(_submit(engine, objs)) == {"created"}
    before = _snapshot(engine)
    assert len(before) == len(objs) == 12
    with session_scope(engine) as s:
        audits = len(audit.entries(s, limit=1000))
    assert set(_submit(engine, _read(DSD_FILE))) == {"unchanged"}
    assert _snapshot(engine) == before
    with session_scope(engine) as s:
        assert len(audit.entries(s, limit=1000)) == audits


def test_changed_final_artefact_is_refused_and_nothing_changes(engine: Engine) -> None:
    _submit(engine, _read(DSD_FILE))
    before = _snapshot(engine)
    objs = _read(DSD_FILE)
    freq = next(o for o in objs if o.id == "CL_FREQ")
    assert freq.is_final
    freq.name.localizations["en"] = "Frequency (edited)"
    new_cl = common.Codelist(id="CL_NEW", version="1.0", maintainer=freq.maintainer, is_final=True)
    new_cl.name = "brand new"
    with pytest.raises(StructureSubmissionError) as info, session_scope(engine) as s:
        maintenance.submit_structures(s, [*objs, new_cl], actor="test")
    results = {r.urn: r for r in info.value.results}
    bad = results[urn_of(freq)]
    assert bad.status == "error" and "final" in bad.messages[0]
    assert results[urn_of(new_cl)].status == "not_processed"
    assert _snapshot(engine) == before


def test_non_final_artefact_is_replaced(engine: Engine) -> None:
    objs = _read(DSD_FILE)
    area = next(o for o in objs if o.id == "CL_AREA")
    area.is_final = False
    _submit(engine, objs)
    area.name.localizations["fr"] = "Zone de référence"
    assert _submit(engine, [area]) == ["replaced"]
    with session_scope(engine) as s:
        found = artefacts.get_sdmx_ml(s, urn_of(area))
    assert found is not None and "Zone de référence" in found[1]


def test_dangling_references_are_listed_and_nothing_is_stored(engine: Engine) -> None:
    objs = _read(DSD_FILE)
    dsd = next(o for o in objs if type(o).__name__ == "DataStructureDefinition")
    flow = next(o for o in objs if type(o).__name__ == "DataflowDefinition")
    expected = {urn_of(o) for o in objs if o is not dsd and o is not flow}
    with pytest.raises(StructureSubmissionError) as info, session_scope(engine) as s:
        maintenance.submit_structures(s, [dsd, flow], actor="test")
    assert set(info.value.details) == expected
    assert "nothing was stored" in info.value.message
    assert _snapshot(engine) == {}


def test_references_resolve_against_the_store(engine: Engine) -> None:
    _submit(engine, _read(DSD_FILE))
    assert _submit(engine, _read(PROVISION_FILE)) == ["created", "created"]


def test_delete_refused_while_referenced(engine: Engine) -> None:
    objs = _read(DSD_FILE)
    _submit(engine, objs)
    freq = next(o for o in objs if o.id == "CL_FREQ")
    flow = next(o for o in objs if type(o).__name__ == "DataflowDefinition")
    before = _snapshot(engine)
    with pytest.raises(ConflictError, match="reference it") as info, session_scope(engine) as s:
        maintenance.delete_artefact(s, urn_of(freq), actor="test")
    assert any("DataStructure=TEST:DSD_LFS" in d for d in info.value.details)
    assert _snapshot(engine) == before
    with session_scope(engine) as s:
        assert maintenance.delete_artefact(s, urn_of(flow), actor="test").status == "deleted"
    with pytest.raises(NoResultsError), session_scope(engine) as s:
        maintenance.delete_artefact(s, urn_of(flow), actor="test")


def test_delete_action_removes_a_closed_set_or_nothing(engine: Engine) -> None:
    objs = _read(DSD_FILE)
    _submit(engine, objs)
    freq = next(o for o in objs if o.id == "CL_FREQ")
    with pytest.raises(StructureSubmissionError), session_scope(engine) as s:
        maintenance.delete_structures(s, [freq], actor="test")
    assert len(_snapshot(engine)) == 12
    with session_scope(engine) as s:
        results = maintenance.delete_structures(s, objs, actor="test")
    assert {r.status for r in results} == {"deleted"}
    assert _snapshot(engine) == {}
