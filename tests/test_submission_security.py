"""Hostile uploads: entity tricks, bombs, truncated, mis-encoded, archived and binary files.

Each file is submitted with ``registry.submission.submit`` on SQLite and PostgreSQL (the store of
``tests/test_submission_invalid.py``: structures loaded and baselines stored, so it is not empty)
and must be refused with one clear code (``FORBIDDEN_XML``, ``FILE_TOO_LARGE`` or
``UNREADABLE_FILE``) whose message names the problem (and the line or row where one applies),
with nothing stored and the refusal kept as a ``rejected`` record. No text an entity would have
brought in (the expanded ``lol``, ``/etc/passwd``, an HTTP answer) may appear anywhere in the
report, and no network request may be made. Small hand-written files live in
``tests/data/submissions/security/``; large, compressed and port-dependent ones are written into
``tmp_path`` by the tests.
"""

from __future__ import annotations

import gzip
import http.server
import json
import random
import re
import threading
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pytest
from sqlalchemy.engine import Engine

from registry import submission
from registry.storage.db import session_scope
from registry.storage.records import SubmissionRecord
from tests.test_submission_invalid import (
    INVALID,
    _submit,
    snapshot,
    store,  # noqa: F401  (the module-scoped prepared store, one per backend)
)

SECURITY = Path(__file__).parent / "data" / "submissions" / "security"
CAP = 10_000  # max_bytes for the size tests
BASE_CSV = INVALID / "baseline" / "DF_LFS.csv"
BASE_XML = INVALID / "baseline" / "DF_LFS.xml"
#: Texts that entity expansion or inclusion would bring into the report.
LEAKS = ("lollol", "root:x:", "root:", "/bin/sh", "/bin/bash", "nologin")
DTD_WORDS = "DOCTYPE"


def _report_text(record: SubmissionRecord) -> str:
    return "\n".join(
        json.dumps(submission.report_json(record, lang), ensure_ascii=False)
        for lang in ("en", "fr")
    )


def _refused(
    engine: Engine,
    path: Path,
    code: str,
    *,
    message: str,
    where: dict[str, Any] | None = None,
    max_bytes: int | None = None,
) -> SubmissionRecord:
    """Submit ``path``; it must be refused with ``code`` alone, nothing stored, record kept."""
    before = snapshot(engine)
    record = _submit(engine, path.name, path=path, max_bytes=max_bytes)
    report = submission.report_json(record)
    assert record.status == "rejected", report["findings"]
    assert report["counts_by_code"] == {code: 1}, report["findings"]
    (finding,) = report["findings"]
    assert finding["severity"] == "error"
    assert message in finding["message"], finding["message"]
    location = {k: finding.get(k) for k in ("line", "row", "column")}
    assert location == {"line": None, "row": None, "column": None, **(where or {})}
    text = _report_text(record)
    for leak in LEAKS:
        assert leak not in text
    assert snapshot(engine) == before
    assert record.counts["added"] == record.counts["replaced"] == record.counts["deleted"] == 0
    with session_scope(engine) as session:
        kept = submission.get_submission(session, record.id) if record.id else None
        assert kept is not None and kept.status == "rejected"
        assert kept.report == record.report
    return record


# -- committed files ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Hostile:
    file: str
    code: str
    message: str
    where: dict[str, Any] | None = None


COMMITTED = [
    Hostile("billion_laughs.xml", "FORBIDDEN_XML", DTD_WORDS),
    Hostile("billion_laughs.generic.xml", "FORBIDDEN_XML", DTD_WORDS),
    Hostile("external_entity_file.xml", "FORBIDDEN_XML", DTD_WORDS),
    Hostile("external_parameter_entity.xml", "FORBIDDEN_XML", DTD_WORDS),
    Hostile("external_dtd.xml", "FORBIDDEN_XML", DTD_WORDS),
    Hostile("dtd_only.xml", "FORBIDDEN_XML", DTD_WORDS),
    Hostile("latin1.csv", "UNREADABLE_FILE", "row 4 is not UTF-8", {"row": 4}),
]


def test_every_committed_file_is_in_the_table() -> None:
    files = {p.name for p in SECURITY.iterdir()} - {"README.md"}
    assert files == {h.file for h in COMMITTED}
    readme = (SECURITY / "README.md").read_text(encoding="utf-8")
    assert set(re.findall(r"^\| `([^`]+)` \|", readme, flags=re.MULTILINE)) == files
    assert all(p.stat().st_size < 200_000 for p in SECURITY.iterdir())


@pytest.mark.parametrize("case", [pytest.param(h, id=h.file) for h in COMMITTED])
def test_committed_hostile_file_is_refused(store: Engine, case: Hostile) -> None:  # noqa: F811
    _refused(store, SECURITY / case.file, case.code, message=case.message, where=case.where)


# -- generated files ---------------------------------------------------------------------------


def _rows(n: int) -> list[str]:
    """``n`` valid DF_LFS rows of the baseline series, quarterly from 1900-Q1."""
    first = BASE_CSV.read_text(encoding="utf-8").splitlines()[1]
    prefix = ",".join(first.split(",")[:7])  # DATAFLOW and the six series dimensions
    return [f"{prefix},{1900 + i // 4}-Q{i % 4 + 1},{i}.5,A,PS,3" for i in range(n)]


def _big_csv(tmp_path: Path) -> Path:
    header = BASE_CSV.read_text(encoding="utf-8").splitlines()[0]
    path = tmp_path / "big.csv"
    path.write_text("\n".join([header, *_rows(200)]) + "\n", encoding="utf-8")
    assert path.stat().st_size > CAP
    return path


def _big_xml(tmp_path: Path) -> Path:
    lines = BASE_XML.read_text(encoding="utf-8").splitlines()
    series = next(i for i, line in enumerate(lines) if line.startswith("<Series"))
    end = next(i for i, line in enumerate(lines) if line.startswith("</Series>"))
    obs = [
        f'<Obs TIME_PERIOD="{1900 + i // 4}-Q{i % 4 + 1}" OBS_VALUE="{i}.5" OBS_STATUS="A"/>'
        for i in range(200)
    ]
    path = tmp_path / "big.xml"
    path.write_text("\n".join([*lines[: series + 1], *obs, *lines[end:]]) + "\n", encoding="utf-8")
    assert path.stat().st_size > CAP
    return path


def _bomb_payload() -> bytes:
    """A valid-looking CSV that expands to 8 MB (one enormous cell), 800 times the cap."""
    header, first = BASE_CSV.read_bytes().splitlines()[:2]
    return header + b"\n" + first.replace(b",PS,", b"," + b"A" * 8_000_000 + b",") + b"\n"


def _gzip_bomb(tmp_path: Path) -> Path:
    path = tmp_path / "bomb.csv.gz"
    path.write_bytes(gzip.compress(_bomb_payload(), 9))
    assert path.stat().st_size < CAP  # small on the wire, huge once expanded
    return path


def _zip_bomb(tmp_path: Path) -> Path:
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("data.csv", _bomb_payload())
    assert path.stat().st_size < CAP
    return path


def _truncated_xml(tmp_path: Path) -> Path:
    data = BASE_XML.read_bytes()
    cut = data.index(b'OBS_VALUE="6873.3"') + 5  # inside an attribute name, on line 8
    path = tmp_path / "truncated.xml"
    path.write_bytes(data[:cut])
    assert data[:cut].count(b"\n") + 1 == 8
    return path


def _truncated_gzip(tmp_path: Path) -> Path:
    packed = gzip.compress(BASE_CSV.read_bytes())
    path = tmp_path / "truncated.csv.gz"
    path.write_bytes(packed[: len(packed) // 2])
    return path


def _truncated_zip(tmp_path: Path) -> Path:
    whole = tmp_path / "whole.zip"
    with zipfile.ZipFile(whole, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(BASE_CSV, "data.csv")
    path = tmp_path / "truncated.zip"
    path.write_bytes(whole.read_bytes()[:-60])  # the central directory is cut
    return path


def _zip_of_several(tmp_path: Path) -> Path:
    path = tmp_path / "several.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(BASE_CSV, "part1.csv")
        archive.write(BASE_CSV, "part2.csv")
    return path


def _empty(tmp_path: Path) -> Path:
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    return path


def _blank(tmp_path: Path) -> Path:
    path = tmp_path / "blank.csv"
    path.write_bytes(b"\n\n   \n")
    return path


def _binary(tmp_path: Path) -> Path:
    rng = random.Random(1)
    path = tmp_path / "image.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(4000)))
    return path


def _utf16(tmp_path: Path) -> Path:
    path = tmp_path / "utf16.csv"
    path.write_bytes(BASE_CSV.read_text(encoding="utf-8").encode("utf-16"))
    return path


def _hidden_doctype(tmp_path: Path) -> Path:
    """A DOCTYPE after a 100 kB comment: past the first chunk a reader looks at."""
    text = (SECURITY / "billion_laughs.xml").read_text(encoding="utf-8")
    declaration, rest = text.split("\n", 1)
    path = tmp_path / "hidden_doctype.xml"
    path.write_text(f"{declaration}\n<!-- {'x' * 100_000} -->\n{rest}", encoding="utf-8")
    return path


@dataclass(frozen=True)
class Generated:
    name: str
    make: Callable[[Path], Path]
    code: str
    message: str
    where: dict[str, Any] | None = None
    max_bytes: int | None = None
    #: Without the cap the file is valid (the size is its only problem).
    valid_without_cap: bool = False
    xfail: str | None = None

    def param(self) -> Any:
        marks = [pytest.mark.xfail(reason=self.xfail, strict=True)] if self.xfail else []
        return pytest.param(self, id=self.name, marks=marks)


GENERATED = [
    Generated("csv-over-cap", _big_csv, "FILE_TOO_LARGE", "10,000 bytes", None, CAP, True),
    Generated("xml-over-cap", _big_xml, "FILE_TOO_LARGE", "10,000 bytes", None, CAP, True),
    Generated("gzip-bomb", _gzip_bomb, "FILE_TOO_LARGE", "10,000 bytes", None, CAP),
    Generated("zip-bomb", _zip_bomb, "FILE_TOO_LARGE", "10,000 bytes", None, CAP),
    Generated("truncated-xml", _truncated_xml, "UNREADABLE_FILE", "line 8", {"line": 8}),
    Generated("truncated-gzip", _truncated_gzip, "UNREADABLE_FILE", "gzip"),
    Generated("truncated-zip", _truncated_zip, "UNREADABLE_FILE", "zip"),
    Generated("zip-of-several-files", _zip_of_several, "UNREADABLE_FILE", "exactly one file"),
    Generated("empty-file", _empty, "UNREADABLE_FILE", "empty"),
    Generated("blank-lines-only", _blank, "UNREADABLE_FILE", "empty"),
    Generated("binary-file", _binary, "UNREADABLE_FILE", "binary"),
    Generated(
        "utf16-csv",
        _utf16,
        "UNREADABLE_FILE",
        "UTF-16",
        {"row": 1},
    ),
    Generated("doctype-after-100kB-comment", _hidden_doctype, "FORBIDDEN_XML", DTD_WORDS),
]


@pytest.mark.parametrize("case", [g.param() for g in GENERATED])
def test_generated_hostile_file_is_refused(
    store: Engine,  # noqa: F811
    tmp_path: Path,
    case: Generated,
) -> None:
    path = case.make(tmp_path)
    _refused(
        store, path, case.code, message=case.message, where=case.where, max_bytes=case.max_bytes
    )
    if case.valid_without_cap:
        record = _submit(store, path.name, path=path, dry_run=True)
        assert record.status == "valid", submission.report_json(record)["findings"]


def test_gzip_bomb_is_stopped_at_the_cap_not_after_expanding(
    store: Engine,  # noqa: F811
    tmp_path: Path,
) -> None:
    """The progress callback never reports more than the compressed file holds."""
    path = _gzip_bomb(tmp_path)
    seen: list[int] = []
    options = submission.SubmissionOptions(owner="tester", provider="TEST:BENCH")
    record = submission.submit(
        store, submission.Upload(path, path.name), options, max_bytes=CAP, progress=seen.append
    )
    assert record.status == "rejected"
    assert set(submission.report_json(record)["counts_by_code"]) == {"FILE_TOO_LARGE"}
    assert all(n <= path.stat().st_size for n in seen)


# -- archives with dangerous member names --------------------------------------------------------


def _named_zip(tmp_path: Path, member: str) -> Path:
    path = tmp_path / "upload" / "named.zip"
    path.parent.mkdir()
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(member, BASE_CSV.read_bytes())
    return path


MEMBER_NAMES = ["../../escaped.csv", "/tmp/escaped.csv", "..\\..\\escaped.csv"]


@pytest.mark.parametrize("member", MEMBER_NAMES)
def test_zip_member_name_never_becomes_a_path(
    store: Engine,  # noqa: F811
    tmp_path: Path,
    member: str,
) -> None:
    """Whatever the service decides, nothing is written where the member name points."""
    path = _named_zip(tmp_path, member)
    targets = {
        directory / "escaped.csv"
        for base in (path.parent, Path.cwd())
        for directory in (base, base.parent, base.parent.parent)
    } | {Path("/tmp/escaped.csv"), path.parent / member}
    assert not any(t.exists() for t in targets)
    _submit(store, path.name, path=path, dry_run=True)
    assert not any(t.exists() for t in targets)
    assert [p.name for p in tmp_path.rglob("*")] == ["upload", "named.zip"]


@pytest.mark.parametrize("member", MEMBER_NAMES[:2])
def test_zip_member_with_a_traversal_name_is_refused(
    store: Engine,  # noqa: F811
    tmp_path: Path,
    member: str,
) -> None:
    _refused(store, _named_zip(tmp_path, member), "UNREADABLE_FILE", message="zip")


# -- external entities over HTTP: refused, and no request is ever made ---------------------------


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        type(self).requests.append(self.path)
        body = b"SECRET-FROM-THE-NETWORK"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return


@pytest.fixture
def web() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server recording every request it gets."""
    _Recorder.requests = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.requests
    server.shutdown()
    thread.join(timeout=5)


HTTP_DOCTYPES = {
    "entity": '<!DOCTYPE message:StructureSpecificData [\n  <!ENTITY xxe SYSTEM "{url}/e">\n]>\n',
    "parameter-entity": (
        '<!DOCTYPE message:StructureSpecificData [\n  <!ENTITY % xxe SYSTEM "{url}/p">\n'
        "  %xxe;\n]>\n"
    ),
    "external-dtd": '<!DOCTYPE message:StructureSpecificData SYSTEM "{url}/d.dtd">\n',
}


@pytest.mark.parametrize("kind", sorted(HTTP_DOCTYPES))
def test_external_entity_over_http_is_refused_without_a_request(
    store: Engine,  # noqa: F811
    tmp_path: Path,
    web: tuple[str, list[str]],
    kind: str,
) -> None:
    url, requests = web
    text = (SECURITY / "external_entity_file.xml").read_text(encoding="utf-8")
    start, end = text.index("<!DOCTYPE"), text.index("<message:StructureSpecificData")
    hostile = text[:start] + HTTP_DOCTYPES[kind].format(url=url) + text[end:]
    if kind != "entity":
        hostile = hostile.replace("&xxe;", "XXE")
    path = tmp_path / f"xxe-{kind}.xml"
    path.write_text(hostile, encoding="utf-8")
    record = _refused(store, path, "FORBIDDEN_XML", message=DTD_WORDS)
    assert "SECRET-FROM-THE-NETWORK" not in _report_text(record)
    assert requests == []


def test_the_report_never_quotes_the_file_content_of_an_entity(store: Engine) -> None:  # noqa: F811
    """/etc/passwd (when the machine has one) appears nowhere in the report."""
    record = _refused(
        store, SECURITY / "external_entity_file.xml", "FORBIDDEN_XML", message=DTD_WORDS
    )
    passwd = Path("/etc/passwd")
    if passwd.exists():
        text = _report_text(record)
        for line in passwd.read_text(errors="replace").splitlines()[:5]:
            assert line not in text
