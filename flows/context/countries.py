"""Country names as ESDC writes them in French (table 10) → ISO 3166 alpha-2, with pycountry.

pycountry carries the ISO 3166 names and their French translations (Debian's iso-codes);
names are compared folded (case, accents, hyphens). ESDC's short forms that are not ISO
names are listed in ALIASES, the one place to add the next one.
"""
from __future__ import annotations

import gettext
from functools import cache, lru_cache

import pycountry

from ..lmia.text import fold

ALIASES = {
    "arabie saudite": "SA", "coree du sud": "KR", "tcheque republique": "CZ",
    "russie": "RU", "iran": "IR", "taiwan": "TW", "viet nam": "VN", "macao": "MO",
    "emirats arabes unis": "AE", "etats unis": "US", "trinite et tobago": "TT",
    "royaume uni": "GB", "republique dominicaine": "DO", "koweit": "KW", "nepal": "NP",
    "egypte": "EG", "jamaique": "JM", "moldavie": "MD", "bolivie": "BO", "venezuela": "VE",
    "syrie": "SY", "tanzanie": "TZ", "laos": "LA", "coree du nord": "KP", "hong kong": "HK",
    # An emirate, not a country: ESDC lists it beside the United Arab Emirates.
    "dubai": "AE",
}


def _key(name: str) -> str:
    return " ".join(fold(name).replace("-", " ").replace(",", " ").split())


@lru_cache(maxsize=1)
def _index() -> dict[str, str]:
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    index: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            english = getattr(country, attribute, None)
            if english:
                index.setdefault(_key(english), country.alpha_2)
                index.setdefault(_key(french.gettext(english)), country.alpha_2)
    return index | ALIASES


def alpha_2(name: str) -> str | None:
    return _index().get(_key(name))


def english_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or country.name


@cache
def french_name(code: str) -> str:
    french = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])
    return french.gettext(pycountry.countries.get(alpha_2=code).name)
