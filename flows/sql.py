"""Read-only queries on the serving database, for `tmt sql` and scripts.

One SELECT (or EXPLAIN) statement, on a connection that cannot write and cannot reach
anything but the serving file: read_only, no file or network access
(`enable_external_access`: no COPY, ATTACH, read_csv or read_text of other files), no
extension installed or loaded, and the configuration locked so the query cannot turn any
of that back on. A query is hostile input like any other.
"""
from __future__ import annotations

import json

import duckdb

from flows.errors import TmtError
from flows.settings import get_settings

ALLOWED = {duckdb.StatementType.SELECT: "SELECT", duckdb.StatementType.EXPLAIN: "EXPLAIN"}
LOCKED_DOWN = {"enable_external_access": False, "autoinstall_known_extensions": False,
               "autoload_known_extensions": False, "allow_community_extensions": False,
               "lock_configuration": True}


def _one_select(query: str) -> str:
    try:
        statements = duckdb.extract_statements(query)
    except duckdb.Error as exc:
        raise TmtError(f"query failed: {' '.join(str(exc).split())}") from exc
    if len(statements) != 1:
        raise TmtError(f"tmt sql runs one statement, not {len(statements)}")
    statement = statements[0]
    if statement.type not in ALLOWED:
        kind = str(statement.type).rsplit(".", 1)[-1]
        raise TmtError(f"tmt sql is read-only: one SELECT statement, not {kind}")
    return statement.query


def run_query(query: str, output: str = "table") -> str:
    path = get_settings().serving_db
    if not path.exists():
        raise TmtError(f"{path}: no serving database yet; run `tmt run` first")
    statement = _one_select(query)
    try:
        # read_only: a reader never blocks the publisher's rename and cannot write.
        with duckdb.connect(str(path), read_only=True, config=LOCKED_DOWN) as con:
            relation = con.sql(statement)
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
