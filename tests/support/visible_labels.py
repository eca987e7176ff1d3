"""What a French screen must not show: raw codes, English labels, English number formats.
The list is ours (issue 17); add a label here when a screenshot shows a new one."""
from __future__ import annotations

import csv
import re

from flows.settings import REPO_ROOT

SEEDS = REPO_ROOT / "dbt_project" / "seeds"

# English labels seen in French screens before issue 17 (stream, TEER, status, occupations).
ENGLISH = ("Primary Agriculture", "Low Wage", "High Wage", "Global Talent",
           "Permanent Resident Only", "Harvesting labourers", "Skill level", "TEER ",
           "Never checked", "Not found", "Timed out")
# A list of codes where words belong: `ar,en,es`, `06,13`, `droits_travail,juridique`.
CODE_LISTS = (re.compile(r"\b[a-z]{2,3}(?:,[a-z]{2,3})+\b"), re.compile(r"\b\d\d(?:,\d\d)+\b"),
              re.compile(r"\b[a-z]+_[a-z_]+(?:,[a-z_]+)+\b"),
              re.compile(r"\bexpect_[a-z_]+\b"))  # a Great Expectations name, not its French label
# d3's SMART_NUMBER (`35.7k`, `4.51k`) and an English decimal point in a percentage.
ENGLISH_NUMBERS = (re.compile(r"\b\d+(?:\.\d+)?k\b"), re.compile(r"\b\d+\.\d+ ?%"))
MARKED_ENGLISH = re.compile(r"[^–\n]*\(EN\)")  # an occupation with no French title, marked
# Superset's table writes `N/A` for a null (hard-coded, not translated): a French word or an
# empty cell belongs there (`non précisé`, `jamais`, `aucun organisme`).
NULL_CELL = re.compile(r"(?<![\w/])N/A(?![\w/])")
# Fuzzy entries of Superset's French catalogue seen on our screens (corrected in
# deploy/superset/translations_fr.json), and its untranslated search placeholder.
WRONG_TRANSLATIONS = ("Le type de visualisation à afficher", "records...", "records…",
                      "%s Erreur", "Registres bruts")


def _codes(seed: str, column: str) -> set[str]:
    with (SEEDS / f"{seed}.csv").open(encoding="utf-8", newline="") as handle:
        return {row[column] for row in csv.DictReader(handle)}


def raw_codes() -> set[str]:
    """Codes that must never be a whole cell: services, site statuses, run states. (Not
    placement precisions: `postal_code` is also a column name the check results name.)"""
    return (_codes("ref_directory_services", "service_code")
            | _codes("ref_website_statuses", "website_status")
            | {"running", "completed", "failed", "crashed"})


def problems(text: str, cells: list[str] | None = None) -> list[str]:
    """What in `text` (a screen's words) and `cells` (chart values) is not for a French screen."""
    found = []
    visible = MARKED_ENGLISH.sub("", text)
    found += [f"English label {label!r}" for label in ENGLISH if label in visible]
    found += [f"wrong translation {text!r}" for text in WRONG_TRANSLATIONS if text in visible]
    found += [f"null shown as {match.group(0)!r}" for match in NULL_CELL.finditer(visible)]
    for pattern in CODE_LISTS + ENGLISH_NUMBERS:
        found += [f"{match.group(0)!r} ({pattern.pattern})" for match in pattern.finditer(visible)]
    codes = raw_codes()
    found += [f"raw code {cell!r}" for cell in cells or [] if cell.strip() in codes]
    return found
