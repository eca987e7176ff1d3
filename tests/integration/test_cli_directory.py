"""`tmt import directory` as a user runs it: good rows in, one line on stderr, exit 1."""
from __future__ import annotations

import duckdb
import pytest

from tests.dbt.test_dbt_project import build_raw_database, dbt_build
from tests.integration.test_cli import tmt
from tests.support import french_directory as french
from tests.support import messy_directory as messy


@pytest.fixture
def prefect_api(prefect_engine):
    """Point child processes at the session's Prefect server instead of a temporary one."""
    from prefect.settings import PREFECT_API_URL

    return {"PREFECT_API_URL": PREFECT_API_URL.value()}


def test_bad_path_is_one_line_and_non_zero(tmt_home):
    result = tmt("import", "directory", "/no/such/repertoire.xlsx")
    assert result.returncode == 1
    assert result.stderr.strip() == \
        "tmt: error: /no/such/repertoire.xlsx: fichier introuvable (no such file)"


def test_messy_spreadsheet_imports_good_rows_and_exits_non_zero(tmt_home, tmp_path, prefect_api):
    path = messy.write_csv(tmp_path / "répertoire.csv")

    result = tmt("import", "directory", str(path), "--by", "Équipe TMT", env=prefect_api)

    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("tmt: error: 5 ligne(s) sur 16 rejetée(s) (rows rejected)")
    assert "répertoire.csv ligne 8 : Courriel : « info@exemple » : courriel invalide" in line
    assert ("rejetée     répertoire.csv ligne 8 : Courriel : « info@exemple » : courriel "
            "invalide (invalid email)") in result.stdout
    assert "9 organisme(s) : 9 nouveau(x)" in result.stdout
    assert "1 doublon(s) fusionné(s)" in result.stdout
    with duckdb.connect(str(tmt_home / "warehouse" / "work.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from directory.organization").fetchone() == (9,)
        assert con.execute("select distinct updated_by from directory.metadata").fetchall() == [
            ("Équipe TMT",)]
    assert list((tmt_home / "quarantine" / "directory").glob("*-lignes-rejetees.csv"))
    assert list((tmt_home / "reports" / "directory").glob("import-*.json"))


@pytest.mark.prefect
@pytest.mark.slow
def test_french_spreadsheet_imports_its_good_organizations_into_every_region(
        tmt_home, tmp_path, prefect_api):
    """Issue 15: 18 rows in the organizations' own words; 12 organizations in, the 5 bad
    rows named with their reasons, the duplicate reported, every region in the synthesis."""
    work_db = tmt_home / "warehouse" / "work.duckdb"
    work_db.parent.mkdir(parents=True)
    build_raw_database(work_db)  # the tiny LMIA tables the marts also need
    path = french.write_xlsx(tmp_path / "Répertoire des ressources.xlsx")

    result = tmt("import", "directory", str(path), env=prefect_api)

    assert result.returncode == 1  # rows were rejected
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("tmt: error: 5 ligne(s) sur 18 rejetée(s) (rows rejected)")
    for row, (column, reason) in french.EXPECTED_REJECTED.items():
        assert f"rejetée     {path.name} ligne {row} : {column} : " in result.stdout
        assert reason in result.stdout
    assert "18 ligne(s) lue(s), 13 importée(s), 5 rejetée(s), 1 doublon(s) fusionné(s)" \
        in result.stdout
    assert "lignes 3 et 12 : « Maison fictive de l'Estrie » en double" in result.stdout
    assert "texte libre Services offerts : « Cours de cuisine », 1 ligne(s) (9)" in result.stdout

    dbt_build(work_db, tmp_path)
    with duckdb.connect(str(work_db), read_only=True) as con:
        offering = dict(con.execute("""select region_code, sum(organizations_offering)
            from marts.region_service_synthesis group by region_code""").fetchall())
        organizations = dict(con.execute("""select name, services_free_text
            from marts.directory_organizations""").fetchall())
        languages = con.execute("""select languages, languages_fr from
            marts.directory_organizations where name = 'Carrefour fictif d''Eeyou Istchee'
            """).fetchall()
    assert len(offering) == 17  # every region is in the synthesis, the 12 served ones offering
    assert {region for region, count in offering.items() if count} == set(french.GOOD_REGIONS)
    assert set(organizations) == set(french.GOOD_REGIONS.values())
    assert organizations["Centre fictif de Laval"] == "Cours de cuisine"
    assert languages == [("cr,en,fr", "anglais, cri, français")]
