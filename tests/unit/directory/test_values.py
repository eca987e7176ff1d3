"""Reading cells the way a person meant them: headers, lists, vocabularies, values, hours."""
from __future__ import annotations

from datetime import date

import pytest

from flows.directory import values, vocabularies
from flows.directory.headers import field_for
from flows.directory.hours import Schedule, parse_hours
from flows.directory.text import split_list

WEEKDAYS = "MO,TU,WE,TH,FR"


@pytest.mark.parametrize("header, field", [
    ("Site Web", "website"), ("site-web", "website"), ("SITE_WEB", "website"),
    ("Dernière confirmation", "last_confirmed"), ("Code postal", "postal_code"),
    ("Régions desservies", "regions_served"), ("MRC desservies", "mrcs_served"),
    ("Accessibilité fauteuil", "wheelchair_access"), ("E-mail", "email"),
    ("Populations cibles", "target_populations"), ("Autre_nom", "alternate_name"),
    ("Target Populations", "target_populations"), ("Free of charge", "free_of_charge"),
    ("Notes internes", None),
])
def test_headers_ignore_case_accents_spaces_hyphens_underscores(header, field):
    assert field_for(header) == field


def test_lists_split_on_commas_semicolons_slashes_and_line_breaks():
    assert split_list("a, b; c / d\ne;;a") == ["a", "b", "c", "d", "e"]
    assert split_list("français et anglais & espagnol", words=True) == [
        "français", "anglais", "espagnol"]


@pytest.mark.parametrize("text, code", [
    ("Français", "fr"), ("english", "en"), ("ES", "es"), ("spa", "es"), ("Español", "es"),
    ("k'iche'", "quc"), ("Q’anjob’al", "kjb"), ("LSQ", "fcs"), ("créole haïtien", "ht"),
    ("Klingon", None),
])
def test_languages_by_french_or_english_name_or_iso_code(text, code):
    assert vocabularies.languages().code(text) == code


def test_services_by_code_label_in_either_language_or_alias():
    services = vocabularies.services()
    assert services.code("francisation") == services.code("Cours de français") == "francisation"
    assert services.code("LABOUR RIGHTS") == "droits_travail"
    assert services.code("Interprétation") == services.code("traduction") == "interpretation"


@pytest.mark.parametrize("text, expected", [
    ("16", ["16"]), ("3", ["03"]), ("Montérégie", ["16"]), ("monteregie", ["16"]),
    ("16 - Montérégie", ["16"]), ("Lower St. Lawrence", ["01"]), ("Gaspésie", ["11"]),
    ("Saguenay–Lac-Saint-Jean", ["02"]), ("Nouvelle-Écosse", None),
])
def test_regions_by_code_or_name(text, expected):
    assert vocabularies.geography().region_codes(text) == expected


def test_every_region_for_the_whole_province():
    assert len(vocabularies.geography().region_codes("Tout le Québec")) == 17


def test_mrcs_and_municipalities_as_people_write_them():
    geography = vocabularies.geography()
    assert geography.mrc_code("MRC des Jardins-de-Napierville") == "680"
    assert geography.mrc_code("Le Haut-Richelieu") == geography.mrc_code("560") == "560"
    assert geography.municipality_codes("St-Rémi") == ["68055"]
    assert geography.municipality_codes("Sainte-Foy") == ["23027"]  # merged into Québec
    assert len(geography.municipality_codes("Saint-Louis-de-Gonzague")) == 2  # homonyms


@pytest.mark.parametrize("text, expected", [
    ("Oui", ("yes", None)), ("x", ("yes", None)), ("NON", ("no", None)),
    ("partiel (ascenseur)", ("partial", "ascenseur")),
    ("Oui, rampe à l'arrière", ("yes", "rampe à l'arrière")), ("Partial", ("partial", None)),
])
def test_wheelchair_access_with_details(text, expected):
    assert values.wheelchair(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("(418) 555-0123 poste 12", ("418-555-0123", "12")), ("418.555.0123 #4", ("418-555-0123", "4")),
    ("1 800 555-0199", ("1-800-555-0199", None)), ("5145550101", ("514-555-0101", None)),
])
def test_phone_numbers(text, expected):
    assert values.phone(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("2024-03-15", date(2024, 3, 15)), ("15/03/2024", date(2024, 3, 15)),
    ("03/15/2024", date(2024, 3, 15)), ("15 mars 2024", date(2024, 3, 15)),
    ("mars 2024", date(2024, 3, 1)), ("March 15, 2024", date(2024, 3, 15)),
    ("45366", date(2024, 3, 15)),
])
def test_confirmation_dates(text, expected):
    assert values.confirmed_on(text, date(2025, 1, 1)) == expected


@pytest.mark.parametrize("parse, text, reason", [
    (values.email, "info@exemple", "courriel invalide"),
    (values.url, "http://exemple .org", "adresse web invalide"),
    (values.postal_code, "12345", "code postal invalide"),
    (values.phone, "555-0123", "indicatif régional manquant"),
    (values.status, "peut-être", "statut inconnu"),
    (values.free_of_charge, "parfois", "oui ou non attendu"),
    (lambda text: values.confirmed_on(text, date(2025, 1, 1)), "2025-02-30", "date illisible"),
    (lambda text: values.confirmed_on(text, date(2025, 1, 1)), "2025-06-01", "dans le futur"),
])
def test_bad_values_say_why_in_french_then_english(parse, text, reason):
    with pytest.raises(values.Problem, match=reason) as raised:
        parse(text)
    assert str(raised.value).startswith(f"« {text} »") and str(raised.value).endswith(")")


def test_addresses_are_normalized():
    assert values.postal_code("g1v4m7") == "G1V 4M7"
    assert values.url("www.Example.org") == "https://www.example.org/"
    assert values.website_key("http://www.example.org/") == values.website_key("example.org")
    assert values.email("mailto:Info@Example.org") == "info@example.org"
    assert values.status("Fermé temporairement") == "temporarily_closed"
    assert values.status("ne pas référer") == "do_not_refer"


@pytest.mark.parametrize("text, expected", [
    ("O'Brien@Example.org", "o'brien@example.org"),
    ("accueil+tmt@example.org", "accueil+tmt@example.org"),
    ("jean-luc@services.region.example.org", "jean-luc@services.region.example.org"),
    ("info@organisme-québec.example.org", "info@organisme-québec.example.org"),
    ("info@xn--organisme-qubec-mnb.example.org", "info@organisme-québec.example.org"),
])
def test_addresses_organizations_use_are_kept(text, expected):
    assert values.email(text) == expected


@pytest.mark.parametrize("text", [
    "a..b@example.org", "a@b@example.org", "josé@example.org", "a\x00b@example.org",
    "\"quoted\"@example.org", "Name <a@example.org>", "a@example.org,b@example.org",
    "a@-example.org",
])
def test_addresses_a_mail_server_could_misread_are_refused(text):
    with pytest.raises(values.Problem, match="courriel invalide"):
        values.email(text)


@pytest.mark.parametrize("text, expected", [
    ("lun-ven 8 h 30 - 16 h 30", [Schedule(WEEKDAYS, "08:30", "16:30")]),
    ("Lundi au vendredi, 9h à 17h", [Schedule(WEEKDAYS, "09:00", "17:00")]),
    ("du lundi au vendredi de 8 h 30 à 16 h 30", [Schedule(WEEKDAYS, "08:30", "16:30")]),
    ("Mon-Fri 9 am - 5 pm", [Schedule(WEEKDAYS, "09:00", "17:00")]),
    ("lun. au jeu. 9 h-12 h et 13 h-16 h 30; ven. 9 h-12 h", [
        Schedule("MO,TU,WE,TH", "09:00", "12:00"), Schedule("MO,TU,WE,TH", "13:00", "16:30"),
        Schedule("FR", "09:00", "12:00")]),
    ("lun, mer, ven : 9 h - midi", [Schedule("MO,WE,FR", "09:00", "12:00")]),
    ("8 h - 16 h du lundi au vendredi", [Schedule(WEEKDAYS, "08:00", "16:00")]),
    ("Sur rendez-vous", []),
    ("9 h - 17 h", []),  # no day: kept as text only
])
def test_opening_hours(text, expected):
    assert parse_hours(text) == expected
