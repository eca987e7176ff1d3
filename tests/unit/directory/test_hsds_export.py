"""The HSDS export is valid against the HSDS 3 tabular schema (the excerpt shipped in
flows/directory/hsds, see its README), and its references hold."""
from __future__ import annotations

import csv
import json
from urllib.parse import urlsplit

import duckdb
import pytest
from jsonschema import Draft202012Validator, FormatChecker

from flows.directory.export_hsds import SCHEMA_FILE, write_hsds
from flows.settings import get_settings
from tests.support import messy_directory as messy
from tests.unit.directory.test_import import run_import

# jsonschema checks `uri` only with optional packages this project does not install; this
# checker is the RFC 3986 minimum HSDS relies on: a scheme and, for the web, a host.
FORMATS = FormatChecker()


@FORMATS.checks("uri")
def is_uri(value: object) -> bool:
    parts = urlsplit(str(value))
    return bool(parts.scheme) and (parts.scheme not in ("http", "https") or bool(parts.netloc))


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    """The messy spreadsheet imported, edited once (for change-log rows), then exported."""
    home = tmp_path_factory.mktemp("home")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("TMT_HOME", str(home))
        run_import(messy.write_csv(home / "repertoire.csv"))
        edited = [dict(row) for row in messy.ROWS]
        edited[1]["email"] = "nouveau@centre.example.net"
        run_import(messy.write_csv(home / "repertoire-modifie.csv", edited))
        folder = home / "hsds"
        with duckdb.connect(str(get_settings().work_db), read_only=True) as con:
            write_hsds(con, folder)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    return folder, descriptor


def read_resource(folder, resource) -> list[dict]:
    """CSV rows as JSON objects, as a datapackage reader would type them."""
    types = {field["name"]: field["type"] for field in resource["schema"]["fields"]}
    missing = resource["schema"].get("missingValues", [""])
    with (folder / resource["path"]).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    typed = []
    for row in rows:
        item = {}
        for name, value in row.items():
            if value in missing:
                continue
            item[name] = float(value) if types[name] == "number" else value
        typed.append(item)
    return typed


def test_every_table_validates_against_the_hsds_schema(package):
    folder, descriptor = package
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    for table in schema["properties"].values():  # tabular form: the foreign keys are required
        table["items"]["required"] += table["items"].get("tabular_required", [])
    document = {resource["name"]: read_resource(folder, resource)
                for resource in descriptor["resources"]}
    errors = [f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
              for error in Draft202012Validator(schema, format_checker=FORMATS)
              .iter_errors(document)]
    assert errors == []
    assert {"organization", "service", "location", "address", "phone", "schedule", "language",
            "accessibility", "service_area", "metadata", "attribute", "taxonomy_term"} \
        <= set(document)
    # The `do_not_refer` organization is not published.
    assert len(document["organization"]) == messy.EXPECTED_ORGANIZATIONS - 1
    # A service in the organization's own words is published as written, with no taxonomy.
    [cooking] = [row for row in document["service"] if row["name"] == "Cours de cuisine"]
    assert not any(row["link_id"] == cooking["id"] for row in document["attribute"])
    assert {row["status"] for row in document["service"]} == {"active", "temporarily closed"}
    assert any(row["field_name"] == "email" and row["last_action_type"] == "update"
               for row in document["metadata"])


def test_the_descriptor_matches_the_files_and_the_schema(package):
    folder, descriptor = package
    hsds = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))["properties"]
    assert descriptor["profile"] == "tabular-data-package"
    for resource in descriptor["resources"]:
        table = hsds[resource["name"]]["items"]
        assert resource["path"] == table["path"]
        with (folder / resource["path"]).open(encoding="utf-8") as handle:
            header = next(csv.reader(handle))
        names = [field["name"] for field in resource["schema"]["fields"]]
        assert header == names
        assert names == [name for name in table["properties"] if name in names]  # HSDS order
        assert set(table["required"] + table.get("tabular_required", [])) <= set(names)


def test_ids_are_unique_and_references_resolve(package):
    folder, descriptor = package
    rows = {resource["name"]: read_resource(folder, resource)
            for resource in descriptor["resources"]}
    ids = {name: [row["id"] for row in table] for name, table in rows.items()}
    for name, values in ids.items():
        assert len(values) == len(set(values)), name
    for resource in descriptor["resources"]:
        for key in resource["schema"].get("foreignKeys", []):
            target = set(ids[key["reference"]["resource"]])
            dangling = [row[key["fields"]] for row in rows[resource["name"]]
                        if key["fields"] in row and row[key["fields"]] not in target]
            assert dangling == [], (resource["name"], key)
    published = set(ids["organization"]) | set(ids["service"])
    assert all(row["link_id"] in published for row in rows["attribute"])


def test_reminder_contacts_are_not_published(package):
    folder, descriptor = package
    assert "contact" not in {resource["name"] for resource in descriptor["resources"]}
    text = "".join(path.read_text(encoding="utf-8") for path in folder.glob("*.csv"))
    assert "coordination@jardins.example.org" not in text


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


HOSTILE = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(1+1)*cmd|' /C calc'!A0",
           "\t=1+1", "\r=1+1"]


def test_no_exported_cell_starts_a_formula(tmp_path, monkeypatch):
    """Cells an organization's editor typed as formulas are written as text (a leading
    `'`) in every CSV file: organizations, locations, metadata and the rest; numbers
    such as a negative longitude stay numbers."""
    monkeypatch.setenv("TMT_HOME", str(tmp_path))
    hostile = [dict(row) for row in messy.ROWS]
    first = hostile[0]
    first["description"], first["alternate_name"] = HOSTILE[0], HOSTILE[1]
    first["address"] = HOSTILE[3] + ", rue de l'Exemple"
    hostile[1]["description"] = HOSTILE[2]
    hostile[1]["alternate_name"] = HOSTILE[4]
    antenna = next(row for row in hostile if row["name"] == "Antenne fictive de Victoriaville")
    antenna["name"] = "=HYPERLINK(\"http://attaquant.example.net\",\"Antenne\")"
    run_import(messy.write_csv(tmp_path / "repertoire.csv", hostile))
    edited = [dict(row) for row in hostile]
    edited[1]["description"] = HOSTILE[5]
    run_import(messy.write_csv(tmp_path / "repertoire-modifie.csv", edited))
    with duckdb.connect(str(get_settings().work_db), read_only=True) as con:
        write_hsds(con, tmp_path / "hsds")
    cells = {}
    for path in (tmp_path / "hsds").glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                cells.update((cell, path.name) for cell in row)
    starting = {cell: name for cell, name in cells.items()
                if cell[:1] in ("=", "+", "-", "@", "\t", "\r")}
    assert [cell for cell in starting if not is_number(cell)] == []  # numbers only
    written = {cell.lstrip("'") for cell in cells if cell.startswith("'")}
    assert {"=cmd|' /C calc'!A0", "+1+1", "-2+3"} <= written
    assert {name for cell, name in cells.items() if cell.startswith("'")} \
        >= {"organizations.csv", "locations.csv", "metadata.csv"}


def test_the_rejected_rows_file_and_sql_csv_are_neutralized_too(tmp_path, monkeypatch):
    from flows.sql import render

    assert render(["nom", "longitude"], [("=1+1", -73.5), ("-73.5", None)], "csv") \
        == "nom,longitude\n'=1+1,-73.5\n-73.5,"
    monkeypatch.setenv("TMT_HOME", str(tmp_path))
    rows = [dict(messy.ROWS[0]), messy.row(name="@SUM(1+1)", regions_served="Nulle part")]
    _, _, quarantined, _ = run_import(messy.write_csv(tmp_path / "repertoire.csv", rows))
    text = quarantined.read_text(encoding="utf-8-sig")
    assert "'@SUM(1+1)" in text and ",@SUM" not in text
