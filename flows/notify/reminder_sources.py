"""What the reminders read besides the published listings: contact addresses (working
database: the directory's contact person is not published) and what the site checks saw
change on an organization's website (marts.listing_freshness, flows/sitecheck).
"""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb

from ..errors import TmtError

KINDS = ("hours", "address", "services")


def contact_addresses(work_db: Path) -> dict[str, str]:
    """organization → the contact person's email (directory.contact), when there is one."""
    if not work_db.exists():
        return {}
    try:
        con = duckdb.connect(str(work_db), read_only=True)
    except duckdb.IOException as exc:
        raise TmtError(f"{work_db}: cannot read the directory's contacts, the working "
                       f"database is busy (a build or an import is running): {exc}") from exc
    try:
        present = con.execute("select count(*) from information_schema.tables where "
                              "table_schema = 'directory' and table_name = 'contact'").fetchone()
        if not present[0]:
            return {}
        return dict(con.execute("select organization_id, min(email) from directory.contact "
                                "where email is not null and email <> '' "
                                "group by organization_id").fetchall())
    finally:
        con.close()


def website_changes(serving_db: Path) -> dict[str, list[tuple[date, tuple[str, ...]]]]:
    """organization → [(day its website content last changed, (hours|address|services, …))],
    from marts.listing_freshness: `change_touches` lists what changed since the organization
    last confirmed its listing (flows/sitecheck). Nothing when that mart is not there."""
    if not serving_db.exists():
        return {}
    with duckdb.connect(str(serving_db), read_only=True) as con:
        columns = {name for (name,) in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = 'marts' and table_name = 'listing_freshness'").fetchall()}
        if not {"organization_id", "last_content_change_at", "change_touches"} <= columns:
            return {}
        rows = con.execute(
            "select organization_id, last_content_change_at, cast(change_touches as varchar) "
            "from marts.listing_freshness where change_touches is not null "
            "and last_content_change_at is not null").fetchall()
    changes: dict[str, list] = {}
    for organization_id, changed_at, touches in rows:
        kinds = tuple(kind for kind in KINDS if kind in touches)
        if kinds:
            day = changed_at.date() if isinstance(changed_at, datetime) else changed_at
            changes.setdefault(organization_id, []).append((day, kinds))
    return changes
