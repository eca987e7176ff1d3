"""Benchmark: ingest of every file in ../shared/data/lmia.

Each measurement runs in its own process so that peak memory (ru_maxrss) is that of the
measured work alone. Same run, same machine: our ingest (archive + parse + load into DuckDB
+ reconcile), our parser alone, a re-run with nothing new, and the baseline pandas +
openpyxl reader producing the same rows (bench/baseline_pandas_openpyxl.py).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED_LMIA = Path(os.environ.get("TMT_SHARED_DATA") or REPO.parent / "shared" / "data") / "lmia"

_CHILD = r"""
import json, os, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
mode, source = sys.argv[2], Path(sys.argv[3])
files = sorted(p for p in source.iterdir() if p.suffix in (".csv", ".xlsx"))
started = time.perf_counter()
rows = positions = 0
if mode == "ingest":
    from flows.settings import get_settings
    from flows.lmia import ingest
    from flows.lmia.sources import discover
    settings = get_settings()
    started = time.perf_counter()
    # What the ingest_lmia flow does, without Prefect: archive every file, then parse the
    # new ones in parallel and load them through one connection.
    candidates, _ = discover(str(source), ingest.http_policy(settings), settings.lmia_dataset_id)
    batch = [ingest.fetch(candidate, settings) for candidate in candidates]
    for report in ingest.load_batch(batch, settings):
        rows += report.rows
        positions += report.approved_positions
elif mode == "parse":
    from flows.lmia.parse import parse_file
    started = time.perf_counter()
    for path in files:
        parsed = parse_file(path, path.name)
        rows += parsed.row_count
        positions += parsed.approved_positions
elif mode == "baseline":
    from bench.baseline_pandas_openpyxl import parse
    started = time.perf_counter()
    for path in files:
        frame = parse(path)
        rows += len(frame)
        positions += int(frame["approved_positions"].sum())
seconds = time.perf_counter() - started
# Parsing runs in worker processes too: the bound on the whole is this process's peak
# plus each worker's (os.cpu_count() of them at most, all at their largest at once).
worker_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 + worker_mib * (os.cpu_count() or 1)
print(json.dumps({"seconds": seconds, "rows": rows, "positions": positions, "peak_mib": peak_mib}))
"""


def measure(mode: str, home: Path) -> dict:
    env = {**os.environ, "TMT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    out = subprocess.run([sys.executable, "-c", _CHILD, str(REPO), mode, str(SHARED_LMIA)],
                         capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def run() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        first = measure("ingest", home)
        second = measure("ingest", home)  # nothing new at the source
        parse_only = measure("parse", home)
        baseline = measure("baseline", home)
    assert first["positions"] == parse_only["positions"] == baseline["positions"], \
        "the baseline and our parser must read the same positions"
    result = {
        "files": len([p for p in SHARED_LMIA.iterdir() if p.suffix in (".csv", ".xlsx")]),
        "rows": first["rows"], "positions": first["positions"],
        "ingest_s": round(first["seconds"], 3),
        "ingest_rows_per_s": round(first["rows"] / first["seconds"]),
        "ingest_peak_mib": round(first["peak_mib"]),
        "rerun_s": round(second["seconds"], 3),
        "rerun_over_first": round(second["seconds"] / first["seconds"], 3),
        "parse_s": round(parse_only["seconds"], 3),
        "parse_rows_per_s": round(parse_only["rows"] / parse_only["seconds"]),
        "baseline_s": round(baseline["seconds"], 3),
        "baseline_rows_per_s": round(baseline["rows"] / baseline["seconds"]),
        "baseline_peak_mib": round(baseline["peak_mib"]),
        "speedup_parse_vs_baseline": round(baseline["seconds"] / parse_only["seconds"], 2),
        "speedup_ingest_vs_baseline": round(baseline["seconds"] / first["seconds"], 2),
    }
    return result
