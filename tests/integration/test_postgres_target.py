"""The shared-warehouse target: the marts built in a real PostgreSQL equal DuckDB's.

A PostgreSQL server (the machine's binaries, /usr/lib/postgresql/*/bin) is started in a
temporary directory, listening on 127.0.0.1 only. The bundled samples are loaded and built
in DuckDB, the sources copied across (flows/warehouse/shared_target.py), `dbt build
--target postgres` runs there (models, seeds, data and unit tests), and every mart is
compared row for row.
"""
from __future__ import annotations

import glob
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from flows import build_warehouse as steps
from flows.errors import TmtError
from flows.settings import get_settings
from flows.sitecheck import steps as sitecheck
from flows.warehouse import shared_target
from flows.warehouse.dbt import run_dbt
from flows.warehouse.state import import_state
from tests.dbt.test_dbt_context import load_bundled_context
from tests.flows.test_build_warehouse import load_sample
from tests.support.samples import load_sample_directory

pytestmark = pytest.mark.postgres


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda path: int(Path(path).parts[-3]))
    if not found:
        raise RuntimeError("PostgreSQL server binaries not found under /usr/lib/postgresql: "
                           "`make test` installs Debian's postgresql package")
    return Path(found[-1]).parent


def as_server_user(command: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root: run them as `nobody` then."""
    return ["runuser", "-u", "nobody", "--", *command] if os.geteuid() == 0 else command


@pytest.fixture(scope="module")
def postgres():
    binaries = postgres_bin()
    # Under /tmp itself, not pytest's root-only tmp dir: the server user must reach it.
    base = Path(tempfile.mkdtemp(prefix="tmt-postgres-"))
    password = secrets.token_urlsafe(16)
    (base / "pwfile").write_text(password + "\n")
    if os.geteuid() == 0:
        shutil.chown(base, "nobody")
        shutil.chown(base / "pwfile", "nobody")
    port = free_port()
    data = base / "data"
    # C collation: strings sort byte by byte, as DuckDB sorts them (see deploy/production.md).
    subprocess.run(as_server_user([
        str(binaries / "initdb"), "-D", str(data), "-U", "tmt", "--pwfile", str(base / "pwfile"),
        "--auth", "scram-sha-256", "--encoding", "UTF8", "--locale", "C.UTF-8"]),
        check=True, capture_output=True, timeout=120)
    subprocess.run(as_server_user([
        str(binaries / "pg_ctl"), "-D", str(data), "-l", str(base / "server.log"), "-w",
        "-t", "60", "-o", f"-h 127.0.0.1 -p {port} -k {base} -c fsync=off", "start"]),
        check=True, capture_output=True, timeout=120)
    dsn = {"host": "127.0.0.1", "port": str(port), "user": "tmt", "password": password,
           "dbname": "tmt"}
    try:
        import psycopg2

        admin = psycopg2.connect(**{**dsn, "dbname": "postgres"})
        admin.autocommit = True
        admin.cursor().execute("create database tmt")
        admin.cursor().execute("create database scratch")
        admin.close()
        yield dsn
    finally:
        subprocess.run(as_server_user([str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast",
                                       "stop"]), check=False, capture_output=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def built_in_both(tmp_path_factory, postgres):
    """The samples built in DuckDB, then their sources copied and built in PostgreSQL."""
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TMT_HOME", str(home))
        for name, value in zip(shared_target.ENV, postgres.values(), strict=True):
            patch.setenv(name, value)
        settings = get_settings()
        load_sample(settings)
        load_sample_directory(settings)
        load_bundled_context(settings.work_db)  # ESDC and IRCC: their marts built there too
        # The build flow's preparation steps, without Prefect's engine (not under test here).
        steps.prepare_directory_sources.fn()
        steps.prepare_site_check_sources.fn()
        # A site check without network (the sample's example.org sites are `unreachable`
        # without a lookup): the freshness marts then have a history to summarize.
        assert sitecheck.check(settings, sitecheck.plan(settings).urls, live=False).checked
        import_state(settings)
        run_dbt(settings, "build")
        started = time.monotonic()
        summary = shared_target.build_shared(settings)  # what `tmt build --shared` runs
        copied = {line.split()[1].rstrip(":"): int(line.split()[2])
                  for line in summary if line.startswith("copied ")}
        yield settings, copied, time.monotonic() - started


def rows(cursor_or_duckdb, query: str) -> list[tuple]:
    if isinstance(cursor_or_duckdb, duckdb.DuckDBPyConnection):
        fetched = cursor_or_duckdb.execute(query).fetchall()
    else:
        cursor_or_duckdb.execute(query)
        fetched = cursor_or_duckdb.fetchall()
    # Numbers compared as floats to 9 digits: DuckDB gives doubles where PostgreSQL gives
    # numeric for the same sums and seeds.
    return sorted((tuple(round(float(value), 9) if isinstance(value, float | Decimal) else value
                         for value in row) for row in fetched), key=repr)


@pytest.fixture(scope="module")
def both(built_in_both, postgres):
    import psycopg2

    settings, _, _ = built_in_both
    connection = psycopg2.connect(**postgres)
    with duckdb.connect(str(settings.work_db), read_only=True) as local:
        yield local, connection.cursor()
    connection.close()


def test_every_source_table_is_copied_whole(built_in_both, both):
    _, copied, _ = built_in_both
    _, shared = both
    assert copied["raw.lmia_rows"] > 30_000 and copied["directory.organization"] == 10
    assert copied["sitecheck.check"] > 0
    for table, count in copied.items():
        schema, name = table.split(".")
        assert rows(shared, f'select count(*) from "{schema}"."{name}"') == [(count,)], table


def test_every_mart_has_the_same_rows_in_both(both):
    local, shared = both
    marts = [name for (name,) in local.execute(
        "select table_name from information_schema.tables where table_schema = 'marts' "
        "order by table_name").fetchall()]
    assert {"fct_lmia_positions", "tmw_by_territory", "service_gap", "listing_freshness"} \
        <= set(marts)
    assert rows(shared, "select count(*) from marts.listing_freshness "
                        "where website_status = 'unreachable'") != [(0,)]
    for mart in marts:
        columns = [name for (name,) in local.execute(
            "select column_name from information_schema.columns where table_schema = 'marts' "
            "and table_name = ? order by ordinal_position", [mart]).fetchall()]
        query = f"select {', '.join(columns)} from marts.{mart}"
        assert rows(shared, query) == rows(local, query), mart


def test_positions_by_region_and_period_agree(both):
    local, shared = both
    query = ("select period_start, region_code, sum(approved_positions), sum(employers) "
             "from marts.tmw_by_territory group by period_start, region_code")
    by_region = rows(local, query)
    assert len(by_region) > 20
    assert rows(shared, query) == by_region
    totals = ("select count(*), sum(approved_positions), sum(approved_lmias), "
              "count(distinct municipality_code) from marts.fct_lmia_positions")
    assert rows(shared, totals) == rows(local, totals)


def test_jaro_winkler_on_postgres_gives_duckdbs_scores(both):
    local, shared = both
    pairs = [("saint remi", "sant remi"), ("martha", "marhta"), ("dixon", "dicksonx"),
             ("ab", "ba"), ("", ""), ("a", ""), ("sherrington", "patrice de sherrington"),
             ("riviere ouelle", "riviere du loup"), ("levis", "laval")]
    for left, right in pairs:
        expected = local.execute("select jaro_winkler_similarity(?, ?)", [left, right]).fetchall()
        shared.execute("select jaro_winkler_similarity(%s, %s)", [left, right])
        assert shared.fetchall()[0][0] == pytest.approx(expected[0][0], abs=1e-12), (left, right)


def test_the_build_there_is_timed(built_in_both):
    _, _, seconds = built_in_both
    print(f"copy + dbt build --target postgres: {seconds:.1f} s")
    assert seconds < 300


def test_list_columns_and_reserved_names_survive_the_copy(tmp_path, postgres):
    work_db = tmp_path / "work.duckdb"
    with duckdb.connect(str(work_db)) as con:
        con.execute("create schema sitecheck; create table sitecheck.check (url varchar, "
                    "change_touches varchar[], checked_at timestamp, ok boolean, "
                    "bytes bigint, note varchar)")
        con.execute("insert into sitecheck.check values ('https://a.ca/', ['hours', 'a\"b'], "
                    "timestamp '2025-01-02 03:04:05', true, 12, 'tab\there\\back'), "
                    "(null, [], null, null, null, '')")
    scratch = {**postgres, "dbname": "scratch"}  # not the database the marts were built in
    assert shared_target.copy_sources(work_db, scratch) == {"sitecheck.check": 2}
    import psycopg2

    with psycopg2.connect(**scratch) as connection, connection.cursor() as cursor:
        cursor.execute('select url, change_touches, checked_at::text, ok, bytes, note '
                       'from sitecheck."check" order by url')
        assert cursor.fetchall() == [
            ("https://a.ca/", ["hours", 'a"b'], "2025-01-02 03:04:05", True, 12, "tab\there\\back"),
            (None, [], None, None, None, ""),
        ]


def test_missing_connection_settings_are_named(monkeypatch):
    for name in shared_target.ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TMT_PG_HOST", "127.0.0.1")
    with pytest.raises(TmtError, match="TMT_PG_PORT, TMT_PG_USER, TMT_PG_PASSWORD, TMT_PG_DBNAME"):
        shared_target.connection_settings()


def test_without_a_working_database_the_error_is_one_line(tmp_path, postgres):
    with pytest.raises(TmtError, match="work.duckdb not found"):
        shared_target.copy_sources(tmp_path / "work.duckdb", postgres)
