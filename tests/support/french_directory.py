"""A maintainer's French directory spreadsheet, the way organizations describe themselves
(issue 15): 18 rows, 12 good organizations in 12 regions using their own words for
services, populations and languages, 5 rows that really are unusable, and one duplicate.

Every organization is fictional: example domains and 555-01xx numbers. Written as CSV
(UTF-8, commas) and as XLSX (the same cells): the same rules must give the same result.
"""
from __future__ import annotations

import csv
from pathlib import Path

HEADERS = ["Nom de l'organisme", "Région", "Municipalité", "Adresse", "Téléphone", "Courriel",
           "Site web", "Services offerts", "Clientèle", "Langues parlées", "Gratuit"]


def row(name="", region="", city="", address="", phone="", email="", website="",
        services="", populations="", languages="", free="Oui") -> list[str]:
    return [name, region, city, address, phone, email, website, services, populations,
            languages, free]


ROWS = [
    # 2
    row("Accueil fictif des Jardins", "Montérégie", "Saint-Rémi", "10, rue de l'Exemple",
        "450 555-0101", "info@jardins.example.org", "jardins.example.org",
        "Accueil et établissement; Francisation", "Travailleurs agricoles saisonniers, Permis fermé",
        "FR/EN/ES"),
    # 3
    row("Maison fictive de l'Estrie", "Estrie", "Sherbrooke", "20, rue du Modèle",
        "819-555-0102", "bonjour@estrie.example.org", "",
        "Jumelage interculturel / Emploi", "Personnes réfugiées; Étudiants étrangers",
        "français, arabe"),
    # 4: bad, no name
    row("", "Laurentides", "", "", "450 555-0103", "sansnom@example.org"),
    # 5
    row("Carrefour fictif d'Eeyou Istchee", "Nord-du-Québec", "Chibougamau",
        "30, 3e Rue", "418 555-0104", "", "https://baiejames.example.org",
        "Activités d'intégration, Santé", "Immigrants", "FR/EN, cri"),
    # 6
    row("Service fictif du Fjord", "Saguenay–Lac-Saint-Jean", "Saguenay", "",
        "418 555-0105", "aide@fjord.example.org", "",
        "Soutien psychologique; Aide juridique", "Familles", "français et anglais"),
    # 7: bad, no region and no municipality
    row("Groupe fictif sans adresse", "", "", "", "514 555-0106", "groupe@example.org",
        services="Emploi"),
    # 8
    row("Point fictif de la Capitale", "Capitale-Nationale", "Québec", "40, rue Saint-Jean",
        "418 555-0107", "point@capitale.example.org", "",
        "Aide juridique\nLogement", "Permis fermé", "tagalog; français"),
    # 9
    row("Centre fictif de Laval", "Laval", "Laval", "50, boulevard de l'Essai",
        "450 555-0108", "centre@laval.example.org", "",
        "Emploi; Cours de cuisine", "Nouveaux arrivants", "créole haïtien, français"),
    # 10: bad, the only contact is an email that is not one
    row("Courriel fictif brisé", "Outaouais", "Gatineau", "", "", "info@exemple", "",
        "Francisation"),
    # 11
    row("Ressource fictive de l'Outaouais", "Outaouais", "Gatineau", "60, rue du Test",
        "819 555-0109", "", "outaouais.example.org",
        "Santé, Interprète", "Immigrants", "langue des signes québécoise, français"),
    # 12: the same organization as row 3 again, same address: a duplicate, merged
    row("Maison fictive de l'Estrie", "Estrie", "Sherbrooke", "20, rue du Modèle",
        "(819) 555-0102", "", "", "Francisation", "", "espagnol"),
    # 13
    row("Organisme fictif du Bas-du-Fleuve", "Bas-Saint-Laurent", "Rimouski", "",
        "418 555-0110", "accueil@rimouski.example.org", "",
        "Accueil des nouveaux arrivants; Aide aux devoirs", "Familles", "français"),
    # 14: bad, a region outside Quebec and no municipality
    row("Bureau fictif d'Ottawa", "Ontario", "", "", "613 555-0111", "ottawa@example.org"),
    # 15
    row("Antenne fictive de la Mauricie", "Mauricie", "Trois-Rivières", "70, rue des Forges",
        "819 555-0112", "antenne@mauricie.example.org", "",
        "Francisation; Jumelage interculturel", "Étudiants étrangers", "français, anglais"),
    # 16
    row("Comité fictif des travailleurs", "Montréal", "Montréal", "80, rue de la Démo",
        "514 555-0113", "comite@montreal.example.org", "",
        "Droits des travailleurs migrants; Aide juridique", "Travailleurs migrants",
        "espagnol, français"),
    # 17: bad, a phone without area code and a website that is not one: nothing to reach
    row("Injoignable fictif", "Lanaudière", "", "", "555-0114", "", "http://exemple .org",
        "Emploi"),
    # 18
    row("Regroupement fictif de la Gaspésie", "Gaspésie–Îles-de-la-Madeleine", "Gaspé", "",
        "418 555-0115", "info@gaspesie.example.org", "",
        "Transport et accompagnement; Épicerie solidaire", "Immigrants", "français"),
    # 19
    row("Association fictive du Centre", "Centre-du-Québec", "Drummondville",
        "90, rue Heriot", "819 555-0116", "association@centre.example.org", "",
        "Déclaration de revenus; Activités d'intégration", "Travailleurs étrangers temporaires",
        "espagnol, k'iche'"),
]
FIRST_DATA_ROW = 2
# Row -> (column named first, words of the reason).
EXPECTED_REJECTED = {
    4: ("Nom de l'organisme", "nom manquant"),
    7: ("Région", "région manquante ou inconnue et municipalité absente ou inconnue"),
    10: ("Courriel", "courriel invalide"),
    14: ("Région", "région inconnue : « Ontario »"),
    17: ("Téléphone", "numéro invalide"),
}
DUPLICATE = (3, 12)
GOOD_REGIONS = {"16": "Accueil fictif des Jardins", "05": "Maison fictive de l'Estrie",
                "10": "Carrefour fictif d'Eeyou Istchee", "02": "Service fictif du Fjord",
                "03": "Point fictif de la Capitale", "13": "Centre fictif de Laval",
                "07": "Ressource fictive de l'Outaouais",
                "01": "Organisme fictif du Bas-du-Fleuve",
                "04": "Antenne fictive de la Mauricie", "06": "Comité fictif des travailleurs",
                "11": "Regroupement fictif de la Gaspésie", "17": "Association fictive du Centre"}
# Terms no vocabulary entry matches: kept as the organizations' own words.
FREE_TEXT = {"Cours de cuisine", "Aide aux devoirs", "Épicerie solidaire"}


def write_csv(path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS)
        writer.writerows(ROWS)
    return path


def write_xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Répertoire"
    sheet.append(HEADERS)
    for values in ROWS:
        sheet.append([value or None for value in values])
    workbook.save(path)
    return path
