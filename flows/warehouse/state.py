"""Copy what arrived outside the pipeline into the working database, before dbt builds:
confirmations and change requests from the confirmation page, the update tasks, the run
journal and the outbox (what was sent, to which kind of recipient: no body, no address).

Their system of record is SQLite under $TMT_HOME/state (web requests and reminders write
there at any time; this file has one writer, the build). Each build mirrors them whole, in
one transaction: a re-run copies the same rows, a task marked done arrives as done.
"""
from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from flows.confirm import store as confirmations
from flows.directory import schema as directory_schema
from flows.notify import outbox
from flows.ops import journal
from flows.settings import Settings
from flows.tasks import store as tasks

TIMESTAMPS = ("assured_date", "token_issued_at", "submitted_at", "created_at", "done_at",
              "started_at", "ended_at", "sent_at")


def _utc(value: str | None) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(value)
    return (moment.astimezone(UTC) if moment.tzinfo else moment).replace(tzinfo=None)


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    records = [{name: _utc(row.get(name)) if name in TIMESTAMPS else row.get(name)
                for name in columns} for row in rows]
    return pd.DataFrame.from_records(records, columns=columns)


def import_state(settings: Settings) -> dict[str, int]:
    """Mirror the SQLite state into the working database; returns rows per table."""
    copies = {
        "directory.verification": (confirmations.verifications(settings.confirmations_db),
                                   directory_schema.columns("verification")),
        "directory.change_request": (confirmations.change_requests(settings.confirmations_db),
                                     directory_schema.columns("change_request")),
        "ops.update_task": (tasks.all_tasks(settings.tasks_db),
                            ["task_id", "campaign", "kind", "subject", "region_code",
                             "due_date", "organization_id", "details", "created_at",
                             "done_at", "done_by"]),
        "ops.flow_run": (journal.all_runs(settings.runs_db), journal.COLUMNS),
        "ops.message": (outbox.for_warehouse(settings.outbox_db), outbox.WAREHOUSE_COLUMNS),
    }
    con = directory_schema.connect(settings.work_db)
    try:
        con.execute("begin transaction")
        for table, (rows, columns) in copies.items():
            con.execute(f"delete from {table}")
            if rows:
                con.register("incoming_state_rows", _frame(rows, columns))
                con.execute(f"insert into {table} by name select * from incoming_state_rows")
                con.unregister("incoming_state_rows")
        con.execute("commit")
    finally:
        con.close()
    return {table: len(rows) for table, (rows, _) in copies.items()}


def close_own_run(settings: Settings, run_id: str) -> int:
    """The build's own journal row, copied while it ran (`running`), as the publication
    will show it: `completed`, ended now. Called once the mart checkpoint has passed, when
    only the publication is left; the journal (SQLite) gets the real end from the run's
    hook. Without this the served `ops_latest_runs` said the build was running forever."""
    con = directory_schema.connect(settings.work_db)
    try:
        closed = con.execute(
            "update ops.flow_run set state = 'completed', ended_at = ? "
            "where run_id = ? and state = 'running' returning run_id",
            [datetime.now(UTC).replace(tzinfo=None), run_id]).fetchall()
    finally:
        con.close()
    return len(closed)
