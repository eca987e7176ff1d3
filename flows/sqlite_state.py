"""The platform's small SQLite files under $TMT_HOME/state: the outbox, confirmations,
update tasks and the run journal. Not DuckDB: web requests, hooks and reminders write them
at any time, from several processes, and DuckDB allows one writer per file.

Every one opens the same way: autocommit (`transaction` when a write is several
statements), rows by name, WAL so that readers never block a writer, a 30 s wait on a busy
file, and its schema created when missing.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


def connect(path: Path, schema: str) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(str(path), timeout=30, isolation_level=None)
    con.row_factory = sqlite3.Row
    con.execute("pragma journal_mode = wal")
    con.executescript(schema)
    return con


@contextmanager
def transaction(opener: Callable[[Path], sqlite3.Connection],
                path: Path) -> Iterator[sqlite3.Connection]:
    """One write, all or nothing, through the file's own `connect`: `begin immediate` (a
    second writer waits for this one), commit at the end of the block, rollback on an
    error; the file is closed either way."""
    con = opener(path)
    try:
        con.execute("begin immediate")
        yield con
        if con.in_transaction:
            con.execute("commit")
    except BaseException:
        if con.in_transaction:
            con.execute("rollback")
        raise
    finally:
        con.close()


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
