"""Limits a spreadsheet must fit before any reader opens it (LMIA files, the directory).

A reader trusts what a file says about itself: calamine builds a sheet as a dense grid
from A1 to its last cell, so one cell at XFD1048576 in a 1.6 KB file asks for 549 GB and
aborts the process; a 1.5 MB XLSX can hold 400 MB of sheet XML. So before reading, with
bounded memory and nothing trusted:
- the file's size (TMT_SHEET_MAX_FILE_BYTES);
- XLSX: the decompressed size of every part as declared and as really decompressed
  (TMT_SHEET_MAX_UNCOMPRESSED_BYTES), each large part's compression ratio
  (TMT_SHEET_MAX_RATIO), and each sheet's extent: its declared `<dimension>` and the
  furthest row and column any cell really sits at (rows, columns, rows × columns);
- CSV: no NUL byte anywhere (a binary file, or a text file padded with NULs), lines and
  cells (lines × delimiters) within the same limits.
A file over a limit raises BadFileError with a one-line reason naming the limit and its
setting; the caller quarantines it (LMIA) or rejects it (directory) as any bad file.
"""
from __future__ import annotations

import re
import zipfile
import zlib
from operator import itemgetter
from pathlib import Path

from .errors import BadFileError
from .lmia.decode import looks_utf16
from .settings import SheetLimits, get_settings

CHUNK = 1024 * 1024
RATIO_FROM_BYTES = 1024 * 1024  # small parts compress far better than sheets; not judged
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
# Sheet XML, read with regular expressions over bytes (an XML parser would be the slow
# part). The fast path takes the form Excel and LibreOffice write, `<row r="12"` and
# `<c r="B12"` with `r` first, and counts every row and cell tag to be sure it saw them
# all; a chunk with any other form (no `r`, another attribute first, a namespace prefix,
# a `<dimension>`) is read tag by tag, attributes matched whole.
_FAST_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"')
_FAST_ROW = re.compile(rb'<row r="([0-9]{1,7})"')
_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c|dimension)(?=[\s/>])([^<>]*)>")
_DIMENSION = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?dimension(?=[\s/>])([^<>]*)>")
_ATTRIBUTE = re.compile(rb"""\s+([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_REFERENCE = re.compile(rb"([A-Z]{0,3})([0-9]{0,7})")


def _limits(limits: SheetLimits | None) -> SheetLimits:
    return limits or get_settings().sheets


def check_size(path: Path, name: str, limits: SheetLimits | None = None) -> None:
    limits = _limits(limits)
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise BadFileError(name, f"fichier trop gros (file too large): {size} bytes, over "
                                 f"{limits.max_file_bytes} (TMT_SHEET_MAX_FILE_BYTES)")


NUL_RUN = b"\x00" * 16
NUL_STRAY = 16


def check_csv(path: Path, name: str, limits: SheetLimits | None = None) -> None:
    """Size, NUL bytes, lines and cells of a text file, read once in 1 MB chunks."""
    limits = _limits(limits)
    check_size(path, name, limits)
    lines, delimiters, offset = 1, [0, 0, 0], 0
    nuls = 0
    with path.open("rb") as handle:
        head = handle.read(2000)
        utf16 = head[:2] in UTF16_BOMS or looks_utf16(head)  # NULs are half its bytes
        handle.seek(0)
        while chunk := handle.read(CHUNK):
            found = 0 if utf16 else chunk.count(b"\x00")
            # A stray NUL is stripped by the decoder and counted (flows/lmia/decode.py); a run
            # of them, or more than one byte in a hundred, is binary content, not text.
            if found:
                nuls += found
                run = chunk.find(NUL_RUN)
                if run >= 0 or nuls > max(NUL_STRAY, (offset + len(chunk)) // 100):
                    at = offset + (run if run >= 0 else chunk.find(b"\x00"))
                    raise BadFileError(name, f"contenu binaire dans un CSV (binary content in a "
                                             f"CSV file): NUL bytes from byte {at}")
            lines += chunk.count(b"\n")
            for index, delimiter in enumerate((b",", b";", b"\t")):
                delimiters[index] += chunk.count(delimiter)
            offset += len(chunk)
            _check_extent(name, "CSV", lines, 1, limits, lines_only=True)
    _check_extent(name, "CSV", lines, 1, limits, lines_only=True)
    if lines + max(delimiters) > limits.max_cells:
        raise BadFileError(name, f"tableau trop grand (sheet too large): up to "
                                 f"{lines + max(delimiters)} cells, over {limits.max_cells} "
                                 f"(TMT_SHEET_MAX_CELLS)")


def check_xlsx(path: Path, name: str, limits: SheetLimits | None = None) -> None:
    """Size, decompressed size, ratio and every sheet's extent, streaming each part once."""
    limits = _limits(limits)
    check_size(path, name, limits)
    if not zipfile.is_zipfile(path):
        return  # the reader says what it is instead
    try:
        with zipfile.ZipFile(path) as workbook:
            parts = workbook.infolist()
            declared = sum(part.file_size for part in parts)
            if declared > limits.max_uncompressed_bytes:
                raise _too_big(name, declared, limits)
            for part in parts:
                ratio = part.file_size / max(part.compress_size, 1)
                if part.file_size >= RATIO_FROM_BYTES and ratio > limits.max_ratio:
                    raise BadFileError(name, f"archive suspecte (zip bomb?): {part.filename} "
                                             f"expands {ratio:.0f} times, over "
                                             f"{limits.max_ratio:g} (TMT_SHEET_MAX_RATIO)")
            total = 0
            for part in parts:
                total = _scan_part(workbook, part, name, total, limits)
    except BadFileError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError,
            NotImplementedError, RuntimeError, ValueError) as exc:
        raise BadFileError(name, f"XLSX corrompu (corrupt XLSX): "
                                 f"{' '.join(str(exc).split())[:200]}") from exc


def _scan_part(workbook: zipfile.ZipFile, part: zipfile.ZipInfo, name: str, total: int,
               limits: SheetLimits) -> int:
    """Decompress one part in chunks (its real size counts, not the declared one); in XML
    parts, follow rows and cells to the sheet's furthest extent."""
    xml = part.filename.lower().endswith(".xml")
    extent = _Extent(name, part.filename, limits)
    carry = b""
    with workbook.open(part) as stream:
        while chunk := stream.read(CHUNK):
            total += len(chunk)
            if total > limits.max_uncompressed_bytes:
                raise _too_big(name, total, limits)
            if not xml:
                continue
            data = carry + chunk
            cut = data.rfind(b"<")  # the last tag may continue in the next chunk
            cut = len(data) if cut < 0 else cut
            extent.read(data[:cut])
            carry = data[cut:]
            if len(carry) > 64 * 1024:
                raise BadFileError(name, f"XLSX corrompu (corrupt XLSX): {part.filename} "
                                         "has a tag longer than 64 KB")
    if xml:
        extent.read(carry)
        extent.check()
    return total


class _Extent:
    """The furthest row and column of one sheet's cells, chunk after chunk."""

    def __init__(self, name: str, part: str, limits: SheetLimits):
        self.name, self.part, self.limits = name, part, limits
        self.row = self.column = self.max_row = self.max_column = 0

    def read(self, data: bytes) -> None:
        if not data:
            return
        if b"dimension" in data:
            for match in _DIMENSION.finditer(data):
                self._tag(b"dimension", match.group(1))
        cells, rows = _FAST_CELL.findall(data), _FAST_ROW.findall(data)
        if b":c " in data or b":row" in data \
                or len(cells) != sum(map(data.count, (b"<c ", b"<c>", b"<c/"))) \
                or len(rows) != sum(map(data.count, (b"<row ", b"<row>", b"<row/"))):
            return self._read_tags(data)
        if rows:
            self.row = int(rows[-1])
            self.max_row = max(self.max_row, max(map(int, rows)))
        if cells:
            self.max_row = max(self.max_row, max(map(int, map(itemgetter(1), cells))))
            self.max_column = max(self.max_column,
                                  *map(_column, set(map(itemgetter(0), cells))))
        self.column = self.max_column  # for a cell without `r` next: never less than it is
        if self.max_row > self.limits.max_rows or self.max_column > self.limits.max_columns:
            self.check()

    def _read_tags(self, data: bytes) -> None:
        """Tag by tag, as a reader places cells: a cell or row without `r` follows the
        previous one; an `r` that is not a plain reference refuses the file."""
        for match in _TAG.finditer(data):
            if match.group(1) != b"dimension":
                self._tag(match.group(1), match.group(2))

    def _tag(self, tag: bytes, text: bytes) -> None:
        attributes = {key: double or single for key, double, single in _ATTRIBUTE.findall(text)}
        if tag == b"dimension":
            last = attributes.get(b"ref", b"").split(b":")[-1]
            row, column = self._reference(last, 1, 1)
            _check_extent(self.name, f"{self.part} <dimension {last.decode()}>", row,
                          column, self.limits)
            return
        if tag == b"row":
            self.row, _ = self._reference(attributes[b"r"], 0, 0) if b"r" in attributes \
                else (self.row + 1, 0)
            self.column = 0
        elif b"r" in attributes:
            self.row, self.column = self._reference(attributes[b"r"], self.row, 0)
        else:
            self.column += 1
        self.max_row = max(self.max_row, self.row)
        self.max_column = max(self.max_column, self.column)
        if self.max_row > self.limits.max_rows \
                or self.max_column > self.limits.max_columns:
            self.check()

    def _reference(self, reference: bytes, row: int, column: int) -> tuple[int, int]:
        """`XFD1048576` → (1048576, 16384); a row's `r` is digits only."""
        match = _REFERENCE.fullmatch(reference.strip())
        if not match or not any(match.groups()):
            raise BadFileError(self.name, f"XLSX inhabituel (unusual XLSX): {self.part}: "
                                          f"cell reference {reference[:20]!r}")
        letters, digits = match.groups()
        return (int(digits) if digits else row), (_column(letters) if letters else column)

    def check(self) -> None:
        if self.max_row or self.max_column:
            _check_extent(self.name, self.part, self.max_row, max(self.max_column, 1),
                          self.limits)


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _check_extent(name: str, where: str, rows: int, columns: int, limits: SheetLimits,
                  lines_only: bool = False) -> None:
    if rows > limits.max_rows:
        what = "lines" if lines_only else "rows"
        raise BadFileError(name, f"tableau trop grand (sheet too large): {where}: {rows} {what}, "
                                 f"over {limits.max_rows} (TMT_SHEET_MAX_ROWS)")
    if columns > limits.max_columns:
        raise BadFileError(name, f"tableau trop grand (sheet too large): {where}: {columns} "
                                 f"columns, over {limits.max_columns} (TMT_SHEET_MAX_COLUMNS)")
    if rows * columns > limits.max_cells:
        raise BadFileError(name, f"tableau trop grand (sheet too large): {where}: {rows} × "
                                 f"{columns} cells, over {limits.max_cells} (TMT_SHEET_MAX_CELLS)")


def _too_big(name: str, size: int, limits: SheetLimits) -> BadFileError:
    return BadFileError(name, f"XLSX trop gros une fois décompressé (too large uncompressed): "
                              f"{size} bytes, over {limits.max_uncompressed_bytes} "
                              f"(TMT_SHEET_MAX_UNCOMPRESSED_BYTES)")
