"""Prefect flow `update_campaign` (`tmt campaign`, yearly): plan the campaign's update tasks,
send the maintainers the checklist, then build so that `marts.update_tasks` has them.

Planning twice adds nothing (task ids come from what they are about); the checklist goes
out once per campaign (the outbox holds it once while pending, and a campaign already
planned only sends a checklist when new tasks appeared).
"""
from __future__ import annotations

from datetime import UTC, date, datetime

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.build_warehouse import build_warehouse
from flows.notify import outbox, sender
from flows.ops import record
from flows.settings import get_settings
from flows.tasks import campaign, checklist, store


@task(cache_policy=NO_CACHE)
def plan_tasks(today: date) -> list[store.Task]:
    settings = get_settings()
    return store.add(settings.tasks_db, campaign.plan(settings, today))


@task(cache_policy=NO_CACHE)
def queue_checklist(name: str, tasks: list[store.Task]) -> int:
    return len(outbox.enqueue(get_settings().outbox_db, [checklist.checklist(name, tasks)]))


@task(cache_policy=NO_CACHE)
def send_checklist() -> str:
    return sender.send_due(get_settings(), datetime.now(UTC)).line()


@flow(name="update_campaign", **record.HOOKS)
def update_campaign(today: date | None = None) -> str:
    today = today or datetime.now(UTC).date()
    name = f"campagne-{today.year}"
    new = plan_tasks(today)
    logger = get_run_logger()
    logger.info("%s: %d new task(s)", name, len(new))
    if new:
        queue_checklist(name, new)
    sent = send_checklist()
    logger.info(sent)
    published = build_warehouse()
    record.report_run("update-campaign", f"Campagne / Campaign {name}",
                      {"campaign": name, "new_tasks": len(new), "checklist": sent,
                       "build": published})
    return f"{name}: {len(new)} new task(s); {sent}; {published}"


if __name__ == "__main__":
    update_campaign()
