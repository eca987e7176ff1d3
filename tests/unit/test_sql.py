"""`tmt sql` reads the serving database and nothing else: the attacks a hostile query
tried (COPY TO, ATTACH READ_WRITE then DELETE, read_text of a secret, INSTALL from a
chosen repository, a second statement) are refused on one line and change nothing."""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import duckdb
import pytest

from flows.errors import TmtError
from flows.sql import run_query


@pytest.fixture
def serving(tmt_home):
    path = tmt_home / "warehouse" / "tmt.duckdb"
    path.parent.mkdir(parents=True)
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts; create table marts.t as select 42 as answer")
    work = tmt_home / "warehouse" / "work.duckdb"
    with duckdb.connect(str(work)) as con:
        con.execute("create schema directory; create table directory.organization as "
                    "select 'Carrefour fictif' as name")
    secret = tmt_home / "secret.txt"
    secret.write_text("mot de passe: hunter2\n")
    return tmt_home, work, secret


def refused(query: str) -> str:
    with pytest.raises(TmtError) as raised:
        run_query(query)
    message = str(raised.value)
    assert "\n" not in message
    return message


def test_a_select_still_answers(serving):
    assert "42" in run_query("select answer from marts.t")
    assert "answer" in run_query("describe marts.t")


def test_nothing_is_written_attached_or_read_beside_the_serving_file(serving):
    home, work, secret = serving
    out = home / "out.csv"
    assert "read-only" in refused(f"copy (select 1) to '{out}'")
    assert "disabled" in refused(f"select * from (select 1) as t, read_text('{out}')")
    assert not out.exists()
    assert "read-only" in refused(f"attach '{work}' as w (read_write)")
    assert "one statement" in refused(f"attach '{work}' as w; delete from w.directory.organization")
    with duckdb.connect(str(work), read_only=True) as con:
        assert con.execute("select count(*) from directory.organization").fetchone() == (1,)
    for query in (f"select * from read_text('{secret}')", f"select * from '{secret}'",
                  f"select * from read_csv('{secret}')"):
        assert "hunter2" not in refused(query)
    assert "read-only" in refused("set enable_external_access = true")
    assert "read-only" in refused("pragma database_list")


def test_no_extension_is_fetched_or_loaded(serving):
    asked = []

    class Repository(BaseHTTPRequestHandler):
        def do_GET(self):
            asked.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Repository)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        refused(f"install httpfs from 'http://127.0.0.1:{server.server_port}'")
        refused("load httpfs")
        refused(f"select * from read_csv('http://127.0.0.1:{server.server_port}/x.csv')")
    finally:
        server.shutdown()
        server.server_close()
    assert asked == []
