"""Every checkpoint run's results, kept in the working database (`ops.quality_check`), one
row per expectation evaluated, passed or not: `marts.ops_quality_checks` shows the latest
of each on the operations dashboard.

Written by the checkpoint itself, before anything is published: the raw checkpoint at
ingest, the mart checkpoint between dbt build and publication (the build then rebuilds
that one mart, so that the publication carries the checks it just passed). Append-only:
a few hundred rows per build. The Data Docs ($TMT_HOME/gx) keep the failing rows.
"""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb

from expectations.checkpoint import Outcome

COLUMNS = ("checked_at", "checkpoint", "suite", "batch", "expectation", "column_name",
           "severity", "outcome", "observed", "unexpected_rows", "rows_checked", "description")

DDL = """
create schema if not exists ops;
create table if not exists ops.quality_check (
    checked_at timestamp not null, checkpoint varchar not null, suite varchar not null,
    batch varchar not null, expectation varchar not null, column_name varchar,
    severity varchar not null, outcome varchar not null, observed varchar,
    unexpected_rows bigint, rows_checked bigint, description varchar
);"""


def record_with(con: duckdb.DuckDBPyConnection, *outcomes: Outcome,
                checked_at: datetime | None = None) -> int:
    """Append the outcomes' results on an open (writable) connection; returns the rows.
    One insert for all of them: a row-by-row insert cost 45 ms per file of a history."""
    import pandas as pd

    moment = (checked_at or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    rows = [(moment, outcome.checkpoint, item.result.suite, item.batch_id,
             item.result.expectation, item.result.column, item.result.severity, item.outcome,
             item.result.observed, item.result.unexpected, item.result.rows,
             item.result.description or None)
            for outcome in outcomes for item in outcome.checked]
    con.execute(DDL)
    if rows:
        frame = pd.DataFrame(rows, columns=COLUMNS).astype(
            {"unexpected_rows": "Int64", "rows_checked": "Int64"})
        con.register("checked_rows", frame)
        try:
            con.execute(f"insert into ops.quality_check select {', '.join(COLUMNS)} "
                        "from checked_rows")
        finally:
            con.unregister("checked_rows")
    return len(rows)


def record(work_db: Path, outcome: Outcome) -> int:
    with duckdb.connect(str(work_db)) as con:
        return record_with(con, outcome)
