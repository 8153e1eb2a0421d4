"""One measured run of the ingest benchmark, in its own process so its peak RSS is its own.

``python -m benchmarks.worker SPEC`` (``SPEC`` a JSON object written by ``benchmarks.ingest``)
runs one stage over one generated file and prints one JSON line: the observations seen, the wall
and CPU time of this process for the measured part only (structures are read and compiled, and
the database prepared, before the clock starts), the resident set size when the clock started
and the process's peak RSS at the end. Stages: ``read`` (the registry's streaming reader iterated
to the end), ``validate`` (reader + ``DataValidator`` fed in batches as ``registry.ingest`` does,
rules compiled from the structure files; the report must have no error), ``submit``
(``registry.submission.submit`` into a database that already holds the structures; the record
must be accepted with every observation counted) and ``pysdmx`` (``pysdmx.io.read_sdmx`` with
``validate=False``: parsing only, for comparison). A failure is printed as ``{"error": ...}``
with exit code 1, never a traceback alone.
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

_MB = 1024 * 1024


# ── memory ────────────────────────────────────────────────────────────────────────────────────


def peak_rss_mb() -> float | None:
    """Peak resident set size of this process image in MiB.

    On Linux ``VmHWM`` of ``/proc/self/status``: ``getrusage(RUSAGE_SELF).ru_maxrss`` would do
    elsewhere, but Linux carries it over ``fork`` and ``exec``, so a child started by a big parent
    would report the parent's size. Then ``ru_maxrss`` (macOS, BSD), then psutil's peak working
    set (Windows), else None.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)  # kB
    except (OSError, ValueError, IndexError):
        pass
    try:
        import resource
    except ImportError:  # Windows: psutil knows the peak working set
        try:
            import psutil
        except ImportError:
            return None
        peak = getattr(psutil.Process().memory_info(), "peak_wset", None)
        return round(peak / _MB, 1) if peak else None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / _MB if sys.platform == "darwin" else peak / 1024, 1)  # bytes or kB


def current_rss_mb() -> float | None:
    """Resident set size right now in MiB (``/proc/self/statm``, else psutil, else None)."""
    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[1])
        return round(pages * os.sysconf("SC_PAGE_SIZE") / _MB, 1)
    except (OSError, ValueError, AttributeError):
        pass
    try:
        import psutil
    except ImportError:
        return None
    return round(psutil.Process().memory_info().rss / _MB, 1)


# ── structures ────────────────────────────────────────────────────────────────────────────────


def _rules(structures: list[str]) -> Any:
    """The dataflow's compiled rules, read from the structure files as ``registry init`` does."""
    from sdmx.model import v21

    from registry.content import load_files
    from registry.validation.data import compile_rules

    artefacts = load_files([Path(p) for p in structures])
    flows = [a for a in artefacts if isinstance(a, v21.DataflowDefinition)]
    if len(flows) != 1:
        raise SystemExit(f"expected one dataflow in {structures}, found {len(flows)}")
    flow = flows[0]
    dsd = next(
        a
        for a in artefacts
        if isinstance(a, v21.DataStructureDefinition) and a.id == flow.structure.id
    )
    codelists = {a.urn: a for a in artefacts if isinstance(a, v21.Codelist)}
    constraints = [
        a
        for a in artefacts
        if isinstance(a, v21.ContentConstraint)
        and any(isinstance(c, v21.DataflowDefinition) and c.id == flow.id for c in a.content)
    ]
    return compile_rules(dsd, codelists, constraints)


def _events(path: Path, data_format: str, rules: Any) -> Iterator[Any]:
    """The registry's reader for the file, given the DSD's components as the app gives them."""
    from registry.io.sdmxcsv import read_csv
    from registry.io.sdmxml_data import read_data

    dims = [*rules.dimension_ids, rules.time_dimension or "TIME_PERIOD"]
    if data_format.startswith("csv"):
        return read_csv(path, dimension_ids=dims, attribute_ids=list(rules.attributes))
    return read_data(path, dimension_ids=dims)


# ── stages: each prepares, then returns the measured callable ─────────────────────────────────


def _read(spec: dict[str, Any]) -> Callable[[], dict[str, Any]]:
    from registry.io.data_events import ObservationRow

    rules = _rules(spec["structures"])
    path = Path(spec["path"])

    def run() -> dict[str, Any]:
        count = 0
        for event in _events(path, spec["format"], rules):
            if type(event) is ObservationRow:
                count += 1
        return {"observations": count}

    return run


def _validate(spec: dict[str, Any]) -> Callable[[], dict[str, Any]]:
    from registry.io.data_events import ObservationRow, batched

    try:
        from registry.ingest import BATCH_SIZE
    except ImportError:
        BATCH_SIZE = 5_000
    from registry.validation.data import DataValidator
    from registry.validation.report import ReportBuilder

    rules = _rules(spec["structures"])
    path = Path(spec["path"])

    def run() -> dict[str, Any]:
        report = ReportBuilder()
        validator = DataValidator(rules, report)
        # In batches, as registry.ingest feeds it, through the batch entry point when there is one.
        check_batch = getattr(validator, "check_batch", None)
        count = 0
        for batch in batched(_events(path, spec["format"], rules), BATCH_SIZE):
            for event in batch:
                if type(event) is ObservationRow:
                    count += 1
            if check_batch is not None:
                check_batch(batch)
            else:
                for event in batch:
                    validator.check(event)
        validator.finish()
        out: dict[str, Any] = {
            "observations": count,
            "errors": report.errors,
            "entry_point": "check_batch" if check_batch is not None else "check",
        }
        if report.errors:
            out["error"] = f"the validator found {report.errors} error(s) in a valid file"
            out["findings"] = [f.code for f in report.findings[:5]]
        return out

    return run


def _submit(spec: dict[str, Any]) -> Callable[[], dict[str, Any]]:
    from registry.storage.db import make_engine
    from registry.submission import SubmissionOptions, Upload, submit

    engine = make_engine(spec["database_url"])
    path = Path(spec["path"])
    upload = Upload(path, file_name=path.name)
    options = SubmissionOptions(owner="bench", provider=spec["provider"])
    with engine.connect():  # open the pool's connection before the clock starts
        pass

    def run() -> dict[str, Any]:
        record = submit(engine, upload, options)
        out: dict[str, Any] = {
            "observations": record.counts.get("observations", 0),
            "status": record.status,
            "counts": record.counts,
            "data_format": record.data_format,
            "duration_ms": record.duration_ms,
        }
        if record.status != "accepted":
            from registry.submission import report_json

            report = report_json(record)
            out["error"] = f"submission {record.status}"
            out["findings"] = [
                {k: f.get(k) for k in ("code", "message", "line", "row", "value")}
                for f in report["findings"][:5]
            ]
        return out

    return run


def _import_pysdmx_readers() -> None:
    """Import what ``read_sdmx`` imports lazily (pandas, the readers), so it is not timed."""
    import importlib

    for module in (
        "pandas",
        "pysdmx.io.xml.header",
        "pysdmx.io.xml.sdmx21.reader.generic",
        "pysdmx.io.xml.sdmx21.reader.structure_specific",
        "pysdmx.io.csv.sdmx10.reader",
        "pysdmx.io.csv.sdmx21.reader",
    ):
        importlib.import_module(module)


def _pysdmx(spec: dict[str, Any]) -> Callable[[], dict[str, Any]]:
    from importlib.metadata import version

    from pysdmx.io import read_sdmx

    _import_pysdmx_readers()
    path = Path(spec["path"])

    def run() -> dict[str, Any]:
        message = read_sdmx(path, validate=False)
        count = sum(len(dataset.data) for dataset in message.data)
        return {"observations": count, "pysdmx": version("pysdmx")}

    return run


STAGES: dict[str, Callable[[dict[str, Any]], Callable[[], dict[str, Any]]]] = {
    "read": _read,
    "validate": _validate,
    "submit": _submit,
    "pysdmx": _pysdmx,
}


def measure(spec: dict[str, Any]) -> dict[str, Any]:
    """Prepare the stage, then time it; add the memory figures."""
    run = STAGES[spec["stage"]](spec)
    before = current_rss_mb()
    cpu_start = time.process_time()
    start = time.perf_counter()
    out = run()
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    expected = spec["observations"]
    if "error" not in out and out["observations"] != expected:
        out["error"] = f"{out['observations']} observations counted, {expected} expected"
    return {
        **out,
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "rss_before_mb": before,
        "peak_rss_mb": peak_rss_mb(),
    }


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m benchmarks.worker SPEC_JSON", file=sys.stderr)
        return 2
    spec = json.loads(argv[1])
    try:
        result = measure(spec)
    except Exception as exc:
        traceback.print_exc()
        result = {"error": f"{type(exc).__name__}: {exc}", "peak_rss_mb": peak_rss_mb()}
    print(json.dumps(result))
    return 1 if "error" in result else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
