"""Opening the working DuckDB file ($TMT_HOME/warehouse/work.duckdb) to write into it.

DuckDB allows one writer and no reader beside it: every part opens the file, writes and
closes it soon. A file held by another process is a one-line error, or, for a part that
can wait (the site checks write between batches), a retry until `wait_s` has passed.
"""
from __future__ import annotations

import time
from pathlib import Path

import duckdb

from flows.errors import TmtError


def connect(db_path: Path, ddl: str, wait_s: float = 0.0) -> duckdb.DuckDBPyConnection:
    """Open the file for writing and create the tables `ddl` declares when missing."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait_s
    while True:
        try:
            con = duckdb.connect(str(db_path))
            break
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                raise TmtError(f"{db_path}: cannot open the working database ({exc})") from exc
            time.sleep(0.5)
    con.execute(ddl)
    return con
