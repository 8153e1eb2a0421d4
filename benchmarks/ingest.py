"""The ingest benchmark: parse + validate + store throughput and peak memory of data submission.

``python -m benchmarks.ingest [--obs 1000000] [--formats ss,generic,csv,csv2]
[--backends sqlite,postgres] [--repeat 1] [--pysdmx] [--stages]`` generates the synthetic files
once into ``benchmarks/out/`` (with the generator of the data-submission issue, cached by
observation count and format), then for each format times ``registry.submission.submit`` into a
fresh SQLite file and/or a fresh PostgreSQL database holding only the benchmark structures
(``tests/data/bench/synthetic_dsd.xml`` and ``synthetic_provision.xml``, loaded through
``registry.content`` and ``registry.maintenance`` as ``registry load`` does). ``--stages`` also
times the reader alone and reader + validator, ``--pysdmx`` pysdmx parsing the same file. Every
measured run is a fresh ``benchmarks.worker`` process, so its peak RSS is its own. The results are
printed as Markdown tables (with the issue's targets and the our/pysdmx ratios) and written with
the machine's facts to ``benchmarks/out/results.json``. The exit code is 1 when a run failed or
missed its target.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from benchmarks import machine

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
STRUCTURES = (
    ROOT / "tests" / "data" / "bench" / "synthetic_dsd.xml",
    ROOT / "tests" / "data" / "bench" / "synthetic_provision.xml",
)
PROVIDER = "TEST:BENCH"
DEFAULT_GENERATOR = str(
    Path(__file__).resolve().parents[1] / "tests" / "data" / "bench" / "gen_synthetic.py"
)
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"

#: Our format name → (generator ``--format``, file suffix, description).
FORMATS = {
    "ss": ("xml", ".xml", "SDMX-ML 2.1 structure-specific"),
    "generic": ("generic", ".xml", "SDMX-ML 2.1 generic"),
    "csv": ("csv", ".csv", "SDMX-CSV 1.0"),
    "csv2": ("csv2", ".csv", "SDMX-CSV 2.0"),
}
BACKENDS = ("sqlite", "postgres")
#: Observations per second that parse + validate + store must reach (the issue's figures).
SQLITE_TARGETS = {"ss": 160_000, "generic": 70_000, "csv": 150_000, "csv2": 150_000}
#: The issue gives one PostgreSQL figure: a format whose SQLite target is lower keeps it.
POSTGRES_TARGETS = {name: min(100_000, t) for name, t in SQLITE_TARGETS.items()}
TARGETS = {"sqlite": SQLITE_TARGETS, "postgres": POSTGRES_TARGETS}
RSS_TARGET_MB = 100.0
STAGE_NAMES = {
    "read": "read",
    "validate": "read+validate",
    "submit": "submit",
    "pysdmx": "pysdmx parse",
}


@dataclass
class Run:
    """One measured (format, stage, backend), over ``repeat`` processes."""

    format: str
    stage: str
    backend: str | None
    observations: int
    file_bytes: int
    seconds: float | None = None  # median wall time
    all_seconds: list[float] = field(default_factory=list)
    obs_per_s: float | None = None
    #: Median CPU time of the worker process (not of a database server): steadier than wall
    #: time on a busy machine.
    cpu_seconds: float | None = None
    all_cpu_seconds: list[float] = field(default_factory=list)
    target_obs_per_s: int | None = None
    peak_rss_mb: float | None = None  # highest of the repeats
    rss_at_start_mb: float | None = None  # RSS when the clock started (imports, structures)
    passed: bool | None = None  # None: no target for this stage
    error: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def verdict(self) -> str:
        if self.error:
            return "ERROR"
        if self.passed is None:
            return "—"
        if self.passed:
            return "pass"
        reasons = []
        if self.target_obs_per_s and (self.obs_per_s or 0) < self.target_obs_per_s:
            reasons.append("speed")
        if self.peak_rss_mb is not None and self.peak_rss_mb > RSS_TARGET_MB:
            reasons.append("RSS")
        return "FAIL (" + ", ".join(reasons) + ")"


# ── files ─────────────────────────────────────────────────────────────────────────────────────


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def data_file(name: str, observations: int, generator: Path) -> Path:
    """The generated file for (format, observations), made once and reused while it is intact."""
    gen_format, suffix, _ = FORMATS[name]
    path = OUT / f"synthetic-{observations}-{name}{suffix}"
    stamp = path.with_name(path.name + ".json")
    wanted = {"generator_sha256": _sha256(generator), "observations": observations, "format": name}
    if path.exists() and stamp.exists():
        known = json.loads(stamp.read_text())
        if known.get("bytes") == path.stat().st_size and all(
            known.get(k) == v for k, v in wanted.items()
        ):
            return path
    OUT.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    _log(f"generating {path.name} ({observations:,} observations) …")
    start = time.perf_counter()
    command = [sys.executable, str(generator), "--obs", str(observations), "--format", gen_format]
    subprocess.run([*command, "-o", str(partial)], check=True)
    partial.replace(path)
    stamp.write_text(json.dumps({**wanted, "bytes": path.stat().st_size}, indent=2) + "\n")
    _log(f"  {path.stat().st_size / 2**20:,.1f} MiB in {time.perf_counter() - start:.1f} s")
    return path


# ── databases ─────────────────────────────────────────────────────────────────────────────────


class Database:
    """A fresh database holding the benchmark structures, removed by ``drop``."""

    def __init__(self, backend: str, server_url: str, tag: str) -> None:
        self.backend = backend
        self.server_url = server_url
        self.name = f"registry_bench_{os.getpid()}_{tag}"
        if backend == "sqlite":
            self.path: Path | None = OUT / f"{self.name}.db"
            self.url = f"sqlite:///{self.path}"
        else:
            from sqlalchemy.engine import make_url

            from registry.storage.db import normalise_url

            self.path = None
            server = make_url(normalise_url(server_url))
            self.url = server.set(database=self.name).render_as_string(hide_password=False)

    def _sqlite_files(self) -> list[Path]:
        assert self.path is not None
        return [self.path.with_name(self.path.name + s) for s in ("", "-wal", "-shm", "-journal")]

    def _server(self, statement: str) -> None:
        from sqlalchemy import text

        from registry.storage.db import make_engine

        engine = make_engine(self.server_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                connection.execute(text(statement))
        finally:
            engine.dispose()

    def create(self) -> None:
        from registry import content, maintenance
        from registry.storage import migrate
        from registry.storage.db import make_engine, session_scope

        self.drop()
        if self.backend == "postgres":
            self._server(f'CREATE DATABASE "{self.name}"')
        engine = make_engine(self.url)
        try:
            migrate.upgrade(engine)
            with session_scope(engine) as session:
                maintenance.submit_structures(
                    session, content.load_files(STRUCTURES), actor="bench"
                )
        finally:
            engine.dispose()

    def drop(self) -> None:
        if self.backend == "sqlite":
            for path in self._sqlite_files():
                path.unlink(missing_ok=True)
        else:
            self._server(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


# ── runs ──────────────────────────────────────────────────────────────────────────────────────


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _worker(spec: dict[str, Any]) -> dict[str, Any]:
    """Run ``benchmarks.worker`` on ``spec`` in a new process; its JSON line, or an error."""
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.worker", json.dumps(spec)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    lines = proc.stdout.strip().splitlines()
    try:
        result: dict[str, Any] = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        result = {"error": f"worker exited {proc.returncode}: " + " | ".join(tail)}
    if "error" in result and proc.stderr.strip():
        result.setdefault("stderr", proc.stderr.strip().splitlines()[-15:])
    return result


def measure(
    name: str,
    stage: str,
    backend: str | None,
    path: Path,
    observations: int,
    repeat: int,
    postgres_url: str,
) -> Run:
    """Run one (format, stage, backend) ``repeat`` times, each in a fresh process and database."""
    run = Run(name, stage, backend, observations, path.stat().st_size)
    if stage == "submit" and backend is not None:
        run.target_obs_per_s = TARGETS[backend][name]
    peaks: list[float] = []
    starts: list[float] = []
    for i in range(repeat):
        label = f"{name} {STAGE_NAMES[stage]}" + (f" {backend}" if backend else "")
        _log(f"{label} [{i + 1}/{repeat}] …")
        spec: dict[str, Any] = {
            "stage": stage,
            "format": name,
            "path": str(path),
            "observations": observations,
            "structures": [str(p) for p in STRUCTURES],
            "provider": PROVIDER,
        }
        database = Database(backend, postgres_url, f"{name}_{i}") if backend else None
        try:
            if database is not None:
                database.create()
                spec["database_url"] = database.url
            result = _worker(spec)
        except Exception as exc:
            result = {"error": f"{type(exc).__name__}: {exc}"}
        finally:
            if database is not None:
                try:
                    database.drop()
                except Exception as exc:
                    _log(f"  could not drop {database.name}: {exc}")
        if result.get("peak_rss_mb") is not None:
            peaks.append(result["peak_rss_mb"])
        if result.get("rss_before_mb") is not None:
            starts.append(result["rss_before_mb"])
        if "error" in result:
            run.error = result["error"]
            run.detail = {k: v for k, v in result.items() if k not in ("error",)}
            _log(f"  error: {run.error}")
            break
        run.all_seconds.append(round(result["seconds"], 3))
        run.all_cpu_seconds.append(round(result["cpu_seconds"], 3))
        run.detail = {
            k: v
            for k, v in result.items()
            if k not in ("seconds", "cpu_seconds", "observations", "peak_rss_mb", "rss_before_mb")
        }
        rate = observations / result["seconds"]
        _log(
            f"  {result['seconds']:.2f} s ({result['cpu_seconds']:.2f} s CPU), {rate:,.0f} obs/s, "
            f"peak {result['peak_rss_mb']} MiB"
        )
    run.peak_rss_mb = max(peaks) if peaks else None
    run.rss_at_start_mb = max(starts) if starts else None
    if run.all_seconds and not run.error:
        run.seconds = round(statistics.median(run.all_seconds), 3)
        run.cpu_seconds = round(statistics.median(run.all_cpu_seconds), 3)
        run.obs_per_s = round(observations / run.seconds)
        if run.target_obs_per_s is not None:
            run.passed = run.obs_per_s >= run.target_obs_per_s and (
                run.peak_rss_mb is not None and run.peak_rss_mb <= RSS_TARGET_MB
            )
    return run


# ── output ────────────────────────────────────────────────────────────────────────────────────


def _n(value: float | None, digits: int = 0) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def results_table(runs: list[Run]) -> str:
    lines = [
        "| format | stage | backend | obs | seconds | CPU s | obs/s | target obs/s | pass/fail "
        "| peak RSS MB | RSS at start MB |",
        "|---|---|---|--:|--:|--:|--:|--:|---|--:|--:|",
    ]
    for r in runs:
        lines.append(
            f"| {r.format} | {STAGE_NAMES[r.stage]} | {r.backend or '—'} | {r.observations:,} "
            f"| {_n(r.seconds, 2)} | {_n(r.cpu_seconds, 2)} | {_n(r.obs_per_s)} "
            f"| {_n(r.target_obs_per_s)} | {r.verdict} "
            f"| {_n(r.peak_rss_mb, 1)} | {_n(r.rss_at_start_mb, 1)} |"
        )
    return "\n".join(lines)


def ratios(runs: list[Run]) -> list[dict[str, Any]]:
    """Ours / pysdmx for every successful run of a format pysdmx also read."""
    out = []
    for ref in runs:
        if ref.stage != "pysdmx" or ref.obs_per_s is None:
            continue
        for r in runs:
            if r.format != ref.format or r.stage == "pysdmx" or r.obs_per_s is None:
                continue
            out.append(
                {
                    "format": r.format,
                    "ours": STAGE_NAMES[r.stage] + (f" ({r.backend})" if r.backend else ""),
                    "ours_obs_per_s": r.obs_per_s,
                    "pysdmx_obs_per_s": ref.obs_per_s,
                    "speed_ratio": round(r.obs_per_s / ref.obs_per_s, 2),
                    "ours_peak_rss_mb": r.peak_rss_mb,
                    "pysdmx_peak_rss_mb": ref.peak_rss_mb,
                    "memory_ratio": (
                        round(ref.peak_rss_mb / r.peak_rss_mb, 2)
                        if r.peak_rss_mb and ref.peak_rss_mb
                        else None
                    ),
                }
            )
    return out


def ratios_table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| format | ours | ours obs/s | pysdmx obs/s | speed ours/pysdmx "
        "| ours peak MB | pysdmx peak MB | memory pysdmx/ours |",
        "|---|---|--:|--:|--:|--:|--:|--:|",
    ]
    for x in rows:
        lines.append(
            f"| {x['format']} | {x['ours']} | {_n(x['ours_obs_per_s'])} "
            f"| {_n(x['pysdmx_obs_per_s'])} | {x['speed_ratio']:.2f}× "
            f"| {_n(x['ours_peak_rss_mb'], 1)} | {_n(x['pysdmx_peak_rss_mb'], 1)} "
            f"| {_n(x['memory_ratio'], 2)}× |"
        )
    return "\n".join(lines)


# ── command line ──────────────────────────────────────────────────────────────────────────────


def _names(value: str, allowed: tuple[str, ...] | list[str], what: str) -> list[str]:
    names = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [n for n in names if n not in allowed]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown {what} {', '.join(unknown)} (choose from {', '.join(allowed)})"
        )
    return names


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.ingest",
        description="Time parse + validate + store of generated SDMX data files.",
    )
    parser.add_argument("--obs", type=int, default=1_000_000, help="observations per file")
    parser.add_argument(
        "--formats",
        type=lambda v: _names(v, list(FORMATS), "format"),
        default=list(FORMATS),
        help="comma-separated: ss, generic, csv, csv2 (default: all)",
    )
    parser.add_argument(
        "--backends",
        type=lambda v: [] if v == "none" else _names(v, BACKENDS, "backend"),
        default=["sqlite"],
        help="comma-separated: sqlite, postgres; 'none' skips submit (default: sqlite)",
    )
    parser.add_argument("--repeat", type=int, default=1, help="runs per measure (median kept)")
    parser.add_argument("--stages", action="store_true", help="also time read and read+validate")
    parser.add_argument("--pysdmx", action="store_true", help="also time pysdmx parsing")
    parser.add_argument(
        "--generator",
        type=Path,
        default=Path(os.environ.get("REGISTRY_BENCH_GENERATOR", DEFAULT_GENERATOR)),
        help="gen_synthetic.py (default: $REGISTRY_BENCH_GENERATOR or %(default)s)",
    )
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("REGISTRY_BENCH_POSTGRES_URL", DEFAULT_POSTGRES),
        help="server where a database is created and dropped per run "
        "(default: $REGISTRY_BENCH_POSTGRES_URL or %(default)s)",
    )
    parser.add_argument(
        "--output", type=Path, default=OUT / "results.json", help="JSON results file"
    )
    args = parser.parse_args(argv)
    if args.obs < 1 or args.repeat < 1:
        parser.error("--obs and --repeat must be positive")
    if not args.generator.is_file():
        parser.error(f"generator not found: {args.generator} (set --generator)")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    plan: list[tuple[str, str | None]] = []
    if args.stages:
        plan += [("read", None), ("validate", None)]
    if args.pysdmx:
        plan.append(("pysdmx", None))
    plan += [("submit", backend) for backend in args.backends]
    if not plan:
        _log("nothing to measure: give --stages, --pysdmx or a backend")
        return 2
    runs: list[Run] = []
    for name in args.formats:
        path = data_file(name, args.obs, args.generator)
        for stage, backend in plan:
            runs.append(
                measure(name, stage, backend, path, args.obs, args.repeat, args.postgres_url)
            )
    postgres = args.postgres_url if "postgres" in args.backends else None
    facts = machine.facts(ROOT, postgres)
    ratio_rows = ratios(runs)
    results = {
        "generated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": facts,
        "settings": {
            "observations": args.obs,
            "formats": args.formats,
            "backends": args.backends,
            "repeat": args.repeat,
            "stages": args.stages,
            "pysdmx": args.pysdmx,
            "generator": str(args.generator),
            "generator_sha256": _sha256(args.generator),
            "structures": [str(p.relative_to(ROOT)) for p in STRUCTURES],
        },
        "targets": {"obs_per_s": TARGETS, "peak_rss_mb": RSS_TARGET_MB},
        "runs": [{**asdict(r), "verdict": r.verdict} for r in runs],
        "ratios": ratio_rows,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n")
    print(
        f"{facts['cpu_model']}, {facts['logical_cores']} logical cores; Python {facts['python']}, "
        f"SQLite {facts['sqlite']}"
        + (f", PostgreSQL {facts['postgresql']}" if facts["postgresql"] else "")
        + f"; commit {facts['commit']}\n"
    )
    print(results_table(runs))
    if ratio_rows:
        print()
        print(ratios_table(ratio_rows))
    print(f"\nresults written to {args.output}")
    failed = any(r.error or r.passed is False for r in runs)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
