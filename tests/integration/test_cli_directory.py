"""`tmt import directory` as a user runs it: good rows in, one line on stderr, exit 1."""
from __future__ import annotations

import duckdb
import pytest

from tests.integration.test_cli import tmt
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
    assert line.startswith("tmt: error: 10 ligne(s) sur 16 rejetée(s) (rows rejected)")
    assert "répertoire.csv ligne 7 : NOM : doublon de la ligne 5" in line
    assert ("rejetée     répertoire.csv ligne 8 : Courriel : « info@exemple » : courriel "
            "invalide (invalid email)") in result.stdout
    assert "5 organisme(s) ; 5 nouveau(x)" in result.stdout
    with duckdb.connect(str(tmt_home / "warehouse" / "work.duckdb"), read_only=True) as con:
        assert con.execute("select count(*) from directory.organization").fetchone() == (5,)
        assert con.execute("select distinct updated_by from directory.metadata").fetchall() == [
            ("Équipe TMT",)]
    assert list((tmt_home / "quarantine" / "directory").glob("*-lignes-rejetees.csv"))
    assert list((tmt_home / "reports" / "directory").glob("import-*.json"))
