import pytest

from flows.lmia.layouts import recognize
from flows.lmia.periods import Period, from_name, from_title, resolve
from flows.lmia.provinces import province_code
from flows.lmia.text import extract_postal_code


@pytest.mark.parametrize("address, expected", [
    ("Montréal, QC H2X 1Y4", "H2X 1Y4"),
    ("Québec, QC G1R5M1", "G1R 5M1"),          # unspaced
    ("Laval, QC H3G  1T", "H3G 1T"),            # truncated at the source
    ("Gatineau, QC J8X", "J8X"),                # only the FSA
    ("215 Water Street, Box 20, St. John's, NL  A1C 6C9", "A1C 6C9"),
    ("Houston, TX 77043, USA", None),
    ("Rotterdam, 3063NH", None),
])
def test_postal_code_keeps_what_is_there(address, expected):
    assert extract_postal_code(address) == expected


@pytest.mark.parametrize("name, code", [
    ("Quebec", "QC"), ("Québec", "QC"), ("Territoires-du-Nord-Ouest", "NT"),
    ("Newfoundland and Labrador                     ", None),  # caller trims first
    ("Employers carrying on business in Canada with Head Office outside of Canada", "XX"),
    ("Atlantis", None),
])
def test_province_names_in_both_languages(name, code):
    assert province_code(name.strip() if code else name) == (code or province_code(name))


def test_period_from_titles_and_names():
    assert from_title("... business location in 2017 (July-September)") == Period(2017, 3)
    assert from_title("... (NOC) 2011 and business location in 2016") == Period(2016, None)
    assert from_title("Employeurs ..., octobre à décembre 2023") == Period(2023, 4)
    assert from_name("tfwp_2023q4_pos_fr.xlsx") == Period(2023, 4)
    assert from_name("Q3 2019 positive") == Period(2019, 3)
    with pytest.raises(ValueError, match="title says 2017Q3 but the name says 2018Q1"):
        resolve("in 2017 (July-September)", ["2018q1_positive_en.csv"], "x.csv")
    with pytest.raises(ValueError, match="cannot tell which period"):
        resolve(None, ["positive_en.csv"], "positive_en.csv")


def test_unknown_header_column_is_ignored_and_reported_not_a_reason_to_refuse():
    header = recognize(["Province/Territory", "Employer", "Wage", "Approved Positions"], "f")
    assert header.columns == {"province": 0, "employer_name": 1, "approved_positions": 3}
    assert header.ignored == ("Wage",)


@pytest.mark.parametrize("seen, column", [
    ("Occupaitons under NOC 2011", "occupation"),     # ESDC's own typo (2018 Q4)
    ("Requested Positions", "approved_positions"),    # a positive list, 2022 Q2
    ("Requested LMIAs", "approved_lmias"),
    ("Employeur ", "employer_name"),
    ("EMPLOYER_NAME", "employer_name"),
    ("Adress", "address"),
    ("Postes approuvés", "approved_positions"),
    ("Province / Territoire", "province"),
])
def test_drifting_header_names_are_understood(seen, column):
    cells = ["Province/Territory", "Employer", "Address", seen, "Approved Positions"]
    if column in ("employer_name", "address", "province", "approved_positions"):
        cells = [seen if canonical == column else cell for cell, canonical in zip(
            cells, ["province", "employer_name", "address", "occupation", "approved_positions"])]
    header = recognize(cells, "f")
    assert header.columns[column] == cells.index(seen)


def test_a_column_is_named_by_what_it_holds_when_its_header_says_nothing():
    rows = [["Quebec", "High Wage", "Ferme A", "Mirabel, QC J7N 1A1", "8431-General farm workers", "4"]
            for _ in range(5)]
    header = recognize(["Province", "Wage Level", "Employer", "Where", "Job", "How many"], "f", rows)
    assert header.columns == {"province": 0, "program_stream": 1, "employer_name": 2,
                              "address": 3, "occupation": 4, "approved_positions": 5}
    assert {column for _, column, how in header.understood if how == "content"} == {
        "program_stream", "address", "occupation", "approved_positions"}


def test_a_header_without_any_count_column_is_refused_naming_what_was_seen():
    with pytest.raises(ValueError) as error:
        recognize(["Province/Territory", "Employer", "Wage"], "f.csv row 2",
                  [["Quebec", "Ferme A", "high"]] * 5)
    assert "f.csv row 2" in str(error.value) and "'Wage'" in str(error.value)


def test_french_headers_with_line_breaks():
    header = recognize(["Province/Territoire", "Volet", "Employeur", "Adresse",
                        "Profession sous CNP 2011", "Postes\r\nApprouvés"], "f")
    assert (header.layout, header.language, header.noc_version_hint) == ("stream_noc", "fr", "2011")
