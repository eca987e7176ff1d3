"""The baseline the LMIA parser is measured against: a plain pandas + openpyxl reader.

What a first version usually looks like: `pd.read_csv` / `pd.read_excel(engine="openpyxl")`,
then the same cleaning done with pandas string methods (header row, notes cut off,
"same as above" forward-filled, occupation code and postal code extracted). It yields the
same rows and positions as flows.lmia.parse on the shared files, so the timing compares
like with like.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

HEADER = re.compile(r"(postes\s*approuv|approved\s*positions|positions\s*approved)", re.IGNORECASE)


def read_grid(path: Path) -> pd.DataFrame:
    if path.suffix.lower() == ".xlsx":
        return pd.read_excel(path, engine="openpyxl", header=None, dtype=str).fillna("")
    try:
        return pd.read_csv(path, header=None, dtype=str, encoding="utf-8",
                           keep_default_na=False, skip_blank_lines=True)
    except UnicodeDecodeError:
        return pd.read_csv(path, header=None, dtype=str, encoding="cp1252",
                           keep_default_na=False, skip_blank_lines=True)


def parse(path: Path) -> pd.DataFrame:
    grid = read_grid(path).apply(lambda column: column.str.strip())
    is_header = grid.apply(lambda row: any(HEADER.search(str(v)) for v in row), axis=1)
    first_header = is_header.idxmax()
    header = [str(v).lower() for v in grid.loc[first_header]]
    positions_column = next(i for i, v in enumerate(header) if HEADER.search(v))
    notes = grid[0].str.match(r"^(Notes|Remarques)\s*:")
    end = notes.idxmax() if notes.any() else len(grid)
    body = grid.loc[first_header + 1:end - 1]
    body = body[~is_header.loc[body.index]]
    numeric = body[positions_column].str.fullmatch(r"\d+(\.0+)?")
    sections = body[~numeric & (body[0] != "")][0]
    body = body.assign(section=sections).ffill()
    body = body[numeric].copy()
    carry = [i for i, v in enumerate(header) if re.match(r"(province|stream|program|volet|employ)", v)]
    for column in carry:
        body[column] = body[column].replace("", pd.NA).ffill()
    occupation_column = next((i for i, v in enumerate(header) if re.match(r"(occupation|profession)", v)), None)
    if occupation_column is not None:
        parts = body[occupation_column].str.extract(r"^(\d{4,5})-(.*)$")
        body["occupation_code"], body["occupation_title"] = parts[0], parts[1]
    address_column = next(i for i, v in enumerate(header) if re.match(r"(address|adresse)", v))
    body["postal_code"] = body[address_column].str.upper().str.extract(
        r"([ABCEGHJ-NPRSTVXY]\d[A-Z])\s*(\d[A-Z]\d)?\s*$")[0]
    body["approved_positions"] = body[positions_column].astype(float).astype(int)
    return body
