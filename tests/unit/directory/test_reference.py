"""The published pieces agree: vocabulary seeds, templates, the spreadsheet doc, the sample."""
from __future__ import annotations

import csv
import re
from datetime import date

import pytest

from flows.directory.headers import FIELDS, OPTIONAL_FIELDS
from flows.directory.parse import parse_file
from flows.directory.text import key
from flows.directory.vocabularies import SEEDS_DIR, read_seed
from flows.settings import REPO_ROOT, bundled_directory_sample

SAMPLE_DIR = bundled_directory_sample().parent


@pytest.mark.parametrize("seed, code", [
    ("ref_directory_services", "service_code"), ("ref_directory_populations", "population_code"),
    ("ref_directory_languages", "language_code"),
])
def test_no_name_or_alias_means_two_codes(seed, code):
    meanings: dict[str, set[str]] = {}
    for row in read_seed(seed):
        names = [row[code], *list(row.values())[1:3], *row["aliases"].split("|")]
        for name in filter(None, names):
            meanings.setdefault(key(name), set()).add(row[code])
    assert {name: codes for name, codes in meanings.items() if len(codes) > 1} == {}


@pytest.mark.parametrize("template, column", [
    ("modele-repertoire.csv", 1), ("directory-template.csv", 2),
])
def test_templates_have_the_canonical_headers(template, column):
    with (SAMPLE_DIR / template).open(encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == [names[column] for names in FIELDS]


def test_the_spreadsheet_doc_lists_every_header():
    doc = (REPO_ROOT / "docs" / "directory-spreadsheet.md").read_text(encoding="utf-8")
    for _, french, english in FIELDS + OPTIONAL_FIELDS:
        assert f"`{french}`" in doc and f"`{english}`" in doc


def test_the_bundled_sample_is_clean_and_fictional():
    parsed = parse_file(bundled_directory_sample(), "sample", date(2025, 6, 1))
    assert parsed.rejected == [] and len(parsed.organizations) >= 8
    text = bundled_directory_sample().read_text(encoding="utf-8")
    for host in re.findall(r"(?:https?://|@)([a-z0-9.-]+)", text):
        assert re.search(r"(^|\.)example(\.(org|com|net))?$", host), host
    for number in re.findall(r"\d{3}[ -.)]*\d{3}-\d{4}", text):
        assert re.search(r"555-01\d\d$", number), number


def test_the_iso_639_seed_is_in_step_with_pycountry_and_the_teams_list(tmp_path):
    """dbt, the exports and the import must know the same languages by the same names:
    rewrite the seed with `python -m flows.directory.iso_languages` when this fails."""
    from flows.directory.iso_languages import write_seed

    fresh = tmp_path / "ref_iso_639_languages.csv"
    write_seed(fresh, {row["language_code"]: row["name_fr"]
                       for row in read_seed("ref_directory_languages")})
    committed = SEEDS_DIR / "ref_iso_639_languages.csv"
    assert fresh.read_text(encoding="utf-8") == committed.read_text(encoding="utf-8")
    iso = {row["language_code"] for row in read_seed("ref_iso_639_languages")}
    assert {row["language_code"] for row in read_seed("ref_directory_languages")} <= iso


def test_every_alias_of_the_maintainers_file_names_a_code_of_its_vocabulary():
    from flows.directory import vocabularies

    known = {"services": vocabularies.services().labels_fr,
             "populations": vocabularies.populations().labels_fr,
             "languages": vocabularies.languages().labels_fr}
    for row in read_seed("ref_directory_term_aliases"):
        assert row["code"] in known[row["vocabulary"]], row
