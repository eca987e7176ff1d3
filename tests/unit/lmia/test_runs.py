"""Whole columns or row by row, a file parses to the same report, row for row.

The parser reads the ordinary rows of a CSV or a sheet in Runs of Arrow columns (flows/lmia/runs.py) and
every other row one by one. The row-by-row route is the reference: each file here is parsed
both ways and must give the same rows, the same repairs, flags, skips and rejections with
the same examples in the same order, the same totals and the same errors. The files are the
real vintages (CSV and XLSX), every perturbation of tests/support/perturb.py, and copies whose ordinary rows
are broken up at random by what the loop alone reads (blank lines, "same as above" cells,
unknown provinces, missing employers, counts with separators, repeated headers, notes).
"""
from __future__ import annotations

import random
from functools import cache

import pytest

from flows.errors import BadFileError
from flows.lmia import grid, runs
from flows.lmia.parse import parse_file
from tests.conftest import TEST_DATA
from tests.support.perturb import PERTURBATIONS, header_index, positions_column, read_table, to_csv

FILES = sorted(path.name for path in (TEST_DATA / "lmia").iterdir() if path.suffix != ".md")
CSV_FILES = [name for name in FILES if name.endswith(".csv")]
FAST_FILE = "orig_2017q3_positive_en.csv"


def _report(path):
    try:
        parsed = parse_file(path, path.name)
    except BadFileError as exc:
        return ("refused", str(exc))
    return (parsed.columns, *(list(counter.items()) for counter in (
        parsed.skipped, parsed.repairs, parsed.flagged, parsed.rejected,
        parsed.positions_by_province)), list(parsed.examples.items()), parsed.declared_totals,
        parsed.noc_version, str(parsed.period), parsed.title, parsed.layout,
        parsed.headers_understood, parsed.columns_ignored)


def _both_ways(path, monkeypatch):
    """(report read with Runs, report read row by row, rows the Runs read)."""
    taken = []
    take = runs.take

    def counting(run, *args, **kwargs):
        taken.append(run.end - run.begin)
        return take(run, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(runs, "take", counting)
        fast = _report(path)
    with monkeypatch.context() as patch:
        patch.setattr(grid, "read", lambda *args, **kwargs: None)
        patch.setattr(grid, "from_rows", lambda *args, **kwargs: None)
        slow = _report(path)
    return fast, slow, sum(taken)


@cache
def _table(name):
    return read_table(TEST_DATA / "lmia" / name)


def _cases():
    for name in FILES:
        for perturbation in ["none", *PERTURBATIONS] if name in CSV_FILES else ["none"]:
            if perturbation == "empty_employer" and name.startswith("deriv_notitle_2015"):
                continue  # a blank first column is "same as above" there
            marks = [] if name == FAST_FILE else [pytest.mark.slow]
            yield pytest.param(name, perturbation, marks=marks, id=f"{perturbation}-{name}")


@pytest.mark.parametrize("name, perturbation", _cases())
def test_runs_read_every_perturbation_as_the_row_loop_does(tmp_path, monkeypatch, name,
                                                           perturbation):
    if perturbation == "none":
        path = TEST_DATA / "lmia" / name
    else:
        table = _table(name)
        data, suffix = PERTURBATIONS[perturbation](table, 0)
        path = tmp_path / (name.rsplit(".", 1)[0] + suffix)
        path.write_bytes(data)
    fast, slow, in_runs = _both_ways(path, monkeypatch)
    assert fast == slow
    if fast[0] != "refused":
        rows = len(fast[0]["source_row"])
        assert in_runs > 0.8 * rows, "the ordinary rows are read in Runs"


def _broken_up(table, seed: int):
    """The file with its ordinary rows broken up at random by rows the loop reads alone."""
    rng = random.Random(seed)
    rows = [list(row) for row in table]
    at = header_index(rows)
    positions = positions_column(rows)
    header = rows[at]
    out = rows[:at + 1]
    for row in rows[at + 1:]:
        row = row + [""] * (len(header) - len(row))
        draw = rng.random()
        if draw < 0.02:
            out.append([""] * len(header))  # a blank line
        elif draw < 0.03:
            out.append(list(header))  # the header again (a page break)
        elif draw < 0.05 and row[positions].isdecimal():
            row[positions] = f"{int(row[positions]) * 1000:,}"  # a count with separators
        elif draw < 0.07:
            row[0] = ""  # the first level "same as above"
        elif draw < 0.08:
            row[0] = "Nowhere"  # a province nobody knows
        elif draw < 0.09:
            row[min(1, len(row) - 2)] = ""  # a missing employer (or stream)
        elif draw < 0.10:
            row[positions] = "n/a"  # a count that is not one
        out.append(row)
    return out


@pytest.mark.parametrize("name", [pytest.param(name, marks=[] if name == FAST_FILE else
                                               [pytest.mark.slow]) for name in CSV_FILES])
@pytest.mark.parametrize("seed", [1, 2])
def test_runs_broken_up_by_unusual_rows_read_as_the_row_loop_does(tmp_path, monkeypatch, name,
                                                                  seed):
    path = tmp_path / name
    path.write_bytes(to_csv(_broken_up(_table(name), seed)))
    fast, slow, in_runs = _both_ways(path, monkeypatch)
    assert fast == slow
    assert in_runs > 0, "some stretches of ordinary rows are still read in Runs"
