"""Send what the outbox holds, each message once, to the destinations its tag names.

For each message due: claim it (`sending`, one more attempt), render it, hand it to each
destination that has not accepted it yet, recording each acceptance at once, then mark it
`sent`. A failure goes back to `pending` with a backoff (TMT_SEND_BACKOFF_S, doubling, at
most 12 h), or to `failed` for a refused address or after TMT_SEND_MAX_ATTEMPTS; a failed
message becomes a notice to the maintainers. With no TMT_APPRISE_CONFIG nothing is
claimed: messages stay `pending` and the report says so.

What "never twice" rests on: a claim is taken in a SQLite transaction, so two senders never
hold the same message; a sender that dies leaves its claim, which the next send releases
when that process is gone (or after an hour, from another machine), keeping the
destinations already done. The one window left is between a destination accepting a
message and that acceptance being committed (one SQLite write); a death exactly there sends
that destination the message again. Emails carry `X-TMT-Message: outbox-<id>` so that it
can be recognized.
"""
from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from jinja2 import TemplateError

from .. import email_address
from ..errors import TmtError
from ..settings import Settings
from . import channels as channel_config
from . import outbox
from .render import NotReady, render

MAX_BACKOFF = timedelta(hours=12)


@dataclass
class SendReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    waiting: int = 0
    released: int = 0
    waiting_reason: str = ""
    errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        parts = [f"{self.sent} sent", f"{self.retrying} to retry", f"{self.failed} failed"]
        if self.released:
            parts.append(f"{self.released} resumed after an interrupted send")
        text = "outbox: " + ", ".join(parts)
        if self.waiting:
            text += f"; {self.waiting} waiting in the outbox ({self.waiting_reason})"
        return text


def _pid_state(pid: int) -> bool:
    stat = Path(f"/proc/{pid}/stat")
    try:
        if stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] == "Z":
            return False  # killed, not yet reaped
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError, IndexError):
        return True
    return True


def claim_alive(claimed_by: str, me: str) -> bool | None:
    """Does the sender that claimed a message still run? None: cannot tell (another host)."""
    host, pid, _nonce = (claimed_by.split(":") + ["", "", ""])[:3]
    if host != socket.gethostname() or not pid.isdigit():
        return None
    if claimed_by == me:
        return True
    if int(pid) == os.getpid():
        return False  # an earlier send in this process, which raised mid-message
    return _pid_state(int(pid))


def backoff(settings: Settings, attempts: int) -> timedelta:
    return min(timedelta(seconds=settings.send_backoff_s * 2 ** max(attempts - 1, 0)),
               MAX_BACKOFF)


def destinations_for(channels, message: dict) -> list:
    if message["tag"] == "org-reminders":
        return channels.for_recipient(message["recipient"]) if message["recipient"] else []
    return channels.tagged(message["tag"])


def send_due(settings: Settings, now: datetime | None = None,
             tags: tuple[str, ...] = outbox.TAGS) -> SendReport:
    """Send what is due (only `tags`: a failed run sends its alerts at once, the rest waits)."""
    path = settings.outbox_db
    now = now or datetime.now(UTC)
    me = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    report = SendReport()
    report.released = len(outbox.release_abandoned(
        path, now, lambda claimed_by: claim_alive(claimed_by, me)))
    channels = channel_config.load(settings.apprise_config, settings.send_interval_s)
    due = outbox.due(path, now, tags)
    if channels is None:
        report.waiting = len(due)
        report.waiting_reason = "TMT_APPRISE_CONFIG is not set: nothing is sent"
        return report
    for message in due:
        _send_one(settings, channels, message, now, me, report)
    return report


def _send_one(settings, channels, message, now, me, report) -> None:
    path = settings.outbox_db
    if message["tag"] == "org-reminders" and message["recipient"]:
        try:  # the outbox names the address handed to SMTP, exactly
            address = email_address.for_smtp(message["recipient"])
        except email_address.BadAddress as exc:
            if outbox.claim(path, message["id"], me, now) is not None:
                outbox.mark_failed(path, message["id"], f"{message['recipient']}: {exc}")
                report.failed += 1
            return
        if address != message["recipient"]:
            outbox.set_recipient(path, message["id"], address)
            message = {**message, "recipient": address}
    destinations = destinations_for(channels, message)
    if not destinations:
        report.waiting += 1
        report.waiting_reason = f"no destination tagged {message['tag']!r} in the configuration"
        return
    claimed = outbox.claim(path, message["id"], me, now)
    if claimed is None:
        return  # another sender has it
    try:
        rendered = render(claimed, settings)
    except (NotReady, TmtError) as exc:
        outbox.mark_waiting(path, claimed["id"], str(exc))
        report.waiting += 1
        report.waiting_reason = str(exc)
        return
    except (ValueError, KeyError, TypeError, TemplateError) as exc:  # will not improve
        outbox.mark_failed(path, claimed["id"], f"cannot render: {exc}")
        report.failed += 1
        report.errors.append(f"message {claimed['id']} ({claimed['kind']}): cannot render: {exc}")
        return
    errors = []
    for destination in destinations:
        if destination.key in claimed["delivered_to"]:
            continue
        outcome = channels.deliver(destination, rendered, f"outbox-{claimed['id']}")
        if outcome.ok:
            outbox.record_delivery(path, claimed["id"], destination.key)
        else:
            errors.append(outcome)
    if not errors:
        outbox.mark_sent(path, claimed["id"], datetime.now(UTC))
        report.sent += 1
        return
    error = " || ".join(outcome.error for outcome in errors)
    report.errors.append(f"message {claimed['id']} ({claimed['kind']}): {error}")
    if any(outcome.permanent for outcome in errors) \
            or claimed["attempts"] >= settings.send_max_attempts:
        outbox.mark_failed(path, claimed["id"], error)
        report.failed += 1
        if claimed["kind"] != "delivery_failed":
            outbox.enqueue(path, [delivery_failed(claimed, error)])
    else:
        outbox.mark_retry(path, claimed["id"], error,
                          datetime.now(UTC) + backoff(settings, claimed["attempts"]))
        report.retrying += 1


def delivery_failed(message: dict, error: str) -> outbox.Message:
    """A message given up: a digest item for the maintainers (a bad address to fix)."""
    who = message["recipient"] or message["tag"]
    what = message["payload"].get("organization_name") or message["kind"]
    return outbox.Message(
        tag="maintainers", kind="delivery_failed", template="digest_item", payload={
            "section": "delivery_failures", "key": f"delivery_failed:{message['id']}",
            "message_id": message["id"], "recipient": message["recipient"],
            "fr": f"message {message['id']} ({what}) à {who} non remis après "
                  f"{message['attempts']} essai(s) : {error}",
            "en": f"message {message['id']} ({what}) to {who} not delivered after "
                  f"{message['attempts']} attempt(s): {error}"})

