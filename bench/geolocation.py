"""Benchmark: `tmt build` on the ten real vintages in tests/data/lmia, and geolocation throughput
against a naive per-row fuzzy matcher (issue 3).

All in one temporary $TMT_HOME, each step in its own process: set up as a user does before a
build (`tmt ingest lmia`, `tmt import directory`), then time `dbt build`, the geolocation
models alone, the naive matcher, and `tmt build` as a user runs it (Prefect's temporary
server, data checks and publishing included). The naive matcher: for each Quebec row, the
city segment of the address, lowercased without accents, against every MAMH name with
difflib.get_close_matches; no caching, no blocking by postal area.
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
SHARED_LMIA = REPO / "tests" / "data" / "lmia"  # the ten real vintages (tests/data/lmia/README.md)
MUNICIPALITIES = REPO / "dbt_project" / "seeds" / "ref_quebec_municipalities.csv"
# What geolocating the rows takes: the staging views, the reference-derived tables and the
# address models. Seeds are loaded by the preceding build.
GEOLOCATION = "+int_lmia_rows_geolocated"
NAIVE_BUDGET_S = 120  # beyond this the naive matcher runs on a seeded sample
NAIVE_SAMPLE = 3000
QUEBEC_ROWS = """
    select raw_rows.address, raw_rows.approved_positions, ours.municipality_name,
        ours.geo_precision = 'municipality' as placed, ours.source_row is not null as found
    from raw.lmia_rows as raw_rows
    left join intermediate.int_lmia_rows_geolocated as ours
        on raw_rows.file_sha256 = ours.file_sha256
        -- CSV rows have no sheet
        and raw_rows.sheet is not distinct from ours.sheet
        and raw_rows.source_row = ours.source_row
    where raw_rows.province_code = 'QC'
    order by raw_rows.file_sha256, raw_rows.sheet, raw_rows.source_row
"""


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
        found = con.sql(QUEBEC_ROWS).fetchall()
        files, all_rows = con.sql(
            "select count(distinct file_sha256), count(*) from raw.lmia_rows").fetchall()[0]
    assert all(row[-1] for row in found), "every raw Quebec row must be in our geolocated rows"
    rows = [row[:-1] for row in found]
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
    return {"files": files, "all_rows": all_rows, "quebec_rows": len(rows),
            "rows": len(matched), "sampled": measured is not rows, "seconds": seconds,
            "ours_placed": _shares(rows, lambda row: row[3]),
            "placed": _shares(matched, lambda row: row[0]),
            "agrees": _shares(matched, lambda row: row[0] and row[0] == row[2])}


def _shares(rows: list[tuple], holds) -> list[float]:
    """Share of rows, and of their approved positions (second column), where `holds`."""
    kept = [row for row in rows if holds(row)]
    return [round(len(kept) / len(rows), 4),
            round(sum(row[1] for row in kept) / sum(row[1] for row in rows), 4)]


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
        # Through the CLI: the ingest flow also runs the raw data checks `tmt build` requires.
        _child(["-m", "flows.cli", "ingest", "lmia", "--source", str(SHARED_LMIA)], home)
        _child(["-m", "flows.cli", "import", "directory"], home)  # the fictional sample
        # In this order: geolocation reruns its models on the database the build seeded,
        # and the naive matcher compares its answers with the tables they wrote.
        build, geolocation, naive = [_child(["-m", "bench.geolocation", step], home)
                                     for step in ("dbt_build", "geolocation", "naive")]
        # As a user's first build after an ingest: no dbt partial-parse state yet.
        shutil.rmtree(home / "dbt")
        tmt_build = _child(["-m", "flows.cli", "build"], home)
    ours_rows_per_s = naive["quebec_rows"] / geolocation["seconds"]
    naive_rows_per_s = naive["rows"] / naive["seconds"]
    return {
        "files": naive["files"], "rows": naive["all_rows"], "quebec_rows": naive["quebec_rows"],
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
        # [share of Quebec rows, share of their approved positions]
        "ours_in_municipality": naive["ours_placed"],
        "naive_in_municipality": naive["placed"],
        "naive_same_as_ours": naive["agrees"],
        "benchmark_s": round(time.perf_counter() - started, 1),
    }


if __name__ == "__main__":
    from flows.settings import get_settings

    steps = {"dbt_build": lambda s: _dbt(s, "build"),
             "geolocation": lambda s: _dbt(s, "run", "--select", GEOLOCATION), "naive": _naive}
    print(json.dumps(steps[sys.argv[1]](get_settings())))
