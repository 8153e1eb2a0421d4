"""SDMX-REST 1.5 structure API over real HTTP (uvicorn), on SQLite and PostgreSQL.

Covers writes (auth, refusals leaving the store unchanged), the query grammar end to end, formats
and negotiation, SDMX error shapes, caching (ETag, Last-Modified, 304), gzip, CORS and health.
Responses are re-parsed with sdmx1 and compared with the submitted files.
"""

from __future__ import annotations

import gzip
import io
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import sdmx
from lxml import etree

import api.deps
from tests.compare import assert_same
from tests.conftest import LiveServer, Tokens

BENCH = Path(__file__).parent / "data" / "bench"
DSD_FILE = BENCH / "synthetic_dsd.xml"
PROVISION_FILE = BENCH / "synthetic_provision.xml"
ERR_NS = "{http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message}"
XML21 = "application/vnd.sdmx.structure+xml;version=2.1"
JSON10 = "application/vnd.sdmx.structure+json;version=1.0.0"


@pytest.fixture
def client(live_server: LiveServer) -> httpx.Client:
    with httpx.Client(base_url=live_server.url, timeout=30) as c:
        yield c  # type: ignore[misc]


def post(
    client: httpx.Client, path: Path | bytes, token: str | None, **kw: object
) -> httpx.Response:
    body = path.read_bytes() if isinstance(path, Path) else path
    headers = {"Content-Type": "application/xml"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    headers.update(kw.pop("headers", {}))  # type: ignore[arg-type]
    return client.post("/rest/structure", content=body, headers=headers, **kw)  # type: ignore[arg-type]


def sdmx_error(response: httpx.Response) -> tuple[str, str]:
    root = etree.fromstring(response.content)
    assert root.tag == f"{ERR_NS}Error", response.text[:300]
    msg = root.find(f"{ERR_NS}ErrorMessage")
    assert msg is not None
    return msg.get("code", ""), "".join(msg.itertext()).strip()


def read(response: httpx.Response) -> sdmx.message.StructureMessage:
    assert response.status_code == 200, response.text[:500]
    return sdmx.read_sdmx(io.BytesIO(response.content))


@pytest.fixture
def loaded(client: httpx.Client, tokens: Tokens) -> httpx.Client:
    assert post(client, DSD_FILE, tokens.curator).status_code == 201
    assert post(client, PROVISION_FILE, tokens.admin).status_code == 201
    return client


def test_health(client: httpx.Client) -> None:
    r = client.get("/-/health")
    assert r.status_code == 200 and r.json()["status"] == "ok" and r.json()["artefacts"] == 0


def test_every_artefact_comes_back_as_submitted(loaded: httpx.Client) -> None:
    original = sdmx.read_sdmx(DSD_FILE)
    for obj in original.iter_objects():
        resource = {
            "Codelist": "codelist",
            "ConceptScheme": "conceptscheme",
            "DataStructureDefinition": "datastructure",
            "DataflowDefinition": "dataflow",
        }[type(obj).__name__]
        r = loaded.get(f"/rest/{resource}/{obj.maintainer.id}/{obj.id}/{obj.version}")
        assert r.headers["content-type"] == XML21
        msg = read(r)
        back = [o for o in msg.iter_objects() if not o.is_external_reference]
        assert len(back) == 1
        assert_same(obj, back[0])


def test_unauthenticated_and_wrong_role_writes_change_nothing(
    client: httpx.Client, tokens: Tokens
) -> None:
    r = post(client, DSD_FILE, None)
    assert r.status_code == 401 and sdmx_error(r)[0] == "110"
    assert "bearer token" in sdmx_error(r)[1]
    r = post(client, DSD_FILE, "lmis_not-a-token")
    assert r.status_code == 401
    r = post(client, DSD_FILE, tokens.producer)
    assert r.status_code == 403 and "curator" in sdmx_error(r)[1]
    assert client.get("/-/health").json()["artefacts"] == 0


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        (b"<not closed", "line"),
        (b"just text", "XML"),
        (b"<html><body>hello</body></html>", "html"),
        (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
            b"<lolz>&lol2;</lolz>",
            "DTD",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
            "DTD",
        ),
    ],
)
def test_bad_documents_are_refused_with_a_clear_sdmx_error(
    client: httpx.Client, tokens: Tokens, body: bytes, needle: str
) -> None:
    r = post(client, body, tokens.curator)
    assert r.status_code == 400
    code, text = sdmx_error(r)
    assert code == "140" and needle.lower() in text.lower()
    assert client.get("/-/health").json()["artefacts"] == 0


def test_data_message_is_not_a_structure_message(client: httpx.Client, tokens: Tokens) -> None:
    data = Path(__file__).parent / "data" / "corpus" / "ECB_EXR" / "ng-ts.xml"
    if not data.exists():
        pytest.skip("corpus data file not copied")
    r = post(client, data, tokens.curator)
    assert r.status_code == 400 and "data" in sdmx_error(r)[1].lower()


def test_body_over_the_cap_is_refused(client: httpx.Client, tokens: Tokens) -> None:
    r = post(client, b"<x>" + b" " * (6 * 1024 * 1024) + b"</x>", tokens.curator)
    assert r.status_code == 413 and "REGISTRY_MAX_UPLOAD_BYTES" in sdmx_error(r)[1]


def test_dangling_references_refused_with_missing_urns(
    client: httpx.Client, tokens: Tokens
) -> None:
    r = post(client, PROVISION_FILE, tokens.curator, headers={"Accept": "application/json"})
    assert r.status_code == 409
    body = r.json()
    assert body["missing"] == [
        "urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=TEST:DF_LFS(1.0)"
    ]
    assert {x["status"] for x in body["results"]} <= {"error", "not_processed"}
    r = post(client, PROVISION_FILE, tokens.curator)
    assert r.status_code == 409 and b"SubmitStructureResponse" in r.content
    assert b"Failure" in r.content and b"Dataflow=TEST:DF_LFS(1.0)" in r.content
    assert client.get("/-/health").json()["artefacts"] == 0


def test_a_write_is_committed_before_it_is_answered(
    client: httpx.Client, tokens: Tokens, monkeypatch: pytest.MonkeyPatch
) -> None:
    """FastAPI ends the session dependency (its commit) only after the answer has gone: a
    client sending its next message on the answer must still find what it wrote (a provision
    agreement right after its dataflow was refused now and then, 409, under load)."""
    real_scope = api.deps.session_scope

    @contextmanager
    def slow_scope(engine: Any) -> Iterator[Any]:
        with real_scope(engine) as session:
            yield session
            time.sleep(1.0)  # the dependency's own commit comes this much later

    monkeypatch.setattr(api.deps, "session_scope", slow_scope)
    assert post(client, DSD_FILE, tokens.curator).status_code == 201
    assert post(client, PROVISION_FILE, tokens.admin).status_code == 201  # sees the dataflow
    auth = {"Authorization": f"Bearer {tokens.curator}"}
    path = "/rest/provisionagreement/TEST/PA_BENCH_DF_LFS/1.0"
    assert client.delete(path, headers=auth).status_code == 200
    assert client.get(path).status_code == 404


def test_resubmission_is_unchanged_and_answers_200(loaded: httpx.Client, tokens: Tokens) -> None:
    r = post(loaded, DSD_FILE, tokens.curator, headers={"Accept": "application/json"})
    assert r.status_code == 200
    assert {x["status"] for x in r.json()["results"]} == {"unchanged"}


def test_delete(loaded: httpx.Client, tokens: Tokens) -> None:
    auth = {"Authorization": f"Bearer {tokens.curator}"}
    r = loaded.delete("/rest/codelist/TEST/CL_FREQ/1.0", headers=auth)
    assert r.status_code == 409 and "reference" in sdmx_error(r)[1]
    r = loaded.delete("/rest/provisionagreement/TEST/PA_BENCH_DF_LFS/1.0")
    assert r.status_code == 401
    r = loaded.delete("/rest/provisionagreement/TEST/PA_BENCH_DF_LFS/1.0", headers=auth)
    assert r.status_code == 200 and b"Success" in r.content
    assert loaded.get("/rest/provisionagreement/TEST/PA_BENCH_DF_LFS/1.0").status_code == 404
    r = loaded.delete("/rest/codelist/TEST/CL_NOPE/1.0", headers=auth)
    assert r.status_code == 404 and sdmx_error(r)[0] == "100"


@pytest.mark.parametrize(
    ("path", "count"),
    [
        ("/rest/codelist", 9),
        ("/rest/codelist/TEST", 9),
        ("/rest/codelist/all/all/all", 9),
        ("/rest/codelist/TEST/CL_FREQ+CL_SEX", 2),
        ("/rest/codelist/TEST/CL_FREQ/1.0", 1),
        ("/rest/codelist/TEST/CL_FREQ/latest/", 1),
        ("/rest/CODELIST/TEST/CL_FREQ", 1),
        ("/rest/structure/TEST", 14),
        ("/rest/structure", 14),
        ("/rest/dataflow/TEST/DF_LFS?references=all", 14),
        ("/rest/dataflow/TEST/DF_LFS?references=datastructure", 2),
        ("/rest/datastructure/TEST/DSD_LFS?references=children", 11),
        ("/rest/datastructure/TEST/DSD_LFS?references=parents", 2),
        ("/rest/codelist/TEST/CL_FREQ?references=parents", 2),
        ("/rest/organisationscheme", 1),
        ("/rest/dataproviderscheme/TEST/DATA_PROVIDERS?references=parents", 2),
        ("/rest/codelist?detail=allstubs", 9),
    ],
)
def test_query_grammar(loaded: httpx.Client, path: str, count: int) -> None:
    msg = read(loaded.get(path))
    stubs = "allstubs" in path  # stubs are written as external references
    assert len([o for o in msg.iter_objects() if o.is_external_reference == stubs]) == count


def test_item_query_returns_a_partial_scheme(loaded: httpx.Client) -> None:
    msg = read(loaded.get("/rest/codelist/TEST/CL_FREQ/1.0/A+M"))
    cl = msg.codelist["CL_FREQ"]
    assert sorted(cl.items) == ["A", "M"] and cl.is_partial


@pytest.mark.parametrize(
    ("path", "status", "code", "needle"),
    [
        ("/rest/codelist/TEST/CL_NOPE", 404, "100", "CL_NOPE"),
        ("/rest/codelist/TEST/CL_FREQ/9.9", 404, "100", ""),
        ("/rest/codelist/TE ST", 400, "140", "agency"),
        ("/rest/codelist/TEST/CL_FREQ/v1", 400, "140", "version"),
        ("/rest/codelist?detail=everything", 400, "140", "detail"),
        ("/rest/codelist?references=cousins", 400, "140", "references"),
        ("/rest/codelist?foo=bar", 501, "501", "foo"),
        ("/rest/process", 501, "501", "process"),
        ("/rest/data/TEST,DF_LFS,1.0/all", 404, "100", "no data"),
        ("/rest/data/TEST,DF_LFS,1.0/all?includeHistory=true", 404, "100", "no data"),
        ("/rest/data/TEST,DF_LFS,1.0/A.B", 400, "140", "positions"),
        ("/rest/availableconstraint/DF_LFS", 404, "100", "no data"),
        ("/rest/notaresource", 400, "140", "notaresource"),
        ("/nowhere", 404, "100", "/nowhere"),
    ],
)
def test_errors_are_sdmx_errors(
    loaded: httpx.Client, path: str, status: int, code: str, needle: str
) -> None:
    r = loaded.get(path)
    assert r.status_code == status, r.text[:300]
    got_code, text = sdmx_error(r)
    assert got_code == code and needle.lower() in text.lower()
    assert r.headers.get("access-control-allow-origin") == "*" or "origin" not in r.request.headers


def test_json_format_and_json_errors(loaded: httpx.Client) -> None:
    r = loaded.get("/rest/codelist/TEST/CL_FREQ", headers={"Accept": JSON10})
    assert r.status_code == 200 and r.headers["content-type"] == JSON10
    body = r.json()
    assert body["data"]["codelists"][0]["id"] == "CL_FREQ"
    assert (
        loaded.get("/rest/codelist/TEST/CL_FREQ?format=jsonstructure").headers["content-type"]
        == JSON10
    )
    r = loaded.get("/rest/codelist/TEST/CL_NOPE", headers={"Accept": JSON10})
    assert r.status_code == 404 and r.json()["errors"][0]["code"] == 100
    tck_mix = f"{XML21};q=0.9, {JSON10}"
    assert (
        loaded.get("/rest/codelist", headers={"Accept": tck_mix}).headers["content-type"] == JSON10
    )


def test_unsupported_accept_is_406(loaded: httpx.Client) -> None:
    r = loaded.get("/rest/codelist", headers={"Accept": "garbage/garbage"})
    assert r.status_code == 406 and sdmx_error(r)[0] == "406"


def test_caching_headers_and_304(loaded: httpx.Client, tokens: Tokens) -> None:
    r = loaded.get("/rest/codelist/TEST/CL_FREQ")
    etag, modified = r.headers["etag"], r.headers["last-modified"]
    assert "Accept" in r.headers["vary"]
    assert (
        loaded.get("/rest/codelist/TEST/CL_FREQ", headers={"If-None-Match": etag}).status_code
        == 304
    )
    r304 = loaded.get("/rest/codelist/TEST/CL_FREQ", headers={"If-Modified-Since": modified})
    assert r304.status_code == 304 and r304.content == b""
    old = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert (
        loaded.get("/rest/codelist/TEST/CL_FREQ", headers={"If-Modified-Since": old}).status_code
        == 200
    )
    # A write changes the validators.
    auth = {"Authorization": f"Bearer {tokens.curator}"}
    assert (
        loaded.delete("/rest/provisionagreement/TEST/PA_BENCH_DF_LFS/1.0", headers=auth).status_code
        == 200
    )
    r2 = loaded.get("/rest/codelist/TEST/CL_FREQ", headers={"If-None-Match": etag})
    assert r2.status_code == 200 and r2.headers["etag"] != etag


def test_gzip_and_cors(loaded: httpx.Client) -> None:
    r = loaded.get(
        "/rest/codelist", headers={"Accept-Encoding": "gzip", "Origin": "https://ilo.example"}
    )
    assert r.headers["content-encoding"] == "gzip"
    assert r.headers["access-control-allow-origin"] == "*"
    with httpx.stream(
        "GET", str(loaded.base_url) + "/rest/codelist", headers={"Accept-Encoding": "gzip"}
    ) as raw:
        compressed = b"".join(raw.iter_raw())
    assert gzip.decompress(compressed).startswith(b"<?xml")
    pre = loaded.options(
        "/rest/codelist",
        headers={"Origin": "https://ilo.example", "Access-Control-Request-Method": "GET"},
    )
    assert pre.status_code == 200 and "GET" in pre.headers["access-control-allow-methods"]
    err = loaded.get("/rest/codelist/TEST/NOPE", headers={"Origin": "https://ilo.example"})
    assert err.status_code == 404 and err.headers["access-control-allow-origin"] == "*"


def test_openapi_docs(client: httpx.Client) -> None:
    assert client.get("/docs").status_code == 200
    spec = client.get("/openapi.json").json()
    assert "/rest/structure" in spec["paths"]
