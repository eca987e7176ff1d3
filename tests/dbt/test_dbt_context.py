"""The context marts on the bundled ESDC and IRCC copies (flows/sample/context), built by a
real `dbt build` beside the tiny LMIA lists of test_dbt_project (a 2023 Q4 list in French
and English: one language counted)."""
from __future__ import annotations

from collections.abc import Callable, Iterator

import duckdb
import pytest

from flows.context import load
from flows.context.sources import bundled_sample
from flows.context.tables import parse_file
from flows.lmia.archive import ArchivedFile, sha256_of
from tests.dbt.test_dbt_project import build_raw_database, dbt_build

pytestmark = pytest.mark.slow


def load_bundled_context(database) -> None:
    con = load.connect(database)
    try:
        for path in sorted(bundled_sample().glob("*.*")):
            if path.suffix in (".csv", ".xlsx"):
                item = ArchivedFile(sha256_of(path), path, path.stat().st_size, str(path),
                                    path.name)
                load.load(con, item, parse_file(path, path.name))
    finally:
        con.close()


@pytest.fixture(scope="module")
def query(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], list[tuple]]]:
    work = tmp_path_factory.mktemp("dbt_context")
    database = work / "work.duckdb"
    build_raw_database(database)
    load_bundled_context(database)
    dbt_build(database, work)
    con = duckdb.connect(str(database), read_only=True)
    yield lambda sql: con.sql(sql).fetchall()
    con.close()


def test_quebec_2023_top_countries_as_esdc_publishes_them(query):
    rows = query("""select rank, country_code, country_fr, country_en, positions
                    from marts.tmw_origin_countries where province = 'QC' and year = 2023
                    order by rank""")
    assert rows[:2] == [(1, "GT", "Guatemala", "Guatemala", 16997),
                        (2, "MX", "Mexique", "Mexico", 14725)]
    assert [row[2] for row in rows] == ["Guatemala", "Mexique", "Tunisie", "Maroc",
                                        "Philippines", "France", "Cameroun", "Algérie",
                                        "Colombie", "Maurice"]
    assert query("select count(*) from marts.tmw_origin_countries "
                 "where country_code is null and country_fr is not null") == [(0,)]


def test_coverage_sets_the_official_count_beside_the_lists_own_sum(query):
    lists_2023 = query("""select sum(approved_positions) from marts.fct_lmia_positions
                          where province_code = 'QC' and period_kind = 'quarter'
                            and period_year = 2023""")[0][0]
    province = query("""select official_positions, list_positions, difference, coverage_ratio
                        from marts.lmia_coverage_official
                        where year = 2023 and region_code is null""")
    assert province == [(62206, lists_2023, 62206 - lists_2023,
                         pytest.approx(lists_2023 / 62206, abs=1e-4))]
    # 17 administrative regions, each with its economic region's count (Montérégie: 2435).
    assert query("select count(*) from marts.lmia_coverage_official "
                 "where year = 2023 and region_code is not null") == [(17,)]
    assert query("""select official_positions from marts.lmia_coverage_official
                    where year = 2023 and region_code = '16'""") == [(15922,)]
    # No list of 2019 loaded: the lists' count is unknown, not 0.
    assert query("""select list_positions, coverage_ratio from marts.lmia_coverage_official
                    where year = 2019 and region_code is null""") == [(None, None)]


def test_only_complete_years_are_judged_against_the_band(query):
    # The tiny lists hold one quarter of 2023: far below ESDC's count, but not flagged.
    assert query("""select quarters_counted, is_outside_band from marts.lmia_coverage_flags
                    where year = 2023 and region_code is null""") == [(1, False)]
    # What the dashboard shows: ESDC's latest year that has a list (2023; 2025 is not in
    # ESDC's table).
    assert query("""select distinct year from marts.lmia_coverage_flags
                    where is_latest_year_with_lists""") == [(2023,)]


def test_permit_holders_total_is_the_files_own(query):
    rows = dict(query("""select program, holders from marts.work_permit_holders
                         where province = 'QC' and year = 2024"""))
    assert rows["Total"] == 72280
    assert rows["Agricultural Workers"] == 12380
    # IRCC's rounding: the programs add up to 72,285, not to the total it prints.
    assert sum(v for k, v in rows.items() if k != "Total") == 72285


def test_suppressed_cells_stay_suppressed(query):
    # Newfoundland and Labrador, Live-In Caregivers, 2024: `--` in IRCC's file.
    assert query("""select holders, is_suppressed from marts.work_permit_holders
                    where province = 'NL' and year = 2024
                      and program = 'Live-In Caregivers'""") == [(None, True)]
    assert query("""select count(*) from marts.work_permit_holders
                    where is_suppressed and holders is not null""") == [(0,)]
    assert query("""select count(*) from marts.tfwp_to_permanent_residence
                    where is_suppressed""")[0][0] > 0
    assert query("""select count(*) from marts.tfwp_to_permanent_residence
                    where is_suppressed and admissions is not null""") == [(0,)]


def test_transitions_to_permanent_residence_are_monthly(query):
    rows = query("""select period_start, admissions, is_suppressed
                    from marts.tfwp_to_permanent_residence
                    where province = 'QC' and category = 'Total'
                      and period_start in ('2015-01-01', '2015-02-01')
                    order by period_start""")
    assert [(str(day), n, s) for day, n, s in rows] == [("2015-01-01", 25, False),
                                                        ("2015-02-01", 35, False)]
