"""Mart suites: what the marts must satisfy before they are published.

Validated in the working database between dbt build and publication
(flows/quality/marts.py). A critical failure stops the publication: the serving database
stays the last one that passed. dbt's own tests run first; these add what dbt does not
check: each period on its own, reconciliation down to the parsed file, the raw checks
having run, and freshness.
"""
from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.expectations.row_conditions import Column

from expectations.checkpoint import said
from expectations.raw_lmia import NOC_CODE_DIGITS
from flows.lmia.provinces import KNOWN_CODES

GEO_PRECISIONS = ["postal_code", "municipality", "fsa", "region", "none"]
SKILL_LEVELS = ["0", "A", "B", "C", "D"]


def marts_lmia_positions() -> gx.ExpectationSuite:
    """marts.fct_lmia_positions, one row per source row: codes are valid."""
    return gx.ExpectationSuite(name="marts_lmia_positions", expectations=[
        gxe.ExpectColumnValuesToNotBeNull(column="province_code"),
        gxe.ExpectColumnValuesToBeInSet(
            column="province_code", value_set=sorted(KNOWN_CODES),
            **said("les codes de province sont des provinces et territoires canadiens, ou XX",
                   "province codes are Canadian provinces and territories, or XX")),
        gxe.ExpectColumnValuesToMatchRegex(
            column="region_code", regex=r"^(?:0[1-9]|1[0-7])$",
            **said("les régions administratives vont de 01 à 17",
                   "administrative regions are 01 to 17")),
        gxe.ExpectColumnValuesToMatchRegex(
            column="mrc_code", regex=r"^\d{3}$",
            **said("les codes de MRC ont 3 chiffres",
                   "MRC codes have 3 digits")),
        gxe.ExpectColumnValuesToMatchRegex(
            column="municipality_code", regex=r"^\d{5}$",
            **said("les codes de municipalité du MAMH ont 5 chiffres",
                   "MAMH municipality codes have 5 digits")),
        gxe.ExpectColumnValuesToBeInSet(column="geo_precision", value_set=GEO_PRECISIONS),
        gxe.ExpectColumnValuesToNotBeNull(
            column="geo_precision", row_condition=Column("province_code") == "QC",
            **said("chaque ligne du Québec dit avec quelle précision elle est placée",
                   "every Quebec row says how precisely it is placed")),
        gxe.ExpectColumnValuesToBeInSet(column="noc_version", value_set=sorted(NOC_CODE_DIGITS)),
        *(gxe.ExpectColumnValuesToMatchRegex(
            column="noc_code", regex=rf"^\d{{{digits}}}$",
            row_condition=Column("noc_version") == version,
            **said(f"les codes de la CNP {version} ont {digits} chiffres",
                   f"NOC {version} codes have {digits} digits"))
          for version, digits in NOC_CODE_DIGITS.items()),
        gxe.ExpectColumnValuesToBeInSet(column="skill_level", value_set=SKILL_LEVELS),
        gxe.ExpectColumnValuesToBeBetween(column="teer", min_value=0, max_value=5),
        gxe.ExpectColumnValuesToNotBeNull(column="approved_positions"),
        gxe.ExpectColumnValuesToBeBetween(column="approved_positions", min_value=0),
    ])


def marts_lmia_files() -> gx.ExpectationSuite:
    """One row per counted file: parsed, raw and mart totals agree; raw checks have run.
    No file at all is no failure: a home with the directory only builds too."""
    return gx.ExpectationSuite(name="marts_lmia_files", expectations=[
        *(gxe.ExpectColumnPairValuesToBeEqual(
            column_A=first, column_B=second, **said(french, english))
          for first, second, french, english in (
              ("file_rows", "raw_rows", "lignes lues = lignes dans raw.lmia_rows",
               "rows parsed = rows in raw.lmia_rows"),
              ("file_positions", "raw_positions", "postes lus = postes dans raw",
               "positions parsed = positions in raw"),
              ("raw_rows", "mart_rows", "lignes dans raw = lignes dans fct_lmia_positions",
               "rows in raw = rows in fct_lmia_positions"),
              ("raw_positions", "mart_positions", "postes dans raw = postes dans le mart",
               "positions in raw = positions in the mart"),
          )),
        gxe.ExpectColumnValuesToNotBeNull(
            column="raw_checked_at",
            **said("chaque fichier compté a passé les contrôles bruts (lancer `tmt ingest lmia`)",
                   "every counted file passed the raw checks (run `tmt ingest lmia`)")),
    ])


def marts_lmia_periods(min_municipality_share: float, stale_after_months: int,
                       any_period: bool = True) -> gx.ExpectationSuite:
    """One row per counted period: Quebec placement, territory totals, freshness.

    dbt's assert_quebec_positions_placed warns on all periods together; here each period
    must hold the share on its own (the dbt var min_quebec_municipality_share, passed in),
    so a bad quarter cannot hide behind nine good ones. Freshness only means something once
    some period is there."""
    freshness = [gxe.ExpectColumnMinToBeBetween(
        column="months_old", max_value=stale_after_months, severity="warning",
        **said(f"la dernière période a commencé il y a au plus {stale_after_months} mois",
               f"the latest period started at most {stale_after_months} months ago"))]
    return gx.ExpectationSuite(name="marts_lmia_periods", expectations=[
        gxe.ExpectColumnValuesToBeBetween(
            column="municipality_share", min_value=min_municipality_share,
            **said(f"au moins {min_municipality_share:.0%} des postes du Québec de la période "
                   f"sont placés dans une municipalité".replace("%", " %"),
                   f"at least {min_municipality_share:.0%} of the period's "
                   f"Quebec positions are placed in a municipality")),
        gxe.ExpectColumnPairValuesToBeEqual(
            column_A="quebec_positions", column_B="territory_positions",
            **said("tmw_by_territory totalise les postes du Québec de la période",
                   "tmw_by_territory adds up to the Quebec positions of the period")),
        *(freshness if any_period else []),
    ])
