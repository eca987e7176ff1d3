"""Functional test of the dbt project: real `dbt build` on a tiny raw DuckDB.

The raw tables follow docs/raw-lmia-contract.md. The rows are chosen for what the marts
must get right: an alias (Sainte-Foy is Québec), `St-` and accents, a short name found in
its postal area (Sherrington), a postal-code fallback, an address that cannot be placed,
an English file duplicating a French one for the same quarter, and a superseded file.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest

from flows.context.load import SCHEMA as context_schema
from flows.directory.schema import ddl as directory_ddl

DBT_PROJECT = Path(__file__).resolve().parents[2] / "dbt_project"

FILES = [
    # sha, name, year, quarter, language, noc_version, superseded_by
    ("fr23q4", "tfwp_2023q4_pos_fr.csv", 2023, 4, "fr", "2011", None),
    ("en23q4", "tfwp_2023q4_pos_en.csv", 2023, 4, "en", "2011", None),
    ("en25q1", "tfwp_2025q1_pos_en.xlsx", 2025, 1, "en", "2021", None),
    ("old22q1", "tfwp_2022q1_pos_en.xlsx", 2022, 1, "en", "2011", "new22q1"),
    ("new22q1", "tfwp_2022q1_pos_en_v2.xlsx", 2022, 1, "en", "2011", None),
]

ROWS = [
    # sha, source_row, address, postal_code, occupation, approved_positions
    ("fr23q4", 2, "Sainte-Foy, QC G1V 4M7", "G1V 4M7", "8431-Ouvriers agricoles", 10),
    ("fr23q4", 3, "St-Jean-sur-Richelieu, QC J3B 1A1", "J3B 1A1", "6322-Cuisiniers", 3),
    ("fr23q4", 4, "ST-RÉMI, QC J0L 2L0", "J0L 2L0", "8431-Ouvriers agricoles", 40),
    ("fr23q4", 5, "Sherrington, QC J0L 2N0", "J0L 2N0", "8431-Ouvriers agricoles", 20),
    ("fr23q4", 6, "Xyzzy, QC H2X 1Y4", "H2X 1Y4", "9462-Bouchers industriels", 2),
    ("fr23q4", 7, "Nowhere-Land, QC", None, "8431-Ouvriers agricoles", 1),
    ("fr23q4", 8, "Leamington, ON N8H 3V4", "N8H 3V4", "8431-Ouvriers agricoles", 7),
    # The English list of the same quarter: same positions, must not be counted again.
    ("en23q4", 2, "Sainte-Foy, QC G1V 4M7", "G1V 4M7", "8431-General farm workers", 10),
    ("en23q4", 3, "Saint-Rémi, QC J0L 2L0", "J0L 2L0", "8431-General farm workers", 40),
    ("en25q1", 3, "Montreal, QC H2X 1Y4", "H2X 1Y4", "63200-Cooks", 4),
    ("old22q1", 3, "Sainte-Foy, QC G1V 4M7", "G1V 4M7", "8431-General farm workers", 99),
    ("new22q1", 3, "Sainte-Foy, QC G1V 4M7", "G1V 4M7", "8431-General farm workers", 9),
]

RAW_DDL = """
create schema raw;
create table raw.lmia_files (
    file_sha256 varchar primary key, source_url varchar, resource_id varchar,
    original_name varchar, period_year integer, period_quarter integer, period_kind varchar,
    period_start date, language varchar, file_format varchar, layout varchar,
    noc_version varchar, row_count integer, approved_positions bigint, loaded_at timestamp,
    superseded_by varchar);
create table raw.lmia_rows (
    file_sha256 varchar, sheet varchar, source_row integer, period_year integer,
    period_quarter integer, period_kind varchar, period_start date, language varchar,
    province varchar, province_code varchar, program_stream varchar, employer_name varchar,
    address varchar, postal_code varchar, occupation_code varchar, occupation_title varchar,
    noc_version varchar, incorporate_status varchar, approved_lmias integer,
    approved_positions integer);
create table raw.lmia_checks (file_sha256 varchar primary key, checked_at timestamp,
    warnings integer);
"""


def build_raw_database(path: Path) -> None:
    periods = {
        sha: (year, quarter, language, noc) for sha, _, year, quarter, language, noc, _ in FILES
    }
    with duckdb.connect(str(path)) as con:
        con.execute(RAW_DDL)
        # The directory's and the context statistics' source tables, empty, as `tmt build`
        # creates them before dbt.
        con.execute(directory_ddl())
        con.execute(context_schema)
        for sha, name, year, quarter, language, noc_version, superseded_by in FILES:
            positions = [row[5] for row in ROWS if row[0] == sha]
            con.execute(
                "insert into raw.lmia_files values (?, ?, null, ?, ?, ?, 'quarter', ?, ?, ?,"
                " 'stream_incorporate', ?, ?, ?, ?, ?)",
                [sha, f"/data/{name}", name, year, quarter, date(year, 3 * quarter - 2, 1),
                 language, name.rsplit(".", 1)[1], noc_version, len(positions), sum(positions),
                 datetime(2024, 5, 1), superseded_by],
            )  # fmt: skip
            # Every file passed its raw checks: only checked files are counted.
            con.execute("insert into raw.lmia_checks values (?, ?, 0)",
                        [sha, datetime(2024, 5, 1)])
        for sha, source_row, address, postal_code, occupation, positions in ROWS:
            year, quarter, language, noc_version = periods[sha]
            province_code = "QC" if ", QC" in address else "ON"
            code, title = occupation.split("-", 1)
            con.execute(
                "insert into raw.lmia_rows values (?, null, ?, ?, ?, 'quarter', ?, ?, ?, ?,"
                " 'Agriculture primaire', ?, ?, ?, ?, ?, ?, 'Inconnu', 1, ?)",
                [sha, source_row, year, quarter, date(year, 3 * quarter - 2, 1), language,
                 province_code, province_code, f"Employeur {source_row}", address, postal_code,
                 code, title, noc_version, positions],
            )  # fmt: skip


def dbt_build(database: Path, work: Path) -> None:
    """`dbt build` on `database`, its target and logs in `work`; every node must pass."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    from dbt.cli.main import dbtRunner

    with pytest.MonkeyPatch.context() as env:
        env.setenv("TMT_DUCKDB_PATH", str(database))
        env.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
        args = ["build", "--project-dir", str(DBT_PROJECT), "--profiles-dir", str(DBT_PROJECT)]
        args += ["--target-path", str(work / "target"), "--log-path", str(work / "logs")]
        # One address of the tiny raw tables is unplaceable on purpose: 1 of the 89 Quebec
        # positions.
        args += ["--vars", "{min_quebec_municipality_share: 0.95}", "--quiet"]
        result = dbtRunner().invoke(args)
    # dbt-duckdb keeps the database open in this process after invoke(); dropping its
    # environment and collecting it closes the file (and checkpoints the WAL).
    DuckDBConnectionManager.close_all_connections()
    gc.collect()
    assert result.success, result.exception or [
        (node.node.name, node.message) for node in result.result if node.status != "pass"
    ]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The raw database, after `dbt build` on it."""
    work = tmp_path_factory.mktemp("dbt")
    database = work / "work.duckdb"
    build_raw_database(database)
    dbt_build(database, work)
    return database


@pytest.fixture(scope="module")
def query(built: Path) -> Iterator[Callable[[str], list[tuple]]]:
    """Answer SQL on the built database."""
    con = duckdb.connect(str(built), read_only=True)
    yield lambda sql: con.sql(sql).fetchall()
    con.close()


def test_alias_places_sainte_foy_in_quebec_city(query):
    rows = query("""
        select municipality_code, municipality_name, region_code, mrc_code, geo_precision
        from marts.fct_lmia_positions
        where address like 'Sainte-Foy%' and period_year = 2023
    """)
    assert rows == [("23027", "Québec", "03", "230", "municipality")]


def test_abbreviations_accents_and_short_names_are_placed(query):
    rows = query("""
        select source_row, municipality_code
        from marts.fct_lmia_positions
        where province_code = 'QC' and period_year = 2023
    """)
    placed = dict(rows)
    assert placed[3] == "56083"  # St-Jean-sur-Richelieu
    assert placed[4] == "68055"  # ST-RÉMI
    assert placed[5] == "68025"  # Sherrington: Saint-Patrice-de-Sherrington
    assert placed[6] == "66023"  # unknown name, in an urban postal area of Montréal only


def test_duplicate_language_and_superseded_files_are_counted_once(query):
    rows = query("""
        select period_year, sum(approved_positions)
        from marts.fct_lmia_positions
        group by period_year
    """)
    totals = dict(rows)
    assert totals == {2022: 9, 2023: 83, 2025: 4}
    languages = query("""
        select distinct language from marts.fct_lmia_positions where period_year = 2023
    """)
    assert languages == [("fr",)]


def test_unplaceable_address_is_listed_for_maintainers(query):
    rows = query("""
        select address, geo_precision, approved_positions
        from marts.lmia_unplaced_addresses
    """)
    assert rows == [("Nowhere-Land, QC", "none", 1)]


def test_occupations_carry_skill_level_or_teer(query):
    rows = query("""
        select noc_code, coalesce(skill_level, cast(teer as varchar))
        from marts.fct_lmia_positions
        where province_code = 'QC'
    """)
    rows = dict(rows)
    assert rows["8431"] == "C" and rows["6322"] == "B" and rows["63200"] == "3"
    titles = query("""
        select distinct noc_title_fr from marts.fct_lmia_positions where noc_code = '6322'
    """)
    assert titles == [("Cuisiniers",)]


def test_public_aggregate_hides_small_cells(query):
    rows = query("""
        select region_code, broad_category, is_suppressed, approved_positions
        from marts.tmw_by_territory_public
        where period_year = 2023
        order by region_code, broad_category
    """)
    assert ("03", "8", False, 10) in rows
    assert ("16", "6", True, None) in rows  # 3 cooks in Saint-Jean-sur-Richelieu
    assert all(positions is None or positions >= 5 for *_, positions in rows)


def test_map_points_only_hold_geolocated_quebec_positions(query):
    total, with_point = query("""
        select
            (select sum(approved_positions) from marts.fct_lmia_positions
             where province_code = 'QC' and latitude is not null),
            (select sum(approved_positions) from marts.tmw_map_points)
    """)[0]
    assert total == with_point == 88


def test_a_broken_declared_constraint_fails_the_build_naming_column_and_rows(
        built, tmp_path, monkeypatch):
    """A model's constraints (column not_null, check and unique, model-level unique) are
    checked by one declared_constraints test; its failure names each broken one and its
    count."""
    import shutil

    from flows.errors import TmtError
    from flows.settings import get_settings
    from flows.warehouse.dbt import run_dbt

    monkeypatch.setenv("TMT_HOME", str(tmp_path))
    settings = get_settings()
    settings.work_db.parent.mkdir(parents=True)
    shutil.copy(built, settings.work_db)
    with duckdb.connect(str(settings.work_db)) as con:  # no province code, twice the same row
        con.execute("insert into raw.lmia_rows select * replace (null as province_code) "
                    "from raw.lmia_rows where file_sha256 = 'fr23q4' and source_row = 2")
        con.execute("insert into raw.lmia_rows select * replace ('ZZ' as province_code, "  # no such
                    "99 as source_row) from raw.lmia_rows where file_sha256 = 'fr23q4' "
                    "and source_row = 2 and province_code is not null")
    with pytest.raises(TmtError) as failed:
        run_dbt(settings, "test", "--select", "stg_lmia__rows,test_name:declared_constraints")
    said = str(failed.value)
    assert "declared_constraints_stg_lmia__rows_ (fail: not_null province_code: 1; " in said
    assert "; check province_code in ('NL', 'PE', " in said and "'XX'): 1; " in said
    assert "; unique file_sha256, sheet, source_row: 1)" in said
    with duckdb.connect(str(settings.work_db)) as con:
        con.execute("delete from raw.lmia_rows where province_code is null or source_row = 99")
    run_dbt(settings, "test", "--select", "stg_lmia__rows,test_name:declared_constraints")
