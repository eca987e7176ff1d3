"""Every flow run in the run journal, and one alert per failed top-level run."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from prefect import flow, get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

from flows.errors import TmtError, alerted
from flows.import_directory import import_directory
from flows.notify import messages, outbox
from flows.ops import failures, journal, record
from flows.settings import get_settings


@flow(name="child_step", **record.HOOKS)
def child_step(fail: str | None = None) -> str:
    record.report_run("child-step", "Étape / Step", {"rows_ingested": 3})
    if fail == "plain":
        raise TmtError("source.csv: no such file")
    if fail == "alerted":  # like a dbt failure: its specific alert is queued, then raised
        outbox.enqueue(get_settings().outbox_db, [messages.build_failed("dbt build failed: x")])
        raise alerted(TmtError("dbt build failed: x"))
    return "done"


@flow(name="parent_run", **record.HOOKS)
def parent_run(fail: str | None = None) -> str:
    first = child_step(fail, return_state=True)
    second = child_step(None, return_state=True)  # the run goes on after a failed step
    record.report_sub_flows("parent-run", "Parent")
    second.result()
    return first.result()


def alerts(settings):
    return [row for row in outbox.rows(settings.outbox_db) if row["tag"] == "alerts"]


def test_completed_runs_are_journaled_with_their_summary(tmt_home, prefect_engine):
    settings = get_settings()
    assert parent_run() == "done"
    runs = journal.all_runs(settings.runs_db)
    parent = next(run for run in runs if run["flow"] == "parent_run")
    children = [run for run in runs if run["flow"] == "child_step"]
    assert [run["state"] for run in runs] == ["completed"] * 3
    assert {run["parent_run_id"] for run in children} == {parent["run_id"]}
    assert parent["parent_run_id"] is None and parent["ended_at"]
    assert '"rows_ingested": 3' in children[0]["summary"]
    assert '"child_step"' in parent["summary"] and alerts(settings) == []
    with get_client(sync_client=True) as client:  # the summary on the run's Prefect page
        [artifact] = client.read_artifacts(artifact_filter=ArtifactFilter(
            flow_run_id=ArtifactFilterFlowRunId(any_=[parent["run_id"]])))
    assert artifact.key == "parent-run" and "rows ingested | 3 |" in \
        artifact.data


def test_a_failed_step_alerts_once_naming_it(tmt_home, prefect_engine):
    settings = get_settings()
    with pytest.raises(TmtError, match="no such file"):
        parent_run("plain")
    runs = journal.all_runs(settings.runs_db)
    failed = [run for run in runs if run["state"] == "failed"]
    assert sorted(run["flow"] for run in failed) == ["child_step", "parent_run"]
    assert all(run["message"] == "source.csv: no such file" for run in failed)
    [alert] = alerts(settings)
    assert alert["kind"] == "flow_run_failed"
    assert "parent_run (child_step)" in alert["payload"]["subject"]
    assert "- child_step : source.csv: no such file" in alert["payload"]["text"]
    # The end hook running again (a retry) queues nothing more, sent or not.
    parent = next(run for run in failed if run["flow"] == "parent_run")
    assert failures.alert_failed_run(settings, parent["run_id"]) is None
    outbox.mark_sent(settings.outbox_db, alert["id"], datetime.now(UTC))
    assert failures.alert_failed_run(settings, parent["run_id"]) is None
    assert len(alerts(settings)) == 1


def test_a_failure_with_its_own_alert_adds_no_other(tmt_home, prefect_engine):
    settings = get_settings()
    with pytest.raises(TmtError, match="dbt build failed"):
        parent_run("alerted")
    assert [alert["kind"] for alert in alerts(settings)] == ["dbt_build_failed"]
    assert [run["state"] for run in journal.all_runs(settings.runs_db)].count("failed") == 2


def test_directory_import_leaves_its_summary(tmt_home, prefect_engine):
    import_directory()
    [run] = journal.all_runs(get_settings().runs_db)
    assert run["flow"] == "import_directory" and run["state"] == "completed"
    assert '"rows_rejected": 0' in run["summary"] and '"created": ' in run["summary"]
