"""Write the directory exports after a good `dbt build` (part of `tmt build`).

$TMT_HOME/exports/hsds/        HSDS 3 tabular package: CSV files + datapackage.json
$TMT_HOME/exports/repertoire/  printable directory in French: index.html, one page per region

Each folder is written beside the old one and swapped in, so a reader never sees half.
"""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb

from ..settings import Settings
from .export_hsds import write_hsds
from .export_html import write_directory_html


def write_exports(settings: Settings, today: date | None = None) -> list[Path]:
    exports = settings.exports_dir
    exports.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(settings.work_db), read_only=True) as con:
        hsds = _swap(exports / "hsds", lambda folder: write_hsds(con, folder))
        html = _swap(exports / "repertoire",
                     lambda folder: write_directory_html(con, folder, today or date.today()))
    return [hsds, html]


def _swap(target: Path, write) -> Path:
    staging = target.with_name(f".{target.name}.new")
    shutil.rmtree(staging, ignore_errors=True)
    written = write(staging)
    previous = target.with_name(f".{target.name}.old")
    shutil.rmtree(previous, ignore_errors=True)
    if target.exists():
        target.rename(previous)
    staging.rename(target)
    shutil.rmtree(previous, ignore_errors=True)
    return target / written.name
