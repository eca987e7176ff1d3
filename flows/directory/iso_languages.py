"""Every living ISO 639 language, from pycountry (its ISO 639-3 table and French names).

The directory's own list (seed ref_directory_languages) keeps the names the team prefers
and the aliases people write; any other living language is found here by its English or
French name or its code. Codes follow the seed: ISO 639-1 where the language has one, else
ISO 639-3. dbt and the exports read the same names from the seed ref_iso_639_languages,
written by `python -m flows.directory.iso_languages` (a test keeps it in step).
"""
from __future__ import annotations

import csv
import gettext
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pycountry

from .text import key


@dataclass(frozen=True)
class IsoLanguage:
    code: str  # ISO 639-1, else 639-3
    alpha_3: str
    name_en: str
    name_fr: str  # French usage: lower case (`cri`, `langue des signes québécoise`)
    other_names: tuple[str, ...]  # English inverted and common names
    other_codes: tuple[str, ...]  # 639-3 and 639-2/B codes
    macrolanguage: bool


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:]


@lru_cache(maxsize=1)
def iso_languages() -> tuple[IsoLanguage, ...]:
    """Living languages (pycountry type `L`): ancient, extinct, historical and constructed
    ones are not spoken at an organization. Macrolanguages first (`Cree` is `cr`, not one
    of its varieties), then individual languages, each in code order."""
    french = gettext.translation("iso639-3", pycountry.LOCALES_DIR, languages=["fr"],
                                 fallback=True)
    found = []
    for language in pycountry.languages:
        if getattr(language, "type", "") != "L":
            continue
        alpha_2 = getattr(language, "alpha_2", None)
        others = tuple(name for name in (getattr(language, "inverted_name", None),
                                         getattr(language, "common_name", None)) if name)
        codes = tuple(code for code in (language.alpha_3,
                                        getattr(language, "bibliographic", None)) if code)
        found.append(IsoLanguage(alpha_2 or language.alpha_3, language.alpha_3, language.name,
                                 _lower_first(french.gettext(language.name)), others, codes,
                                 getattr(language, "scope", "") == "M"))
    found.sort(key=lambda language: (not language.macrolanguage,
                                     language.code == language.alpha_3, language.code))
    return tuple(found)


def name_keys(language: IsoLanguage) -> list[str]:
    return [key(name) for name in (language.name_fr, language.name_en, *language.other_names)]


def code_keys(language: IsoLanguage) -> list[str]:
    return [language.code, *language.other_codes]


def write_seed(path: Path, preferred: dict[str, str]) -> None:
    """The seed ref_iso_639_languages: code, French name (the team's where it has one),
    English name, ISO 639-3 code."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["language_code", "name_fr", "name_en", "alpha_3"])
        for language in sorted(iso_languages(), key=lambda item: item.code):
            writer.writerow([language.code, preferred.get(language.code, language.name_fr),
                             language.name_en, language.alpha_3])


if __name__ == "__main__":  # rewrite the seed after a pycountry upgrade or a seed edit
    from .vocabularies import SEEDS_DIR, read_seed

    names = {row["language_code"]: row["name_fr"] for row in read_seed("ref_directory_languages")}
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else SEEDS_DIR / "ref_iso_639_languages.csv"
    write_seed(target, names)
    print(f"{target}: {len(iso_languages())} langues / languages")
