"""Bad LMIA files made from real ones, one per way a file goes wrong in the wild."""
from __future__ import annotations

from pathlib import Path

GOOD_CSV = "orig_2017q3_positive_en.csv"
GOOD_XLSX = "orig_2021q4_positive_en.xlsx"


def make_bad_files(real_lmia: Path) -> dict[str, tuple[bytes, str]]:
    """name -> (bytes, words the one-line reason must contain)."""
    csv_bytes = (real_lmia / GOOD_CSV).read_bytes()
    xlsx_bytes = (real_lmia / GOOD_XLSX).read_bytes()
    cut = csv_bytes.index(b"\n", len(csv_bytes) // 2) + 20  # in the middle of a data row
    return {
        "2019q1_empty_positive_en.csv": (b"", "empty file"),
        "2019q2_truncated_positive_en.csv": (csv_bytes[:cut], "truncated"),
        "2019q3_error_page_positive_en.csv": (
            (b"<!DOCTYPE html>\n<html><head><title>503</title></head><body>Service "
             b"Unavailable</body></html>\n"), "HTML page"),
        "2019q4_corrupt_positive_en.xlsx": (xlsx_bytes[: len(xlsx_bytes) // 2], "corrupt"),
        "2020q1_encrypted_positive_en.xlsx": (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096), "encrypted"),
        # meaning lost: no column holds the approved positions
        "2017q3_no_count_column_positive_en.csv": (
            b"\n".join(line.rsplit(b",", 1)[0] for line in csv_bytes.split(b"\n")),
            "no employer or no approved-positions column"),
        # meaning lost: the file's own total contradicts its rows
        "2017q3_total_mismatch_positive_en.csv": (
            csv_bytes.replace(b"\r\r\nNotes:", b"\r\r\nTotal,,,,,99999\r\r\nNotes:", 1),
            "the file's total 99 999 does not match"),
    }


def make_bad_data_files(real_lmia: Path) -> dict[str, tuple[bytes, str]]:
    """Files that parse and load but fail a critical raw data check (expectations/raw_lmia.py).

    Named for the quarter they hold, so each one supersedes the good file of that quarter
    for as long as it is loaded: withdrawing it must make the good file current again.
    """
    csv_bytes = (real_lmia / GOOD_CSV).read_bytes()
    # One row with no province, or one zero, is a row to flag (the parser keeps it); every
    # count of 1 read as 0 (a column moved) fails the file.
    return {
        "2017q3_zero_positions_positive_en.csv": (
            csv_bytes.replace(b",1\r\r\n", b",0\r\r\n"),
            "Rows of an LMIA file · values within range (approved positions)"),
    }
