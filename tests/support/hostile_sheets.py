"""Spreadsheets built to hurt a reader, generated small and streamed (bounded memory):
a 1.6 KB XLSX with one cell at XFD1048576, an XLSX whose sheet XML expands hundreds of
times, a sheet with malformed XML, a CSV whose tail is NUL bytes (a sparse file: no disk
used). Headers are the directory's and LMIA's, so only the limits stop them."""
from __future__ import annotations

import zipfile
from pathlib import Path

CONTENT_TYPES = b"""<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
</Types>"""
ROOT_RELS = b"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK = b"""<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Feuil1" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WORKBOOK_RELS = b"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
</Relationships>"""
SHEET_START = (b'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="http://schemas.'
               b'openxmlformats.org/spreadsheetml/2006/main">')
HEADERS = ["Nom", "Courriel", "Employer", "Address", "Occupation", "Approved Positions"]


def _cell(reference: str, text: str) -> bytes:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def header_row() -> bytes:
    return b'<row r="1">' + b"".join(_cell(f"{chr(65 + i)}1", h)
                                     for i, h in enumerate(HEADERS)) + b"</row>"


def write_xlsx(path: Path, sheet_parts) -> Path:
    """A workbook whose one sheet is the bytes yielded by `sheet_parts`, streamed."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as workbook:
        for name, data in (("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", ROOT_RELS),
                           ("xl/workbook.xml", WORKBOOK),
                           ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)):
            workbook.writestr(name, data)
        with workbook.open("xl/worksheets/sheet1.xml", "w") as sheet:
            for part in sheet_parts:
                sheet.write(part)
    return path


def far_cell(path: Path, dimension: str | None = None) -> Path:
    """One cell at XFD1048576 (or only a declared <dimension>): a grid of 17 billion cells."""
    declared = f'<dimension ref="{dimension}"/>'.encode() if dimension else b""
    far = b"" if dimension else b'<row r="1048576">' + _cell("XFD1048576", "x") + b"</row>"
    return write_xlsx(path, [SHEET_START, declared, b"<sheetData>", header_row(), far,
                             b"</sheetData></worksheet>"])


def expanding(path: Path, megabytes: int) -> Path:
    """Sheet XML of `megabytes` MB that compresses hundreds of times (empty cells)."""
    row = b"".join(b'<c r="A%d"/>' % n for n in range(2, 2 + 1000))  # ~12 KB per chunk
    parts = [SHEET_START, b"<sheetData>", header_row()]
    return write_xlsx(path, [*parts, *(b"<!--" + b" " * (1024 * 1024 - 7) + b"-->"
                                       for _ in range(megabytes)), row,
                             b"</sheetData></worksheet>"])


def malformed(path: Path) -> Path:
    return write_xlsx(path, [SHEET_START, b"<sheetData>", header_row(),
                             (b'<row r="2"><c r="A2" t="inlineStr"><is><t>Organisme</is></c>'
                              b"</row></sheetData></worksheet>")])


def nul_tail(path: Path, head: bytes, total_bytes: int) -> Path:
    """`head`, then NUL bytes up to `total_bytes`: a sparse file, nothing written for them."""
    with path.open("wb") as handle:
        handle.write(head)
        handle.truncate(total_bytes)
    return path
