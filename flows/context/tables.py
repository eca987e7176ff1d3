"""Which official table a file is, from its title line, and its parser."""
from __future__ import annotations

from pathlib import Path

from ..errors import BadFileError
from ..lmia.text import fold
from . import esdc, ircc
from .model import ESDC_COUNTRIES, ESDC_REGIONS, IRCC_PERMIT_HOLDERS, IRCC_TR_TO_PR, ParsedTable
from .read import read_rows

# (kind, words that must all be in the folded title, language, parser)
KNOWN = (
    (ESDC_REGIONS, ("positions", "economic region"), "en", esdc.parse_regions),
    (ESDC_REGIONS, ("postes", "region economique"), "fr", esdc.parse_regions),
    (ESDC_COUNTRIES, ("principaux pays", "postes"), "fr", esdc.parse_top_countries),
    (ESDC_COUNTRIES, ("top countries", "positions"), "en", esdc.parse_top_countries),
    (IRCC_PERMIT_HOLDERS, ("temporary foreign worker program", "work permit holders",
                           "december 31"), "en", ircc.parse),
    (IRCC_TR_TO_PR, ("permanent residents", "temporary foreign worker program"), "en",
     ircc.parse),
)


class NotReadHere(Exception):
    """A table of the same publications that no mart uses (yet): skipped, not quarantined."""


def recognize(title: str):
    folded = fold(title)
    for kind, words, language, parser in KNOWN:
        if all(word in folded for word in words):
            return kind, language, parser
    return None


def parse_file(path: Path, name: str) -> ParsedTable:
    repairs: dict = {}
    rows = read_rows(path, name, repairs)
    title = next((row[0] for row in rows if row and row[0]), "")
    known = recognize(title)
    if known is None:
        raise NotReadHere(f"{name}: not one of the tables read here (title: {title[:90]!r})")
    kind, language, parser = known
    table = ParsedTable(kind=kind, title=title, language=language, repairs=repairs)
    try:
        return parser(rows, name, table)
    except (IndexError, ValueError) as exc:  # a layout this parser does not know
        raise BadFileError(name, f"{kind}: layout not understood ({exc})") from exc
