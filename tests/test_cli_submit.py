"""``registry validate`` and ``registry submit`` as a user runs them, and the text report they print.

The commands run against a database loaded with the shipped content by ``registry init`` (SQLite,
plus one PostgreSQL case) on the shipped example files, checking exit codes, the text and JSON
reports and what is stored. A few runs are real subprocesses (as a user types them, one with its
stderr on a pseudo-terminal for the progress bar); the others call the same Typer app in-process,
which keeps the file fast (each subprocess pays about two CPU-seconds of imports). The text
rendering (``registry.validation.text``) is also checked on hand-built reports.
"""

from __future__ import annotations

import getpass
import io
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy
from typer.testing import CliRunner

from registry import cli
from registry.storage.db import make_engine, session_scope
from registry.submission import UNUSABLE_CODES, list_submissions
from registry.validation.text import render

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
VALID_CSV = EXAMPLES / "DF_LFS_KEY.HCP.csv"
VALID_XML = EXAMPLES / "DF_LFS_KEY.HCP.xml"
BAD_CODE = EXAMPLES / "invalid" / "CODE_NOT_IN_CODELIST.csv"
BENCH = ROOT / "tests" / "data" / "bench"
SYNTHETIC_CSV = ROOT / "tests" / "data" / "submissions" / "csv" / "synthetic_1000.csv"
HCP = "MA.HCP:HCP"
LFS_KEY = "MA.HCP:DF_LFS_KEY(1.0)"
KEY = (
    "MAR.Q.UNE_DEAP_RT.F.AGE_YTHADULT_YGE15.GEO_COV_NAT.EDU_ISCED11_TOTAL.ECO_ISIC4_TOTAL."
    "OCU_ISCO08_TOTAL.STE_ICSE93_TOTAL.INS_SECTOR_TOTAL.DSB_STATUS_TOTAL.MIG_STATUS_TOTAL"
)


@dataclass(frozen=True)
class Ran:
    returncode: int
    stdout: str
    stderr: str


def run(*args: str, url: str, real: bool = False) -> Ran:
    """``registry ARGS`` with ``url`` as its database: in-process, or as a subprocess if ``real``."""
    if real:
        done = subprocess.run(
            [sys.executable, "-m", "registry", *args],
            capture_output=True,
            text=True,
            env={**os.environ, "REGISTRY_DATABASE_URL": url},
            timeout=300,
        )
        return Ran(done.returncode, done.stdout, done.stderr)
    result = CliRunner().invoke(
        cli.app, list(args), env={"REGISTRY_DATABASE_URL": url}, catch_exceptions=False
    )
    return Ran(result.exit_code, result.stdout, result.stderr)


def _submissions(url: str, provider: str | None = None) -> list[Any]:
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            return list_submissions(session, provider=provider)
    finally:
        engine.dispose()


def _observations(url: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            n = conn.execute(sqlalchemy.text("SELECT count(*) FROM observation")).scalar_one()
    finally:
        engine.dispose()
    return int(n)


@pytest.fixture(scope="module")
def loaded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database with the shipped content, made once by ``registry init``."""
    db = tmp_path_factory.mktemp("cli_submit") / "registry.db"
    result = run("init", url=f"sqlite:///{db}")
    assert result.returncode == 0, result.stderr
    return db


@pytest.fixture
def db_url(loaded_db: Path) -> str:
    """The loaded database (validate stores nothing, so tests share it)."""
    return f"sqlite:///{loaded_db}"


@pytest.fixture
def fresh_url(loaded_db: Path, tmp_path: Path) -> str:
    """A private copy of the loaded database, for tests that store."""
    db = tmp_path / "registry.db"
    shutil.copyfile(loaded_db, db)
    return f"sqlite:///{db}"


# --- validate ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "example, real", [(VALID_CSV, True), (VALID_XML, False)], ids=["csv-subprocess", "xml"]
)
def test_validate_valid_example(db_url: str, example: Path, real: bool) -> None:
    result = run("validate", str(example), "--provider", HCP, url=db_url, real=real)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"VALID  {example.name}"
    assert LFS_KEY in result.stdout
    assert "No findings." in result.stdout
    assert "dry run: nothing stored" in result.stdout
    assert all(len(line) <= 80 for line in lines), result.stdout
    assert result.stderr == ""
    assert _submissions(db_url) == []
    assert _observations(db_url) == 0


def test_validate_invalid_example_names_code_row_and_column(db_url: str) -> None:
    result = run("validate", str(BAD_CODE), url=db_url)
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    assert out.startswith("INVALID  CODE_NOT_IN_CODELIST.csv")
    assert "CODE_NOT_IN_CODELIST" in out.split("Findings by code", 1)[1]
    assert "row 3, column SEX" in out
    assert "value 'F'" in out
    assert "CL_SEX_MA" in out
    assert "Traceback" not in result.stderr
    assert _submissions(db_url) == []


def test_validate_json_report(db_url: str) -> None:
    bad = run("validate", str(BAD_CODE), "--json", url=db_url)
    assert bad.returncode == 1
    report = json.loads(bad.stdout)
    assert report["status"] == "invalid" and report["id"] is None and report["dry_run"] is True
    assert report["counts_by_code"].get("CODE_NOT_IN_CODELIST", 0) >= 1
    finding = next(f for f in report["findings"] if f["code"] == "CODE_NOT_IN_CODELIST")
    assert (finding["row"], finding["column"], finding["value"]) == (3, "SEX", "F")

    good = run("validate", str(VALID_CSV), "--provider", HCP, "--json", url=db_url)
    assert good.returncode == 0, good.stdout + good.stderr
    report = json.loads(good.stdout)
    assert report["status"] == "valid" and report["errors"] == 0
    assert report["counts"]["observations"] > 0


def test_validate_in_french(db_url: str) -> None:
    result = run("validate", str(BAD_CODE), "--lang", "fr", url=db_url)
    assert result.returncode == 1
    out = result.stdout
    assert out.startswith("NON VALIDE  CODE_NOT_IN_CODELIST.csv")
    assert "Constats par code" in out
    assert "ligne 3, colonne SEX" in out
    assert "n'est pas un code de" in out  # the French message of CODE_NOT_IN_CODELIST
    json_fr = json.loads(
        run("validate", str(BAD_CODE), "--json", "--lang", "fr", url=db_url).stdout
    )
    assert any("n'est pas un code de" in f["message"] for f in json_fr["findings"])


def test_missing_file_exits_2_before_any_work(tmp_path: Path) -> None:
    db = tmp_path / "never.db"
    result = run("validate", str(tmp_path / "nope.csv"), url=f"sqlite:///{db}")
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and "no such file" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""
    assert not db.exists()
    folder = run("validate", str(tmp_path), url=f"sqlite:///{db}")
    assert folder.returncode == 2 and "not a file" in folder.stderr


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.mark.parametrize(
    "content", [PNG, os.urandom(2048), b""], ids=["png", "random-bytes", "empty"]
)
def test_non_sdmx_file_exits_2(db_url: str, tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "upload.dat"
    path.write_bytes(content)
    text_run = run("validate", str(path), url=db_url)
    assert text_run.returncode == 2, text_run.stdout + text_run.stderr
    assert text_run.stdout.startswith("INVALID  upload.dat")
    assert "Traceback" not in text_run.stderr
    report = json.loads(run("validate", str(path), "--json", url=db_url).stdout)
    assert report["status"] == "invalid"
    assert report["errors"] >= 1
    assert set(report["counts_by_code"]) <= UNUSABLE_CODES


@pytest.mark.parametrize(
    "args, message",
    [
        (["--lang", "de"], "--lang must be one of en, fr"),
        (["--action", "Upsert"], "--action must be one of Append, Replace, Delete, Information"),
        (["--dataflow", "DF_LFS_KEY"], "--dataflow must look like AGENCY:ID(VERSION)"),
        (["--provider", "HCP"], "--provider must look like AGENCY:PROVIDER_ID"),
    ],
)
def test_bad_options_are_usage_errors(db_url: str, args: list[str], message: str) -> None:
    result = run("validate", str(VALID_CSV), *args, url=db_url)
    assert result.returncode == 2
    assert result.stderr == f"error: {message}, got {args[1]!r}\n"


def test_dataflow_and_action_options_reach_the_check(db_url: str) -> None:
    other = run(
        "validate", str(VALID_CSV), "--dataflow", "MA.HCP:DF_SDG8(1.0)", "--json", url=db_url
    )
    assert other.returncode == 1, other.stdout + other.stderr
    assert "STRUCTURE_MISMATCH" in json.loads(other.stdout)["counts_by_code"]
    same = run(
        "validate",
        str(VALID_CSV),
        "--dataflow",
        LFS_KEY,
        "--action",
        "replace",
        "--provider",
        HCP,
        "--json",
        url=db_url,
    )
    assert same.returncode == 0, same.stdout + same.stderr
    assert json.loads(same.stdout)["action"] == "Replace"


# --- submit -----------------------------------------------------------------------------------


def test_submit_stores_and_prints_the_id(fresh_url: str) -> None:
    result = run("submit", str(VALID_CSV), "--provider", HCP, url=fresh_url, real=True)
    assert result.returncode == 0, result.stdout + result.stderr
    [record] = _submissions(fresh_url)
    assert record.status == "accepted" and record.id is not None
    assert record.provider == HCP and record.file_name == VALID_CSV.name
    assert record.owner == getpass.getuser()
    assert result.stdout.startswith(f"ACCEPTED  {VALID_CSV.name}")
    assert f"Submission  {record.id}\n" in result.stdout
    assert _observations(fresh_url) == record.counts["observations"] > 0

    again = run("submit", str(VALID_CSV), "--provider", HCP, "--json", url=fresh_url)
    assert again.returncode == 0, again.stdout + again.stderr
    report = json.loads(again.stdout)
    assert report["status"] == "accepted" and report["duplicate_of"] == record.id
    assert _observations(fresh_url) == record.counts["observations"]


def test_submit_rejected_is_kept_and_exits_1(fresh_url: str) -> None:
    result = run("submit", str(VALID_CSV), "--provider", "MA.HCP:OC", url=fresh_url)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.startswith("REJECTED")
    assert "NOT_AUTHORISED" in result.stdout
    [record] = _submissions(fresh_url)
    assert record.status == "rejected" and record.provider == "MA.HCP:OC"
    assert "kept for the record; nothing stored" in result.stdout
    assert _observations(fresh_url) == 0


def test_submit_needs_a_provider(fresh_url: str) -> None:
    result = run("submit", str(VALID_CSV), url=fresh_url)
    assert result.returncode == 2 and "--provider" in result.stderr
    assert _submissions(fresh_url) == []


@pytest.mark.parametrize(
    "database_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_submit_on_postgresql(database_url: str) -> None:
    loaded = run(
        "load",
        str(BENCH / "synthetic_dsd.xml"),
        str(BENCH / "synthetic_provision.xml"),
        url=database_url,
    )
    assert loaded.returncode == 0, loaded.stderr
    refused = run("submit", str(SYNTHETIC_CSV), "--provider", "TEST:OTHER", url=database_url)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "NOT_AUTHORISED" in refused.stdout
    ok = run(
        "submit",
        str(SYNTHETIC_CSV),
        "--provider",
        "TEST:BENCH",
        "--json",
        url=database_url,
        real=True,
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    report = json.loads(ok.stdout)
    assert report["status"] == "accepted" and report["counts"]["observations"] == 1000
    [record] = _submissions(database_url, provider="TEST:BENCH")
    assert record.id == report["id"] and record.owner == getpass.getuser()
    assert [r.status for r in _submissions(database_url)] == ["accepted", "rejected"]
    assert _observations(database_url) == 1000


# --- the progress bar -------------------------------------------------------------------------


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_for_big_files_on_a_terminal() -> None:
    big = cli.PROGRESS_MIN_BYTES
    with cli._progress(big - 1, _Terminal(), "small.csv") as callback:
        assert callback is None
    with cli._progress(big, io.StringIO(), "piped.csv") as callback:
        assert callback is None
    terminal = _Terminal()
    with cli._progress(big * 2, terminal, "big.csv") as callback:
        assert callback is not None
        callback(big)
    drawn = terminal.getvalue()
    assert "big.csv" in drawn
    assert "4.2/8.4 MB" in drawn


def _padded_example(tmp_path: Path) -> Path:
    """The valid XML example grown past the progress threshold by a large XML comment."""
    xml = VALID_XML.read_text(encoding="utf-8")
    pad = "<!-- " + "padding " * (cli.PROGRESS_MIN_BYTES // 8 + 1000) + "-->\n"
    head, rest = xml.split("<message:Header>", 1)
    path = tmp_path / "big.xml"
    path.write_text(head + pad + "<message:Header>" + rest, encoding="utf-8")
    assert path.stat().st_size > cli.PROGRESS_MIN_BYTES
    return path


def test_progress_bar_on_a_real_terminal(db_url: str, tmp_path: Path) -> None:
    import pty
    import threading

    big = _padded_example(tmp_path)
    piped = run("validate", str(big), "--provider", HCP, url=db_url)
    assert piped.returncode == 0, piped.stdout + piped.stderr
    assert piped.stderr == ""  # no bar when stderr is not a terminal

    master, slave = pty.openpty()
    environ = {**os.environ, "REGISTRY_DATABASE_URL": db_url, "TERM": "xterm", "COLUMNS": "100"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "registry", "validate", str(big), "--provider", HCP],
        stdout=subprocess.PIPE,
        stderr=slave,
        env=environ,
    )
    os.close(slave)
    drawn = bytearray()

    def drain() -> None:
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                return
            if not chunk:
                return
            drawn.extend(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    stdout, _ = proc.communicate(timeout=300)
    reader.join(timeout=10)
    os.close(master)
    assert proc.returncode == 0, stdout.decode() + drawn.decode(errors="replace")
    assert stdout.decode().startswith("VALID  big.xml")
    assert b"big.xml" in drawn and b"MB" in drawn


# --- the text rendering -----------------------------------------------------------------------


def _report(**overrides: Any) -> dict[str, Any]:
    report: dict[str, Any] = {
        "id": None,
        "status": "invalid",
        "dry_run": True,
        "duplicate_of": None,
        "submitted_at": "2025-01-01T00:00:00Z",
        "owner": "cli",
        "provider": HCP,
        "file": {"name": "lfs.csv", "size": 123456, "sha256": "ab" * 32, "format": "SDMX-CSV 1.0"},
        "action": "Append",
        "structures": {"dataflow": f"urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow={LFS_KEY}"},
        "counts": {"series": 3, "observations": 1234, "added": 0, "replaced": 0, "deleted": 0},
        "duration_ms": 2345,
        "errors": 1003,
        "warnings": 1,
        "counts_by_code": {
            "BAD_TIME_PERIOD": 1,
            "CODE_NOT_IN_CODELIST": 1002,
            "REPEATED_OBSERVATION": 1,
        },
        "truncated": {"CODE_NOT_IN_CODELIST": 1000},
        "findings": [
            {
                "code": "CODE_NOT_IN_CODELIST",
                "severity": "error",
                "message": "'F' is not a code of MA.HCP:CL_SEX_MA(1.0) (used by SEX).",
                "hint": "Closest valid codes: SEX_F, SEX_M.",
                "row": 2,
                "column": "SEX",
                "series_key": KEY,
                "period": "2024-Q1",
                "component": "SEX",
                "value": "F",
            },
            {
                "code": "REPEATED_OBSERVATION",
                "severity": "warning",
                "message": "Observation A.B 2024 appears more than once with the same content.",
                "line": 120,
                "series_key": "A.B",
                "period": "2024",
            },
            {
                "code": "BAD_TIME_PERIOD",
                "severity": "error",
                "message": "'2024-Q5' is not a valid SDMX time period: quarter 5.",
                "row": 7,
                "column": "TIME_PERIOD",
                "value": "2024-Q5",
            },
            {
                "code": "CODE_NOT_IN_CODELIST",
                "severity": "error",
                "message": "'G' is not a code of MA.HCP:CL_SEX_MA(1.0) (used by SEX).",
                "row": 9,
                "column": "SEX",
                "value": "G" * 200,
            },
        ],
    }
    report.update(overrides)
    return report


def _section(text: str, header: str) -> list[str]:
    """The lines of one code's group, from its header to the blank line after it."""
    lines = text.splitlines()
    start = lines.index(header)
    end = lines.index("", start) if "" in lines[start:] else len(lines)
    return lines[start + 1 : end]


def test_text_headline() -> None:
    text = render(_report())
    head = text.split("\n\n", 1)[0].splitlines()
    assert head[0] == "INVALID  lfs.csv"
    fields = {line[2:14].strip(): line[14:] for line in head[1:]}
    assert fields == {
        "Submission": "none (dry run: nothing stored)",
        "Size": "123,456 bytes",
        "Format": "SDMX-CSV 1.0",
        "Dataflow": LFS_KEY,
        "Provider": HCP,
        "Action": "Append",
        "Content": "3 series, 1,234 observations",
        "Changes": "0 added, 0 replaced, 0 deleted (if submitted)",
        "Duration": "2.3 s",
        "Findings": "1,003 errors, 1 warning",
    }


def test_text_counts_per_code_then_findings_grouped_by_code() -> None:
    text = render(_report())
    assert _section(text, "Findings by code") == [
        "  CODE_NOT_IN_CODELIST  error         1,002",
        "  BAD_TIME_PERIOD       error         1",
        "  REPEATED_OBSERVATION  warning       1",
    ]
    order = [
        text.index(h)
        for h in (
            "CODE_NOT_IN_CODELIST (error, 1,002)",
            "BAD_TIME_PERIOD (error, 1)",
            "REPEATED_OBSERVATION (warning, 1)",
        )
    ]
    assert order == sorted(order)
    group = _section(text, "CODE_NOT_IN_CODELIST (error, 1,002)")
    assert group == [
        "  - row 2, column SEX, period 2024-Q1, value 'F'",
        "    series MAR.Q.UNE_DEAP_RT.F.AGE_YTHADULT_YGE15.GEO_COV_NAT.EDU_ISCED11_TOTAL.",
        "           ECO_ISIC4_TOTAL.OCU_ISCO08_TOTAL.STE_ICSE93_TOTAL.INS_SECTOR_TOTAL.",
        "           DSB_STATUS_TOTAL.MIG_STATUS_TOTAL",
        "    'F' is not a code of MA.HCP:CL_SEX_MA(1.0) (used by SEX).",
        "    Hint: Closest valid codes: SEX_F, SEX_M.",
        f"  - row 9, column SEX, value '{'G' * 39}…'",
        "    'G' is not a code of MA.HCP:CL_SEX_MA(1.0) (used by SEX).",
        "  … 1,000 more counted but not listed",
    ]
    assert _section(text, "REPEATED_OBSERVATION (warning, 1)") == [
        "  - line 120, period 2024",
        "    series A.B",
        "    Observation A.B 2024 appears more than once with the same content.",
    ]
    assert all(len(line) <= 80 for line in text.splitlines())


def test_text_limit_and_truncation_are_both_told() -> None:
    text = render(_report(), limit=1)
    group = _section(text, "CODE_NOT_IN_CODELIST (error, 1,002)")
    assert group[-1] == "  … 1 more not shown here; 1,000 more counted but not listed"
    assert "row 9" not in text and "row 2, column SEX" in text
    narrow = render(_report(), width=60)
    assert all(len(line) <= 60 for line in narrow.splitlines()), narrow


def test_text_in_french() -> None:
    findings = _report()["findings"]
    findings[0] = {**findings[0], "message": "'F' n'est pas un code de MA.HCP:CL_SEX_MA(1.0)."}
    text = render(_report(findings=findings), "fr", limit=1)
    assert text.startswith("NON VALIDE  lfs.csv\n  Soumission     aucune (essai à blanc")
    assert "  Taille         123\u00a0456 octets\n" in text
    assert "  Contenu        3 séries, 1\u00a0234 observations\n" in text
    assert "  Durée          2,3 s\n" in text
    assert "  Constats       1\u00a0003 erreurs, 1 avertissement\n" in text
    assert "Constats par code" in text
    assert "CODE_NOT_IN_CODELIST (erreur, 1\u00a0002)" in text
    assert "  - ligne 2, colonne SEX, période 2024-Q1, valeur 'F'" in text
    assert "    Conseil : Closest valid codes" in text
    assert "  - ligne 120, période 2024" in text
    assert "  … non affichés ici : 1 ; comptés mais non listés : 1\u00a0000" in text


def test_text_of_an_accepted_duplicate_and_rejected_submission() -> None:
    clean = {"errors": 0, "warnings": 0, "counts_by_code": {}, "truncated": {}, "findings": []}
    accepted = render(
        _report(
            id=42,
            status="accepted",
            dry_run=False,
            **clean,
            counts={"series": 3, "observations": 12, "added": 10, "replaced": 2, "deleted": 0},
        )
    )
    assert accepted.startswith("ACCEPTED  lfs.csv\n  Submission  42\n")
    assert "  Changes     10 added, 2 replaced, 0 deleted\n" in accepted
    assert accepted.endswith("\nNo findings.\n")
    duplicate = render(_report(id=42, status="accepted", duplicate_of=42, **clean))
    assert "42 (identical to submission 42; nothing stored again)" in duplicate
    assert "(if submitted)" not in duplicate
    rejected = render(_report(id=43, status="rejected", dry_run=False))
    assert rejected.startswith("REJECTED  lfs.csv\n  Submission  43 (kept for the record")


def test_text_refuses_an_unknown_language() -> None:
    with pytest.raises(ValueError, match="en, fr"):
        render(_report(), "de")


def test_text_escapes_control_characters_from_the_file() -> None:
    finding = {
        "code": "UNKNOWN_COMPONENT",
        "severity": "error",
        "message": "\x1b[2JX is not a dimension, attribute or measure of D.",
        "row": 1,
        "column": "\x1b[2JX",
    }
    text = render(
        _report(counts_by_code={"UNKNOWN_COMPONENT": 1}, truncated={}, findings=[finding])
    )
    assert "\x1b" not in text
    assert "  - row 1, column \\x1b[2JX" in text


def test_text_of_a_file_level_finding() -> None:
    finding = {
        "code": "UNREADABLE_FILE",
        "severity": "error",
        "message": "The file cannot be read: it holds binary data",
        "hint": "Send a complete SDMX-ML (2.1 or 3.0) or SDMX-CSV (1.0 or 2.0) file encoded in UTF-8.",
    }
    text = render(
        _report(
            file={"name": "x.png", "size": 10, "format": None},
            structures={},
            counts_by_code={"UNREADABLE_FILE": 1},
            truncated={},
            findings=[finding],
        )
    )
    assert "  Format      unknown\n  Dataflow    unknown\n" in text
    assert _section(text, "UNREADABLE_FILE (error, 1)") == [
        "  - The file cannot be read: it holds binary data",
        "    Hint: Send a complete SDMX-ML (2.1 or 3.0) or SDMX-CSV (1.0 or 2.0) file",
        "      encoded in UTF-8.",
    ]
