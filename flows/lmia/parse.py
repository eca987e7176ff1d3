"""Turn the rows of one LMIA file into clean records, every vintage alike: absorb, repair, report.

Every physical line is classified (title, header, province section, data, total, footnote,
blank, unrecognized) and every cell read for what it means. What is unambiguous is repaired
and counted (`5,967` is 5967; `711-Directeurs de la construction` is NOC 2011 `0711`); what
is not data is skipped with its reason; a data row with no employer name is kept, flagged; a
row whose count cannot be read is left out and reported. The load report carries every
count with two examples (flows/lmia/ingest.py). A file is refused only when its meaning is
lost: no employer or count column, a total the file itself states that its rows contradict,
a cut-off end, no period (see PROVENANCE facts in docs/raw-lmia-contract.md).

The row loop below is the reference for what a row means. In a CSV read as whole columns
(grid.py), stretches of ordinary data rows are read by column operations instead (runs.py),
with the same records and the same report (tests/unit/lmia/test_runs.py).
"""
from __future__ import annotations

import gc
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter

from ..errors import BadFileError
from . import noc, periods, runs
from .grid import Grid
from .layouts import Header, looks_like_header, looks_like_partial_header, recognize
from .provinces import province_code, province_from_address
from .read import is_incomplete, read_sheets
from .runs import Run
from .text import clean_cell, extract_postal_code, fold

HEADER_SEARCH_ROWS = 200
_TRUNCATED = ("le fichier s'arrête au milieu de cette ligne (téléchargement tronqué ?) / the "
              "file ends in the middle of this row (truncated download?)")
EXAMPLES = 2
_OCCUPATION = re.compile(r"^\s*(\d{1,5})\s*[-–—:]?\s*(.*)$")
_FOOTER = re.compile(r"^(notes?|remarques?|sources?|nota)\s*:?\s*$")
_FOOTNOTE = re.compile(r"^(\(?\d{1,2}[.)]\s|\*|notes?\s*:|remarques?\s*:|sources?\s*:|nota\b)")
_BLANK_MARKERS = {"(blank)", "(vide)", "blank", "n/a", "-", "--"}
_TOTAL = re.compile(r"^(grand |sous |sub )?total\b|^total general\b|\btotal$|\s[-–]\s*total\b")
_COUNT = re.compile(r"\d+")
_GROUPED = re.compile(r"\d{1,3}(?:([,\u00a0\u202f ' .])\d{3})(?:\1\d{3})*")
_DECIMAL_ZERO = re.compile(r"(\d+)[.,]0+")
_NEGATIVE = re.compile(r"(?<![a-z])(negative|negatives|negatif|negatifs|defavorables?|neg)(?![a-z])")
COLUMNS = (
    "sheet", "source_row", "province", "province_code", "program_stream", "employer_name",
    "address", "postal_code", "occupation_code", "occupation_title", "noc_version",
    "incorporate_status", "approved_lmias", "approved_positions",
)
_WHOLE_NUMBERS = ("source_row", "approved_lmias", "approved_positions")


class NotPositiveList(ValueError):
    """A negative LMIA list (or another list that is not the positive employers list)."""


@dataclass
class ParsedFile:
    name: str
    layout: str = ""
    language: str = ""
    noc_version: str | None = None
    period: periods.Period | None = None
    title: str | None = None
    encoding: str | None = None
    records: list[tuple] = field(default_factory=list)  # rows read one by one, COLUMNS order
    chunks: list = field(default_factory=list)  # Arrow tables of the rows before `records`
    table: object = None  # all rows as one Arrow table once `columnar()` ran
    skipped: Counter = field(default_factory=Counter)     # lines that are not data, by reason
    repairs: Counter = field(default_factory=Counter)     # cells or bytes repaired, by kind
    flagged: Counter = field(default_factory=Counter)     # rows kept but doubtful, by reason
    rejected: Counter = field(default_factory=Counter)    # rows left out, meaning lost
    examples: dict = field(default_factory=dict)          # kind -> up to two examples
    headers_understood: list = field(default_factory=list)  # "seen → column (how)"
    columns_ignored: list = field(default_factory=list)
    positions_by_province: Counter = field(default_factory=Counter)
    declared_totals: list[int] = field(default_factory=list)
    header_problem: str | None = None

    @property
    def row_count(self) -> int:
        if self.table is not None:
            return self.table.num_rows
        return sum(chunk.num_rows for chunk in self.chunks) + len(self.records)

    @property
    def columns(self) -> dict[str, list]:
        """Column-wise view (for tests)."""
        return self.columnar().to_pydict()

    def add_table(self, table) -> None:
        """Rows read whole columns at a time (runs.py), after those read so far."""
        self._flush()
        self.chunks.append(table)

    def _flush(self) -> None:
        if self.records:
            import pyarrow as pa

            # one pass per column in C (zip(*records) took twice as long on the history)
            values = [list(map(itemgetter(i), self.records)) for i in range(len(COLUMNS))]
            self.chunks.append(pa.table({
                column: pa.array(cells, pa.int32() if column in _WHOLE_NUMBERS else pa.string())
                for column, cells in zip(COLUMNS, values)}))
            self.records.clear()  # the same list: the row loop holds its append

    def columnar(self):
        """The rows as one Arrow table. A worker process sends this back: Arrow's buffers
        pickle and reach DuckDB without a Python object per cell (docs/architecture.md,
        "Where the time goes")."""
        if self.table is None:
            import pyarrow as pa

            self._flush()
            self.table = pa.concat_tables(self.chunks) if self.chunks else pa.table({
                column: pa.array([], pa.int32() if column in _WHOLE_NUMBERS else pa.string())
                for column in COLUMNS})
            self.chunks = []
        elif self.records or self.chunks:
            raise RuntimeError("rows added after columnar()")
        return self.table

    @property
    def approved_positions(self) -> int:
        return sum(self.positions_by_province.values())

    def note(self, bucket: Counter, kind: str, example: str) -> None:
        bucket[kind] += 1
        shown = self.examples.setdefault(kind, [])
        if len(shown) < EXAMPLES:
            shown.append(example[:160])


# raw.lmia_rows stores counts as 32-bit integers; a larger "count" is not one (a hostile or
# corrupt cell), and its row is left out like any count that cannot be read.
MAX_COUNT = 2**31 - 1
# A count cell of fewer digits than this always fits: the row loop reads it at once.
_SHORT_COUNT = len(str(MAX_COUNT))


def parse_count(cell: object) -> tuple[int | None, str | None]:
    """(whole number, repair kind or None) for a count cell; (None, None) when it is not one."""
    value, repair = _count(cell)
    return (value, repair) if value is not None and value <= MAX_COUNT else (None, None)


def _count(cell: object) -> tuple[int | None, str | None]:
    if cell.__class__ is str:
        if cell.isdecimal():  # not isdigit: `²` is a digit that int() refuses
            return int(cell), None
        text = cell.strip()
    elif isinstance(cell, bool) or cell is None:
        return None, None
    elif isinstance(cell, (int, float)):
        return (int(cell), None) if float(cell).is_integer() else (None, None)
    else:
        text = clean_cell(cell)
    if text.isdecimal():
        return int(text), None
    if _GROUPED.fullmatch(text):
        return int(re.sub(r"\D", "", text)), "thousands separator in a count"
    match = _DECIMAL_ZERO.fullmatch(text)
    if match:
        return int(match.group(1)), None
    return None, None


def parse_file(path, name: str, names: list[str] | None = None) -> ParsedFile:
    """Parse one file. `names` are other names it is known by (CKAN resource name, URL)."""
    parsed = ParsedFile(name=name)
    try:
        for sheet, rows, decoded in read_sheets(path, name):
            if decoded is not None:  # the decoder's repairs are the file's too
                parsed.encoding = decoded.encoding
                parsed.repairs.update(decoded.repairs)
                for kind, shown in decoded.examples.items():
                    parsed.examples.setdefault(kind, []).extend(shown[:EXAMPLES])
            where = name if sheet is None else f"{name} [sheet {sheet}]"
            _parse_sheet(parsed, sheet, rows, where)
        _refuse_negative(parsed, [name, *(names or [])])
        if not parsed.layout and parsed.header_problem:
            raise ValueError(parsed.header_problem)
        if not parsed.layout:
            raise ValueError(f"{name}: aucune ligne d'en-tête nommant l'employeur et les postes "
                             f"approuvés dans les {HEADER_SEARCH_ROWS} premières lignes / no "
                             f"header row naming the employer and the approved positions in the "
                             f"first {HEADER_SEARCH_ROWS} rows of any sheet")
        if parsed.row_count == 0:
            raise ValueError(f"{name}: un en-tête mais aucune ligne de données / a header but "
                             f"no data rows")
        parsed.period = periods.resolve(parsed.title, [name, *(names or [])], name)
        parsed.columnar()
        _settle_occupations(parsed)
    except NotPositiveList:
        raise
    except ValueError as exc:
        raise BadFileError(name, str(exc)) from exc
    return parsed


def parse_job(job: tuple) -> tuple:
    """(ParsedFile, None, None), (None, reason, 'quarantined') or (None, reason, 'ignored')
    for (path, name, names): what a worker process runs. It lives here, not in ingest.py,
    so a worker imports neither pandas nor DuckDB."""
    path, name, names = job
    # Without the cycle collector while a file is parsed: a file is a list per row and a
    # string per cell, all alive until the end, and the collector went through them again
    # and again for cycles they do not have (a fifth of the parse of the history, measured).
    # What is freed is freed by reference counting as before; the file is bounded in size
    # (spreadsheet_limits) before it is read.
    collecting = gc.isenabled()
    gc.disable()
    try:
        parsed = parse_file(path, name, names)
        parsed.columnar()
        return parsed, None, None
    except NotPositiveList as exc:
        return None, str(exc), "ignored"
    except BadFileError as exc:
        return None, exc.reason, "quarantined"
    finally:
        if collecting:
            gc.enable()


def _refuse_negative(parsed: ParsedFile, names: list[str]) -> None:
    title = fold(parsed.title or "")
    said = next((text for text in (title, *map(fold, names)) if _NEGATIVE.search(text)), None)
    if said is not None and not ("positive" in title or "positif" in title):
        raise NotPositiveList(f"{parsed.name}: une liste d'EIMT négatives, non chargée / a "
                              f"negative LMIA list ({said[:80]!r}), not the positive employers "
                              f"list: not loaded")


def _states_a_sum(total: int, label: str, sums: tuple[int, int, int],
                  by_province: Counter) -> bool:
    """Whether a totals line's count is one of the running sums above it: since the last
    total, in this section, all (`sums`), or the province its label names."""
    named = province_code(re.split(r"\s[-–]\s|\btotal\b", label)[0].strip() or "x")
    return total in sums or (named is not None and total == by_province.get(named))


def _parse_sheet(parsed: ParsedFile, sheet: str | None, rows: list, where: str) -> None:
    header, section_province, start = _find_header(parsed, rows, where)
    if header is None:
        return
    _adopt_header(parsed, header, where)
    # Positions of each column, looked up once: this loop runs for every row of every file,
    # and what it does for an ordinary data row is kept to the least (profiled on the
    # history: docs/architecture.md, "Where the time goes").
    columns = header.columns
    at_positions, at_employer = columns["approved_positions"], columns["employer_name"]
    at_province, at_address = columns.get("province"), columns.get("address")
    at_occupation, at_status = columns.get("occupation"), columns.get("incorporate_status")
    at_stream, at_lmias = columns.get("program_stream"), columns.get("approved_lmias")
    width = max(columns.values()) + 1
    levels = [i for i in (at_province, at_stream, at_employer, at_address) if i is not None]
    top = levels[0]
    # "Same as above" (_same_as_above): the row above, its blank levels already filled in.
    above = [""] * width
    add, by_province = parsed.records.append, parsed.positions_by_province
    skipped, note = parsed.skipped, parsed.note
    # Running sums a totals line may state, kept in locals: this runs for every row.
    since_total = section = whole = 0
    province_sums: Counter = Counter()
    in_notes = False
    last = len(rows) - 1
    all_text = sheet is None  # a CSV sheet: every cell is a str already
    if isinstance(rows, Grid):  # ordinary rows in Runs, whole columns at a time (runs.py)
        items = runs.plan(rows, start, columns, width, _opens_notes)
    else:
        items = range(start, len(rows))
    for index in items:
        if index.__class__ is Run:
            above, positions = runs.take(index, rows, parsed, sheet, columns, levels, above,
                                         section_province, province_sums)
            since_total += positions
            section += positions
            whole += positions
            continue
        raw, number = rows[index], index + 1
        if all_text:
            cells = [" ".join(cell.split()) for cell in raw]
        else:
            cells = [" ".join(c.split()) if c.__class__ is str else clean_cell(c) for c in raw]
        if len(cells) < width:
            cells += [""] * (width - len(cells))
        first = next(filter(None, cells), None)
        if first is None:
            skipped["blank line"] += 1
            continue
        positions_cell = cells[at_positions]
        if positions_cell.isdecimal() and len(positions_cell) < _SHORT_COUNT:  # the usual cell
            positions, repair = int(positions_cell), None
        else:
            positions, repair = parse_count(positions_cell)
        label, is_footer, total_label = _first_cell(first)
        if in_notes or is_footer:
            in_notes = True
            note(skipped, "footnote", f"row {number}: {first}")
            continue
        if positions is None:
            filled = [cell for cell in cells if cell]
            line = f"row {number}"
            if _FOOTNOTE.match(label) or (len(filled) == 1 and len(first) > 60):
                note(skipped, "footnote", f"{line}: {first}")
            elif looks_like_header(cells):
                note(skipped, "repeated header", f"{line}: {', '.join(filled)}")
            elif len(filled) == 1 and province_code(first):
                section_province, above = first, [""] * width
                section = since_total = 0
                note(skipped, "province section", f"{line}: {first}")
            elif total_label:
                note(skipped, "total line without a number", f"{line}: {', '.join(filled)}")
            elif index == last and is_incomplete(raw):
                raise ValueError(f"{where} {line}: {_TRUNCATED}")
            elif cells[at_employer] or (at_occupation is not None and cells[at_occupation]):
                # Left out, but its province and employer still head the rows below it.
                _same_as_above(levels, above, cells)
                above = cells
                what = "empty" if not positions_cell else repr(positions_cell)
                note(parsed.rejected, "approved positions not a number",
                     f"{line}: {what} ({cells[at_employer] or first})")
            else:
                note(skipped, "unrecognized line", f"{line}: {', '.join(filled)[:100]}")
            continue
        if index == last and is_incomplete(raw) and len(raw) < width:
            raise ValueError(f"{where} row {number}: {_TRUNCATED}")
        # A totals line has no occupation or address of its own (see _is_total).
        own_detail = (at_occupation is not None and cells[at_occupation]) or \
            (at_address is not None and cells[at_address])
        if not own_detail:
            filled = [cell for cell in cells if cell]
            if _is_total(total_label, filled, cells[at_employer], positions,
                         (since_total, whole)):
                line = f"row {number}"
                if not _states_a_sum(positions, label, (since_total, section, whole),
                                     province_sums):
                    raise ValueError(
                        f"{where} {line}: le total du fichier, {positions:,}, ne correspond pas "
                        f"aux {since_total:,} postes des lignes au-dessus ({whole:,} en tout) / "
                        f"the file's total {positions:,} does not match the {since_total:,} "
                        f"positions of the rows above it ({whole:,} in all)".replace(",", " "))
                parsed.declared_totals.append(positions)
                note(skipped, "total line", f"{line}: {', '.join(filled)}")
                if repair:
                    note(parsed.repairs, repair,
                         f"{line}: {positions_cell!r} read as {positions}")
                since_total = 0
                continue
        if repair:
            note(parsed.repairs, repair, f"row {number}: {positions_cell!r} read as {positions}")
        own = cells  # the row as written, for its example if it is flagged
        if not cells[top]:  # the usual row names its first level itself
            own = cells[:]
            _same_as_above(levels, above, cells)
        above = cells
        employer = cells[at_employer]
        if not employer:
            note(parsed.flagged, "employer name missing (row kept)",
                 f"row {number}: {', '.join(cell for cell in own if cell)}")
        address = cells[at_address] if at_address is not None else ""
        province = cells[at_province] if at_province is not None else section_province
        code = province_code(province) if province else None
        if code is None and address:
            code = province_from_address(address)
            if code:
                note(parsed.repairs, "province read from the address",
                     f"row {number}: {province or '(none)'} → {code} ({address})")
                province = province or code
        if code is None:
            note(parsed.flagged, "province not recognized (row kept)",
                 f"row {number}: {province or '(none)'}")
        lmias = None
        if at_lmias is not None and cells[at_lmias]:
            lmias_cell = cells[at_lmias]
            if lmias_cell.isdecimal() and len(lmias_cell) < _SHORT_COUNT:
                lmias = int(lmias_cell)
            else:
                lmias, lmias_repair = parse_count(lmias_cell)
                if lmias is None:
                    note(parsed.flagged, "approved LMIAs not a number (kept empty)",
                         f"row {number}: {lmias_cell!r}")
                elif lmias_repair:
                    note(parsed.repairs, lmias_repair,
                         f"row {number}: {lmias_cell!r} read as {lmias}")
        occupation = split_occupation(cells[at_occupation]) if at_occupation is not None \
            else (None, None, None)
        add((sheet, number, province or None, code, (cells[at_stream] or None)
             if at_stream is not None else None, employer or None, address or None,
             extract_postal_code(address) if address and code != "XX" else None,
             *occupation, (cells[at_status] or None) if at_status is not None else None,
             lmias, positions))
        by_province[code or province or None] += positions  # as DuckDB will group it
        since_total += positions
        section += positions
        whole += positions
        province_sums[code] += positions


def _same_as_above(levels: list[int], above: list[str], cells: list[str]) -> None:
    """"Same as above": a blank level repeats the row above while every level above it is
    blank too; the first filled level and everything below it are this row's own. `above`
    is the row above, its own blank levels filled in already."""
    for column in levels:
        if cells[column]:
            return
        cells[column] = above[column]


def _opens_notes(text: str) -> bool:
    return _first_cell(text)[1]


@lru_cache(maxsize=65536)
def _first_cell(text: str) -> tuple[str, bool, bool]:
    """(folded text, opens the notes, names a total) for a row's first filled cell: the same
    province or employer starts thousands of rows, so each is read once."""
    label = fold(text)
    return label, bool(_FOOTER.match(label)), bool(_TOTAL.search(label))


def _is_total(total_label: bool, filled: list[str], employer: str, positions: int,
              sums: tuple[int, int]) -> bool:
    """A totals line (the caller has seen it has no occupation or address of its own):
    labelled `Total`, `Grand total`, `Quebec - Total`; or a bare count with no label at all
    that equals a running sum."""
    if total_label:
        return True
    return len(filled) == 1 and positions > 0 and positions in sums and not employer


def _find_header(parsed: ParsedFile, rows: list, where: str):
    """(header, province section seen before it, index of the first row after it)."""
    section_province = None
    partial = None
    for index, raw in enumerate(rows[:HEADER_SEARCH_ROWS]):
        cells = [clean_cell(cell) for cell in raw]
        filled = [cell for cell in cells if cell]
        if not filled:
            parsed.skipped["blank line"] += 1
        elif looks_like_header(cells):
            return _recognize(parsed, cells, rows, index, where), section_province, index + 1
        elif partial is None and looks_like_partial_header(cells):
            partial = index
        elif len(filled) == 1 and province_code(filled[0]):
            section_province = filled[0]
            parsed.note(parsed.skipped, "province section", f"row {index + 1}: {filled[0]}")
        else:
            if parsed.title is None and len(" ".join(filled)) > 15:
                parsed.title = " ".join(filled)
            parsed.note(parsed.skipped, "title or text before the header",
                        f"row {index + 1}: {' '.join(filled)}")
    if partial is not None:  # no count named: the count column may show itself
        cells = [clean_cell(cell) for cell in rows[partial]]
        try:
            return _recognize(parsed, cells, rows, partial, where), section_province, partial + 1
        except ValueError as exc:
            parsed.header_problem = parsed.header_problem or str(exc)
            return None, None, 0
    return None, None, 0


def _recognize(parsed: ParsedFile, cells: list[str], rows: list, index: int, where: str):
    header = recognize(cells, f"{where} row {index + 1}", rows[index + 1:index + 201])
    for seen, column, how in header.understood:
        parsed.headers_understood.append(f"{seen!r} → {column} ({_HOW[how]})")
    parsed.columns_ignored += [f"{seen!r}" for seen in header.ignored]
    return header


_HOW = {"similar": "similarity", "synonym": "synonym", "content": "column content"}


def _adopt_header(parsed: ParsedFile, header: Header, where: str) -> None:
    if parsed.layout and parsed.layout != header.layout:
        raise ValueError(f"{where}: feuilles de structures différentes / sheets with "
                         f"different layouts ({parsed.layout}, {header.layout})")
    parsed.layout, parsed.language = header.layout, header.language
    hint = {"2016": "2011"}.get(header.noc_version_hint, header.noc_version_hint)
    parsed.noc_version = parsed.noc_version or hint


@lru_cache(maxsize=16384)
def split_occupation(cell: str) -> tuple[str | None, str | None, str | None]:
    """`0621-Retail and wholesale trade managers` -> ('0621', title, '2011'); codes stay text.
    A code shorter than four digits (a lost leading zero) is settled per file later."""
    if not cell or fold(cell) in _BLANK_MARKERS:
        return None, None, None
    match = _OCCUPATION.match(cell)
    if not match:
        return None, cell, None
    code = match.group(1)
    version = "2021" if len(code) == 5 else "2011" if len(code) == 4 else None
    return code, match.group(2).strip() or None, version


def _settle_occupations(parsed: ParsedFile) -> None:
    """One NOC version per file, and codes that lost their leading zeros given back.

    The version is the one the header or title names, else the one most codes have. A code
    shorter than that version's width is padded when the padded code exists in that
    version and the reference title agrees with the file's (`711-Directeurs de la
    construction` is 0711); a code of the other version is kept and flagged.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    table = parsed.table
    codes, versions = table.column("occupation_code"), table.column("noc_version")
    coded = pc.not_equal(codes, "")  # null where there is no code
    lengths = Counter({entry["values"]: entry["counts"] for entry in
                       pc.value_counts(pc.utf8_length(pc.filter(codes, coded))).to_pylist()})
    if not lengths:
        return
    titled = periods.noc_version_named(parsed.title or "")
    version = parsed.noc_version or titled or \
        ("2021" if lengths.get(5, 0) > lengths.get(4, 0) else "2011")
    parsed.noc_version = version
    width = noc.WIDTH[version]
    settled = pc.and_(pc.equal(pc.utf8_length(codes), width), pc.equal(versions, version))
    unsettled = pc.indices_nonzero(pc.and_(pc.fill_null(coded, False),
                                           pc.invert(pc.fill_null(settled, False))))
    if not len(unsettled):
        return
    rows = table.take(unsettled).select(["source_row", "occupation_code", "occupation_title"])
    padded_at, padded_codes = [], []
    for at, number, code, title in zip(unsettled.to_pylist(), *rows.to_pydict().values()):
        if len(code) < width:
            padded = code.zfill(width)
            if noc.title_agrees(version, padded, title, parsed.language):
                padded_at.append(at)
                padded_codes.append(padded)
                parsed.note(parsed.repairs, "occupation code lost its leading zero",
                            f"row {number}: {code} → {padded} ({title})")
                continue
        parsed.note(parsed.flagged, "occupation code of another NOC version (row kept)",
                    f"row {number}: {code}-{title}")
    if padded_at:
        mask = np.zeros(table.num_rows, dtype=bool)
        mask[padded_at] = True
        mask = pa.array(mask)
        table = table.set_column(COLUMNS.index("occupation_code"), "occupation_code",
                                 pc.replace_with_mask(codes, mask, pa.array(padded_codes)))
        table = table.set_column(COLUMNS.index("noc_version"), "noc_version",
                                 pc.replace_with_mask(versions, mask,
                                                      pa.array([version] * len(padded_at))))
        parsed.table = table
