"""Which columns a file has, recognized from its header row, English or French.

Headers drift between vintages (`Stream` / `Program Stream`, `Occupation` /
`Occupations under NOC 2011`, trailing spaces, `Postes\\r\\nApprouvés`). Each header is
folded (case, accents, spaces) and looked up in an alias table. A header row with a cell
that matches no alias, or a set of columns that matches no known layout, is an error that
names what was seen: a new layout needs a person to look at it, not a guess.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .text import clean_cell, fold

# Canonical column -> folded header aliases (English, then French).
ALIASES: dict[str, tuple[str, ...]] = {
    "province": ("province/territory", "province / territory", "province", "province/territoire",
                 "province / territoire", "province ou territoire"),
    "program_stream": ("stream", "program stream", "programme stream", "volet",
                       "volet du programme", "volet de programme"),
    "employer_name": ("employer", "employer name", "employeur", "nom de l'employeur",
                      "nom employeur"),
    "address": ("address", "business address", "adresse", "adresse de l'entreprise"),
    "occupation": ("occupation", "occupations", "profession", "professions"),
    "incorporate_status": ("incorporate status", "incorporation status", "incorporer le statut",
                           "statut de constitution", "statut d'incorporation"),
    "approved_lmias": ("approved lmias", "lmias approved", "eimt approuvees",
                       "eimts approuvees", "eimt approuves", "eimts approuves", "approved lmia"),
    "approved_positions": ("approved positions", "positions approved", "postes approuves",
                           "approved position", "poste approuves"),
}
# "Occupations under NOC 2011", "Profession sous CNP 2011", "Occupation (NOC 2021)"
_OCCUPATION_WITH_VERSION = re.compile(
    r"^(occupations?|professions?)\s*(\(|under|sous|selon)?\s*(la\s+)?(noc|cnp)\s*(\d{4})\)?$"
)
_FRENCH_HINTS = ("employeur", "adresse", "postes approuves", "volet", "profession", "territoire")

_LOOKUP = {alias: column for column, aliases in ALIASES.items() for alias in aliases}

# Known layouts, by the set of columns their header carries.
LAYOUTS: dict[frozenset[str], str] = {
    frozenset({"employer_name", "address", "approved_positions"}): "employer_format",
    frozenset({"province", "employer_name", "address", "occupation", "approved_positions"}):
        "province_noc",
    frozenset({"province", "program_stream", "employer_name", "address", "occupation",
               "approved_positions"}): "stream_noc",
    frozenset({"province", "program_stream", "employer_name", "address", "occupation",
               "incorporate_status", "approved_lmias", "approved_positions"}):
        "stream_incorporate",
}


@dataclass(frozen=True)
class Header:
    """A recognized header row: where each canonical column sits."""

    layout: str
    columns: dict[str, int]
    language: str
    noc_version_hint: str | None
    raw: tuple[str, ...]


def canonical_column(header_cell: str) -> tuple[str | None, str | None]:
    """(canonical column, NOC version named in the header) for one header cell."""
    key = fold(header_cell)
    if key in _LOOKUP:
        return _LOOKUP[key], None
    match = _OCCUPATION_WITH_VERSION.match(key)
    if match:
        return "occupation", match.group(5)
    return None, None


def looks_like_header(cells: list[str]) -> bool:
    """A row is a header candidate when it names both the employer and the positions."""
    found = {canonical_column(cell)[0] for cell in cells if cell}
    return {"employer_name", "approved_positions"} <= found


def recognize(cells: list[object], where: str) -> Header:
    """Map a header row to a layout, or raise ValueError naming the headers seen."""
    texts = [clean_cell(cell) for cell in cells]
    columns: dict[str, int] = {}
    unknown: list[str] = []
    noc_hint = None
    for index, text in enumerate(texts):
        if not text:
            continue
        column, version = canonical_column(text)
        if column is None or column in columns:
            unknown.append(text)
            continue
        columns[column] = index
        noc_hint = noc_hint or version
    seen = ", ".join(repr(text) for text in texts if text)
    if unknown:
        raise ValueError(f"{where}: unrecognized layout, unknown or repeated header(s) "
                         f"{', '.join(map(repr, unknown))} among [{seen}]")
    layout = LAYOUTS.get(frozenset(columns))
    if layout is None:
        raise ValueError(f"{where}: unrecognized layout, headers [{seen}]")
    folded = " ".join(fold(text) for text in texts)
    language = "fr" if any(hint in folded for hint in _FRENCH_HINTS) else "en"
    return Header(layout, columns, language, noc_hint, tuple(texts))
