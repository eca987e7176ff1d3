"""One alert per failed top-level run, naming the flows that failed and why.

A sub-flow's failure fails its parent too (`tmt run` raises the first failure once every
step ran): only the top-level run alerts, once (its run id is the dedupe key), about the
runs of its tree that failed themselves (not because a sub-flow did). A run whose failure
already has a specific alert (a quarantined file, a failed dbt build or data check: the
error was raised `alerted`) adds nothing: one alert per failure, the specific one if any.
"""
from __future__ import annotations

from flows.notify import messages, outbox
from flows.settings import Settings

from . import journal

FAILED = ("failed", "crashed")


def first_line(text: str | None) -> str:
    """The one line a person reads (Prefect's messages and tracebacks are longer)."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines[0][:500] if lines else "raison inconnue / unknown reason"


def unalerted(runs: list[dict]) -> list[dict]:
    """Runs of a tree that failed on their own, with no alert yet: flow, run id, reason."""
    failed = [run for run in runs if run["state"] in FAILED]
    parents = {run["parent_run_id"] for run in failed}
    return [{"flow": run["flow"], "run_id": run["run_id"], "message": first_line(run["message"])}
            for run in failed
            if run["run_id"] not in parents and not run["summary"].get("alert_queued")]


def alert_failed_run(settings: Settings, run_id: str) -> int | None:
    """Queue the alert for a failed top-level run; the outbox id, or None (none needed, or
    already queued for this run)."""
    root = journal.get(settings.runs_db, run_id)
    if root is None:
        return None
    failures = unalerted([root, *journal.descendants(settings.runs_db, run_id)])
    if not failures:
        return None
    return outbox.enqueue_once(settings.outbox_db,
                               messages.run_failed(root["flow"], run_id, failures),
                               f"flow_run_failed:{run_id}")
