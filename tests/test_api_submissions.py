"""Data submission over real HTTP (uvicorn), on SQLite and PostgreSQL, with the shipped content.

The store holds the Moroccan LMIS structures (``registry.content``) and the example files of
``examples/`` are posted as a producer of HCP would: raw SDMX-CSV, a multipart form with SDMX-ML,
a gzip body. Covers the status codes and ``Location`` of every outcome (stored, identical file,
dry run, refused), the report in JSON and HTML (English and French), the size cap (413, nothing
recorded, no temporary file left behind), roles (401, 403), the visibility of submissions between
providers (404, filtered lists), parameter errors and the OpenAPI document.
"""

from __future__ import annotations

import csv
import gzip
import html
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from lxml import etree
from starlette.requests import Request

from api.routers.submissions import choose_language, parse_action, parse_flow_ref
from registry import auth, content, maintenance
from registry.errors import QuerySyntaxError
from registry.storage.db import make_engine, session_scope
from tests.conftest import LiveServer, Tokens

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
LFS_CSV = EXAMPLES / "DF_LFS_KEY.HCP.csv"
LFS_XML = EXAMPLES / "DF_LFS_KEY.HCP.xml"
DW_CSV = EXAMPLES / "DF_DW_IND.HCP.csv"
INVALID = EXAMPLES / "invalid"
CSV_TYPE = "application/vnd.sdmx.data+csv;version=1.0.0"
LFS_REF = "MA.HCP,DF_LFS_KEY,1.0"
#: The physical line (header = 1) of the one bad row of invalid/CODE_NOT_IN_CODELIST.csv.
BAD_SEX_ROW = next(
    number
    for number, line in enumerate(
        (INVALID / "CODE_NOT_IN_CODELIST.csv").read_text("utf-8").splitlines(), 1
    )
    if ",F," in line
)
ERR_NS = "{http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message}"


@dataclass(frozen=True)
class Env:
    """The live server and the tokens of everyone who talks to it."""

    client: httpx.Client
    admin: str
    curator: str
    hcp: str  # producer, provider MA.HCP:HCP (provision agreements for DF_LFS_KEY, DF_DW_IND, …)
    oc: str  # producer, provider MA.HCP:OC (no provision agreement for DF_LFS_KEY)


@pytest.fixture
def spool_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the server (same process) spools uploads during the test."""
    folder = tmp_path / "spool"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def env(live_server: LiveServer, tokens: Tokens, spool_dir: Path) -> Iterator[Env]:
    engine = make_engine(live_server.settings.database_url)
    with session_scope(engine) as session:
        results = maintenance.submit_structures(
            session, content.load_files(content.content_files()), actor="test"
        )
        hcp, _ = auth.create_token(session, name="hana", role="producer", provider="MA.HCP:HCP")
        oc, _ = auth.create_token(session, name="omar", role="producer", provider="MA.HCP:OC")
    engine.dispose()
    assert {r.status for r in results} == {"created"}
    with httpx.Client(base_url=live_server.url, timeout=60) as client:
        yield Env(client, tokens.admin, tokens.curator, hcp, oc)
    assert list(spool_dir.iterdir()) == [], "an upload was left in the spool folder"


def bearer(token: str | None, **headers: str) -> dict[str, str]:
    out = dict(headers)
    if token:
        out["Authorization"] = f"Bearer {token}"
    return out


def post(
    env: Env,
    body: bytes | Path,
    token: str | None,
    content_type: str | None = CSV_TYPE,
    params: dict[str, str] | None = None,
    **headers: str,
) -> httpx.Response:
    data = body.read_bytes() if isinstance(body, Path) else body
    if content_type:
        headers["Content-Type"] = content_type
    return env.client.post(
        "/submissions", content=data, params=params or {}, headers=bearer(token, **headers)
    )


def listed(env: Env, token: str, **params: str) -> list[int]:
    r = env.client.get("/submissions", params=params, headers=bearer(token))
    assert r.status_code == 200, r.text[:500]
    assert r.headers["content-type"].startswith("application/json")
    return [s["id"] for s in r.json()["submissions"]]


def sdmx_error(response: httpx.Response) -> tuple[str, str]:
    root = etree.fromstring(response.content)
    assert root.tag == f"{ERR_NS}Error", response.text[:300]
    msg = root.find(f"{ERR_NS}ErrorMessage")
    assert msg is not None
    return msg.get("code", ""), "".join(str(t) for t in msg.itertext()).strip()


def data_rows(path: Path) -> int:
    with path.open(encoding="utf-8") as f:
        return sum(1 for _ in csv.DictReader(f))


# ── stored, read back, resubmitted ────────────────────────────────────────────────────────────


def test_valid_csv_is_stored_and_its_report_read_back(env: Env) -> None:
    r = post(env, LFS_CSV, env.hcp, params={"dataflow": LFS_REF})
    assert r.status_code == 201, r.text[:1000]
    report = r.json()
    assert report["status"] == "accepted" and report["dry_run"] is False
    assert report["errors"] == 0 and report["findings"] == []
    assert report["provider"] == "MA.HCP:HCP" and report["owner"] == "hana"
    assert report["counts"]["observations"] == data_rows(LFS_CSV)
    assert report["structures"]["dataflow"].endswith("Dataflow=MA.HCP:DF_LFS_KEY(1.0)")
    assert report["file"]["media_type"] == CSV_TYPE and report["file"]["name"] is None
    assert r.headers["location"] == f"/submissions/{report['id']}"
    assert r.headers["content-language"] == "en"

    again = env.client.get(r.headers["location"], headers=bearer(env.hcp))
    assert again.status_code == 200 and again.json() == report
    assert listed(env, env.hcp) == [report["id"]]

    # The identical file again: nothing stored, pointed at the first submission.
    dup = post(env, LFS_CSV, env.hcp)
    assert dup.status_code == 200, dup.text[:1000]
    assert dup.json()["duplicate_of"] == report["id"]
    assert dup.headers["location"] == f"/submissions/{report['id']}"
    assert listed(env, env.hcp) == [report["id"]]


def test_multipart_upload_records_the_file_name(env: Env) -> None:
    r = env.client.post(
        "/submissions",
        files={"file": ("DF_LFS_KEY.HCP.xml", LFS_XML.read_bytes(), "application/xml")},
        headers=bearer(env.hcp),
    )
    assert r.status_code == 201, r.text[:1000]
    report = r.json()
    assert report["file"]["name"] == "DF_LFS_KEY.HCP.xml"
    assert report["file"]["media_type"] == "application/xml"
    assert report["file"]["size"] == LFS_XML.stat().st_size
    assert report["counts"]["observations"] == 7
    assert "StructureSpecific" in (report["file"]["format"] or "")
    assert env.client.get(r.headers["location"], headers=bearer(env.admin)).json() == report


def test_malformed_multipart_forms_are_refused(env: Env) -> None:
    wrong_field = env.client.post(
        "/submissions",
        files={"upload": ("x.csv", LFS_CSV.read_bytes(), "text/csv")},
        headers=bearer(env.hcp),
    )
    assert wrong_field.status_code == 400 and "'file'" in sdmx_error(wrong_field)[1]
    two_files = env.client.post(
        "/submissions",
        files=[("file", ("a.csv", b"x", "text/csv")), ("file", ("b.csv", b"y", "text/csv"))],
        headers=bearer(env.hcp),
    )
    assert two_files.status_code == 400 and "more than one" in sdmx_error(two_files)[1]
    truncated = post(
        env,
        b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nabc',
        env.hcp,
        "multipart/form-data; boundary=XyZ",
    )
    assert truncated.status_code == 400 and sdmx_error(truncated)[0] == "140"
    assert listed(env, env.admin) == []


def test_gzip_body(env: Env) -> None:
    r = post(env, gzip.compress(DW_CSV.read_bytes()), env.hcp, "application/gzip")
    assert r.status_code == 201, r.text[:1000]
    assert r.json()["counts"]["observations"] == data_rows(DW_CSV)
    assert r.json()["file"]["size"] < DW_CSV.stat().st_size


def test_dry_run_stores_nothing(env: Env) -> None:
    r = post(env, LFS_CSV, env.hcp, params={"dry_run": "true"})
    assert r.status_code == 200, r.text[:1000]
    assert r.json()["status"] == "valid" and r.json()["id"] is None and r.json()["dry_run"]
    assert "location" not in r.headers
    bad = post(env, INVALID / "BAD_TIME_PERIOD.csv", env.hcp, params={"dry_run": "1"})
    assert bad.status_code == 422 and bad.json()["status"] == "invalid"
    assert listed(env, env.admin) == []
    # The same file for real afterwards is stored (the dry run left no trace to be a duplicate of).
    real = post(env, LFS_CSV, env.hcp, params={"dry_run": "false"})
    assert real.status_code == 201 and real.json()["duplicate_of"] is None


# ── refused files ─────────────────────────────────────────────────────────────────────────────


def test_invalid_files_are_refused_with_their_code(env: Env) -> None:
    ids = []
    for path in sorted(INVALID.glob("*.csv")):
        r = post(env, path, env.hcp)
        assert r.status_code == 422, (path.name, r.text[:500])
        report = r.json()
        assert report["status"] == "rejected" and "location" not in r.headers
        assert path.stem in report["counts_by_code"], (path.name, report["counts_by_code"])
        assert path.stem in {f["code"] for f in report["findings"]}
        ids.append(report["id"])
    bad = post(env, INVALID / "CODE_NOT_IN_CODELIST.csv", env.hcp, params={"lang": "fr"}).json()
    [finding] = [f for f in bad["findings"] if f["code"] == "CODE_NOT_IN_CODELIST"]
    # CSV rows are physical lines, the header being row 1 (registry/io/sdmxcsv.py).
    assert (finding["row"], finding["column"], finding["value"]) == (BAD_SEX_ROW, "SEX", "F")
    assert finding["component"] == "SEX" and finding["period"] == "2024-Q1"
    assert finding["severity"] == "error" and "n'est pas un code de" in finding["message"]
    # Refused submissions are kept, newest first, and readable.
    assert listed(env, env.hcp)[: len(ids) + 1] == [bad["id"], *reversed(ids)]
    kept = env.client.get(f"/submissions/{bad['id']}", headers=bearer(env.hcp))
    assert kept.status_code == 200 and kept.json()["status"] == "rejected"


# ── size cap ──────────────────────────────────────────────────────────────────────────────────


def test_body_over_the_cap_is_refused_and_nothing_recorded(env: Env) -> None:
    cap = 5 * 1024 * 1024  # live_server's REGISTRY_MAX_UPLOAD_BYTES
    big = LFS_CSV.read_bytes() + b"\n" * (cap + 1)
    r = post(env, big, env.hcp)
    assert r.status_code == 413 and sdmx_error(r)[0] == "413"
    assert "REGISTRY_MAX_UPLOAD_BYTES" in sdmx_error(r)[1]

    def chunks() -> Iterator[bytes]:  # no Content-Length: the cap applies while streaming
        for _ in range(6):
            yield b"\n" * (1024 * 1024)

    streamed = env.client.post(
        "/submissions", content=chunks(), headers=bearer(env.hcp, **{"Content-Type": "text/csv"})
    )
    assert streamed.status_code == 413, streamed.text[:300]
    form = env.client.post(
        "/submissions", files={"file": ("big.csv", big, "text/csv")}, headers=bearer(env.hcp)
    )
    assert form.status_code == 413 and sdmx_error(form)[0] == "413"
    assert listed(env, env.admin) == []


# ── who may do what ───────────────────────────────────────────────────────────────────────────


def test_anonymous_and_curator_cannot_submit(env: Env) -> None:
    r = post(env, LFS_CSV, None)
    assert r.status_code == 401 and sdmx_error(r)[0] == "110"
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert post(env, LFS_CSV, "lmis_unknown").status_code == 401
    r = post(env, LFS_CSV, env.curator)
    assert r.status_code == 403 and "producer" in sdmx_error(r)[1]
    r = post(env, LFS_CSV, env.hcp, params={"provider": "MA.HCP:OC"})
    assert r.status_code == 403 and sdmx_error(r)[0] == "110"
    assert env.client.get("/submissions").status_code == 401
    assert env.client.get("/submissions/1").status_code == 401
    assert listed(env, env.curator) == []


def test_admin_submits_for_a_chosen_provider_or_none(env: Env) -> None:
    r = post(env, LFS_CSV, env.admin, params={"provider": "MA.HCP:HCP"})
    assert r.status_code == 201 and r.json()["provider"] == "MA.HCP:HCP"
    r = post(env, DW_CSV, env.admin)
    assert r.status_code == 201 and r.json()["provider"] is None
    bad = post(env, DW_CSV, env.admin, params={"provider": "HCP"})
    assert bad.status_code == 400 and "AGENCY:PROVIDER_ID" in sdmx_error(bad)[1]


def test_producers_see_only_their_providers_submissions(env: Env) -> None:
    mine = post(env, LFS_CSV, env.hcp).json()["id"]
    refused = post(env, LFS_CSV, env.oc)  # OC has no provision agreement for DF_LFS_KEY
    assert refused.status_code == 422, refused.text[:500]
    assert refused.json()["provider"] == "MA.HCP:OC"
    assert refused.json()["counts_by_code"] == {"NOT_AUTHORISED": 1}
    theirs = refused.json()["id"]  # refused, but kept for OC
    assert listed(env, env.hcp) == [mine]
    assert listed(env, env.oc) == [theirs]
    assert listed(env, env.admin) == [theirs, mine]
    assert listed(env, env.curator) == [theirs, mine]
    assert listed(env, env.admin, limit="1") == [theirs]
    assert listed(env, env.admin, limit="1", offset="1") == [mine]
    hidden = env.client.get(f"/submissions/{mine}", headers=bearer(env.oc))
    assert hidden.status_code == 404 and sdmx_error(hidden)[0] == "100"
    missing = env.client.get("/submissions/999999", headers=bearer(env.oc))
    assert missing.status_code == 404 and sdmx_error(missing)[1] == sdmx_error(hidden)[1].replace(
        str(mine), "999999"
    )
    assert env.client.get(f"/submissions/{mine}", headers=bearer(env.curator)).status_code == 200
    summary = env.client.get("/submissions", headers=bearer(env.admin)).json()["submissions"][0]
    assert "findings" not in summary and summary["counts_by_code"] == {"NOT_AUTHORISED": 1}


# ── HTML for people ───────────────────────────────────────────────────────────────────────────


def test_html_report_in_french(env: Env) -> None:
    r = post(
        env,
        INVALID / "CODE_NOT_IN_CODELIST.csv",
        env.hcp,
        params={"lang": "fr"},
        Accept="text/html,application/xhtml+xml;q=0.9,*/*;q=0.8",
    )
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("text/html")
    page = html.unescape(r.text)
    assert '<html lang="fr">' in page and "rejetée" in page
    assert "CODE_NOT_IN_CODELIST" in page and "'F' n'est pas un code de" in page
    assert f"ligne {BAD_SEX_ROW}, colonne SEX" in page and "Codes valides les plus proches" in page
    assert "<script" not in page and not re.search(r"(src|href)=\"https?:", page)
    for header in ("Code", "Gravité", "Message", "Emplacement", "Clé de série", "Période"):
        assert f'<th scope="col">{header}</th>' in page

    # Accept-Language chooses when lang is absent; the stored report renders again.
    sid = env.client.get("/submissions", headers=bearer(env.hcp)).json()["submissions"][0]["id"]
    en = env.client.get(
        f"/submissions/{sid}",
        headers=bearer(env.hcp, Accept="text/html", **{"Accept-Language": "de, en;q=0.5"}),
    )
    assert en.status_code == 200 and "is not a code of" in html.unescape(en.text)
    fr = env.client.get(
        f"/submissions/{sid}", headers=bearer(env.hcp, **{"Accept-Language": "fr-MA"})
    )
    assert fr.headers["content-language"] == "fr"
    assert "n'est pas un code de" in fr.json()["findings"][0]["message"]

    listing = env.client.get("/submissions", headers=bearer(env.hcp, Accept="text/html"))
    assert listing.status_code == 200 and f'href="/submissions/{sid}"' in listing.text


def test_html_report_of_an_accepted_file(env: Env) -> None:
    r = post(env, LFS_CSV, env.hcp, Accept="text/html")
    assert r.status_code == 201 and r.headers["location"].startswith("/submissions/")
    page = html.unescape(r.text)
    assert "The file was accepted" in page and "No problem was found." in page
    assert "MA.HCP:DF_LFS_KEY(1.0)" in page


# ── parameters ────────────────────────────────────────────────────────────────────────────────


def test_bad_parameters_are_refused_before_anything_is_read(env: Env) -> None:
    for params, status, code in [
        ({"action": "Upsert"}, 400, "140"),
        ({"dataflow": "MA.HCP,DF LFS"}, 400, "140"),
        ({"lang": "de"}, 400, "140"),
        ({"dry_run": "perhaps"}, 400, "140"),
        ({"dryrun": "true"}, 501, "501"),
    ]:
        r = post(env, LFS_CSV, env.hcp, params=params)
        assert (r.status_code, sdmx_error(r)[0]) == (status, code), (params, r.text[:300])
    r = post(env, b'{"data": 1}', env.hcp, "application/json")
    assert r.status_code == 415
    r = post(env, LFS_CSV, env.hcp, Accept="application/vnd.sdmx.structure+xml;version=2.1")
    assert r.status_code == 406 and sdmx_error(r)[0] == "406"
    assert env.client.get("/submissions?limit=1001", headers=bearer(env.admin)).status_code == 400
    assert env.client.get("/submissions/x", headers=bearer(env.admin)).status_code == 400
    assert listed(env, env.admin) == []
    # The flowRef reaches the core as a dataflow reference the file must match.
    r = post(env, LFS_CSV, env.hcp, params={"dataflow": "MA.HCP,DF_OSH,1.0"})
    assert r.status_code == 422 and "STRUCTURE_MISMATCH" in r.json()["counts_by_code"]
    r = post(env, LFS_CSV, env.hcp, params={"dataflow": "MA.HCP,DF_LFS_KEY"})
    assert r.status_code == 201, r.text[:500]
    # Action is case-insensitive and given to the core in its SDMX spelling.
    r = post(env, DW_CSV, env.hcp, params={"action": "replace"})
    assert r.status_code == 201 and r.json()["action"] == "Replace"


def test_openapi_lists_the_submission_endpoints(env: Env) -> None:
    paths = env.client.get("/openapi.json").json()["paths"]
    assert {"post", "get"} <= set(paths["/submissions"])
    assert "get" in paths["/submissions/{submission_id}"]
    body = paths["/submissions"]["post"]["requestBody"]["content"]
    assert {"multipart/form-data", "text/csv", "application/gzip"} <= set(body)
    params = {p["name"] for p in paths["/submissions"]["post"]["parameters"]}
    assert params == {"dataflow", "action", "dry_run", "lang", "provider"}


# ── pure helpers ──────────────────────────────────────────────────────────────────────────────


def test_flow_ref_and_action_parsing() -> None:
    assert parse_flow_ref("MA.HCP,DF_LFS_KEY,1.0") == "MA.HCP:DF_LFS_KEY(1.0)"
    assert parse_flow_ref("MA.HCP,DF_LFS_KEY") == "MA.HCP:DF_LFS_KEY"
    assert parse_flow_ref("MA.HCP,DF_LFS_KEY,latest") == "MA.HCP:DF_LFS_KEY"
    assert parse_flow_ref("DF_LFS_KEY") == "DF_LFS_KEY"
    assert parse_flow_ref("all,DF_LFS_KEY,1.0") == "DF_LFS_KEY(1.0)"
    assert parse_flow_ref(None) is None
    for bad in ("MA.HCP:DF_LFS_KEY", "a,b,c,d", "MA.HCP,DF_LFS_KEY,1.x"):
        with pytest.raises(QuerySyntaxError):
            parse_flow_ref(bad)
    assert [parse_action(a) for a in ("append", "REPLACE", "Delete", "information", None)] == [
        "Append",
        "Replace",
        "Delete",
        "Information",
        None,
    ]
    with pytest.raises(QuerySyntaxError):
        parse_action("merge")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "en"),
        ("fr-FR,fr;q=0.9,en;q=0.8", "fr"),
        ("en-GB, fr;q=0.9", "en"),
        ("ar, fr;q=0.7, en;q=0.3", "fr"),
        ("fr;q=0.2, en;q=0.9", "en"),
        ("fr;q=0, de", "en"),
    ],
)
def test_language_from_accept_language(header: str | None, expected: str) -> None:
    headers = [] if header is None else [(b"accept-language", header.encode())]
    request = Request({"type": "http", "headers": headers, "query_string": b""})
    assert choose_language(request, None) == expected
    assert choose_language(request, "FR") == "fr"
