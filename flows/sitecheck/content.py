"""Change detection that does not cry wolf: normalize a page's lines, fingerprint them,
and describe a change as lines added and removed, noting hours, address or services.

Normalized away: dates and timestamps (any form, French, English, Spanish), clock times
with seconds, "x minutes ago", counters (views, visitors, comments, shares), copyright
years, tokens (hex, UUIDs, long random strings, `csrf=…`), and whitespace. Opening hours
such as `8 h 30` or `9:00` are kept: they are what a listing is checked for. The price:
a change that only moves a date is not reported (a deadline that moves usually changes
words around it too).
"""
from __future__ import annotations

import csv
import difflib
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

from flows.settings import REPO_ROOT

MONTHS = ("janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|"
          "novembre|décembre|decembre|janv|févr|fevr|avr|juil|sept|déc|"
          "january|february|march|april|may|june|july|august|september|october|november|"
          "december|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec|"
          "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|"
          "noviembre|diciembre")
DAY_NAMES = ("lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|"
             "thursday|friday|saturday|sunday|lunes|martes|miercoles|jueves|viernes|sabado|"
             "domingo")
DAYS = DAY_NAMES + "|miércoles|sábado|mon|tue|wed|thu|fri|sat|sun|lun|mar|mer|jeu|ven|sam|dim"
UNITS = ("secondes?|minutes?|heures?|jours?|semaines?|mois|ans?|seconds?|hours?|days?|"
         "weeks?|months?|years?|mins?|segundos?|minutos?|horas?|días?|dias?|semanas?|"
         "meses|mes|años?")
COUNTED = ("vues?|views?|visites?|visits?|visiteurs?|visitors?|commentaires?|comments?|"
           "likes?|j'aime|partages?|shares?|abonnés?|followers?|lectures?|reads?|vistas?|"
           "visitas?|comentarios?|personnes? en ligne|people online|clics?|clicks?|hits?")
_I = re.IGNORECASE
WORD = r"[^\W\d_]"  # a letter, accented or not
MONTH_HINTS = ("jan", "fév", "fev", "feb", "mar", "avr", "apr", "abr", "mai", "may", "mayo",
               "juin", "jun", "juil", "jul", "aoû", "aou", "aug", "ago", "sep", "set", "oct",
               "nov", "déc", "dec", "dic", "ene")
COUNTER_HINTS = ("vue", "view", "visit", "comment", "like", "aime", "partage", "share", "abonn",
                 "follow", "lecture", "read", "vista", "clic", "click", "hit", "ligne", "online")


GATES = {  # name → cheap test on (line, lowercased line)
    "colon": lambda line, low: ":" in line,
    "month": lambda line, low: _MONTH_HINT.search(low) is not None,
    "separator": lambda line, low: "/" in line or "-" in line or "." in line,
    "seconds": lambda line, low: line.count(":") >= 2,
    "date": lambda line, low: "‹date›" in line,
    "ago": lambda line, low: "il y a" in low or "hace" in low or "ago" in low,
    "counter": lambda line, low: _COUNTER_HINT.search(low) is not None,
    "copyright": lambda line, low: "©" in line or "(c)" in low or "copyright" in low,
    "csrf": lambda line, low: "csrf" in low or "xsrf" in low or "nonce" in low,
    "equals": lambda line, low: "=" in line,
    # a run of 16 characters without a space; str.split is faster than r"\S{16}"
    "long_word": lambda line, low: max(map(len, line.split()), default=0) >= 16,
}
_MONTH_HINT = re.compile("|".join(MONTH_HINTS))
_COUNTER_HINT = re.compile("|".join(COUNTER_HINTS))


# (gate, pattern, replacement), in this order on each line. The cheap test first:
# most lines of prose skip most patterns, and the long alternations run only where they
# may match (about 10x faster than every pattern on every line).
RULES = [
    ("colon", re.compile(r"\d{4}-\d{2}-\d{2}[t ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?"
                            r"(z|[+-]\d{2}:?\d{2})?", _I), "‹date›"),
    # "3 mars 2025", "1er janvier"
    ("month", re.compile(rf"\b\d{{1,2}}(er|st|nd|rd|th)?\s+(de\s+)?({MONTHS})\.?"
                                    rf"(\s+(de\s+)?\d{{4}})?\b", _I), "‹date›"),
    # "March 3, 2025"; not "mar 13 h" (mardi, 13 h): hours are kept
    ("month", re.compile(rf"\b(?={WORD}{{3,9}}\.?\s+\d)({MONTHS})\.?\s+\d{{1,2}}"
                                    rf"(st|nd|rd|th)?(,?\s+\d{{4}})?\b(?!\s*(h\b|:|-|–|à))", _I),
     "‹date›"),
    ("month", re.compile(rf"\b(?={WORD}{{3,9}}\.?\s+(de\s+)?\d{{4}})({MONTHS})\.?"
                                    rf"\s+(de\s+)?\d{{4}}\b", _I), "‹date›"),
    ("separator", re.compile(r"\b\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b|"
                                     r"\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b"), "‹date›"),
    ("seconds",
     re.compile(r"\b\d{1,2}:\d{2}:\d{2}(\.\d+)?(\s*(am|pm|utc|gmt|[ap]\.m\.))?", _I), "‹time›"),
    ("date", re.compile(r"‹date›[,\s]*(à|at|a las|@|-)?\s*\d{1,2}\s*(h|:)\s*\d{0,2}"
                                r"(\s*(am|pm))?", _I), "‹date›"),
    ("date", re.compile(rf"(?<!\w)({DAYS})\.?,?\s+‹date›", _I), "‹date›"),
    ("ago", re.compile(
        rf"\b(il y a|hace)\s+\d+\s+({UNITS})\b|\b\d+\s+({UNITS})\s+ago\b", _I), "‹ago›"),
    ("counter", re.compile(rf"\b\d[\d\s,.]*\s*({COUNTED})\b", _I), "‹n› \\1"),
    ("counter", re.compile(rf"\b({COUNTED})\s*:?\s*\d[\d\s,.]*", _I), "\\1 ‹n›"),
    ("copyright", re.compile(r"(©|\(c\)|copyright)\s*\d{4}(\s*[-–]\s*\d{4})?",
                                               _I), "© ‹year›"),
]
TOKEN_RULES = [  # also on lines without digits
    ("csrf", re.compile(r"\b(csrf|xsrf|nonce)[\w-]*\s*[=:]\s*\S+", _I),
     "\\1=‹token›"),
    ("equals", re.compile(r"\b(token|session|sessionid|sid|jsessionid|phpsessid)[\w-]*=\S+",
                           _I), "\\1=‹token›"),
    ("long_word", re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b",
                            _I), "‹token›"),
    ("long_word", re.compile(r"\b[0-9a-f]{16,}\b", _I), "‹token›"),
    # random strings: digits, lower and upper case mixed (words with hyphens are not)
    ("long_word", re.compile(r"[A-Za-z0-9_\-+/]{20,}={0,2}"),
     lambda found: "‹token›" if _random(found.group()) else found.group()),
]
_DIGIT = re.compile(r"\d")


def _random(text: str) -> bool:
    return any(c.isdigit() for c in text) and any(c.islower() for c in text) \
        and any(c.isupper() for c in text)


def normalize(lines: list[str], title: str = "") -> list[str]:
    lines = [title, *lines] if title else lines
    # The token rules apply to every line; their gates are tested once on the whole text
    # first, so that a page with no `=`, no "csrf" and no 16-character word (most pages'
    # prose) runs no rule at all on its lines without digits.
    whole = "\n".join(lines)
    whole_low = whole.lower()
    tokens = [rule for rule in TOKEN_RULES if GATES[rule[0]](whole, whole_low)]
    with_digits = RULES + tokens
    out = []
    for line in lines:
        rules = with_digits if _DIGIT.search(line) else tokens
        if rules:
            low, known = line.lower(), {}
            for gate, pattern, replacement in rules:
                if gate not in known:
                    known[gate] = GATES[gate](line, low)
                if known[gate]:
                    line = pattern.sub(replacement, line)
        line = " ".join(line.split())
        if line:
            out.append(line)
    return out


# Changing RULES changes fingerprints: bump this, and the next check of each page takes the
# new fingerprint as its baseline instead of calling every page `changed`.
RULES_VERSION = "n1"


def fingerprint(lines: list[str] | None = None, raw: bytes | None = None) -> str:
    digest = hashlib.sha256()
    digest.update(("\n".join(lines)).encode("utf-8") if lines is not None else raw or b"")
    return f"{RULES_VERSION}:{digest.hexdigest()[:32]}"


def comparable(before: str | None, after: str | None) -> bool:
    """Both fingerprints exist and were made by the same rules."""
    return bool(before and after) and before.split(":")[0] == after.split(":")[0]


def plain(text: str) -> str:
    """Lower case, accents dropped, for matching words (letters beyond ASCII go too)."""
    return unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode()


@cache
def _service_words() -> re.Pattern:
    """Service names from the directory's vocabulary (labels and aliases), French and English."""
    words = {"service", "services", "servicio", "servicios", "programme", "program",
             "atelier", "ateliers", "workshop", "clinique", "clinic", "cours", "classes"}
    with (REPO_ROOT / "dbt_project" / "seeds" / "ref_directory_services.csv").open(
            encoding="utf-8") as file:
        for row in csv.DictReader(file):
            words |= {plain(row["label_fr"]), plain(row["label_en"])}
            words |= {plain(alias) for alias in row["aliases"].split("|") if alias}
    return re.compile(r"\b(" + "|".join(sorted(map(re.escape, words), key=len, reverse=True))
                      + r")\b")


TOUCHES = {
    "hours": re.compile(rf"\b\d{{1,2}}\s*(h|:)\s*\d{{0,2}}\b|\b\d{{1,2}}\s*(am|pm)\b|horaire|"
                        rf"heures d'ouverture|\bhours\b|opening|\bouvert|\bferme|\bclosed\b|"
                        rf"\bopen\b|horario|\b({DAY_NAMES})\b"),
    "address": re.compile(r"\b[abceghj-nprstvxy]\d[abceghj-nprstv-z]\s?\d[abceghj-nprstv-z]\d\b|"
                          r"\b(rue|avenue|av\.|boulevard|boul\.|chemin|ch\.|route|rang|street|"
                          r"st\.|road|rd\.|suite|bureau|adresse|address|direccion|calle)\b"),
}


@dataclass
class Diff:
    added: int = 0
    removed: int = 0
    touches: list[str] = field(default_factory=list)
    summary: str = ""


def diff(before: list[str], after: list[str], samples: int = 3) -> Diff:
    """Lines added and removed (a few of each quoted) and what they touch."""
    added, removed = [], []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            removed += before[i1:i2]
        if tag in ("replace", "insert"):
            added += after[j1:j2]
    changed = [plain(line) for line in added + removed]
    touches = [name for name, pattern in TOUCHES.items()
               if any(pattern.search(line) for line in changed)]
    if any(_service_words().search(line) for line in changed):
        touches.append("services")
    quoted = [f"+ {line[:120]}" for line in added[:samples]] + \
             [f"- {line[:120]}" for line in removed[:samples]]
    summary = "\n".join([f"+{len(added)} -{len(removed)} lines", *quoted])
    return Diff(len(added), len(removed), touches, summary)
