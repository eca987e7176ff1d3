"""Real LMIA files, perturbed the ways real copies are: re-saved, re-encoded, hand-edited.

Each perturbation takes the file's table (rows of text cells, read independently of the
platform: csv module or calamine) and returns new bytes and a suffix. Parsing the result
must give the unperturbed file's figures: the perturbation tests' expected result is the
original's (tests/unit/lmia/test_perturbations.py).
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path

Table = list[list[str]]
_HEADER = re.compile(r"^(employer|employeur|employer name)$", re.IGNORECASE)
_NOTES = re.compile(r"^(notes|remarques)\s*:?$", re.IGNORECASE)


def read_table(path: Path) -> Table:
    """The file's cells as text, read without the platform's code."""
    if path.suffix == ".xlsx":
        from python_calamine import CalamineWorkbook

        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        return [[_text(cell) for cell in row] for row in sheet.to_python(skip_empty_area=False)]
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    text = text.replace("\r\r\n", "\n").replace("\r\n", "\n")
    return [row for row in csv.reader(io.StringIO(text))]


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell)


def header_index(table: Table) -> int:
    return next(i for i, row in enumerate(table) if any(_HEADER.match(c.strip()) for c in row))


def notes_index(table: Table) -> int:
    """The first line after the data (the notes block), or the end."""
    return next((i for i, row in enumerate(table)
                 if row and _NOTES.match(row[0].strip())), len(table))


def positions_column(table: Table) -> int:
    return len(table[header_index(table)]) - 1 - next(
        i for i, cell in enumerate(reversed(table[header_index(table)])) if cell.strip())


def to_csv(table: Table, encoding: str = "utf-8", delimiter: str = ",",
           newline: str = "\r\n") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=newline).writerows(table)
    return buffer.getvalue().encode(encoding, errors="replace")


def to_xlsx(table: Table, extra_sheets: dict[str, Table] | None = None,
            first_sheets: dict[str, Table] | None = None) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    for name, rows in (first_sheets or {}).items():
        _write_sheet(workbook.create_sheet(name), rows)
    _write_sheet(workbook.create_sheet("Data"), table)
    for name, rows in (extra_sheets or {}).items():
        _write_sheet(workbook.create_sheet(name), rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_sheet(sheet, rows: Table) -> None:
    from openpyxl.cell import WriteOnlyCell

    def cell_of(text: str):
        if text.isdigit() and len(text) < 6 and not text.startswith("0"):
            return int(text)
        if text.startswith("#"):  # `#NAME?` is an employer name in 2015: text, not an error
            cell = WriteOnlyCell(sheet, value=text)
            cell.data_type = "s"
            return cell
        return text or None

    for row in rows:
        sheet.append([cell_of(text) for text in row])


# ---- the perturbations: (table, total positions) -> (bytes, suffix) -------------------------

def _insert_total(table: Table, total: int, written: str) -> Table:
    at, column = notes_index(table), positions_column(table)
    line = [""] * len(table[header_index(table)])
    line[0], line[column] = "Total", written
    return table[:at] + [line] + table[at:]


def thousands_total(table, total):
    """A totals line with a thousands separator (the 2014 lists): checked, not loaded."""
    return to_csv(_insert_total(table, total, f"{total:,}")), ".csv"


def spaced_total(table, total):
    return to_csv(_insert_total(table, total, f"{total:,}".replace(",", "\u00a0"))), ".csv"


def windows_1252_with_dos_bytes(table, total):
    """Windows-1252, with code page 850 letters in names and one stray 0x8D (2015, 2017)."""
    data = to_csv(table, encoding="cp1252")
    data = data.replace("Québec".encode("cp1252"), b"Qu\x82bec", 3)
    data = data.replace("QUÉBEC".encode("cp1252"), b"QU\x90BEC", 3)
    at = data.rfind(b"\r\n", 0, len(data) - 10)
    return data[:at] + b"\x8d" + data[at:], ".csv"


def utf16(table, total):
    return to_csv(table, encoding="utf-16"), ".csv"


def utf16_without_bom(table, total):
    return to_csv(table, encoding="utf-16-le"), ".csv"


def stray_nul(table, total):
    """One NUL byte inside an employer name (a corrupted save): stripped, counted."""
    data = to_csv(table)
    at = data.index(b",", len(data) // 2) - 2
    return data[:at] + b"\x00" + data[at:], ".csv"


def semicolons(table, total):
    return to_csv(table, encoding="utf-8-sig", delimiter=";"), ".csv"


def tabs(table, total):
    return to_csv(table, delimiter="\t"), ".txt"


def line_feeds(table, total):
    return to_csv(table, newline="\n"), ".csv"


_TYPOS = {"Occupations under NOC 2011": "Occupaitons under NOC 2011",
          "Approved Positions": "Requested Positions", "Positions Approved": "Requested Positions",
          "Positions approved": "Requested Positions", "Approved LMIAs": "Requested LMIAs",
          "Employer": "Employeer", "Employer Name": "Employer  name", "Address": "Adress",
          "Province/Territory": "Province / Territory ", "Stream": "Program Stream",
          "Postes approuvés": "Postes demandés", "Employeur": "Employeurs",
          "Profession sous CNP 2011": "Professions sous CNP 2011"}


def header_typos(table, total):
    at = header_index(table)
    header = [_TYPOS.get(" ".join(cell.split()), cell) for cell in table[at]]
    return to_csv(table[:at] + [header] + table[at + 1:]), ".csv"


_CODE = re.compile(r"^0+(\d+-)")


def lost_leading_zeros(table, total):
    """Codes as a spreadsheet keeps them once read as numbers: `711-Directeurs…`."""
    at = header_index(table)
    return to_csv(table[:at + 1] + [[_CODE.sub(r"\1", cell) for cell in row]
                                    for row in table[at + 1:]]), ".csv"


def title_cut_by_in2csv(table, total):
    """A title cell wrapped on two lines, its first line removed: `…",,,,,` is left."""
    at = header_index(table)
    width = len(table[at])
    title = ["Positive Labour Market Impact Assessment\nEmployers list"] + [""] * (width - 1)
    data = to_csv([title] + table[at:])
    return data[data.index(b"\r\n") + 2:], ".csv"


def no_title(table, total):
    return to_csv(table[header_index(table):]), ".csv"


def header_further_down(table, total):
    at = header_index(table)
    width = len(table[at])
    preamble = [["Employment and Social Development Canada"] + [""] * (width - 1)] + \
        [[""] * width] * 70 + [["Table 1"] + [""] * (width - 1)]
    return to_csv(table[:at] + preamble + table[at:]), ".csv"


def footnotes_without_marker(table, total):
    at = notes_index(table)
    return to_csv(table[:at] + table[at + 1:] + [["Source: ESDC, TFWP"], ["* preliminary"]]), ".csv"


def padded_cells(table, total):
    at = header_index(table)
    return to_csv(table[:at] + [[f"  {cell} " if cell else cell for cell in row]
                                for row in table[at:]]), ".csv"


def mojibake(table, total):
    """UTF-8 read once as Windows-1252 and saved again as UTF-8, in the data lines."""
    at = header_index(table)

    def garble(cell: str) -> str:
        try:
            return cell.encode("utf-8").decode("cp1252")
        except UnicodeDecodeError:
            return cell
    rows = [[garble(cell) for cell in row] if index % 7 == 0 else row
            for index, row in enumerate(table[at + 1:notes_index(table)])]
    return to_csv(table[:at + 1] + rows + table[notes_index(table):]), ".csv"


def as_xlsx_with_more_sheets(table, total):
    """Saved as a workbook with a cover sheet before the data and a notes sheet after."""
    return to_xlsx(table, extra_sheets={"Notes": [["Notes:"], ["1. Positions, not workers."]]},
                   first_sheets={"Cover": [["Employment and Social Development Canada"],
                                           ["Positive LMIA employers list"]]}), ".xlsx"


def empty_employer(table, total):
    """One data row with its province filled and its employer blank (2020 Q1 FR). Only for
    layouts with a province column: where the employer comes first, a blank one means "same
    as above" (2015 employer format)."""
    at = header_index(table)
    header = [cell.strip().lower() for cell in table[at]]
    employer = next(i for i, cell in enumerate(header) if cell.startswith("employe"))
    assert employer > 0, "a layout where the employer is the first column"
    rows = [list(row) for row in table]
    for row in rows[at + 1 + len(rows) // 3:]:
        if row[0].strip() and len(row) > employer and row[employer].strip():
            row[employer] = ""
            break
    return to_csv(rows), ".csv"


PERTURBATIONS: dict[str, Callable] = {
    function.__name__: function for function in (
        thousands_total, spaced_total, windows_1252_with_dos_bytes, utf16, utf16_without_bom,
        stray_nul, semicolons, tabs,
        line_feeds, header_typos, lost_leading_zeros, title_cut_by_in2csv, no_title,
        header_further_down, footnotes_without_marker, padded_cells, mojibake,
        as_xlsx_with_more_sheets, empty_employer)
}
# What a perturbation leaves different on purpose (everything else must be equal).
CHANGES_TEXT = {"mojibake", "windows_1252_with_dos_bytes", "stray_nul"}  # repaired: text equal too
FLAGS_A_ROW = {"empty_employer"}

