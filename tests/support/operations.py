"""What a few days of operations leave in $TMT_HOME/state: runs in the journal, a reminder
sent to an organization and confirmed, one that failed, an alert to the maintainers. The
sample pipeline writes none of it (no signing key, no apprise configuration)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import duckdb

from flows.confirm import store as confirmations
from flows.notify import outbox
from flows.ops import journal

CAMPAIGN = "verification-2026-01-05"


def reminder(organization_id: str, step: str = "first") -> outbox.Message:
    return outbox.Message(
        tag="org-reminders", kind=f"listing_reminder_{step}", template="reminder",
        recipient=f"contact-{organization_id[:8]}@organisme.example.org",
        payload={"organization_id": organization_id, "organization_name": "Organisme",
                 "campaign": CAMPAIGN, "step": step, "changed": [], "listing": []})


def write_operations_state(settings, confirmed_id: str, failed_id: str) -> None:
    sent, failed = outbox.enqueue(settings.outbox_db, [reminder(confirmed_id),
                                                       reminder(failed_id)])
    outbox.mark_sent(settings.outbox_db, sent, datetime.now(UTC) - timedelta(minutes=5))
    outbox.mark_failed(settings.outbox_db, failed, "550 mailbox unavailable")
    outbox.enqueue(settings.outbox_db, [outbox.Message(
        tag="alerts", kind="build_failed", template="notice", payload={"text": "dbt"})])
    confirmations.confirm(settings.confirmations_db, confirmed_id, CAMPAIGN, "Direction",
                          datetime.now(UTC) - timedelta(minutes=5))

    journal.started(settings.runs_db, "run-ingest-1", "ingest_lmia")
    journal.ended(settings.runs_db, "run-ingest-1", "ingest_lmia", "failed",
                  message="tfwp_2024q1.xlsx: quarantined")
    week_ago = (datetime.now(UTC) - timedelta(days=7)).isoformat(timespec="seconds")
    con = journal.connect(settings.runs_db)  # the journal stamps now: that run was earlier
    try:
        con.execute("update flow_run set started_at = ?, ended_at = ? where run_id = ?",
                    (week_ago, week_ago, "run-ingest-1"))
    finally:
        con.close()
    journal.started(settings.runs_db, "run-ingest-2", "ingest_lmia")
    journal.ended(settings.runs_db, "run-ingest-2", "ingest_lmia", "completed",
                  {"files_loaded": 4, "rows_loaded": 1520})
    journal.started(settings.runs_db, "run-notify-1", "notify")  # still running


def write_operations_for_sample(settings) -> None:
    """The operations above for the first two organizations of the imported directory."""
    with duckdb.connect(str(settings.work_db), read_only=True) as con:
        first, second = [oid for (oid,) in con.sql(
            "select organization_id from directory.organization order by name limit 2"
        ).fetchall()]
    write_operations_state(settings, confirmed_id=first, failed_id=second)
