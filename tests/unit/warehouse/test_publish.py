"""Publication, versions and rollback on real DuckDB files (no dbt: a small marts schema),
with a reader process opening the serving file read-only all the while."""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import textwrap
import time

import duckdb
import pytest

from flows.errors import TmtError
from flows.settings import get_settings
from flows.warehouse import versions
from flows.warehouse.publish import publish

ROWS = 300_000  # a few MB: each publication copies long enough for a reader to run into it


def build_marts(settings, generation: int) -> None:
    """What dbt leaves in the working file: marts whose every row says which build made it."""
    settings.warehouse_dir.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(settings.work_db)) as con:
        con.execute("create schema if not exists marts")
        con.execute(f"create or replace table marts.positions as select range as row_id, "
                    f"{generation} as generation from range({ROWS})")
        con.execute(f"create or replace table marts.summary as select {generation} as generation")


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def served(settings):
    return versions.publication_of(settings.serving_db)["version"]


def test_publish_keeps_versions_skips_unchanged_marts_and_prunes(tmt_home, monkeypatch):
    monkeypatch.setenv("TMT_KEEP_VERSIONS", "2")
    settings = get_settings()
    build_marts(settings, 1)
    first = publish(settings)
    assert first.changed and served(settings) == first.version
    before = sha256(settings.serving_db)

    again = publish(settings)  # same marts: no new version, not a byte changed
    assert (again.changed, again.version) == (False, first.version)
    assert sha256(settings.serving_db) == before
    assert [v.name for v in versions.list_versions(settings)] == [first.version]

    names = [first.version]
    for generation in (2, 3, 4):
        build_marts(settings, generation)
        names.insert(0, publish(settings).version)
    kept = [v.name for v in versions.list_versions(settings)]
    assert kept == names[:3]  # the served one and TMT_KEEP_VERSIONS=2 others
    with duckdb.connect(str(settings.serving_db), read_only=True) as con:
        assert con.execute("select generation from marts.summary").fetchall() == [(4,)]
        schemas = {name for (name,) in con.execute(
            "select schema_name from information_schema.schemata").fetchall()}
    assert {"marts", "meta"} <= schemas and "raw" not in schemas


def test_rollback_serves_a_kept_version_atomically(tmt_home):
    settings = get_settings()
    names = []
    for generation in (1, 2, 3):
        build_marts(settings, generation)
        names.append(publish(settings).version)

    assert versions.rollback(settings) == (names[2], names[1])
    assert sha256(settings.serving_db) == sha256(settings.versions_dir / f"{names[1]}.duckdb")
    assert versions.rollback(settings) == (names[1], names[0])
    with pytest.raises(TmtError, match="nothing to roll back to"):
        versions.rollback(settings)
    assert versions.rollback(settings, to=names[2]) == (names[0], names[2])
    with pytest.raises(TmtError, match="no version 20000101T000000Z .*kept: "):
        versions.rollback(settings, to="20000101T000000Z")
    listing = versions.listing(settings).splitlines()
    assert listing[0].startswith(f"* {names[2]}") and listing[2].startswith(f"  {names[0]}")


def test_a_serving_file_from_before_versions_is_kept_for_rollback(tmt_home):
    settings = get_settings()
    settings.warehouse_dir.mkdir(parents=True)
    with duckdb.connect(str(settings.serving_db)) as con:
        con.execute("create schema marts; create table marts.summary as select 0 as generation")
    old = sha256(settings.serving_db)
    build_marts(settings, 1)
    new = publish(settings).version
    kept = [v for v in versions.list_versions(settings) if v.name != new]
    assert len(kept) == 1 and sha256(kept[0].path) == old
    assert versions.rollback(settings) == (new, kept[0].name)
    assert sha256(settings.serving_db) == old
    assert "(the served tmt.duckdb is none of these)" in versions.listing(settings)


READER = textwrap.dedent("""
    import json, pathlib, sys
    import duckdb
    serving, stop, ready = (pathlib.Path(arg) for arg in sys.argv[1:4])
    opens, errors, seen = 0, [], set()
    while not stop.exists():
        try:
            with duckdb.connect(str(serving), read_only=True) as con:
                version = con.execute("select version from meta.publication").fetchall()[0][0]
                rows, builds, total = con.execute(
                    "select count(*), count(distinct generation), max(generation) "
                    "from marts.positions").fetchall()[0]
                summary = con.execute("select generation from marts.summary").fetchall()[0][0]
            if (rows, builds) != ({rows}, 1) or summary != total:
                errors.append(f"half-built: {{version}} {{rows}} rows, {{builds}} builds")
            seen.add(version)
            opens += 1
            ready.touch()
        except Exception as exc:
            errors.append(f"{{type(exc).__name__}}: {{exc}}")
    print(json.dumps({{"opens": opens, "errors": errors[:5], "seen": sorted(seen)}}))
""").format(rows=ROWS)


def test_readers_never_see_a_half_built_database_during_publications(tmt_home, tmp_path):
    settings = get_settings()
    build_marts(settings, 0)
    published = [publish(settings).version]
    stop, ready = tmp_path / "stop", tmp_path / "ready"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(settings.serving_db), str(stop), str(ready)],
        stdout=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not ready.exists() and reader.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        for generation in range(1, 9):
            build_marts(settings, generation)
            published.append(publish(settings).version)
        versions.rollback(settings)  # a rollback is a publication too
    finally:
        stop.touch()
        output, _ = reader.communicate(timeout=60)
    result = json.loads(output)
    assert result["errors"] == []
    assert result["opens"] > 10 and len(result["seen"]) >= 2, result
    assert set(result["seen"]) <= set(published)


def build_period_marts(settings, generation: int) -> None:
    """Two period marts and one without periods, every row saying which build made it."""
    settings.warehouse_dir.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(settings.work_db)) as con:
        con.execute("create schema if not exists marts")
        for table in ("positions", "territory"):
            con.execute(f"""create or replace table marts.{table} as
                select kind as period_kind, start::date as period_start, {generation} as generation
                from (values ('quarter', '2020-01-01'), ('quarter', '2020-04-01'),
                             ('annual', '2020-01-01')) as periods(kind, start)""")
        con.execute(f"create or replace table marts.summary as select {generation} as generation")


def published_generations(settings):
    with duckdb.connect(str(settings.serving_db), read_only=True) as con:
        return {table: con.execute(f"select period_kind, period_start::varchar, generation "
                                   f"from marts.{table} order by all").fetchall()
                for table in ("positions", "territory")}, con.execute(
            "select generation from marts.summary").fetchone()[0], con.execute(
            "select period_kind, period_start::varchar, kept_from_version "
            "from meta.withheld_periods").fetchall()


def test_a_withheld_period_keeps_its_last_good_publication_or_is_absent(tmt_home):
    settings = get_settings()
    build_period_marts(settings, 1)
    withheld = (("quarter", "2020-04-01"),)
    publish(settings, withheld)  # nothing served yet: the period is absent
    marts, summary, listed = published_generations(settings)
    assert marts["positions"] == marts["territory"] == [
        ("annual", "2020-01-01", 1), ("quarter", "2020-01-01", 1)]
    assert (summary, listed) == (1, [("quarter", "2020-04-01", None)])

    publish(settings)  # a good build of the same data: the period is there
    good = served(settings)
    build_period_marts(settings, 2)
    publication = publish(settings, withheld)
    assert publication.changed
    marts, summary, listed = published_generations(settings)
    assert marts["positions"] == marts["territory"] == [
        ("annual", "2020-01-01", 2), ("quarter", "2020-01-01", 2), ("quarter", "2020-04-01", 1)]
    assert (summary, listed) == (2, [("quarter", "2020-04-01", good)])
    before = sha256(settings.serving_db)
    again = publish(settings, withheld)  # the same verdict on the same build: nothing new
    assert not again.changed and sha256(settings.serving_db) == before
