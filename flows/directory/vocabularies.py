"""Controlled vocabularies and Quebec geography, read from the dbt seeds.

The seeds in dbt_project/seeds are the one published copy: dbt loads them for the marts,
the import reads them here, so a service added to ref_directory_services.csv is known to
both. Each lookup takes what a person typed and returns a code, or None.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache

from ..settings import REPO_ROOT
from .text import key, place_key

SEEDS_DIR = REPO_ROOT / "dbt_project" / "seeds"
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
    """Codes with their labels, matched by code, French or English label, or alias."""

    labels_fr: dict[str, str]
    by_key: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_seed(cls, name: str, code: str, label_fr: str, label_en: str) -> Vocabulary:
        rows = read_seed(name)
        vocabulary = cls({row[code]: row[label_fr] for row in rows})
        for row in rows:
            names = [row[code], row[label_fr], row[label_en], *row["aliases"].split("|")]
            for name_ in names:
                if name_.strip():
                    vocabulary.by_key.setdefault(key(name_), row[code])
        return vocabulary

    def code(self, text: str) -> str | None:
        return self.by_key.get(key(text))


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


@lru_cache(maxsize=1)
def services() -> Vocabulary:
    return Vocabulary.from_seed("ref_directory_services", "service_code", "label_fr", "label_en")


@lru_cache(maxsize=1)
def populations() -> Vocabulary:
    return Vocabulary.from_seed("ref_directory_populations", "population_code", "label_fr",
                                "label_en")


@lru_cache(maxsize=1)
def languages() -> Vocabulary:
    return Vocabulary.from_seed("ref_directory_languages", "language_code", "name_fr", "name_en")


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

