"""Copy the dbt sources from the working DuckDB file into a shared PostgreSQL warehouse.

The pipeline's Python steps (ingest, directory import, site checks, state copies) write the
working DuckDB file; dbt's `postgres` target (dbt_project/profiles.yml) builds the marts in
a shared PostgreSQL instead. Before such a build, each source table (schemas raw,
directory, sitecheck, ops) is replaced there whole, in one transaction, by COPY.

DuckDB's own postgres extension would do this in one statement, but it is downloaded at
first use; this module needs only psycopg2. Connection settings are the profile's
environment variables (TMT_PG_HOST, TMT_PG_PORT, TMT_PG_USER, TMT_PG_PASSWORD, TMT_PG_DBNAME).
"""
from __future__ import annotations

import io
import json
import os
from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import duckdb

from flows.errors import TmtError

SOURCE_SCHEMAS = ("raw", "directory", "sitecheck", "ops")
ENV = ("TMT_PG_HOST", "TMT_PG_PORT", "TMT_PG_USER", "TMT_PG_PASSWORD", "TMT_PG_DBNAME")
BATCH_ROWS = 20_000

# DuckDB type (as information_schema names it) → PostgreSQL type. Anything else fails by
# name rather than arriving as text that a model would then compare wrongly.
SCALAR_TYPES = {
    "VARCHAR": "text", "BOOLEAN": "boolean", "TINYINT": "smallint", "SMALLINT": "smallint",
    "INTEGER": "integer", "BIGINT": "bigint", "HUGEINT": "numeric", "UBIGINT": "numeric",
    "UINTEGER": "bigint", "USMALLINT": "integer", "UTINYINT": "smallint", "FLOAT": "real",
    "DOUBLE": "double precision", "DATE": "date", "TIME": "time", "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz", "INTERVAL": "interval", "UUID": "uuid",
    "BLOB": "bytea", "JSON": "jsonb",
}


def connection_settings() -> dict[str, str]:
    """The profile's variables; a missing one stops here with its name (no defaults)."""
    missing = [name for name in ENV if not os.environ.get(name)]
    if missing:
        raise TmtError(f"shared warehouse: set {', '.join(missing)}")
    return {"host": os.environ["TMT_PG_HOST"], "port": os.environ["TMT_PG_PORT"],
            "user": os.environ["TMT_PG_USER"], "password": os.environ["TMT_PG_PASSWORD"],
            "dbname": os.environ["TMT_PG_DBNAME"]}


def postgres_type(duckdb_type: str) -> str:
    if duckdb_type.endswith("[]"):
        return postgres_type(duckdb_type[:-2]) + "[]"
    if duckdb_type.startswith("DECIMAL"):
        return duckdb_type.replace("DECIMAL", "numeric")
    if duckdb_type.startswith(("STRUCT", "MAP")):
        return "jsonb"
    try:
        return SCALAR_TYPES[duckdb_type]
    except KeyError:
        raise TmtError(f"shared warehouse: no PostgreSQL type for DuckDB's {duckdb_type}") from None


def _array_literal(values: Iterable) -> str:
    items = []
    for value in values:
        if value is None:
            items.append("NULL")
        else:
            text = _text(value)
            items.append('"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return "{" + ",".join(items) + "}"


def _text(value) -> str:
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime | date | time):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return _array_literal(value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, bytes | bytearray):
        return "\\x" + bytes(value).hex()
    return str(value)


def copy_field(value) -> str:
    """One value in COPY's text format: \\N for null, backslash escapes for the rest."""
    if value is None:
        return "\\N"
    return (_text(value).replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r"))


def source_tables(work_db: Path) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(schema, table, [(column, DuckDB type)]) of every base table in the source schemas."""
    with duckdb.connect(str(work_db), read_only=True) as con:
        rows = con.execute(
            "select table_schema, table_name, column_name, data_type "
            "from information_schema.columns join information_schema.tables "
            "using (table_catalog, table_schema, table_name) "
            "where table_type = 'BASE TABLE' and table_schema in "
            f"({', '.join('?' for _ in SOURCE_SCHEMAS)}) "
            "order by table_schema, table_name, ordinal_position", list(SOURCE_SCHEMAS)).fetchall()
    tables: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for schema, table, column, data_type in rows:
        tables.setdefault((schema, table), []).append((column, data_type))
    return [(schema, table, columns) for (schema, table), columns in tables.items()]


def copy_sources(work_db: Path, dsn: dict[str, str] | None = None) -> dict[str, int]:
    """Replace every source table in PostgreSQL with the DuckDB file's; rows per table."""
    import psycopg2
    from psycopg2 import sql

    dsn = dsn or connection_settings()
    if not work_db.is_file():
        raise TmtError(f"shared warehouse: {work_db} not found: ingest or import something first")
    tables = source_tables(work_db)
    copied: dict[str, int] = {}
    try:
        connection = psycopg2.connect(**dsn)
    except psycopg2.OperationalError as exc:
        raise TmtError(f"shared warehouse: cannot connect to {dsn['host']}:{dsn['port']}: "
                       f"{' '.join(str(exc).split())[:200]}") from None
    try:
        # One transaction: a failed copy leaves the previous sources, never half of them.
        with connection, connection.cursor() as cursor, \
                duckdb.connect(str(work_db), read_only=True) as source:
            for schema in sorted({schema for schema, _, _ in tables}):
                cursor.execute(sql.SQL("create schema if not exists {}").format(
                    sql.Identifier(schema)))
            for schema, table, columns in tables:
                target = sql.Identifier(schema, table)
                cursor.execute(sql.SQL("drop table if exists {} cascade").format(target))
                cursor.execute(sql.SQL("create table {} ({})").format(target, sql.SQL(", ").join(
                    sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(postgres_type(kind)))
                    for name, kind in columns)))
                result = source.execute(
                    f'select * from "{schema}"."{table}"')  # names come from the catalog
                rows = 0
                while batch := result.fetchmany(BATCH_ROWS):
                    buffer = io.StringIO()
                    for row in batch:
                        buffer.write("\t".join(copy_field(value) for value in row) + "\n")
                    buffer.seek(0)
                    cursor.copy_expert(sql.SQL("copy {} from stdin").format(target), buffer)
                    rows += len(batch)
                copied[f"{schema}.{table}"] = rows
    finally:
        connection.close()
    return copied


def build_shared(settings) -> list[str]:
    """Copy the sources, then `dbt build --target postgres` there (models and tests).

    Great Expectations and the publication stay on DuckDB: the serving file, Superset and
    the data checks read DuckDB; the shared warehouse is for building the marts where
    several machines and people can query them.
    """
    from flows.warehouse.dbt import run_dbt

    copied = copy_sources(settings.work_db)
    summary = [f"copied {table}: {rows} rows" for table, rows in copied.items()]
    return summary + run_dbt(settings, "build", "--target", "postgres")
