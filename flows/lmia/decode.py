"""Bytes of a CSV into text, line by line, repairing what is unambiguous and counting it.

Real LMIA files mix encodings: UTF-8 re-exports, Windows-1252 originals whose bytes Python's
`cp1252` codec refuses (it leaves 0x81, 0x8D, 0x8F, 0x90 and 0x9D undefined; the WHATWG
windows-1252 that browsers and Excel use maps them), a few employer names typed in DOS code
page 850 inside a Windows-1252 file (`QU\\x90BEC`, `Qu\\x82bec`), UTF-16 from "Unicode text"
exports, and UTF-8 read once as Windows-1252 and saved again (`QuÃ©bec`). ftfy (maintained,
docs/architecture.md) supplies the WHATWG codec and the mojibake repair; the code page 850
rule is ours because no library guesses a second code page inside one line.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import ftfy
import ftfy.bad_codecs

# Bytes that are letters in code page 850 but punctuation, symbols or nothing in
# Windows-1252. Left out: 0x91/0x92 (‘ ’, real apostrophes inside names) and 0x96/0x97
# (– —, dashes between words).
_CP850_LETTERS = {byte for byte in range(0x80, 0xA0)
                  if bytes([byte]).decode("cp850").isalpha()} - {0x91, 0x92, 0x96, 0x97}
_CP1252_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}
_ASCII_LETTER = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_HIGH_C1 = re.compile(rb"[\x80-\x9f]")
# UTF-8 text decoded as Windows-1252 once: "Ã©" for "é", "ÃŽ" for "Î", "â€™" for "’": a lead
# byte's letter followed by what a continuation byte (0x80-0xBF) becomes in Windows-1252.
_CONTINUATION_CHARS = frozenset(bytes(range(0x80, 0xC0)).decode("sloppy-windows-1252"))
_MOJIBAKE = re.compile(f"[ÃÂÅÄ][{re.escape(''.join(sorted(_CONTINUATION_CHARS)))}]|â€")
_MOJIBAKE_LEADS = ("Ã", "Â", "Å", "Ä")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NOT_CONTROL_BYTES = bytes(byte for byte in range(256)
                           if not _CONTROL.match(chr(byte)) or byte >= 0x80)
EXAMPLES = 2


@dataclass
class Decoded:
    text: str
    encoding: str
    repairs: Counter = field(default_factory=Counter)
    examples: dict = field(default_factory=dict)

    def note(self, kind: str, example: str) -> None:
        self.repairs[kind] += 1
        shown = self.examples.setdefault(kind, [])
        if len(shown) < EXAMPLES:
            shown.append(example[:120])


def decode(data: bytes, strip_controls: bool = True) -> Decoded:
    """The whole file as text with `\\n` line ends, and what had to be repaired. Control
    characters are stripped and counted unless the caller counts them per cell itself."""
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff")) or looks_utf16(data)
    if utf16:
        decoded = Decoded(_utf16(data), "utf-16")
    else:
        # On the bytes, in one pass (notes strip the \r anyway): the same as the text's
        # replaces below while no three \r are in a row.
        if b"\r\n" in data and b"\r\r\r" not in data:
            data = _without_cr_before_lf(data)
        try:
            decoded = Decoded(data.decode("utf-8-sig"), "utf-8")
        except UnicodeDecodeError:
            decoded = _line_by_line(data)
    if "\r" in decoded.text:
        decoded.text = decoded.text.replace("\r\r\n", "\n").replace("\r\n", "\n") \
            .replace("\r", "\n")
    if _has_mojibake(decoded.text):
        decoded.text = _fix_mojibake(decoded.text, decoded)
    # A control character in UTF-8 or Windows-1252 text is its own byte, and no repair above
    # makes one: bytes without any need no search of the text (0.3 s of the history's).
    may_have = utf16 or bool(data.translate(None, _NOT_CONTROL_BYTES))
    controls = _CONTROL.findall(decoded.text) if strip_controls and may_have else ()
    if controls:  # NUL and other C0 controls never belong in a name or an address
        kind = "control character removed"
        decoded.repairs[kind] += len(controls)
        decoded.examples[kind] = [repr(char) for char in controls[:EXAMPLES]]
        decoded.text = _CONTROL.sub("", decoded.text)
    return decoded


def _without_cr_before_lf(data: bytes) -> bytes:
    """`\\r\\r\\n` and `\\r\\n` made `\\n`, as the text's replaces below would: one numpy pass,
    where bytes.replace took one per pattern and allocated for each of a million lines."""
    import numpy as np

    raw = np.frombuffer(data, dtype=np.uint8)
    cr = raw == 13
    drop = np.zeros(len(raw), dtype=bool)
    drop[:-1] = cr[:-1] & (raw[1:] == 10)           # the \r of \r\n
    drop[:-2] |= cr[:-2] & drop[1:-1]               # the first \r of \r\r\n
    return raw[~drop].tobytes()


def _has_mojibake(text: str) -> bool:
    """_MOJIBAKE.search(text) is not None, by substring search: on a 3 MB file the regex
    takes 28 ms to find nothing (0.67 s on the history), this 4 ms. French files have a few
    real `Â` (`CÂBLES`), each looked at once."""
    for lead in _MOJIBAKE_LEADS:
        index = text.find(lead)
        while index >= 0:
            if text[index + 1:index + 2] in _CONTINUATION_CHARS:
                return True
            index = text.find(lead, index + 1)
    return "â€" in text


def looks_utf16(data: bytes) -> bool:
    """UTF-16 without a byte order mark: NULs on one side of most characters, not both."""
    head = data[:2000]
    half = len(head) / 2
    even, odd = head[0::2].count(0), head[1::2].count(0)
    return len(head) >= 20 and max(even, odd) > 0.4 * half and min(even, odd) < 0.05 * half


def _utf16(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    little = data[1::2].count(0) >= data[0::2].count(0)
    return data.decode("utf-16-le" if little else "utf-16-be", errors="replace")


# Bytes that need a look: Windows-1252's 0x80-0x9F (code page 850 letters, undefined bytes)
# and what may be a UTF-8 sequence. Lines without any are decoded in one call.
_NEEDS_A_LOOK = re.compile(rb"[\x80-\x9f]|[\xc2-\xf4][\x80-\xbf]")


def _line_by_line(data: bytes) -> Decoded:
    """Windows-1252 (WHATWG) for most lines; a line that is valid UTF-8 stays UTF-8; code
    page 850 letters inside words are read as code page 850."""
    decoded = Decoded("", "windows-1252")
    out = []
    done = 0
    for match in _NEEDS_A_LOOK.finditer(data):
        if match.start() < done:
            continue
        start = data.rfind(b"\n", 0, match.start()) + 1
        end = data.find(b"\n", match.end())
        end = len(data) if end < 0 else end
        out.append(data[done:start].decode("sloppy-windows-1252"))
        out.append(_one_line(data[start:end], decoded))
        done = end
    out.append(data[done:].decode("sloppy-windows-1252"))
    decoded.text = "".join(out)
    return decoded


def _one_line(line: bytes, decoded: Decoded) -> str:
    try:
        text = line.decode("utf-8")
        decoded.note("UTF-8 line in a Windows-1252 file", text.strip())
        return text
    except UnicodeDecodeError:
        pass
    if _HIGH_C1.search(line):
        return _cp1252_with_cp850(line, decoded)
    return line.decode("sloppy-windows-1252")


def _cp1252_with_cp850(line: bytes, decoded: Decoded) -> str:
    parts = []
    last = 0
    for match in _HIGH_C1.finditer(line):
        index = match.start()
        byte = line[index]
        before = line[index - 1] if index else 0
        after = line[index + 1] if index + 1 < len(line) else 0
        between_letters = before in _ASCII_LETTER and after in _ASCII_LETTER
        near_letter = before in _ASCII_LETTER or after in _ASCII_LETTER
        if byte in _CP850_LETTERS and (between_letters
                                       or (byte in _CP1252_UNDEFINED and near_letter)):
            replacement = bytes([byte]).decode("cp850")
            kind = "DOS code page 850 letter"
        elif byte in _CP1252_UNDEFINED:
            replacement, kind = "", "stray byte removed"
        else:
            continue
        parts.append(line[last:index].decode("sloppy-windows-1252"))
        parts.append(replacement)
        last = index + 1
        word = line[max(0, index - 12):index + 12].decode("sloppy-windows-1252", "replace")
        decoded.note(kind, f"{word.strip()} → byte 0x{byte:02X} read as {replacement!r}")
    parts.append(line[last:].decode("sloppy-windows-1252"))
    return "".join(parts)


def _fix_mojibake(text: str, decoded: Decoded) -> str:
    # One scan of the whole text finds the lines to repair: a search line by line cost
    # 0.15 s per 3 MB file (profiled on the history), most of it on lines with nothing.
    parts, done = [], 0
    for match in _MOJIBAKE.finditer(text):
        if match.start() < done:
            continue
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.end())
        end = len(text) if end < 0 else end
        line = text[start:end]
        fixed = ftfy.fix_encoding(line)
        if _MOJIBAKE.search(fixed):  # ftfy leaves what it finds plausible (`ÃŽles`)
            fixed = _WORD.sub(_undo_once, fixed)
        if fixed != line:
            decoded.note("UTF-8 read as Windows-1252 (mojibake)", _first_difference(line, fixed))
        parts += [text[done:start], fixed]
        done = end
    parts.append(text[done:])
    return "".join(parts)


_WORD = re.compile(r"[^\s,;\"]+")


def _undo_once(match: re.Match) -> str:
    """A word that is UTF-8 bytes shown as Windows-1252: its bytes read as UTF-8 again."""
    word = match.group()
    if not _MOJIBAKE.search(word):
        return word
    try:
        return word.encode("sloppy-windows-1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return word


def _first_difference(before: str, after: str) -> str:
    index = next((i for i, (a, b) in enumerate(zip(before, after)) if a != b), 0)
    return f"{before[max(0, index - 10):index + 12]} → {after[max(0, index - 10):index + 10]}"
