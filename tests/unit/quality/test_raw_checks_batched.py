"""The raw checkpoint validates all files of a run in one pass and gives each file the
verdict it would get alone: the same failed expectations, counts and severities."""
from __future__ import annotations

import pytest

from flows.lmia import ingest
from flows.lmia.sources import Candidate
from flows.quality import raw_lmia
from flows.settings import get_settings
from tests.support.perturb import read_table, to_csv

GOOD = "orig_2017q3_positive_en.csv"


def _files(folder, real_lmia):
    """A good file, one with 6 % of rows in no province (critical), one with 2 % zero positions
    (critical through `mostly`), one with a few zeros (tolerated by `mostly`)."""
    table = read_table(real_lmia / GOOD)
    folder.mkdir()
    (folder / "2017q3_positive_en.csv").write_bytes((real_lmia / GOOD).read_bytes())

    def variant(name, change):
        rows = [list(row) for row in table[1:]]  # no title: the name gives the period
        change(rows)
        (folder / name).write_bytes(to_csv(rows))

    def province(rows):  # 300 rows whose province neither its cell nor its address names
        for row in rows[1:301]:
            row[0], row[3] = "Atlantis", "Nowhere"

    def zeros(step):
        def change(rows):
            for row in rows[1:4500:step]:
                if row[-1].isdigit():
                    row[-1] = "0"
        return change

    def no_codes(step):  # occupation cells blank: judged under a row_condition and `mostly`
        def change(rows):
            for row in rows[1:4500:step]:
                row[4] = ""
        return change

    variant("2018q4_positive_en.csv", no_codes(30))    # 3 %: fails mostly=0.99
    variant("2019q1_positive_en.csv", no_codes(2000))  # 3 rows: passes
    variant("2018q1_positive_en.csv", province)
    variant("2018q2_positive_en.csv", zeros(40))     # 2.5 % zeros: fails mostly=0.99
    variant("2018q3_positive_en.csv", zeros(1500))   # 3 zeros: passes
    return folder


def _verdicts(outcomes_or_reports):
    return {name: sorted((c["expectation"], c["column"], c["severity"], c["unexpected"])
                         for c in checks) for name, checks in outcomes_or_reports.items()}


@pytest.mark.slow
def test_one_pass_gives_each_file_its_own_verdict(tmp_path, real_lmia, monkeypatch):
    folder = _files(tmp_path / "in", real_lmia)
    results = {}
    for mode in ("batched", "alone"):
        monkeypatch.setenv("TMT_HOME", str(tmp_path / mode))
        settings = get_settings()
        candidates = [Candidate(str(p), p.name, False) for p in sorted(folder.iterdir())]
        loaded = ingest.load_batch([ingest.fetch(c, settings) for c in candidates], settings)
        if mode == "batched":
            checked = raw_lmia.check_loaded_files(settings, loaded)
        else:
            checked = [raw_lmia.check_loaded_file(settings, report) for report in loaded]
        results[mode] = {r.name: (r.status, r.checks) for r in checked}

    assert {n: s for n, (s, _) in results["batched"].items()} == {
        "2017q3_positive_en.csv": "loaded", "2018q1_positive_en.csv": "quarantined",
        "2018q2_positive_en.csv": "quarantined", "2018q3_positive_en.csv": "loaded",
        "2018q4_positive_en.csv": "quarantined", "2019q1_positive_en.csv": "loaded"}
    assert {n: s for n, (s, _) in results["alone"].items()} == \
        {n: s for n, (s, _) in results["batched"].items()}
    assert _verdicts({n: c for n, (_, c) in results["batched"].items()}) == \
        _verdicts({n: c for n, (_, c) in results["alone"].items()})
