"""The local Prefect server's SQLite writes queue instead of failing (flows/ops/prefect_server).

The scene is the one that cost `tmt run` two 2-second retries: a request's transaction reads,
another writer (the server's task-run recorder) commits, then the request writes. Both tests
run it through Prefect's own SQLite configuration (its engine, pragmas and transactions) on a
real database file.
"""
from __future__ import annotations

import asyncio
import sqlite3

import pytest
from prefect.server.database.configurations import AioSqliteConfiguration
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from flows.ops.prefect_server import queue_sqlite_writers


def request_meets_a_concurrent_writer(path) -> str:
    """Read, let another connection write, then write: what the other writer and the request
    got."""
    other = sqlite3.connect(path, timeout=0.2, isolation_level=None)

    async def request() -> str:
        config = AioSqliteConfiguration(connection_url=f"sqlite+aiosqlite:///{path}")
        engine = await config.engine()
        try:
            session = await config.session(engine)
            async with session, config.begin_transaction(session):
                await session.execute(text("select count(*) from task_run"))
                try:
                    other.execute("insert into task_run values ('recorder')")
                    said = "other writer committed"
                except sqlite3.OperationalError:
                    said = "other writer made to wait"
                try:
                    await session.execute(text("insert into task_run values ('request')"))
                except OperationalError as exc:
                    return f"{said}; request failed: {exc.orig}"
            return f"{said}; request written"
        finally:
            await engine.dispose()

    try:
        return asyncio.run(request())
    finally:
        other.close()


@pytest.fixture
def database(tmp_path, monkeypatch):
    path = tmp_path / "prefect.db"
    with sqlite3.connect(path) as con:
        con.execute("pragma journal_mode = wal")
        con.execute("create table task_run (name text)")
    # whatever the test changes in Prefect's class is put back afterwards
    monkeypatch.setattr(AioSqliteConfiguration, "begin_transaction",
                        AioSqliteConfiguration.begin_transaction)
    return path


def test_as_prefect_ships_it_the_request_fails_at_once(database):
    # The failure the server turns into a 503: no busy timeout helps a stale read.
    assert request_meets_a_concurrent_writer(database) == (
        "other writer committed; request failed: database is locked")


def test_our_server_queues_the_other_writer_and_the_request_is_written(database):
    assert queue_sqlite_writers()
    assert request_meets_a_concurrent_writer(database) == (
        "other writer made to wait; request written")
    with sqlite3.connect(database) as con:
        assert con.execute("select name from task_run").fetchall() == [("request",)]
