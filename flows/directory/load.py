"""Load parsed organizations into the directory tables, recording what changed.

An import never replaces the directory blindly. Each organization is matched to the one
already stored (explicit id, else name and municipality, else a website only it uses:
a renamed organization keeps its id), then compared field by field. Unchanged ones are
only marked as seen; changed ones get one change-log row per field (old value, new value,
when, by whom) and their records rewritten; new ones get a `create` row. Organizations
missing from the file are kept as they are: a spreadsheet of one region must not erase
the others (set a status of `inactive` to retire one).
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime

import duckdb
import pandas as pd

from .model import Organization, stable_id
from .parse import ParsedDirectory
from .records import child_rows, organization_row
from .schema import CHILD_TABLES, SCHEMA, columns
from .values import website_key


@dataclass
class Change:
    organization_id: str
    organization: str
    field: str
    previous: str
    replacement: str


@dataclass
class LoadResult:
    import_id: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changes: list[Change] = field(default_factory=list)


def resolve_ids(con: duckdb.DuckDBPyConnection, organizations: list[Organization]) -> None:
    stored = con.execute(f"select organization_id, natural_key, website_key "
                         f"from {SCHEMA}.organization").fetchall()
    natural = {nk: oid for oid, nk, _ in stored}
    sites: dict[str, list[str]] = {}
    for oid, _, site in stored:
        if site:
            sites.setdefault(site, []).append(oid)
    taken: set[str] = set()
    for organization in organizations:  # explicit ids and unchanged names first
        found = organization.explicit_id or natural.get(organization.natural_key)
        if found and found not in taken:
            organization.id = found
            taken.add(found)
    for organization in organizations:
        if organization.id:
            continue
        same_site = sites.get(website_key(organization.website)) if organization.website else None
        if same_site and len(same_site) == 1 and same_site[0] not in taken:
            organization.id = same_site[0]  # renamed, or moved: same website, same id
        else:
            organization.id = stable_id("organization", organization.natural_key)
            if organization.id in taken or any(oid == organization.id for oid, *_ in stored):
                organization.id = stable_id("organization", organization.natural_key,
                                            str(len(taken)))
        taken.add(organization.id)


def load(con: duckdb.DuckDBPyConnection, parsed: ParsedDirectory, run: dict,
         now: datetime) -> LoadResult:
    """Write one import in one transaction. `run` holds file_sha256, source,
    original_name and updated_by for the import_run row."""
    result = LoadResult(import_id=str(uuid.uuid4()))
    con.execute("begin transaction")
    try:
        resolve_ids(con, parsed.organizations)
        stored = dict(con.execute(f"select organization_id, record_json "
                                  f"from {SCHEMA}.organization").fetchall())
        rewrite: list[Organization] = []
        log: list[tuple] = []
        for organization in parsed.organizations:
            fields = organization.fields()
            if organization.id not in stored:
                result.created += 1
                rewrite.append(organization)
                log.append(_log_row(result, organization, "name", "", organization.name,
                                    "create", now, run))
                continue
            before = json.loads(stored[organization.id])
            changed = [(name, before.get(name, ""), value) for name, value in fields.items()
                       if before.get(name, "") != value]
            if not changed:
                result.unchanged += 1
                continue
            result.updated += 1
            rewrite.append(organization)
            for name, previous, replacement in changed:
                result.changes.append(Change(organization.id, organization.name, name,
                                             previous, replacement))
                log.append(_log_row(result, organization, name, previous, replacement,
                                    "update", now, run))
        _rewrite(con, rewrite, result.import_id, now)
        seen = [organization.id for organization in parsed.organizations]
        con.execute(f"update {SCHEMA}.organization set last_seen_at = ?, last_import_id = ? "
                    f"where list_contains(?, organization_id)", [now, result.import_id, seen])
        _insert(con, "metadata", log)
        _insert(con, "import_run", [(
            result.import_id, run["file_sha256"], run["source"], run["original_name"],
            parsed.sheet, now, run["updated_by"], parsed.rows_read,
            parsed.rows_read - len(parsed.rejected), len(parsed.rejected), result.created,
            result.updated, result.unchanged, len(result.changes))])
        _insert(con, "row_quarantine", [
            (result.import_id, run["file_sha256"], run["original_name"], error.row,
             error.line(run["original_name"]), json.dumps(error.values, ensure_ascii=False), now)
            for error in parsed.rejected])
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return result


def _log_row(result, organization, name, previous, replacement, action, now, run) -> tuple:
    metadata_id = stable_id(result.import_id, organization.id, name)
    return (metadata_id, organization.id, "organization", name, previous, replacement,
            action, now, run["updated_by"], result.import_id)


def _rewrite(con, organizations: list[Organization], import_id: str, now: datetime) -> None:
    if not organizations:
        return
    ids = [organization.id for organization in organizations]
    created = dict(con.execute(f"select organization_id, created_at from {SCHEMA}.organization "
                               f"where list_contains(?, organization_id)", [ids]).fetchall())
    for table in [*CHILD_TABLES, "organization"]:
        con.execute(f"delete from {SCHEMA}.{table} where list_contains(?, organization_id)", [ids])
    _insert(con, "organization", [
        organization_row(organization, created.get(organization.id, now), now, import_id)
        for organization in organizations])
    rows: dict[str, dict[str, tuple]] = {table: {} for table in CHILD_TABLES}
    for organization in organizations:
        for table, table_rows in child_rows(organization).items():
            for row in table_rows:
                rows[table].setdefault(row[0], row)  # the same phone twice is one phone
    for table, by_id in rows.items():
        _insert(con, table, list(by_id.values()))


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple]) -> None:
    if not rows:
        return
    frame = pd.DataFrame.from_records(rows, columns=columns(table))
    con.register("incoming_directory_rows", frame)
    try:
        con.execute(f"insert into {SCHEMA}.{table} by name select * from incoming_directory_rows")
    finally:
        con.unregister("incoming_directory_rows")
