"""The sdmx1 ``Client`` as a real harvester: a custom source pointing at a live uvicorn server.

Retrieves the dataflows, a DSD with ``references=all`` and a codelist through sdmx1's own URL
builder and readers, exactly as a user of ``sdmx.Client`` would against this registry.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import sdmx

from tests.conftest import LiveServer, Tokens

BENCH = Path(__file__).parent / "data" / "bench"


@pytest.fixture
def source_id(live_server: LiveServer, tokens: Tokens) -> str:
    for name in ("synthetic_dsd.xml", "synthetic_provision.xml"):
        r = httpx.post(
            live_server.url + "/rest/structure",
            content=(BENCH / name).read_bytes(),
            headers={"Authorization": f"Bearer {tokens.curator}"},
        )
        assert r.status_code == 201, r.text
    sdmx.add_source(
        {
            "id": "LMIS_TEST",
            "name": "lmis-registry under test",
            "url": live_server.url + "/rest",
            "supports": {"preview": False},
        },
        override=True,
    )
    return "LMIS_TEST"


def test_client_harvests_dataflows_dsd_and_codelist(source_id: str) -> None:
    client = sdmx.Client(source_id)

    flows = client.dataflow(agency_id="TEST")
    assert list(flows.dataflow) == ["DF_LFS"]
    assert flows.dataflow["DF_LFS"].structure.id == "DSD_LFS"

    msg = client.datastructure("DSD_LFS", agency_id="TEST", params={"references": "all"})
    dsd = msg.structure["DSD_LFS"]
    assert not dsd.is_external_reference
    dims = [d.id for d in dsd.dimensions.components]
    assert dims[-1] == "TIME_PERIOD" and "FREQ" in dims
    assert "DF_LFS" in msg.dataflow
    real_codelists = {k for k, v in msg.codelist.items() if not v.is_external_reference}
    assert {"CL_FREQ", "CL_AREA"} <= real_codelists
    freq = dsd.dimensions.get("FREQ")
    assert freq.local_representation.enumerated.id == "CL_FREQ"

    cl = client.codelist("CL_FREQ", agency_id="TEST").codelist["CL_FREQ"]
    assert {"A", "Q", "M"} <= set(cl.items)
    assert str(cl["A"].name)
