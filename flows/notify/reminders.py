"""Organization reminders: ask each active organization to confirm its listing once a year,
remind once, then ask the maintainers to call; and ask again when the site check saw its
hours, address or services change since it last confirmed.

Steps are counted from when a reminder was *sent*, not queued: with no apprise
configuration, a reminder waits in the outbox and no second one is planned behind it.
A campaign (`verification-YYYY-MM-DD`, `changement-YYYY-MM-DD`) is what a signed link is
scoped to; it is answered when the organization confirms on or after the day it started,
through the page or in the spreadsheet. Queuing a step and recording it happen in one
SQLite transaction (outbox.sqlite), so a crash neither loses nor repeats a step.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from .. import email_address, sqlite_state
from ..confirm import listing as listings
from ..confirm import store as confirmations
from ..settings import Settings
from ..tasks import store as tasks
from . import outbox
from .reminder_sources import contact_addresses, website_changes

REMINDER_SCHEMA = """
create table if not exists reminder (
    organization_id text not null,
    campaign text not null,
    step text not null check (step in ('first', 'second', 'call', 'targeted')),
    message_id integer,
    queued_at text not null,
    primary key (organization_id, campaign, step)
);
"""


def _connect(path: Path) -> sqlite3.Connection:
    """The outbox file, with the reminders' own table beside the messages."""
    con = outbox.connect(path)
    con.executescript(REMINDER_SCHEMA)
    return con


@dataclass(frozen=True)
class Step:
    organization_id: str
    campaign: str
    step: str  # first | second | call | targeted
    reason: str = ""  # for a call: no_address | no_answer
    changed: tuple[str, ...] = ()  # for a targeted reminder: hours, address, services


@dataclass
class Organization:
    listing: listings.Listing
    recipient: str | None
    last_confirmed: date | None
    history: dict[str, dict[str, datetime | None]] = field(default_factory=dict)
    changes: list[tuple[date, tuple[str, ...]]] = field(default_factory=list)


def _smtp_form(address: str | None) -> str | None:
    """The address as the mail server will get it, or None (call instead) when it cannot
    take mail: a directory imported before addresses were validated may hold one."""
    try:
        return email_address.for_smtp(address) if address else None
    except email_address.BadAddress:
        return None


def months_before(day: date, months: int) -> date:
    month = day.month - 1 - months
    year, month = day.year + month // 12, month % 12 + 1
    for candidate in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError(day)


def _answered(organization: Organization, campaign: str) -> bool:
    started = date.fromisoformat(campaign[-10:])  # verification-YYYY-MM-DD
    return organization.last_confirmed is not None and organization.last_confirmed >= started


def plan(organization: Organization, today: date, after_months: int,
         interval_days: int) -> list[Step]:
    """The steps due today for one active organization (pure: tested on its own)."""
    oid = organization.listing.organization_id
    interval = timedelta(days=interval_days)
    annual = sorted(c for c in organization.history if c.startswith("verification-"))
    open_campaign = annual[-1] if annual and not _answered(organization, annual[-1]) else None
    steps: list[Step] = []
    if open_campaign:
        done = organization.history[open_campaign]
        if "call" in done:
            pass
        elif "second" in done:
            if done["second"] and today >= done["second"].date() + interval:
                steps.append(Step(oid, open_campaign, "call", "no_answer"))
        elif done.get("first") and today >= done["first"].date() + interval:
            steps.append(Step(oid, open_campaign, "second"))
    elif organization.last_confirmed is None \
            or organization.last_confirmed <= months_before(today, after_months):
        campaign = f"verification-{today.isoformat()}"
        steps.append(Step(oid, campaign, "first") if organization.recipient
                     else Step(oid, campaign, "call", "no_address"))
    recently_asked = any(sent and today < sent.date() + interval
                         for campaign in organization.history.values()
                         for sent in campaign.values())
    for changed_on, kinds in sorted(organization.changes):
        campaign = f"changement-{changed_on.isoformat()}"
        if campaign in organization.history or not organization.recipient or steps \
                or recently_asked or open_campaign:
            continue
        if organization.last_confirmed is None or changed_on > organization.last_confirmed:
            steps.append(Step(oid, campaign, "targeted", changed=kinds))
    return steps[:1]  # one message per organization per day, at most


def _history(settings: Settings) -> dict[str, dict[str, dict[str, datetime | None]]]:
    """organization → campaign → step → when sent (None while waiting in the outbox)."""
    con = _connect(settings.outbox_db)
    try:
        rows = con.execute(
            """select reminder.organization_id, reminder.campaign, reminder.step,
                      coalesce(outbox.sent_at, case when reminder.step = 'call'
                               then reminder.queued_at end) as sent_at
               from reminder left join outbox on outbox.id = reminder.message_id""").fetchall()
    finally:
        con.close()
    history: dict = {}
    for row in rows:
        sent = datetime.fromisoformat(row["sent_at"]) if row["sent_at"] else None
        history.setdefault(row["organization_id"], {}).setdefault(row["campaign"], {})[
            row["step"]] = sent
    return history


def organizations(settings: Settings) -> list[Organization]:
    """Active published organizations, with what the plan needs to know about each."""
    published = [entry for entry in listings.all_published(settings.serving_db)
                 if entry.status == "active"]
    if not published:
        return []
    contacts = contact_addresses(settings.work_db)
    confirmed_online = confirmations.latest_confirmations(settings.confirmations_db)
    history = _history(settings)
    changes = website_changes(settings.serving_db)
    found = []
    for entry in published:
        oid = entry.organization_id
        dates = [day for day in (entry.last_confirmed_at,
                                 confirmed_online[oid].date() if oid in confirmed_online else None)
                 if day is not None]
        found.append(Organization(entry, _smtp_form(contacts.get(oid) or entry.email),
                                  max(dates) if dates else None, history.get(oid, {}),
                                  changes.get(oid, [])))
    return found


@dataclass
class ReminderReport:
    first: int = 0
    second: int = 0
    targeted: int = 0
    calls: int = 0

    def line(self) -> str:
        return (f"rappels / reminders : {self.first} premier(s), {self.second} deuxième(s), "
                f"{self.targeted} après un changement du site en file ; {self.calls} appel(s) "
                f"pour les mainteneurs / {self.first} first, {self.second} second, "
                f"{self.targeted} after a website change queued; {self.calls} call(s) for "
                f"the maintainers")


def queue_due(settings: Settings, today: date | None = None) -> ReminderReport:
    """Queue every step due today. Needs TMT_SIGNING_KEY (the links are signed at sending)."""
    settings.signing_key_or_fail()
    today = today or datetime.now(UTC).date()
    report = ReminderReport()
    for organization in organizations(settings):
        for step in plan(organization, today, settings.reminder_after_months,
                         settings.reminder_interval_days):
            _record(settings, organization, step, today)
            setattr(report, "calls" if step.step == "call" else step.step,
                    getattr(report, "calls" if step.step == "call" else step.step) + 1)
    return report


def _record(settings: Settings, organization: Organization, step: Step, today: date) -> None:
    entry = organization.listing
    if step.step == "call":
        tasks.add(settings.tasks_db, [call_task(organization, step, today)])
        message = call_item(organization, step)
    else:
        message = outbox.Message(
            tag="org-reminders", kind=f"listing_reminder_{step.step}", template="reminder",
            recipient=organization.recipient, payload={
                "organization_id": entry.organization_id, "organization_name": entry.name,
                "campaign": step.campaign, "step": step.step, "changed": list(step.changed),
                "listing": [vars(field_) for field_ in entry.fields]})
    with sqlite_state.transaction(_connect, settings.outbox_db) as con:
        if con.execute("select 1 from reminder where organization_id = ? and campaign = ? "
                       "and step = ?", (entry.organization_id, step.campaign,
                                        step.step)).fetchone():
            return  # recorded already: nothing is written
        cursor = con.execute(
            """insert into outbox (created_at, tag, recipient, kind, template, payload,
                   payload_hash) values (?, ?, ?, ?, ?, ?, ?)""",
            (outbox.stamp(datetime.now(UTC)), message.tag, message.recipient, message.kind,
             message.template, message.payload_json, message.payload_hash))
        con.execute("insert into reminder values (?, ?, ?, ?, ?)",
                    (entry.organization_id, step.campaign, step.step, cursor.lastrowid,
                     outbox.stamp(datetime.now(UTC))))


def call_task(organization: Organization, step: Step, today: date) -> tasks.Task:
    entry = organization.listing
    return tasks.Task(
        campaign=step.campaign, kind="call_organization", subject=f"Appeler {entry.name}",
        due_date=today + timedelta(days=7), key=entry.organization_id,
        region_code=(entry.region_codes or "").split(",")[0] or None,
        organization_id=entry.organization_id,
        details={"reason": step.reason, "phones": entry.value("phones"),
                 "email": organization.recipient})


def call_item(organization: Organization, step: Step) -> outbox.Message:
    entry = organization.listing
    phones = entry.value("phones") or "pas de téléphone"
    why_fr = ("aucune adresse courriel" if step.reason == "no_address"
              else "pas de réponse à deux rappels")
    why_en = "no email address" if step.reason == "no_address" else "no answer to two reminders"
    return outbox.Message(
        tag="maintainers", kind="call_organization", template="digest_item", payload={
            "section": "calls", "key": f"call:{entry.organization_id}:{step.campaign}",
            "fr": f"{entry.name} ({phones}) : {why_fr}; fiche à confirmer par téléphone",
            "en": f"{entry.name} ({phones}): {why_en}; confirm the listing by phone"})
