"""A CSV's records as whole columns of text, read by Arrow's CSV reader.

Python's csv module and a loop over cells cost about 12 µs a row on the LMIA history; Arrow
reads the same bytes about ten times faster and cleans every cell in one pass (issue 16,
docs/architecture.md, "Where the time goes"). The parser still reads a record the way
`read._read_csv` does (csv.reader over `_logical_lines`): a Grid is only made when Arrow's
records are provably the same ones, else `read()` returns None and the file is read row by
row as before. What the two could disagree on is where a record ends, never what a line
holds (the same quote rules: tests/unit/lmia/test_grid.py), so that is what is checked:
- `_logical_lines` joins a line with an odd number of quotes to the lines below it until
  the count is even again (at most MAX_LINES_IN_CELL of them, else it drops the quotes);
  Arrow ends a record at the first line break outside a quoted cell. The Grid is made only
  when the records Arrow spreads over several lines are exactly the lines the csv route
  joins, and no quote is dropped.
- A record of another width than the first (a footnote of one cell, a blank line) is read
  by the csv module and kept aside in its place; a file with many of them (a title of one
  cell above a table of six) is read row by row.
"""
from __future__ import annotations

import csv
import io
import sys

MAX_ODD_RECORDS = 200  # records of another width than the first: more, and rows are cheaper

# Every character str.split() splits on: cells are cleaned exactly as text.clean_cell does.
_SPACE_CHARS = "".join(chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace())
_OTHER_SPACES = _SPACE_CHARS.replace(" ", "").replace("\n", "")


class Grid:
    """The records of a CSV: `columns` (Arrow string arrays, cleaned like clean_cell, one
    value per record) and the records of another width as lists (`odd`, by record index).
    Indexing gives a record as a list of cleaned cells, as the row-by-row route does."""

    def __init__(self, columns: list, odd: dict[int, list[str]], incomplete_last: bool):
        self.columns = columns
        self.odd = odd
        self.length = len(columns[0]) if columns else 0
        self.incomplete_last = incomplete_last

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, key):
        if isinstance(key, slice):  # the rows the header is looked for in: a few hundred
            start, stop, step = key.indices(self.length)
            if step != 1 or stop <= start:
                return [self.row(index) for index in range(start, stop, step)]
            cells = zip(*(column.slice(start, stop - start).to_pylist()
                          for column in self.columns))
            return [self.row(index) if index in self.odd or (
                self.incomplete_last and index == self.length - 1) else list(row)
                for index, row in zip(range(start, stop), cells)]
        return self.row(key if key >= 0 else key + self.length)

    def row(self, index: int) -> list[str]:
        from .read import _Incomplete

        cells = self.odd.get(index)
        if cells is None:
            cells = [column[index].as_py() for column in self.columns]
        return _Incomplete(cells) if self.incomplete_last and index == self.length - 1 \
            else cells


def read(text: str, delimiter: str, max_lines_in_cell: int) -> Grid | None:
    """The Grid of a decoded CSV, or None when it must be read row by row (see above)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pcsv

    text = _other_spaces_to_space(text, delimiter)
    data = text.encode("utf-8")
    odd_text: dict[int, str] = {}

    def invalid_row(row) -> str:
        if row.number is None or len(odd_text) >= MAX_ODD_RECORDS:
            return "error"
        odd_text[row.number - 1] = row.text
        return "skip"

    try:
        table = pcsv.read_csv(
            io.BytesIO(data),
            read_options=pcsv.ReadOptions(autogenerate_column_names=True, use_threads=False,
                                          block_size=max(1 << 20, len(data) + 1)),
            parse_options=pcsv.ParseOptions(delimiter=delimiter, newlines_in_values=True,
                                            ignore_empty_lines=False,
                                            invalid_row_handler=invalid_row),
            convert_options=pcsv.ConvertOptions(
                column_types={f"f{index}": pa.string() for index in range(4096)},
                strings_can_be_null=False, quoted_strings_can_be_null=False))
    except (pa.ArrowException, ValueError):
        return None
    width = table.num_columns
    if width < 2 or any(not pa.types.is_string(field.type) for field in table.schema):
        return None
    records = table.num_rows + len(odd_text)
    # Every record's line breaks inside its cells, to compare with the lines csv would join.
    breaks = np.zeros(records, dtype=np.int64)
    valid = np.ones(records, dtype=bool)
    for index, row_text in odd_text.items():
        if index >= records:
            return None
        valid[index] = False
        breaks[index] = row_text.count("\n")
    if table.num_rows:
        inside = sum(np.asarray(pc.count_substring(column, "\n").fill_null(0), dtype=np.int64)
                     for column in table.columns)
        breaks[valid] = inside
    if not _same_records(data, breaks, max_lines_in_cell):
        return None
    odd = {index: [" ".join(cell.split())
                   for cell in next(csv.reader([row_text], delimiter=delimiter), [])]
           for index, row_text in odd_text.items()}
    columns = [_clean(column.combine_chunks(), delimiter) for column in table.columns]
    if odd:  # give the odd records their place in every column, as empty text
        positions = np.full(records, -1, dtype=np.int64)
        positions[valid] = np.arange(table.num_rows)
        taken = pa.array(positions, mask=~valid)
        columns = [column.take(taken).fill_null("") for column in columns]
    return Grid(columns, odd, incomplete_last=bool(text) and not text.endswith("\n"))


def _clean(column, delimiter: str):
    """clean_cell for a whole column whose only spaces are " ", line breaks and a tab that
    separates (read() made the others spaces): runs to one space, ends trimmed. Each step
    only where a cell needs it: a regular expression over every cell costs."""
    import pyarrow.compute as pc

    for space in ("\n", delimiter) if delimiter.isspace() else ("\n",):
        if pc.any(pc.match_substring(column, space)).as_py():  # a quoted cell's own
            column = pc.replace_substring(column, space, " ")
    while pc.any(pc.match_substring(column, "  ")).as_py():  # a third of "  +"'s time
        column = pc.replace_substring(column, "  ", " ")
    if pc.any(pc.or_(pc.starts_with(column, " "), pc.ends_with(column, " "))).as_py():
        column = pc.utf8_trim(column, " ")
    return column


def _other_spaces_to_space(text: str, delimiter: str) -> str:
    """Every character str.split() splits on, but the line break, the separator and " ",
    made a space: clean_cell would make it one. On the text, once: in every cell of every
    column it took a regular expression ten times slower than the rest of the cleaning."""
    for char in _OTHER_SPACES:
        if char != delimiter and char in text:
            text = text.replace(char, " ")
    return text


def _same_records(data: bytes, breaks, max_lines_in_cell: int) -> bool:
    """Whether the lines csv.reader over `_logical_lines` joins into one record are the ones
    Arrow's records span (`breaks`: line breaks inside each record), with no quote dropped."""
    import numpy as np

    raw = np.frombuffer(data, dtype=np.uint8)
    newlines = np.flatnonzero(raw == 10)
    lines = len(newlines) + (1 if data and not data.endswith(b"\n") else 0)
    if lines != len(breaks) + int(breaks.sum()):
        return False
    quotes = np.flatnonzero(raw == 34)
    per_line = np.bincount(np.searchsorted(newlines, quotes), minlength=lines + 1)
    odd_lines = np.flatnonzero(per_line[:lines] % 2)
    # _logical_lines: an odd line is joined through the next odd line when it is close enough
    joined = []
    at = 0
    while at < len(odd_lines):
        if at + 1 >= len(odd_lines) or odd_lines[at + 1] - odd_lines[at] > max_lines_in_cell:
            return False  # a quote that never closes: csv drops it, Arrow would not
        joined.append((int(odd_lines[at]), int(odd_lines[at + 1])))
        at += 2
    spanning = np.flatnonzero(breaks)
    if len(spanning) != len(joined):
        return False
    starts = spanning + np.concatenate(([0], np.cumsum(breaks)))[spanning]
    return all(start == first and start + breaks[record] == last for start, record, (first, last)
               in zip(starts.tolist(), spanning.tolist(), joined))
