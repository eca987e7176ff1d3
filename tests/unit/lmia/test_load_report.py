"""The load report says what the parser did to each file; a negative list is set aside."""
from __future__ import annotations

import json

import duckdb

from flows.lmia import ingest
from flows.lmia.sources import Candidate
from flows.notify import messages
from flows.settings import get_settings
from tests.support.perturb import read_table, thousands_total, to_csv

GOOD = "orig_2017q3_positive_en.csv"


def _load(folder, settings):
    candidates = [Candidate(str(path), path.name, False) for path in sorted(folder.iterdir())]
    return {report.name: report for report in ingest.load_batch(
        [ingest.fetch(candidate, settings) for candidate in candidates], settings)}


def test_repairs_are_counted_with_examples_and_a_negative_list_is_set_aside(
        tmt_home, tmp_path, real_lmia):
    table = read_table(real_lmia / GOOD)
    folder = tmp_path / "in"
    folder.mkdir()
    repaired, _ = thousands_total(
        [[cell.replace("0621-", "621-") for cell in row] for row in table], 12731)
    (folder / "2017q3_positive_en.csv").write_bytes(repaired)
    negative = [[("List of employers who were issued a negative Labour Market Impact "
                 "Assessment (LMIA) in 2017 (July-September)")]] + table[1:]
    (folder / "2017q3_negative_en.csv").write_bytes(to_csv(negative))
    settings = get_settings()

    reports = _load(folder, settings)

    loaded, ignored = reports["2017q3_positive_en.csv"], reports["2017q3_negative_en.csv"]
    assert (loaded.status, loaded.rows, loaded.approved_positions) == ("loaded", 4538, 12731)
    assert loaded.repairs["thousands separator in a count"] == 1
    assert loaded.repairs["occupation code lost its leading zero"] >= 1
    assert loaded.lines_skipped["total line"] == 1
    assert any("'12,731' read as 12731" in example
               for example in loaded.examples["thousands separator in a count"])
    assert ignored.status == "ignored" and "negative LMIA list" in ignored.reason
    ingest.raise_if_failed(list(reports.values()))  # a negative list is not a failure
    with duckdb.connect(str(settings.work_db), read_only=True) as con:
        assert con.execute("select count(distinct file_sha256) from raw.lmia_rows").fetchone() == (1,)
        assert con.execute("select count(*) from raw.lmia_rows where occupation_code = '0621'"
                           ).fetchone()[0] >= 1
    # the report file a maintainer opens carries the same counts and examples
    written = json.loads(ingest.write_report(list(reports.values()), settings).read_text())
    assert {r["status"] for r in written} == {"loaded", "ignored"}
    # one digest line for the repaired file, French first
    queued = [m for m in messages.for_ingest(list(reports.values()))
              if m.kind == "lmia_file_repaired"]
    assert len(queued) == 1
    french, english = queued[0].payload["text"].split(messages.RULE)
    assert "séparateurs de milliers" in french and "zéro initial" in french
    assert "thousands separators" in english
    # seen again: nothing new, the negative list still set aside, not re-parsed as an error
    again = _load(folder, settings)
    assert again["2017q3_negative_en.csv"].status == "ignored"
    assert again["2017q3_positive_en.csv"].status == "unchanged"


def test_a_count_no_integer_column_can_hold_leaves_its_row_out_not_the_file(
        tmt_home, tmp_path, real_lmia):
    """Hostile counts (beyond 32 bits, a superscript `²`) once stopped the whole ingest with
    a traceback or refused the file: now only their rows are left out, counted, shown.
    The total the file states is gone from this copy, so only the rows are compared."""
    table = read_table(real_lmia / GOOD)
    header = next(i for i, row in enumerate(table) if "Positions Approved" in row)
    positions = table[header].index("Positions Approved")
    table[header + 1][positions] = "99999999999"
    table[header + 2][positions] = "²"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "2017q3_positive_en.csv").write_bytes(to_csv(table))
    settings = get_settings()

    (report,) = _load(folder, settings).values()

    assert report.status == "loaded" and report.rows == 4538 - 2
    assert report.rows_rejected == {"approved positions not a number": 2}
    assert report.examples["approved positions not a number"] == [
        f"row {header + 2}: '99999999999' ({table[header + 1][2]})",
        f"row {header + 3}: '²' ({table[header + 2][2]})"]
    with duckdb.connect(str(settings.work_db), read_only=True) as con:
        assert con.execute("select count(*) from raw.lmia_rows").fetchone() == (4538 - 2,)


def test_in_one_batch_the_file_loaded_last_is_the_periods_current_one(
        tmt_home, tmp_path, real_lmia, monkeypatch):
    """Files are committed in groups (ingest.COMMIT_ROWS); within a group the load order
    still decides which of two files of one period is current, when the source gives no
    Last-Modified. Then a crash between groups keeps what was committed."""
    import dataclasses

    table = read_table(real_lmia / GOOD)
    folder = tmp_path / "in"
    folder.mkdir()
    first, second = folder / "2017q3_positive_en.csv", folder / "2017q3_positive_en_fixed.csv"
    first.write_bytes(to_csv(table))
    second.write_bytes(to_csv(table[:-1] + [table[-1] + [""]]))  # other bytes, same period
    settings = get_settings()

    def archived(path):
        return dataclasses.replace(ingest.fetch(Candidate(str(path), path.name, False), settings),
                                   source_last_modified=None)

    for order in ((first, second), (second, first)):  # a tie would favour one, both orders
        monkeypatch.setenv("TMT_HOME", str(tmp_path / f"home-{order[-1].stem}"))
        settings = get_settings()
        batch = [archived(path) for path in order]
        assert [r.status for r in ingest.load_batch(batch, settings)] == ["loaded", "loaded"]
        with duckdb.connect(str(settings.work_db), read_only=True) as con:
            current = con.execute("select original_name from raw.lmia_files "
                                  "where superseded_by is null").fetchall()
        assert current == [(order[-1].name,)]

    # one group per file, and the second file's load fails: the first stays committed
    other = tmp_path / "other-home"
    monkeypatch.setenv("TMT_HOME", str(other))
    settings = get_settings()
    batch = [archived(first), archived(second)]
    monkeypatch.setattr(ingest, "COMMIT_ROWS", 1)
    loads = []

    def load_or_fail(con, item, outcome, settings):
        loads.append(item.original_name)
        if len(loads) == 2:
            raise RuntimeError("killed")
        return original(con, item, outcome, settings)

    original = ingest._load_one
    monkeypatch.setattr(ingest, "_load_one", load_or_fail)
    try:
        ingest.load_batch(batch, settings)
    except RuntimeError:
        pass
    monkeypatch.setattr(ingest, "_load_one", original)
    with duckdb.connect(str(settings.work_db), read_only=True) as con:
        assert con.execute("select original_name from raw.lmia_files").fetchall() == \
            [(first.name,)]
    reports = ingest.load_batch(batch, settings)  # the next run loads what was not committed
    assert [r.status for r in reports] == ["unchanged", "loaded"]
