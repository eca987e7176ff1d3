"""`build_warehouse`: real dbt build on a real DuckDB file, then an atomic publication."""
from __future__ import annotations

import hashlib

import duckdb
import pytest

from flows.build_warehouse import build_warehouse
from flows.errors import TmtError
from flows.lmia import ingest
from flows.lmia.sources import Candidate
from flows.notify import outbox
from flows.quality import raw_lmia
from flows.settings import bundled_lmia_sample, get_settings

# The contract in SPEC.md: what analysts, dashboards and checks query.
FCT_COLUMNS = [
    "period_year", "period_quarter", "period_start", "province", "program_stream",
    "employer_name", "address", "postal_code", "municipality_code", "municipality_name",
    "mrc_code", "mrc_name", "region_code", "region_name", "latitude", "longitude",
    "geo_precision", "noc_version", "noc_code", "noc_title_fr", "noc_title_en", "skill_level",
    "teer", "broad_category", "approved_lmias", "approved_positions", "source_file",
]
MARTS = {"fct_lmia_positions", "tmw_by_territory", "tmw_map_points"}


def load_sample(settings, names=None):
    paths = [path for path in sorted(bundled_lmia_sample().iterdir())
             if path.suffix in (".csv", ".xlsx") and (names is None or path.name in names)]
    reports = ingest.load_batch([ingest.fetch(Candidate(str(path), path.name, False), settings)
                                 for path in paths], settings)
    # The raw checkpoint, as the ingest flow runs it: the marts refuse unchecked files.
    for report in raw_lmia.check_loaded_files(settings, reports):
        assert report.status == "loaded", report.reason


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def built(sample_home, tmp_path_factory):
    """The bundled sample ingested and built (the session's, copied) for this module."""
    from tests.support.sample_home import copy_home

    home = copy_home(sample_home, tmp_path_factory.mktemp("home"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TMT_HOME", str(home))
        yield get_settings()


def test_marts_follow_the_contract_and_reconcile_with_raw(built):
    with duckdb.connect(str(built.serving_db), read_only=True) as con:
        tables = {name for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        ).fetchall()}
        assert MARTS <= tables
        columns = [name for (name,) in con.execute(
            "select column_name from information_schema.columns where table_schema = 'marts' "
            "and table_name = 'fct_lmia_positions' order by ordinal_position").fetchall()]
        assert set(FCT_COLUMNS) <= set(columns)
        mart_positions = con.execute(
            "select sum(approved_positions) from marts.fct_lmia_positions").fetchone()[0]
        quebec = con.execute(
            """select sum(approved_positions) filter (where geo_precision in
                      ('postal_code', 'municipality')) / sum(approved_positions)
               from marts.fct_lmia_positions where province_code = 'QC'""").fetchone()[0]
        assert "raw" not in {s for (s,) in con.execute(
            "select schema_name from information_schema.schemata").fetchall()}
    with duckdb.connect(str(built.work_db), read_only=True) as con:
        raw_positions = con.execute("select sum(approved_positions) from raw.lmia_rows").fetchone()[0]
    assert mart_positions == raw_positions == 12731 + 26302 + 40959 + 51328
    assert quebec >= 0.99


def test_the_publication_shows_the_checks_it_passed(built):
    """Both checkpoints' results reach the served ops_quality_checks: the raw one per file
    (ingest) and the mart one of this very build (rebuilt after the checkpoint)."""
    with duckdb.connect(str(built.serving_db), read_only=True) as con:
        counts = dict(con.execute("select checkpoint, count(distinct batch) "
                                  "from marts.ops_quality_checks group by all").fetchall())
        outcomes = {outcome for (outcome,) in con.execute(
            "select distinct outcome from marts.ops_quality_checks").fetchall()}
    with duckdb.connect(str(built.work_db), read_only=True) as con:
        last_mart_check = con.execute("select max(checked_at) from ops.quality_check "
                                      "where checkpoint = 'marts'").fetchone()[0]
    with duckdb.connect(str(built.serving_db), read_only=True) as con:
        assert con.execute("select max(checked_at) from marts.ops_quality_checks where "
                           "checkpoint = 'marts'").fetchone()[0] == last_mart_check
    assert counts == {"raw_lmia": 4, "marts": 5}  # 3 LMIA frames, 2 directory frames
    assert outcomes <= {"passed", "warning"}


def test_the_publication_shows_this_build_completed_not_running(built):
    """The journal is copied while the build runs; the served run journal still shows the
    build that published it as completed (it was `running` forever, issue 17)."""
    with duckdb.connect(str(built.serving_db), read_only=True) as con:
        state, ended_at = con.execute("select state, ended_at from marts.ops_latest_runs "
                                      "where flow_name = 'build_warehouse'").fetchone()
    assert state == "completed" and ended_at is not None


def test_failed_build_keeps_the_last_good_serving_database(built, monkeypatch):
    monkeypatch.setenv("TMT_HOME", str(built.home))
    before = sha256(built.serving_db)
    with duckdb.connect(str(built.work_db)) as con:  # a duplicated source row: a key test fails
        con.execute("insert into raw.lmia_rows select * from raw.lmia_rows limit 1")
    try:
        with pytest.raises(TmtError, match="dbt build failed"):
            build_warehouse()
        assert sha256(built.serving_db) == before
        (alert,) = [m for m in outbox.pending(built.outbox_db, "alerts")
                    if m["kind"] == "dbt_build_failed"]
        assert alert["payload"]["reason"].startswith("dbt build failed: ")
        # One test checks all of the model's declared constraints; the alert says which broke.
        assert "declared_constraints_stg_lmia__rows_ (fail: unique file_sha256, sheet, " \
            "source_row: 1)" in alert["payload"]["reason"]
    finally:
        with duckdb.connect(str(built.work_db)) as con:
            con.execute("""delete from raw.lmia_rows where rowid in (
                select rowid from (select rowid, row_number() over (
                    partition by file_sha256, sheet, source_row order by rowid) as copy
                    from raw.lmia_rows) where copy > 1)""")


def test_directory_marts_and_exports_build_without_any_directory(built):
    """No directory was ever imported: the build creates its tables empty and still works."""
    with duckdb.connect(str(built.serving_db), read_only=True) as con:
        assert con.execute("select count(*) from marts.directory_organizations").fetchone() == (0,)
        assert con.execute(  # every region × every service, all missing
            "select count(*) = count(*) filter (where is_missing), count(distinct region_code) "
            "from marts.region_service_synthesis").fetchone() == (True, 17)
    assert (built.exports_dir / "hsds" / "datapackage.json").exists()
    assert len(list((built.exports_dir / "repertoire").glob("region-*.html"))) == 17


def test_seeds_load_again_only_when_they_changed(built, tmp_path):
    """The session's build loaded the seeds and recorded it: this build leaves them, and
    what it publishes is what the marts need. A changed seed file, a changed project or a
    missing seed table loads them all again."""
    import json
    import shutil

    from flows.warehouse import seeds
    from flows.warehouse.dbt import DBT_PROJECT_DIR

    assert seeds.loaded(built)
    build_warehouse()
    results = json.loads((built.home / "dbt" / "target" / "run_results.json").read_text())
    kinds = {result["unique_id"].split(".")[0] for result in results["results"]}
    assert "seed" not in kinds and {"model", "test"} <= kinds
    with duckdb.connect(str(built.serving_db), read_only=True) as con:  # labels from seeds
        assert con.execute("select count(*) from marts.fct_lmia_positions "
                           "where noc_title_fr is not null").fetchone()[0] > 0

    project = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs"))
    assert seeds.loaded(built, project)  # the same files, elsewhere
    with (project / "seeds" / "ref_noc_levels.csv").open("a", encoding="utf-8") as seed:
        seed.write("\n")
    assert not seeds.loaded(built, project)
    assert seeds.loaded(built)
    with duckdb.connect(str(built.work_db)) as con:
        con.execute("alter table reference.ref_noc_levels rename to ref_noc_levels_gone")
    try:
        assert not seeds.loaded(built)
    finally:
        with duckdb.connect(str(built.work_db)) as con:
            con.execute("alter table reference.ref_noc_levels_gone rename to ref_noc_levels")


def test_the_mart_checks_process_answers_as_the_checks_here(built, tmp_path, monkeypatch):
    """The checkpoint run in its warmed-up process gives the verdict it gives in this one,
    and its error comes back as the same one-line TmtError."""
    from flows.quality.marts import check_marts
    from flows.quality.warm_checks import WarmChecks

    checks = WarmChecks()
    checks.start()
    try:
        there = checks.run(check_marts, built)
    finally:
        checks.close()
    here = check_marts(built)
    assert there.outcome.findings == here.outcome.findings
    assert (there.withheld, there.waiting_files) == (here.withheld, here.waiting_files)
    assert len(there.outcome.checked) == len(here.outcome.checked) > 20

    monkeypatch.setenv("TMT_HOME", str(tmp_path / "empty"))
    checks = WarmChecks()
    checks.start()
    try:
        with pytest.raises(TmtError, match="cannot read the marts to check them"):
            checks.run(check_marts, get_settings())
    finally:
        checks.close()


def test_the_dbt_process_builds_what_dbt_builds_here(built, monkeypatch):
    """dbt in its warmed-up process (imported, the project parsed before the build asks)
    builds the same nodes with the same outcome as dbt in this process, and hands back the
    parse it made instead of parsing again."""
    from flows.warehouse import warm_dbt
    from flows.warehouse.dbt import parse_project, run_production_build

    monkeypatch.setenv("TMT_HOME", str(built.home))
    warm = warm_dbt.WarmDbt()
    warm.start()
    try:
        there = warm.build()
    finally:
        warm.close()
    here = run_production_build(built)
    assert sorted(there) == sorted(here)
    assert len(here) > 100 and not [line for line in here if line.endswith((" error", " fail"))]

    manifest = parse_project(built)
    assert manifest is not None and any(name.startswith("model.") for name in manifest.nodes)
    # with the manifest handed over, the build's own log has no parse of its own
    log = built.home / "dbt" / "logs" / "dbt.log"
    before = log.read_text(encoding="utf-8")
    assert sorted(run_production_build(built, manifest=manifest)) == sorted(here)
    assert "partial pars" not in log.read_text(encoding="utf-8")[len(before):].lower()


# Issue 14: Quebec addresses as the 2014-2025 lists write them, and where each must land.
ADDRESS_SHAPES = [
    ("QUÉBEC, G1K8L4", "Québec"),                      # upper case, no province, unspaced
    ("Québec, G1R3T3", "Québec"),
    ("St-Lazare,QC, J7T2B8", "Saint-Lazare"),           # no space after the commas
    ("STE-JULIE, J3E1X1", "Sainte-Julie"),
    ("Saint-Hyacinthe,QC, J2S 1", "Saint-Hyacinthe"),   # truncated postal code
    ("Montréal (Québec) H3B2E3", "Montréal"),           # province in brackets
    ("2650 Gouin Boulevard West,Montreal,QC, H3M1B4", "Montréal"),
    ("Saint-Joachim-de-Courval, QC J1Z 2B7", "Drummondville"),  # former municipality
    ("Sillery, G1S2L3", "Québec"),
]


def ingest_files(settings, folder):
    for path in sorted(folder.iterdir()):
        report = ingest.load_archived(
            ingest.fetch(Candidate(str(path), path.name, False), settings), settings)
        report = raw_lmia.check_loaded_file(settings, report)
        assert report.status == "loaded", report


@pytest.mark.prefect
def test_every_address_shape_lands_in_its_municipality_without_a_directory(
        tmp_path, prefect_engine, monkeypatch):
    """An LMIA list alone (no directory imported): every shape is placed in its
    municipality, the Ontario row is left alone, and the build publishes."""
    from tests.support.lmia_lists import write_positive_list

    monkeypatch.setenv("TMT_HOME", str(tmp_path / "home"))
    settings = get_settings()
    folder = tmp_path / "lists"
    folder.mkdir()
    rows = [("Quebec", f"Ferme {n}", address, 1 + n) for n, (address, _) in enumerate(ADDRESS_SHAPES)]
    write_positive_list(folder, 2020, 1, rows + [("Ontario", "Farm", "Toronto, ON M5V 1Y2", 3)])
    ingest_files(settings, folder)
    build_warehouse()
    with duckdb.connect(str(settings.serving_db), read_only=True) as con:
        placed = dict(con.execute(
            "select address, municipality_name from marts.fct_lmia_positions "
            "where province_code = 'QC' and geo_precision = 'municipality'").fetchall())
        ontario = con.execute("select geo_precision, municipality_name from "
                              "marts.fct_lmia_positions where province_code = 'ON'").fetchall()
    assert placed == dict(ADDRESS_SHAPES)
    assert ontario == [(None, None)]


@pytest.mark.prefect
def test_a_build_from_nothing_then_from_the_directory_alone(tmp_path, prefect_engine,
                                                            monkeypatch):
    """No source at all, then a directory and still no LMIA file: both builds publish the
    marts, empty where their source is missing."""
    from flows.import_directory import import_directory
    from flows.settings import bundled_directory_sample

    monkeypatch.setenv("TMT_HOME", str(tmp_path / "home"))
    settings = get_settings()
    build_warehouse()

    def counts():
        with duckdb.connect(str(settings.serving_db), read_only=True) as con:
            return {table: con.execute(f"select count(*) from marts.{table}").fetchone()[0]
                    for table in ("fct_lmia_positions", "tmw_by_territory", "tmw_map_points",
                                  "directory_organizations")}

    assert counts() == {"fct_lmia_positions": 0, "tmw_by_territory": 0, "tmw_map_points": 0,
                        "directory_organizations": 0}
    import_directory(str(bundled_directory_sample()))
    build_warehouse()
    directory_only = counts()
    assert directory_only.pop("directory_organizations") > 0
    assert directory_only == {"fct_lmia_positions": 0, "tmw_by_territory": 0, "tmw_map_points": 0}
    # Nothing new, and no site check ever ran: the rebuild publishes no version (the
    # freshness mart's "now" was the build's instant, so every build published, issue 16).
    served = sha256(settings.serving_db)
    build_warehouse()
    assert sha256(settings.serving_db) == served
    assert len(list(settings.serving_db.parent.glob("versions/*.duckdb"))) == 2
