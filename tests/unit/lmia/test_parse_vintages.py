"""Every real vintage in tests/data/lmia parses, and its totals equal an independent count."""
from __future__ import annotations

import re

import openpyxl
import pandas as pd
import pytest

from flows.lmia.parse import parse_file

EXPECTED = {  # file: (layout, language, period, NOC version)
    "deriv_notitle_2015_employer_format_positive_en.csv": ("employer_format", "en", "2015", None),
    "orig_2016_annual_positive_en.csv": ("province_noc", "en", "2016", "2011"),
    "orig_2017q3_positive_en.csv": ("stream_noc", "en", "2017Q3", "2011"),
    "deriv_notitle_rawcsv_2018q1_positive_fr.csv": ("stream_noc", "fr", "2018Q1", "2011"),
    "orig_2019q3_positive_en.csv": ("stream_noc", "en", "2019Q3", "2011"),
    "orig_2020q2_positive_en.csv": ("stream_noc", "en", "2020Q2", "2011"),
    "orig_2021q4_positive_en.xlsx": ("stream_incorporate", "en", "2021Q4", "2011"),
    "orig_2022q1_positive_en.xlsx": ("stream_incorporate", "en", "2022Q1", "2011"),
    "deriv_notitle_in2csv_2023q4_positive_fr.csv": ("stream_incorporate", "fr", "2023Q4", "2011"),
    "orig_2025q1_positive_en.xlsx": ("stream_incorporate", "en", "2025Q1", "2021"),
}


def independent_count(path) -> tuple[int, int]:
    """(rows, positions) read another way: pandas for CSV, openpyxl for XLSX, and a plain
    rule: every whole number under the 'positions' header until the notes."""
    if path.suffix == ".xlsx":
        sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
        table = [[("" if v is None else str(v)) for v in row] for row in sheet.iter_rows(values_only=True)]
    else:
        raw = path.read_bytes()
        try:
            raw.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            encoding = "cp1252"
        frame = pd.read_csv(path, header=None, dtype=str, encoding=encoding, keep_default_na=False,
                            skip_blank_lines=True, engine="python")
        table = frame.values.tolist()
    header = re.compile(r"^(postes approuv\S*|approved positions|positions approved)$")
    rows = positions = 0
    column = None
    for cells in table:
        first = str(cells[0]).strip().lower()
        if re.match(r"^(notes|remarques)\s*:", first):  # not "Notesolution Inc"
            break
        found = [i for i, c in enumerate(cells) if header.match(" ".join(str(c).lower().split()))]
        if found:
            column = found[0]
            continue
        if column is None:
            continue
        value = str(cells[column]).strip()
        if re.fullmatch(r"\d+(\.0)?", value):
            rows += 1
            positions += int(float(value))
    return rows, positions


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_vintage_parses_with_totals_matching_an_independent_count(real_lmia, name):
    path = real_lmia / name
    parsed = parse_file(path, name)
    layout, language, period, noc = EXPECTED[name]
    assert (parsed.layout, parsed.language, str(parsed.period), parsed.noc_version) == \
        (layout, language, period, noc)
    rows, positions = independent_count(path)
    assert parsed.row_count == rows
    assert parsed.approved_positions == positions
    assert sum(parsed.positions_by_province.values()) == positions
    assert parsed.positions_by_province["QC"] > 1000
    # every row keeps its provenance
    assert all(isinstance(n, int) and n > 0 for n in parsed.columns["source_row"])
    assert set(parsed.positions_by_province) <= {
        "NL", "PE", "NS", "NB", "QC", "ON", "MB", "SK", "AB", "BC", "YT", "NT", "NU", "XX"}


def _row(parsed, index):
    return {column: values[index] for column, values in parsed.columns.items()}


def test_same_as_above_cells_are_carried_forward(real_lmia):
    parsed = parse_file(real_lmia / "orig_2017q3_positive_en.csv", "orig_2017q3_positive_en.csv")
    # The file's row 5 is ",,,,2274-Engineer officers, water transport,5": same province,
    # stream, employer and address as the row above.
    index = parsed.columns["source_row"].index(5)
    row = _row(parsed, index)
    assert row["province_code"] == "NL"
    assert row["program_stream"] == "High Wage"
    assert row["employer_name"] == "Anglo Eastern Ship Managment Ltd"
    assert row["address"] == "Wanchai, NL A0A 0A0"
    assert (row["occupation_code"], row["occupation_title"]) == \
        ("2274", "Engineer officers, water transport")


def test_new_employer_does_not_inherit_the_previous_address(real_lmia):
    name = "orig_2016_annual_positive_en.csv"
    parsed = parse_file(real_lmia / name, name)
    # row 5: ",,"Happy Valley Goose Bay, NL A0P 1C0",6312-...": same employer, new address
    row = _row(parsed, parsed.columns["source_row"].index(5))
    assert row["employer_name"] == "10565 NFLD. Inc."
    assert row["address"] == "Happy Valley Goose Bay, NL A0P 1C0"
    assert row["postal_code"] == "A0P 1C0"


def test_codes_keep_leading_zeros_and_noc_2021_has_five_digits(real_lmia):
    name_2011 = "orig_2021q4_positive_en.xlsx"
    codes_2011 = set(parse_file(real_lmia / name_2011, name_2011).columns["occupation_code"])
    assert any(code and code.startswith("0") and len(code) == 4 for code in codes_2011)
    name_2021 = "orig_2025q1_positive_en.xlsx"
    parsed = parse_file(real_lmia / name_2021, name_2021)
    assert {len(c) for c in parsed.columns["occupation_code"] if c} == {5}
    assert "21399" in parsed.columns["occupation_code"]


def test_employer_format_takes_province_from_section_rows(real_lmia):
    name = "deriv_notitle_2015_employer_format_positive_en.csv"
    parsed = parse_file(real_lmia / name, name)
    assert parsed.skipped["province section"] >= 13
    first_qc = parsed.columns["province_code"].index("QC")
    row = _row(parsed, first_qc)
    assert row["postal_code"] and row["postal_code"][0] in "GHJ"
    # the no-break space inside "A1C\xa06C9" is read as a plain space
    assert parsed.columns["postal_code"][0] == "A1C 6C9"


def test_french_file_keeps_french_titles(real_lmia):
    name = "deriv_notitle_rawcsv_2018q1_positive_fr.csv"
    parsed = parse_file(real_lmia / name, name)
    titles = dict(zip(parsed.columns["occupation_code"], parsed.columns["occupation_title"]))
    assert titles["3111"] == "Médecins spécialistes"
    assert "Bas salaire" in parsed.columns["program_stream"]
