"""Controlled vocabularies and Quebec geography, read from the dbt seeds.

The seeds in dbt_project/seeds are the one published copy: dbt loads them for the marts,
the import reads them here, so a service added to ref_directory_services.csv is known to
both. Each lookup takes what a person typed and returns a code, or None.
"""
from __future__ import annotations

import csv
import os
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from ..settings import REPO_ROOT
from .iso_languages import code_keys, iso_languages, name_keys
from .matching import Match, Matcher
from .text import key, place_key

SEEDS_DIR = REPO_ROOT / "dbt_project" / "seeds"
ALIAS_SEED = "ref_directory_term_aliases"  # "this term means that code", by the maintainers
ALL_REGIONS = {"tout le quebec", "toutes", "toutes les regions", "ensemble du quebec",
               "province", "province de quebec", "all", "all regions", "whole province"}
# Parts and old names of regions that people write alone.
REGION_ALIASES = {
    "saguenay": "02", "lac saint jean": "02", "gaspesie": "11", "iles de la madeleine": "11",
    "jamesie": "10", "baie james": "10", "eeyou istchee": "10", "nunavik": "10",
    "abitibi": "08", "temiscamingue": "08", "chaudiere": "12", "appalaches": "12",
    "cote du sud": "12", "beauce": "12", "bas du fleuve": "01", "cantons de l est": "05",
    "quebec capitale": "03", "region de quebec": "03",
}


def read_seed(name: str) -> list[dict[str, str]]:
    with (SEEDS_DIR / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass
class Vocabulary:
    """Codes with their labels, matched by code, French or English label, or alias (the
    seed's `aliases` column and the maintainers' alias file), else by similarity."""

    name: str  # services | populations | languages, as in the alias file
    labels_fr: dict[str, str]
    by_key: dict[str, str] = field(default_factory=dict)
    similar_keys: dict[str, str] | None = None  # None: every name is compared

    @classmethod
    def from_seed(cls, vocabulary: str, seed: str, code: str, label_fr: str,
                  label_en: str) -> Vocabulary:
        rows = read_seed(seed)
        found = cls(vocabulary, {row[code]: row[label_fr] for row in rows})
        found.add_aliases()
        for row in rows:
            names = [row[code], row[label_fr], row[label_en], *row["aliases"].split("|")]
            for name_ in names:
                if name_.strip():
                    found.by_key.setdefault(key(name_), row[code])
        return found

    def add_aliases(self) -> None:
        """The maintainers' alias file first: what they wrote wins over the seeds."""
        for row in aliases(alias_file()):
            if row["vocabulary"] == self.name:
                self.by_key.setdefault(key(row["term"]), row["code"])

    @cached_property
    def matcher(self) -> Matcher:
        return Matcher(self.by_key, self.similar_keys)

    def code(self, text: str) -> str | None:
        return self.by_key.get(key(text))

    def cell(self, text: str) -> list[Match]:
        return self.matcher.cell(text)

    def label(self, code: str) -> str:
        return self.labels_fr.get(code, code)


def alias_file() -> Path:
    """The maintainers' alias file: TMT_DIRECTORY_ALIASES, else the one in the repo."""
    return Path(os.environ.get("TMT_DIRECTORY_ALIASES") or SEEDS_DIR / f"{ALIAS_SEED}.csv")


@lru_cache(maxsize=4)
def _aliases(path: Path, modified: float) -> tuple[dict[str, str], ...]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return tuple(row for row in csv.DictReader(handle)
                     if (row.get("term") or "").strip() and (row.get("code") or "").strip())


def aliases(path: Path) -> tuple[dict[str, str], ...]:
    """Rows of an alias file (vocabulary, term, code, note); read again once it changes."""
    if not path.is_file():
        return ()
    return _aliases(path, path.stat().st_mtime)


@dataclass(frozen=True)
class Municipality:
    code: str
    name: str
    mrc_code: str
    region_code: str
    fsa: str


@dataclass
class Geography:
    regions: dict[str, str]  # code -> French name
    region_by_key: dict[str, str]
    municipalities: dict[str, Municipality]  # code -> municipality
    municipalities_by_key: dict[str, list[str]]  # place key -> codes (homonyms exist)
    mrcs: dict[str, tuple[str, str]]  # code -> (name, region code)
    mrc_by_key: dict[str, str]

    def region_codes(self, text: str) -> list[str] | None:
        """`03`, `3`, `Capitale-Nationale`, `03 - Capitale-Nationale`, `Montreal`,
        `Lower St. Lawrence`, `Gaspésie`; `tout le Québec` gives all 17."""
        words = key(text)
        if words in ALL_REGIONS:
            return sorted(self.regions)
        number = words.split(" ")[0]
        if number.isdigit() and f"{int(number):02d}" in self.regions:
            return [f"{int(number):02d}"]
        found = self.region_by_key.get(place_key(text)) or REGION_ALIASES.get(place_key(text))
        return [found] if found else None

    def mrc_code(self, text: str) -> str | None:
        words = key(text)
        if words.isdigit() and words.zfill(3) in self.mrcs:
            return words.zfill(3)
        return self.mrc_by_key.get(_mrc_key(text))

    def municipality_codes(self, text: str) -> list[str]:
        return self.municipalities_by_key.get(place_key(text), [])


def _mrc_key(text: str) -> str:
    """`MRC des Jardins-de-Napierville` and `Les Jardins-de-Napierville` agree."""
    words = place_key(text).split()
    while words and words[0] in {"mrc", "te", "de", "du", "des", "d", "la", "le", "les", "l"}:
        words = words[1:]
    return " ".join(words)


def services() -> Vocabulary:
    return _services(_alias_version())


def populations() -> Vocabulary:
    return _populations(_alias_version())


def languages() -> Vocabulary:
    return _languages(_alias_version())


def _alias_version() -> tuple[str, float]:
    """The vocabularies are rebuilt when the alias file changes (the next import uses it)."""
    path = alias_file()
    return str(path), path.stat().st_mtime if path.is_file() else 0.0


@lru_cache(maxsize=2)
def _services(_version) -> Vocabulary:
    return Vocabulary.from_seed("services", "ref_directory_services", "service_code",
                                "label_fr", "label_en")


@lru_cache(maxsize=2)
def _populations(_version) -> Vocabulary:
    return Vocabulary.from_seed("populations", "ref_directory_populations", "population_code",
                                "label_fr", "label_en")


@lru_cache(maxsize=2)
def _languages(_version) -> Vocabulary:
    """The team's list (names and aliases), then every living ISO 639 language by name,
    then by code: `cri` is Cree by its French name before it is Sãotomense's code. Only
    the team's list is compared by similarity (a typo should not land on one of 7 000
    languages nobody here speaks)."""
    found = Vocabulary.from_seed("languages", "ref_directory_languages", "language_code",
                                 "name_fr", "name_en")
    found.similar_keys = dict(found.by_key)
    listed = iso_languages()
    for language in listed:
        found.labels_fr.setdefault(language.code, language.name_fr)
        for name in name_keys(language):
            found.by_key.setdefault(name, language.code)
    for language in listed:
        for code in code_keys(language):
            found.by_key.setdefault(code, language.code)
    return found


@lru_cache(maxsize=1)
def geography() -> Geography:
    regions = {row["region_code"]: row["region_name_fr"] for row in read_seed("ref_quebec_regions")}
    region_by_key: dict[str, str] = {}
    for row in read_seed("ref_quebec_regions"):
        for name in (row["region_name_fr"], row["region_name_en"]):
            region_by_key[place_key(name)] = row["region_code"]
    municipalities: dict[str, Municipality] = {}
    by_key: dict[str, list[str]] = {}
    mrcs: dict[str, tuple[str, str]] = {}
    for row in read_seed("ref_quebec_municipalities"):
        municipality = Municipality(row["municipality_code"], row["municipality_name"],
                                    row["mrc_code"], row["region_code"], row["fsa"])
        municipalities[municipality.code] = municipality
        by_key.setdefault(place_key(municipality.name), []).append(municipality.code)
        mrcs[row["mrc_code"]] = (row["mrc_name"], row["region_code"])
    for row in read_seed("ref_municipality_aliases"):
        codes = by_key.setdefault(place_key(row["alias_name"]), [])
        if row["municipality_code"] not in codes:
            codes.append(row["municipality_code"])
    mrc_by_key = {_mrc_key(name): code for code, (name, _) in mrcs.items()}
    return Geography(regions, region_by_key, municipalities, by_key, mrcs, mrc_by_key)

