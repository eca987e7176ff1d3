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
A sheet's rows (calamine's) become a Grid too (`from_rows`): text cleaned by column
operations, numbers and dates by clean_cell.
"""
from __future__ import annotations

import csv
import io

MAX_ODD_RECORDS = 200  # records of another width than the first: more, and rows are cheaper

# Every character str.split() splits on: cells are cleaned exactly as text.clean_cell does.
# (Written out: computing it took 80 ms at every import. tests/unit/lmia/test_grid.py checks it.)
SPACE_CHARS = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
               "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_TEXT_COLUMNS = {f"f{index}": "string" for index in range(512)}  # wider: read() declines
_OTHER_SPACES = SPACE_CHARS.replace(" ", "").replace("\n", "")
_OTHER_SPACE = "[" + "".join(f"\\x{{{ord(char):x}}}" for char in SPACE_CHARS if char != " ") + "]"
_SPACE_RUN = "[" + "".join(f"\\x{{{ord(char):x}}}" for char in SPACE_CHARS) + "]+"


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
        else:
            cells = list(cells)  # the caller's own, as a table row's is
        return _Incomplete(cells) if self.incomplete_last and index == self.length - 1 \
            else cells


def filled(array):
    """Which cells of a string array (no nulls) are not empty, from its offsets alone: a
    comparison with "" reads every cell and costs three times as much."""
    import numpy as np
    import pyarrow as pa

    offsets = np.frombuffer(array.buffers()[1], dtype=np.int32)
    return pa.array(np.diff(offsets[array.offset:array.offset + len(array) + 1]) > 0)


def from_rows(rows: list[list]) -> Grid | None:
    """The Grid of a sheet's rows (calamine's: text, numbers, dates, empty cells), each
    cell made text as clean_cell does; None for a sheet with rows of different widths."""
    import pyarrow as pa

    from .text import clean_cell

    if not rows or len(rows[0]) < 2 or len(set(map(len, rows))) != 1:
        return None
    columns = []
    for cells in zip(*rows):
        if all(cell.__class__ is str for cell in cells):
            columns.append(_clean_text(pa.array(cells, pa.string())))
        else:
            columns.append(pa.array([clean_cell(cell) for cell in cells], pa.string()))
    return Grid(columns, {}, incomplete_last=False)


def _clean_text(column):
    """clean_cell for a column of any text: every space str.split() splits on, in runs."""
    import pyarrow.compute as pc

    if pc.any(pc.match_substring_regex(column, _OTHER_SPACE)).as_py():
        column = pc.replace_substring_regex(column, _SPACE_RUN, " ")  # rare, and slower
    return _one_space_trimmed(column, doubled=True)


def read(text: str, delimiter: str, max_lines_in_cell: int) -> Grid | None:
    """The Grid of a decoded CSV, or None when it must be read row by row (see above)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pcsv

    from .text import clean_cell

    data = _spaces_made_one(text, delimiter)
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
                column_types=_TEXT_COLUMNS,
                strings_can_be_null=False, quoted_strings_can_be_null=False))
    except (pa.ArrowException, ValueError):
        return None
    width = table.num_columns
    if width < 2 or any(not pa.types.is_string(field.type) for field in table.schema):
        return None
    records = table.num_rows + len(odd_text)
    if any(index >= records for index in odd_text):
        return None
    lines, joined = _joined_lines(data, max_lines_in_cell)
    if joined is None:
        return None  # a quote that never closes: csv drops it, Arrow would not
    valid = np.ones(records, dtype=bool)  # the records of the first width, in the table
    valid[list(odd_text)] = False
    # Every record's line breaks inside its cells, to compare with the lines csv joins.
    breaks = np.zeros(records, dtype=np.int64)
    broken: set[int] = set()  # columns with a line break in a cell
    if not joined and records:
        # No line is joined, so no record may span lines: one would leave fewer records
        # than lines, but for a quote opened in the last line, which takes the file's
        # last line break into its cell and leaves as many.
        last = odd_text.get(records - 1)
        cells = [last] if last is not None else [column[-1].as_py() for column in table.columns]
        if any("\n" in cell for cell in cells if cell):
            return None
    if joined:
        for index, row_text in odd_text.items():
            breaks[index] = row_text.count("\n")
        for position, column in enumerate(table.columns):
            counts = np.asarray(pc.count_substring(column, "\n"), dtype=np.int64)
            if counts.any():
                broken.add(position)
                breaks[valid] += counts
    if lines != records + int(breaks.sum()) or not _same_spans(breaks, joined):
        return None
    odd = {index: [clean_cell(cell)
                   for cell in next(csv.reader([row_text], delimiter=delimiter), [])]
           for index, row_text in odd_text.items()}
    joins = b' " ' in data
    columns = [_clean(column.combine_chunks(), position in broken, delimiter, joins)
               for position, column in enumerate(table.columns)]
    if odd:  # give the odd records their place in every column, as empty text
        positions = np.full(records, -1, dtype=np.int64)
        positions[valid] = np.arange(table.num_rows)
        taken = pa.array(positions, mask=~valid)
        columns = [column.take(taken).fill_null("") for column in columns]
    return Grid(columns, odd, incomplete_last=bool(text) and not text.endswith("\n"))


def _clean(column, broken: bool, delimiter: str, joined: bool):
    """clean_cell for a whole column of a text with no two spaces in a row and no other
    space than " " but line breaks (`broken`) and a tab that separates (read() saw to it):
    those made spaces, runs of them one, ends trimmed. `joined`: the text has ` " `, where a
    closing quote between two spaces leaves them side by side in the cell. Each step only
    where a cell needs it: a pass over every cell costs."""
    import pyarrow.compute as pc

    doubled = joined
    for space in ("\n",) * broken + ((delimiter,) if delimiter.isspace() else ()):
        if pc.any(pc.match_substring(column, space)).as_py():  # a quoted cell's own
            column = pc.replace_substring(column, space, " ")
            doubled = True
    return _one_space_trimmed(column, doubled)


def _one_space_trimmed(column, doubled: bool):
    """Runs of " " made one (when the cells may have any: `doubled`), ends trimmed."""
    import pyarrow.compute as pc

    while doubled and pc.any(pc.match_substring(column, "  ")).as_py():  # "  +": 3x slower
        column = pc.replace_substring(column, "  ", " ")
    if pc.any(pc.starts_with(column, " ")).as_py() or pc.any(pc.ends_with(column, " ")).as_py():
        column = pc.utf8_trim(column, " ")
    return column


def _spaces_made_one(text: str, delimiter: str) -> bytes:
    """The text in UTF-8, with every character str.split() splits on made " " (but the line
    break and the separator), and runs of " " made one: what clean_cell does to each cell,
    done once on the text. Spaces mean nothing to the CSV's structure (a cell opens a quote
    only at its first character, and a space before it stays a space), so the records are
    the same; per cell, with regular expressions, it was the slowest step of the reading."""
    import numpy as np

    for char in _OTHER_SPACES:
        if char != delimiter and char in text:
            text = text.replace(char, " ")
    data = text.encode("utf-8")
    if b"  " in data:  # one pass in numpy: str.replace took one per doubling of the longest run
        raw = np.frombuffer(data, dtype=np.uint8)
        space = raw == 32
        keep = np.ones(len(raw), dtype=bool)
        keep[1:] = ~(space[1:] & space[:-1])
        data = raw[keep].tobytes()
    return data


def _joined_lines(data: bytes, max_lines_in_cell: int):
    """(physical lines, [(first, last)] the lines `_logical_lines` joins into one record), or
    (lines, None) when it would drop a quote that never closes. A line with an odd number
    of quotes is joined through the next such line, if that is close enough."""
    import numpy as np

    raw = np.frombuffer(data, dtype=np.uint8)
    newlines = np.flatnonzero(raw == 10)
    lines = len(newlines) + (1 if data and not data.endswith(b"\n") else 0)
    quotes = np.flatnonzero(raw == 34)
    if not len(quotes):
        return lines, []
    per_line = np.bincount(np.searchsorted(newlines, quotes), minlength=lines + 1)
    odd_lines = np.flatnonzero(per_line[:lines] % 2).tolist()
    if len(odd_lines) % 2 or any(last - first > max_lines_in_cell
                                 for first, last in zip(odd_lines[0::2], odd_lines[1::2])):
        return lines, None
    return lines, list(zip(odd_lines[0::2], odd_lines[1::2]))


def _same_spans(breaks, joined: list[tuple[int, int]]) -> bool:
    """Whether the records Arrow spread over several lines (`breaks`: line breaks inside each
    record) are the lines csv joins."""
    import numpy as np

    spanning = np.flatnonzero(breaks)
    if len(spanning) != len(joined):
        return False
    starts = spanning + np.concatenate(([0], np.cumsum(breaks)))[spanning]
    return all(start == first and start + int(breaks[record]) == last
               for start, record, (first, last) in zip(starts.tolist(), spanning.tolist(), joined))
