"""Benchmark: the LMIA ingest on the ten real vintages and on a 62-file history (issue 16).

Each measurement runs in its own process so that peak memory (ru_maxrss) is that of the
measured work alone. Same run, same machine, same files:
- ingest: archive + parse + load into DuckDB + reconcile + raw data checks (what the flow
  does, without Prefect), each step timed;
- rerun: the same ingest again, nothing new at the source;
- parse: our parser alone, one process;
- floor: the fastest maintained readers reading the same bytes and doing nothing else
  (calamine for XLSX, DuckDB's CSV reader for CSV);
- baseline: a plain pandas + openpyxl reader (bench/baseline_pandas_openpyxl.py); on the
  history it fails on some files (UTF-16, semicolons...): it is timed all the same. It runs
  without pyarrow, as it was first measured: with it, pandas 3 keeps text in Arrow and
  this reader takes twice as long, which would flatter the ingest's ratio.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REAL = REPO / "tests" / "data" / "lmia"

_CHILD = r"""
import json, os, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
mode, source = sys.argv[2], Path(sys.argv[3])
files = sorted(p for p in source.iterdir() if p.suffix in (".csv", ".xlsx"))
out = {}
rows = positions = 0
if mode == "ingest":
    from flows.settings import get_settings
    from flows.lmia import ingest
    from flows.lmia.sources import discover
    from flows.quality import raw_lmia
    import great_expectations  # noqa: F401  (its 6-8 s import is not the work measured)
    settings = get_settings()
    started = time.perf_counter()
    candidates, _ = discover(str(source), ingest.http_policy(settings), settings.lmia_dataset_id)
    batch = [ingest.fetch(candidate, settings) for candidate in candidates]
    archived = time.perf_counter()
    reports = ingest.load_batch(batch, settings)
    loaded = time.perf_counter()
    reports = raw_lmia.check_loaded_files(settings, reports)
    checked = time.perf_counter()
    out = {"archive_s": archived - started, "parse_load_s": loaded - archived,
           "checks_s": checked - loaded,
           "statuses": {s: sum(r.status == s for r in reports) for s in {r.status for r in reports}}}
    for report in reports:
        rows += report.rows
        positions += report.approved_positions
elif mode == "parse":
    from flows.lmia.parse import parse_file
    started = time.perf_counter()
    for path in files:
        parsed = parse_file(path, path.name)
        rows += parsed.row_count
        positions += parsed.approved_positions
elif mode == "floor":
    import duckdb
    from python_calamine import CalamineWorkbook
    started = time.perf_counter()
    con = duckdb.connect()
    for path in files:
        if path.suffix == ".xlsx":
            workbook = CalamineWorkbook.from_path(str(path))
            for name in workbook.sheet_names:
                rows += len(workbook.get_sheet_by_name(name).to_python())
            continue
        data = path.read_bytes()
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            encoding = "utf-16"
        else:
            try:
                data.decode("utf-8")
                encoding = "utf-8"
            except UnicodeDecodeError:
                encoding = "latin-1"
        try:
            rows += con.execute(
                "select count(*) from read_csv(?, header=false, all_varchar=true, "
                "null_padding=true, strict_mode=false, ignore_errors=true, encoding=?)",
                [str(path), encoding]).fetchall()[0][0]
        except duckdb.Error:  # DuckDB's latin-1 refuses Windows-1252's 0x80-0x9F: C csv module
            import csv, io
            rows += len(list(csv.reader(io.StringIO(data.decode("latin-1"), newline=""))))
elif mode == "baseline":
    # pandas 3 stores text in pyarrow when it is installed (it is, for the ingest), which
    # makes this reader twice as slow; the baseline stays the one measured before pyarrow.
    sys.modules["pyarrow"] = None
    from bench.baseline_pandas_openpyxl import parse
    started = time.perf_counter()
    failed = 0
    for path in files:
        try:
            frame = parse(path)
        except Exception:
            failed += 1
            continue
        rows += len(frame)
        positions += int(frame["approved_positions"].sum())
    out["failed_files"] = failed
seconds = time.perf_counter() - started
# Parsing runs in worker processes too: the bound on the whole is this process's peak
# plus each worker's (os.cpu_count() of them at most, all at their largest at once).
worker_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 + worker_mib * (os.cpu_count() or 1)
print(json.dumps({"seconds": seconds, "rows": rows, "positions": positions, "peak_mib": peak_mib, **out}))
"""


def measure(mode: str, source: Path, home: Path) -> dict:
    env = {**os.environ, "TMT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "GX_ANALYTICS_ENABLED": "false"}
    out = subprocess.run([sys.executable, "-c", _CHILD, str(REPO), mode, str(source)],
                         capture_output=True, text=True, env=env, check=False)
    if out.returncode:
        raise RuntimeError(f"{mode} on {source}: {out.stderr.strip().splitlines()[-1:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def figures(source: Path, tmp: Path) -> dict:
    home = tmp / f"home-{source.name}"
    first = measure("ingest", source, home)
    again = measure("ingest", source, home)  # nothing new at the source
    parse_only = measure("parse", source, home)
    floor = measure("floor", source, home)
    baseline = measure("baseline", source, home)
    assert first["positions"] == parse_only["positions"], "the ingest loads what the parser reads"
    work = first["seconds"] - again["seconds"]
    return {
        "files": len([p for p in source.iterdir() if p.suffix in (".csv", ".xlsx")]),
        "statuses": first["statuses"], "rows": first["rows"], "positions": first["positions"],
        "ingest_s": round(first["seconds"], 2),
        "  archive_s": round(first["archive_s"], 2),
        "  parse_load_s": round(first["parse_load_s"], 2),
        "  checks_s": round(first["checks_s"], 2),
        "ingest_peak_mib": round(first["peak_mib"]),
        "rerun_s": round(again["seconds"], 2),
        "rerun_over_first": round(again["seconds"] / first["seconds"], 3),
        "parse_s (one process)": round(parse_only["seconds"], 2),
        "floor_s (calamine, DuckDB CSV)": round(floor["seconds"], 2),
        "parse_load_over_floor": round(first["parse_load_s"] / floor["seconds"], 2),
        "baseline_s (pandas+openpyxl)": round(baseline["seconds"], 2),
        "baseline_failed_files": baseline.get("failed_files", 0),
        "ingest_work_s (first - rerun)": round(work, 2),
        "baseline_over_ingest_work": round(baseline["seconds"] / work, 2) if work > 0 else None,
    }


def run() -> dict:
    from bench.history import assemble

    with tempfile.TemporaryDirectory() as tmp:
        history = Path(tmp) / "history"
        assemble(history)
        return {"ten real vintages": figures(REAL, Path(tmp)),
                "62-file history": figures(history, Path(tmp))}
