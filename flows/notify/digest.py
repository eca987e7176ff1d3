"""The maintainers' digest: one message (French, then English; HTML and text) with what is
new since the last one, queued only when something is.

Items come from the data (digest_sources.collect) and from the outbox (`digest_item`
rows queued by checks, reminders, the sender, the site checks). Each item has a key; a key
already reported is not news, until it has not been seen for FORGET_AFTER (30 days):
a stale listing reported in March and still stale in April is not repeated, one that
recovers and breaks again in the autumn is. Choosing the items, queuing the digest and
marking the outbox items as taken is one SQLite transaction.
"""
from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .. import sqlite_state
from ..settings import Settings
from . import outbox
from .digest_sources import Item, collect
from .messages import RULE
from .render import environment

SECTIONS = {  # order of the digest: what needs a person first
    "calls": ("Organismes à appeler", "Organizations to call"),
    "change_requests": ("Demandes de correction à examiner", "Change requests to review"),
    "delivery_failures": ("Messages non remis", "Undelivered messages"),
    "stale_listings": ("Fiches périmées", "Stale listings"),
    "broken_sites": ("Sites brisés ou déplacés", "Broken or moved websites"),
    "guide_sources": ("Sources du guide modifiées", "Guide sources that changed"),
    "lmia_quarter": ("Nouveau trimestre LMIA", "New LMIA quarter"),
    "unplaced_addresses": ("Adresses LMIA non placées", "Unplaced LMIA addresses"),
    "lmia_coverage": ("Couverture de la carte hors de la bande attendue",
                      "Map coverage outside the expected band"),
    "data_checks": ("Contrôles de données : avertissements", "Data checks: warnings"),
    "lmia_repairs": ("Fichiers LMIA réparés au chargement", "LMIA files repaired at load"),
    "directory_import": ("Imports du répertoire", "Directory imports"),
}
PER_SECTION = 15
FORGET_AFTER = timedelta(days=30)
SEEN_SCHEMA = """
create table if not exists digest_seen (
    item_key text primary key,
    section text not null,
    first_reported_at text not null,
    last_seen_at text not null
);
"""


def _connect(path: Path) -> sqlite3.Connection:
    """The outbox file, with the digest's memory of what it said beside the messages."""
    con = outbox.connect(path)
    con.executescript(SEEN_SCHEMA)
    return con


def item_from_row(row) -> Item:
    payload = json.loads(row["payload"])
    if "fr" in payload:
        french, english = payload["fr"], payload.get("en", payload["fr"])
    else:
        french, _, english = payload.get("text", row["kind"]).partition(RULE)
    def one_line(text: str) -> str:
        return " ".join(text.split()).removeprefix("- ")

    return Item(payload.get("section", row["kind"]), payload.get("key") or row["payload_hash"],
                one_line(french), one_line(english or french))


def render_sections(items: list[Item], titles: dict[str, tuple[str, str]],
                    heading: dict[str, str], summary: dict[str, str], subject: str,
                    per_section: int = PER_SECTION) -> dict:
    """Items grouped by section (in the order of `titles`), French then English."""
    by_section: dict[str, list[Item]] = {}
    for item in items:
        by_section.setdefault(item.section, []).append(item)
    order = [name for name in titles if name in by_section] + sorted(
        name for name in by_section if name not in titles)
    sections = []
    for name in order:
        chosen = sorted(by_section[name], key=lambda item: (-item.weight, item.fr))
        fr, en = titles.get(name, (name, name))
        sections.append({"title": {"fr": fr, "en": en}, "count": len(chosen),
                         "items": [{"fr": item.fr, "en": item.en}
                                   for item in chosen[:per_section]],
                         "more": max(len(chosen) - per_section, 0)})
    context = {"sections": sections, "heading": heading, "summary": summary, "subject": subject,
               "more": {"fr": "et {n} autre(s)", "en": "and {n} more"}}
    env = environment()
    return {"subject": subject, "items": len(items),
            "sections": [section["title"]["fr"] for section in sections],
            "text": env.get_template("digest.txt").render(**context),
            "html": env.get_template("digest.html").render(**context)}


def render_digest(items: list[Item], today: str) -> dict:
    count = len(items)
    return {"date": today, **render_sections(
        items, SECTIONS,
        heading={"fr": f"Résumé pour l'équipe – {today}",
                 "en": f"Maintainers' digest – {today}"},
        summary={"fr": f"{count} nouveauté(s) depuis le dernier résumé.",
                 "en": f"{count} new item(s) since the last digest."},
        subject=f"[TMT] Résumé : {count} nouveauté(s) / Digest: {count} new item(s)")}


def compose(settings: Settings, now: datetime | None = None,
            collected: list[Item] | None = None) -> tuple[int | None, int]:
    """Queue a digest of what is new; returns (its outbox id or None, new items)."""
    now = now or datetime.now(UTC)
    collected = collect(settings) if collected is None else collected
    with sqlite_state.transaction(_connect, settings.outbox_db) as con:
        con.execute("delete from digest_seen where last_seen_at < ?",
                    (outbox.stamp(now - FORGET_AFTER),))
        queued = con.execute("select * from outbox where status = 'pending' "
                             "and template = 'digest_item' order by id").fetchall()
        seen = {key for (key,) in con.execute("select item_key from digest_seen")}
        new, keys = [], set()
        for item in [*collected, *(item_from_row(row) for row in queued)]:
            if item.key not in seen and item.key not in keys:
                new.append(item)
            keys.add(item.key)
        stamp = outbox.stamp(now)
        con.executemany(
            """insert into digest_seen values (?, ?, ?, ?)
               on conflict (item_key) do update set last_seen_at = excluded.last_seen_at""",
            [(item.key, item.section, stamp, stamp) for item in
             {item.key: item for item in [*collected, *map(item_from_row, queued)]}.values()])
        digest_id = None
        if new:
            message = outbox.Message("maintainers", "digest", "digest",
                                     render_digest(new, now.date().isoformat()))
            digest_id = con.execute(
                """insert into outbox (created_at, tag, recipient, kind, template, payload,
                       payload_hash) values (?, ?, null, ?, ?, ?, ?)""",
                (stamp, message.tag, message.kind, message.template, message.payload_json,
                 message.payload_hash)).lastrowid
        con.executemany("update outbox set status = 'digested', digest_id = ? where id = ?",
                        [(digest_id, row["id"]) for row in queued])
    return digest_id, len(new)
