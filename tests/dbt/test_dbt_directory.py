"""The directory marts, built for real: `dbt build` on a DuckDB holding the tiny LMIA tables
of test_dbt_project plus the messy spreadsheet imported by the directory import, then the
printable directory written from the result."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import duckdb
import pytest

from flows.directory import importer
from flows.directory.export_html import write_directory_html
from flows.settings import get_settings
from tests.dbt.test_dbt_project import build_raw_database, dbt_build
from tests.support import messy_directory as messy

SERVICES = 14  # rows of ref_directory_services.csv
CONTRACT = {
    "directory_organizations": ["organization_id", "name", "status", "region_codes",
                                "municipality", "website", "email", "languages", "services",
                                "wheelchair_access", "last_confirmed_at"],
    "directory_services": ["organization_id", "service_code", "service_label_fr", "region_code"],
    "region_service_synthesis": ["region_code", "region_name", "service_code",
                                 "service_label_fr", "organizations_offering", "is_missing"],
    "service_gap": ["region_code", "mrc_code", "positions_last_4_quarters", "organizations",
                    "services_missing", "positions_per_organization"],
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(connection to the built database, its path)."""
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("TMT_HOME", str(home))
        settings = get_settings()
        settings.work_db.parent.mkdir(parents=True)
        build_raw_database(settings.work_db)
        with duckdb.connect(str(settings.work_db)) as con:  # positions in the latest year
            con.execute("""insert into raw.lmia_rows values ('en25q1', null, 4, 2025, 1,
                'quarter', '2025-01-01', 'en', 'QC', 'QC', 'Agriculture primaire', 'Ferme 4',
                'Saint-Rémi, QC J0L 2L0', 'J0L 2L0', '63200', 'Cooks', '2021', 'Inconnu', 1, 30)""")
        archived = importer.archive_source(messy.write_csv(home / "repertoire.csv"), settings)
        parsed = importer.parse_archived(archived, settings, today=messy.TODAY)
        importer.load_parsed(parsed, archived, settings, "test")
        dbt_build(settings.work_db, home)
    con = duckdb.connect(str(settings.work_db), read_only=True)
    yield con, home
    con.close()


def rows(con, sql):
    return con.sql(sql).fetchall()


def test_marts_have_the_contract_columns(built):
    con, _ = built
    for mart, columns in CONTRACT.items():
        found = [name for (name,) in rows(con, f"""select column_name from
            information_schema.columns where table_schema = 'marts' and table_name = '{mart}'
            order by ordinal_position""")]
        assert set(columns) <= set(found), mart


def test_directory_organizations(built):
    con, _ = built
    found = {row[0]: row[1:] for row in rows(con, """select name, status, region_codes,
        municipality, languages, services, wheelchair_access, locations
        from marts.directory_organizations""")}
    assert len(found) == messy.EXPECTED_ORGANIZATIONS
    assert found["Carrefour fictif des Jardins"] == (
        "active", "16", "Saint-Rémi", "en,es,fr,quc", "accueil,droits_travail,francisation",
        "yes", 2)
    assert found["Ancien service fictif de Québec"][:2] == ("do_not_refer", "03")
    # Terms no vocabulary entry matched, kept in the organization's own words.
    assert rows(con, """select services, services_free_text from marts.directory_organizations
        where name = 'Atelier fictif'""") == [("accueil", "Cours de cuisine")]


def test_synthesis_covers_every_region_and_service_and_shows_the_gaps(built):
    con, _ = built
    assert rows(con, "select count(*) from marts.region_service_synthesis") == [(17 * SERVICES,)]
    centre = dict(rows(con, """select service_code, organizations_offering
        from marts.region_service_synthesis where region_code = '17'"""))
    # Centre-du-Québec: two organizations, three services between them, the rest missing.
    assert {code: count for code, count in centre.items() if count} == {
        "accueil": 1, "interpretation": 1, "aide_alimentaire": 1}
    missing = rows(con, """select count(*) from marts.region_service_synthesis
        where region_code = '17' and is_missing""")
    assert missing == [(SERVICES - 3,)]
    # Not active, not counted: Québec's only organization is `do_not_refer`, the
    # Montérégie homonym is temporarily closed.
    assert rows(con, """select sum(organizations_offering) from marts.region_service_synthesis
        where region_code = '03'""") == [(0,)]
    assert dict(rows(con, """select service_code, organizations_offering
        from marts.region_service_synthesis where region_code = '16'
        and organizations_offering > 0""")) == {
        "accueil": 1, "francisation": 1, "droits_travail": 1}


def test_service_gap_puts_positions_beside_the_organizations_covering_them(built):
    con, _ = built
    gap = {row[0]: row[1:] for row in rows(con, """select mrc_code, period_from, period_to,
        positions_last_4_quarters, organizations, services_missing, positions_per_organization
        from marts.service_gap""")}
    assert len(gap) == 104  # every MRC and territory equivalent
    # Les Jardins-de-Napierville: 30 positions in 2025Q1 (2023Q4 is outside the year),
    # one organization listing this MRC, three services offered.
    assert gap["680"] == (date(2024, 4, 1), date(2025, 1, 1), 30, 1, SERVICES - 3, 30.0)
    assert gap["660"][2:] == (4, 0, SERVICES, None)  # Montréal: positions, no organization
    assert gap["560"][3] == 0  # Le Haut-Richelieu: the Jardins organization lists only 680


def test_printable_directory_has_a_table_per_region_then_the_synthesis(built, tmp_path):
    con, _ = built
    index = write_directory_html(con, tmp_path / "repertoire", date(2025, 6, 1))
    pages = sorted(path.name for path in Path(index).parent.glob("region-*.html"))
    assert len(pages) == 17 and "region-17-centre-du-quebec.html" in pages
    page = (index.parent / "region-17-centre-du-quebec.html").read_text(encoding="utf-8")
    assert page.index("<h2>Organismes</h2>") < page.index("<h2>Synthèse des services</h2>")
    assert "Point fictif du Centre" in page and "Antenne fictive de Victoriaville" in page
    laval = (index.parent / "region-13-laval.html").read_text(encoding="utf-8")
    assert "Accueil et installation, Cours de cuisine</td>" in laval  # label, own words
    assert len(re.findall(r"Manquant</td>", page)) == SERVICES - 3
    quebec = (index.parent / "region-03-capitale-nationale.html").read_text(encoding="utf-8")
    assert "Ancien service fictif" not in quebec  # not to be referred: not printed
    assert 'lang="fr"' in quebec and "Aucun organisme répertorié" in quebec


def test_codes_outside_their_vocabulary_are_flagged_for_the_mart_checks(built, tmp_path):
    con, home = built
    assert rows(con, """select list_name, bool_and(in_vocabulary), count(*) > 0
        from quality.quality_directory_codes group by list_name order by list_name""") == [
        ("languages", True, True), ("mrc_codes", True, True), ("region_codes", True, True),
        ("services", True, True)]
    # The view reads the mart: a copy whose organization lists unknown codes flags them.
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes((home / "warehouse" / "work.duckdb").read_bytes())
    with duckdb.connect(str(copy)) as edited:
        edited.execute("""update marts.directory_organizations set languages = 'fr,klingon',
            region_codes = '16,18', services = 'accueil,astrologie', mrc_codes = '680,72'
            where name = 'Carrefour fictif des Jardins'""")
        flagged = edited.sql("""select list_name, code from quality.quality_directory_codes
            where not in_vocabulary order by list_name""").fetchall()
    assert flagged == [("languages", "klingon"), ("mrc_codes", "72"), ("region_codes", "18"),
                       ("services", "astrologie")]
