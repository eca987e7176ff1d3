"""Runs of ordinary data rows, read whole columns at a time (Arrow) instead of row by row.

Most rows of an LMIA file are ordinary: a plain count, an occupation or an address of their
own (so not a total), in the table, not in the notes below it. `plan()` finds them with
column operations and hands the parser's row loop (parse._parse_sheet) a sequence of row
numbers and Runs: the loop reads every other row as before, one by one, and a Run is read
here in a few column operations, with the same result as the loop's (the same records, the
same repairs and flags with the same examples, in the same order; tests/unit/lmia/
test_runs.py compares the two routes on every perturbation of the real files). What the
loop carries from row to row (the row above, for "same as above"; the running sums a total
is checked against) goes in and out of a Run.
"""
from __future__ import annotations

from itertools import chain

from .grid import filled
from .provinces import province_code, province_from_address
from .text import extract_postal_code

MIN_RUN = 32  # shorter stretches of ordinary rows cost less row by row
# A postal code ending the address, after a character that is not a letter or a digit in
# ASCII: then it is the last one extract_postal_code finds, written the same way. Other
# addresses are read by extract_postal_code itself.
_POSTAL_AT_END = (r"(?:^|[\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f])"
                  r"(?P<fsa>[ABCEGHJ-NPRSTVXY][0-9][A-Z]) ?(?P<ldu>[0-9][A-Z][0-9])$")


class Run:
    """Rows begin..end-1 of a Grid, all ordinary."""

    __slots__ = ("begin", "end")

    def __init__(self, begin: int, end: int):
        self.begin, self.end = begin, end


def plan(grid, start: int, columns: dict[str, int], width: int, is_footer) -> object:
    """Row numbers and Runs from `start` to the end, in order (see the module's docstring).
    `is_footer(text)` says whether a first cell opens the notes (parse._first_cell)."""
    import numpy as np
    import pyarrow.compute as pc

    from .parse import _SHORT_COUNT

    # What the loop reads at once: a count of ASCII digits, fewer than _SHORT_COUNT of them
    plain_count = f"^[0-9]{{1,{_SHORT_COUNT - 1}}}$"
    count = len(grid) - start
    if count <= MIN_RUN or width > len(grid.columns):
        return range(start, len(grid))
    cells = [column.slice(start) for column in grid.columns]

    def plain(position):
        return pc.match_substring_regex(cells[position], plain_count)

    ordinary = plain(columns["approved_positions"])
    if columns.get("approved_lmias") is not None:
        lmias = cells[columns["approved_lmias"]]
        ordinary = pc.and_(ordinary, pc.or_(pc.invert(filled(lmias)),
                                            plain(columns["approved_lmias"])))
    detail = [filled(cells[columns[name]]) for name in ("occupation", "address")
              if columns.get(name) is not None]
    if not detail:
        return range(start, len(grid))
    ordinary = pc.and_(ordinary, detail[0] if len(detail) == 1 else pc.or_(*detail))
    mask = np.asarray(ordinary.to_numpy(zero_copy_only=False), dtype=bool).copy()
    for index in grid.odd:  # their cells stand empty in the columns: the loop reads them
        if index >= start:
            mask[index - start] = False
    mask[-1] = False  # the last row may be cut off: the loop looks at it
    notes = _first_footer(cells, grid, start, is_footer)
    if notes is not None:
        mask[notes - start:] = False
    pieces = []
    edges = np.flatnonzero(np.diff(np.concatenate(([False], mask, [False])).astype(np.int8)))
    at = start
    for begin, end in zip(edges[0::2].tolist(), edges[1::2].tolist()):
        if end - begin < MIN_RUN:
            continue
        pieces += [range(at, start + begin), (Run(start + begin, start + end),)]
        at = start + end
    pieces.append(range(at, len(grid)))
    return chain.from_iterable(pieces)


def _first_footer(cells, grid, start: int, is_footer) -> int | None:
    """The first row whose first filled cell opens the notes: from there on, all are notes."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from .parse import _FOOTER

    empty = pa.scalar(None, pa.string())
    first = pc.coalesce(*[pc.if_else(filled(column), column, empty) for column in cells])
    ascii_ = pc.fill_null(pc.string_is_ascii(first), True)
    # On ASCII text, fold() only lowers the case: the loop's own pattern, case ignored
    footer = pc.fill_null(pc.match_substring_regex(first, "(?i)" + _FOOTER.pattern), False)
    others = pc.unique(pc.filter(first, pc.invert(ascii_))).to_pylist()
    named = [text for text in others if text is not None and is_footer(text)]
    if named:
        footer = pc.or_(footer, pc.fill_null(pc.is_in(first, pa.array(named, pa.string())),
                                             False))
    found = pc.indices_nonzero(footer)
    rows = [start + found[0].as_py()] if len(found) else []
    for index, odd in grid.odd.items():  # records of another width, read by the csv module
        text = next(filter(None, odd), None)
        if index >= start and text is not None and is_footer(text):
            rows.append(index)
    return min(rows, default=None)


def take(run: Run, grid, parsed, sheet: str | None, columns: dict[str, int], levels: list[int],
         above: list[str], section_province: str | None, province_sums) -> tuple[list[str], int]:
    """Read a Run into `parsed` as the row loop would; (the row above, positions) after it."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from .parse import COLUMNS, split_occupation

    begin, end = run.begin, run.end
    count = end - begin
    empty = pa.scalar(None, pa.string())

    def own(name):
        position = columns.get(name)
        return None if position is None else grid.columns[position].slice(begin, count)

    # "Same as above": a level is the row's own once it or a level before it is filled.
    as_read: dict[int, object] = {}  # each level, "same as above" filled in
    named = None
    for position in levels:
        cells = grid.columns[position].slice(begin, count)
        here = filled(cells)
        named = here if named is None else pc.or_(named, here)
        if pc.all(named).as_py():
            as_read[position] = cells
        else:
            seeded = pa.concat_arrays([pa.array([above[position]], pa.string()),
                                       pc.if_else(named, cells, empty)])
            as_read[position] = pc.fill_null_forward(seeded).slice(1)

    def level(name):
        position = columns.get(name)
        return None if position is None else as_read[position]

    def or_none(array):  # "" is None in a record; a column the file lacks, all None
        return pa.nulls(count, pa.string()) if array is None else \
            pc.if_else(filled(array), array, empty)

    at_province = columns.get("province")
    if at_province is not None:
        province = as_read[at_province]
        codes, where = _per_value(province, lambda name: province_code(name) if name else None)
        code = pa.array(codes, pa.string()).take(where)
    else:
        province = pa.array([section_province or ""] * count, pa.string())
        named_code = province_code(section_province) if section_province else None
        code = pa.array([named_code] * count, pa.string())
    employer, address = level("employer_name"), level("address")
    province, code = _exceptions(run, grid, parsed, employer, province, code, address)
    positions = pc.cast(own("approved_positions"), pa.int32())
    lmias = pc.cast(or_none(own("approved_lmias")), pa.int32())
    occupation = own("occupation")
    if occupation is None:
        split = [pa.nulls(count, pa.string())] * 3
    else:
        read, where = _per_value(occupation, split_occupation)
        split = [pa.array([parts[part] for parts in read], pa.string()).take(where)
                 for part in range(3)]
    postal = _postal_codes(address, code) if address is not None else pa.nulls(count, pa.string())
    province_or_none = or_none(province)
    table = pa.table(dict(zip(COLUMNS, [
        pa.array([sheet] * count, pa.string()),
        pa.array(np.arange(begin + 1, end + 1, dtype=np.int32)),
        province_or_none, code, or_none(level("program_stream")), or_none(employer),
        or_none(address), postal, *split, or_none(own("incorporate_status")),
        lmias, positions])))
    parsed.add_table(table)
    # as the loop adds them: by code, else by the province as written; and by code alone
    for sums, key in ((parsed.positions_by_province, pc.coalesce(code, province_or_none)),
                      (province_sums, code)):
        for group in pa.table({"key": key, "positions": positions}).group_by(
                "key", use_threads=False).aggregate([("positions", "sum")]).to_pylist():
            sums[group["key"]] += group["positions_sum"]
    last = grid.row(end - 1)
    for position in levels:
        last[position] = as_read[position][count - 1].as_py()
    return last, pc.sum(positions).as_py() or 0


def _exceptions(run, grid, parsed, employer, province, code, address) -> tuple:
    """The rows of a Run the loop would note: no employer, no province it knows. Noted in
    row order; (province, code) with a province read from an address put in."""
    import pyarrow as pa
    import pyarrow.compute as pc

    odd = pc.or_(pc.invert(filled(employer)), pc.is_null(code))
    found = pc.indices_nonzero(odd).to_pylist()
    if not found:
        return province, code
    provinces, codes = province.to_pylist(), code.to_pylist()
    names = employer.take(found).to_pylist()
    addresses = address.take(found).to_pylist() if address is not None else [""] * len(found)
    for at, name, where in zip(found, names, addresses):
        number = run.begin + at + 1
        if not name:
            parsed.note(parsed.flagged, "employer name missing (row kept)",
                        f"row {number}: {', '.join(cell for cell in grid.row(number - 1) if cell)}")
        named, known = provinces[at], codes[at]
        if known is None and where:
            known = province_from_address(where)
            if known:
                parsed.note(parsed.repairs, "province read from the address",
                            f"row {number}: {named or '(none)'} → {known} ({where})")
                provinces[at], codes[at] = named or known, known
        if known is None:
            parsed.note(parsed.flagged, "province not recognized (row kept)",
                        f"row {number}: {named or '(none)'}")
    return pa.array(provinces, pa.string()), pa.array(codes, pa.string())


def _postal_codes(address, code):
    """extract_postal_code(address) where there is an address and the province is not XX."""
    import pyarrow as pa
    import pyarrow.compute as pc

    wanted = pc.and_(filled(address), pc.fill_null(pc.not_equal(code, "XX"), True))
    parts = pc.extract_regex(pc.utf8_upper(address), _POSTAL_AT_END)
    fsa, ldu = pc.struct_field(parts, "fsa"), pc.struct_field(parts, "ldu")
    postal = pc.binary_join_element_wise(fsa, ldu, " ")
    rest = pc.and_(wanted, pc.is_null(postal))
    if pc.any(rest).as_py():
        others = pc.if_else(rest, address, pa.scalar(None, pa.string()))
        found, where = _per_value(others, lambda text: text and extract_postal_code(text))
        postal = pc.coalesce(postal, pa.array(found, pa.string()).take(where))
    return pc.if_else(wanted, postal, pa.scalar(None, pa.string()))



def _per_value(array, function) -> tuple[list, object]:
    """function(value) once per distinct value of a column (the same province, occupation or
    address comes back row after row): (the results, each row's index into them)."""
    import pyarrow.compute as pc

    values = pc.unique(array)
    return [function(value) for value in values.to_pylist()], pc.index_in(array, values)
