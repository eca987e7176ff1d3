"""One organization's listing as it is published (marts.directory_organizations), as the
labelled fields that the reminder email shows and the confirmation page lets a person
confirm or correct. Codes (languages, services, regions) are shown with their labels from
the dbt seeds, in French and in English."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import duckdb

from ..directory.vocabularies import read_seed

COLUMNS = ("organization_id", "name", "alternate_name", "status", "address", "municipality",
           "postal_code", "phones", "email", "website", "hours", "languages", "services",
           "region_codes", "wheelchair_access", "description", "last_confirmed_at")
WHEELCHAIR = {"yes": ("Oui", "Yes"), "partial": ("Partielle", "Partial"), "no": ("Non", "No")}
# (key, French label, English label): the order of the email and the page.
FIELDS = (
    ("name", "Nom", "Name"),
    ("address", "Adresse", "Address"),
    ("phones", "Téléphone", "Phone"),
    ("email", "Courriel", "Email"),
    ("website", "Site Web", "Website"),
    ("hours", "Heures d'ouverture", "Opening hours"),
    ("languages", "Langues parlées", "Languages spoken"),
    ("services", "Services", "Services"),
    ("regions", "Régions desservies", "Regions served"),
    ("wheelchair_access", "Accès en fauteuil roulant", "Wheelchair access"),
    ("description", "Description", "Description"),
)


@dataclass(frozen=True)
class Field:
    key: str
    label_fr: str
    label_en: str
    value_fr: str
    value_en: str


@dataclass(frozen=True)
class Listing:
    organization_id: str
    name: str
    status: str
    email: str | None
    last_confirmed_at: date | None
    region_codes: str | None
    fields: tuple[Field, ...]

    def value(self, key: str, language: str = "fr") -> str:
        for field in self.fields:
            if field.key == key:
                return field.value_fr if language == "fr" else field.value_en
        raise KeyError(key)


@lru_cache(maxsize=1)
def _labels() -> dict[str, dict[str, tuple[str, str]]]:
    return {
        "languages": {row["language_code"]: (row["name_fr"], row["name_en"])
                      for row in read_seed("ref_iso_639_languages")},
        "services": {row["service_code"]: (row["label_fr"], row["label_en"])
                     for row in read_seed("ref_directory_services")},
        "regions": {row["region_code"]: (row["region_name_fr"], row["region_name_en"])
                    for row in read_seed("ref_quebec_regions")},
    }


def _labelled(kind: str, codes: str | None) -> tuple[str, str]:
    labels = _labels()[kind]
    found = [labels.get(code.strip(), (code.strip(), code.strip()))
             for code in (codes or "").split(",") if code.strip()]
    return ", ".join(fr for fr, _ in found), ", ".join(en for _, en in found)


def from_row(row: dict) -> Listing:
    address = ", ".join(part for part in (row["address"], row["municipality"],
                                          row["postal_code"]) if part)
    name = row["name"] + (f" ({row['alternate_name']})" if row["alternate_name"] else "")
    wheelchair = WHEELCHAIR.get(row["wheelchair_access"] or "", ("", ""))
    values = {
        "name": (name, name), "address": (address, address),
        "phones": (row["phones"] or "", (row["phones"] or "").replace(" poste ", " ext. ")),
        "email": (row["email"] or "",) * 2, "website": (row["website"] or "",) * 2,
        "hours": (row["hours"] or "",) * 2,
        "languages": _labelled("languages", row["languages"]),
        "services": _labelled("services", row["services"]),
        "regions": _labelled("regions", row["region_codes"]),
        "wheelchair_access": wheelchair, "description": (row["description"] or "",) * 2,
    }
    return Listing(
        organization_id=row["organization_id"], name=row["name"], status=row["status"],
        email=row["email"], last_confirmed_at=row["last_confirmed_at"],
        region_codes=row["region_codes"],
        fields=tuple(Field(key, fr_label, en_label, *values[key])
                     for key, fr_label, en_label in FIELDS))


def _query(serving_db: Path, where: str, params: list) -> list[Listing]:
    if not serving_db.exists():
        return []
    with duckdb.connect(str(serving_db), read_only=True) as con:
        tables = {name for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        ).fetchall()}
        if "directory_organizations" not in tables:
            return []
        cursor = con.execute(f"select {', '.join(COLUMNS)} from marts.directory_organizations "
                             f"{where} order by name", params)
        return [from_row(dict(zip(COLUMNS, values, strict=True))) for values in cursor.fetchall()]


def published(serving_db: Path, organization_id: str) -> Listing | None:
    """One listing, or None when it is not (or no longer) published. The file is opened
    read-only for this call only: a publication can replace it between two requests."""
    found = _query(serving_db, "where organization_id = ?", [organization_id])
    return found[0] if found else None


def all_published(serving_db: Path) -> list[Listing]:
    return _query(serving_db, "", [])
