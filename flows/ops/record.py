"""What maintainers see of every flow run: a row in the run journal (journal.py) when it
starts and when it ends, a markdown artifact with its summary on its Prefect page, and
one alert when a top-level run fails (failures.py).

Prefect flow state hooks do the journal: `@flow(..., **record.HOOKS)`. A hook that raises
is logged by Prefect and does not change the run's state, so a broken journal never
fails a run. A run killed with `kill -9` runs no hook: its row stays `running`.
"""
from __future__ import annotations

from prefect import get_run_logger
from prefect.artifacts import create_markdown_artifact
from prefect.context import FlowRunContext
from prefect.logging import get_logger
from prefect.runtime import flow_run as current_run

from flows.errors import TmtError, quiet_expected_tracebacks
from flows.settings import get_settings

from . import failures, journal, summaries


def _parent_run_id(flow_run) -> str | None:
    if flow_run.parent_task_run_id is None:
        return None
    # on_running hooks run before a sub-flow enters its own run context: the context in
    # place is its parent's. Otherwise ask the server which run the parent task belongs to.
    context = FlowRunContext.get()
    if context is not None and context.flow_run is not None and context.flow_run.id != flow_run.id:
        return str(context.flow_run.id)
    from prefect import get_client

    with get_client(sync_client=True) as client:
        return str(client.read_task_run(flow_run.parent_task_run_id).flow_run_id)


def run_started(flow, flow_run, state) -> None:
    quiet_expected_tracebacks()  # Prefect's handlers exist by now
    journal.started(get_settings().runs_db, str(flow_run.id), flow.name, _parent_run_id(flow_run))


def _ended(flow, flow_run, state: str, message: str | None = None, **facts) -> None:
    runs_db = get_settings().runs_db
    row = journal.get(runs_db, str(flow_run.id)) or {}
    journal.ended(runs_db, str(flow_run.id), flow.name, state,
                  {**row.get("summary", {}), **facts}, message)


def _error(state) -> BaseException | None:
    try:
        error = state.result(raise_on_failure=False)
    except Exception:  # noqa: BLE001 -- any unreadable result: the state's message will do
        return None
    return error if isinstance(error, BaseException) else None


def _reason(state) -> str:
    error = _error(state)
    if error is None:
        return failures.first_line(state.message)
    text = str(error).strip()
    return failures.first_line(text if text and type(error).__module__.startswith("flows")
                               else f"{type(error).__name__}: {text}")


def run_completed(flow, flow_run, state) -> None:
    _ended(flow, flow_run, "completed")


def run_failed(flow, flow_run, state) -> None:
    alerted = bool(getattr(_error(state), "alerted", False))
    _ended(flow, flow_run, "failed", _reason(state), **({"alert_queued": True} if alerted else {}))
    if flow_run.parent_task_run_id is None:  # the top-level run speaks for its sub-flows
        _alert(str(flow_run.id))


def run_crashed(flow, flow_run, state) -> None:
    _ended(flow, flow_run, "crashed", _reason(state))


def run_cancelled(flow, flow_run, state) -> None:
    _ended(flow, flow_run, "cancelled", failures.first_line(state.message))


def _alert(run_id: str) -> None:
    from flows.notify import sender

    settings = get_settings()
    logger = get_logger("tmt.record")
    queued = failures.alert_failed_run(settings, run_id)
    if queued is not None:
        logger.warning("alerte %d en file pour les mainteneurs / alert %d queued for the "
                       "maintainers", queued, queued)
    # A failed run's alerts leave now, not at the next `tmt notify` (the rest waits for it).
    try:
        report = sender.send_due(settings, tags=("alerts",))
    except TmtError as exc:  # a bad apprise configuration: the alert stays in the outbox
        logger.warning("alerts not sent now: %s", failures.first_line(str(exc)))
        return
    if report.sent or report.retrying or report.failed:
        logger.info(report.line())


HOOKS = {"on_running": [run_started], "on_completion": [run_completed],
         "on_failure": [run_failed], "on_crashed": [run_crashed],
         "on_cancellation": [run_cancelled]}


def report_run(key: str, title: str, summary: dict, data_docs_url: str | None = None) -> dict:
    """The run's summary: kept in the journal now, and shown on the run's Prefect page.
    Called from a flow or a task of the run."""
    journal.note(get_settings().runs_db, str(current_run.id), summary, data_docs_url)
    links = {"Data Docs (Great Expectations)": data_docs_url} if data_docs_url else {}
    create_markdown_artifact(key=key, markdown=summaries.markdown(title, summary, links),
                             description=title)
    get_run_logger().info("%s — %s", title, summaries.text(summary))
    return summary


def report_sub_flows(key: str, title: str) -> dict:
    """A run made of sub-flows (`tmt run`): how each ended and what it did, from the journal."""
    run_id = str(current_run.id)
    children = [run for run in journal.descendants(get_settings().runs_db, run_id)
                if run["parent_run_id"] == run_id]
    return report_run(key, title, summaries.pipeline(children),
                      summaries.data_docs_url(get_settings().home))
