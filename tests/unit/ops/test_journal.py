"""The run journal: a run shows as running until it ends, ends once, and reaches the
warehouse with each build."""
from __future__ import annotations

import json

import duckdb

from flows.ops import journal
from flows.settings import get_settings
from flows.warehouse.state import import_state


def test_a_run_is_running_until_it_ends_then_keeps_its_summary(tmp_path):
    path = tmp_path / "runs.sqlite"
    journal.started(path, "r1", "ingest_lmia")
    journal.started(path, "r1", "ingest_lmia")  # a retried start records nothing new
    [row] = journal.all_runs(path)
    assert (row["state"], row["ended_at"]) == ("running", None)

    journal.ended(path, "r1", "ingest_lmia", "completed", {"rows_ingested": 12})
    [row] = journal.all_runs(path)
    assert row["state"] == "completed" and row["ended_at"] >= row["started_at"]
    assert json.loads(row["summary"]) == {"rows_ingested": 12}


def test_a_run_killed_before_its_end_stays_visible(tmp_path):
    path = tmp_path / "runs.sqlite"
    journal.started(path, "killed", "run_pipeline")
    journal.ended(path, "other", "notify", "failed", message="SMTP refused")
    runs = {row["run_id"]: row for row in journal.all_runs(path)}
    assert runs["killed"]["state"] == "running"
    assert runs["other"]["message"] == "SMTP refused"


def test_the_build_mirrors_the_journal_into_the_warehouse(tmt_home):
    settings = get_settings()
    journal.started(settings.runs_db, "r1", "check_sites")
    journal.ended(settings.runs_db, "r1", "check_sites", "completed", {"checked": 3})
    assert import_state(settings)["ops.flow_run"] == 1
    with duckdb.connect(str(settings.work_db), read_only=True) as con:
        assert con.sql("select flow, state, ended_at is not null from ops.flow_run"
                       ).fetchall() == [("check_sites", "completed", True)]
