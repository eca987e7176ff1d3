"""Publish the marts: a new version file, then served by an atomic rename (see versions.py).

Called only after dbt build (with its tests) and the mart checkpoint have passed. Only the
`marts` schema is published, plus `meta.publication` (version, time, fingerprint): the
working file's raw rows stay behind. When the marts are the same as the served ones (same
fingerprint), nothing is published: a re-run adds no version and leaves the serving file
byte for byte as it was. The operations marts (`ops_*`: runs, reminders, check results)
are left out of the fingerprint: they change with every run, and a re-run must not publish
for that alone; they are published with the next change of the data (a site check, a new
quarter, a confirmation).

Withheld periods (a mart check failed on them, flows/quality/marts.py): in every mart with
`period_kind` and `period_start` columns their rows are not taken from the new build; the
served database's rows for them are kept instead (their last good publication), or they are
absent when it has none. `meta.withheld_periods` lists them in the published file.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from flows.errors import TmtError
from flows.settings import Settings
from flows.warehouse import versions

OPERATIONS_PREFIX = "ops_"


@dataclass(frozen=True)
class Publication:
    version: str | None
    path: Path
    changed: bool
    pruned: tuple[str, ...] = ()

    def __str__(self) -> str:
        if self.changed:
            return f"published {self.version}: {self.path}"
        return f"unchanged (still serving {self.version or 'the same marts'}): {self.path}"


def publish(settings: Settings, withheld: tuple[tuple[str, str], ...] = ()) -> Publication:
    """withheld: (period_kind, period_start) pairs not to take from the new build."""
    with versions.publication_lock(settings):
        with duckdb.connect(str(settings.work_db)) as con:
            tables = mart_tables(con)
            if not tables:
                raise TmtError(f"{settings.work_db}: no marts to publish (did dbt build run?)")
            served = versions.publication_of(settings.serving_db)
            keep_served = bool(withheld) and served is not None
            if keep_served:
                con.execute(f"attach '{settings.serving_db}' as served (read_only)")
            try:
                selects = {table: _published_rows(con, table, withheld, keep_served)
                           for table in tables}
                fingerprint = marts_fingerprint(con, {
                    table: select for table, select in selects.items()
                    if not table.startswith(OPERATIONS_PREFIX)})
                if served and served["fingerprint"] == fingerprint:
                    return Publication(served["version"], settings.serving_db, changed=False)
                versions.keep_unversioned(settings)
                name, path = versions.new_version_path(settings)
                partial = path.with_name(f".{path.name}.partial")
                partial.unlink(missing_ok=True)
                _copy_marts(con, selects, partial, name, fingerprint, withheld,
                            served["version"] if keep_served else None)
            finally:
                if keep_served:
                    con.execute("detach served")
        versions.fsync(partial)
        os.replace(partial, path)
        version = versions.Version(name, path)
        versions.serve(settings, version)
        pruned = versions.prune(settings, served=name)
    return Publication(name, settings.serving_db, changed=True, pruned=tuple(pruned))


def mart_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [name for (name,) in con.execute(
        "select table_name from information_schema.tables "
        "where table_schema = 'marts' order by table_name").fetchall()]


def _columns(con, table: str, catalog: str | None = None) -> list[tuple[str, str]]:
    return con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_catalog = coalesce(?, current_database()) and table_schema = 'marts' "
        "and table_name = ? order by ordinal_position", [catalog, table]).fetchall()


def _published_rows(con, table: str, withheld, keep_served: bool) -> str:
    """The select giving what a mart publishes: the new build's rows, but for a withheld
    period the served database's rows (same columns) or none."""
    columns = _columns(con, table)
    if not withheld or not {"period_kind", "period_start"} <= {name for name, _ in columns}:
        return f'select * from marts."{table}"'
    keys = ", ".join(f"'{kind}|{start}'" for kind, start in withheld)
    in_withheld = f"(period_kind || '|' || period_start::varchar) in ({keys})"
    select = f'select * from marts."{table}" where not coalesce({in_withheld}, false)'
    if keep_served and _columns(con, table, "served") == columns:
        listed = ", ".join(f'"{name}"' for name, _ in columns)
        select += f' union all select {listed} from served.marts."{table}" where {in_withheld}'
    return select


def marts_fingerprint(con: duckdb.DuckDBPyConnection, selects: dict[str, str]) -> str:
    """Columns, row count and an order-free sum of row hashes of every mart table, as
    published (`selects`: table -> the select of its published rows)."""
    parts = []
    for table, select in selects.items():
        count, hashes = con.execute(
            f"select count(*), sum(hash(mart_row)::hugeint) from ({select}) as mart_row"
        ).fetchall()[0]
        parts.append([table, _columns(con, table), count, str(hashes)])
    return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()


def _copy_marts(con, selects: dict[str, str], target: Path, name: str, fingerprint: str,
                withheld=(), served_version: str | None = None) -> None:
    con.execute(f"attach '{target}' as published")
    try:
        con.execute("create schema published.marts")
        for table, select in selects.items():
            con.execute(f'create table published.marts."{table}" as {select}')
        con.execute("create schema published.meta")
        con.execute("create table published.meta.publication as select ?::varchar as version, "
                    "current_timestamp as published_at, ?::varchar as fingerprint",
                    [name, fingerprint])
        con.execute("create table published.meta.withheld_periods (period_kind varchar, "
                    "period_start date, kept_from_version varchar)")
        for kind, start in withheld:
            con.execute("insert into published.meta.withheld_periods values (?, ?::date, ?)",
                        [kind, start, served_version])
    finally:
        con.execute("detach published")  # checkpoints: the file is whole, with no WAL beside it

