"""The notification outbox: every message is a row here before anything tries to send it.

SQLite at $TMT_HOME/state/outbox.sqlite, not a DuckDB table: the warehouse files have a
single writer (ingest, dbt, publication), and an alert must be recordable while one of
them holds the lock, or because one of them failed.

Rows start `pending`. The sender (issue 7) moves them on (`sent`, `failed`) and counts
`attempts`. The same message (tag, recipient, kind, template and payload alike) is queued
once while it is pending: a failing quarterly run repeated daily does not pile up alerts.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

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
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(str(path), timeout=30, isolation_level=None)
    con.row_factory = sqlite3.Row
    con.executescript(SCHEMA)
    return con


def enqueue(path: Path, messages: list[Message]) -> list[int]:
    """Queue messages in one transaction; returns the ids of those not already pending."""
    for message in messages:
        if message.tag not in TAGS:
            raise ValueError(f"outbox tag {message.tag!r} is not one of {', '.join(TAGS)}")
    created = datetime.now(UTC).isoformat(timespec="seconds")
    queued = []
    con = connect(path)
    try:
        con.execute("begin immediate")
        for message in messages:
            cursor = con.execute(
                """insert into outbox (created_at, tag, recipient, kind, template, payload,
                       payload_hash) values (?, ?, ?, ?, ?, ?, ?)
                   on conflict do nothing""",
                (created, message.tag, message.recipient, message.kind, message.template,
                 message.payload_json, message.payload_hash))
            if cursor.rowcount:
                queued.append(cursor.lastrowid)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    finally:
        con.close()
    return queued


def pending(path: Path, tag: str | None = None) -> list[dict]:
    """Pending messages, oldest first, payload decoded (for the sender and for tests)."""
    if not path.exists():
        return []
    con = connect(path)
    try:
        rows = con.execute(
            "select * from outbox where status = 'pending' and (? is null or tag = ?) order by id",
            (tag, tag)).fetchall()
    finally:
        con.close()
    return [{**dict(row), "payload": json.loads(row["payload"])} for row in rows]
