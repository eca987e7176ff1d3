"""Prefect flow `build_warehouse`: dbt build on the working database, the mart checkpoint,
then publish. A failure at either gate queues an alert and leaves the serving file as it was."""
from __future__ import annotations

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.context.load import ensure_schema as ensure_context_schema
from flows.directory.exports import write_exports
from flows.directory.schema import ensure_schema
from flows.errors import TmtError, alerted
from flows.notify import messages, outbox
from flows.ops import record, summaries
from flows.quality.marts import check_marts as run_mart_checkpoint
from flows.settings import get_settings
from flows.sitecheck.steps import load_guide_sources
from flows.warehouse.dbt import run_dbt
from flows.warehouse.publish import publish
from flows.warehouse.state import import_state


@task(cache_policy=NO_CACHE)
def prepare_directory_sources() -> None:
    """The directory and context tables are dbt sources: create them empty if nothing was
    imported."""
    ensure_schema(get_settings().work_db)
    ensure_context_schema(get_settings().work_db)


@task(cache_policy=NO_CACHE)
def prepare_site_check_sources() -> int:
    """The check history (empty if no check ran) and the guide's sources, from its YAML."""
    return load_guide_sources(get_settings())


@task(cache_policy=NO_CACHE)
def copy_confirmations_and_tasks() -> dict[str, int]:
    """Confirmations, change requests (confirmation page) and update tasks, from SQLite."""
    copied = import_state(get_settings())
    get_run_logger().info("copied into the warehouse: %s",
                          ", ".join(f"{table} {rows}" for table, rows in copied.items()))
    return copied


@task(cache_policy=NO_CACHE)
def dbt_build() -> list[str]:
    """Seeds, models and their tests; any failure fails the task and the run."""
    return run_dbt(get_settings(), "build")


@task(cache_policy=NO_CACHE)
def check_marts():
    """Great Expectations on the new marts; a critical failure fails the task (alert queued)."""
    outcome = run_mart_checkpoint(get_settings())
    for finding in outcome.warnings:
        get_run_logger().warning("data check warning: %s", finding.line())
    return outcome


@task(cache_policy=NO_CACHE)
def dbt_build_quality_results() -> list[str]:
    """The one mart fed by the checkpoint that just ran (ops_quality_checks), so that the
    publication shows the checks it passed, not the previous build's."""
    return run_dbt(get_settings(), "build", "--select", "ops_quality_checks")


@task(cache_policy=NO_CACHE)
def queue_alert(message: outbox.Message) -> None:
    outbox.enqueue(get_settings().outbox_db, [message])


@task(cache_policy=NO_CACHE)
def publish_serving_database():
    publication = publish(get_settings())
    get_run_logger().info("%s", publication)
    return publication


@task(cache_policy=NO_CACHE)
def write_directory_exports() -> list[str]:
    """HSDS package and printable directory under $TMT_HOME/exports (from the new build)."""
    paths = [str(path) for path in write_exports(get_settings())]
    get_run_logger().info("directory exports: %s", ", ".join(paths))
    return paths


REPORT, TITLE = "warehouse-build", "Construction de l'entrepôt / Warehouse build"


@task(cache_policy=NO_CACHE)
def report_build(outcome, publication) -> dict:
    """Positions placed, stale listings, data checks, version: the run's summary."""
    settings = get_settings()
    return record.report_run(REPORT, TITLE, summaries.build(outcome, publication,
                                                            settings.serving_db),
                             summaries.data_docs_url(settings.home))


@flow(name="build_warehouse", **record.HOOKS)
def build_warehouse() -> str:
    prepare_directory_sources()
    prepare_site_check_sources()
    copy_confirmations_and_tasks()
    try:
        dbt_build()
    except TmtError as exc:
        queue_alert(messages.build_failed(str(exc)))
        raise alerted(exc)
    try:
        outcome = check_marts()
    except TmtError:  # the failing rows are in the Data Docs; the alert links to them
        record.report_run(REPORT, TITLE, {"published": False},
                          summaries.data_docs_url(get_settings().home))
        raise
    try:
        dbt_build_quality_results()
    except TmtError as exc:
        queue_alert(messages.build_failed(str(exc)))
        raise alerted(exc)
    publication = publish_serving_database()
    write_directory_exports()
    report_build(outcome, publication)
    return str(publication)


if __name__ == "__main__":
    build_warehouse()
