"""Each way a file goes wrong: quarantined with a one-line reason, nothing lost, others go on."""
from __future__ import annotations

import json

import duckdb
import pytest

from flows.lmia import ingest
from flows.lmia.sources import Candidate
from flows.settings import get_settings
from tests.support.bad_files import GOOD_CSV, make_bad_files


@pytest.fixture(scope="module")
def bad_files(real_lmia):
    return make_bad_files(real_lmia)


@pytest.mark.parametrize("name", [
    "2019q1_empty_positive_en.csv", "2019q2_truncated_positive_en.csv",
    "2019q3_error_page_positive_en.csv", "2019q4_corrupt_positive_en.xlsx",
    "2020q1_encrypted_positive_en.xlsx", "2017q3_no_count_column_positive_en.csv",
    "2017q3_total_mismatch_positive_en.csv"])
def test_bad_file_is_quarantined_with_a_one_line_reason(tmt_home, tmp_path, bad_files, name):
    data, expected_words = bad_files[name]
    source = tmp_path / "in" / name
    source.parent.mkdir()
    source.write_bytes(data)
    settings = get_settings()

    archived = ingest.fetch(Candidate(str(source), name, False), settings)
    report = ingest.load_archived(archived, settings)

    assert report.status == "quarantined"
    assert "\n" not in report.reason
    assert report.reason.startswith(name)
    assert expected_words in report.reason
    # nothing is lost: the archive keeps the bytes, the quarantine has a copy and the reason
    assert archived.path.read_bytes() == data
    assert (settings.quarantine_dir / archived.path.name).read_bytes() == data
    reason_file = settings.quarantine_dir / f"{archived.sha256}.reason.txt"
    assert reason_file.read_text().strip() == report.reason
    with duckdb.connect(str(settings.work_db), read_only=True) as con:
        assert con.execute("select count(*) from raw.lmia_rows").fetchone()[0] == 0
        assert con.execute("select reason from raw.lmia_quarantine").fetchone()[0] == report.reason
    # the same bad bytes again: still reported, not silently accepted
    again = ingest.load_archived(ingest.fetch(Candidate(str(source), name, False), settings), settings)
    assert again.status == "quarantined"


def test_good_file_loads_once_and_archive_is_immutable(tmt_home, real_lmia):
    settings = get_settings()
    candidate = Candidate(str(real_lmia / GOOD_CSV), GOOD_CSV, False)
    first = ingest.load_archived(ingest.fetch(candidate, settings), settings)
    second = ingest.load_archived(ingest.fetch(candidate, settings), settings)
    assert (first.status, second.status) == ("loaded", "unchanged")
    archived = list(settings.raw_lmia_dir.glob("*.csv"))
    assert len(archived) == 1 and archived[0].stem == first.sha256
    assert archived[0].stat().st_mode & 0o222 == 0  # read-only
    manifest = [json.loads(line) for line in
                (settings.raw_lmia_dir / "manifest.jsonl").read_text().splitlines()]
    assert [m["sha256"] for m in manifest] == [first.sha256]
    assert manifest[0]["bytes"] == (real_lmia / GOOD_CSV).stat().st_size
    with duckdb.connect(str(settings.work_db), read_only=True) as con:
        rows, positions = con.execute(
            "select count(*), sum(approved_positions) from raw.lmia_rows").fetchone()
    assert (rows, positions) == (first.rows, first.approved_positions) == (4538, 12731)
