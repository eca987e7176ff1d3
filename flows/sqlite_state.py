"""The platform's small SQLite files under $TMT_HOME/state: the outbox, confirmations,
update tasks and the run journal. Not DuckDB: web requests, hooks and reminders write them
at any time, from several processes, and DuckDB allows one writer per file.

Every one opens the same way: autocommit (callers say `begin immediate` when they write
several rows), rows by name, WAL so that readers never block a writer, a 30 s wait on a
busy file, and its schema created when missing.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path


def connect(path: Path, schema: str) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(str(path), timeout=30, isolation_level=None)
    con.row_factory = sqlite3.Row
    con.execute("pragma journal_mode = wal")
    con.executescript(schema)
    return con


def read(opener: Callable[[Path], sqlite3.Connection], path: Path, query: str,
         parameters: tuple = ()) -> list[dict]:
    """A query's rows as dicts, through the file's own `connect`; none when the file does
    not exist yet (a read creates nothing)."""
    if not path.exists():
        return []
    con = opener(path)
    try:
        return [dict(row) for row in con.execute(query, parameters)]
    finally:
        con.close()
