"""Prefect flow `ingest_lmia`: discover, archive, parse, load and check the Positive LMIA lists.

A file that fails a critical raw data check is withdrawn and quarantined like one that does
not parse (flows/quality/raw_lmia.py); every file not loaded is an alert in the outbox.

Run it with `tmt ingest lmia [--source URL|FOLDER|FILE]`, `python -m flows.ingest_lmia`,
or from a Prefect deployment.
"""
from __future__ import annotations

import sys

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run as current_run
from prefect.utilities.annotations import quote

from flows.errors import TmtError, alerted
from flows.lmia import ingest
from flows.lmia.sources import Candidate, discover
from flows.notify import messages, outbox
from flows.ops import journal, record, summaries
from flows.quality import raw_lmia
from flows.quality.warm_checks import WarmChecks
from flows.settings import get_settings


@task(cache_policy=NO_CACHE)
def discover_files(source: str) -> list[Candidate]:
    settings = get_settings()
    candidates, ignored = discover(source, ingest.http_policy(settings), settings.lmia_dataset_id)
    get_run_logger().info("%d LMIA file(s) at %s (%d other resources ignored)",
                          len(candidates), source, ignored)
    return candidates


@task(cache_policy=NO_CACHE, task_run_name="fetch-{candidate.name}")
def fetch_file(candidate: Candidate, number: int, total: int):
    archived = ingest.fetch(candidate, get_settings())
    get_run_logger().info("fichier / file %d/%d %s: %s", number, total,
                          "archivé / archived" if archived else "inchangé / unchanged",
                          candidate.name)
    return archived


@task(cache_policy=NO_CACHE)
def load_files(batch: list, checks: WarmChecks) -> list[ingest.FileReport]:
    """Parse and load the archived files: one transaction and one report per file. When
    there is something new, the checks' process starts importing Great Expectations."""
    logger = get_run_logger()
    return ingest.load_batch(batch, get_settings(), lambda done, total, report: logger.info(
        "fichier / file %d/%d %s: %s", done, total, report.status, report.name),
        before_parsing=checks.start)


@task(cache_policy=NO_CACHE)
def check_raw_files(reports: list[ingest.FileReport],
                    checks: WarmChecks) -> list[ingest.FileReport]:
    """Raw checkpoint (Great Expectations): every file loaded in this run in one pass, a
    verdict per file; a file failing a critical check is withdrawn and quarantined."""
    checked = checks.run(raw_lmia.check_loaded_files, get_settings(), reports)
    for report in checked:
        for finding in report.checks:
            get_run_logger().warning("data check %s: %s: %s", finding["severity"], report.name,
                                     finding["line"])
    return checked


@task(cache_policy=NO_CACHE)
def queue_messages(queued: list[outbox.Message]) -> int:
    """Alerts and digest items into the outbox (sent later by `tmt notify`)."""
    return len(outbox.enqueue(get_settings().outbox_db, queued))


@task(cache_policy=NO_CACHE)
def write_load_report(reports: list[ingest.FileReport]) -> str:
    path = ingest.write_report(reports, get_settings())
    logger = get_run_logger()
    for report in reports:
        logger.info(ingest.summary_line(report))
    # What maintainers see on the flow run's page in the Prefect UI.
    create_table_artifact(
        key="lmia-ingest", table=[ingest.artifact_row(report) for report in reports],
        description=f"Fichiers LMIA de cette exécution / LMIA files of this run — {path}")
    settings = get_settings()
    journal.note(settings.runs_db, str(current_run.id), summaries.ingest(reports),
                 summaries.data_docs_url(settings.home))
    return str(path)


@flow(name="ingest_lmia", log_prints=True, **record.HOOKS)
def ingest_lmia(source: str | None = None) -> list[ingest.FileReport]:
    source = source or get_settings().lmia_source
    try:
        candidates = discover_files(source)
    except TmtError as exc:
        queue_messages([messages.source_unreachable(source, str(exc))])
        raise alerted(exc)
    fetched, failed = ingest.fetch_each(candidates, fetch_file)
    checks = WarmChecks()  # started only if there is something new (warm_checks.py)
    try:
        loaded = load_files(fetched, quote(checks)) if fetched else []
        reports = (check_raw_files(loaded, quote(checks)) if loaded else []) + failed
    finally:
        checks.close()
    write_load_report(reports)
    queue_messages(messages.for_ingest(reports))
    try:
        ingest.raise_if_failed(reports)
    except TmtError as exc:  # every file not loaded has its alert (messages.for_ingest)
        raise alerted(exc)
    return reports


if __name__ == "__main__":
    ingest_lmia(sys.argv[1] if len(sys.argv) > 1 else None)
