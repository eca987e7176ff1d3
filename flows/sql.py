"""Read-only queries on the serving database, for `tmt sql` and scripts."""
from __future__ import annotations

import json

import duckdb

from flows.errors import TmtError
from flows.settings import get_settings


def run_query(query: str, output: str = "table") -> str:
    path = get_settings().serving_db
    if not path.exists():
        raise TmtError(f"{path}: no serving database yet; run `tmt run` first")
    try:
        # read_only: a reader never blocks the publisher's rename and cannot write.
        with duckdb.connect(str(path), read_only=True) as con:
            relation = con.sql(query)
            if relation is None:
                raise TmtError("the statement returned no rows to show")
            columns, rows = relation.columns, relation.fetchall()
    except duckdb.Error as exc:
        raise TmtError(f"query failed: {' '.join(str(exc).split())}") from exc
    return render(columns, rows, output)


def render(columns: list[str], rows: list[tuple], output: str) -> str:
    if output == "json":
        return json.dumps([dict(zip(columns, row)) for row in rows], default=str,
                          ensure_ascii=False, indent=1)
    if output == "csv":
        import io

        from flows import csv_cells

        buffer = io.StringIO()
        writer = csv_cells.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(rows)
        return buffer.getvalue().rstrip("\n")
    cells = [[("" if value is None else str(value)) for value in row] for row in rows]
    widths = [max([len(name), *(len(row[i]) for row in cells)]) for i, name in enumerate(columns)]
    lines = [" | ".join(name.ljust(width) for name, width in zip(columns, widths)),
             "-+-".join("-" * width for width in widths)]
    lines += [" | ".join(value.ljust(width) for value, width in zip(row, widths)) for row in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)
