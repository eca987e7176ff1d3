"""A whole spreadsheet: rows read, good ones grouped into organizations, bad ones kept
with their reasons, and what the import report tells the maintainers."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from . import vocabularies
from .group import group_rows
from .model import Organization
from .read import read_sheet
from .rows import RowError, read_row, row_values
from .text import CONTROLS, cell_text, key


@dataclass
class ParsedDirectory:
    name: str
    sheet: str | None
    rows_read: int
    organizations: list[Organization]
    rejected: list[RowError]
    duplicates: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)  # the header row as written
    merged_rows: list[int] = field(default_factory=list)  # duplicates merged into another
    dropped: list[str] = field(default_factory=list)  # values not kept, row by row
    similar: list[str] = field(default_factory=list)  # terms understood by similarity
    free_text: list[dict] = field(default_factory=list)  # terms kept, most frequent first

    @property
    def rows_imported(self) -> int:
        return self.rows_read - len(self.rejected)


def parse_file(path: Path, name: str, today: date) -> ParsedDirectory:
    sheet = read_sheet(path, name)
    columns = sheet.columns
    header_row = [cell_text(cell) for cell in sheet.rows[columns.header_row]]
    good: list[Organization] = []
    rejected: list[RowError] = []
    raw_rows: dict[int, dict[str, str]] = {}
    rows_read = cleaned = 0
    for index in range(columns.header_row + 1, len(sheet.rows)):
        row = sheet.rows[index]
        if not any(cell_text(cell) for cell in row):
            continue
        rows_read += 1
        cleaned += sum(1 for cell in row if isinstance(cell, str) and CONTROLS.search(cell))
        number = index + 1
        raw_rows[number] = {header: cell_text(row[i]) if i < len(row) else ""
                            for i, header in enumerate(header_row) if header}
        read = read_row(row_values(row, columns), number, columns, today)
        (rejected if isinstance(read, RowError) else good).append(read)
    terms = _terms_report(good)  # before grouping: every row's own words
    dropped = [f"ligne {row.source_row} : {column} : {reason} — valeur ignorée, ligne gardée "
               "(value dropped, row kept)" for row in good for column, reason in row.dropped]
    organizations, merged, report = group_rows(good)
    rejected.sort(key=lambda error: error.row)
    for error in rejected:
        error.values = raw_rows[error.row]
    notes = [f"colonne ignorée (column ignored): « {header} »" for header in columns.ignored]
    if cleaned:
        notes.append(f"{cleaned} cellule(s) : caractères de contrôle retirés "
                     "(control characters removed)")
    unstructured = sum(1 for organization in organizations for location in organization.locations
                       if location.hours and not location.schedules)
    if unstructured:
        notes.append(f"{unstructured} horaire(s) gardé(s) en texte seulement, non structuré(s) "
                     "(opening hours kept as text only)")
    return ParsedDirectory(name, sheet.name, rows_read, organizations, rejected, report, notes,
                           header_row, merged, dropped, *terms)


VOCABULARY_OF_FIELD = {"services": vocabularies.services,
                       "target_populations": vocabularies.populations,
                       "languages": vocabularies.languages}


def _terms_report(rows: list[Organization]) -> tuple[list[str], list[dict]]:
    """Terms understood by similarity (one line each, with its rows) and terms kept as the
    organizations' own words, most frequent first, each with the three closest entries."""
    similar: dict[tuple, list[int]] = {}
    free: dict[tuple[str, str], dict] = {}
    for row in rows:
        for fieldname, column, match in row.terms:
            if match.code:
                similar.setdefault((fieldname, column, match.term, match.code, match.score),
                                   []).append(row.source_row)
                continue
            entry = free.setdefault((column, key(match.term)), {
                "field": fieldname, "column": column, "term": match.term, "rows": [],
                "closest": [{"code": code, "label_fr": _label(fieldname, code), "score": score}
                            for code, score in match.closest]})
            entry["rows"].append(row.source_row)
    similar_lines = [
        f"{column} : « {term} » compris comme « {_label(fieldname, code)} » "
        f"(understood as {code}, {score:.0f} %), ligne(s) {', '.join(map(str, rows_))}"
        for (fieldname, column, term, code, score), rows_ in similar.items()]
    kept = sorted(free.values(), key=lambda entry: (-len(entry["rows"]), key(entry["term"])))
    return similar_lines, kept


def _label(fieldname: str, code: str) -> str:
    return VOCABULARY_OF_FIELD[fieldname]().label(code)
