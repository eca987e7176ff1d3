"""The local Prefect server (`make prefect`, deploy/prefect-server.sh), its SQLite writes queued.

Prefect's server opens its SQLite write transactions as DEFERRED: a request reads first,
then writes. When the server's own services (the task-run recorder, the event persister)
commit in between, SQLite cannot upgrade the stale read to a write and fails at once,
without waiting (SQLITE_BUSY, "database is locked"); the server answers 503 and the
client retries two seconds later. In `tmt run` this hit the start of two subflows in
three (`create_task_run` for the subflow's parent task): 2.2 s each, 4.5 s a run.

Here every write transaction begins IMMEDIATE, as Prefect's own comment in
prefect/server/database/configurations.py advises: it takes the write lock first, so a
second writer waits its busy timeout (60 s in Prefect) instead of failing. Writers queue
for milliseconds; readers, in WAL mode, never wait. Only the SQLite configuration changes;
a server on PostgreSQL (deploy/production.md) is untouched. If a Prefect upgrade renames
what this replaces, the server starts as Prefect ships it and says so on stderr.

Usage: python -m flows.ops.prefect_server --host 127.0.0.1 --port 4200
"""
from __future__ import annotations

import sys
from contextlib import asynccontextmanager


def queue_sqlite_writers() -> bool:
    """Make the SQLite configuration's write transactions IMMEDIATE. False when this
    Prefect has no such hook (then nothing is changed)."""
    from prefect.server.database import configurations

    mode = getattr(configurations, "SQLITE_BEGIN_MODE", None)
    config = getattr(configurations, "AioSqliteConfiguration", None)
    if mode is None or config is None or not hasattr(config, "begin_transaction"):
        return False

    @asynccontextmanager
    async def begin_transaction(self, session, with_for_update: bool = False):
        token = mode.set("IMMEDIATE")
        try:
            async with session.begin() as transaction:
                yield transaction
        finally:
            mode.reset(token)

    config.begin_transaction = begin_transaction
    return True


def main(argv: list[str] | None = None) -> int:
    if not queue_sqlite_writers():
        print("prefect_server: this Prefect has no SQLite transaction hook; starting it "
              "unchanged (503 retries possible under load)", file=sys.stderr)
    from prefect.cli import app

    # One process: `prefect server start` in the foreground runs the API and its services
    # here, with the change above (no --workers: several would each need it).
    sys.argv = ["prefect", "server", "start", *(sys.argv[1:] if argv is None else argv)]
    result = app()
    return result if isinstance(result, int) else 0


if __name__ == "__main__":
    sys.exit(main())
