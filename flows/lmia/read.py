"""Read a downloaded file into rows of cells, whatever it really is.

Files arrive misnamed: an HTML error page saved as `.csv`, an XLSX served as CSV, an
encrypted workbook (an OLE container, not a zip). The first bytes say what a file is,
so we look at them before trusting the extension.
"""
from __future__ import annotations

import csv
import zipfile
from collections.abc import Iterator
from pathlib import Path

from .. import spreadsheet_limits
from ..errors import BadFileError
from . import grid
from .decode import Decoded
from .decode import decode as decode_bytes

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"

Sheet = tuple[str | None, "list[list[object]] | grid.Grid", Decoded | None]
DELIMITERS = (",", ";", "\t", "|")
# A quoted cell longer than this many lines is an unbalanced quote, not a cell: the title
# cell of an in2csv re-export whose first line was cut leaves a dangling `",,,,,`.
MAX_LINES_IN_CELL = 12


def sniff(head: bytes) -> str:
    """'xlsx', 'ole', 'html', 'empty' or 'text' from a file's first bytes."""
    if not head.strip():
        return "empty"
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if head.startswith(OLE_MAGIC):
        return "ole"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body")):
        return "html"
    return "text"


def decode(data: bytes) -> str:
    """UTF-8 when it is valid UTF-8, else Windows-1252 (WHATWG), repaired (decode.py); control
    characters left for the caller, which cleans and counts them per cell (the directory)."""
    return decode_bytes(data, strip_controls=False).text


def read_sheets(path: Path, name: str) -> Iterator[Sheet]:
    with path.open("rb") as handle:
        head = handle.read(512)
    kind = sniff(head)
    if kind == "empty":
        raise BadFileError(name, "fichier vide / empty file")
    if kind == "html":
        raise BadFileError(name, "une page HTML, pas un fichier de données (une page d'erreur "
                                 "enregistrée comme fichier ?) / an HTML page, not a data file "
                                 "(an error page saved as a file?)")
    if kind == "ole":
        raise BadFileError(name, "un classeur chiffré ou un ancien .xls (conteneur OLE) : "
                                 "l'enregistrer en .xlsx non chiffré / an encrypted workbook "
                                 "or a legacy .xls (OLE container); save it as an unencrypted "
                                 ".xlsx")
    if kind == "xlsx":
        yield from _read_xlsx(path, name)
    else:
        yield _read_csv(path, name)


def _read_xlsx(path: Path, name: str) -> Iterator[Sheet]:
    # python-calamine (Rust) reads a sheet 10-50x faster than openpyxl's row loop.
    from python_calamine import CalamineError, CalamineWorkbook

    spreadsheet_limits.check_xlsx(path, name)  # before calamine: it trusts the sheet's extent
    if not zipfile.is_zipfile(path):
        raise BadFileError(name, "XLSX corrompu ou tronqué (archive zip incomplète) / corrupt "
                                 "or truncated XLSX (not a complete zip archive)")
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        names = list(workbook.sheet_names)
    except (CalamineError, zipfile.BadZipFile, OSError, ValueError) as exc:
        raise BadFileError(name, f"XLSX corrompu / corrupt XLSX: {_one_line(exc)}") from exc
    for sheet_name in names:
        try:
            rows = workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
        except Exception as exc:  # calamine raises several types for broken sheets
            raise BadFileError(name, f"feuille « {sheet_name} » illisible / sheet "
                                     f"{sheet_name!r} cannot be read: {_one_line(exc)}") from exc
        yield sheet_name, grid.from_rows(rows) or rows, None  # whole columns when it can


def _read_csv(path: Path, name: str) -> Sheet:
    spreadsheet_limits.check_csv(path, name)  # size, NUL bytes anywhere, lines, cells
    data = path.read_bytes()
    decoded = decode_bytes(data)
    text = decoded.text
    delimiter = sniff_delimiter(text)
    if delimiter != ",":
        decoded.note("column separator not a comma", _DELIMITER_NAMES[delimiter])
    table = grid.read(text, delimiter, MAX_LINES_IN_CELL)  # whole columns, when it reads the same
    if table is not None:
        return None, table, decoded
    rows: list[list[object]] = list(csv.reader(_logical_lines(text, decoded),
                                               delimiter=delimiter))
    if rows and not text.endswith("\n"):
        rows[-1] = _Incomplete(rows[-1])
    return None, rows, decoded


_DELIMITER_NAMES = {";": "semicolon", "\t": "tab", "|": "vertical bar"}


def sniff_delimiter(text: str) -> str:
    """The separator that gives the first lines the most columns, consistently."""
    head = text[:20000].split("\n")[:40]
    best, best_score = ",", 0
    for delimiter in DELIMITERS:
        widths = [len(row) for row in csv.reader(head, delimiter=delimiter) if any(row)]
        if not widths:
            continue
        common = max(set(widths), key=widths.count)
        score = widths.count(common) * (common - 1)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _logical_lines(text: str, decoded: Decoded) -> list[str]:
    """Physical lines joined where a quoted cell spans lines (French headers, footnotes), at
    most MAX_LINES_IN_CELL of them: a line whose quote never closes within that is read
    alone, its quotes dropped (an in2csv title cut in half leaves `",,,,,`)."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    logical: list[str] = []
    index, count = 0, len(lines)
    while index < count:
        line = lines[index]
        if '"' not in line or not line.count('"') % 2:
            logical.append(line)
            index += 1
            continue
        end, chunk = index, line
        while chunk.count('"') % 2 and end + 1 < count and end - index < MAX_LINES_IN_CELL:
            end += 1
            chunk += "\n" + lines[end]
        if chunk.count('"') % 2:
            decoded.note("unbalanced quote dropped", f"line {index + 1}: {line[:80]}")
            logical.append(line.replace('"', ""))
            index += 1
        else:
            logical.append(chunk)
            index = end + 1
    return logical


class _Incomplete(list):
    """The file's last line, which ends without a line break: a cut-off download."""


def is_incomplete(row: list[object]) -> bool:
    return isinstance(row, _Incomplete)


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__
