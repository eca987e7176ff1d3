"""Prefect flow `build_warehouse`: dbt build on the working database, the mart checkpoint,
then publish. A failed dbt build, or a failed check that names no period, queues an alert
and leaves the serving file as it was. A check that fails on some periods withholds those
only: the rest is published, then the run fails with PeriodsWithheld (`tmt build` exits 3).
Any subset of sources builds: LMIA, directory and site-check tables are created empty when
nothing was loaded yet."""
from __future__ import annotations

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.utilities.annotations import quote

from flows.context.load import ensure_schema as ensure_context_schema
from flows.directory.exports import write_exports
from flows.directory.schema import ensure_schema
from flows.errors import TmtError, alerted
from flows.lmia import load as lmia_load
from flows.notify import messages, outbox
from flows.ops import record, summaries
from flows.quality.marts import check_marts as check_mart_checkpoint
from flows.quality.marts import withheld_error
from flows.quality.warm_checks import WarmChecks
from flows.settings import get_settings
from flows.sitecheck.steps import load_guide_sources
from flows.warehouse import warm_dbt
from flows.warehouse.publish import publish
from flows.warehouse.state import close_own_run, import_state
from flows.warehouse.warm_dbt import WarmDbt


@task(cache_policy=NO_CACHE)
def prepare_directory_sources() -> None:
    """The directory and context tables are dbt sources: create them empty if nothing was
    imported."""
    ensure_schema(get_settings().work_db)
    ensure_context_schema(get_settings().work_db)


@task(cache_policy=NO_CACHE)
def prepare_lmia_sources() -> None:
    """The raw LMIA tables are dbt sources: create them empty if no file was ever loaded."""
    lmia_load.connect(get_settings().work_db).close()


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
def dbt_build(warm: WarmDbt):
    """Seeds (when they changed), models and their data tests, in the process where dbt is
    imported and the project parsed already (warm_dbt.py); any failure fails the task and
    the run."""
    return warm.build()


@task(cache_policy=NO_CACHE)
def check_marts(checks: WarmChecks):
    """Great Expectations on the new marts, in the process warmed up during dbt. A critical
    failure naming no period fails the task; one naming periods returns them to withhold
    (alert queued either way)."""
    verdict = checks.run(check_mart_checkpoint, get_settings())
    logger = get_run_logger()
    for finding in verdict.outcome.warnings:
        logger.warning("data check warning: %s", finding.line())
    for finding in verdict.outcome.critical:
        logger.error("data check failed: %s", finding.line())
    if verdict.waiting_files:  # an ingest is still checking them: not an error
        logger.info("%d LMIA file(s) not raw-checked yet: left for the next build",
                    verdict.waiting_files)
    return verdict


@task(cache_policy=NO_CACHE)
def close_this_run() -> int:
    """This run's journal row in the working file, as the publication will show it
    (ops_latest_runs, a view): completed, not running. ops_quality_checks, a view too,
    already reads the checkpoint that just ran."""
    return close_own_run(get_settings(), str(flow_run.id))


@task(cache_policy=NO_CACHE)
def queue_alert(message: outbox.Message) -> None:
    outbox.enqueue(get_settings().outbox_db, [message])


@task(cache_policy=NO_CACHE)
def publish_serving_database(withheld: tuple = ()):
    publication = publish(get_settings(), withheld)
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
def report_build(verdict, publication) -> dict:
    """Positions placed, stale listings, data checks, periods withheld, files left for the
    next build, version: the run's summary."""
    settings = get_settings()
    summary = {**summaries.build(verdict.outcome, publication, settings.serving_db),
               "periods_withheld": len(verdict.withheld),
               "files_waiting_for_checks": verdict.waiting_files}
    return record.report_run(REPORT, TITLE, summary, summaries.data_docs_url(settings.home))


@flow(name="build_warehouse", **record.HOOKS)
def build_warehouse() -> str:
    warm = warm_dbt.take()  # dbt imported, the project parsed, meanwhile (warm_dbt.py)
    try:
        return _build_and_publish(warm)
    finally:
        warm.close()


def _build_and_publish(warm: WarmDbt) -> str:
    prepare_lmia_sources()
    prepare_directory_sources()
    prepare_site_check_sources()
    copy_confirmations_and_tasks()
    # Great Expectations is imported on the other core while dbt builds (warm_checks.py)
    checks = WarmChecks()
    checks.start()
    try:
        try:
            dbt_build(quote(warm))
        except TmtError as exc:
            queue_alert(messages.build_failed(str(exc)))
            raise alerted(exc)
        try:
            verdict = check_marts(quote(checks))
        except TmtError:  # the failing rows are in the Data Docs; the alert links to them
            record.report_run(REPORT, TITLE, {"published": False},
                              summaries.data_docs_url(get_settings().home))
            raise
    finally:
        checks.close()
    close_this_run()
    publication = publish_serving_database(verdict.withheld)
    write_directory_exports()
    report_build(verdict, publication)
    if verdict.withheld:
        raise withheld_error(verdict)
    return str(publication)


if __name__ == "__main__":
    build_warehouse()
