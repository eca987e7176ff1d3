"""Prefect flow `notify` (`tmt notify`): queue the organization reminders that are due,
send the outbox, queue the maintainers' digest when something is new, send it.

(Module name: `flows/notify/` is the package of plain modules this flow calls.)

With no TMT_APPRISE_CONFIG, messages stay in the outbox and the run says so. With no
TMT_SIGNING_KEY, reminders are not queued: `tmt notify` sends the rest then fails with one
line naming the variable; `tmt run` (require_signing_key=False) logs that line and goes on.
A message that could not be delivered and waits for a retry fails the flow after
everything else was done; a refused address does not (it goes to the maintainers).
"""
from __future__ import annotations

from datetime import UTC, datetime

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.errors import TmtError
from flows.notify import channels, digest, reminders, sender
from flows.ops import record, summaries
from flows.settings import get_settings


@task(cache_policy=NO_CACHE)
def queue_reminders() -> str:
    """Reminders and calls due today; the one-line reason when they cannot be (no key)."""
    try:
        return reminders.queue_due(get_settings()).line()
    except TmtError as exc:
        if "TMT_SIGNING_KEY" in str(exc):
            return f"reminders not queued: {exc}"
        raise


@task(cache_policy=NO_CACHE)
def send_outbox() -> sender.SendReport:
    return sender.send_due(get_settings(), datetime.now(UTC))


@task(cache_policy=NO_CACHE)
def queue_digest() -> str:
    digest_id, new = digest.compose(get_settings())
    return (f"résumé / digest : {new} nouvel(s) élément(s) en file / {new} new item(s), queued"
            if digest_id else "résumé / digest : rien de nouveau / nothing new")


@flow(name="notify", **record.HOOKS)
def notify(require_signing_key: bool = True) -> str:
    logger = get_run_logger()
    reminder_line = queue_reminders()
    (logger.warning if reminder_line.startswith("reminders not queued") else logger.info)(
        reminder_line)
    first = send_outbox()
    digest_line = queue_digest()
    logger.info(digest_line)
    second = send_outbox()
    report = sender.SendReport(
        sent=first.sent + second.sent, retrying=second.retrying + first.retrying,
        failed=first.failed + second.failed, waiting=second.waiting,
        released=first.released + second.released,
        waiting_reason=second.waiting_reason or first.waiting_reason,
        errors=first.errors + second.errors)
    for error in report.errors:
        logger.warning(channels.without_addresses(error))
    logger.info(report.line())
    record.report_run("notify", "Envoi des messages / Messages sent",
                      summaries.notify(report, reminder_line, digest_line))
    if report.retrying:
        raise TmtError(f"{report.retrying} message(s) not delivered, kept for a retry: "
                       f"{channels.without_addresses(report.errors[0])}")
    if require_signing_key and reminder_line.startswith("reminders not queued"):
        raise TmtError(reminder_line + " (everything else was sent)")
    return f"{reminder_line}; {digest_line}; {report.line()}"


if __name__ == "__main__":
    notify()
