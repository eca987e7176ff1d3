"""The suites in expectations/, each expectation broken on purpose on real frames.

Real Great Expectations on frames read from a real DuckDB file (the 2017 Q3 list, loaded
as the ingest loads it). The GE import (6-8 s) is paid once for the session.
"""
from __future__ import annotations

import pytest

from expectations.checkpoint import Batch, run_checkpoint
from flows.lmia import ingest
from flows.lmia.sources import Candidate
from flows.quality import raw_lmia as raw_checkpoint
from flows.settings import get_settings
from tests.support.bad_files import GOOD_CSV


@pytest.fixture(scope="module")
def frames(real_lmia, tmp_path_factory):
    """(file frame, rows frame) of the 2017 Q3 list, as the raw checkpoint reads them."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TMT_HOME", str(tmp_path_factory.mktemp("home")))
        settings = get_settings()
        report = ingest.load_archived(
            ingest.fetch(Candidate(str(real_lmia / GOOD_CSV), GOOD_CSV, False), settings),
            settings)
        return raw_checkpoint.frames(settings, [report.sha256])


def failures(suite, frame):
    outcome = run_checkpoint("test", [Batch(suite, frame, "test")])
    return {(f.expectation, f.column, f.severity): f for f in outcome.findings}


def test_a_good_file_passes(frames):
    from expectations import raw_lmia

    file_frame, rows_frame = frames
    assert failures(raw_lmia.raw_lmia_file(2.0), file_frame) == {}
    assert failures(raw_lmia.raw_lmia_rows(), rows_frame) == {}


def _set(frame, column, value, rows=(5,)):
    broken = frame.copy()
    if broken[column].dtype == "category" and value not in broken[column].cat.categories:
        broken[column] = broken[column].cat.add_categories([value])
    for row in rows:
        broken.loc[row, column] = value
    return broken


@pytest.mark.parametrize("case, expected", [
    ("unknown province", ("expect_column_values_to_be_in_set", "province_code")),
    ("duplicate provenance key", ("expect_compound_columns_to_be_unique",
                                  "file_sha256, sheet, source_row")),
    ("NOC 2021 codes in a NOC 2011 file", ("expect_column_values_to_match_regex", "occupation_code")),
    ("bad postal code", ("expect_column_values_to_match_regex", "postal_code")),
    ("many zero positions", ("expect_column_values_to_be_between", "approved_positions")),
    ("fractional positions", ("expect_column_values_to_be_in_type_list", "approved_positions")),
])
def test_each_raw_row_expectation_is_critical(frames, case, expected):
    import pandas as pd

    from expectations import raw_lmia

    rows = frames[1]
    broken = {
        "unknown province": lambda: _set(rows, "province_code", "ZZ"),
        "duplicate provenance key": lambda: pd.concat([rows, rows.iloc[[5]]], ignore_index=True),
        # one is a flagged cell (the parser keeps it); one in fifty means the codes are wrong
        "NOC 2021 codes in a NOC 2011 file": lambda: _set(rows, "occupation_code", "21399",
                                                          rows=range(0, 4538, 50)),
        "bad postal code": lambda: _set(rows, "postal_code", "90210"),
        "many zero positions": lambda: _set(rows, "approved_positions", 0, rows=range(0, 4538, 50)),
        "fractional positions": lambda: rows.assign(
            approved_positions=rows.approved_positions.astype(float) + 0.5),
    }[case]()
    found = failures(raw_lmia.raw_lmia_rows(), broken)
    finding = found[(*expected, "critical")]
    if case not in ("fractional positions", "many zero positions",
                    "NOC 2021 codes in a NOC 2011 file"):
        assert finding.unexpected in (1, 2) and finding.samples[0]["source_row"] == 8


def test_the_odd_zero_is_tolerated(frames):
    from expectations import raw_lmia

    assert failures(raw_lmia.raw_lmia_rows(), _set(frames[1], "approved_positions", 0)) == {}


def test_file_level_layout_is_critical_and_volume_a_warning(frames):
    from expectations import raw_lmia

    file_frame = frames[0]
    unknown = failures(raw_lmia.raw_lmia_file(2.0), file_frame.assign(layout="wage_level"))
    assert ("expect_column_values_to_be_in_set", "layout", "critical") in unknown
    for ratio, flagged in ((0.5, True), (0.51, False), (1.99, False), (2.0, True)):
        found = failures(raw_lmia.raw_lmia_file(2.0), file_frame.assign(row_ratio=ratio))
        assert (("expect_column_values_to_be_between", "row_ratio", "warning") in found) is flagged
        assert all(severity == "warning" for (_, _, severity) in found)


def test_period_suite_share_is_critical_and_freshness_a_warning():
    import pandas as pd

    from expectations import marts

    periods = pd.DataFrame({
        "period_kind": ["quarter", "quarter"], "period_start": ["2024-10-01", "2025-01-01"],
        "quebec_positions": [100, 200], "territory_positions": [100, 200],
        "municipality_share": [0.995, 0.98], "months_old": [13, 10]})
    found = failures(marts.marts_lmia_periods(0.99, 9), periods)
    assert found.keys() == {
        ("expect_column_values_to_be_between", "municipality_share", "critical"),
        ("expect_column_min_to_be_between", "months_old", "warning")}
    share = found[("expect_column_values_to_be_between", "municipality_share", "critical")]
    assert share.samples == [periods.iloc[1].to_dict()]
    assert failures(marts.marts_lmia_periods(0.99, 12),
                    periods.assign(municipality_share=1.0)) == {}


def test_a_failing_row_names_its_period_and_only_those_periods_are_withheld():
    """Every failing row counts, not only the five samples; a finding with no period (an
    aggregate, the directory) means nothing can be published."""
    import pandas as pd

    from expectations import marts
    from flows.quality.marts import PERIOD_COLUMNS, withheld_periods

    starts = [f"{year}-{month:02d}-01" for year in range(2015, 2025) for month in (1, 4, 7, 10)]
    periods = pd.DataFrame({
        "period_kind": "quarter", "period_start": starts, "quebec_positions": 100,
        "territory_positions": 100, "months_old": 1,
        "municipality_share": [0.5 if n % 5 == 0 else 1.0 for n in range(len(starts))]})
    periods.loc[3, "territory_positions"] = 99
    outcome = run_checkpoint("test", [Batch(marts.marts_lmia_periods(0.99, 9), periods,
                                            "periods", period_columns=PERIOD_COLUMNS)])
    share = next(f for f in outcome.critical if f.column == "municipality_share")
    assert len(share.samples) == 5 and len(share.periods) == 8
    assert withheld_periods(outcome) == tuple(sorted(
        [("quarter", starts[n]) for n in range(0, len(starts), 5)] + [("quarter", starts[3])],
        key=lambda period: period[1]))
    no_period = run_checkpoint("test", [Batch(marts.marts_lmia_periods(0.99, 9), periods,
                                              "periods")])
    assert withheld_periods(no_period) is None
    assert failures(marts.marts_lmia_periods(0.99, 9, any_period=False), periods.iloc[0:0]) == {}


def test_directory_suites_check_emails_urls_and_codes_against_the_vocabularies():
    import pandas as pd

    from expectations import directory

    organizations = pd.DataFrame({
        "organization_id": ["org-1", "org-2"], "name": ["Centre A", "Centre B"],
        "status": ["active", "active"], "region_codes": ["06,13", "03"],
        "email": ["info@centre-a.example.org", "info at centre-b"],
        "website": ["https://centre-a.example.org/", "centre-b dot org"]})
    found = failures(directory.directory_organizations(), organizations)
    assert {(key[1], finding.samples[0]["organization_id"]) for key, finding in found.items()} \
        == {("email", "org-2"), ("website", "org-2")}

    # in_vocabulary as quality_directory_codes computes it (tests/dbt/test_dbt_directory.py)
    codes = pd.DataFrame(
        [("org-1", "Centre A", "region_codes", "06", True),
         ("org-1", "Centre A", "region_codes", "18", False),
         ("org-1", "Centre A", "languages", "fr", True),
         ("org-1", "Centre A", "languages", "klingon", False),
         ("org-1", "Centre A", "services", "francisation", True),
         ("org-1", "Centre A", "services", "astrologie", False),
         ("org-1", "Centre A", "mrc_codes", "720", True),
         ("org-1", "Centre A", "mrc_codes", "72", False)],
        columns=["organization_id", "name", "list_name", "code", "in_vocabulary"])
    found = run_checkpoint("test", [Batch(directory.directory_codes(), codes, "test")]).findings
    assert sorted(finding.samples[0]["code"] for finding in found) == [
        "18", "72", "astrologie", "klingon"]
    assert sorted(finding.column for finding in found) == ["in_vocabulary"] * 4
    assert all(finding.is_critical for finding in found)
    assert failures(directory.directory_codes(), codes.iloc[0:0]) == {}  # nothing imported yet
