"""A context file's cells: CSV decoded line by line, XLSX through calamine (flows/lmia/read.py).

ESDC's table 10 mixes encodings in one file (its Canada section is UTF-8, the rest and the
notes Windows-1252): the LMIA lists' decoder (flows/lmia/decode.py) reads it line by line
and counts what it repaired, which goes into the load report.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from ..errors import BadFileError
from ..lmia.decode import decode
from ..lmia.read import read_sheets, sniff
from ..lmia.text import clean_cell

Rows = list[list[str]]


def read_rows(path: Path, name: str, repairs: dict) -> Rows:
    """The first sheet (or the CSV) as rows of cleaned text cells."""
    with path.open("rb") as handle:
        kind = sniff(handle.read(512))
    if kind == "text":
        rows = _csv_rows(path.read_bytes(), name, repairs)
    else:  # the LMIA reader names what is wrong (empty, HTML page, encrypted, corrupt)
        sheet = next(iter(read_sheets(path, name)), None)
        if sheet is None:
            raise BadFileError(name, "a workbook without sheets")
        rows = sheet[1]
    return [[clean_cell(cell) for cell in row] for row in rows]


def _csv_rows(data: bytes, name: str, repairs: dict) -> list[list[str]]:
    if b"\x00" in data[:4096]:
        raise BadFileError(name, "binary content in a CSV file")
    # The LMIA lists' decoder: UTF-8, else line by line (WHATWG Windows-1252, mojibake).
    decoded = decode(data)
    for kind, count in decoded.repairs.items():
        repairs[kind] = repairs.get(kind, 0) + count
    if decoded.encoding != "utf-8":  # ESDC's own tables: Windows-1252, or lines of both
        repairs[f"decoded line by line ({decoded.encoding})"] = 1
    reader = csv.reader(io.StringIO(decoded.text), strict=True)
    try:
        return list(reader)
    except csv.Error as exc:
        raise BadFileError(name, f"malformed CSV near line {reader.line_num}: {exc}") from exc
