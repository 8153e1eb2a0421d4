"""The cache of resolved dataflow structures (``registry.data_structures.FLOW_CACHE``).

On SQLite and PostgreSQL: a second ``flow_context`` call (through the catalogue, or a second
data request over HTTP) does not rebuild the context; every kind of structure change (an edit
of a non-final codelist, a new constraint, its deletion) is seen by the next call, also when
another process (``python -m registry load``) writes while this one serves; callers get their
own dicts; the structure clock changes with each structure write and only then; the LRU is
bounded; without the clock row nothing is cached.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest
import sqlalchemy

from registry import content, data_structures, maintenance
from registry.catalog import Catalog
from registry.data_structures import FLOW_CACHE, FlowContext, StructureCache, flow_context
from registry.io import sdmxml
from registry.storage import artefacts
from registry.storage.db import make_engine, session_scope
from registry.submission import SubmissionOptions, Upload, submit
from tests.conftest import LiveServer, Tokens

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).parent / "data" / "bench"
FLOW_URN = "urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=TEST:DF_LFS(1.0)"
CL_SEX = "urn:sdmx:org.sdmx.infomodel.codelist.Codelist=TEST:CL_SEX(1.0)"
CONSTRAINT_URN = "urn:sdmx:org.sdmx.infomodel.registry.ContentConstraint=TEST:CC_ARG(1.0)"
SEX_T = (
    '<str:Code id="SEX_T" urn="urn:sdmx:org.sdmx.infomodel.codelist.Code=TEST:CL_SEX(1.0).SEX_T">'
)
CSV_TYPE = "application/vnd.sdmx.data+csv;version=1.0.0"
CONSTRAINT = """<?xml version="1.0" encoding="UTF-8"?>
<mes:Structure xmlns:mes="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
    xmlns:str="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure"
    xmlns:com="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common">
  <mes:Header><mes:ID>CC</mes:ID><mes:Test>false</mes:Test>
    <mes:Prepared>2026-01-01T00:00:00</mes:Prepared><mes:Sender id="TEST"/></mes:Header>
  <mes:Structures><str:Constraints>
    <str:ContentConstraint id="CC_ARG" agencyID="TEST" version="1.0" isFinal="false"
        type="Allowed">
      <com:Name xml:lang="en">Argentina only</com:Name>
      <str:ConstraintAttachment><str:Dataflow>
        <Ref agencyID="TEST" id="DF_LFS" version="1.0" class="Dataflow" package="datastructure"/>
      </str:Dataflow></str:ConstraintAttachment>
      <str:CubeRegion include="true"><com:KeyValue id="REF_AREA"><com:Value>ARG</com:Value>
      </com:KeyValue></str:CubeRegion>
    </str:ContentConstraint>
  </str:Constraints></mes:Structures>
</mes:Structure>
"""
DATA = "\n".join(
    [
        "DATAFLOW,FREQ,REF_AREA,SEX,AGE,ECO,MEASURE,TIME_PERIOD,OBS_VALUE,OBS_STATUS,"
        "UNIT_MEASURE,UNIT_MULT",
        *(
            f"TEST:DF_LFS(1.0),Q,ARG,SEX_T,AGE_YGE15,ECO_ISIC4_TOTAL,EMP,2020-Q{q},{q}.5,A,PS,3"
            for q in range(1, 5)
        ),
    ]
)


# ── fixtures and helpers ─────────────────────────────────────────────────────────────────────────


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """The benchmark structures made non-final (so they may be edited), an edit of CL_SEX
    (SEX_T named "Both sexes"), the provision agreement and a constraint allowing only ARG."""
    text = (BENCH / "synthetic_dsd.xml").read_text(encoding="utf-8")
    text = text.replace('isFinal="true"', 'isFinal="false"')
    named = f'{SEX_T}<com:Name xml:lang="en">Total</com:Name>'
    assert text.count(named) == 1
    out = {
        "dsd": tmp_path / "dsd.xml",
        "edited": tmp_path / "dsd-edited.xml",
        "provision": BENCH / "synthetic_provision.xml",
        "constraint": tmp_path / "constraint.xml",
    }
    out["dsd"].write_text(text, encoding="utf-8")
    edited = text.replace(named, f'{SEX_T}<com:Name xml:lang="en">Both sexes</com:Name>')
    out["edited"].write_text(edited, encoding="utf-8")
    out["constraint"].write_text(CONSTRAINT, encoding="utf-8")
    return out


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The dataflows ``flow_context`` built (rather than took from the cache), in order."""
    FLOW_CACHE.clear()
    built: list[str] = []
    real = data_structures._build_flow_context

    def counting(catalog: Catalog, flow_urn: str, agreement_urn: str | None = None) -> FlowContext:
        built.append(flow_urn)
        return real(catalog, flow_urn, agreement_urn)

    monkeypatch.setattr(data_structures, "_build_flow_context", counting)
    yield built
    FLOW_CACHE.clear()


def load(engine: sqlalchemy.engine.Engine, *paths: Path) -> None:
    with session_scope(engine) as session:
        maintenance.submit_structures(session, content.load_files(paths), actor="test")


def context(engine: sqlalchemy.engine.Engine, agreement: str | None = None) -> FlowContext:
    with session_scope(engine) as session:
        return flow_context(Catalog(session), FLOW_URN, agreement)


def sex_t(ctx: FlowContext) -> str:
    return str(ctx.codelists[CL_SEX]["SEX_T"].name.localizations["en"])


def snapshot(ctx: FlowContext) -> bytes:
    """The DSD and codelists of a context as SDMX-ML, to see that no request changed them."""
    return sdmxml.write_structures(
        [ctx.dsd, *ctx.codelists.values()], header_id="X", prepared=datetime(2026, 1, 1)
    )


def marker(engine: sqlalchemy.engine.Engine) -> str | None:
    with session_scope(engine) as session:
        return artefacts.structure_marker(session)


def cli_load(database_url: str, path: Path) -> None:
    """``python -m registry load PATH`` in another process, on the same database."""
    env = {**os.environ, "REGISTRY_DATABASE_URL": database_url}
    done = subprocess.run(
        [sys.executable, "-m", "registry", "load", str(path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]


# ── the catalogue ────────────────────────────────────────────────────────────────────────────────


def test_cached_until_a_structure_changes(
    engine: sqlalchemy.engine.Engine, files: dict[str, Path], builds: list[str]
) -> None:
    load(engine, files["dsd"], files["provision"])
    first = context(engine)
    second = context(engine)
    assert builds == [FLOW_URN]
    assert second.rules is first.rules and second.dsd is first.dsd  # shared, read-only
    assert sex_t(second) == "Total"
    # Each caller gets its own dicts: changing them does not reach the cache.
    assert second.structures is not first.structures
    second.structures["constraints"].append("junk")
    second.codelists.clear()
    third = context(engine)
    assert third.structures["constraints"] == [] and CL_SEX in third.codelists
    assert builds == [FLOW_URN]

    # An edit of a non-final codelist.
    load(engine, files["edited"])
    assert sex_t(context(engine)) == "Both sexes"
    assert len(builds) == 2
    # A new artefact: an Allowed constraint attached to the dataflow.
    load(engine, files["constraint"])
    constrained = context(engine)
    assert constrained.rules.allowed["REF_AREA"] == frozenset({"ARG"})
    assert constrained.structures["constraints"] == [CONSTRAINT_URN]
    # Its deletion.
    with session_scope(engine) as session:
        maintenance.delete_artefact(session, CONSTRAINT_URN, actor="test")
    freed = context(engine)
    assert len(freed.rules.allowed["REF_AREA"]) == 60 and freed.structures["constraints"] == []
    assert len(builds) == 4
    context(engine)
    assert len(builds) == 4

    # The agreement is part of the key.
    with session_scope(engine) as session:
        agreement = next(
            r.urn for r in artefacts.find(session, ["ProvisionAgreement"], ["TEST"], None)
        )
    assert context(engine, agreement).provision_agreement == agreement
    assert context(engine).provision_agreement is None
    assert len(builds) == 5


def test_a_write_by_another_process_is_seen(
    database_url: str,
    engine: sqlalchemy.engine.Engine,
    files: dict[str, Path],
    builds: list[str],
) -> None:
    load(engine, files["dsd"], files["provision"])
    assert sex_t(context(engine)) == "Total"
    assert sex_t(context(engine)) == "Total"
    cli_load(database_url, files["edited"])
    assert sex_t(context(engine)) == "Both sexes"
    assert builds == [FLOW_URN, FLOW_URN]


def test_the_clock_moves_with_structure_writes_only(
    engine: sqlalchemy.engine.Engine, files: dict[str, Path], tmp_path: Path
) -> None:
    fresh = marker(engine)
    assert fresh is not None  # the migration made the row
    load(engine, files["dsd"], files["provision"])
    loaded = marker(engine)
    assert loaded not in (None, fresh)
    load(engine, files["dsd"])  # unchanged artefacts: nothing written
    assert marker(engine) == loaded
    data = tmp_path / "data.csv"
    data.write_text(DATA, encoding="utf-8")
    record = submit(engine, Upload(data), SubmissionOptions(owner="t", provider="TEST:BENCH"))
    assert record.status == "accepted", record.report
    assert marker(engine) == loaded  # data are not structures
    load(engine, files["constraint"])
    added = marker(engine)
    assert added not in (None, loaded)
    with session_scope(engine) as session:
        maintenance.delete_artefact(session, CONSTRAINT_URN, actor="test")
    assert marker(engine) not in (None, added, loaded)


def test_without_the_clock_row_nothing_is_cached(
    engine: sqlalchemy.engine.Engine, files: dict[str, Path], builds: list[str]
) -> None:
    load(engine, files["dsd"], files["provision"])
    with engine.begin() as connection:
        connection.execute(sqlalchemy.text("DELETE FROM structure_clock"))
    assert marker(engine) is None
    context(engine)
    context(engine)
    assert len(builds) == 2 and len(FLOW_CACHE) == 0
    load(engine, files["edited"])  # a write puts the row back
    assert marker(engine) is not None
    assert sex_t(context(engine)) == "Both sexes"
    context(engine)
    assert len(builds) == 3


def test_the_cache_is_a_bounded_thread_safe_lru(
    engine: sqlalchemy.engine.Engine, files: dict[str, Path]
) -> None:
    load(engine, files["dsd"], files["provision"])
    value = context(engine)
    cache = StructureCache(maxsize=2)
    cache.put(("m", "a", None), value)
    cache.put(("m", "b", None), value)
    assert cache.get(("m", "a", None)) is value  # a is now the most recent
    cache.put(("m", "c", None), value)
    assert cache.get(("m", "b", None)) is None and len(cache) == 2
    assert cache.get(("m", "a", None)) is value and cache.get(("m", "c", None)) is value

    errors: list[BaseException] = []

    def hammer(n: int) -> None:
        try:
            for i in range(300):
                key = ("m", f"{n}-{i % 7}", None)
                cache.put(key, value)
                found = cache.get(key)
                assert found is None or found is value
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=hammer, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(cache) == 2


# ── over HTTP ────────────────────────────────────────────────────────────────────────────────────


def test_data_requests_reuse_the_context_and_see_a_cli_edit(
    live_server: LiveServer,
    tokens: Tokens,
    files: dict[str, Path],
    builds: list[str],
) -> None:
    with httpx.Client(base_url=live_server.url, timeout=120) as client:
        for name in ("dsd", "provision"):
            r = client.post(
                "/rest/structure",
                content=files[name].read_bytes(),
                headers={"Authorization": f"Bearer {tokens.curator}"},
            )
            assert r.status_code == 201, r.text[:500]
        r = client.post(
            "/submissions",
            content=DATA.encode(),
            params={"dataflow": "TEST,DF_LFS,1.0"},
            headers={"Authorization": f"Bearer {tokens.producer}", "Content-Type": CSV_TYPE},
        )
        assert r.status_code == 201, r.text[:2000]
        builds.clear()

        def get() -> str:
            r = client.get(
                "/rest/data/TEST,DF_LFS,1.0/Q.ARG..AGE_YGE15..EMP",
                params={"format": "csvdata", "labels": "both"},
            )
            assert r.status_code == 200, r.text[:500]
            assert r.text.count("2020-Q") == 4
            return r.text

        assert "Both sexes" not in get()
        get()
        assert builds == [FLOW_URN]
        engine = make_engine(live_server.settings.database_url)
        cached = context(engine)  # the cache's DSD and codelists, shared with the requests
        before = snapshot(cached)
        for fmt in ({}, {"format": "jsonstructure"}):  # SDMX-ML, SDMX-JSON
            r = client.get(
                "/rest/availableconstraint/TEST,DF_LFS,1.0", params={"references": "all", **fmt}
            )
            assert r.status_code == 200, r.text[:500]
        assert builds == [FLOW_URN]  # availability resolves the same, cached, context
        get()
        assert snapshot(context(engine)) == before  # and nobody changed it
        engine.dispose()

        cli_load(live_server.settings.database_url, files["edited"])  # another process writes
        assert "Both sexes" in get()
        get()
        assert builds == [FLOW_URN, FLOW_URN]
