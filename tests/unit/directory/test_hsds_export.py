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
