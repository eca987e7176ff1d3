"""Read a downloaded file into rows of cells, whatever it really is.

Files arrive misnamed: an HTML error page saved as `.csv`, an XLSX served as CSV, an
encrypted workbook (an OLE container, not a zip). The first bytes say what a file is,
so we look at them before trusting the extension.
"""
from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

from .. import spreadsheet_limits
from ..errors import BadFileError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"

Sheet = tuple[str | None, list[list[object]]]


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
    """UTF-8 when it is valid UTF-8, else Windows-1252 (the CSVs up to 2020)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="strict")


def read_sheets(path: Path, name: str) -> Iterator[Sheet]:
    with path.open("rb") as handle:
        head = handle.read(512)
    kind = sniff(head)
    if kind == "empty":
        raise BadFileError(name, "empty file")
    if kind == "html":
        raise BadFileError(name, "an HTML page, not a data file (an error page saved as a file?)")
    if kind == "ole":
        raise BadFileError(name, "an encrypted workbook or a legacy .xls (OLE container); "
                                 "save it as an unencrypted .xlsx")
    if kind == "xlsx":
        yield from _read_xlsx(path, name)
    else:
        yield _read_csv(path, name)


def _read_xlsx(path: Path, name: str) -> Iterator[Sheet]:
    # python-calamine (Rust) reads a sheet 10-50x faster than openpyxl's row loop.
    from python_calamine import CalamineError, CalamineWorkbook

    spreadsheet_limits.check_xlsx(path, name)  # before calamine: it trusts the sheet's extent
    if not zipfile.is_zipfile(path):
        raise BadFileError(name, "corrupt or truncated XLSX (not a complete zip archive)")
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        names = list(workbook.sheet_names)
    except (CalamineError, zipfile.BadZipFile, OSError, ValueError) as exc:
        raise BadFileError(name, f"corrupt XLSX: {_one_line(exc)}") from exc
    for sheet_name in names:
        try:
            rows = workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
        except Exception as exc:  # calamine raises several types for broken sheets
            raise BadFileError(name, f"sheet {sheet_name!r} cannot be read: {_one_line(exc)}") from exc
        yield sheet_name, rows


def _read_csv(path: Path, name: str) -> Sheet:
    spreadsheet_limits.check_csv(path, name)  # size, NUL bytes anywhere, lines, cells
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise BadFileError(name, "binary content in a CSV file")
    try:
        text = decode(data)
    except UnicodeDecodeError as exc:
        raise BadFileError(name, f"neither UTF-8 nor Windows-1252 text: {exc.reason} "
                                 f"at byte {exc.start}") from exc
    # Files up to 2020 end lines with \r\r\n; quoted cells hold \r\n too.
    text = text.replace("\r\r\n", "\n").replace("\r\n", "\n").replace("\r", "\n")
    reader = csv.reader(io.StringIO(text), strict=True)
    try:
        rows: list[list[object]] = list(reader)
    except csv.Error as exc:
        raise BadFileError(name, f"malformed CSV near line {reader.line_num}: {exc} "
                                 f"(truncated file?)") from exc
    if rows and not text.endswith("\n"):
        rows[-1] = _Incomplete(rows[-1])
    return None, rows


class _Incomplete(list):
    """The file's last line, which ends without a line break: a cut-off download."""


def is_incomplete(row: list[object]) -> bool:
    return isinstance(row, _Incomplete)


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__
