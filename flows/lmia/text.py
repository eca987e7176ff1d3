"""Small text helpers shared by header matching, province names and postal codes."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")


def clean_cell(value: object) -> str:
    """A cell as text: no-break spaces become spaces, runs of spaces collapse, ends trimmed.

    Spreadsheets give floats for whole numbers (3.0); write them back as 3 so codes
    and counts read the same whatever the file format.
    """
    if value.__class__ is str:
        # str.split() also splits on no-break spaces; this runs for every cell of every file.
        return " ".join(value.split())
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return " ".join(str(value).split())


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case, accents removed, punctuation spacing collapsed: the key for aliases."""
    if text.isascii():
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text)
    without_accents = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    lowered = without_accents.lower().replace("’", "'")
    return _SPACES.sub(" ", lowered).strip()


# The first letter names a province (never D, F, I, O, Q, U, W, Z); later letters are
# left loose because the files hold typos (`T9I 3Z7`) that still name a real area.
_POSTAL = re.compile(
    r"(?<![A-Z0-9])([ABCEGHJ-NPRSTVXY]\d[A-Z])(?:\s*(\d(?:[A-Z]\d?)?))?(?![A-Z0-9])"
)


@lru_cache(maxsize=65536)
def extract_postal_code(address: str) -> str | None:
    """Last Canadian postal code in an address, as much of it as is there.

    `H2X 1Y4` stays whole, `H2X1Y4` gets its space, `H3G  1T` (truncated at the source)
    keeps `H3G 1T`; at least the forward sortation area (`H3G`) when that is all there is.
    """
    matches = list(_POSTAL.finditer(address.upper()))
    if not matches:
        return None
    fsa, ldu = matches[-1].groups()
    return f"{fsa} {ldu}" if ldu else fsa
