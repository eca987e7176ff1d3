"""Every scheduled job as a Prefect deployment: the one place schedules are written.

`tmt serve` registers these with the Prefect server named by PREFECT_API_URL and serves
them from its own process (one machine). `tmt deploy --pool NAME` registers the same
deployments with a work pool instead, for workers to run (deploy/production.md). Schedules are active only when TMT_ENV=prod, so a laptop or a CI machine that serves
the deployments never starts a quarterly pull by surprise. Times are Montreal time.
"""
from __future__ import annotations

import importlib
import os
from dataclasses import asdict, dataclass

TIMEZONE = "America/Toronto"


@dataclass(frozen=True)
class Job:
    name: str
    entrypoint: str  # module:flow
    cron: str | None  # None: on demand only
    concurrency: int = 1
    description: str = ""


JOBS = (
    Job("lmia-weekly", "flows.refresh_lmia:refresh_lmia", "0 6 * * 1",
        description="New LMIA quarter? Pull (a no-op when nothing is new), then build."),
    Job("site-checks-weekly", "flows.refresh_sites:refresh_sites", "0 3 * * 3",
        description="Organization websites and guide sources (live), then a build."),
    Job("full-run", "flows.run_pipeline:run_pipeline", None,
        description="The whole pipeline once, on demand (`tmt run`)."),
    Job("notify-daily", "flows.send_notifications:notify", "0 9 * * *",
        description="Reminders due today, the outbox, the maintainers' digest (`tmt notify`)."),
    # The campaign's day, an hour earlier: the campaign's build then publishes the new
    # statistics, and the two never write the working database at the same time.
    Job("context-yearly", "flows.ingest_context:ingest_context", "0 7 15 1 *",
        description="ESDC's annual LMIA statistics and IRCC's TFWP tables "
                    "(`tmt ingest context`), before the yearly campaign."),
    Job("update-campaign-yearly", "flows.update_campaign:update_campaign", "0 8 15 1 *",
        description="Yearly update campaign: tasks, checklist, build (`tmt campaign`)."),
)


def schedules_active() -> bool:
    return os.environ.get("TMT_ENV", "").strip().lower() == "prod"


def spec() -> list[dict]:
    """What the deployments are, as plain data (the snapshot test compares it)."""
    return [{**asdict(job), "timezone": TIMEZONE if job.cron else None} for job in JOBS]


def build_deployments() -> list:
    from prefect.schedules import Cron

    active = schedules_active()
    deployments = []
    for job in JOBS:
        module_name, flow_name = job.entrypoint.split(":")
        flow = getattr(importlib.import_module(module_name), flow_name)
        schedules = [Cron(job.cron, timezone=TIMEZONE, active=active)] if job.cron else []
        deployments.append(flow.to_deployment(
            name=job.name, schedules=schedules, concurrency_limit=job.concurrency,
            description=job.description, tags=["observatoire-tmt"]))
    return deployments


def file_entrypoint(job: Job) -> str:
    """`flows.refresh_lmia:refresh_lmia` → `flows/refresh_lmia.py:refresh_lmia`, as a
    work-pool deployment names it (relative to the checkout the worker runs in)."""
    module_name, flow_name = job.entrypoint.split(":")
    return f"{module_name.replace('.', '/')}.py:{flow_name}"


def deploy_to_pool(pool: str, source: str | None = None) -> list[str]:
    """Register every deployment with the work pool `pool`; returns their ids.

    A process worker runs each flow from `source`, a checkout of this repository on the
    worker's machine (default: this one), with the environment the worker has; nothing is
    uploaded. Docker or Kubernetes pools would take an image instead (deploy/production.md).
    """
    from prefect import Flow
    from prefect.schedules import Cron

    from flows.errors import TmtError
    from flows.settings import REPO_ROOT

    if not os.environ.get("PREFECT_API_URL"):
        raise TmtError("PREFECT_API_URL is not set: a work pool lives on a Prefect server")
    active = schedules_active()
    ids = []
    for job in JOBS:
        flow = Flow.from_source(source=source or str(REPO_ROOT), entrypoint=file_entrypoint(job))
        schedules = [Cron(job.cron, timezone=TIMEZONE, active=active)] if job.cron else []
        ids.append(str(flow.deploy(
            name=job.name, work_pool_name=pool, schedules=schedules,
            concurrency_limit=job.concurrency, description=job.description,
            tags=["observatoire-tmt"], build=False, push=False, print_next_steps=False)))
    return ids


def serve() -> None:
    """Register and serve every deployment until interrupted (Ctrl-C)."""
    from prefect import serve as prefect_serve

    from flows.errors import TmtError

    if not os.environ.get("PREFECT_API_URL"):
        raise TmtError("PREFECT_API_URL is not set: schedules need a real Prefect server "
                       "(`make prefect` starts one on http://127.0.0.1:4200/api)")
    # A shell starting `tmt serve` in the background (`cmd &`, no job control) hands it
    # SIGINT ignored, and Python then installs no KeyboardInterrupt handler: the documented
    # way to stop it (Ctrl-C, SIGINT) would do nothing. Take SIGINT back.
    import signal

    signal.signal(signal.SIGINT, signal.default_int_handler)
    prefect_serve(*build_deployments())
