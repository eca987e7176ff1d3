"""Parsed context tables into the working DuckDB (schema `raw`), once per sha256.

`raw.context_files` one row per loaded file (its kind, title, rounding, what was repaired);
`raw.context_cells` one row per data cell; `raw.context_countries` the ISO names of the
countries met; `raw.context_quarantine` files that could not be loaded, with the reason.
dbt reads the latest loaded file of each kind (dbt_project/models/staging/context).
"""
from __future__ import annotations

import json
from dataclasses import astuple
from pathlib import Path

import duckdb

from ..lmia.archive import ArchivedFile, now_iso
from ..warehouse import workdb
from . import countries
from .model import Cell, ParsedTable

SCHEMA = """
create schema if not exists raw;
create table if not exists raw.context_files (
    file_sha256 varchar primary key, table_kind varchar not null, title varchar,
    language varchar, rounding varchar, source_url varchar, original_name varchar,
    cell_count integer, totals_checked integer, repairs_json varchar, loaded_at timestamp
);
create table if not exists raw.context_cells (
    file_sha256 varchar not null, table_kind varchar not null, province varchar,
    label_1 varchar, label_2 varchar, label_code varchar, period varchar not null,
    value bigint, is_suppressed boolean not null, is_total boolean not null,
    rank integer, source_row integer not null
);
create table if not exists raw.context_countries (
    country_code varchar primary key, name_fr varchar, name_en varchar
);
create table if not exists raw.context_quarantine (
    file_sha256 varchar primary key, source_url varchar, original_name varchar,
    reason varchar, quarantined_at timestamp
);
"""
CELL_COLUMNS = [field for field in Cell.__dataclass_fields__]


def connect(db_path: Path) -> duckdb.DuckDBPyConnection:
    return workdb.connect(db_path, SCHEMA)


def ensure_schema(db_path: Path) -> None:
    """The tables are dbt sources: a build without any context ingest still works."""
    connect(db_path).close()


def status_of(con, sha256: str) -> str | None:
    if con.execute("select 1 from raw.context_files where file_sha256 = ?", [sha256]).fetchone():
        return "loaded"
    row = con.execute("select reason from raw.context_quarantine where file_sha256 = ?",
                      [sha256]).fetchone()
    return f"quarantined: {row[0]}" if row else None


def load(con, item: ArchivedFile, table: ParsedTable) -> None:
    """One transaction: the file's row, its cells, the countries it names."""
    import pandas as pd

    cells = pd.DataFrame([astuple(cell) for cell in table.cells], columns=CELL_COLUMNS)
    cells.insert(0, "table_kind", table.kind)
    cells.insert(0, "file_sha256", item.sha256)
    con.execute("begin")
    try:
        con.execute("insert into raw.context_cells by name select * from cells")
        con.execute(
            "insert into raw.context_files values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [item.sha256, table.kind, table.title, table.language, table.rounding,
             item.source_url, item.original_name, len(table.cells), table.totals_checked,
             json.dumps(table.repairs, sort_keys=True), now_iso()])
        codes = sorted({cell.label_code for cell in table.cells
                        if cell.label_code and cell.rank is not None})
        for code in codes:
            con.execute("insert or replace into raw.context_countries values (?, ?, ?)",
                        [code, countries.french_name(code), countries.english_name(code)])
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise


def record_quarantine(con, item: ArchivedFile, reason: str) -> None:
    con.execute("insert or replace into raw.context_quarantine values (?, ?, ?, ?, ?)",
                [item.sha256, item.source_url, item.original_name, reason, now_iso()])
