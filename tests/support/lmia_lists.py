"""Small positive LMIA lists written by the tests themselves, in the shapes real lists take.

The layout is ESDC's 2017-2020 CSV one: a title naming the period, then Province/Territory,
Stream, Employer Name, Address, Occupation, Approved Positions; Windows-1252, CRLF.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

HEADER = ["Province/Territory", "Stream", "Employer Name", "Address", "Occupation",
          "Approved Positions"]
TITLE = ("Employers who were Issued a Positive Labour Market Impact Assessment (LMIA) by "
         "Stream, National Occupational Classification (NOC) 2011 and Business Location in "
         "{year} ({months})")
MONTHS = {1: "January-March", 2: "April-June", 3: "July-September", 4: "October-December"}


def write_positive_list(folder: Path, year: int, quarter: int,
                        rows: list[tuple[str, str, str, int]]) -> Path:
    """rows: (province, employer, address, positions); every row a farm worker (NOC 8431)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([TITLE.format(year=year, months=MONTHS[quarter]), "", "", "", "", ""])
    writer.writerow(HEADER)
    for province, employer, address, positions in rows:
        writer.writerow([province, "Agricultural stream", employer, address,
                         "8431-General farm workers", positions])
    path = folder / f"tfwp_{year}q{quarter}_positive_en.csv"
    path.write_bytes(out.getvalue().encode("cp1252"))
    return path
