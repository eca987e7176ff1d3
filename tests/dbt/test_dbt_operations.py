"""The operations marts, built for real: the state a few days of operations leave (journal,
outbox, a confirmation) copied in by import_state, checkpoint results recorded by
flows/quality/results.py, then `dbt build`."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import duckdb
import pytest

from expectations.checkpoint import Checked, Finding, Outcome
from flows.quality import results
from flows.settings import get_settings
from flows.warehouse.state import import_state
from tests.dbt.test_dbt_project import build_raw_database, dbt_build
from tests.support.operations import write_operations_for_sample
from tests.support.samples import load_sample_directory


def checkpoint_run(observed: str, severity: str = "warning") -> Outcome:
    """One run of the mart checkpoint: one expectation passed, one failed."""
    passed = Finding("marts_lmia_files", "expect_column_values_to_not_be_null", "raw_rows",
                     "critical", "", unexpected=0, rows=4)
    warned = Finding("marts_lmia_periods", "expect_column_max_to_be_between", "months_old",
                     severity, "", observed=observed)
    return Outcome("marts", [warned], [Checked("lmia_files", passed, True),
                                       Checked("lmia_periods", warned, False)])


@pytest.fixture(scope="module")
def marts(tmp_path_factory):
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("TMT_HOME", str(home))
        settings = get_settings()
        settings.work_db.parent.mkdir(parents=True)
        build_raw_database(settings.work_db)
        load_sample_directory(settings)
        write_operations_for_sample(settings)
        import_state(settings)
        with duckdb.connect(str(settings.work_db)) as con:
            earlier = datetime.now(UTC) - timedelta(days=7)
            results.record_with(con, checkpoint_run("30", "critical"), checked_at=earlier)
            results.record_with(con, checkpoint_run("31"))  # the latest run is what shows
        dbt_build(settings.work_db, home)
    con = duckdb.connect(str(settings.work_db), read_only=True)
    yield lambda sql: con.sql(sql).fetchall()
    con.close()


def test_the_warehouse_gets_no_address_and_no_message_body(marts):
    columns = {name for (name,) in marts(
        "select column_name from information_schema.columns where table_name = 'message'")}
    assert not columns & {"recipient", "payload", "last_error", "delivered_to"}
    assert marts("select recipient_kind, count(*) from ops.message group by all order by 1"
                 ) == [("maintainers", 1), ("organization", 2)]


def test_reminders_sent_failed_and_confirmed_per_region(marts):
    assert marts("""select region_code, region_name, reminder_step, reminders_queued,
                           reminders_sent, reminders_failed, confirmations, confirmation_rate
                    from marts.ops_reminders order by region_code""") == [
        ("06", "Montréal", "first", 1, 1, 0, 1, 1.0),
        ("16", "Montérégie", "first", 1, 0, 1, 0, None)]


def test_latest_run_per_flow_with_its_summary(marts):
    rows = marts("""select flow_name, run_id, state, duration_seconds is not null,
                           summary_text, runs_recorded, runs_failed, message
                    from marts.ops_latest_runs order by flow_name""")
    assert rows == [
        ("ingest_lmia", "run-ingest-2", "completed", True,
         "files_loaded: 4, rows_loaded: 1520", 2, 1, None),
        ("notify", "run-notify-1", "running", False, None, 1, 0, None)]


def test_latest_result_of_each_expectation(marts):
    assert marts("""select suite, expectation, outcome, observed from marts.ops_quality_checks
                    order by suite""") == [
        ("marts_lmia_files", "expect_column_values_to_not_be_null", "passed", None),
        ("marts_lmia_periods", "expect_column_max_to_be_between", "warning", "31")]
