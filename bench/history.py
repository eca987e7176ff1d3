"""A 62-file LMIA history assembled from the ten real vintages in tests/data/lmia.

The real 2014–2025 history is 62 files (67 MB); ten real vintages are in the repository.
The other 52 are those ten again, each without its title (the name then gives the period),
re-saved one of the ways real copies are (tests/support/perturb.py: totals with thousands
separators, Windows-1252 with DOS bytes, UTF-16, semicolons, typos in headers, lost leading
zeros, XLSX with more sheets...), and named for a period of its own (2014 Q1 onwards), so
that every file loads and none supersedes another.
"""
from __future__ import annotations

import itertools
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REAL = REPO / "tests" / "data" / "lmia"
FILES = 62
# Perturbations that keep a file whole when its title is gone (the name gives the period).
KINDS = ("thousands_total", "windows_1252_with_dos_bytes", "utf16", "semicolons",
         "header_typos", "lost_leading_zeros", "line_feeds", "padded_cells", "mojibake",
         "footnotes_without_marker", "header_further_down", "as_xlsx_with_more_sheets",
         "spaced_total")


def assemble(folder: Path, files: int = FILES) -> list[Path]:
    """Write the history into `folder` (once: an existing complete folder is reused)."""
    import sys

    sys.path.insert(0, str(REPO))
    from flows.lmia.parse import parse_file
    from tests.support import perturb

    folder.mkdir(parents=True, exist_ok=True)
    done = sorted(p for p in folder.iterdir() if p.suffix in (".csv", ".xlsx", ".txt"))
    if len(done) == files:
        return done
    shutil.rmtree(folder)
    folder.mkdir(parents=True)
    real = sorted(p for p in REAL.iterdir() if p.suffix in (".csv", ".xlsx"))
    written = []
    for path in real:
        target = folder / path.name
        target.write_bytes(path.read_bytes())
        written.append(target)
    periods = ((year, quarter) for year in range(2014, 2040) for quarter in (1, 2, 3, 4))
    pairs = itertools.cycle(itertools.product(real, KINDS))
    totals = {path.name: parse_file(path, path.name).approved_positions for path in real}
    while len(written) < files:
        path, kind = next(pairs)
        year, quarter = next(periods)
        table = perturb.read_table(path)
        table = table[perturb.header_index(table):]
        data, suffix = perturb.PERTURBATIONS[kind](table, totals[path.name])
        language = "fr" if "_fr" in path.name else "en"
        target = folder / f"{year}q{quarter}_positive_{language}_{kind}{suffix}"
        target.write_bytes(data)
        written.append(target)
    return written
