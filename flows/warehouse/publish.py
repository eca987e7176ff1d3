"""Publish the marts: a new version file, then served by an atomic rename (see versions.py).

Called only after dbt build (with its tests) and the mart checkpoint have passed. Only the
`marts` schema is published, plus `meta.publication` (version, time, fingerprint): the
working file's raw rows stay behind. When the marts are the same as the served ones (same
fingerprint), nothing is published: a re-run adds no version and leaves the serving file
byte for byte as it was. The operations marts (`ops_*`: runs, reminders, check results)
are left out of the fingerprint: they change with every run, and a re-run must not publish
for that alone; they are published with the next change of the data (a site check, a new
quarter, a confirmation).
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


def publish(settings: Settings) -> Publication:
    with versions.publication_lock(settings):
        with duckdb.connect(str(settings.work_db)) as con:
            tables = mart_tables(con)
            if not tables:
                raise TmtError(f"{settings.work_db}: no marts to publish (did dbt build run?)")
            fingerprint = marts_fingerprint(con, [table for table in tables
                                                  if not table.startswith(OPERATIONS_PREFIX)])
            served = versions.publication_of(settings.serving_db)
            if served and served["fingerprint"] == fingerprint:
                return Publication(served["version"], settings.serving_db, changed=False)
            versions.keep_unversioned(settings)
            name, path = versions.new_version_path(settings)
            partial = path.with_name(f".{path.name}.partial")
            partial.unlink(missing_ok=True)
            _copy_marts(con, tables, partial, name, fingerprint)
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


def marts_fingerprint(con: duckdb.DuckDBPyConnection, tables: list[str]) -> str:
    """Columns, row count and an order-free sum of row hashes of every mart table."""
    parts = []
    for table in tables:
        columns = con.execute(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = 'marts' and table_name = ? order by ordinal_position",
            [table]).fetchall()
        count, hashes = con.execute(
            f'select count(*), sum(hash(mart_row)::hugeint) from marts."{table}" as mart_row'
        ).fetchall()[0]
        parts.append([table, columns, count, str(hashes)])
    return hashlib.sha256(json.dumps(parts).encode("utf-8")).hexdigest()


def _copy_marts(con, tables: list[str], target: Path, name: str, fingerprint: str) -> None:
    con.execute(f"attach '{target}' as published")
    try:
        con.execute("create schema published.marts")
        for table in tables:
            con.execute(f'create table published.marts."{table}" as select * from marts."{table}"')
        con.execute("create schema published.meta")
        con.execute("create table published.meta.publication as select ?::varchar as version, "
                    "current_timestamp as published_at, ?::varchar as fingerprint",
                    [name, fingerprint])
    finally:
        con.execute("detach published")  # checkpoints: the file is whole, with no WAL beside it

