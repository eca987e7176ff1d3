"""Read the directory spreadsheet, CSV or XLSX, into rows of cells with its header found.

CSV files saved by a French-language Excel use semicolons; the delimiter is the one that
gives the most recognized headers. What a file really is comes from its first bytes.
"""
from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .. import spreadsheet_limits
from ..errors import BadFileError
from ..lmia.read import decode, sniff
from .headers import Columns, find_columns

DELIMITERS = (",", ";", "\t")


@dataclass
class Sheet:
    name: str | None
    rows: list[list[object]]
    columns: Columns


def read_sheet(path: Path, name: str) -> Sheet:
    spreadsheet_limits.check_size(path, name)
    with path.open("rb") as handle:
        kind = sniff(handle.read(512))
    if kind == "empty":
        raise BadFileError(name, "fichier vide (empty file)")
    if kind == "html":
        raise BadFileError(name, "une page HTML, pas un tableur (an HTML page, not a spreadsheet)")
    if kind == "ole":
        raise BadFileError(name, "classeur chiffré ou .xls ancien : enregistrez-le en .xlsx "
                                 "(encrypted workbook or legacy .xls; save it as .xlsx)")
    if kind != "xlsx" and Path(name).suffix.lower() in (".xlsx", ".xlsm"):
        raise BadFileError(name, "nommé .xlsx mais ce n'est pas un classeur (du texte) : "
                                 "enregistrez-le en .xlsx ou renommez-le .csv (named .xlsx "
                                 "but not a spreadsheet (text): save it as .xlsx or rename "
                                 "it .csv)")
    return _read_xlsx(path, name) if kind == "xlsx" else _read_csv(path, name)


def _read_csv(path: Path, name: str) -> Sheet:
    spreadsheet_limits.check_csv(path, name)  # a NUL byte anywhere refuses the file
    data = path.read_bytes()
    try:
        text = decode(data)
    except UnicodeDecodeError as exc:
        raise BadFileError(name, f"ni UTF-8 ni Windows-1252 (neither UTF-8 nor Windows-1252) "
                                 f"at byte {exc.start}") from exc
    best: Sheet | None = None
    first_error: BadFileError | None = None
    for delimiter in DELIMITERS:
        try:
            rows: list[list[object]] = list(csv.reader(io.StringIO(text, newline=""),
                                                       delimiter=delimiter, strict=True))
            columns = find_columns(rows, name)
        except csv.Error as exc:
            first_error = first_error or BadFileError(name, f"CSV mal formé (malformed CSV): {exc}")
            continue
        except BadFileError as exc:
            first_error = first_error or exc
            continue
        if best is None or len(columns.fields) > len(best.columns.fields):
            best = Sheet(None, rows, columns)
    if best is None:
        raise first_error or BadFileError(name, "aucun en-tête reconnu (no header found)")
    return best


def _read_xlsx(path: Path, name: str) -> Sheet:
    from python_calamine import CalamineError, CalamineWorkbook

    if not zipfile.is_zipfile(path):
        raise BadFileError(name, "XLSX corrompu ou tronqué (corrupt or truncated XLSX)")
    spreadsheet_limits.check_xlsx(path, name)  # before calamine: it trusts the sheet's extent
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet_names = list(workbook.sheet_names)
    except (CalamineError, zipfile.BadZipFile, OSError, ValueError) as exc:
        raise BadFileError(name, f"XLSX illisible (unreadable XLSX): {_one_line(exc)}") from exc
    first_error: BadFileError | None = None
    for sheet_name in sheet_names:  # the first sheet with our headers; notes sheets are fine
        try:
            rows = workbook.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
        except Exception as exc:  # calamine raises several types for a broken sheet
            raise BadFileError(name, f"feuille « {sheet_name} » illisible (sheet cannot be "
                                     f"read): {_one_line(exc)}") from exc
        try:
            return Sheet(sheet_name, rows, find_columns(rows, f"{name} [{sheet_name}]"))
        except BadFileError as exc:
            first_error = first_error or exc
    raise first_error or BadFileError(name, "classeur sans feuille (workbook without sheets)")


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())[:200] or type(exc).__name__
