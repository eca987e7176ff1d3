"""The period a file covers, read from its title row or its name.

Titles say `in 2017 (July-September)`, `October to December 2021`, `in 2016`;
names say `2017q3`, `tfwp_2023q4_pos_fr`, `2016_annual`. The title is the government's
own words, so it wins; a name that names a different quarter is an error, not a guess.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .text import fold


@dataclass(frozen=True, order=True)
class Period:
    year: int
    quarter: int | None  # None: an annual file

    @property
    def kind(self) -> str:
        return "annual" if self.quarter is None else "quarter"

    @property
    def start(self) -> date:
        return date(self.year, 1 if self.quarter is None else 3 * self.quarter - 2, 1)

    def __str__(self) -> str:
        return f"{self.year}" if self.quarter is None else f"{self.year}Q{self.quarter}"


_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
}
_MONTH = "|".join(_MONTHS)
_MONTH_RANGE = re.compile(rf"\b({_MONTH})\b\s*(?:-|to|a|au|–)\s*\b({_MONTH})\b")
_YEAR = re.compile(r"(?<!\d)(20[0-4]\d)(?!\d)")
_NAME_QUARTER = [
    re.compile(r"(?<!\d)(20[0-4]\d)[\s_\-]*q([1-4])(?![0-9])"),
    re.compile(r"(?<![a-z0-9])q([1-4])[\s_\-]*(20[0-4]\d)(?!\d)"),
    re.compile(r"(?<![a-z0-9])t([1-4])[\s_\-]*(20[0-4]\d)(?!\d)"),  # French: T4 2023
]


_NOC_MENTION = re.compile(r"\b(noc|cnp)\)?\s*(v\d\S*\s*)?(20[0-4]\d)")


def noc_version_named(title: str) -> str | None:
    """The NOC version a title names (`NOC 2011`, `CNP 2021`); 2016 shares 2011's codes."""
    found = _NOC_MENTION.search(fold(title))
    if not found:
        return None
    return "2021" if found.group(3) == "2021" else "2011"


def from_title(title: str) -> Period | None:
    # "NOC 2011" names a classification, not the period.
    text = _NOC_MENTION.sub(" ", fold(title))
    years = _YEAR.findall(text)
    if not years:
        return None
    months = _MONTH_RANGE.search(text)
    if months:
        first, last = _MONTHS[months.group(1)], _MONTHS[months.group(2)]
        if (first - 1) % 3 == 0 and last == first + 2:
            return Period(int(years[-1]), (first + 2) // 3)
        if first == 1 and last == 12:
            return Period(int(years[-1]), None)
        return None  # a span that is not a quarter: leave it to the name
    from_text = from_name(text)
    if from_text:
        return from_text
    return Period(int(years[-1]), None) if len(set(years)) == 1 else None


def from_name(name: str) -> Period | None:
    text = fold(name)
    for index, pattern in enumerate(_NAME_QUARTER):
        match = pattern.search(text)
        if match:
            first, second = match.groups()
            year, quarter = (first, second) if index == 0 else (second, first)
            return Period(int(year), int(quarter))
    years = set(_YEAR.findall(text))
    return Period(int(years.pop()), None) if len(years) == 1 else None


def resolve(title: str | None, names: list[str], where: str) -> Period:
    """The file's period, or ValueError when nothing names it or two sources disagree."""
    titled = from_title(title) if title else None
    named = next((p for p in (from_name(n) for n in names if n) if p), None)
    if titled and named and named.quarter is not None and titled != named:
        raise ValueError(f"{where}: le titre dit {titled} mais le nom dit {named} / title "
                         f"says {titled} but the name says {named}")
    period = titled or named
    if period is None:
        raise ValueError(f"{where}: impossible de dire quelle période le fichier couvre "
                         f"(renommez-le comme 2023q4_positive_fr.csv) / cannot tell which period "
                         f"the file covers (no period in its title; name it like "
                         f"2023q4_positive_fr.csv)")
    return period
