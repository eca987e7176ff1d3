"""A CSV read whole columns at a time holds the records the csv module reads, or is not made.

The parser reads a CSV's ordinary rows as Arrow columns (flows/lmia/grid.py) and the rest
row by row; what a maintainer sees must not depend on which. Texts are generated here: every
mix of separators, quotes (doubled, stray, unclosed), line breaks inside and outside quotes,
runs of spaces and no-break spaces, rows of other widths.
"""
from __future__ import annotations

import csv
import random
import sys

import pytest

from flows.lmia import grid
from flows.lmia.decode import Decoded
from flows.lmia.parse import parse_file
from flows.lmia.read import _logical_lines, is_incomplete


def _by_rows(text: str, delimiter: str) -> list[list[str]]:
    """What the row-by-row route reads: csv.reader over _logical_lines, cells cleaned."""
    rows = csv.reader(_logical_lines(text, Decoded(text, "utf-8")), delimiter=delimiter)
    return [[" ".join(cell.split()) for cell in row] for row in rows]


@pytest.mark.parametrize("delimiter", [",", *(pytest.param(other, marks=pytest.mark.slow)
                                              for other in (";", "\t", "|"))])
def test_the_columns_hold_the_records_the_csv_module_reads(delimiter):
    pieces = ["a", "Qué", delimiter, delimiter, '"', '"', '""', " ", "  ", "\n", "\n",
              "\u00a0", "\u2009", "\t", ",", "12"]
    rng = random.Random(16)
    made = 0
    for _ in range(1000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 50)))
        if rng.random() < 0.6:  # most files open with a row as wide as the table
            text = delimiter.join(["x", "y", "z"]) + "\n" + text
        table = grid.read(text, delimiter, max_lines_in_cell=3)
        if table is None:
            continue
        made += 1
        expected = _by_rows(text, delimiter)
        width = len(table.columns)
        expected = [row if index in table.odd else row + [""] * (width - len(row))
                    for index, row in enumerate(expected)]
        assert [list(row) for row in table[:]] == expected, repr(text)
        assert [list(table[index]) for index in range(len(table))] == expected, repr(text)
        assert is_incomplete(table[-1]) == (not text.endswith("\n")) if len(table) else True
    assert made > 200, "most generated texts are read whole columns at a time"


def test_the_spaces_made_one_are_those_str_split_splits_on():
    assert set(grid.SPACE_CHARS) == {chr(code) for code in range(sys.maxunicode + 1)
                                     if chr(code).isspace()}


def test_a_quote_that_never_closes_is_left_to_the_row_by_row_route():
    # _logical_lines drops the quote of a line whose cell never closes: Arrow would not
    rows = ['"Title cut in half,,,', "Employer,Address,Approved Positions"]
    rows += [f"Firm {n},Montréal QC H2X 1Y4,{n}" for n in range(1, 30)]
    assert grid.read("\n".join(rows) + "\n", ",", max_lines_in_cell=12) is None


def test_a_one_cell_title_above_a_wide_table_is_left_to_the_row_by_row_route():
    rows = ["Employers who were issued a positive LMIA",
            "Province/Territory,Employer,Address,Occupation,Approved Positions"]
    rows += [f"Quebec,Firm {n},Montréal QC H2X 1Y4,7241-Electricians,{n}" for n in range(400)]
    assert grid.read("\n".join(rows) + "\n", ",", max_lines_in_cell=12) is None


def test_a_footnote_of_one_cell_keeps_its_place(tmp_path):
    rows = ["Province/Territory,Employer,Address,Occupation,Approved Positions"]
    rows += [f"Quebec,Firm {n},Montréal QC H2X 1Y4,7241-Electricians,{n}" for n in range(1, 80)]
    rows += ["Notes:", '"1. Positions, not\nworkers."', "2. Source: ESDC"]
    text = "\n".join(rows) + "\n"
    table = grid.read(text, ",", max_lines_in_cell=12)
    assert table is not None and sorted(table.odd) == [80, 81, 82]
    assert table[81] == ["1. Positions, not workers."]
    path = tmp_path / "2024q1_positive_en.csv"
    path.write_text(text, encoding="utf-8")
    parsed = parse_file(path, path.name)
    assert parsed.row_count == 79 and parsed.skipped["footnote"] == 3
    assert parsed.approved_positions == sum(range(1, 80))


def test_line_ends_read_on_the_bytes_are_those_the_text_would_have():
    # decode() makes \r\n and \r\r\n line breaks on the bytes, in one pass; the lines must be
    # the ones the text's replaces give (\r\r\n, then \r\n, then a lone \r), whatever the mix
    from flows.lmia.decode import decode

    rng = random.Random(7)
    for _ in range(500):
        text = "".join(rng.choice(["a", "é", ",", "\r", "\r", "\n", "\r\n", "\r\r\n"])
                       for _ in range(rng.randint(0, 30)))
        expected = text.replace("\r\r\n", "\n").replace("\r\n", "\n").replace("\r", "\n")
        for encoding in ("utf-8", "cp1252"):
            assert decode(text.encode(encoding)).text == expected, repr(text)
