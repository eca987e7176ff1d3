"""Every real vintage, perturbed every way real copies are, parses to the original's figures.

The expected result of each perturbation is the unperturbed file's: the same rows, the same
positions for Quebec and for Canada, the same texts where the perturbation garbled them
(encodings), and the perturbation counted in the report. Fixtures are generated here from
tests/data/lmia (tests/support/perturb.py); nothing is read outside the repository.
"""
from __future__ import annotations

from functools import cache

import pytest

from flows.lmia.parse import parse_file
from tests.conftest import TEST_DATA
from tests.support.perturb import CHANGES_TEXT, FLAGS_A_ROW, PERTURBATIONS, read_table

FILES = sorted(path.name for path in (TEST_DATA / "lmia").iterdir() if path.suffix != ".md")
FAST_FILE = "orig_2017q3_positive_en.csv"  # the smallest: the fast lane runs it every way
# The period is in the file name for the files whose title a perturbation removes.
NAMES = {name: name for name in FILES}


@cache
def original(name: str):
    return parse_file(TEST_DATA / "lmia" / name, name)


@cache
def table(name: str):
    return read_table(TEST_DATA / "lmia" / name)


def cases():
    for name in FILES:
        for perturbation in PERTURBATIONS:
            if perturbation == "empty_employer" and name.startswith("deriv_notitle_2015"):
                continue  # the employer is the first column: blank means "same as above"
            marks = [] if name == FAST_FILE else [pytest.mark.slow]
            yield pytest.param(name, perturbation, marks=marks, id=f"{perturbation}-{name}")


@pytest.mark.parametrize("name, perturbation", cases())
def test_perturbed_file_parses_to_the_original_figures(tmp_path, name, perturbation):
    before = original(name)
    data, suffix = PERTURBATIONS[perturbation](table(name), before.approved_positions)
    path = tmp_path / (name.rsplit(".", 1)[0] + suffix)
    path.write_bytes(data)

    after = parse_file(path, path.name)

    assert str(after.period) == str(before.period)
    assert after.positions_by_province["QC"] == before.positions_by_province["QC"]
    assert after.approved_positions == before.approved_positions
    assert after.row_count == before.row_count
    assert after.noc_version == before.noc_version
    codes = [c for c in after.columns["occupation_code"] if c]
    assert codes == [c for c in before.columns["occupation_code"] if c]
    if perturbation in FLAGS_A_ROW:
        assert after.flagged["employer name missing (row kept)"] == 1
        assert after.columns["employer_name"].count(None) == 1
    else:
        assert after.columns["employer_name"] == before.columns["employer_name"] or \
            perturbation in ("windows_1252_with_dos_bytes", "stray_nul")
    if perturbation in CHANGES_TEXT:
        assert after.repairs, "the repair is counted in the report"
        _same_text_where_it_could_be_written(before, after, perturbation)


def _same_text_where_it_could_be_written(before, after, perturbation):
    for column in ("employer_name", "address"):
        for old, new in zip(before.columns[column], after.columns[column]):
            if old is None:
                continue
            try:
                old.encode("cp1252")
            except UnicodeEncodeError:
                continue  # written with `?` in its place: nothing to give back
            assert new == old, f"{perturbation}: {old!r} read back as {new!r}"


@pytest.mark.parametrize("perturbation", ["lost_leading_zeros", "thousands_total",
                                          "header_typos", "windows_1252_with_dos_bytes"])
def test_the_repair_is_reported_with_examples(tmp_path, perturbation):
    name = "orig_2016_annual_positive_en.csv"
    data, suffix = PERTURBATIONS[perturbation](table(name), original(name).approved_positions)
    path = tmp_path / f"2016_annual_positive_en{suffix}"
    path.write_bytes(data)
    after = parse_file(path, path.name)
    if perturbation == "lost_leading_zeros":
        assert after.repairs["occupation code lost its leading zero"] > 1000
        assert any("→ 0" in example
                   for example in after.examples["occupation code lost its leading zero"])
    elif perturbation == "thousands_total":
        assert after.declared_totals == [original(name).approved_positions]
        assert after.repairs["thousands separator in a count"] == 1
    elif perturbation == "header_typos":
        assert any("Occupaitons" in seen for seen in after.headers_understood)
        assert any("Requested Positions" in seen and "approved_positions" in seen
                   for seen in after.headers_understood)
    else:
        assert after.repairs["DOS code page 850 letter"] >= 1
        assert after.repairs["stray byte removed"] == 1
    for examples in after.examples.values():
        assert 1 <= len(examples) <= 2
