"""`tmt` as a user runs it: a real process, a real exit code, one-line errors."""
from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from tests.support.bad_files import GOOD_CSV, make_bad_files


def tmt(*args, env=None, timeout=180):
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], capture_output=True, check=False,
                          text=True, env={**os.environ, **(env or {})}, timeout=timeout)


@pytest.fixture
def prefect_api(prefect_engine):
    """Point child processes at the session's Prefect server instead of a temporary one."""
    from prefect.settings import PREFECT_API_URL

    return {"PREFECT_API_URL": PREFECT_API_URL.value()}


@pytest.mark.parametrize("command", [[], ["ingest"], ["ingest", "lmia"], ["ingest", "context"], ["run"], ["build"], ["sql"],
                                     ["import"], ["import", "directory"], ["versions"],
                                     ["rollback"], ["serve"]])
def test_every_command_has_help(command):
    result = tmt(*command, "--help")
    assert result.returncode == 0 and "usage: tmt" in result.stdout


def test_bad_source_is_one_line_and_non_zero(tmt_home):
    result = tmt("ingest", "lmia", "--source", "/no/such/folder")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "tmt: error: /no/such/folder: ni fichier, ni dossier, ni URL http(s) / no such file or "
        "folder, and not an http(s) URL")


def test_a_refused_connection_is_one_line_in_words_at_once(tmt_home, prefect_api):
    """No retries with backoff, no traceback, no urllib3 repr cut mid-word (issue 17)."""
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/dataset/90fed587"
    result = tmt("ingest", "lmia", "--source", url,
                 env={**prefect_api, "TMT_LMIA_ALLOW_NETWORKS": "127.0.0.1/32"})
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("tmt: error: ") and "connexion refusée / connection refused" in line
    assert "NewConnectionError" not in line and "Traceback" not in result.stdout
    assert "nouvel essai / retrying" not in result.stdout and "retrying in" not in result.stdout


def test_bad_context_source_is_one_line_and_non_zero(tmt_home):
    result = tmt("ingest", "context", "--source", "/no/such/folder")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "tmt: error: /no/such/folder: ni fichier, ni dossier, ni URL http(s) / no such file or "
        "folder, and not an http(s) URL")


def test_folder_with_a_bad_file_loads_the_good_one_and_exits_non_zero(
        tmt_home, tmp_path, real_lmia, prefect_api):
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / GOOD_CSV).write_bytes((real_lmia / GOOD_CSV).read_bytes())
    name = "2017q3_total_mismatch_positive_en.csv"
    (folder / name).write_bytes(make_bad_files(real_lmia)[name][0])

    result = tmt("ingest", "lmia", "--source", str(folder), env=prefect_api)

    assert result.returncode == 1
    # stderr is the one line a person must read; the run log (stdout) says what loaded
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("tmt: error: 1 fichier(s) LMIA sur 2 non chargé(s) / 1 of 2 LMIA "
                           f"file(s) not loaded: quarantined {name} row ")
    assert "the file's total 99 999 does not match the 12 731 positions" in line
    assert f"loaded      {GOOD_CSV}: 2017Q3 en stream_noc, 4538 rows" in result.stdout
    assert "fichier / file 1/2 " in result.stdout and "fichier / file 2/2 " in result.stdout
    assert (tmt_home / "quarantine" / "lmia").is_dir()
    reports = list((tmt_home / "reports" / "lmia").glob("ingest-*.json"))
    assert len(reports) == 1 and '"status": "loaded"' in reports[0].read_text()


def test_sql_is_read_only_and_reports_errors_on_one_line(tmt_home):
    import duckdb

    serving = tmt_home / "warehouse" / "tmt.duckdb"
    serving.parent.mkdir(parents=True)
    with duckdb.connect(str(serving)) as con:
        con.execute("create schema marts; create table marts.t as select 42 as answer")
    ok = tmt("sql", "select answer from marts.t")
    assert ok.returncode == 0 and "42" in ok.stdout and "(1 row)" in ok.stdout
    refused = tmt("sql", "delete from marts.t")
    assert refused.returncode == 1 and len(refused.stderr.strip().splitlines()) == 1
    assert "read-only" in refused.stderr
    with duckdb.connect(str(serving), read_only=True) as con:
        assert con.execute("select count(*) from marts.t").fetchone()[0] == 1


def test_failed_dbt_build_is_one_line_on_stderr(tmt_home, prefect_api):
    """dbt failing inside the flow used to end with dozens of DuckDB binding warnings."""
    import duckdb

    from flows.lmia import ingest
    from flows.lmia.sources import Candidate
    from flows.quality import raw_lmia
    from flows.settings import bundled_lmia_sample, get_settings

    settings = get_settings()
    sample = bundled_lmia_sample() / GOOD_CSV
    report = ingest.load_archived(
        ingest.fetch(Candidate(str(sample), GOOD_CSV, False), settings), settings)
    raw_lmia.check_loaded_file(settings, report)  # counted: only checked files are
    with duckdb.connect(str(settings.work_db)) as con:  # a duplicated source row fails a key test
        con.execute("insert into raw.lmia_rows select * from raw.lmia_rows limit 1")

    result = tmt("build", env=prefect_api)

    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith("tmt: error: dbt build failed: ")
    assert not (tmt_home / "warehouse" / "tmt.duckdb").exists()
    # One alert (dbt's own, no second generic one) and one failed run in the journal.
    from flows.notify import outbox
    from flows.ops import journal

    assert [row["kind"] for row in outbox.rows(settings.outbox_db) if row["tag"] == "alerts"] \
        == ["dbt_build_failed"]
    [run] = journal.all_runs(settings.runs_db)
    assert (run["flow"], run["state"]) == ("build_warehouse", "failed")
    assert run["message"] == result.stderr.strip().removeprefix("tmt: error: ")
