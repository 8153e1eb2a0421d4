"""The shipped LMIS content as a harvester sees it after ``registry init`` on a new database.

Loads ``codelists/``, ``dsd/`` and ``dataflows/`` exactly as ``registry init`` does, then queries
the live server: the 8 dataflows, the migration DSD with every codelist and concept scheme it uses,
and the regions in Arabic, French and English.
"""

from __future__ import annotations

import io

import httpx
import pytest
import sdmx

from registry import content, maintenance
from registry.storage.db import make_engine, session_scope
from tests.conftest import LiveServer


@pytest.fixture
def server(live_server: LiveServer) -> LiveServer:
    engine = make_engine(live_server.settings.database_url)
    with session_scope(engine) as session:
        results = maintenance.submit_structures(
            session, content.load_files(content.content_files()), actor="test"
        )
    engine.dispose()
    assert {r.status for r in results} == {"created"}
    return live_server


def _get(server: LiveServer, path: str) -> sdmx.message.StructureMessage:
    r = httpx.get(server.url + path, timeout=60)
    assert r.status_code == 200, r.text[:300]
    return sdmx.read_sdmx(io.BytesIO(r.content))


def test_eight_dataflows(server: LiveServer) -> None:
    msg = _get(server, "/rest/dataflow/MA.HCP/all/latest")
    assert sorted(msg.dataflow) == [
        "DF_DW_IND",
        "DF_LFS_KEY",
        "DF_LM_ADMIN",
        "DF_MIG_FLOW",
        "DF_MIG_STOCK",
        "DF_OSH",
        "DF_REMIT",
        "DF_SDG8",
    ]


def test_migration_dsd_with_children(server: LiveServer) -> None:
    msg = _get(server, "/rest/datastructure/MA.HCP/DSD_LMIS_MIG/1.0?references=children")
    dsd = msg.structure["DSD_LMIS_MIG"]
    used = set()
    for cl in (dsd.dimensions, dsd.attributes):
        for component in cl.components:
            rep = component.local_representation
            if rep is not None and rep.enumerated is not None:
                used.add(rep.enumerated.id)
    returned = {k for k, v in msg.codelist.items() if not v.is_external_reference}
    assert used and used <= returned
    assert "CS_LMIS" in {k for k, v in msg.concept_scheme.items() if not v.is_external_reference}


def test_regions_in_three_languages(server: LiveServer) -> None:
    cl = _get(server, "/rest/codelist/MA.HCP/CL_AREA_MA/latest").codelist["CL_AREA_MA"]
    regions = [code for code in cl if code.id != "MAR"]
    assert len(regions) == 12
    for code in [*regions, cl["MAR"]]:
        assert {"ar", "fr", "en"} <= set(code.name.localizations), code.id
