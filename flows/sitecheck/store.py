"""The check history and state in the working DuckDB, schema `sitecheck`.

`check` is append-only: one row per URL per run, never updated or deleted (the marts
derive last ok, last change and how long a site has been broken from it). `page` holds
the last good version of each page (normalized text, validators) for conditional
requests and diffs; `robots` keeps robots.txt for 24 hours; `notice` remembers what was
reported about a broken site and when; `guide_source` is the guide's YAML as a table.
They are dbt sources (dbt_project/models/staging/sitecheck).

The working file has one writer at a time: the check opens it for each batch of results
and closes it again, waiting (up to a minute) when another step holds it.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd

from flows.warehouse import workdb

from .content import Diff, diff
from .engine import Known, Result
from .robots import Robots
from .schema import SCHEMA


def connect(db_path: Path, wait_s: float = 60.0) -> duckdb.DuckDBPyConnection:
    return workdb.connect(db_path, SCHEMA, wait_s)


def ensure_schema(db_path: Path) -> None:
    connect(db_path).close()


def known_pages(con) -> dict[str, Known]:
    return {url: Known(fingerprint, final_url, etag, modified) for url, fingerprint, final_url,
            etag, modified in con.execute("select url, fingerprint, final_url, etag, "
                                          "last_modified from sitecheck.page").fetchall()}


def known_robots(con, since: datetime) -> dict[str, Robots]:
    return {origin: Robots(origin, code, body or "", fetched)
            for origin, fetched, code, body in con.execute(
                "select origin, fetched_at, http_status, body from sitecheck.robots "
                "where fetched_at >= ?", [since]).fetchall()}


def save_robots(con, fetched: list[Robots]) -> None:
    _insert(con, "insert or replace into sitecheck.robots by name select * from incoming",
            pd.DataFrame.from_records(
                [(r.origin, r.fetched_at, r.http_status, r.body) for r in fetched],
                columns=["origin", "fetched_at", "http_status", "body"]))


CHECK_COLUMNS = ["run_id", "url", "checked_at", "status", "http_status", "final_url",
                 "redirect_chain", "fingerprint", "content_changed", "lines_added",
                 "lines_removed", "change_touches", "diff_summary", "bytes", "elapsed_ms", "error"]
PAGE_COLUMNS = ["url", "final_url", "fingerprint", "text", "etag", "last_modified", "updated_at"]


def write_results(con, run_id: str, results: list[Result]) -> None:
    """Append the checks, with a diff against the stored page where it changed, and keep
    the new version of each page. One insert per table (row-by-row inserts cost ~1 ms each)."""
    changed = [r.url for r in results if r.content_changed]
    before = dict(con.execute("select url, text from sitecheck.page where list_contains(?, url)",
                              [changed]).fetchall()) if changed else {}
    rows, pages = [], []
    for r in results:
        change = None
        if r.content_changed:
            change = diff((before.get(r.url) or "").splitlines(), r.lines) \
                if r.lines is not None else Diff(summary="the file changed (not a text page)")
        rows.append((run_id, r.url, r.checked_at, r.status, r.http_status, r.final_url, r.chain,
                     r.fingerprint, r.content_changed, change and change.added,
                     change and change.removed, change.touches if change else None,
                     change and change.summary, r.bytes, r.elapsed_ms, r.error))
        if r.fingerprint:
            pages.append((r.url, r.final_url, r.fingerprint,
                          "\n".join(r.lines) if r.lines is not None else None,
                          r.etag, r.last_modified, r.checked_at))
    con.execute("begin transaction")
    try:
        _insert(con, "insert into sitecheck.check by name select * from incoming",
                pd.DataFrame.from_records(rows, columns=CHECK_COLUMNS))
        # the text stays as it was when only the validators are new (304, same content)
        _insert(con, """insert into sitecheck.page by name select * from incoming
            on conflict (url) do update set final_url = excluded.final_url,
                fingerprint = excluded.fingerprint, text = coalesce(excluded.text, text),
                etag = excluded.etag, last_modified = excluded.last_modified,
                updated_at = excluded.updated_at""",
                pd.DataFrame.from_records(pages, columns=PAGE_COLUMNS))
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def _insert(con, statement: str, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    con.register("incoming", frame)
    try:
        con.execute(statement)
    finally:
        con.unregister("incoming")


class Writer:
    """Collects results and writes a batch once more than `batch` are waiting, opening the
    file each time (opening costs ~20 ms, so not too often); the last flush writes the
    rest with the robots.txt files and the run's row, in one opening."""

    def __init__(self, db_path: Path, run_id: str, batch: int = 500):
        self.db_path, self.run_id, self.batch = db_path, run_id, batch
        self.pending: list[Result] = []
        self.written = 0

    def add(self, result: Result) -> None:
        self.pending.append(result)
        if len(self.pending) > self.batch:  # the last ones wait for the last flush
            self.flush()

    def flush(self, robots: list[Robots] | None = None, run: list | None = None) -> None:
        if not self.pending and not robots and not run:
            return
        with connect(self.db_path) as con:
            write_results(con, self.run_id, self.pending)
            save_robots(con, robots or [])
            if run:
                con.execute("insert into sitecheck.run values (?, ?, ?, ?, ?, ?, ?)", run)
        self.written += len(self.pending)
        self.pending = []
