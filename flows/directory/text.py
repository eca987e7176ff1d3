"""Cells as text and the comparison keys used to match what people type.

People type headers, places and list items in many ways (`Site Web`, `Ste-Foy`, `Français;
anglais`). Every comparison goes through one of the keys below, so the rules live here once.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from functools import lru_cache

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Control characters (C0 but tab and line breaks, DEL, C1) and the invisible marks that
# reorder text (bidirectional overrides): never part of what a person typed on purpose.
CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e"
                      r"\u2066-\u2069]")
_APOSTROPHES = re.compile(r"['’ʼ`´]")
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_LIST_SEPARATORS = re.compile(r"[,;/\n]+")
_LIST_SEPARATORS_AND_WORDS = re.compile(r"[,;/\n&+]+|\s+(?:et|and|ou|or)\s+")
# The usual short forms in Quebec place names, as in the dbt macro normalize_place_name.
_SHORT_FORMS = [("st", "saint"), ("ste", "sainte"), ("sts", "saints"), ("mt", "mont")]
_ADMIN_PREFIX = re.compile(r"^(ville|city|town|municipalite|paroisse|canton|village) (de|du|des|d|of) ")


def cell_text(value: object) -> str:
    """A cell as text. Line breaks are kept (they separate list items); other runs of
    spaces, no-break spaces included, collapse; control characters are removed (counted
    by parse.py). Whole floats (3.0) read as 3."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = CONTROLS.sub("", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Lower case without accents; œ and æ spelled out."""
    text = text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


@lru_cache(maxsize=8192)
def key(text: str) -> str:
    """Words only: `Cours de français`, `cours-de-francais` and `COURS DE FRANÇAIS` agree.
    Apostrophes join (`q'anjob'al` gives `qanjobal`); remarks in brackets do not count."""
    folded = _APOSTROPHES.sub("", fold(_BRACKETS.sub(" ", text)))
    return _NON_ALNUM.sub(" ", folded).strip()


@lru_cache(maxsize=1024)
def header_key(text: str) -> str:
    """Headers ignore case, accents, spaces, hyphens, underscores, apostrophes (and any
    other punctuation): `Site Web`, `site_web` and `SITE-WEB` are the same header."""
    return _NON_ALNUM.sub("", _APOSTROPHES.sub("", fold(text)))


@lru_cache(maxsize=8192)
def place_key(text: str) -> str:
    """Key for place names, the Python twin of the dbt macro normalize_place_name:
    `St-Jean-sur-Richelieu` and `Ville de Saint-Jean-sur-Richelieu` agree."""
    words = _NON_ALNUM.sub(" ", fold(_BRACKETS.sub(" ", text))).strip()
    for short, long in _SHORT_FORMS:
        words = re.sub(rf"\b{short}\b", long, words)
    return _ADMIN_PREFIX.sub("", words)


def split_list(text: str, words: bool = False) -> list[str]:
    """Items of a list cell: separated by commas, semicolons, slashes or line breaks
    (and, with words=True, by `et`, `and`, `&`). Blank and repeated items drop out."""
    pattern = _LIST_SEPARATORS_AND_WORDS if words else _LIST_SEPARATORS
    items: list[str] = []
    for item in pattern.split(text):
        item = item.strip(" .-–•*")
        if item and item not in items:
            items.append(item)
    return items


def first_line(text: str, limit: int = 60) -> str:
    """A value shortened for a one-line message."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
