"""Raw LMIA suites: what one loaded file must look like before dbt may count it.

Validated per file, right after it loads (flows/quality/raw_lmia.py). A critical failure
takes the file back out of the raw tables and quarantines it; warnings go to the digest.
"""
from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.expectations.row_conditions import Column

from expectations.checkpoint import said
from flows.lmia.layouts import LAYOUTS
from flows.lmia.provinces import KNOWN_CODES

KNOWN_LAYOUTS = sorted(LAYOUTS)
NOC_CODE_DIGITS = {"2011": 4, "2021": 5}
# What flows/lmia/text.py extracts: the FSA, then as much of the rest as the file has.
POSTAL_CODE_PATTERN = r"^[ABCEGHJ-NPRSTVXY]\d[A-Z](?: \d(?:[A-Z]\d?)?)?$"
# A row whose province neither its cell nor its address names is kept and flagged by the
# parser; more than 1% of them means the column moved.
PROVINCE_MOSTLY = 0.99
INTEGER_TYPES = ["int8", "int16", "int32", "int64", "Int8", "Int16", "Int32", "Int64"]
# ESDC's lists hold a few rows with 0 approved positions (25 of 106,349 rows over ten
# vintages, at most 0.12% of a file). More than 1% means a column moved, not a quirk.
POSITIVE_POSITIONS_MOSTLY = 0.99
# A few occupation cells carry a title without a code (8 rows over ten vintages), or a code
# of the other NOC version (kept and flagged by the parser): one bad cell never fails a file.
OCCUPATION_CODE_MOSTLY = 0.99


def raw_lmia_file(volume_band: float) -> gx.ExpectationSuite:
    """One row per file: layout, NOC version, and volume against the previous period."""
    with_occupations = Column("layout") != "employer_format"
    return gx.ExpectationSuite(name="raw_lmia_file", expectations=[
        gxe.ExpectColumnValuesToNotBeNull(
            column="layout",
            **said("la disposition du fichier est reconnue",
                   "the file's layout is recognized")),
        gxe.ExpectColumnValuesToBeInSet(
            column="layout", value_set=KNOWN_LAYOUTS,
            **said("la disposition du fichier est l'une de celles que l'analyseur connaît",
                   "the file's layout is one the parser knows")),
        gxe.ExpectColumnValuesToBeInSet(
            column="noc_version", value_set=sorted(NOC_CODE_DIGITS),
            **said("les codes de profession sont de la CNP 2011 ou de la CNP 2021",
                   "occupation codes are NOC 2011 or NOC 2021")),
        gxe.ExpectColumnValuesToNotBeNull(
            column="noc_version", row_condition=with_occupations,
            **said("un fichier avec une colonne de profession nomme sa version de la CNP",
                   "a file with an occupation column names its NOC version")),
        gxe.ExpectColumnValuesToBeBetween(
            column="row_count", min_value=1,
            **said("le fichier a des lignes de données",
                   "the file has data rows")),
        *(gxe.ExpectColumnValuesToBeBetween(
            column=ratio, min_value=1 / volume_band, max_value=volume_band,
            strict_min=True, strict_max=True, severity="warning",
            **said(f"{quoi} entre 1/{volume_band:g} et {volume_band:g} fois la période "
                   f"précédente du même type",
                   f"{what} within 1/{volume_band:g} and {volume_band:g} times the "
                   f"previous period of the same kind"))
          for ratio, quoi, what in (("row_ratio", "lignes", "rows"),
                                    ("position_ratio", "postes approuvés", "approved positions"))),
    ])


def raw_lmia_rows() -> gx.ExpectationSuite:
    """One row per data row of the file."""
    return gx.ExpectationSuite(name="raw_lmia_rows", expectations=[
        gxe.ExpectColumnValuesToNotBeNull(
            column="approved_positions",
            **said("chaque ligne a des postes approuvés",
                   "every row has approved positions")),
        gxe.ExpectColumnValuesToBeInTypeList(
            column="approved_positions", type_list=INTEGER_TYPES,
            **said("les postes approuvés sont des nombres entiers",
                   "approved positions are integers")),
        gxe.ExpectColumnValuesToBeBetween(
            column="approved_positions", min_value=1, mostly=POSITIVE_POSITIONS_MOSTLY,
            **said("les postes approuvés valent au moins 1 (EDSC liste quelques zéros)",
                   "approved positions are at least 1 (ESDC lists a few zeros)")),
        gxe.ExpectColumnValuesToNotBeNull(
            column="province_code", mostly=PROVINCE_MOSTLY,
            **said("la province est connue de l'analyseur (par sa colonne ou l'adresse)",
                   "the province is one the parser knows (from its column or the address)")),
        gxe.ExpectColumnValuesToBeInSet(
            column="province_code", value_set=sorted(KNOWN_CODES),
            **said("les codes de province sont des provinces et territoires canadiens, ou XX",
                   "province codes are Canadian provinces and territories, or XX")),
        *(gxe.ExpectColumnValuesToMatchRegex(
            column="occupation_code", regex=rf"^\d{{{digits}}}$",
            row_condition=Column("file_noc_version") == version, mostly=OCCUPATION_CODE_MOSTLY,
            **said(f"les codes de profession de la CNP {version} ont {digits} chiffres",
                   f"NOC {version} occupation codes have {digits} digits"))
          for version, digits in NOC_CODE_DIGITS.items()),
        gxe.ExpectColumnValuesToNotBeNull(
            column="occupation_code", mostly=OCCUPATION_CODE_MOSTLY,
            row_condition=Column("layout") != "employer_format",
            **said("les cellules de profession portent un code", "occupation cells carry a code")),
        gxe.ExpectColumnValuesToMatchRegex(
            column="postal_code", regex=POSTAL_CODE_PATTERN,
            **said("les codes postaux sont canadiens (au moins la RTA)",
                   "postal codes are Canadian (at least the FSA)")),
        gxe.ExpectCompoundColumnsToBeUnique(
            column_list=["file_sha256", "sheet", "source_row"],
            **said("une ligne par clé de provenance (fichier, feuille, ligne)",
                   "one row per provenance key (file, sheet, row)")),
    ])
