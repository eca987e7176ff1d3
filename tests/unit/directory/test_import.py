"""Importing the messy spreadsheet: good rows in, bad rows quarantined with their reason,
stable ids, an idempotent re-import and the change log after an edit. Real DuckDB files,
no Prefect (the flow only sequences these functions)."""
from __future__ import annotations

import csv
import json
import stat

import duckdb
import pytest

from flows.directory import importer
from flows.errors import TmtError
from flows.settings import get_settings
from tests.support import messy_directory as messy

TABLES = ["organization", "location", "address", "phone", "schedule", "language",
          "accessibility", "service", "service_area", "organization_population", "contact"]


def run_import(path, by="maintainer"):
    settings = get_settings()
    archived = importer.archive_source(path, settings)
    parsed = importer.parse_archived(archived, settings, today=messy.TODAY)
    quarantined = importer.quarantine_rows(parsed, archived, settings)
    result = importer.load_parsed(parsed, archived, settings, by)
    return parsed, result, quarantined, archived


def query(sql, params=None):
    with duckdb.connect(str(get_settings().work_db), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def snapshot():
    """Every directory row except the import bookkeeping columns."""
    return {table: sorted(map(str, query(f"select * exclude (last_seen_at, last_import_id) "
                                         f"from directory.{table}" if table == "organization"
                                         else f"select * from directory.{table}")))
            for table in TABLES}


@pytest.fixture
def messy_csv(tmt_home, tmp_path):
    return messy.write_csv(tmp_path / "répertoire 2025.csv")


def test_good_rows_are_imported_and_each_bad_row_says_where_and_why(messy_csv):
    parsed, result, quarantined, archived = run_import(messy_csv)

    assert {error.row for error in parsed.rejected} == set(messy.EXPECTED_REJECTED)
    for error in parsed.rejected:
        (column, _), *_ = error.problems
        field = messy.EXPECTED_REJECTED[error.row]
        assert column == messy.FRENCH_HEADERS[messy.FIELDS.index(field)], error.line("f")
        assert "\n" not in error.line(messy_csv.name)
    lines = {error.row: error.line(messy_csv.name) for error in parsed.rejected}
    assert lines[8] == ("répertoire 2025.csv ligne 8 : Courriel : « info@exemple » : "
                        "courriel invalide (invalid email); Courriel : aucun autre moyen de "
                        "joindre l'organisme (no other way to reach the organization)")
    assert "Code Postal" in lines[18] and "Site Web" in lines[18]  # both problems, one line
    assert "région inconnue : « Nouvelle-Écosse »" in lines[10] and "no municipality" in lines[10]
    # Kept: an unknown service as the organization's own words, a bad value dropped.
    [cooking] = parsed.free_text
    assert (cooking["term"], cooking["rows"], len(cooking["closest"])) == (
        "Cours de cuisine", [9], 3)
    assert query("select term from directory.free_term") == [("Cours de cuisine",)]
    assert query("""select service_code from directory.service join directory.organization
                    using (organization_id) where name = 'Atelier fictif'""") == [("accueil",)]
    for row, field in messy.EXPECTED_DROPPED.items():
        column = messy.FRENCH_HEADERS[messy.FIELDS.index(field)]
        assert any(line.startswith(f"ligne {row} : {column} : ") for line in parsed.dropped)
    assert query("select last_confirmed_at from directory.organization "
                 "where name = 'Futur fictif'") == [(None,)]
    assert parsed.merged_rows == [7]
    assert any("5 et 7" in line and "fusionnées" in line for line in parsed.duplicates)
    assert result.created == messy.EXPECTED_ORGANIZATIONS == len(parsed.organizations)
    assert query("select count(*) from directory.organization") == [(9,)]
    assert any("même site web" in line and "14" in line for line in parsed.duplicates)
    assert any("colonne ignorée" in note and "Notes internes" in note for note in parsed.notes)

    # Nothing lost: the file archived as it was, the rejected rows with every cell.
    assert archived.path.read_bytes() == messy_csv.read_bytes()
    assert archived.path.parent == get_settings().raw_directory_dir
    assert not archived.path.stat().st_mode & stat.S_IWUSR
    with quarantined.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [int(row["ligne_source"]) for row in rows] == sorted(messy.EXPECTED_REJECTED)
    assert rows[0]["Courriel"] == "info@exemple" and "courriel invalide" in rows[0]["raison"]
    stored = query("select source_row, row_values from directory.row_quarantine "
                   "order by source_row")
    assert [row for row, _ in stored] == sorted(messy.EXPECTED_REJECTED)
    assert json.loads(stored[0][1])["NOM"] == "Courriel brisé fictif"


def test_forgiving_values_are_read_as_meant(messy_csv):
    run_import(messy_csv)
    jardins = query("""select organization_id, email, website, other_urls, status,
                              last_confirmed_at, record_json
                       from directory.organization where name = 'Carrefour fictif des Jardins'""")
    organization_id, email, website, other_urls, status, confirmed, record = jardins[0]
    assert (email, website, status, str(confirmed)) == (
        "accueil@jardins.example.org", "https://jardins.example.org/", "active", "2025-01-15")
    assert other_urls == ["https://www.example.com/cfj", "https://example.net/cfj"]
    fields = json.loads(record)
    assert fields["languages"] == "en, es, fr, quc"
    assert fields["services"] == "accueil, droits_travail, francisation"
    assert fields["target_populations"] == "tmt, travailleurs_agricoles"
    assert fields["mrcs_served"] == "680" and fields["regions_served"] == "16"
    locations = query("""select address.municipality_code, address.postal_code, phone.number,
                                phone.extension, accessibility.wheelchair_access
                         from directory.location
                         join directory.address using (location_id)
                         join directory.phone using (location_id)
                         join directory.accessibility using (location_id)
                         where location.organization_id = ? order by location.position""",
                      [organization_id])
    assert locations == [("68055", "J0L 2L0", "450-555-0120", "3", "yes"),
                         ("68025", "J0L 2N0", "450-555-0122", None, "no")]
    assert query("select byday, opens_at, closes_at from directory.schedule "
                 "where organization_id = ? order by byday", [organization_id]) == [
        ("MO,TU,WE,TH,FR", "08:30", "16:30"), ("TU", "13:00", "20:00")]
    # A region from the municipality, a homonym told apart by the region served.
    assert query("""select region_code from directory.service_area join directory.organization
                    using (organization_id) where name like 'Ancien%'""") == [("03",)]
    assert query("""select municipality_code from directory.address join directory.organization
                    using (organization_id) where name like '%Saint-Louis'""") == [("70035",)]


def test_reimport_is_idempotent_and_the_xlsx_twin_changes_nothing(messy_csv, tmp_path):
    first = run_import(messy_csv)[1]
    before = snapshot()
    ids = query("select organization_id from directory.organization order by 1")

    again = run_import(messy_csv)[1]
    xlsx = run_import(messy.write_xlsx(tmp_path / "repertoire.xlsx"))[1]

    assert first.created == 9
    for result in (again, xlsx):
        assert (result.created, result.updated, result.unchanged) == (0, 0, 9)
    assert snapshot() == before
    assert query("select organization_id from directory.organization order by 1") == ids
    assert query("select last_action_type, count(*) from directory.metadata group by 1") == [
        ("create", 9)]
    assert query("select count(*) from directory.import_run") == [(3,)]


def test_an_edit_is_recorded_in_the_change_log_field_by_field(messy_csv, tmp_path):
    run_import(messy_csv)
    ids = dict(query("select name, organization_id from directory.organization"))
    edited = [dict(row) for row in messy.ROWS]
    edited[1]["email"] = "nouveau@centre.example.net"  # row 5
    edited[0]["services"] += "; Logement"  # row 4
    edited[0]["name"] = "Carrefour fictif des Jardins et du Haut"  # renamed...
    edited[2]["name"] = "Carrefour fictif des Jardins et du Haut"  # ...on both its rows
    path = messy.write_csv(tmp_path / "repertoire-modifie.csv", edited)

    _, result, _, _ = run_import(path, by="Agente de liaison")

    assert (result.created, result.updated, result.unchanged) == (0, 2, 7)
    renamed = dict(query("select name, organization_id from directory.organization"))
    assert renamed["Carrefour fictif des Jardins et du Haut"] == \
        ids["Carrefour fictif des Jardins"]  # same website: same organization, same id
    log = query("""select resource_id, field_name, previous_value, replacement_value,
                          last_action_type, updated_by
                   from directory.metadata where last_action_type = 'update'
                   order by field_name""")
    jardins, centre = ids["Carrefour fictif des Jardins"], ids["Point fictif du Centre"]
    assert log == [
        (centre, "email", "info@centre.example.net", "nouveau@centre.example.net", "update",
         "Agente de liaison"),
        (jardins, "name", "Carrefour fictif des Jardins", "Carrefour fictif des Jardins et du Haut",
         "update", "Agente de liaison"),
        (jardins, "services", "accueil, droits_travail, francisation",
         "accueil, droits_travail, francisation, logement", "update", "Agente de liaison"),
    ]
    assert query("select count(*) from directory.service where organization_id = ?",
                 [jardins]) == [(4,)]


def test_organizations_missing_from_a_file_are_kept(messy_csv, tmp_path):
    run_import(messy_csv)
    only_one = messy.write_csv(tmp_path / "une-region.csv", [messy.ROWS[1]])
    _, result, _, _ = run_import(only_one)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
    assert query("select count(*) from directory.organization") == [(9,)]


def test_a_file_without_a_name_column_is_quarantined_whole(tmt_home, tmp_path):
    path = tmp_path / "liste.csv"
    path.write_text("organisme,ville\nX,Québec\n", encoding="utf-8")
    settings = get_settings()
    archived = importer.archive_source(path, settings)
    with pytest.raises(TmtError, match="aucune colonne « nom » ou « name »"):
        importer.parse_archived(archived, settings)
    assert (settings.directory_quarantine_dir / f"{archived.sha256}.reason.txt").exists()


def test_the_run_fails_after_loading_when_rows_were_rejected(messy_csv):
    parsed, _, quarantined, archived = run_import(messy_csv)
    with pytest.raises(TmtError) as raised:
        importer.raise_if_rejected(parsed, archived.original_name, quarantined)
    message = str(raised.value)
    assert message.startswith("5 ligne(s) sur 16 rejetée(s)") and "\n" not in message
    assert "ligne 8" in message and str(quarantined) in message


def test_a_text_file_named_xlsx_is_not_a_spreadsheet(tmp_path):
    """It used to be read as a CSV and rejected for a missing `nom` column (issue 17)."""
    from flows.directory.read import read_sheet
    from flows.errors import BadFileError

    path = tmp_path / "repertoire.xlsx"
    path.write_text("nom,municipalite\nAlliance,Montréal\n", encoding="utf-8")
    with pytest.raises(BadFileError, match=r"pas un classeur.*not a spreadsheet"):
        read_sheet(path, path.name)
    (tmp_path / "repertoire.csv").write_bytes(path.read_bytes())  # the same text as a CSV reads
    assert read_sheet(tmp_path / "repertoire.csv", "repertoire.csv").rows
