"""Turn the rows of one LMIA file into clean records, every vintage alike.

What the files do (see shared/data/PROVENANCE.md): a title row before the header, a
`Notes:` block after the data, province section rows (2014–2015 employer format), blank
cells meaning "same as above" (2016–2019 Q2), padded values, `code-title` occupation
cells. Anything else — a missing header, a number that is not a whole number, a total that
does not add up — raises BadFileError naming the row: the file is quarantined, not guessed at.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import BadFileError
from . import periods
from .layouts import Header, looks_like_header, recognize
from .provinces import province_code
from .read import is_incomplete, read_sheets
from .text import clean_cell, extract_postal_code, fold

HEADER_SEARCH_ROWS = 50
_OCCUPATION = re.compile(r"^\s*(\d{4,5})\s*[-–—:]?\s*(.*)$")
_FOOTER = re.compile(r"^(notes?|remarques?)\s*:?\s*$")
_NUMBER = re.compile(r"\d+(?:\.0+)?")
_BLANK_MARKERS = {"(blank)", "(vide)", "blank", "n/a"}
_TOTAL = re.compile(r"^(grand )?total\b|^total general\b")
COLUMNS = (
    "sheet", "source_row", "province", "province_code", "program_stream", "employer_name",
    "address", "postal_code", "occupation_code", "occupation_title", "noc_version",
    "incorporate_status", "approved_lmias", "approved_positions",
)


@dataclass
class ParsedFile:
    name: str
    layout: str = ""
    language: str = ""
    noc_version: str | None = None
    period: periods.Period | None = None
    title: str | None = None
    records: list[tuple] = field(default_factory=list)  # one tuple per row, in COLUMNS order
    skipped: Counter = field(default_factory=Counter)
    positions_by_province: Counter = field(default_factory=Counter)
    declared_totals: list[int] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return len(self.records)

    @property
    def columns(self) -> dict[str, list]:
        """Column-wise view (for DuckDB and tests)."""
        if not self.records:
            return {column: [] for column in COLUMNS}
        return dict(zip(COLUMNS, map(list, zip(*self.records))))

    @property
    def approved_positions(self) -> int:
        return sum(self.positions_by_province.values())


def whole_number(cell: object, what: str, where: str) -> int:
    if cell.__class__ is str and cell.isdigit():
        return int(cell)
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        if float(cell).is_integer():
            return int(cell)
        raise ValueError(f"{where}: {what} {cell!r} is not a whole number")
    text = clean_cell(cell).replace(" ", "")
    if re.fullmatch(r"\d+(\.0+)?", text):
        return int(float(text))
    raise ValueError(f"{where}: {what} {clean_cell(cell)!r} is not a whole number")


def parse_file(path: Path, name: str, names: list[str] | None = None) -> ParsedFile:
    """Parse one file. `names` are other names it is known by (CKAN resource name, URL)."""
    parsed = ParsedFile(name=name)
    seen_header = []
    try:
        for sheet, rows in read_sheets(path, name):
            where = name if sheet is None else f"{name} [sheet {sheet}]"
            header = _parse_sheet(parsed, sheet, rows, where)
            if header is None:
                seen_header.append(where)
        if not parsed.layout:
            raise ValueError(f"{name}: unrecognized layout, no header row naming the employer "
                             f"and the approved positions in the first {HEADER_SEARCH_ROWS} rows")
        if parsed.row_count == 0:
            raise ValueError(f"{name}: a header but no data rows")
        parsed.period = periods.resolve(parsed.title, [name, *(names or [])], name)
        _check_noc_versions(parsed)
    except ValueError as exc:
        raise BadFileError(name, str(exc)) from exc
    return parsed


def parse_job(job: tuple) -> tuple:
    """(ParsedFile, None) or (None, reason) for (path, name, names): what a worker process
    runs. It lives here, not in ingest.py, so a worker imports neither pandas nor DuckDB."""
    path, name, names = job
    try:
        return parse_file(path, name, names), None
    except BadFileError as exc:
        return None, exc.reason


def _parse_sheet(parsed: ParsedFile, sheet: str | None, rows: list, where: str) -> Header | None:
    header, section_province, start = _find_header(parsed, rows, where)
    if header is None:
        return None
    _adopt_header(parsed, header, where)
    # Positions of each column, looked up once: this loop runs for every row of every file.
    columns = header.columns
    at_positions, at_employer = columns["approved_positions"], columns["employer_name"]
    at_province, at_address = columns.get("province"), columns.get("address")
    at_occupation, at_status = columns.get("occupation"), columns.get("incorporate_status")
    at_stream, at_lmias = columns.get("program_stream"), columns.get("approved_lmias")
    width = max(columns.values()) + 1
    levels = [i for i in (at_province, at_stream, at_employer, at_address) if i is not None]
    previous = [""] * len(levels)
    records, by_province, skipped = parsed.records, parsed.positions_by_province, parsed.skipped
    running = 0
    for index in range(start, len(rows)):
        raw, number = rows[index], index + 1
        cells = [" ".join(c.split()) if c.__class__ is str else clean_cell(c) for c in raw]
        if len(cells) < width:
            cells += [""] * (width - len(cells))
        positions_cell = cells[at_positions]
        at = None
        if not _NUMBER.fullmatch(positions_cell):
            # Not a data row, or a bad one: blank, notes, repeated header, province section.
            filled = [cell for cell in cells if cell]
            if not filled:
                skipped["blank line"] += 1
                continue
            label = fold(filled[0])
            if _FOOTER.match(label) or (len(filled) == 1 and label.startswith(("1. ", "notes"))):
                skipped["footnotes"] += len(rows) - index
                break
            if looks_like_header(cells):
                skipped["repeated header"] += 1
                continue
            if len(filled) == 1 and cells[0] and province_code(filled[0]):
                section_province, previous, running = filled[0], [""] * len(levels), 0
                skipped["province section"] += 1
                continue
            at = f"{where} row {number}"
            if is_incomplete(raw):
                raise ValueError(f"{at}: the file ends in the middle of this row (truncated download?)")
            if not positions_cell:
                raise ValueError(f"{at}: approved positions is empty")
            whole_number(positions_cell, "approved positions", at)  # raises: not a whole number
        if is_incomplete(raw):
            raise ValueError(f"{where} row {number}: the file ends in the middle of this row "
                             f"(truncated download?)")
        positions = int(positions_cell) if positions_cell.isdigit() else int(float(positions_cell))
        first = next(cell for cell in cells if cell)
        if first[:5].lower() in ("total", "grand") and _TOTAL.match(fold(first)) \
                and not (at_occupation is not None and cells[at_occupation]) \
                and not (at_address is not None and cells[at_address]):
            if positions not in (running, parsed.approved_positions):
                raise ValueError(f"{where} row {number}: the file's total {positions} does not "
                                 f"match the {running} positions of the rows above it")
            parsed.declared_totals.append(positions)
            skipped["total row"] += 1
            running = 0
            continue
        # "Same as above": a blank level repeats the row above while every level above it
        # is blank too; the first filled level and everything below it are this row's own.
        for depth, column in enumerate(levels):
            if cells[column]:
                previous[depth:] = [cells[other] for other in levels[depth:]]
                break
            cells[column] = previous[depth]
        employer = cells[at_employer]
        if not employer:
            raise ValueError(f"{where} row {number}: employer name is empty")
        if at_province is None:
            if section_province is None:
                raise ValueError(f"{where} row {number}: a data row before any province section row")
            province = section_province
        else:
            province = cells[at_province]
        lmias_cell = cells[at_lmias] if at_lmias is not None else ""
        lmias = whole_number(lmias_cell, "approved LMIAs", f"{where} row {number}") \
            if lmias_cell else None
        code = province_code(province)
        address = cells[at_address] if at_address is not None else ""
        occupation = split_occupation(cells[at_occupation]) if at_occupation is not None \
            else (None, None, None)
        records.append((
            sheet, number, province, code, (cells[at_stream] or None) if at_stream is not None
            else None, employer, address or None,
            extract_postal_code(address) if address and code != "XX" else None,
            *occupation, (cells[at_status] or None) if at_status is not None else None,
            lmias, positions))
        by_province[code or province] += positions
        running += positions
    return header


def _find_header(parsed: ParsedFile, rows: list, where: str):
    """(header, province section seen before it, index of the first row after it)."""
    section_province = None
    for index, raw in enumerate(rows[: HEADER_SEARCH_ROWS]):
        cells = [clean_cell(cell) for cell in raw]
        filled = [cell for cell in cells if cell]
        if not filled:
            parsed.skipped["blank line"] += 1
        elif looks_like_header(cells):
            return recognize(cells, f"{where} row {index + 1}"), section_province, index + 1
        elif len(filled) == 1 and province_code(filled[0]):
            section_province = filled[0]
            parsed.skipped["province section"] += 1
        else:
            parsed.title = parsed.title or filled[0]
            parsed.skipped["title"] += 1
    return None, None, 0


def _adopt_header(parsed: ParsedFile, header: Header, where: str) -> None:
    if parsed.layout and parsed.layout != header.layout:
        raise ValueError(f"{where}: sheets with different layouts "
                         f"({parsed.layout} and {header.layout})")
    parsed.layout, parsed.language = header.layout, header.language
    parsed.noc_version = parsed.noc_version or header.noc_version_hint


@lru_cache(maxsize=16384)
def split_occupation(cell: str) -> tuple[str | None, str | None, str | None]:
    """`0621-Retail and wholesale trade managers` -> ('0621', title, '2011'); codes stay text."""
    if not cell or fold(cell) in _BLANK_MARKERS:
        return None, None, None
    match = _OCCUPATION.match(cell)
    if not match:
        return None, cell, None
    code = match.group(1)
    return code, match.group(2).strip() or None, "2021" if len(code) == 5 else "2011"


def _check_noc_versions(parsed: ParsedFile) -> None:
    index = COLUMNS.index("noc_version")
    versions = {record[index] for record in parsed.records if record[index]}
    if len(versions) > 1:
        raise ValueError("occupation codes of two NOC versions (4 and 5 digits) in one file")
    found = versions.pop() if versions else None
    if parsed.noc_version and found and parsed.noc_version != found:
        raise ValueError(f"the header says NOC {parsed.noc_version} but the codes are NOC {found}")
    parsed.noc_version = found or parsed.noc_version
