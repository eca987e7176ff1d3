"""One cell's value, read the way a person meant it, or a one-line reason why not.

Each parser takes the cell text and returns a clean value, or raises Problem with a
French reason followed by its English gloss. Empty cells never reach these functions.
"""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

from .. import email_address
from .text import first_line, key


class Problem(ValueError):
    """A value that cannot be read; the message names the value and the reason."""


YES = {"oui", "o", "yes", "y", "x", "vrai", "true", "1"}
NO = {"non", "n", "no", "faux", "false", "0"}
FREE = YES | {"gratuit", "gratuits", "gratuite", "free", "sans frais"}
NOT_FREE = NO | {"payant", "payants", "paid", "frais", "avec frais", "fees"}
ACCESSIBLE = YES | {"accessible"}
NOT_ACCESSIBLE = NO | {"inaccessible", "non accessible", "not accessible"}
PARTIAL = {"partiel", "partielle", "partiellement", "partial", "partially", "en partie",
           "partly", "limite", "limitee", "limited"}
STATUSES = {
    "active": {"actif", "active", "ouvert", "ouverte", "open", "en activite", "en service"},
    "temporarily_closed": {"ferme temporairement", "fermee temporairement",
                           "temporairement ferme", "temporairement fermee",
                           "fermeture temporaire", "temporarily closed", "closed temporarily"},
    "inactive": {"inactif", "inactive", "ferme", "fermee", "closed", "ferme definitivement",
                 "fermee definitivement", "defunct"},
    "do_not_refer": {"ne pas referer", "ne pas diriger", "ne plus referer", "do not refer",
                     "ne pas recommander"},
}
_STATUS_BY_KEY = {word: status for status, words in STATUSES.items() for word in words}
_POSTAL = re.compile(r"^([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z])\s*-?\s*(\d[ABCEGHJ-NPRSTV-Z]\d)$")
_EXTENSION = re.compile(r"(?:poste|post|p\.|ext\.?|extension|x|#)\s*(\d{1,6})\s*$", re.IGNORECASE)
_MONTHS = {"janvier": 1, "janv": 1, "jan": 1, "january": 1, "fevrier": 2, "fevr": 2, "fev": 2,
           "february": 2, "feb": 2, "mars": 3, "march": 3, "mar": 3, "avril": 4, "avr": 4,
           "april": 4, "apr": 4, "mai": 5, "may": 5, "juin": 6, "june": 6, "jun": 6,
           "juillet": 7, "juil": 7, "july": 7, "jul": 7, "aout": 8, "august": 8, "aug": 8,
           "septembre": 9, "sept": 9, "sep": 9, "september": 9, "octobre": 10, "oct": 10,
           "october": 10, "novembre": 11, "nov": 11, "november": 11, "decembre": 12,
           "dec": 12, "december": 12}


def free_of_charge(text: str) -> bool:
    words = key(text)
    if words in FREE:
        return True
    if words in NOT_FREE:
        return False
    raise Problem(f"« {first_line(text)} » : oui ou non attendu (yes or no expected)")


def wheelchair(text: str) -> tuple[str, str | None]:
    """`oui`, `partiel`, `non` (or English), optionally followed by details:
    `Oui, rampe à l'arrière` gives ('yes', "rampe à l'arrière")."""
    words = key(text)
    for value, choices in (("partial", PARTIAL), ("no", NOT_ACCESSIBLE), ("yes", ACCESSIBLE)):
        for choice in sorted(choices, key=len, reverse=True):
            if words == choice:  # remarks in brackets are details
                bracket = re.search(r"[(\[]([^)\]]*)[)\]]", text)
                return value, (bracket.group(1).strip() or None) if bracket else None
            if len(choice) > 1 and words.startswith(choice + " "):
                rest = text.split(None, len(choice.split()))[len(choice.split()):]
                details = rest[0].strip(" ,;:-–()") if rest else text
                return value, details or text
    raise Problem(f"« {first_line(text)} » : oui, partiel ou non attendu "
                  "(yes, partial or no expected)")


def status(text: str) -> str:
    found = _STATUS_BY_KEY.get(key(text))
    if not found:
        raise Problem(f"« {first_line(text)} » : statut inconnu; actif, fermé temporairement, "
                      "inactif ou ne pas référer (unknown status)")
    return found


def email(text: str) -> str:
    value = text.strip().removeprefix("mailto:").strip("<> ")
    try:
        return email_address.stored(value)
    except email_address.BadAddress as exc:
        raise Problem(f"« {first_line(text)} » : courriel invalide (invalid email)") from exc


def url(text: str) -> str:
    """A web address; `www.example.org` gets its `https://`."""
    value = text.strip().strip("<>")
    if not re.match(r"^[a-z][a-z0-9+.-]*://", value, re.IGNORECASE):
        value = "https://" + value
    parts = urlsplit(value)
    host = parts.hostname or ""
    if (parts.scheme.lower() not in ("http", "https") or " " in value or "." not in host
            or "@" in parts.netloc or not re.match(r"^[a-z0-9.-]+$", host)):
        raise Problem(f"« {first_line(text)} » : adresse web invalide (invalid URL)")
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/",
                       parts.query, parts.fragment))


def website_key(address: str) -> str:
    """Same site, however written: no scheme, no `www.`, no trailing slash."""
    parts = urlsplit(address)
    return ((parts.hostname or "").removeprefix("www.") + parts.path.rstrip("/")).lower()


def postal_code(text: str) -> str:
    match = _POSTAL.match(text.strip().upper())
    if not match:
        raise Problem(f"« {first_line(text)} » : code postal invalide, forme A1A 1A1 "
                      "(invalid postal code)")
    return f"{match.group(1)} {match.group(2)}"


def phone(text: str) -> tuple[str, str | None]:
    """`(418) 555-0123 poste 12` gives ('418-555-0123', '12'); toll-free keeps its 1."""
    extension = None
    value = text.strip()
    match = _EXTENSION.search(value)
    if match and len(re.sub(r"\D", "", value[: match.start()])) >= 10:
        extension, value = match.group(1), value[: match.start()]
    digits = re.sub(r"\D", "", value)
    if len(digits) == 11 and digits.startswith("1"):
        return f"1-{digits[1:4]}-{digits[4:7]}-{digits[7:]}", extension
    if len(digits) != 10:
        reason = "indicatif régional manquant" if len(digits) == 7 else "10 chiffres attendus"
        raise Problem(f"« {first_line(text)} » : numéro invalide, {reason} "
                      "(invalid phone number)")
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}", extension


def confirmed_on(text: str, today: date) -> date:
    """`2024-03-15`, `15/03/2024` (day first, as in Quebec), `15 mars 2024`, `mars 2024`,
    `March 15, 2024`, or a spreadsheet date. Not in the future, not before 2000."""
    found = _parse_date(text)
    if found is None:
        raise Problem(f"« {first_line(text)} » : date illisible, AAAA-MM-JJ attendu "
                      "(unreadable date, YYYY-MM-DD expected)")
    if found > today:
        raise Problem(f"« {first_line(text)} » : date dans le futur (date in the future)")
    if found.year < 2000:
        raise Problem(f"« {first_line(text)} » : date avant 2000 (date before 2000)")
    return found


def _parse_date(text: str) -> date | None:
    value = text.strip()
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        pass
    if re.fullmatch(r"\d{5}(\.0+)?", value):  # a spreadsheet serial number
        return date(1899, 12, 30) + timedelta(days=int(float(value)))
    numbers = re.fullmatch(r"(\d{1,4})[/.-](\d{1,2})[/.-](\d{1,4})", value)
    if numbers:
        first, second, third = (int(part) for part in numbers.groups())
        if first > 31:
            year, month, day = first, second, third
        elif second > 12:  # written month first (US style)
            year, month, day = third, first, second
        else:
            year, month, day = third, second, first
        return _date(year, month, day)
    words = key(value).split()
    months = [_MONTHS[word] for word in words if word in _MONTHS]
    numbers_ = [int(word) for word in words if word.isdigit()]
    years = [number for number in numbers_ if number > 1900]
    days = [number for number in numbers_ if number <= 31]
    if len(months) == 1 and len(years) == 1 and len(days) <= 1:
        return _date(years[0], months[0], days[0] if days else 1)
    return None


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
