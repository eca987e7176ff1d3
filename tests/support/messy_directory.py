"""A messy, real-looking directory spreadsheet, written as CSV (French headers, semicolons,
Windows-1252, a title above the table) and as XLSX (English headers, typed cells).

Every organization is fictional: example domains and 555-01xx numbers. Each row is there
for one case; EXPECTED_REJECTED says which rows must be rejected and in which column (a row
is rejected only when the listing is unusable: no name, no place, no way to reach it).
"""
from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

FIELDS = ["name", "alternate_name", "description", "regions_served", "mrcs_served", "address",
          "municipality", "postal_code", "phone", "email", "website", "other_urls",
          "contact_email", "wheelchair_access", "accessibility_details", "hours", "languages",
          "services", "target_populations", "free_of_charge", "status", "last_confirmed"]
# Headers as a person types them: case, accents, spaces, hyphens, a question mark.
FRENCH_HEADERS = ["NOM", "Autre nom", "Description", "Régions desservies", "MRC desservies",
                  "Adresse", "Municipalité", "Code Postal", "Téléphone", "Courriel", "Site Web",
                  "Autres liens", "Courriel contact", "Accessibilité-fauteuil",
                  "Accessibilité détails", "Heures", "Langues", "Services",
                  "Populations cibles", "Gratuit ?", "Statut", "Dernière confirmation"]
ENGLISH_HEADERS = ["Name", "Alternate Name", "description", "Regions Served", "MRCs served",
                   "Address", "Municipality", "Postal code", "Phone", "E-mail", "Website",
                   "Other URLs", "Contact email", "Wheelchair access", "Accessibility details",
                   "Hours", "Languages", "Services", "Target populations", "Free of charge",
                   "Status", "Last confirmed"]
TITLE = "Répertoire des ressources - version de travail (ne pas diffuser)"


def row(**values) -> dict:
    return {field: values.get(field, "") for field in FIELDS}


ROWS = [
    # 4: the Jardins organization, lists every which way, line breaks in cells
    row(name="Carrefour fictif des Jardins", alternate_name="CFJ",
        description="Organisme fictif.\nAccueil des travailleurs agricoles.",
        regions_served="Montérégie", mrcs_served="MRC des Jardins-de-Napierville",
        address="100, rue de l'Exemple", municipality="St-Rémi", postal_code="j0l2l0",
        phone="(450) 555-0120, poste 3", email="Accueil@Jardins.example.org",
        website="jardins.example.org", other_urls="https://www.example.com/cfj\nhttps://example.net/cfj",
        contact_email="coordination@jardins.example.org",
        wheelchair_access="Oui, rampe à l'arrière", hours="lun-ven 8 h 30 - 16 h 30",
        languages="Français\nEnglish / es; k'iche'",
        services="ACCUEIL; cours de francais / Droits du travail",
        target_populations="TET, Travailleurs agricoles saisonniers", free_of_charge="oui",
        status="Actif", last_confirmed="15/01/2025"),
    # 5: Centre-du-Québec, in English words, region by code
    row(name="Point fictif du Centre", regions_served="17", municipality="Drummondville",
        address="7, rue de la Démonstration", postal_code="J2B 1A1", phone="819.555.0121",
        email="info@centre.example.net", website="https://centre.example.net/",
        wheelchair_access="partial", languages="French, Spanish",
        services="Reception and settlement / Interpretation and translation",
        target_populations="Temporary foreign workers", free_of_charge="yes", status="active",
        last_confirmed="March 3, 2025", hours="Mon-Fri 9:00-17:00"),
    # 6: a second location of row 4 (same name, same website, another municipality)
    row(name="Carrefour fictif des Jardins", website="https://jardins.example.org",
        address="25, chemin du Modèle", municipality="Saint-Patrice-de-Sherrington",
        postal_code="J0L 2N0", phone="450 555-0122", wheelchair_access="non",
        hours="mar 13 h - 20 h", languages="fr, es"),
    # 7: the same as row 5 again: a duplicate, merged
    row(name="Point fictif du Centre", regions_served="17", municipality="Drummondville",
        address="7, rue de la Démonstration", postal_code="J2B 1A1", phone="819 555-0121"),
    # 8: bad email, and no other way to reach the organization
    row(name="Courriel brisé fictif", regions_served="06", email="info@exemple"),
    # 9: a service not in the vocabulary: kept as the organization's own words
    row(name="Atelier fictif", regions_served="Laval", services="Accueil; Cours de cuisine"),
    # 10: unknown region, no municipality
    row(name="Hors Québec fictif", regions_served="Nouvelle-Écosse"),
    # 11: a phone without its area code, the only way to reach it
    row(name="Téléphone court fictif", regions_served="Estrie", phone="555-0123"),
    # 12: no name
    row(regions_served="Estrie", email="sansnom@example.org"),
    # 13: a date that does not exist: dropped, the row kept
    row(name="Date impossible fictive", regions_served="04", last_confirmed="2025-02-30"),
    # 14: another organization with the website of row 5: reported, imported
    row(name="Antenne fictive de Victoriaville", regions_served="Centre-du-Québec",
        municipality="Victoriaville", website="http://www.centre.example.net",
        services="Aide alimentaire", languages="français"),
    # 15: no region, derived from the municipality; hours kept as text; do not refer
    row(name="Ancien service fictif de Québec", municipality="Québec",
        hours="Sur rendez-vous", status="ne pas référer", services="Logement",
        wheelchair_access="x"),
    # 16: a homonym municipality told apart by the region
    row(name="Service fictif de Saint-Louis", regions_served="Montérégie",
        municipality="Saint-Louis-de-Gonzague", services="Emploi", status="fermé temporairement"),
    # 17: wheelchair access that means nothing: dropped
    row(name="Accès flou fictif", regions_served="Mauricie", wheelchair_access="peut-être"),
    # 18: two problems in one row, the website its only contact: one line naming both
    row(name="Deux erreurs fictives", regions_served="Outaouais", postal_code="12345",
        website="http://exemple .org"),
    # 19: a blank row (skipped), then 20: a date in the future: dropped
    row(),
    row(name="Futur fictif", regions_served="Laurentides", last_confirmed="2099-01-01"),
]
FIRST_DATA_ROW = 4  # title on row 1, an empty row, the header on row 3
EXPECTED_REJECTED = {  # spreadsheet row -> field whose column is named first in the error
    8: "email", 10: "regions_served", 11: "phone", 12: "name", 18: "postal_code",
}
EXPECTED_DROPPED = {13: "last_confirmed", 17: "wheelchair_access", 20: "last_confirmed"}
# rows 4 (with 6 as its second location), 5 (with its duplicate 7), 9, 13, 14, 15, 16, 17, 20
EXPECTED_ORGANIZATIONS = 9
TODAY = date(2025, 6, 1)


def write_csv(path: Path, rows: list[dict] = ROWS) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([TITLE])
    writer.writerow([])
    writer.writerow([*FRENCH_HEADERS, "Notes internes"])
    for values in rows:
        writer.writerow([values[field] for field in FIELDS] + [""])
    path.write_bytes(buffer.getvalue().encode("cp1252"))
    return path


def write_xlsx(path: Path, rows: list[dict] = ROWS) -> Path:
    """The same rows with English headers and typed cells (a real date, a number)."""
    from openpyxl import Workbook

    workbook = Workbook()
    notes = workbook.active
    notes.title = "Lisez-moi"
    notes.append(["Feuille de notes : le répertoire est dans l'autre onglet."])
    sheet = workbook.create_sheet("Répertoire")
    sheet.append([TITLE])
    sheet.append([])
    sheet.append(ENGLISH_HEADERS)
    for values in rows:
        cells = [values[field] or None for field in FIELDS]
        if values["last_confirmed"] == "15/01/2025":
            cells[FIELDS.index("last_confirmed")] = date(2025, 1, 15)
        if values["phone"] == "819.555.0121":
            cells[FIELDS.index("phone")] = 8195550121
        sheet.append(cells)
    workbook.save(path)
    return path
