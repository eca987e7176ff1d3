"""The context parsers on the bundled copies and on small layouts written here."""
from __future__ import annotations

import pytest

from flows.context import esdc, ircc
from flows.context.model import ParsedTable
from flows.context.sources import bundled_sample
from flows.context.tables import NotReadHere, parse_file
from flows.context.values import Count, NotACount, parse_count
from flows.errors import BadFileError


@pytest.mark.parametrize("cell, count", [
    ("1,454", Count(1454)), ("39 187", Count(39187)), ("39\u00a0187", Count(39187)),
    ("848", Count(848)), (5.0, Count(5)), ("--", Count(None, True)), ("", None),
])
def test_counts_as_written(cell, count):
    assert parse_count(cell) == count


@pytest.mark.parametrize("cell", ["12a", "1,45", "1.5", "n/a"])
def test_what_is_not_a_count(cell):
    with pytest.raises(NotACount):
        parse_count(cell)


def test_table_10_reads_both_encodings_of_one_file():
    table = parse_file(bundled_sample() / "tfwp2023_annual_table_10_f.csv", "t10.csv")
    quebec = [(c.label_1, c.label_code, c.value, c.rank) for c in table.cells
              if c.province == "QC" and c.period == "2023"]
    assert quebec[:2] == [("Guatemala", "GT", 16997, 1), ("Mexique", "MX", 14725, 2)]
    assert {c.province for c in table.cells} >= {"CA", "QC", "PE", "NS"}  # Île-du-Prince-…
    assert "decoded line by line (windows-1252)" in table.repairs
    assert {c.label_1 for c in table.cells} >= {"Algérie", "États-Unis", "Thaïlande"}
    assert table.repairs["country_name_blank"] == 4


def test_table_3_reconciles_every_total_and_loads_none():
    table = parse_file(bundled_sample() / "tfwp2023_annual_table_3_e.csv", "t3.csv")
    assert table.totals_checked == 14 * 8  # 13 provinces and territories, Canada; 8 years
    quebec_2023 = [c for c in table.cells if c.province == "QC" and c.period == "2023"]
    assert sum(c.value for c in quebec_2023) == 62206
    assert len(quebec_2023) == 18  # 17 economic regions and `Other`
    assert not any("Total" in (c.label_1 or "") for c in table.cells)


def esdc_rows(quebec_total: str) -> list[list[str]]:
    return [["Number of TFW positions by economic region", "", ""],
            ["Quebec", "", ""], ["Economic Region", "2022", "2023"],
            ["2440 - Montréal ", "1,000", "2,000"], ["Other ", "5", "6"],
            ["Quebec - Total", "1,005", quebec_total],
            ["Canada", "", ""], ["", "2022", "2023"], ["Canada - Total", "1,005", quebec_total]]


def test_esdc_total_mismatch_names_line_province_and_year():
    table = ParsedTable("t3", "title", "en")
    esdc.parse_regions(esdc_rows("2,006"), "t3.csv", table)
    assert [(c.label_code, c.label_1, c.value) for c in table.cells if c.period == "2023"] == [
        ("2440", "Montréal", 2000), (None, "Other", 6)]
    with pytest.raises(BadFileError) as error:
        esdc.parse_regions(esdc_rows("2,007"), "t3.csv", ParsedTable("t3", "title", "en"))
    assert str(error.value) == ("t3.csv: line 6: Quebec - Total 2023 is 2,007 but its lines "
                                "add up to 2,006")


def ircc_rows() -> list[list[str]]:
    """Province, category and sub-category columns; a label blank above its group's total."""
    return [
        ["TFWP to PR, January 2015 - March 2015", "", "", "", "", "", ""], [""] * 7,
        ["Province/Territory and Category", "", "", "2015", "", "", ""],
        ["", "", "", "Q1", "", "", ""],
        ["", "", "", "Jan", "Feb", "Mar", "Q1 Total"],
        ["", "", "Skilled Worker", "15", "--", "10", "30"],
        ["", "", "Caregiver", "--", "0", "5", "10"],
        ["", "Economic Total", "", "20", "--", "15", "40"],
        ["Quebec Total", "", "", "20", "--", "15", "40"],
        ["Total", "", "", "20", "--", "15", "40"],
    ]


def test_ircc_keeps_suppressed_cells_unknown_and_totals_apart():
    table = ircc.parse(ircc_rows(), "pr.xlsx", ParsedTable("pr", "title", "en"))
    february = {(c.province, c.label_1, c.label_2): (c.value, c.is_suppressed, c.is_total)
                for c in table.cells if c.period == "2015-02"}
    assert february == {("QC", "Total", None): (None, True, True),
                        ("QC", "Economic", None): (None, True, True),
                        ("QC", "Economic", "Skilled Worker"): (None, True, False),
                        ("QC", "Economic", "Caregiver"): (0, False, False)}
    assert {c.period for c in table.cells} == {"2015-01", "2015-02", "2015-03"}  # no Q1 Total


def test_ircc_total_outside_what_rounding_allows_fails_the_file():
    rows = ircc_rows()
    rows[8][5] = "30"  # March: 15 in its rows, 30 in Quebec's total (and Q1 still 40)
    with pytest.raises(BadFileError) as error:
        ircc.parse(rows, "pr.xlsx", ParsedTable("pr", "title", "en"))
    assert str(error.value) == "pr.xlsx: row 9: Quebec Total 2015-03 is 30 but its rows allow 12 to 18"


def test_a_table_not_read_here_is_skipped_not_quarantined(tmp_path):
    path = tmp_path / "tfwp2023_annual_table_13_e.csv"
    path.write_text("Number of TFW positions by program stream,,\n", encoding="utf-8")
    with pytest.raises(NotReadHere):
        parse_file(path, path.name)


def test_an_html_page_is_a_one_line_reason(tmp_path):
    path = tmp_path / "tfwp2023_annual_table_3_e.csv"
    path.write_text("<!DOCTYPE html><html>error</html>", encoding="utf-8")
    with pytest.raises(BadFileError, match="an HTML page, not a data file"):
        parse_file(path, path.name)
