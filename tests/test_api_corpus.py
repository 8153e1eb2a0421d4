"""Every real SDMX-ML structure file of the corpus, submitted over HTTP and harvested back.

For each file under ``tests/data/corpus`` (ECB, ESTAT, ILO, INSEE, SDMX 2.1 and 3.0 samples) and
the synthetic benchmark structures: if all its references resolve inside it, it loads (201) and
every artefact is queried back over real HTTP, re-parsed with sdmx1 and compared with the original;
otherwise it is refused (409) with exactly the missing URNs listed and the store stays empty.
"""

from __future__ import annotations

import io
from pathlib import Path

import httpx
import pytest
import sdmx

from registry.errors import InvalidMessageError
from registry.io import sdmxml
from registry.structure_types import type_of, urn_of
from tests.compare import assert_same
from tests.conftest import LiveServer, Tokens

DATA = Path(__file__).parent / "data"


#: Structure messages of the corpus whose content is itself invalid SDMX: refused with 400.
INVALID = {
    "corpus/INSEE/gh-205.xml": "TIME_PERIOD",  # DSD uses concepts its scheme lacks
    "corpus/v21/xml/VTL/VTL_Sample_2.xml": "id",  # XSD-invalid nesting, a scheme without id
    "corpus/v3/xml/valuelist.xml": "more than once",  # a value id repeated
}


def _structure_files() -> list[Path]:
    out = []
    for path in sorted((DATA / "corpus").rglob("*.xml")) + sorted((DATA / "bench").glob("*.xml")):
        if str(path.relative_to(DATA)) in INVALID:
            continue
        try:
            sdmxml.read_structures(path)
        except InvalidMessageError:
            continue  # data, metadata and query messages are not structure messages
        out.append(path)
    return out


FILES = _structure_files()


@pytest.mark.parametrize("name", sorted(INVALID))
def test_invalid_structure_files_are_refused(
    live_server: LiveServer, tokens: Tokens, name: str
) -> None:
    r = httpx.post(
        live_server.url + "/rest/structure",
        content=(DATA / name).read_bytes(),
        headers={"Authorization": f"Bearer {tokens.curator}"},
    )
    assert r.status_code == 400, r.text[:300]
    assert b'code="140"' in r.content and INVALID[name].encode() in r.content
    assert httpx.get(live_server.url + "/-/health").json()["artefacts"] == 0


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(DATA)) for p in FILES])
def test_file_loads_and_round_trips_or_lists_missing_references(
    live_server: LiveServer, tokens: Tokens, path: Path
) -> None:
    submission = sdmxml.read_structures(path)
    own = {urn_of(a) for a in submission.artefacts}
    external = set().union(*(sdmxml.references(a) for a in submission.artefacts)) - own
    with httpx.Client(base_url=live_server.url, timeout=60) as client:
        r = client.post(
            "/rest/structure",
            content=path.read_bytes(),
            headers={"Authorization": f"Bearer {tokens.curator}", "Accept": "application/json"},
        )
        if external:
            assert r.status_code == 409, r.text[:500]
            assert set(r.json()["missing"]) == external
            assert client.get("/-/health").json()["artefacts"] == 0
            return
        assert r.status_code == 201, r.text[:1000]
        assert {x["urn"] for x in r.json()["results"]} == own
        for artefact in submission.artefacts:
            resource = type_of(artefact).resource
            url = f"/rest/{resource}/{artefact.maintainer.id}/{artefact.id}/{artefact.version}"
            got = client.get(url)
            assert got.status_code == 200, (url, got.text[:300])
            msg = sdmx.read_sdmx(io.BytesIO(got.content))
            back = [o for o in msg.iter_objects() if not o.is_external_reference]
            assert [urn_of(o) for o in back] == [urn_of(artefact)]
            assert_same(artefact, back[0])
