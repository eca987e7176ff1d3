"""Opening hours as people write them, turned into weekly schedules where it is safe.

`lun-ven 8 h 30 - 16 h 30`, `Lundi au vendredi, 9h à 17h`, `lun. au jeu. 9 h-12 h et
13 h-16 h 30; ven. 9 h-12 h`, `Mon-Fri 9:00-5:00 pm`. Days come first (or right after the
hours they govern), then one or more time ranges. Text that does not read cleanly
(`sur rendez-vous`, a time range with no day) gives no schedule at all: a half-parsed
schedule would be wrong, and the text itself is always kept beside it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .text import fold

DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
_DAY_WORDS = {
    "MO": "lundi|lun|monday|mon", "TU": "mardi|mar|tuesday|tues|tue",
    "WE": "mercredi|mer|wednesday|wed", "TH": "jeudi|jeu|thursday|thurs|thu",
    "FR": "vendredi|ven|friday|fri", "SA": "samedi|sam|saturday|sat",
    "SU": "dimanche|dim|sunday|sun",
}
_DAY_BY_WORD = {word: day for day, words in _DAY_WORDS.items() for word in words.split("|")}
_DAY = r"\b(?:" + "|".join(sorted(_DAY_BY_WORD, key=len, reverse=True)) + r")\b\.?"
_TIME = r"\d{1,2}\s*(?:h|:)\s*(?:\d{2})?(?:\s*(?:am|pm))?|\d{1,2}\s*(?:am|pm)"
_TO = r"\s*(?:-|–|—|a|au|to|through|thru|jusqu a)\s*"
_TOKENS = re.compile(
    rf"(?P<dayrange>({_DAY}){_TO}({_DAY}))|(?P<timerange>({_TIME}){_TO}({_TIME}))|(?P<day>{_DAY})")
_CLOCK = re.compile(r"(\d{1,2})\s*(?:h|:)?\s*(\d{2})?\s*(am|pm)?")


@dataclass(frozen=True)
class Schedule:
    byday: str  # RFC 5545 days, e.g. "MO,TU,WE,TH,FR"
    opens_at: str  # HH:MM, local time
    closes_at: str


def parse_hours(text: str) -> list[Schedule]:
    """Weekly schedules read from the text, or [] when it does not read cleanly."""
    groups: list[tuple[list[str], list[tuple[str, str]]]] = []
    days: list[str] = []
    times: list[tuple[str, str]] = []
    for match in _TOKENS.finditer(_prepare(text)):
        if match.group("timerange"):
            span = _time_range(match.group(5), match.group(6))
            if span is None:
                return []
            times.append(span)
            continue
        if times:  # a day after hours starts the next group
            groups.append((days, times))
            days, times = [], []
        if match.group("dayrange"):
            days += _day_range(match.group(2), match.group(3))
        else:
            days.append(_day(match.group("day")))
    groups.append((days, times))
    return _schedules(groups)


def _prepare(text: str) -> str:
    text = fold(text).replace("a.m.", "am").replace("p.m.", "pm")
    return re.sub(r"\bmidi\b|\bnoon\b", "12 h", text)


def _schedules(groups) -> list[Schedule]:
    # `8 h - 16 h du lundi au vendredi`: hours first, then the days they belong to.
    merged: list[tuple[list[str], list[tuple[str, str]]]] = []
    for days, times in groups:
        if merged and not merged[-1][0] and merged[-1][1] and days and not times:
            merged[-1] = (days, merged[-1][1])
        else:
            merged.append((days, times))
    schedules: list[Schedule] = []
    for days, times in merged:
        if times and not days:
            return []
        ordered = ",".join(day for day in DAYS if day in days)
        schedules += [Schedule(ordered, opens, closes) for opens, closes in times]
    return schedules


def _day(word: str) -> str:
    return _DAY_BY_WORD[word.rstrip(".")]


def _day_range(first: str, last: str) -> list[str]:
    start, end = DAYS.index(_day(first)), DAYS.index(_day(last))
    return [DAYS[(start + offset) % 7] for offset in range((end - start) % 7 + 1)]


def _time_range(opens: str, closes: str) -> tuple[str, str] | None:
    start, end = _clock(opens), _clock(closes)
    if start is None or end is None:
        return None
    if end <= start and "pm" not in closes and end + 12 * 60 > start and end < 12 * 60:
        end += 12 * 60  # `9:00-5:00`: the afternoon
    if end <= start:
        return None
    return _hhmm(start), _hhmm(min(end, 23 * 60 + 59))


def _clock(text: str) -> int | None:
    match = _CLOCK.fullmatch(text.strip())
    if not match:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2) or 0)
    if match.group(3) == "pm" and hours < 12:
        hours += 12
    if match.group(3) == "am" and hours == 12:
        hours = 0
    if hours > 24 or minutes > 59:
        return None
    return hours * 60 + minutes


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
