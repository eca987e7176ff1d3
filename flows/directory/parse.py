"""A whole spreadsheet: rows read, good ones grouped into organizations, bad ones kept
with their reasons."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .group import group_rows
from .model import Organization
from .read import read_sheet
from .rows import RowError, read_row, row_values
from .text import CONTROLS, cell_text


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
    organizations, duplicates, report = group_rows(good)
    for error in duplicates:  # named by the file's own header for the name column
        error.problems = [(columns.headers["name"], reason) for _, reason in error.problems]
    rejected = sorted(rejected + duplicates, key=lambda error: error.row)
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
                           header_row)
