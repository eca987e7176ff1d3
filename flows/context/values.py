"""Counts as the official tables write them.

ESDC quotes counts with a comma (`"1,454"`) or a space (`39 187`, table 10 in French) as
thousands separator. IRCC writes `--` for 0 to 5 people (suppressed) and rounds the rest to
a multiple of 5. A suppressed cell is kept as unknown (None, suppressed), never as 0.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

SUPPRESSED = "--"
# comma, space, no-break and narrow no-break spaces between groups of three digits
_GROUPED = re.compile(r"^\d{1,3}(?:[, \u00a0\u202f]\d{3})+$")


@dataclass(frozen=True)
class Count:
    value: int | None
    is_suppressed: bool = False


class NotACount(ValueError):
    pass


def parse_count(cell: object) -> Count | None:
    """A cell as a count; None for an empty cell; NotACount for anything else."""
    if isinstance(cell, bool):
        raise NotACount(repr(cell))
    if isinstance(cell, int):
        return Count(cell)
    if isinstance(cell, float):
        if not cell.is_integer():
            raise NotACount(repr(cell))
        return Count(int(cell))
    text = str(cell or "").strip()
    if not text:
        return None
    if text in (SUPPRESSED, "\u2013\u2013", "\u2014"):
        return Count(None, True)
    if text.isdigit():
        return Count(int(text))
    if _GROUPED.match(text):
        return Count(int(re.sub(r"\D", "", text)))
    raise NotACount(text)
