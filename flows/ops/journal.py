"""The run journal: one row per flow run (what ran, when, how it ended, what it found),
kept in SQLite ($TMT_HOME/state/runs.sqlite) and copied into the warehouse by each build
(`ops.flow_run`), where the operations dashboard shows the latest runs.

Not DuckDB: a run that fails before or during the build must still be recorded, and the
working database has one writer. Not Prefect's database either: the temporary server that
`tmt run` starts is gone when the command ends.

A run is recorded when it starts and again when it ends (same `run_id`: the Prefect flow
run id), so a run killed with `kill -9` stays visible as `running` with no end.
"""
from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from flows import sqlite_state

STATES = ("running", "completed", "failed", "crashed", "cancelled")

SCHEMA = """
create table if not exists flow_run (
    run_id text primary key,
    flow text not null,
    parent_run_id text,
    started_at text not null,
    ended_at text,
    state text not null,
    summary text not null default '{}',
    message text,
    data_docs_url text
);
"""
COLUMNS = ["run_id", "flow", "parent_run_id", "started_at", "ended_at", "state", "summary",
           "message", "data_docs_url"]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def connect(path: Path) -> sqlite3.Connection:
    return sqlite_state.connect(path, SCHEMA)


def started(path: Path, run_id: str, flow: str, parent_run_id: str | None = None) -> None:
    """Record a run as running (again with the same id: nothing changes)."""
    con = connect(path)
    try:
        con.execute("insert into flow_run (run_id, flow, parent_run_id, started_at, state) "
                    "values (?, ?, ?, ?, 'running') on conflict do nothing",
                    (run_id, flow, parent_run_id, _now()))
    finally:
        con.close()


def ended(path: Path, run_id: str, flow: str, state: str, summary: dict | None = None,
          message: str | None = None, data_docs_url: str | None = None) -> None:
    """Record how a run ended, with its summary (counts a maintainer reads)."""
    if state not in STATES:
        raise ValueError(f"run state {state!r} is not one of {', '.join(STATES)}")
    now = _now()
    con = connect(path)
    try:
        con.execute(
            """insert into flow_run (run_id, flow, started_at, ended_at, state, summary,
                                     message, data_docs_url)
               values (?, ?, ?, ?, ?, ?, ?, ?)
               on conflict (run_id) do update set ended_at = excluded.ended_at,
                   state = excluded.state, summary = excluded.summary,
                   message = excluded.message,
                   data_docs_url = coalesce(excluded.data_docs_url, flow_run.data_docs_url)""",
            (run_id, flow, now, now, state,
             json.dumps(summary or {}, ensure_ascii=False, sort_keys=True, default=str),
             message, data_docs_url))
    finally:
        con.close()


def all_runs(path: Path) -> list[dict]:
    return sqlite_state.read(connect, path, "select * from flow_run order by started_at")


def note(path: Path, run_id: str, summary: dict, data_docs_url: str | None = None) -> None:
    """Keep a running flow's summary as soon as it is known: a run killed afterwards still
    says what it had done, and `ended` is given it back by the end hook."""
    con = connect(path)
    try:
        con.execute("update flow_run set summary = ?, data_docs_url = coalesce(?, data_docs_url) "
                    "where run_id = ?",
                    (json.dumps(summary, ensure_ascii=False, sort_keys=True, default=str),
                     data_docs_url, run_id))
    finally:
        con.close()


def _decoded(row: dict) -> dict:
    return {**dict(row), "summary": json.loads(row["summary"] or "{}")}


def get(path: Path, run_id: str) -> dict | None:
    found = sqlite_state.read(connect, path, "select * from flow_run where run_id = ?",
                              (run_id,))
    return _decoded(found[0]) if found else None


def descendants(path: Path, run_id: str) -> list[dict]:
    """Sub-flow runs of a run, at any depth, in the order they started."""
    rows = sqlite_state.read(
            connect, path, """with recursive tree (run_id) as (
                   select run_id from flow_run where parent_run_id = ?
                   union all
                   select flow_run.run_id from flow_run join tree
                       on flow_run.parent_run_id = tree.run_id)
               select flow_run.* from flow_run join tree using (run_id)
               order by started_at, rowid""", (run_id,))
    return [_decoded(row) for row in rows]
