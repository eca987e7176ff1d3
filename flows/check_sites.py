"""Prefect flow `check_sites`: every organization website and guide source, checked politely
and safely; results appended to the check history; broken sites and changed guide
sources queued for the maintainers.

Run it with `tmt check-sites [--live|--offline]`, `python -m flows.check_sites [--live]`,
or from a Prefect deployment (weekly). Live checks need TMT_SITECHECK_LIVE=true (or
--live): without it nothing leaves the machine (flows/sitecheck/steps.py).
"""
from __future__ import annotations

import sys

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.ops import record, summaries
from flows.settings import get_settings
from flows.sitecheck import steps


@task(cache_policy=NO_CACHE)
def read_targets() -> steps.Plan:
    plan = steps.plan(get_settings())
    get_run_logger().info("%d URL(s) to check: %d from the directory, %d guide source(s)",
                          len(plan.urls), plan.directory, plan.guide)
    return plan


@task(cache_policy=NO_CACHE)
def check_urls(plan: steps.Plan, live: bool | None) -> steps.Summary:
    """All the HTTP of the run (retries are per URL, inside); appends to sitecheck.check."""
    logger = get_run_logger()
    summary = steps.check(get_settings(), plan.urls, live, progress=lambda done, total:
                          logger.info("sites %d/%d", done, total))
    for line in summary.lines():
        logger.info(line)
    return summary


@task(cache_policy=NO_CACHE)
def queue_notices(summary: steps.Summary) -> int:
    """Broken sites (on a change of state, or again after some days) and changed guide
    sources, as digest items in the outbox."""
    queued = steps.report(get_settings(), summary)
    get_run_logger().info("%d message(s) queued for the maintainers", queued)
    return queued


@flow(name="check_sites", log_prints=True, **record.HOOKS)
def check_sites(live: bool | None = None) -> steps.Summary:
    summary = check_urls(read_targets(), live)
    queued = queue_notices(summary)
    record.report_run("site-check", "Vérification des sites / Site check",
                      summaries.sites(summary, queued))
    return summary


if __name__ == "__main__":
    check_sites(live=True if "--live" in sys.argv[1:] else None)
