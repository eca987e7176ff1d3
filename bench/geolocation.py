"""Benchmark: `tmt build` on every file in ../shared/data/lmia, and geolocation throughput
against a naive per-row fuzzy matcher (issue 3).

Each measurement runs in its own process (`python -m bench.geolocation <step>`), all in one
temporary $TMT_HOME: plain ingest, `dbt build`, the geolocation models alone, `tmt build`
as a user runs it (Prefect's temporary server included), and the naive matcher: for each
Quebec row, the city segment of the address, lowercased without accents, against every MAMH
name with difflib.get_close_matches; no caching, no blocking by postal area.
"""
from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SHARED_LMIA = Path(os.environ.get("TMT_SHARED_DATA") or REPO.parent / "shared" / "data") / "lmia"
MUNICIPALITIES = REPO / "dbt_project" / "seeds" / "ref_quebec_municipalities.csv"
# What geolocating the rows takes: the staging views, the reference-derived tables and the
# address models. Seeds are loaded by the preceding build.
GEOLOCATION = "+int_lmia_rows_geolocated"
NAIVE_BUDGET_S = 120  # beyond this the naive matcher runs on a seeded sample
NAIVE_SAMPLE = 3000
QUEBEC_ROWS = """
    select raw_rows.address, raw_rows.approved_positions, ours.municipality_name,
        ours.geo_precision = 'municipality' as placed
    from raw.lmia_rows as raw_rows
    left join intermediate.int_lmia_rows_geolocated as ours
        using (file_sha256, sheet, source_row)
    where raw_rows.province_code = 'QC'
    order by raw_rows.file_sha256, raw_rows.sheet, raw_rows.source_row
"""


def _ingest(settings) -> dict:
    from flows.lmia import ingest
    from flows.lmia.sources import discover

    candidates, _ = discover(str(SHARED_LMIA), ingest.http_policy(settings), settings.lmia_dataset_id)
    reports = [ingest.load_archived(ingest.fetch(candidate, settings), settings)
               for candidate in candidates]
    return {"files": len(reports), "rows": sum(report.rows for report in reports)}


def _dbt(settings, *args: str) -> dict:
    import dbt.cli.main  # noqa: F401  (importing dbt is not the work measured)

    from flows.warehouse.dbt import run_dbt

    started = time.perf_counter()
    run_dbt(settings, *args)
    seconds = time.perf_counter() - started
    # dbt's own timing of each node, without its start-up and project parsing.
    results = json.loads((settings.home / "dbt" / "target" / "run_results.json").read_text())
    return {"seconds": seconds, "nodes_s": sum(r["execution_time"] for r in results["results"])}


def _normalize(name: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", name.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).strip()


def _naive(settings) -> dict:
    import csv
    import difflib

    import duckdb

    with duckdb.connect(str(settings.work_db), read_only=True) as con:
        rows = con.sql(QUEBEC_ROWS).fetchall()
    with MUNICIPALITIES.open(encoding="utf-8") as file:
        names = [row["municipality_name"] for row in csv.DictReader(file)]
    # The reference list is prepared once, as dbt's seeds are; each row is then matched alone.
    name_by_key = {_normalize(name): name for name in names}
    started = time.perf_counter()
    # A quick estimate decides between all rows and a seeded sample.
    probe = random.Random(0).sample(rows, min(len(rows), 200))
    for address, *_ in probe:
        _match_naively(address, name_by_key, difflib)
    estimate = (time.perf_counter() - started) / len(probe) * len(rows)
    measured = rows if estimate <= NAIVE_BUDGET_S else random.Random(3).sample(rows, NAIVE_SAMPLE)
    started = time.perf_counter()
    matched = [(_match_naively(address, name_by_key, difflib), positions, ours, placed)
               for address, positions, ours, placed in measured]
    seconds = time.perf_counter() - started
    positions = sum(row[1] for row in matched)
    return {"rows": len(matched), "sampled": measured is not rows, "seconds": seconds,
            "quebec_rows": len(rows),
            "ours_placed_rows": sum(1 for row in rows if row[3]) / len(rows),
            "ours_placed_positions": sum(row[1] for row in rows if row[3]) / sum(row[1] for row in rows),
            "placed_rows": sum(1 for row in matched if row[0]) / len(matched),
            "placed_positions": sum(row[1] for row in matched if row[0]) / positions,
            "agrees_rows": sum(1 for row in matched if row[0] and row[0] == row[2]) / len(matched),
            "agrees_positions": sum(row[1] for row in matched if row[0] and row[0] == row[2]) / positions}


def _match_naively(address: str, name_by_key: dict, difflib) -> str | None:
    """The segment before the province code, compared with every municipality name.
    Homonyms share a key, so this gives a name; agreement with ours is judged on names."""
    segments = [segment for segment in address.split(",") if segment.strip()]
    city = _normalize(segments[-2]) if len(segments) > 1 else ""
    best = difflib.get_close_matches(city, list(name_by_key), n=1, cutoff=0.6)
    return name_by_key[best[0]] if best else None


def _child(args: list[str], home: Path) -> dict:
    env = {**os.environ, "TMT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    started = time.perf_counter()
    out = subprocess.run([sys.executable, *args], cwd=REPO, env=env, capture_output=True,
                         text=True, check=False)
    if out.returncode:  # say why, which check=True would not
        raise RuntimeError(f"{' '.join(args)} failed: {out.stderr[-2000:]}")
    lines = out.stdout.strip().splitlines()
    result = json.loads(lines[-1]) if lines and lines[-1].startswith("{") else {}
    return {**result, "wall_s": time.perf_counter() - started}


def run() -> dict:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        # In this order: geolocation reruns its models on the database the build seeded,
        # and the naive matcher compares its answers with the tables they wrote.
        loaded, build, geolocation, naive = [
            _child(["-m", "bench.geolocation", step], home)
            for step in ("ingest", "dbt_build", "geolocation", "naive")]
        # As a user's first build after an ingest: no dbt partial-parse state yet.
        shutil.rmtree(home / "dbt")
        tmt_build = _child(["-m", "flows.cli", "build"], home)
    ours_rows_per_s = naive["quebec_rows"] / geolocation["seconds"]
    naive_rows_per_s = naive["rows"] / naive["seconds"]
    return {
        "files": loaded["files"], "rows": loaded["rows"], "quebec_rows": naive["quebec_rows"],
        "dbt_build_s": round(build["seconds"], 2),
        "tmt_build_s": round(tmt_build["wall_s"], 2),
        "geolocation_s": round(geolocation["seconds"], 2),
        "geolocation_models_s": round(geolocation["nodes_s"], 2),
        "geolocation_rows_per_s": round(ours_rows_per_s),
        "naive_rows": naive["rows"],
        "naive_sampled": f"seeded sample of {naive['rows']}, rate extrapolated" if naive["sampled"]
        else "all Quebec rows",
        "naive_s": round(naive["seconds"], 2),
        "naive_rows_per_s": round(naive_rows_per_s, 1),
        "naive_all_rows_s_estimated": round(naive["quebec_rows"] / naive_rows_per_s),
        "speedup_vs_naive": round(ours_rows_per_s / naive_rows_per_s, 1),
        "ours_placed_share_rows": round(naive["ours_placed_rows"], 4),
        "ours_placed_share_positions": round(naive["ours_placed_positions"], 4),
        "naive_placed_share_rows": round(naive["placed_rows"], 4),
        "naive_placed_share_positions": round(naive["placed_positions"], 4),
        "naive_agrees_with_ours_rows": round(naive["agrees_rows"], 4),
        "naive_agrees_with_ours_positions": round(naive["agrees_positions"], 4),
        "benchmark_s": round(time.perf_counter() - started, 1),
    }


if __name__ == "__main__":
    from flows.settings import get_settings

    steps = {"ingest": _ingest, "dbt_build": lambda s: _dbt(s, "build"),
             "geolocation": lambda s: _dbt(s, "run", "--select", GEOLOCATION), "naive": _naive}
    print(json.dumps(steps[sys.argv[1]](get_settings())))
