"""A maintainer's French spreadsheet, organizations' own words (issue 15): the 12 good
organizations import, the 5 unusable rows are named by row and reason, the duplicate is
merged and reported, and the CSV and XLSX files give the same result."""
from __future__ import annotations

import csv
import json

import duckdb
import pytest

from flows.directory import importer, vocabularies
from flows.settings import get_settings
from tests.support import french_directory as french
from tests.unit.directory.test_import import run_import


@pytest.fixture(params=["csv", "xlsx"])
def spreadsheet(request, tmt_home, tmp_path):
    write = french.write_csv if request.param == "csv" else french.write_xlsx
    return write(tmp_path / f"répertoire-régions.{request.param}")


def test_the_good_organizations_import_and_each_bad_row_says_why(spreadsheet):
    parsed, result, quarantined, _ = run_import(spreadsheet)

    assert parsed.rows_read == len(french.ROWS) == 18
    assert result.created == len(parsed.organizations) == 12
    assert {organization.name for organization in parsed.organizations} == set(
        french.GOOD_REGIONS.values())
    assert {error.row: error.problems[0][0] for error in parsed.rejected} == {
        row: column for row, (column, _) in french.EXPECTED_REJECTED.items()}
    for error in parsed.rejected:
        line = error.line(spreadsheet.name)
        assert line.startswith(f"{spreadsheet.name} ligne {error.row} : ")
        assert french.EXPECTED_REJECTED[error.row][1] in line and "\n" not in line
    assert parsed.merged_rows == [french.DUPLICATE[1]]
    assert any(f"lignes {french.DUPLICATE[0]} et {french.DUPLICATE[1]}" in line
               and "fusionnées" in line for line in parsed.duplicates)
    assert parsed.rows_imported == 13  # 12 organizations, one of them on two rows
    with quarantined.open(encoding="utf-8-sig") as handle:  # to fix and import again
        assert [int(row["ligne_source"]) for row in csv.DictReader(handle)] == sorted(
            french.EXPECTED_REJECTED)


def test_own_words_are_understood_or_kept_and_reported(spreadsheet):
    parsed, _, _, archived = run_import(spreadsheet)
    by_name = {organization.name: organization for organization in parsed.organizations}

    assert by_name["Accueil fictif des Jardins"].services == ["accueil", "francisation"]
    assert by_name["Accueil fictif des Jardins"].populations == ["travailleurs_agricoles", "tmt"]
    assert by_name["Accueil fictif des Jardins"].locations[0].languages == ["fr", "en", "es"]
    assert by_name["Carrefour fictif d'Eeyou Istchee"].locations[0].languages == [
        "fr", "en", "cr"]
    estrie = by_name["Maison fictive de l'Estrie"]  # with its duplicate row merged in
    assert estrie.services == ["vie_communautaire", "emploi", "francisation"]
    assert estrie.populations == ["refugies", "etudiants"]
    assert estrie.locations[0].languages == ["fr", "ar", "es"]
    assert by_name["Point fictif de la Capitale"].populations == ["tmt"]
    assert by_name["Ressource fictive de l'Outaouais"].locations[0].languages == ["fcs", "fr"]
    assert any("« Jumelage interculturel » compris comme « Intégration et vie communautaire »"
               in line and "ligne(s) 3, 15" in line for line in parsed.similar)

    kept = {entry["term"]: entry for entry in parsed.free_text}
    assert french.FREE_TEXT <= set(kept)
    assert all(len(entry["closest"]) == 3 for entry in kept.values())
    report = json.loads(importer.write_report(parsed, None, archived, get_settings())
                        .read_text(encoding="utf-8"))
    assert report["rows_read"] == 18 and report["duplicates_merged"] == [12]
    assert [item["row"] for item in report["rejected"]] == sorted(french.EXPECTED_REJECTED)
    counts = [len(entry["rows"]) for entry in report["terms_kept_as_free_text"]]
    assert counts == sorted(counts, reverse=True)
    with duckdb.connect(str(get_settings().work_db), read_only=True) as con:
        stored = con.execute("""select organization.name, free_term.field_name, free_term.term
            from directory.free_term join directory.organization using (organization_id)
            where term = 'Cours de cuisine'""").fetchall()
    assert stored == [("Centre fictif de Laval", "services", "Cours de cuisine")]


def test_the_maintainers_alias_file_is_used_by_the_next_import(tmt_home, tmp_path, monkeypatch):
    path = french.write_csv(tmp_path / "répertoire.csv")
    before = run_import(path)[0]
    assert "Interprète" in {entry["term"] for entry in before.free_text}

    aliases = tmp_path / "alias.csv"
    aliases.write_text(vocabularies.alias_file().read_text(encoding="utf-8")
                       + "services,Interprète,interpretation,\n", encoding="utf-8")
    monkeypatch.setenv("TMT_DIRECTORY_ALIASES", str(aliases))
    after = run_import(path)[0]

    assert "Interprète" not in {entry["term"] for entry in after.free_text}
    outaouais = next(o for o in after.organizations if o.name.endswith("l'Outaouais"))
    assert outaouais.services == ["sante", "interpretation"]
