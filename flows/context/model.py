"""What a parsed context table is: one record per data cell, plus what parsing repaired."""
from __future__ import annotations

from dataclasses import dataclass, field

# The tables this platform reads; anything else found beside them is skipped, not loaded.
ESDC_REGIONS = "esdc_positions_by_economic_region"  # ESDC annual table 3
ESDC_COUNTRIES = "esdc_top_countries"  # ESDC annual table 10
IRCC_PERMIT_HOLDERS = "ircc_tfwp_permit_holders"  # work permit holders on December 31
IRCC_TR_TO_PR = "ircc_tfwp_to_permanent_residence"  # new permanent residents, monthly


@dataclass(frozen=True)
class Cell:
    province: str | None  # two-letter code; None: "province / territory not stated"
    label_1: str | None  # economic region, country, program, immigration category
    label_2: str | None  # sub-program or sub-category (IRCC), None on the group row
    label_code: str | None  # economic region code (2410) or ISO 3166 alpha-2 country code
    period: str  # '2023' or '2015-01'
    value: int | None
    is_suppressed: bool
    is_total: bool  # the file's own total (IRCC's are not sums: rounding, unique counts)
    rank: int | None  # table 10's rank
    source_row: int  # 1-based line or row number in the file


@dataclass
class ParsedTable:
    kind: str
    title: str
    language: str
    rounding: str | None = None
    cells: list[Cell] = field(default_factory=list)
    repairs: dict = field(default_factory=dict)
    totals_checked: int = 0

    def count(self, repair: str, n: int = 1) -> None:
        self.repairs[repair] = self.repairs.get(repair, 0) + n
