"""Province and territory names as ESDC writes them, English and French, to codes."""
from __future__ import annotations

import re
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


# The first letter of a postal code names the province (X is shared by NT and NU).
_POSTAL_PROVINCE = {"A": "NL", "B": "NS", "C": "PE", "E": "NB", "G": "QC", "H": "QC", "J": "QC",
                    "K": "ON", "L": "ON", "M": "ON", "N": "ON", "P": "ON", "R": "MB", "S": "SK",
                    "T": "AB", "V": "BC", "Y": "YT"}
_ABBREVIATION = re.compile(r"(?:,|\s)\s*(NL|PE|NS|NB|QC|PQ|ON|MB|SK|AB|BC|YT|NT|NU)\b\.?(?=[\s,]|$)")
_POSTAL_START = re.compile(r"(?<![A-Z0-9])([ABCEGHJ-NPRSTVXY])\d[A-Z]\s*(?:\d[A-Z]\d)?(?![A-Z0-9])")


@lru_cache(maxsize=65536)
def province_from_address(address: str) -> str | None:
    """The province an address names (`, QC`), else the one its postal code implies."""
    text = address.upper()
    named = _ABBREVIATION.findall(text)
    if named:
        return "QC" if named[-1] == "PQ" else named[-1]
    postal = _POSTAL_START.findall(text)
    return _POSTAL_PROVINCE.get(postal[-1]) if postal else None
