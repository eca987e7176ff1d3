"""The directory in Open Referral HSDS 3 tabular form: CSV files and a datapackage.json.

Written from the directory tables of the working database. Left out on purpose:
organizations marked `do_not_refer` (a referral decision, not public information), the
reminder contacts (people's own addresses) and their change-log rows.
"""
from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import duckdb

from .. import csv_cells
from .model import stable_id
from .vocabularies import geography, read_seed

SCHEMA_FILE = Path(__file__).resolve().parent / "hsds" / "tabular.json"
STATUS = {"active": "active", "temporarily_closed": "temporarily closed", "inactive": "inactive"}
ACCESS_FR = {"yes": "oui", "partial": "partiel", "no": "non"}
PRIVATE_FIELDS = ("contact_name", "contact_email")
REFERENCES = {"organization_id": "organization", "service_id": "service",
              "location_id": "location", "taxonomy_term_id": "taxonomy_term",
              "taxonomy_id": "taxonomy"}
TAXONOMIES = {"services": ("ref_directory_services", "service_code", "Services du répertoire",
                           "Services offerts aux personnes immigrantes (Observatoire TMT)."),
              "populations": ("ref_directory_populations", "population_code",
                              "Populations cibles", ("Populations à qui s'adressent les "
                                                     "services (Observatoire TMT)."))}


@lru_cache(maxsize=1)
def hsds_tables() -> dict:
    """Table name -> the HSDS row schema (properties in HSDS order, required lists)."""
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return {name: table["items"] for name, table in schema["properties"].items()}


def write_hsds(con: duckdb.DuckDBPyConnection, folder: Path) -> Path:
    tables = _tables(con)
    folder.mkdir(parents=True, exist_ok=True)
    resources = []
    for name, rows in tables.items():
        table = hsds_tables()[name]
        written = {column for row in rows for column, value in row.items() if value is not None}
        columns = [c for c in table["properties"] if c in written or c in _required(table)]
        with (folder / table["path"]).open("w", encoding="utf-8", newline="") as handle:
            writer = csv_cells.writer(handle, lineterminator="\n")
            writer.writerow(columns)
            writer.writerows([_text(row.get(column)) for column in columns] for row in rows)
        resources.append(_resource(name, table, columns))
    package = {
        "name": "repertoire-ressources-immigration",
        "title": "Répertoire des ressources en immigration (Observatoire TMT)",
        "description": "Organismes d'aide aux personnes immigrantes du Québec, format Open "
                       "Referral HSDS 3 (tabulaire).",
        "profile": "tabular-data-package",
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "resources": resources,
    }
    path = folder / "datapackage.json"
    path.write_text(json.dumps(package, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def _required(table: dict) -> list[str]:
    return table["required"] + table.get("tabular_required", [])


def _resource(name: str, table: dict, columns: list[str]) -> dict:
    fields = []
    for column in columns:
        spec = table["properties"][column]
        field = {"name": column, "type": spec.get("datapackage_type") or spec["type"]}
        if spec.get("format") in ("email", "uri", "uuid"):
            field["format"] = spec["format"]
        constraints = {"required": True} if column in _required(table) else {}
        if "enum" in spec:
            constraints["enum"] = spec["enum"]
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    schema: dict = {"fields": fields, "primaryKey": "id", "foreignKeys": [
        {"fields": column, "reference": {"resource": REFERENCES[column], "fields": "id"}}
        for column in columns if column in REFERENCES and REFERENCES[column] != name]}
    if name == "metadata":  # an empty previous value (a creation) is a value, not a null
        schema["missingValues"] = []
    return {"name": name, "path": table["path"], "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "schema": schema}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _rows(con, sql: str) -> list[dict]:
    relation = con.sql(sql)
    return [dict(zip(relation.columns, row)) for row in relation.fetchall()]


def _tables(con) -> dict[str, list[dict]]:
    listed = "(select organization_id from directory.organization where status <> 'do_not_refer')"
    regions = geography().regions
    mrcs = geography().mrcs
    municipalities = geography().municipalities
    organizations = _rows(con, f"""
        select organization_id as id, name, alternate_name, coalesce(description, name) as
            description, email, website
        from directory.organization where organization_id in {listed} order by name""")
    by_org = {o["organization_id"]: o for o in _rows(con, f"""select organization_id, website, email, status,
        free_of_charge, last_confirmed_at from directory.organization
        where organization_id in {listed}""")}
    services = _rows(con, f"""select service_id, organization_id, service_code, null as term
        from directory.service where organization_id in {listed}
        union all  -- services in the organization's own words: no taxonomy term
        select free_term_id, organization_id, null, term from directory.free_term
        where field_name = 'services' and organization_id in {listed}
        order by service_id""")
    locations = _rows(con, f"""select location.location_id, location.organization_id,
        location.location_type, location.hours_text, organization.name
        from directory.location join directory.organization using (organization_id)
        where organization_id in {listed} order by location_id""")
    labels = {row["service_code"]: row for row in read_seed("ref_directory_services")}
    areas = _rows(con, f"""select organization_id, region_code, mrc_code
        from directory.service_area where organization_id in {listed}""")
    tables: dict[str, list[dict]] = {"organization": organizations, "service": [],
                                     "service_at_location": [], "service_area": []}
    for service in services:
        org = by_org[service["organization_id"]]
        label = labels.get(service["service_code"]) or {
            "label_fr": service["term"],
            "description_fr": "Service décrit par l'organisme, hors vocabulaire du répertoire."}
        tables["service"].append({
            "id": service["service_id"], "organization_id": service["organization_id"],
            "name": label["label_fr"], "description": label["description_fr"],
            "url": org["website"], "email": org["email"], "status": STATUS[org["status"]],
            "fees_description": {True: "Gratuit", False: "Des frais peuvent s'appliquer",
                                 None: None}[org["free_of_charge"]],
            "assured_date": org["last_confirmed_at"]})
        tables["service_at_location"] += [
            {"id": stable_id(service["service_id"], location["location_id"]),
             "service_id": service["service_id"], "location_id": location["location_id"]}
            for location in locations if location["organization_id"] == service["organization_id"]]
        tables["service_area"] += [
            {"id": stable_id(service["service_id"], area["region_code"], area["mrc_code"] or ""),
             "service_id": service["service_id"],
             "name": (f"{mrcs[area['mrc_code']][0]} ({regions[area['region_code']]})"
                      if area["mrc_code"] else regions[area["region_code"]]),
             "description": f"Région administrative {area['region_code']}"
                            + (f", MRC {area['mrc_code']}" if area["mrc_code"] else "")}
            for area in areas if area["organization_id"] == service["organization_id"]]
    tables["location"] = [
        {"id": loc["location_id"], "location_type": loc["location_type"],
         "organization_id": loc["organization_id"], "name": loc["name"]} for loc in locations]
    tables["address"] = [
        {"id": row["address_id"], "location_id": row["location_id"], "address_1": row["address_1"],
         "city": municipalities[row["municipality_code"]].name if row["municipality_code"]
         else row["city"],
         "region": regions[municipalities[row["municipality_code"]].region_code]
         if row["municipality_code"] else None,
         "state_province": row["state_province"], "postal_code": row["postal_code"],
         "country": row["country"], "address_type": "physical"}
        for row in _rows(con, f"""select * from directory.address
            where organization_id in {listed} and address_1 is not null
            and postal_code is not null order by address_id""")]
    tables["phone"] = [
        {"id": row["phone_id"], "location_id": row["location_id"],
         "organization_id": row["organization_id"], "number": row["number"],
         "extension": row["extension"], "type": "voice"}
        for row in _rows(con, f"""select * from directory.phone
            where organization_id in {listed} order by phone_id""")]
    tables["schedule"] = [
        {"id": row["schedule_id"], "location_id": row["location_id"], "freq": row["freq"],
         "byday": row["byday"], "opens_at": f"{row['opens_at']}:00",
         "closes_at": f"{row['closes_at']}:00", "description": row["description"]}
        for row in _rows(con, f"""select * from directory.schedule
            where organization_id in {listed} order by schedule_id""")]
    names = {row["language_code"]: row["name_fr"] for row in read_seed("ref_iso_639_languages")}
    tables["language"] = [
        {"id": row["language_id"], "location_id": row["location_id"],
         "name": names.get(row["language_code"]), "code": row["language_code"]}
        for row in _rows(con, f"""select * from directory.language
            where organization_id in {listed} order by language_id""")]
    tables["accessibility"] = [
        {"id": row["accessibility_id"], "location_id": row["location_id"],
         "description": (f"Accès en fauteuil roulant : {ACCESS_FR[row['wheelchair_access']]}"
                         if row["wheelchair_access"] else None), "details": row["details"]}
        for row in _rows(con, f"""select * from directory.accessibility
            where organization_id in {listed} order by accessibility_id""")]
    tables.update(_taxonomies(con, listed, services))
    tables["metadata"] = [
        {"id": row["metadata_id"], "resource_id": row["resource_id"],
         "resource_type": row["resource_type"],
         "last_action_date": row["last_action_date"].date().isoformat(),
         "last_action_type": row["last_action_type"], "field_name": row["field_name"],
         "previous_value": row["previous_value"] or "",
         "replacement_value": row["replacement_value"] or "", "updated_by": row["updated_by"]}
        for row in _rows(con, f"""select * from directory.metadata
            where resource_id in {listed} and field_name not in {PRIVATE_FIELDS}
            order by last_action_date, metadata_id""")]
    return tables


def _taxonomies(con, listed: str, services: list[dict]) -> dict[str, list[dict]]:
    taxonomies, terms, attributes = [], [], []
    term_ids: dict[tuple[str, str], str] = {}
    for taxonomy, (seed, code_column, title, description) in TAXONOMIES.items():
        taxonomy_id = stable_id("taxonomy", taxonomy)
        taxonomies.append({"id": taxonomy_id, "name": title, "description": description,
                           "version": "1"})
        for row in read_seed(seed):
            term_id = term_ids[taxonomy, row[code_column]] = stable_id("term", taxonomy,
                                                                      row[code_column])
            terms.append({"id": term_id, "code": row[code_column], "name": row["label_fr"],
                          "description": row["description_fr"], "taxonomy": title,
                          "language": "fr", "taxonomy_id": taxonomy_id})
    for service in services:
        if service["service_code"] is None:  # the organization's own words
            continue
        attributes.append({"id": stable_id(service["service_id"], "attribute"),
                           "link_id": service["service_id"],
                           "taxonomy_term_id": term_ids["services", service["service_code"]],
                           "link_type": "service_type", "link_entity": "service"})
    for row in _rows(con, f"""select attribute_id, organization_id, population_code
            from directory.organization_population where organization_id in {listed}
            order by attribute_id"""):
        attributes.append({"id": row["attribute_id"], "link_id": row["organization_id"],
                           "taxonomy_term_id": term_ids["populations", row["population_code"]],
                           "link_type": "target_population", "link_entity": "organization"})
    return {"taxonomy": taxonomies, "taxonomy_term": terms, "attribute": attributes}
