"""Benchmark: `tmt build` on the 62-file history and `tmt run` on the bundled sample, with a
running Prefect server (issue 16).

One Prefect server on 127.0.0.1 (deploy/prefect-server.sh, as `make prefect` starts it),
used by every command through PREFECT_API_URL. Same run, same machine:
- the history (bench/history.py) ingested, end to end as a user types it, the sample
  directory imported (not timed), then the history ingested again with nothing new (the
  fixed cost of a command with nothing to do);
- `tmt build` the first time on that history, then again with nothing new;
- the baseline: `dbt build` as the build ran it before this change (dbt's unit tests
  included, its debug log written, 2 threads), on a copy of the same working database,
  beside the build's dbt step as it runs now (flows/warehouse/dbt.py) on another copy;
- `tmt run` on the bundled sample in a home of its own, twice, first: a machine's first
  build parses the dbt project, which every later home reuses (flows/warehouse/dbt.py;
  the bench has a cache folder of its own, empty at the start), as a maintainer who tried
  `make run` before loading the history.
Each figure is the wall time of the command as a user types it.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TMT = str(Path(sys.executable).parent / "tmt")

_BASELINE_DBT = r"""
import os, sys, time
from dbt.cli.main import dbtRunner
project, home = sys.argv[1], sys.argv[2]
os.environ["TMT_DUCKDB_PATH"] = home + "/work.duckdb"
started = time.perf_counter()
result = dbtRunner().invoke(["build", "--project-dir", project, "--profiles-dir", project,
    "--target-path", home + "/target", "--log-path", home + "/logs", "--threads", "2",
    "--quiet", "--vars", "{min_quebec_municipality_share: 0}"])
print(time.perf_counter() - started, result.success)
"""


_CURRENT_DBT = r"""
import sys, time
sys.path.insert(0, sys.argv[1])
import dbt.cli.main  # noqa: F401  (as in the baseline, the import is not timed)
from flows.settings import get_settings
from flows.warehouse.dbt import run_production_build
settings = get_settings()
started = time.perf_counter()
run_production_build(settings, "--vars", "{min_quebec_municipality_share: 0}")
print(time.perf_counter() - started)
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _timed(args: list[str], env: dict) -> float:
    started = time.perf_counter()
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 3):  # 3: periods withheld, still a build
        raise RuntimeError(f"{' '.join(args[1:])}: {done.stderr.strip().splitlines()[-1:]}")
    return seconds


def figures(tmp: Path) -> dict:
    from bench.history import assemble

    history = tmp / "history"
    assemble(history)
    port = _free_port()
    home = tmp / "home-history"
    env = {**os.environ, "TMT_HOME": str(home), "PREFECT_PORT": str(port),
           "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "GX_ANALYTICS_ENABLED": "false",
           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "TMT_CACHE_DIR": str(tmp / "cache")}
    server = {key: value for key, value in env.items() if key != "PREFECT_API_URL"}
    subprocess.run(["deploy/prefect-server.sh", "start"], cwd=REPO, env=server, check=True,
                   capture_output=True)
    try:
        sample = {**env, "TMT_HOME": str(tmp / "home-sample")}
        run_first = _timed([TMT, "run"], sample)
        run_again = _timed([TMT, "run"], sample)
        ingest_first = _timed([TMT, "ingest", "lmia", "--source", str(history)], env)
        unchanged = _timed([TMT, "ingest", "lmia", "--source", str(history)], env)
        _timed([TMT, "import", "directory"], env)
        first = _timed([TMT, "build"], env)
        again = _timed([TMT, "build"], env)
        copy = tmp / "baseline"
        copy.mkdir()
        shutil.copy(home / "warehouse" / "work.duckdb", copy / "work.duckdb")
        baseline = subprocess.run(
            [sys.executable, "-c", _BASELINE_DBT, str(REPO / "dbt_project"), str(copy)],
            env=env, capture_output=True, text=True, check=True).stdout.split()
        current = tmp / "current"
        (current / "warehouse").mkdir(parents=True)
        shutil.copy(home / "warehouse" / "work.duckdb", current / "warehouse" / "work.duckdb")
        now = subprocess.run([sys.executable, "-c", _CURRENT_DBT, str(REPO)],
                             env={**env, "TMT_HOME": str(current)}, capture_output=True,
                             text=True, check=True).stdout.strip().splitlines()[-1:]
    finally:
        subprocess.run(["deploy/prefect-server.sh", "stop"], cwd=REPO, env=server,
                       check=False, capture_output=True)
    return {
        "tmt ingest lmia, 62-file history, first_s": round(ingest_first, 1),
        "tmt ingest lmia, 62-file history, nothing new_s": round(unchanged, 1),
        "tmt build, 62-file history, first_s": round(first, 1),
        "tmt build, nothing new_s": round(again, 1),
        "baseline: dbt build alone as before_s": round(float(baseline[0]), 1),
        "dbt build alone now_s": round(float(now[0]), 1),
        "dbt build now over before": round(float(now[0]) / float(baseline[0]), 2),
        "tmt run, sample, first_s": round(run_first, 1),
        "tmt run, sample, again_s": round(run_again, 1),
    }


def run() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        return figures(Path(tmp))
