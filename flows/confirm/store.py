"""What organizations send through the confirmation page, kept durably in SQLite
($TMT_HOME/state/confirmations.sqlite) until the next build copies it into the warehouse.

Not DuckDB: the serving database is read-only, and the working one has a single writer (a
build holds it for minutes); web requests arrive concurrently, at any time. SQLite in WAL
mode takes concurrent writers one at a time, each in a short transaction.

Confirming is idempotent: one verification per organization and campaign, the first one
kept. A change request is stored once per content (the same form posted twice is one
request). Neither touches the published directory: maintainers review change requests.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flows import sqlite_state

SCHEMA = """
create table if not exists verification (
    verification_id text primary key,
    organization_id text not null,
    campaign text not null,
    assured_date text not null,          -- HSDS: when the listing was confirmed (UTC)
    assurer text,                        -- HSDS: who confirmed, as they wrote it
    token_issued_at text not null,
    unique (organization_id, campaign)
);
create table if not exists change_request (
    change_request_id text primary key,
    organization_id text not null,
    campaign text not null,
    submitted_at text not null,
    submitted_by text,
    submitter_email text,
    changes text not null,               -- JSON: {field: {"published": ..., "proposed": ...}}
    comment text,
    content_hash text not null,
    status text not null default 'pending',
    unique (organization_id, content_hash)
);
"""


@dataclass(frozen=True)
class Recorded:
    id: str
    at: str
    new: bool  # False: the same confirmation or request was already recorded


def connect(path: Path) -> sqlite3.Connection:
    return sqlite_state.connect(path, SCHEMA)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def confirm(path: Path, organization_id: str, campaign: str, assurer: str | None,
            token_issued_at: datetime) -> Recorded:
    with sqlite_state.transaction(connect, path) as con:
        con.execute(
            """insert into verification values (?, ?, ?, ?, ?, ?)
               on conflict (organization_id, campaign) do nothing""",
            (str(uuid.uuid4()), organization_id, campaign, _now(), assurer or None,
             token_issued_at.isoformat(timespec="seconds")))
        new = con.execute("select changes()").fetchone()[0] == 1
        row = con.execute("select verification_id, assured_date from verification "
                          "where organization_id = ? and campaign = ?",
                          (organization_id, campaign)).fetchone()
    return Recorded(row["verification_id"], row["assured_date"], new)


def request_change(path: Path, organization_id: str, campaign: str, changes: dict,
                   comment: str | None, submitted_by: str | None,
                   submitter_email: str | None) -> Recorded:
    body = json.dumps({"changes": changes, "comment": comment or ""}, ensure_ascii=False,
                      sort_keys=True)
    content_hash = hashlib.sha256(body.encode("utf-8")).hexdigest()
    with sqlite_state.transaction(connect, path) as con:
        con.execute(
            """insert into change_request (change_request_id, organization_id, campaign,
                   submitted_at, submitted_by, submitter_email, changes, comment, content_hash)
               values (?, ?, ?, ?, ?, ?, ?, ?, ?)
               on conflict (organization_id, content_hash) do nothing""",
            (str(uuid.uuid4()), organization_id, campaign, _now(), submitted_by or None,
             submitter_email or None, json.dumps(changes, ensure_ascii=False, sort_keys=True),
             comment or None, content_hash))
        new = con.execute("select changes()").fetchone()[0] == 1
        row = con.execute("select change_request_id, submitted_at from change_request "
                          "where organization_id = ? and content_hash = ?",
                          (organization_id, content_hash)).fetchone()
    return Recorded(row["change_request_id"], row["submitted_at"], new)


def verifications(path: Path) -> list[dict]:
    return _all(path, "select * from verification order by assured_date")


def change_requests(path: Path) -> list[dict]:
    return _all(path, "select * from change_request order by submitted_at")


def confirmed_on(path: Path, organization_id: str, campaign: str) -> str | None:
    """When this organization confirmed for this campaign, if it did."""
    found = _all(path, "select assured_date from verification where organization_id = ? "
                       "and campaign = ?", (organization_id, campaign))
    return found[0]["assured_date"] if found else None


def latest_confirmations(path: Path) -> dict[str, datetime]:
    """Per organization, its latest confirmation through the page (built or not yet)."""
    return {row["organization_id"]: datetime.fromisoformat(row["latest"]) for row in _all(
        path, "select organization_id, max(assured_date) as latest from verification "
              "group by organization_id")}


def _all(path: Path, sql: str, params: tuple = ()) -> list[dict]:
    return sqlite_state.read(connect, path, sql, params)
