"""The dissemination benchmark: data and availability queries over HTTP against a real server.

``python -m benchmarks.query [--obs 1000000] [--backends sqlite,postgres] [--repeat 1]`` generates
(or reuses) the synthetic structure-specific file of ``benchmarks.ingest``, and for each backend
builds a fresh database (``benchmarks.ingest.Database``: an SQLite file in ``benchmarks/out/`` or
a PostgreSQL database created and dropped) holding the benchmark structures and that file's data,
submitted through ``registry.submission.submit`` (loading is not timed). It then starts the real
server (``python -m registry serve``, one worker, on a free port, with ``REGISTRY_DATABASE_URL``
pointing at that database and ``REGISTRY_MAX_RESPONSE_OBSERVATIONS`` at least the observation
count) and times with httpx, uncompressed (``Accept-Encoding: identity``): a 1,000-observation key
query (25 series, computed from the generator's codes and checked) in SDMX-CSV and in
structure-specific SDMX-ML, median of ``--key-runs`` runs after a warm-up; availability of the
whole dataflow, first request and median of ``--key-runs`` runs; the whole dataflow as SDMX-CSV
and as structure-specific SDMX-ML, time to first body byte and total time, median of ``--repeat``
runs, every observation counted. The server's peak RSS (``VmHWM`` of its process) is read at the
end. Results are printed as a Markdown table with the targets of issue #5 and written with the
machine's facts to ``benchmarks/out/query-results.json``; the exit code is 1 when a target is
missed or a run failed.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from benchmarks import machine
from benchmarks.ingest import (
    DEFAULT_GENERATOR,
    DEFAULT_POSTGRES,
    OUT,
    PROVIDER,
    ROOT,
    STRUCTURES,
    Database,
    _log,
    _n,
    _names,
    _sha256,
    data_file,
)

BACKENDS = ("sqlite", "postgres")
FLOW = "TEST,DF_LFS,1.0"
#: The issue's targets.
ALL_CSV_SECONDS = 5.0
ALL_SS_SECONDS = 8.0
FIRST_BYTE_SECONDS = 0.2
KEY_QUERY_MS = 50.0
AVAILABILITY_MS = 100.0
RSS_TARGET_MB = 150.0
KEY_SERIES = 25
#: ``?format=`` name → (label, the bytes that open one observation in the body).
FORMATS = {
    "csvdata": ("SDMX-CSV", b"\n"),
    "structurespecificdata": ("structure-specific", b"<Obs "),
}
_HEADER_LINES = {"csvdata": 1, "structurespecificdata": 0}


@dataclass
class Measure:
    """One timed request kind on one backend: median seconds over its runs."""

    name: str
    backend: str
    observations: int | None
    runs: list[float] = field(default_factory=list)
    first_byte: list[float] = field(default_factory=list)
    seconds: float | None = None
    first_byte_seconds: float | None = None
    first_request_seconds: float | None = None  # the cold request before the median runs
    bytes: int | None = None
    #: Median CPU time of the server process per request (whole-dataflow downloads only: the
    #: kernel counts it in 10 ms ticks).
    server_cpu_seconds: float | None = None
    target: str = ""
    passed: bool | None = None
    error: str | None = None

    @property
    def verdict(self) -> str:
        if self.error:
            return "ERROR"
        if self.passed is None:
            return "—"
        return "pass" if self.passed else "FAIL"


# ── the generator's codes: the key query ──────────────────────────────────────────────────────


def _generator(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_synthetic", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def key_query(generator: Path, observations: int) -> tuple[str, int]:
    """A key with a wildcard and ``+`` lists that selects exactly 25 whole generated series,
    and the number of observations it selects (checked against the generator's series)."""
    gen = _generator(generator)
    codes = [[c for c, _ in gen.CODELISTS[cl][1]] for _, cl in gen.DIMS]
    periods = 40  # the generator's default, which benchmarks.ingest uses
    # FREQ: wildcard; REF_AREA, SEX, MEASURE: the first code; AGE and ECO: five codes each.
    parts = [[], codes[1][:1], codes[2][:1], codes[3][:5], codes[4][:5], codes[5][:1]]
    key = ".".join("+".join(p) for p in parts)
    n_series = math.ceil(observations / periods)
    selected = 0
    for index, series in enumerate(gen.iter_series(n_series)):
        if all(not p or code in p for p, code in zip(parts, series, strict=True)):
            whole = (index + 1) * periods <= observations
            if not whole:
                raise SystemExit(f"the key {key} selects a partial series: use more --obs")
            selected += 1
    if selected != KEY_SERIES:
        raise SystemExit(
            f"the key {key} selects {selected} series of {observations:,} observations, "
            f"not {KEY_SERIES}: use --obs ≥ 25,000"
        )
    return key, selected * periods


# ── the database and the server ───────────────────────────────────────────────────────────────


def load(database: Database, path: Path, observations: int) -> None:
    """Structures (``Database.create``) then the data file, through ``registry.submission``."""
    from registry.storage.db import make_engine
    from registry.submission import SubmissionOptions, Upload, submit

    database.create()
    engine = make_engine(database.url)
    try:
        record = submit(
            engine,
            Upload(path, file_name=path.name),
            SubmissionOptions(owner="bench", provider=PROVIDER),
        )
    finally:
        engine.dispose()
    stored = record.counts.get("observations", 0)
    if record.status != "accepted" or stored != observations:
        raise RuntimeError(f"loading: submission {record.status}, {stored} observations stored")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``python -m registry serve`` on a free port over ``database_url``, one worker."""

    def __init__(self, database_url: str, max_observations: int) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "REGISTRY_DATABASE_URL": database_url,
            "REGISTRY_MAX_RESPONSE_OBSERVATIONS": str(max_observations),
            "REGISTRY_WORKERS": "1",
            "REGISTRY_LOG_LEVEL": "warning",
        }
        self.log = (OUT / "query-server.log").open("w")  # the last run's server output
        command = [sys.executable, "-m", "registry", "serve", "--host", "127.0.0.1"]
        self.process = subprocess.Popen(
            [*command, "--port", str(self.port), "--workers", "1"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait(self, timeout: float = 120) -> None:
        import httpx

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited with {self.process.returncode}")
            try:
                if httpx.get(f"{self.url}/-/health", timeout=5).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise RuntimeError("the server did not answer /-/health")

    def status_mb(self, name: str) -> float | None:
        """``VmHWM`` (peak) or ``VmRSS`` (now) of the server process, in MiB (Linux)."""
        try:
            with open(f"/proc/{self.process.pid}/status") as status:
                for line in status:
                    if line.startswith(name + ":"):
                        return round(int(line.split()[1]) / 1024, 1)
        except (OSError, ValueError, IndexError):
            pass
        return None

    def cpu_seconds(self) -> float | None:
        """User + system CPU time of the server process so far (Linux)."""
        try:
            with open(f"/proc/{self.process.pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            return None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # as Ctrl-C: uvicorn shuts down cleanly
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


# ── timing ────────────────────────────────────────────────────────────────────────────────────


def fetch(client: Any, path: str, params: dict[str, str], opens: bytes | None) -> dict[str, Any]:
    """One GET, streamed: seconds to the first body byte and to the end, bytes, and the count of
    ``opens`` in the body (observations), split chunks included."""
    count, size, tail = 0, 0, b""
    keep = len(opens) - 1 if opens else 0
    start = time.perf_counter()
    first: float | None = None
    with client.stream("GET", path, params=params) as response:
        for chunk in response.iter_raw():
            if not chunk:
                continue
            if first is None:
                first = time.perf_counter() - start
            size += len(chunk)
            if opens:
                data = tail + chunk
                count += data.count(opens)
                tail = data[-keep:] if keep else b""
        status = response.status_code
        body = b"" if status == 200 else response.read()
    seconds = time.perf_counter() - start
    if status != 200:
        raise RuntimeError(f"GET {path} {params}: HTTP {status}: {body[:300]!r}")
    return {"seconds": seconds, "first_byte": first or seconds, "bytes": size, "count": count}


def _observations(result: dict[str, Any], fmt: str) -> int:
    return int(result["count"]) - _HEADER_LINES[fmt]


def _median_of_runs(
    m: Measure,
    client: Any,
    path: str,
    params: dict[str, str],
    opens: bytes | None,
    runs: int,
    target_ms: float,
    check: Callable[[dict[str, Any]], None] = lambda result: None,
) -> Measure:
    """One warm-up request (its time kept as the first request's), then ``runs`` timed ones
    (each checked): their median time and first byte against ``target_ms``."""
    try:
        warm = fetch(client, path, params, opens)  # structure caches, database pages
        m.first_request_seconds = round(warm["seconds"], 4)
        for _ in range(runs):
            result = fetch(client, path, params, opens)
            check(result)
            m.runs.append(round(result["seconds"], 4))
            m.first_byte.append(round(result["first_byte"], 4))
            m.bytes = result["bytes"]
        m.seconds = round(statistics.median(m.runs), 4)
        m.first_byte_seconds = round(statistics.median(m.first_byte), 4)
        m.passed = m.seconds * 1000 <= target_ms
    except Exception as exc:
        m.error = f"{type(exc).__name__}: {exc}"
    return m


def time_key_query(
    client: Any, backend: str, key: str, expected: int, fmt: str, runs: int
) -> Measure:
    label, opens = FORMATS[fmt]
    m = Measure(f"key query, {expected:,} obs, {label}", backend, expected)
    m.target = f"median ≤ {KEY_QUERY_MS:.0f} ms"

    def check(result: dict[str, Any]) -> None:
        if _observations(result, fmt) != expected:
            raise RuntimeError(f"{_observations(result, fmt)} observations, {expected} wanted")

    path = f"/rest/data/{FLOW}/{key}"
    return _median_of_runs(m, client, path, {"format": fmt}, opens, runs, KEY_QUERY_MS, check)


def time_availability(client: Any, backend: str, runs: int) -> Measure:
    m = Measure("availability, whole dataflow", backend, None)
    m.target = f"median ≤ {AVAILABILITY_MS:.0f} ms"
    path = f"/rest/availableconstraint/{FLOW}"
    return _median_of_runs(m, client, path, {}, None, runs, AVAILABILITY_MS)


def time_whole_flow(
    client: Any, server: Server, backend: str, fmt: str, observations: int, repeat: int
) -> Measure:
    label, opens = FORMATS[fmt]
    limit = ALL_CSV_SECONDS if fmt == "csvdata" else ALL_SS_SECONDS
    m = Measure(f"whole dataflow, {label}", backend, observations)
    m.target = f"≤ {limit:.0f} s, first byte ≤ {FIRST_BYTE_SECONDS} s"
    try:
        cpu = []
        for i in range(repeat):
            _log(f"  {label} [{i + 1}/{repeat}] …")
            before = server.cpu_seconds()
            result = fetch(client, f"/rest/data/{FLOW}/all", {"format": fmt}, opens)
            after = server.cpu_seconds()
            found = _observations(result, fmt)
            if found != observations:
                raise RuntimeError(f"{found:,} observations in the answer, {observations:,} stored")
            m.runs.append(round(result["seconds"], 3))
            m.first_byte.append(round(result["first_byte"], 4))
            if before is not None and after is not None:
                cpu.append(after - before)
            m.bytes = result["bytes"]
            _log(
                f"    {result['seconds']:.2f} s, first byte {result['first_byte'] * 1000:.0f} ms, "
                f"{result['bytes'] / 2**20:,.1f} MiB"
            )
        m.seconds = round(statistics.median(m.runs), 3)
        m.first_byte_seconds = round(statistics.median(m.first_byte), 4)
        m.server_cpu_seconds = round(statistics.median(cpu), 3) if cpu else None
        m.passed = m.seconds <= limit and m.first_byte_seconds <= FIRST_BYTE_SECONDS
    except Exception as exc:
        m.error = f"{type(exc).__name__}: {exc}"
    return m


def run_backend(
    backend: str,
    path: Path,
    args: argparse.Namespace,
    key: str,
    key_obs: int,
) -> tuple[list[Measure], dict[str, Any]]:
    """Load, serve, time; the measures and the server's memory figures."""
    import httpx

    database = Database(backend, args.postgres_url, "query")
    server: Server | None = None
    measures: list[Measure] = []
    memory: dict[str, Any] = {"backend": backend}
    try:
        _log(f"{backend}: loading {args.obs:,} observations (not timed) …")
        start = time.perf_counter()
        load(database, path, args.obs)
        memory["load_seconds"] = round(time.perf_counter() - start, 1)
        _log(f"  loaded in {memory['load_seconds']} s; starting the server …")
        server = Server(database.url, max(args.obs, 5_000_000))
        server.wait()
        memory["rss_at_start_mb"] = server.status_mb("VmRSS")
        headers = {"Accept-Encoding": "identity"}
        with httpx.Client(base_url=server.url, timeout=600, headers=headers) as client:
            for fmt in FORMATS:
                _log(f"{backend}: key query {key} ({fmt}), {args.key_runs} runs …")
                measures.append(time_key_query(client, backend, key, key_obs, fmt, args.key_runs))
            memory["peak_after_key_queries_mb"] = server.status_mb("VmHWM")
            _log(f"{backend}: availability, {args.key_runs} runs …")
            measures.append(time_availability(client, backend, args.key_runs))
            memory["peak_before_whole_flow_mb"] = server.status_mb("VmHWM")
            for fmt in FORMATS:
                _log(f"{backend}: whole dataflow ({fmt}) …")
                measures.append(
                    time_whole_flow(client, server, backend, fmt, args.obs, args.repeat)
                )
        memory["peak_rss_mb"] = server.status_mb("VmHWM")
        memory["rss_at_end_mb"] = server.status_mb("VmRSS")
    except Exception as exc:
        measures.append(Measure("setup", backend, None, error=f"{type(exc).__name__}: {exc}"))
        _log(f"  error: {exc}")
    finally:
        if server is not None:
            server.stop()
        try:
            database.drop()
        except Exception as exc:
            _log(f"  could not drop {database.name}: {exc}")
    peak = memory.get("peak_rss_mb")
    rss = Measure("server peak RSS (MB)", backend, args.obs, target=f"≤ {RSS_TARGET_MB:.0f} MB")
    if peak is None:
        rss.error = "not measured"
    else:
        rss.seconds = None
        rss.passed = peak <= RSS_TARGET_MB
    memory["rss_measure"] = rss
    return measures, memory


# ── output ────────────────────────────────────────────────────────────────────────────────────


def _size(size: int | None) -> str:
    if size is None:
        return "—"
    return f"{size / 1024:,.1f} KiB" if size < 2**20 else f"{size / 2**20:,.1f} MiB"


def _time(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds * 1000:,.1f} ms" if seconds < 1 else f"{seconds:,.2f} s"


def results_table(measures: list[Measure], memory: list[dict[str, Any]]) -> str:
    lines = [
        "| measure | backend | runs | median | first byte | first request | server CPU | size "
        "| target | pass/fail |",
        "|---|---|--:|--:|--:|--:|--:|--:|---|---|",
    ]
    for m in measures:
        lines.append(
            f"| {m.name} | {m.backend} | {len(m.runs)} | {_time(m.seconds)} "
            f"| {_time(m.first_byte_seconds)} | {_time(m.first_request_seconds)} "
            f"| {_time(m.server_cpu_seconds)} | {_size(m.bytes)} | {m.target} | {m.verdict}"
            + (f": {m.error}" if m.error else "")
            + " |"
        )
    for mem in memory:
        rss: Measure = mem["rss_measure"]
        lines.append(
            f"| server peak RSS (VmHWM), MB at start {_n(mem.get('rss_at_start_mb'), 1)}, "
            f"after the key queries {_n(mem.get('peak_after_key_queries_mb'), 1)}, "
            f"before the whole dataflow {_n(mem.get('peak_before_whole_flow_mb'), 1)} "
            f"| {mem['backend']} | — | {_n(mem.get('peak_rss_mb'), 1)} MB | — | — | — | — "
            f"| {rss.target} | {rss.verdict} |"
        )
    return "\n".join(lines)


# ── command line ──────────────────────────────────────────────────────────────────────────────


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.query",
        description="Time data and availability queries over HTTP against a real server.",
    )
    parser.add_argument("--obs", type=int, default=1_000_000, help="observations stored")
    parser.add_argument(
        "--backends",
        type=lambda v: _names(v, BACKENDS, "backend"),
        default=["sqlite"],
        help="comma-separated: sqlite, postgres (default: sqlite)",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="whole-dataflow downloads per format (median kept)"
    )
    parser.add_argument(
        "--key-runs",
        type=int,
        default=20,
        help="key-query and availability runs after the warm-up (median kept; at least 20)",
    )
    parser.add_argument(
        "--generator",
        type=Path,
        default=Path(os.environ.get("REGISTRY_BENCH_GENERATOR", DEFAULT_GENERATOR)),
        help="gen_synthetic.py (default: $REGISTRY_BENCH_GENERATOR or %(default)s)",
    )
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("REGISTRY_BENCH_POSTGRES_URL", DEFAULT_POSTGRES),
        help="server where the database is created and dropped "
        "(default: $REGISTRY_BENCH_POSTGRES_URL or %(default)s)",
    )
    parser.add_argument(
        "--output", type=Path, default=OUT / "query-results.json", help="JSON results file"
    )

    args = parser.parse_args(argv)
    if args.obs < 1 or args.repeat < 1:
        parser.error("--obs and --repeat must be positive")
    if args.key_runs < 20:
        parser.error("--key-runs must be at least 20")
    if not args.generator.is_file():
        parser.error(f"generator not found: {args.generator} (set --generator)")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    key, key_obs = key_query(args.generator, args.obs)
    path = data_file("ss", args.obs, args.generator)
    measures: list[Measure] = []
    memory: list[dict[str, Any]] = []
    for backend in args.backends:
        found, mem = run_backend(backend, path, args, key, key_obs)
        measures.extend(found)
        memory.append(mem)
    postgres = args.postgres_url if "postgres" in args.backends else None
    facts = machine.facts(ROOT, postgres)
    results = {
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": facts,
        "settings": {
            "observations": args.obs,
            "backends": args.backends,
            "repeat": args.repeat,
            "key_runs": args.key_runs,
            "key": key,
            "key_observations": key_obs,
            "generator": str(args.generator),
            "generator_sha256": _sha256(args.generator),
            "structures": [str(p.relative_to(ROOT)) for p in STRUCTURES],
            "accept_encoding": "identity",
        },
        "targets": {
            "whole_csv_seconds": ALL_CSV_SECONDS,
            "whole_structure_specific_seconds": ALL_SS_SECONDS,
            "first_byte_seconds": FIRST_BYTE_SECONDS,
            "key_query_ms": KEY_QUERY_MS,
            "availability_ms": AVAILABILITY_MS,
            "server_peak_rss_mb": RSS_TARGET_MB,
        },
        "measures": [{**asdict(m), "verdict": m.verdict} for m in measures],
        "server_memory": [
            {**{k: v for k, v in mem.items() if k != "rss_measure"}, "verdict": v.verdict}
            for mem in memory
            for v in [mem["rss_measure"]]
        ],
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    print(
        f"{facts['cpu_model']}, {facts['logical_cores']} logical cores; Python {facts['python']}, "
        f"SQLite {facts['sqlite']}"
        + (f", PostgreSQL {facts['postgresql']}" if facts["postgresql"] else "")
        + f"; commit {facts['commit']}; {args.obs:,} observations; key {key}\n"
    )
    print(results_table(measures, memory))
    print(f"\nresults written to {args.output}")
    failed = any(m.error or m.passed is False for m in measures) or any(
        mem["rss_measure"].error or mem["rss_measure"].passed is False for mem in memory
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
