"""NOC codes the parser can check a repair against: the dbt seed `ref_noc_codes` (codes and
English/French titles of NOC 2011 and 2021), read once per process."""
from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz

from .text import fold

SEED = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "ref_noc_codes.csv"
WIDTH = {"2011": 4, "2021": 5}
# A lost leading zero is given back only when the file's title for the code resembles the
# reference title this much (rapidfuzz token_set_ratio, 0-100): `Directeurs de la
# construction` against `Directeurs/directrices de la construction` scores 90; unrelated
# titles of the same length score under 50.
TITLE_AGREEMENT = 70


@lru_cache(maxsize=1)
def _reference() -> dict[tuple[str, str], tuple[str, str]]:
    if not SEED.exists():
        return {}
    with SEED.open(encoding="utf-8", newline="") as handle:
        return {(row["noc_version"], row["noc_code"]): (row["noc_title_en"] or "",
                                                         row["noc_title_fr"] or "")
                for row in csv.DictReader(handle)}


def title_agrees(version: str, code: str, title: str | None, language: str) -> bool:
    """True when `code` exists in NOC `version` and the file's title does not contradict it."""
    reference = _reference().get((version, code))
    if reference is None:
        return False
    known = [text for text in reference if text]
    if not title or not known:
        return True
    return max(fuzz.token_set_ratio(fold(title), fold(text)) for text in known) >= TITLE_AGREEMENT
