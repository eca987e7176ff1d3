"""The notification outbox: every message is a row here before anything tries to send it.

SQLite at $TMT_HOME/state/outbox.sqlite, not a DuckDB table: the warehouse files have a
single writer (ingest, dbt, publication), and an alert must be recordable while one of
them holds the lock, or because one of them failed.

Rows start `pending`. The sender (flows/notify/sender.py) claims one (`sending`, with
`claimed_by` and one more `attempt`) before it hands it to a destination, records each
destination that accepted it (`delivered_to`), then marks it `sent`; a failure puts it back
to `pending` with `last_error` and `next_attempt_at` (backoff), or `failed` when it cannot
succeed (a refused address) or has used its attempts. A claim whose process died goes back
to `pending` at the next send, keeping `delivered_to`: nothing is lost, and a destination
that already accepted the message does not get it again. Digest items (template
`digest_item`) are never sent alone: the digest takes them (`digested`, `digest_id`).
The same message (tag, recipient, kind, template and payload alike) is queued once while
it is pending: a failing quarterly run repeated daily does not pile up alerts.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from flows import sqlite_state

TAGS = ("alerts", "maintainers", "org-reminders")

SCHEMA = """
create table if not exists outbox (
    id integer primary key autoincrement,
    created_at text not null,
    tag text not null check (tag in ('alerts', 'maintainers', 'org-reminders')),
    recipient text,
    kind text not null,
    template text not null,
    payload text not null,
    payload_hash text not null,
    status text not null default 'pending',
    attempts integer not null default 0,
    last_error text,
    sent_at text
);
create unique index if not exists outbox_pending_once
    on outbox (tag, coalesce(recipient, ''), payload_hash) where status = 'pending';
"""
# Columns added for sending (issue 7); an outbox created before them gains them on open.
SENDING_COLUMNS = {"next_attempt_at": "text", "claimed_by": "text", "claimed_at": "text",
                   "delivered_to": "text not null default '[]'", "digest_id": "integer"}


@dataclass(frozen=True)
class Message:
    """One message to queue. `payload` is JSON-able; human text in it is French, then English."""

    tag: str
    kind: str
    template: str
    payload: dict = field(default_factory=dict)
    recipient: str | None = None

    @property
    def payload_json(self) -> str:
        return json.dumps(self.payload, ensure_ascii=False, sort_keys=True, default=str)

    @property
    def payload_hash(self) -> str:
        """The dedupe key: what the message says, never when it was queued."""
        key = json.dumps([self.kind, self.template, self.payload_json], ensure_ascii=False)
        return hashlib.sha256(key.encode("utf-8")).hexdigest()


def connect(path: Path) -> sqlite3.Connection:
    con = sqlite_state.connect(path, SCHEMA)  # WAL: readers (tests, the digest) never block a send
    present = {row["name"] for row in con.execute("pragma table_info(outbox)")}
    if not set(SENDING_COLUMNS) <= present:
        con.execute("begin immediate")  # two processes opening an old outbox at once
        present = {row["name"] for row in con.execute("pragma table_info(outbox)")}
        for name, kind in SENDING_COLUMNS.items():
            if name not in present:
                con.execute(f"alter table outbox add column {name} {kind}")
        con.execute("commit")
    return con


def _insert(con: sqlite3.Connection, message: Message, created: str) -> sqlite3.Cursor:
    """Queue one message unless the same one is pending already (rowcount 0 then)."""
    return con.execute(
        """insert into outbox (created_at, tag, recipient, kind, template, payload,
               payload_hash) values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing""",
        (created, message.tag, message.recipient, message.kind, message.template,
         message.payload_json, message.payload_hash))


def enqueue(path: Path, messages: list[Message]) -> list[int]:
    """Queue messages in one transaction; returns the ids of those not already pending."""
    for message in messages:
        if message.tag not in TAGS:
            raise ValueError(f"outbox tag {message.tag!r} is not one of {', '.join(TAGS)}")
    created = datetime.now(UTC).isoformat(timespec="seconds")
    queued = []
    with sqlite_state.transaction(connect, path) as con:
        for message in messages:
            cursor = _insert(con, message, created)
            if cursor.rowcount:
                queued.append(cursor.lastrowid)
    return queued


def enqueue_once(path: Path, message: Message, key: str) -> int | None:
    """Queue a message unless one with the same `dedupe_key` in its payload was ever queued
    (sent or not): a hook that runs twice for one flow run alerts once. None if it was."""
    message = Message(message.tag, message.kind, message.template,
                      {**message.payload, "dedupe_key": key}, message.recipient)
    with sqlite_state.transaction(connect, path) as con:
        seen = con.execute("select 1 from outbox where json_extract(payload, '$.dedupe_key') = ?",
                           (key,)).fetchone()
        cursor = None if seen else _insert(con, message,
                                            datetime.now(UTC).isoformat(timespec="seconds"))
    return cursor.lastrowid if cursor is not None and cursor.rowcount else None


def pending(path: Path, tag: str | None = None) -> list[dict]:
    """Pending messages, oldest first, payload decoded (for the sender and for tests)."""
    rows = sqlite_state.read(
        connect, path,
        "select * from outbox where status = 'pending' and (? is null or tag = ?) order by id",
        (tag, tag))
    return [{**dict(row), "payload": json.loads(row["payload"])} for row in rows]


def _decoded(row: dict) -> dict:
    return {**dict(row), "payload": json.loads(row["payload"]),
            "delivered_to": json.loads(row["delivered_to"] or "[]")}


def _write(path: Path, sql: str, params: tuple) -> int:
    con = connect(path)
    try:
        return con.execute(sql, params).rowcount
    finally:
        con.close()


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def due(path: Path, now: datetime, tags: tuple[str, ...] = TAGS) -> list[dict]:
    """Pending messages whose next attempt is due, oldest first (digest items excepted)."""
    rows = sqlite_state.read(
        connect, path,
        """select * from outbox where status = 'pending' and template <> 'digest_item'
           and (next_attempt_at is null or next_attempt_at <= ?) order by id""",
        (stamp(now),))
    return [_decoded(row) for row in rows if row["tag"] in tags]


def claim(path: Path, message_id: int, claimer: str, now: datetime) -> dict | None:
    """Take one pending message for sending; None when another sender has it already."""
    with sqlite_state.transaction(connect, path) as con:
        taken = con.execute(
            """update outbox set status = 'sending', claimed_by = ?, claimed_at = ?,
                   attempts = attempts + 1 where id = ? and status = 'pending'""",
            (claimer, stamp(now), message_id)).rowcount
        row = con.execute("select * from outbox where id = ?", (message_id,)).fetchone()
    return _decoded(row) if taken else None


def record_delivery(path: Path, message_id: int, destination: str) -> None:
    """One destination accepted the message: a retry must not send it there again."""
    _write(path, """update outbox set delivered_to = json_insert(delivered_to, '$[#]', ?)
                    where id = ? and not exists (select 1 from json_each(delivered_to)
                                                 where value = ?)""",
           (destination, message_id, destination))


def mark_sent(path: Path, message_id: int, now: datetime) -> None:
    _write(path, """update outbox set status = 'sent', sent_at = ?, last_error = null,
                    claimed_by = null where id = ?""", (stamp(now), message_id))


def mark_retry(path: Path, message_id: int, error: str, next_attempt: datetime) -> None:
    _write(path, """update outbox set status = 'pending', last_error = ?, next_attempt_at = ?,
                    claimed_by = null where id = ?""",
           (error, stamp(next_attempt), message_id))


def mark_waiting(path: Path, message_id: int, reason: str) -> None:
    """Not sendable yet (no destination configured): back to pending, the attempt not counted."""
    _write(path, """update outbox set status = 'pending', last_error = ?, claimed_by = null,
                    attempts = max(attempts - 1, 0) where id = ?""", (reason, message_id))


def set_recipient(path: Path, message_id: int, recipient: str) -> None:
    """The address as handed to SMTP (an older row may hold it as written)."""
    _write(path, "update outbox set recipient = ? where id = ?", (recipient, message_id))


def mark_failed(path: Path, message_id: int, error: str) -> None:
    _write(path, "update outbox set status = 'failed', last_error = ?, claimed_by = null "
                 "where id = ?", (error, message_id))


def release_abandoned(path: Path, now: datetime, alive, lease_s: int = 3600) -> list[int]:
    """Claims left by a sender that died (killed, machine restarted) go back to `pending`.

    `alive(claimed_by)` says whether the claiming process still runs (True, False, or None
    when it cannot tell, e.g. another machine: then the claim expires after `lease_s`)."""
    if not path.exists():
        return []
    released = []
    with sqlite_state.transaction(connect, path) as con:
        for row in con.execute("select id, claimed_by, claimed_at from outbox "
                               "where status = 'sending'").fetchall():
            running = alive(row["claimed_by"] or "")
            expired = (now - datetime.fromisoformat(row["claimed_at"])).total_seconds() > lease_s
            if running is False or (running is None and expired):
                con.execute("update outbox set status = 'pending', claimed_by = null, "
                            "last_error = 'interrupted while sending' where id = ?", (row["id"],))
                released.append(row["id"])
    return released


def rows(path: Path, status: str | None = None) -> list[dict]:
    """Every message (or those of one status), oldest first: for reports and tests."""
    found = sqlite_state.read(connect, path,
                              "select * from outbox where (? is null or status = ?) order by id",
                              (status, status))
    return [_decoded(row) for row in found]


# What the warehouse may know of a message (`ops.message`, the operations dashboard): never
# its body or its address, which for a reminder is an organization's or a person's email.
WAREHOUSE_COLUMNS = ["message_id", "created_at", "tag", "recipient_kind", "kind", "template",
                     "status", "attempts", "sent_at", "organization_id", "campaign", "step"]


def for_warehouse(path: Path) -> list[dict]:
    """Every message, reduced to WAREHOUSE_COLUMNS; reminders keep their organization id,
    campaign and step (from the payload), which the confirmations are matched on."""
    return sqlite_state.read(
        connect, path,
        """select id as message_id, created_at, tag,
                  case when tag = 'org-reminders' then 'organization' else 'maintainers'
                  end as recipient_kind,
                  kind, template, status, attempts, sent_at,
                  case when tag = 'org-reminders'
                       then json_extract(payload, '$.organization_id') end as organization_id,
                  case when tag = 'org-reminders'
                       then json_extract(payload, '$.campaign') end as campaign,
                  case when tag = 'org-reminders'
                       then json_extract(payload, '$.step') end as step
           from outbox order by id""")
