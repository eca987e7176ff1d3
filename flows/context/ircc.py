"""IRCC's temporary-resident workbooks (TFWP permit holders; TFWP holders who became
permanent residents).

Layout: a title, a blank line, two or three header rows (year / quarter / month; `Q1 Total`
and `2024 Total` columns), then label columns: a province appears only on its `Quebec
Total` row and a group only on its total row (`Agricultural Workers`, `Economic Total`),
each *after* the rows it adds up; a blank label cell means "the group named below". Counts
are rounded to a multiple of 5 and `--` is 0 to 5 (suppressed, kept unknown, never 0).

Every total is checked against its rows within what rounding and suppression allow, then
kept apart (is_total): IRCC's totals count people once, so they are the figure to quote.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import BadFileError
from ..lmia.provinces import province_code
from ..lmia.text import fold
from .model import Cell, ParsedTable
from .values import Count, NotACount, parse_count

ROUNDING = "IRCC: multiple of 5; `--` = 0 to 5 (suppressed)"
MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_YEAR = re.compile(r"^(?:19|20)\d{2}$")
_QUARTER = re.compile(r"^Q([1-4])$")
NOT_STATED = "province / territory not stated"


@dataclass(frozen=True)
class Column:
    index: int
    period: str  # '2024', '2015-01', '2015-Q1' (a quarter total)
    is_total: bool  # a quarter or year total column: reconciled, not loaded


@dataclass
class Row:
    line: int
    depth: int  # index of the label column the row's label sits in
    label: str
    counts: list[Count]
    children: list[Row]


def _header(rows: list[list[str]], name: str) -> tuple[int, int, list[Column]]:
    """(first data row index, number of label columns, value columns)."""
    start = next((i for i, row in enumerate(rows)
                  if row and fold(row[0]).startswith("province")), None)
    if start is None:
        raise BadFileError(name, "no header row starting with 'Province'")
    width = next((i for i, cell in enumerate(rows[start]) if _YEAR.match(cell)), None)
    if width is None:
        raise BadFileError(name, f"row {start + 1}: no year in the header")
    end = start + 1
    while end < len(rows) and not any(rows[end][:width]):
        end += 1
    header = rows[start:end]
    columns, year, quarter = [], None, None
    for index in range(width, max(len(row) for row in header)):
        cells = [row[index] if index < len(row) else "" for row in header]
        if cells[0]:
            year, quarter = cells[0], None
        if not _YEAR.match(year or ""):
            raise BadFileError(name, f"row {start + 1}, column {index + 1}: {year!r} is not a year")
        labels = [cell for cell in cells[1:] if cell]
        if len(header) > 1 and cells[1] and _QUARTER.match(cells[1]):
            quarter = cells[1]
        last = labels[-1] if labels else ""
        if not labels and len(header) == 1:
            columns.append(Column(index, year, False))
        elif fold(last).endswith("total") and last[:2].upper() == quarter:
            columns.append(Column(index, f"{year}-{quarter}", True))
        elif fold(last) == f"{year} total":
            columns.append(Column(index, year, True))
        elif fold(last)[:3] in MONTHS:
            columns.append(Column(index, f"{year}-{MONTHS[fold(last)[:3]]:02d}", False))
        elif not any(cells):
            continue
        else:
            raise BadFileError(name, f"column {index + 1}: header {cells} not understood")
    return end, width, columns


def parse(rows: list[list[str]], name: str, table: ParsedTable) -> ParsedTable:
    table.rounding = ROUNDING
    start, width, columns = _header(rows, name)
    parts = _period_parts(columns)
    pending: dict[int, list[Row]] = {}  # rows waiting for the total that names their group
    provinces: list[Row] = []  # province totals, for Canada's
    for index in range(start, len(rows)):
        row = rows[index]
        labels = row[:width]
        if not any(labels):
            if any(row[width:]):
                raise BadFileError(name, f"row {index + 1}: counts without a label")
            continue
        depth = next(i for i, cell in enumerate(labels) if cell)
        if depth == 0 and fold(labels[0]).startswith(("notes", "source", "for further")):
            break
        counts = [_count(name, index + 1, row, column) for column in columns]
        node = Row(index + 1, depth, labels[depth], counts, [])
        grand_total = depth == 0 and fold(node.label) == "total"
        node.children = provinces if grand_total else pending.pop(depth + 1, [])
        for deeper in [d for d in pending if d > depth]:
            raise BadFileError(name, f"row {pending[deeper][0].line}: "
                                     f"{pending[deeper][0].label!r} has no total row below it")
        if node.children:
            _reconcile(name, node, columns, table)
        _check_period_totals(name, node, parts, columns, table)
        if grand_total:  # Canada's total: checked against the provinces, not loaded
            continue
        if depth == 0:
            provinces.append(node)
            _emit_province(name, table, node, columns)
        else:
            pending.setdefault(depth, []).append(node)
    if not table.cells:
        raise BadFileError(name, "no province total rows found")
    return table


def _count(name: str, line: int, row: list[str], column: Column) -> Count:
    cell = row[column.index] if column.index < len(row) else ""
    try:
        count = parse_count(cell)
    except NotACount as exc:
        raise BadFileError(name, f"row {line}, column {column.index + 1}: {exc} "
                                 f"is not a count") from None
    if count is None:
        raise BadFileError(name, f"row {line}, column {column.index + 1}: blank count")
    return count


def _bounds(counts: list[Count]) -> tuple[float, float]:
    """The range the true total lies in, given parts rounded to 5 and `--` = 0 to 5."""
    known = sum(count.value for count in counts if not count.is_suppressed)
    suppressed = sum(1 for count in counts if count.is_suppressed)
    return known - 2.5 * len(counts), known + 5 * suppressed + 2.5 * len(counts)


def _agrees(total: Count, parts: list[Count]) -> bool:
    low, high = _bounds(parts)
    total_low, total_high = (0, 5) if total.is_suppressed else (total.value - 2.5,
                                                               total.value + 2.5)
    return total_high >= low and total_low <= high


def _reconcile(name: str, node: Row, columns: list[Column], table: ParsedTable) -> None:
    for position, column in enumerate(columns):
        parts = [child.counts[position] for child in node.children]
        if not _agrees(node.counts[position], parts):
            low, high = _bounds(parts)
            raise BadFileError(name, f"row {node.line}: {node.label} {column.period} is "
                               f"{_show(node.counts[position])} but its rows allow "
                               f"{max(low, 0):,.0f} to {high:,.0f}")
        table.totals_checked += 1


def _period_parts(columns: list[Column]) -> dict[int, list[int]]:
    """Position of each total column → positions of its parts (months of a quarter,
    quarters of a year), worked out once per file."""
    position_of = {column.period: i for i, column in enumerate(columns) if not column.is_total}
    quarter_of = {column.period: i for i, column in enumerate(columns)
                  if column.is_total and "-Q" in column.period}
    parts = {}
    for position, column in enumerate(columns):
        if column.is_total and "-Q" in column.period:
            year, quarter = column.period.split("-Q")
            months = (f"{year}-{(int(quarter) - 1) * 3 + m:02d}" for m in (1, 2, 3))
            parts[position] = [position_of[m] for m in months if m in position_of]
        elif column.is_total:
            parts[position] = [i for period, i in quarter_of.items()
                               if period.startswith(f"{column.period}-Q")]
    return parts


def _check_period_totals(name: str, node: Row, parts: dict, columns, table) -> None:
    """Quarter totals against their months, year totals against their quarters."""
    for position, members in parts.items():
        if members and not _agrees(node.counts[position], [node.counts[i] for i in members]):
            raise BadFileError(name, f"row {node.line}: {node.label} {columns[position].period}"
                                     f" total {_show(node.counts[position])} disagrees with "
                                     "its parts")
        table.totals_checked += 1


def _show(count: Count) -> str:
    return "--" if count.is_suppressed else f"{count.value:,}"


def _emit_province(name: str, table: ParsedTable, node: Row, columns) -> None:
    label = re.sub(r"\s+total$", "", node.label, flags=re.IGNORECASE)
    if fold(label) == NOT_STATED:
        code = None
    else:
        code = province_code(label)
        if code is None:
            raise BadFileError(name, f"row {node.line}: unknown province {label!r}")
    _emit(table, node, columns, code)


def _emit(table: ParsedTable, node: Row, columns, province) -> None:
    """The province's total row, then each group (label_1) and member row (label_2)."""
    def cells(row: Row, label_1, label_2, is_total):
        for count, column in zip(row.counts, columns):
            if not column.is_total:
                table.cells.append(Cell(province, label_1, label_2, None, column.period,
                                        count.value, count.is_suppressed, is_total, None,
                                        row.line))
    cells(node, "Total", None, True)
    for group in node.children:
        group_label = _group_label(group.label)
        cells(group, group_label, None, bool(group.children))
        for member in group.children:
            cells(member, group_label, _group_label(member.label), bool(member.children))
            table.count("rows_below_second_level", len(member.children))


def _group_label(label: str) -> str:
    return re.sub(r"\s+Total$", "", label)
