"""Prefect flow `ingest_context`: ESDC's annual LMIA statistics and IRCC's temporary-resident
tables, pulled like the LMIA lists (discover, archive, parse, reconcile, load, report).

A file whose rows do not add up to its own totals is quarantined with a one-line reason and
an alert; the others go on. Run it with `tmt ingest context [--source URL|FOLDER|FILE]`,
`python -m flows.ingest_context`, or from a Prefect deployment.
"""
from __future__ import annotations

import sys

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_table_artifact
from prefect.cache_policies import NO_CACHE

from flows.context import ingest
from flows.context.sources import default_source, discover_context
from flows.errors import TmtError, alerted
from flows.lmia.ingest import fetch_each, http_policy
from flows.lmia.sources import Candidate
from flows.notify import messages, outbox
from flows.ops import record
from flows.settings import get_settings


@task(cache_policy=NO_CACHE)
def discover_files(source: str) -> list[Candidate]:
    candidates, ignored = discover_context(source, http_policy(get_settings()))
    get_run_logger().info("%d context file(s) at %s (%d other resources ignored)",
                          len(candidates), source, ignored)
    return candidates


@task(cache_policy=NO_CACHE, task_run_name="fetch-{candidate.name}")
def fetch_file(candidate: Candidate, number: int, total: int):
    archived = ingest.fetch(candidate, get_settings())
    get_run_logger().info("fichier / file %d/%d archivé / archived: %s", number, total,
                          candidate.name)
    return archived


@task(cache_policy=NO_CACHE)
def load_files(batch: list) -> list[ingest.FileReport]:
    return ingest.load_batch(batch, get_settings())


@task(cache_policy=NO_CACHE)
def queue_messages(queued: list[outbox.Message]) -> int:
    return len(outbox.enqueue(get_settings().outbox_db, queued))


@task(cache_policy=NO_CACHE)
def write_load_report(reports: list[ingest.FileReport]) -> str:
    path = ingest.write_report(reports, get_settings())
    for report in reports:
        get_run_logger().info(ingest.summary_line(report))
    create_table_artifact(
        key="context-ingest", table=[ingest.artifact_row(report) for report in reports],
        description=f"Statistiques de contexte / Context statistics — {path}")
    return str(path)


@flow(name="ingest_context", log_prints=True, **record.HOOKS)
def ingest_context(source: str | None = None) -> list[ingest.FileReport]:
    source = source or default_source()
    try:
        candidates = discover_files(source)
    except TmtError as exc:
        queue_messages([messages.context_source_unreachable(source, str(exc))])
        raise alerted(exc)
    fetched, failed = fetch_each(candidates, fetch_file, ingest.FileReport)
    reports = (load_files(fetched) if fetched else []) + failed
    write_load_report(reports)
    queue_messages([messages.context_file_not_loaded(report) for report in reports
                    if report.status in ("quarantined", "failed")])
    try:
        ingest.raise_if_failed(reports)
    except TmtError as exc:
        raise alerted(exc)
    return reports


if __name__ == "__main__":
    ingest_context(sys.argv[1] if len(sys.argv) > 1 else None)
