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


def test_unknown_header_is_named_not_guessed():
    with pytest.raises(ValueError) as error:
        recognize(["Province/Territory", "Employer", "Wage", "Approved Positions"], "f.csv row 2")
    assert "f.csv row 2" in str(error.value) and "'Wage'" in str(error.value)


def test_french_headers_with_line_breaks():
    header = recognize(["Province/Territoire", "Volet", "Employeur", "Adresse",
                        "Profession sous CNP 2011", "Postes\r\nApprouvés"], "f")
    assert (header.layout, header.language, header.noc_version_hint) == ("stream_noc", "fr", "2011")
