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
# Higher levels first: a blank cell repeats the row above only while every level above it
# is blank too (a new employer never inherits the previous employer's address).
CARRY_ORDER = ("province", "program_stream", "employer_name", "address")
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
    columns: dict[str, list] = field(default_factory=lambda: {c: [] for c in COLUMNS})
    skipped: Counter = field(default_factory=Counter)
    positions_by_province: Counter = field(default_factory=Counter)
    declared_totals: list[int] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return len(self.columns["source_row"])

    @property
    def approved_positions(self) -> int:
        return sum(self.positions_by_province.values())


def whole_number(cell: object, what: str, where: str) -> int:
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


def _parse_sheet(parsed: ParsedFile, sheet: str | None, rows: list, where: str) -> Header | None:
    header: Header | None = None
    section_province: str | None = None
    previous: dict[str, str] = {}
    running = 0
    for number, raw in enumerate(rows, start=1):
        cells = [clean_cell(cell) for cell in raw]
        filled = [cell for cell in cells if cell]
        if not filled:
            parsed.skipped["blank line"] += 1
            continue
        if header is None:
            if looks_like_header(cells):
                header = recognize(cells, f"{where} row {number}")
                _adopt_header(parsed, header, where)
            elif len(filled) == 1 and province_code(filled[0]):
                section_province = filled[0]
                parsed.skipped["province section"] += 1
            elif number > HEADER_SEARCH_ROWS:
                return None
            else:
                parsed.title = parsed.title or filled[0]
                parsed.skipped["title"] += 1
            continue
        at = f"{where} row {number}"
        if is_incomplete(raw):
            raise ValueError(f"{at}: the file ends in the middle of this row (truncated download?)")
        values = {column: cells[index] if index < len(cells) else ""
                  for column, index in header.columns.items()}
        # Fast path: a row whose positions cell is a number is data (or a total); only the
        # other rows need the slower checks for footnotes, repeated headers and sections.
        if not _NUMBER.fullmatch(values["approved_positions"]):
            label = fold(filled[0])
            if _FOOTER.match(label) or (len(filled) == 1 and label.startswith(("1. ", "notes"))):
                parsed.skipped["footnotes"] += len(rows) - number + 1
                break
            if looks_like_header(cells):
                parsed.skipped["repeated header"] += 1
                continue
            if len(filled) == 1 and cells[0] and province_code(filled[0]):
                section_province, previous, running = filled[0], {}, 0
                parsed.skipped["province section"] += 1
                continue
        elif filled[0][:5].lower() in ("total", "grand") and _TOTAL.match(fold(filled[0])) \
                and not values.get("occupation") and not values.get("address"):
            declared = whole_number(values["approved_positions"], "total", at)
            if declared not in (running, parsed.approved_positions):
                raise ValueError(f"{at}: the file's total {declared} does not match the "
                                 f"{running} positions of the rows above it")
            parsed.declared_totals.append(declared)
            parsed.skipped["total row"] += 1
            running = 0
            continue
        if "province" not in header.columns:
            if section_province is None:
                raise ValueError(f"{at}: a data row before any province section row")
            values["province"] = section_province
        _carry_forward(values, previous)
        positions = _record(parsed, sheet, number, values, at)
        running += positions
    return header


def _adopt_header(parsed: ParsedFile, header: Header, where: str) -> None:
    if parsed.layout and parsed.layout != header.layout:
        raise ValueError(f"{where}: sheets with different layouts "
                         f"({parsed.layout} and {header.layout})")
    parsed.layout, parsed.language = header.layout, header.language
    parsed.noc_version = parsed.noc_version or header.noc_version_hint


def _carry_forward(values: dict[str, str], previous: dict[str, str]) -> None:
    levels = [column for column in CARRY_ORDER if column in values]
    for column in levels:
        if values[column]:
            break
        values[column] = previous.get(column, "")
    previous.update({column: values[column] for column in levels})


def _record(parsed: ParsedFile, sheet: str | None, number: int, values: dict, at: str) -> int:
    if not values["approved_positions"]:
        raise ValueError(f"{at}: approved positions is empty")
    positions = whole_number(values["approved_positions"], "approved positions", at)
    lmias = values.get("approved_lmias")
    lmias = whole_number(lmias, "approved LMIAs", at) if lmias else None
    if not values["employer_name"]:
        raise ValueError(f"{at}: employer name is empty")
    province = values["province"]
    code = province_code(province)
    address = values["address"]
    occupation_code, occupation_title, noc_version = split_occupation(values.get("occupation", ""))
    row = parsed.columns
    row["sheet"].append(sheet)
    row["source_row"].append(number)
    row["province"].append(province)
    row["province_code"].append(code)
    row["program_stream"].append(values.get("program_stream") or None)
    row["employer_name"].append(values["employer_name"])
    row["address"].append(address or None)
    row["postal_code"].append(extract_postal_code(address) if address and code != "XX" else None)
    row["occupation_code"].append(occupation_code)
    row["occupation_title"].append(occupation_title)
    row["noc_version"].append(noc_version)
    row["incorporate_status"].append(values.get("incorporate_status") or None)
    row["approved_lmias"].append(lmias)
    row["approved_positions"].append(positions)
    parsed.positions_by_province[code or province] += positions
    return positions


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
    versions = {version for version in parsed.columns["noc_version"] if version}
    if len(versions) > 1:
        raise ValueError("occupation codes of two NOC versions (4 and 5 digits) in one file")
    found = versions.pop() if versions else None
    if parsed.noc_version and found and parsed.noc_version != found:
        raise ValueError(f"the header says NOC {parsed.noc_version} but the codes are NOC {found}")
    parsed.noc_version = found or parsed.noc_version
