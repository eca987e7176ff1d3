"""Which columns a file has, from its header row (English or French) and what the columns hold.

Headers drift between vintages and re-saves: `Stream` / `Program Stream`, `Occupations under
NOC 2011` / `Occupation`, ESDC's own typo `Occupaitons under NOC 2011`, `Requested LMIAs` on
a positive list, `Postes\\r\\nApprouvés`, underscores from a database export. A header cell is
matched, in order, by its folded text against the aliases, by the same text with a NOC
version stripped, then by similarity (rapidfuzz, docs/architecture.md); a cell still unknown
is recognized by what its column holds (occupation codes, provinces, postal codes, streams,
counts). What was understood by similarity or content is reported, never silent; a column
nobody can name is ignored and reported. Only a header without an employer or a count
column is refused.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .provinces import province_code
from .text import clean_cell, extract_postal_code, fold

# Canonical column -> aliases (English, then French), written as `header_key` folds them.
ALIASES: dict[str, tuple[str, ...]] = {
    "province": ("province territory", "province", "province territoire",
                 "province ou territoire", "prov", "province territory of business"),
    "program_stream": ("stream", "program stream", "programme stream", "volet",
                       "volet du programme", "volet de programme", "stream name"),
    "employer_name": ("employer", "employer name", "employeur", "nom de l employeur",
                      "nom employeur", "business name", "nom de l entreprise",
                      "employer legal name"),
    "address": ("address", "business address", "adresse", "adresse de l entreprise",
                "employer address", "location", "work location", "lieu de travail"),
    "occupation": ("occupation", "occupations", "profession", "professions", "noc",
                   "cnp", "occupation title", "noc code"),
    "incorporate_status": ("incorporate status", "incorporation status",
                           "incorporer le statut", "statut de constitution",
                           "statut d incorporation"),
    "approved_lmias": ("approved lmias", "lmias approved", "eimt approuvees",
                       "eimts approuvees", "eimt approuves", "eimts approuves", "approved lmia",
                       "number of lmias", "nombre d eimt"),
    "approved_positions": ("approved positions", "positions approved", "postes approuves",
                           "approved position", "poste approuves", "number of positions",
                           "nombre de postes", "approved tfw positions", "positions"),
}
# Words a positive list has been seen to use for its counts: understood, and reported.
SYNONYMS: dict[str, str] = {
    "requested lmias": "approved_lmias", "lmias requested": "approved_lmias",
    "eimt demandees": "approved_lmias", "eimts demandees": "approved_lmias",
    "requested positions": "approved_positions", "positions requested": "approved_positions",
    "postes demandes": "approved_positions",
}
# Similarity (0-100, rapidfuzz ratio on folded text) above which a header is understood as
# the alias it resembles. Measured: ESDC's typos score 91-96; the closest wrong pair among
# the aliases ("approved lmias" / "approved positions") scores 75.
HEADER_SIMILARITY = 86
_VERSION = re.compile(r"\(?\b(?:noc|cnp)\s*(?:v\s*)?(\d{4})\b\)?")
_LINKING_WORDS = re.compile(r"\b(under|sous|selon|la|le|de|du|in|by|per)\b")
_FRENCH_HINTS = ("employeur", "adresse", "postes", "volet", "profession", "territoire", "eimt")
_STREAMS = ("high wage", "low wage", "primary agriculture", "global talent", "agricultural",
            "permanent residence", "haut salaire", "bas salaire", "agriculture primaire",
            "talents mondiaux", "residence permanente", "volet des", "stream", "seasonal",
            "caregiver", "aides familiaux", "other", "autre")
_OCCUPATION_CELL = re.compile(r"^\d{1,5}\s*[-–—:]\s*\D")
_COUNT_CELL = re.compile(r"^\d{1,3}(?:[ ,\u00a0\u202f]?\d{3})*(?:\.0+)?$")

_LOOKUP = {alias: column for column, aliases in ALIASES.items() for alias in aliases}
_KEYS = list(_LOOKUP)


@dataclass(frozen=True)
class Header:
    """A recognized header row: where each canonical column sits, and how it was found."""

    layout: str
    columns: dict[str, int]
    language: str
    noc_version_hint: str | None
    raw: tuple[str, ...]
    understood: tuple[tuple[str, str, str], ...] = ()  # (seen, column, how)
    ignored: tuple[str, ...] = ()


@dataclass
class _Match:
    column: str | None
    version: str | None = None
    how: str = "exact"  # exact | synonym | similar | content


def header_key(text: str) -> str:
    """Folded, with separators (`/ _ - ' ’ .`) and brackets turned into spaces."""
    return " ".join(re.sub(r"[/_\-'’.:#()\[\]*]", " ", fold(text)).split())


def canonical_column(header_cell: str) -> tuple[str | None, str | None]:
    """(canonical column, NOC version named in the header) for one header cell."""
    match = _match(header_cell)
    return match.column, match.version


def _match(header_cell: str) -> _Match:
    key = header_key(header_cell)
    if not key:
        return _Match(None)
    if key in _LOOKUP:
        return _Match(_LOOKUP[key])
    if key in SYNONYMS:
        return _Match(SYNONYMS[key], how="synonym")
    version_found = _VERSION.search(key)
    version = version_found.group(1) if version_found else None
    base = " ".join(_LINKING_WORDS.sub(" ", _VERSION.sub(" ", key)).split())
    if version and not base:
        return _Match("occupation", version)
    if base in _LOOKUP:
        return _Match(_LOOKUP[base], version, "exact")
    best = process.extractOne(base, _KEYS, scorer=fuzz.ratio, score_cutoff=HEADER_SIMILARITY)
    if best:
        return _Match(_LOOKUP[best[0]], version, "similar")
    synonym = process.extractOne(base, list(SYNONYMS), scorer=fuzz.ratio,
                                 score_cutoff=HEADER_SIMILARITY)
    if synonym:
        return _Match(SYNONYMS[synonym[0]], version, "synonym")
    return _Match(None, version)


def looks_like_header(cells: list[str]) -> bool:
    """A row is a header candidate when it names both the employer and the positions."""
    found = {_match(cell).column for cell in cells if cell and len(cell) < 80}
    return {"employer_name", "approved_positions"} <= found


def looks_like_partial_header(cells: list[str]) -> bool:
    """Names the employer and at least two other columns, but no count: the count column
    may still be recognized by what it holds."""
    found = {_match(cell).column for cell in cells if cell and len(cell) < 80} - {None}
    return "employer_name" in found and len(found) >= 3


def recognize(cells: list[object], where: str, sample: list[list[object]] | None = None) -> Header:
    """Map a header row to columns; `sample` (rows below it) names columns by content.

    Raises ValueError naming the headers seen when no employer or no count column exists.
    """
    texts = [clean_cell(cell) for cell in cells]
    columns: dict[str, int] = {}
    understood: list[tuple[str, str, str]] = []
    unknown: list[int] = []
    noc_hint = None
    for index, text in enumerate(texts):
        if not text:
            continue
        match = _match(text)
        if match.column is None or match.column in columns:
            unknown.append(index)
            continue
        columns[match.column] = index
        noc_hint = noc_hint or match.version
        if match.how != "exact":
            understood.append((text, match.column, match.how))
    ignored = []
    for index in unknown:
        column = _by_content(index, columns, sample or [])
        if column:
            columns[column] = index
            understood.append((texts[index], column, "content"))
        else:
            ignored.append(texts[index])
    if "approved_positions" not in columns:
        column = _count_by_content(texts, columns, sample or [])
        if column is not None:
            columns["approved_positions"] = column
            understood.append((texts[column] or f"column {column + 1}", "approved_positions",
                               "content"))
    seen = ", ".join(repr(text) for text in texts if text)
    if not {"employer_name", "approved_positions"} <= set(columns):
        raise ValueError(f"{where}: aucune colonne d'employeur ou de postes approuvés / no "
                         f"employer or no approved-positions column among [{seen}]")
    folded = " ".join(header_key(text) for text in texts)
    language = "fr" if any(hint in folded for hint in _FRENCH_HINTS) else "en"
    return Header(layout_of(columns), columns, language, noc_hint, tuple(texts),
                  tuple(understood), tuple(ignored))


def layout_of(columns: dict[str, int]) -> str:
    """The layout name stored with the file, from the columns it has."""
    if "province" not in columns:
        return "employer_format"
    if "program_stream" not in columns:
        return "province_noc"
    if not {"approved_lmias", "incorporate_status"} & set(columns):
        return "stream_noc"
    return "stream_incorporate"


LAYOUTS = ("employer_format", "province_noc", "stream_noc", "stream_incorporate")


def _values(sample: list[list[object]], index: int) -> list[str]:
    values = [clean_cell(row[index]) for row in sample if index < len(row)]
    return [value for value in values if value]


def _by_content(index: int, columns: dict, sample: list) -> str | None:
    """The canonical column an unnamed column's cells show, when most of them agree."""
    values = _values(sample, index)
    if len(values) < 3:
        return None

    def share(test) -> float:
        return sum(1 for value in values if test(value)) / len(values)

    guesses = (
        ("occupation", lambda v: bool(_OCCUPATION_CELL.match(v))),
        ("province", lambda v: province_code(v) is not None),
        ("address", lambda v: extract_postal_code(v) is not None and "," in v),
        ("program_stream", lambda v: any(word in fold(v) for word in _STREAMS)),
    )
    for column, test in guesses:
        if column not in columns and share(test) >= 0.8:
            return column
    if "approved_lmias" not in columns and "approved_positions" in columns \
            and index < columns["approved_positions"] and share(_COUNT_CELL.match) >= 0.9:
        return "approved_lmias"
    return None


def _count_by_content(texts: list[str], columns: dict, sample: list) -> int | None:
    """The rightmost unclaimed column whose cells are counts (ESDC puts positions last)."""
    claimed = set(columns.values())
    for index in range(len(texts) - 1, -1, -1):
        values = _values(sample, index)
        if index not in claimed and len(values) >= 3 \
                and sum(1 for v in values if _COUNT_CELL.match(v)) / len(values) >= 0.9:
            return index
    return None

