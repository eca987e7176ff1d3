"""Load parsed LMIA files into the working DuckDB (`raw` schema), once each.

A file is identified by its sha256: loading it again adds nothing. A different file for
the same period and language supersedes the current one (the newest at the source wins);
both stay in the archive and in `raw.lmia_rows`, and dbt reads only current files.
"""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ..errors import TmtError
from ..warehouse import workdb
from .archive import ArchivedFile
from .parse import ParsedFile

SCHEMA = """
create schema if not exists raw;
create table if not exists raw.lmia_files (
    file_sha256 varchar primary key, source_url varchar, resource_id varchar,
    original_name varchar, period_year integer, period_quarter integer, period_kind varchar,
    period_start date, language varchar, file_format varchar, layout varchar,
    noc_version varchar, row_count integer, approved_positions bigint,
    source_last_modified varchar, loaded_at timestamp, superseded_by varchar
);
create table if not exists raw.lmia_rows (
    file_sha256 varchar not null, sheet varchar, source_row integer not null,
    period_year integer, period_quarter integer, period_kind varchar, period_start date,
    language varchar, province varchar, province_code varchar, program_stream varchar,
    employer_name varchar, address varchar, postal_code varchar, occupation_code varchar,
    occupation_title varchar, noc_version varchar, incorporate_status varchar,
    approved_lmias integer, approved_positions integer
);
create table if not exists raw.lmia_quarantine (
    file_sha256 varchar primary key, source_url varchar, original_name varchar,
    reason varchar, quarantined_at timestamp
);
create table if not exists raw.lmia_ignored (
    file_sha256 varchar primary key, source_url varchar, original_name varchar,
    reason varchar, ignored_at timestamp
);
create table if not exists raw.lmia_checks (
    file_sha256 varchar primary key, checked_at timestamp, warnings integer
);
"""


def connect(db_path: Path) -> duckdb.DuckDBPyConnection:
    return workdb.connect(db_path, SCHEMA)


def status_of(con: duckdb.DuckDBPyConnection, sha256: str) -> str | None:
    """'loaded', 'quarantined' or None for a file never seen."""
    if con.execute("select 1 from raw.lmia_files where file_sha256 = ?", [sha256]).fetchone():
        return "loaded"
    row = con.execute("select reason from raw.lmia_quarantine where file_sha256 = ?",
                      [sha256]).fetchone()
    if row:
        return f"quarantined: {row[0]}"
    row = con.execute("select reason from raw.lmia_ignored where file_sha256 = ?",
                      [sha256]).fetchone()
    return f"ignored: {row[0]}" if row else None


def load(con: duckdb.DuckDBPyConnection, archived: ArchivedFile, parsed: ParsedFile,
         language: str) -> None:
    """One file's rows, its file row, reconciled, and the period's current file settled, in
    the caller's transaction (flows/lmia/ingest.py commits files in groups)."""
    period = parsed.period
    table = parsed.columnar()
    con.register("incoming_rows", table)
    con.execute(
        """insert into raw.lmia_rows select ?, sheet, source_row, ?, ?, ?, ?, ?, province,
               province_code, program_stream, employer_name, address, postal_code,
               occupation_code, occupation_title, noc_version, incorporate_status,
               approved_lmias, approved_positions from incoming_rows""",
        [archived.sha256, period.year, period.quarter, period.kind, period.start, language])
    con.unregister("incoming_rows")
    # The clock now, not current_timestamp: that is the transaction's start, the same for
    # every file of a group, and the load order decides which file of a period is current.
    con.execute(
        "insert into raw.lmia_files values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?::timestamptz, null)",
        [archived.sha256, archived.source_url, archived.resource_id, archived.original_name,
         period.year, period.quarter, period.kind, period.start, language,
         archived.path.suffix.lstrip("."), parsed.layout, parsed.noc_version,
         parsed.row_count, parsed.approved_positions, archived.source_last_modified,
         datetime.now(UTC)])
    reconcile(con, archived.sha256, parsed)
    _supersede(con, period.year, period.quarter, language)


def reconcile(con: duckdb.DuckDBPyConnection, sha256: str, parsed: ParsedFile) -> None:
    """What landed in DuckDB must equal what the parser read: its rows, and its positions
    province by province."""
    by_province = con.execute(
        """select coalesce(province_code, province), sum(approved_positions), count(*)
           from raw.lmia_rows where file_sha256 = ? group by all""", [sha256]).fetchall()
    landed_rows = sum(rows for _, _, rows in by_province)
    if landed_rows != parsed.row_count:
        raise TmtError(f"{parsed.name}: {landed_rows} lignes chargées pour {parsed.row_count} "
                       f"lues / {landed_rows} rows loaded for {parsed.row_count} read")
    landed = {province: positions for province, positions, _ in by_province}
    expected = {key: value for key, value in parsed.positions_by_province.items()}
    if landed != expected:
        raise TmtError(f"{parsed.name}: postes chargés par province {landed} différents de "
                       f"ceux du fichier {expected} / loaded positions by province differ from "
                       f"the file's")


def _supersede(con, year: int, quarter: int | None, language: str) -> None:
    # The newest at the source is current: its Last-Modified, else the load order.
    con.execute(
        """with same_period as (
               select file_sha256, row_number() over (
                   order by source_last_modified desc nulls last, loaded_at desc,
                   file_sha256) as recency
               from raw.lmia_files
               where period_year = ? and period_quarter is not distinct from ? and language = ?
           ), current_file as (select file_sha256 from same_period where recency = 1)
           update raw.lmia_files set superseded_by = case
               when file_sha256 = (select file_sha256 from current_file) then null
               else (select file_sha256 from current_file) end
           where file_sha256 in (select file_sha256 from same_period)""",
        [year, quarter, language])


def record_quarantine(con, archived: ArchivedFile, reason: str) -> None:
    con.execute(
        """insert into raw.lmia_quarantine values (?, ?, ?, ?, current_timestamp)
           on conflict (file_sha256) do update set reason = excluded.reason""",
        [archived.sha256, archived.source_url, archived.original_name, reason])


def record_ignored(con, archived: ArchivedFile, reason: str) -> None:
    """A file that is not a positive list (a negative list): seen, not loaded, not an error."""
    con.execute(
        """insert into raw.lmia_ignored values (?, ?, ?, ?, current_timestamp)
           on conflict (file_sha256) do update set reason = excluded.reason""",
        [archived.sha256, archived.source_url, archived.original_name, reason])


def record_checks(con, passed: dict[str, int]) -> None:
    """These files passed the raw data checks (flows/quality/raw_lmia.py), with their
    warning counts; dbt may count them. One statement for a run's files (one commit each
    cost 5 ms, a tenth of the checks of the history)."""
    if not passed:
        return
    con.execute(
        """insert into raw.lmia_checks
           select unnest($shas), current_timestamp, unnest($warnings)
           on conflict (file_sha256) do update set checked_at = excluded.checked_at,
               warnings = excluded.warnings""",
        {"shas": list(passed), "warnings": list(passed.values())})


def withdraw(con, archived: ArchivedFile, reason: str) -> None:
    """Take a loaded file back out: it failed a critical data check.

    Its rows leave the raw tables, the file it had superseded (if any) is current again,
    and it is recorded as quarantined, so the same bytes are refused on the next run.
    """
    con.execute("begin transaction")
    try:
        period = con.execute("select period_year, period_quarter, language from raw.lmia_files "
                             "where file_sha256 = ?", [archived.sha256]).fetchall()
        con.execute("delete from raw.lmia_rows where file_sha256 = ?", [archived.sha256])
        con.execute("delete from raw.lmia_files where file_sha256 = ?", [archived.sha256])
        con.execute("delete from raw.lmia_checks where file_sha256 = ?", [archived.sha256])
        if period:
            _supersede(con, *period[0])
        record_quarantine(con, archived, reason)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
