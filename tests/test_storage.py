"""Storage on SQLite and PostgreSQL: migrations match the models, edges, tokens, audit, rollback."""

from __future__ import annotations

import pytest
import sqlalchemy
from sqlalchemy.engine import Engine

from registry import auth
from registry.errors import ForbiddenError, QuerySyntaxError, UnauthorizedError
from registry.storage import artefacts, audit, migrate
from registry.storage.db import make_engine, session_scope

CL = "urn:sdmx:org.sdmx.infomodel.codelist.Codelist=TEST:CL_A(1.0)"
CS = "urn:sdmx:org.sdmx.infomodel.conceptscheme.ConceptScheme=TEST:CS(1.0)"
DSD = "urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure=TEST:DSD(1.0)"


def _save(session, urn: str, cls: str, id_: str, refs: set[str], *, final: bool = False) -> None:  # type: ignore[no-untyped-def]
    artefacts.save(
        session,
        urn=urn,
        urn_class=cls,
        agency_id="TEST",
        artefact_id=id_,
        version="1.0",
        is_final=final,
        constraint_role=None,
        names={"en": id_, "fr": id_ + " (fr)"},
        sdmx_ml=f"<xml id='{id_}'/>",
        content_hash=id_.ljust(64, "0"),
        references=refs,
    )
    audit.record(session, actor="test", action="created", target=urn)


def test_migrations_match_models_and_downgrade(engine: Engine) -> None:
    assert migrate.current(engine) is not None
    assert migrate.pending_changes(engine) == []
    migrate.downgrade(engine, "base")
    assert migrate.current(engine) is None
    assert "artefact" not in sqlalchemy.inspect(engine).get_table_names()
    migrate.upgrade(engine)
    assert migrate.pending_changes(engine) == []
    assert {"artefact", "artefact_ref", "registry_user", "token", "audit"} <= set(
        sqlalchemy.inspect(engine).get_table_names()
    )


def test_save_find_edges_and_remove(engine: Engine) -> None:
    with session_scope(engine) as s:
        _save(s, CL, "Codelist", "CL_A", set(), final=True)
        _save(s, CS, "ConceptScheme", "CS", {CL})
        _save(s, DSD, "DataStructure", "DSD", {CL, CS})
    with session_scope(engine) as s:
        found = artefacts.find(s, ["Codelist", "DataStructure"], ["TEST"], None, ["1.0"])
        assert [r.urn for r in found] == [CL, DSD]
        assert found[0].is_final and not found[1].is_final
        assert artefacts.find(s, ["Codelist"], ["OTHER"], None, None) == []
        assert artefacts.refs_from(s, [DSD]) == {DSD: {CL, CS}}
        assert artefacts.refs_to(s, [CL]) == {CL: {CS, DSD}}
        assert artefacts.existing(s, [CL, "urn:x"]) == {CL}
        record, text = artefacts.get_sdmx_ml(s, CS) or (None, "")
        assert record is not None and record.urn_class == "ConceptScheme"
        assert text == "<xml id='CS'/>"
        assert artefacts.count(s) == 3
        assert artefacts.last_change(s) is not None
    with session_scope(engine) as s:
        assert artefacts.remove(s, DSD)
        assert not artefacts.remove(s, DSD)
    with session_scope(engine) as s:
        assert artefacts.refs_to(s, [CL]) == {CL: {CS}}
        assert artefacts.count(s) == 2


def test_resave_replaces_edges(engine: Engine) -> None:
    with session_scope(engine) as s:
        _save(s, CL, "Codelist", "CL_A", set())
        _save(s, CS, "ConceptScheme", "CS", set())
        _save(s, DSD, "DataStructure", "DSD", {CL, CS})
        _save(s, DSD, "DataStructure", "DSD", {CS})
    with session_scope(engine) as s:
        assert artefacts.refs_from(s, [DSD]) == {DSD: {CS}}
        assert artefacts.count(s) == 3


def test_failed_transaction_leaves_nothing(engine: Engine) -> None:
    with pytest.raises(RuntimeError), session_scope(engine) as s:
        _save(s, CL, "Codelist", "CL_A", set())
        raise RuntimeError("boom")
    with session_scope(engine) as s:
        assert artefacts.count(s) == 0
        assert audit.entries(s) == []


def test_tokens_are_hashed_and_roles_enforced(engine: Engine) -> None:
    with session_scope(engine) as s:
        secret, _ = auth.create_token(s, name="cora", role="curator")
        producer_secret, _ = auth.create_token(
            s, name="pat", role="producer", provider="MA.HCP:HCP"
        )
    with engine.connect() as conn:
        stored = [row[0] for row in conn.execute(sqlalchemy.text("SELECT token_hash FROM token"))]
    assert secret not in stored and auth.hash_token(secret) in stored
    with session_scope(engine) as s:
        found = auth.authenticate(s, secret)
        assert found is not None and (found.name, found.role) == ("cora", "curator")
        assert auth.require(found, auth.STRUCTURE_WRITERS, "writing") == found
        producer = auth.authenticate(s, producer_secret)
        assert producer is not None and producer.provider == "MA.HCP:HCP"
        with pytest.raises(ForbiddenError, match="needs role admin or curator"):
            auth.require(producer, auth.STRUCTURE_WRITERS, "writing structures")
        with pytest.raises(UnauthorizedError, match="not known"):
            auth.authenticate(s, "lmis_wrong")
        with pytest.raises(UnauthorizedError, match="needs a bearer token"):
            auth.require(None, auth.STRUCTURE_WRITERS, "writing structures")
        assert auth.authenticate(s, None) is None


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"role": "king"}, "role must be one of"),
        ({"role": "producer"}, "needs --provider"),
        ({"role": "producer", "provider": "no colon"}, "AGENCY:PROVIDER_ID"),
    ],
)
def test_token_creation_checks(engine: Engine, kwargs: dict[str, str], needle: str) -> None:
    with pytest.raises(QuerySyntaxError, match=needle), session_scope(engine) as s:
        auth.create_token(s, name="x", **kwargs)


def test_make_engine_creates_sqlite_folder(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'deep' / 'er' / 'r.db'}"
    eng = make_engine(url)
    migrate.upgrade(eng)
    assert (tmp_path / "deep" / "er" / "r.db").exists()
    eng.dispose()
