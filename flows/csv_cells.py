"""CSV cells a spreadsheet program will not run as formulas (OWASP "CSV Injection").

A text cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is written
with a leading `'`: Excel and LibreOffice then show it as text instead of evaluating
`=cmd|' /C calc'!A0` or `@SUM(…)`. Numbers (`-73.56`, `+1`) are left as they are, so a
longitude stays a number. Every CSV file or output the platform writes goes through
`writer`.
"""
from __future__ import annotations

import csv
import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def neutral(value):
    if isinstance(value, str) and value.startswith(FORMULA_START) \
            and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


class _Writer:
    def __init__(self, handle, **options):
        self._writer = csv.writer(handle, **options)

    def writerow(self, row) -> None:
        self._writer.writerow([neutral(value) for value in row])

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)


def writer(handle, **options) -> _Writer:
    """csv.writer whose text cells are neutralized."""
    return _Writer(handle, **options)
