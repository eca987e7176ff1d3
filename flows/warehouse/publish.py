"""Publish the marts: copy them into a new file, then rename it over the serving file.

Readers (Superset, `tmt sql`) open `tmt.duckdb` read-only. A rename is atomic on one
filesystem, so a reader sees either the previous database or the new one, never half.
Only the `marts` schema is published: the working file's raw rows stay behind.
"""
from __future__ import annotations

import os
from pathlib import Path

import duckdb

from flows.errors import TmtError
from flows.settings import Settings


def publish(settings: Settings) -> Path:
    serving = settings.serving_db
    staging = serving.with_name(f".{serving.name}.new")
    staging.unlink(missing_ok=True)
    with duckdb.connect(str(settings.work_db)) as con:
        tables = [name for (name,) in con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = 'marts' order by table_name").fetchall()]
        if not tables:
            raise TmtError(f"{settings.work_db}: no marts to publish (did dbt build run?)")
        con.execute(f"attach '{staging}' as serving")
        con.execute("create schema serving.marts")
        for table in tables:
            con.execute(f'create table serving.marts."{table}" as select * from marts."{table}"')
        con.execute("detach serving")
    os.replace(staging, serving)
    return serving
