"""ESDC's annual LMIA statistics tables (one CSV per table).

Layout: a title line; then per province a section line (its name, the other cells blank),
a header line, data lines and a `<Province> - Total` line; a `Canada` section closes the
table; a `Notes:` / `Remarques :` block follows. Table 3 has a header of years and one line
per economic region (`2410 - Gaspésie -- Îles-de-la-Madeleine`, `Other`); table 10 has a
year line (`2023`) before each top-ten list (`Pays de citoyenneté, Positions, Rang`).

Totals are checked against their lines (each year's lines add up to the province total, the
province totals to Canada's) and are not loaded: the lines carry the same information.
"""
from __future__ import annotations

import re

from ..errors import BadFileError
from ..lmia.provinces import province_code
from ..lmia.text import fold
from . import countries
from .model import Cell, ParsedTable
from .values import NotACount, parse_count

_REGION = re.compile(r"^(\d{4})\s*-\s*(.+)$")
_YEAR = re.compile(r"^(19|20)\d{2}$")
_TOTAL = re.compile(r"^(.+?)\s*-\s*Total$", re.IGNORECASE)


def _is_notes(first: str) -> bool:
    return fold(first).startswith(("notes", "remarques", "note :", "note:"))


def _section(row: list[str]) -> str | None:
    """A province or Canada line: a name and nothing else."""
    if row and row[0] and not any(row[1:]) and not _YEAR.match(row[0]):
        return row[0]
    return None


def _count(name: str, line: int, cell: str):
    try:
        return parse_count(cell)
    except NotACount as exc:
        raise BadFileError(name, f"line {line}: {exc} is not a count") from None


def _province(name: str, line: int, label: str) -> str:
    if fold(label) == "canada":
        return "CA"
    code = province_code(label)
    if code is None:
        raise BadFileError(name, f"line {line}: unknown province section {label!r}")
    return code


def parse_regions(rows: list[list[str]], name: str, table: ParsedTable) -> ParsedTable:
    """Table 3: positions by economic region and province, one column per year."""
    province, years = None, []
    sums: dict[tuple[str, str], int] = {}
    province_totals: dict[str, int] = {}
    for line, row in enumerate(rows[1:], start=2):
        first = row[0].strip() if row else ""
        if not any(row):
            continue
        if _is_notes(first):
            break
        if (section := _section(row)) is not None:
            province, years = _province(name, line, section), []
            continue
        if province is None:
            raise BadFileError(name, f"line {line}: data before any province section")
        if not years:  # the header line of the section
            years = [cell for cell in row[1:] if cell]
            if not years or not all(_YEAR.match(year) for year in years):
                raise BadFileError(name, f"line {line}: expected a header of years, got {row}")
            continue
        counts = [_count(name, line, cell) for cell in row[1:len(years) + 1]]
        if any(count is None or count.is_suppressed for count in counts):
            raise BadFileError(name, f"line {line}: a blank count in {first!r}")
        total = _TOTAL.match(first)
        if total:
            for year, count in zip(years, counts):
                if province == "CA":
                    expected = sum(v for (p, y), v in province_totals.items() if y == year)
                else:
                    expected = sums.get((province, year), 0)
                    province_totals[(province, year)] = count.value
                if expected != count.value:
                    raise BadFileError(name, f"line {line}: {first} {year} is {count.value:,}"
                                             f" but its lines add up to {expected:,}")
                table.totals_checked += 1
            continue
        if province == "CA":
            raise BadFileError(name, f"line {line}: unexpected line {first!r} in Canada")
        match = _REGION.match(first)
        code, label = (match[1], match[2].strip()) if match else (None, first)
        if not match:
            table.count("lines_without_region_code")  # `Other`: several regions
        for year, count in zip(years, counts):
            sums[(province, year)] = sums.get((province, year), 0) + count.value
            table.cells.append(Cell(province, label, None, code, year, count.value, False,
                                    False, None, line))
    _require_checked(name, table, province_totals)
    return table


def parse_top_countries(rows: list[list[str]], name: str, table: ParsedTable) -> ParsedTable:
    """Table 10: each province's and year's top countries: name, positions, rank."""
    province, year = None, None
    for line, row in enumerate(rows[1:], start=2):
        first = row[0].strip() if row else ""
        if not any(row):
            continue
        if _is_notes(first):
            break
        if _YEAR.match(first) and not any(row[1:]):
            year = first
            continue
        if (section := _section(row)) is not None:
            province, year = _province(name, line, section), None
            continue
        if province is None or year is None:
            raise BadFileError(name, f"line {line}: data before a province and a year")
        if fold(first).startswith(("pays", "country")):
            continue  # the list's header line
        positions = _count(name, line, row[1] if len(row) > 1 else "")
        rank = _count(name, line, row[2] if len(row) > 2 else "")
        if positions is None or rank is None or positions.is_suppressed:
            raise BadFileError(name, f"line {line}: expected country, positions, rank")
        code = countries.alpha_2(first) if first else None
        if not first:
            table.count("country_name_blank")  # ranked, but unnamed by ESDC: kept, no code
        elif code is None:
            raise BadFileError(name, f"line {line}: unknown country {first!r}")
        table.cells.append(Cell(province, first or None, None, code, year, positions.value,
                                False, False, rank.value, line))
    if not table.cells:
        raise BadFileError(name, "no country lines found")
    return table


def _require_checked(name: str, table: ParsedTable, province_totals: dict) -> None:
    if not table.cells:
        raise BadFileError(name, "no economic region lines found")
    provinces = {cell.province for cell in table.cells}
    missing = sorted(p for p in provinces if not any(k[0] == p for k in province_totals))
    if missing:
        raise BadFileError(name, f"no total line for {', '.join(missing)}: cannot reconcile")
