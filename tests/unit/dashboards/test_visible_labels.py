"""The check the dashboard screenshots go through (tests/support/visible_labels.py) catches
what issue 17 saw on screen, and lets French screens through."""
import pytest

from tests.support.visible_labels import problems


@pytest.mark.parametrize("seen", [
    "droits_travail,juridique,psychosocial,sante", "ar,en,es,fr,tl", "Régions 06,13",
    "Primary Agriculture", "85101 – Harvesting labourers", "35.7k", "4.51k postes",
    "27.90%", "FEER 5 TEER 5", "Dernière vérification\tN/A", "2026-12\tMontréal\t0\tN/A",
    "Le type de visualisation à afficher", "Rechercher 112 records...",
    "Attente\texpect_column_values_to_be_between"])
def test_what_issue_17_saw_is_caught(seen):
    assert problems(seen)


def test_raw_codes_as_whole_cells_are_caught():
    assert problems("", ["unreachable"]) and problems("", ["not_found"]) and problems("", ["running"])


def test_a_french_screen_passes():
    screen = ("Accès aux soins de santé, Droits du travail · anglais, arabe, espagnol · "
              "Laval, Montréal · Agriculture primaire · 85101 – Manoeuvres à la récolte · "
              "85100 – Livestock labourers (EN) · 35 703 · 27,9 % · FEER 5 – aucune exigence "
              "scolaire · Injoignable · Terminée · jamais · aucun organisme · Non précisé · "
              "Lieu non déterminé · 112 enregistrements…")
    assert problems(screen, ["Injoignable", "Terminée", "Santé"]) == []
