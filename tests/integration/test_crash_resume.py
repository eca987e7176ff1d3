"""`kill -9` anywhere in `tmt run`, then a new run: the same serving database as a run
never interrupted, no duplicate raw rows, no message lost or sent twice.

Two homes on the bundled sample, each with its own SMTP server (aiosmtpd on 127.0.0.1):
one runs `tmt run` once; the other is killed (SIGKILL, whole process group) at three
points of successive runs, each found by polling $TMT_HOME, then runs to the end.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from flows.notify import outbox
from flows.ops import journal
from tests.support.smtp import SmtpServer, write_config

# Where each run is killed: the first condition met while it runs (they come in this order).
KILL_POINTS = {
    # Every file archived, the first loaded, its raw data check not run yet.
    "LMIA file loaded": lambda home: any("fichier / file 1/4 loaded" in log.read_text()
                                         for log in home.glob("run-*.log")),
    # dbt compiles each model into target/run/ as it runs it: staging is built, marts start.
    "during dbt build": lambda home: any((home / "dbt" / "target" / "run").glob("*/models/marts")),
    "published, before notify": lambda home: (home / "warehouse" / "tmt.duckdb").exists(),
}
TIMESTAMP_TYPES = ("TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIME")


@pytest.fixture
def homes(tmp_path, prefect_engine):
    from prefect.settings import PREFECT_API_URL

    made = {}
    for name in ("straight", "killed"):
        server = SmtpServer().start()
        home = tmp_path / name
        home.mkdir()
        env = {**os.environ, "TMT_HOME": str(home), "PREFECT_API_URL": PREFECT_API_URL.value(),
               "TMT_APPRISE_CONFIG": str(write_config(tmp_path / f"{name}.yml", server.port)),
               "TMT_SIGNING_KEY": "k" * 32, "TMT_SEND_BACKOFF_S": "0",
               "TMT_SEND_INTERVAL_S": "0", "TMT_HTTP_BACKOFF_S": "0.01"}
        env.pop("TMT_LMIA_SOURCE", None)
        made[name] = (home, env, server)
    yield made
    for _home, _env, server in made.values():
        server.stop()


def start_run(home: Path, env: dict) -> subprocess.Popen:
    log = (home / f"run-{time.monotonic_ns()}.log").open("wb")
    return subprocess.Popen([sys.executable, "-m", "flows.cli", "run"], env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)


def kill_when(process: subprocess.Popen, reached, home: Path, point: str) -> None:
    deadline = time.monotonic() + 240
    while not reached(home):
        assert process.poll() is None, f"the run ended (exit {process.returncode}) before {point}"
        assert time.monotonic() < deadline, f"{point}: not reached in 240 s"
        time.sleep(0.02)
    os.killpg(process.pid, signal.SIGKILL)  # the run and anything it started
    process.wait()


def wait_to_end(process: subprocess.Popen, home: Path) -> None:
    assert process.wait(timeout=400) == 0, max(home.glob("run-*.log")).read_text()[-3000:]


def marts(serving: Path) -> dict[str, list]:
    """Every mart's rows, sorted, without the columns that say when or which version."""
    with duckdb.connect(str(serving), read_only=True) as con:
        tables = [name for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' "
            "order by table_name").fetchall()]
        content = {}
        for table in tables:
            columns = [name for name, kind in con.execute(
                "select column_name, data_type from information_schema.columns "
                "where table_schema = 'marts' and table_name = ? order by ordinal_position",
                [table]).fetchall() if kind not in TIMESTAMP_TYPES and "version" not in name]
            if "run_id" in columns:  # the run journal's mirror: more runs there, by design
                continue
            listed = ", ".join(f'"{name}"' for name in columns)
            content[table] = sorted(con.execute(f'select {listed} from marts."{table}"').fetchall(),
                                    key=repr)
    return content


def raw_counts(work: Path) -> dict[str, tuple[int, int]]:
    """Rows and distinct rows of every raw table: equal means no duplicate."""
    with duckdb.connect(str(work), read_only=True) as con:
        tables = [name for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'raw' "
            "order by table_name").fetchall()]
        return {table: con.execute(f'select count(*), (select count(*) from (select distinct * '
                                   f'from raw."{table}")) from raw."{table}"').fetchone()
                for table in tables}


def received(server: SmtpServer) -> Counter:
    return Counter(message["X-TMT-Message"] for message in server.mailbox.messages)


def test_kill_9_anywhere_then_a_new_run_gives_the_same_result(homes):
    home, env, server = homes["straight"]
    # The uninterrupted run goes on beside the killed ones (its own home and mail server):
    # the test takes the time of the killed sequence, not of both.
    straight = start_run(home, env)
    killed_home, killed_env, killed_server = homes["killed"]
    for point, reached in KILL_POINTS.items():
        kill_when(start_run(killed_home, killed_env), reached, killed_home, point)
    wait_to_end(start_run(killed_home, killed_env), killed_home)
    wait_to_end(straight, home)
    log = next(home.glob("run-*.log")).read_text()
    for progress in ("étape / step 6/6: notify", "fichier / file 4/4 loaded", "sites 39/39"):
        assert progress in log

    assert marts(killed_home / "warehouse" / "tmt.duckdb") == marts(
        home / "warehouse" / "tmt.duckdb")
    counts = raw_counts(killed_home / "warehouse" / "work.duckdb")
    assert counts == raw_counts(home / "warehouse" / "work.duckdb")
    assert all(rows == distinct for rows, distinct in counts.values()), counts

    # Every message sent once, none left behind; the same messages as the straight run.
    for box, smtp in ((home, server), (killed_home, killed_server)):
        rows = outbox.rows(box / "state" / "outbox.sqlite")
        assert {row["status"] for row in rows} <= {"sent", "digested"}, rows
        sent = {f"outbox-{row['id']}" for row in rows if row["status"] == "sent"}
        time.sleep(0.2)
        assert received(smtp) == Counter(sent)
    assert sorted(m["Subject"] for m in killed_server.mailbox.messages) == sorted(
        m["Subject"] for m in server.mailbox.messages)

    # The killed runs stay `running` in the journal; the last one completed.
    runs = [run for run in journal.all_runs(killed_home / "state" / "runs.sqlite")
            if run["flow"] == "run_pipeline"]
    assert [run["state"] for run in runs] == ["running"] * len(KILL_POINTS) + ["completed"]
