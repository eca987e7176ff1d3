"""Province and territory names as ESDC writes them, English and French, to codes."""
from __future__ import annotations

from functools import lru_cache

from .text import fold

PROVINCE_CODES = {
    "newfoundland and labrador": "NL", "terre neuve et labrador": "NL",
    "prince edward island": "PE", "ile du prince edouard": "PE",
    "nova scotia": "NS", "nouvelle ecosse": "NS",
    "new brunswick": "NB", "nouveau brunswick": "NB",
    "quebec": "QC",
    "ontario": "ON",
    "manitoba": "MB",
    "saskatchewan": "SK",
    "alberta": "AB",
    "british columbia": "BC", "colombie britannique": "BC",
    "yukon": "YT",
    "northwest territories": "NT", "territoires du nord ouest": "NT",
    "nunavut": "NU",
    "outside canada": "XX", "a l'exterieur du canada": "XX", "exterieur du canada": "XX",
}

# The pseudo-province for employers whose head office is abroad has long, drifting names
# ("Employers carrying on business in Canada with Head Office outside of Canada").
_OUTSIDE_MARKERS = ("head office outside", "siege social a l'exterieur", "siege social hors")

KNOWN_CODES = frozenset(PROVINCE_CODES.values())


@lru_cache(maxsize=1024)
def province_code(name: str) -> str | None:
    key = fold(name).rstrip(" :").replace("-", " ")
    if key in PROVINCE_CODES:
        return PROVINCE_CODES[key]
    if any(marker in key for marker in _OUTSIDE_MARKERS):
        return "XX"
    return None
