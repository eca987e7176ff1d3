"""The spreadsheet's columns: canonical headers in French and English, and finding them.

The documented list (docs/directory-spreadsheet.md) is FIELDS; the templates
(flows/sample/directory/modele-repertoire.csv, French headers, and directory-template.csv,
English headers) are checked against it by the tests.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import BadFileError
from .text import cell_text, header_key

# field (internal name, the English header), French header, English header
FIELDS: list[tuple[str, str, str]] = [
    ("name", "nom", "name"),
    ("alternate_name", "autre_nom", "alternate_name"),
    ("description", "description", "description"),
    ("regions_served", "regions_desservies", "regions_served"),
    ("mrcs_served", "mrc_desservies", "mrcs_served"),
    ("address", "adresse", "address"),
    ("municipality", "municipalite", "municipality"),
    ("postal_code", "code_postal", "postal_code"),
    ("phone", "telephone", "phone"),
    ("email", "courriel", "email"),
    ("website", "site_web", "website"),
    ("other_urls", "autres_liens", "other_urls"),
    ("contact_email", "courriel_contact", "contact_email"),
    ("wheelchair_access", "accessibilite_fauteuil", "wheelchair_access"),
    ("accessibility_details", "accessibilite_details", "accessibility_details"),
    ("hours", "heures", "hours"),
    ("languages", "langues", "languages"),
    ("services", "services", "services"),
    ("target_populations", "populations_cibles", "target_populations"),
    ("free_of_charge", "gratuit", "free_of_charge"),
    ("status", "statut", "status"),
    ("last_confirmed", "derniere_confirmation", "last_confirmed"),
]
# Optional columns beyond the list: a stable identifier kept across imports, and
# the name of the person who receives the reminders.
OPTIONAL_FIELDS: list[tuple[str, str, str]] = [
    ("id", "identifiant", "id"),
    ("contact_name", "personne_contact", "contact_name"),
]
# Other headers people give these columns in real directory spreadsheets (issue 15).
# Not `organisme` alone: a column of that name may hold a type of organization.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("nom de l'organisme", "nom de l'organisation", "organization name"),
    "regions_served": ("région", "régions", "région desservie", "région administrative",
                       "region", "regions"),
    "municipality": ("ville", "city"),
    "phone": ("tél", "tel", "numéro de téléphone", "phone number"),
    "email": ("adresse courriel", "email address"),
    "website": ("site internet", "site", "web"),
    "services": ("services offerts", "services offered", "type de services"),
    "target_populations": ("clientèle", "clientèle cible", "population cible",
                           "public cible", "populations"),
    "languages": ("langues parlées", "langues de service", "languages spoken"),
    "hours": ("heures d'ouverture", "horaire", "opening hours"),
}
FRENCH = {field: french for field, french, _ in FIELDS + OPTIONAL_FIELDS}
_BY_KEY = {header_key(header): field
           for field, french, english in FIELDS + OPTIONAL_FIELDS
           for header in (french, english)}
_BY_KEY.update({header_key(header): field for field, headers in HEADER_ALIASES.items()
                for header in headers})
HEADER_SEARCH_ROWS = 15


@dataclass(frozen=True)
class Columns:
    header_row: int  # 0-based index of the header row in the sheet
    fields: dict[int, str]  # column index -> field
    headers: dict[str, str]  # field -> the header as written (for messages)
    ignored: list[str]  # headers that are not ours, reported and skipped


def field_for(header: str) -> str | None:
    return _BY_KEY.get(header_key(header))


def find_columns(rows: list[list[object]], file_name: str) -> Columns:
    """The first row (among the first 15) with a name column is the header row: a title
    or a note above the table is fine."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        texts = [cell_text(cell) for cell in row]
        if "name" not in {field_for(text) for text in texts if text}:
            continue
        fields: dict[int, str] = {}
        headers: dict[str, str] = {}
        ignored: list[str] = []
        for column, text in enumerate(texts):
            field = field_for(text) if text else None
            if field is None:
                if text:
                    ignored.append(text)
                continue
            if field in headers:
                raise BadFileError(file_name, f"ligne {index + 1} : deux colonnes pour "
                                   f"« {FRENCH[field]} » ({headers[field]!r} et {text!r}) "
                                   "(two columns for the same field)")
            fields[column], headers[field] = field, text
        if "regions_served" not in headers and "municipality" not in headers:
            raise BadFileError(file_name, "ni colonne « regions_desservies » ni colonne "
                               "« municipalite » : impossible de placer les organismes "
                               "(no regions_served or municipality column)")
        return Columns(index, fields, headers, ignored)
    raise BadFileError(file_name, f"aucune colonne « nom » ou « name » dans les "
                       f"{HEADER_SEARCH_ROWS} premières lignes (no name column)")

