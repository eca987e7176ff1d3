"""The `ingest_lmia` flow against a real HTTP server on 127.0.0.1 that speaks CKAN."""
from __future__ import annotations

import duckdb
import pytest

from flows.errors import TmtError
from flows.ingest_lmia import ingest_lmia
from flows.notify import outbox
from flows.settings import get_settings
from tests.support.fake_ckan import FakeCkan

CSV_2017 = "orig_2017q3_positive_en.csv"
XLSX_2021 = "orig_2021q4_positive_en.xlsx"
TITLE = "{} Positive Labour Market Impact Assessment (LMIA) Employers List"


def raw_counts():
    with duckdb.connect(str(get_settings().work_db), read_only=True) as con:
        return con.execute("select count(*), sum(approved_positions) from raw.lmia_rows "
                           "where file_sha256 in (select file_sha256 from raw.lmia_files "
                           "where superseded_by is null)").fetchone()


@pytest.fixture
def ckan(real_lmia, monkeypatch):
    monkeypatch.setenv("TMT_LMIA_ALLOW_NETWORKS", "127.0.0.1/32")  # the guard refuses loopback
    with FakeCkan() as server:
        server.publish("tfwp_2017q3_positive_en.csv", (real_lmia / CSV_2017).read_bytes(),
                       TITLE.format("2017Q3"), "en")
        server.publish("tfwp_2021q4_pos_en.xlsx", (real_lmia / XLSX_2021).read_bytes(),
                       TITLE.format("2021Q4"), "en")
        server.add_other_resource("lmia_stats_by_province_en.csv",
                                  "Number of positions on positive LMIAs by province")
        yield server


def test_discovers_downloads_archives_and_loads_then_rerun_fetches_nothing(
        prefect_engine, tmt_home, ckan):
    reports = ingest_lmia(ckan.dataset_url())
    assert [(r.status, r.period) for r in reports] == [("loaded", "2017Q3"), ("loaded", "2021Q4")]
    assert raw_counts() == (4538 + 7028, 12731 + 40959)
    assert "lmia_stats_by_province_en.csv" not in ckan.hits  # not an employers list
    archived = sorted(p.name for p in get_settings().raw_lmia_dir.iterdir()
                      if p.suffix in (".csv", ".xlsx"))
    assert [name.split(".")[1] for name in archived] == sorted(["csv", "xlsx"])
    assert all(len(name.split(".")[0]) == 64 for name in archived)

    before = dict(ckan.full_bodies)
    again = ingest_lmia(ckan.dataset_url())
    assert [r.status for r in again] == ["unchanged", "unchanged"]
    assert dict(ckan.full_bodies) == before  # conditional requests: 304, no body
    assert raw_counts() == (4538 + 7028, 12731 + 40959)


def test_transient_faults_are_retried(prefect_engine, tmt_home, ckan, monkeypatch):
    monkeypatch.setenv("TMT_HTTP_TIMEOUT_S", "1")
    ckan.slow_seconds = 2.5
    ckan.faults["/data/api/3/action/package_show"] = ["500"]
    ckan.faults["/files/tfwp_2017q3_positive_en.csv"] = ["reset", "500", "short"]
    ckan.faults["/files/tfwp_2021q4_pos_en.xlsx"] = ["slow"]
    reports = ingest_lmia(ckan.dataset_url())
    assert [r.status for r in reports] == ["loaded", "loaded"]
    assert ckan.hits["/files/tfwp_2017q3_positive_en.csv"] == 4


def test_missing_resource_fails_the_run_but_the_others_load(prefect_engine, tmt_home, ckan):
    ckan.files.pop("tfwp_2017q3_positive_en.csv")  # listed in CKAN, 404 on download
    with pytest.raises(TmtError, match="1 of 2 LMIA file.*HTTP 404"):
        ingest_lmia(ckan.dataset_url())
    assert raw_counts() == (7028, 40959)
    assert ckan.hits["/files/tfwp_2017q3_positive_en.csv"] == 1  # 4xx: no retry
    (alert,) = outbox.pending(get_settings().outbox_db, "alerts")
    assert alert["kind"] == "lmia_download_failed" and "HTTP 404" in alert["payload"]["reason"]


def test_republished_file_supersedes_and_both_stay_archived(
        prefect_engine, tmt_home, ckan, real_lmia):
    ingest_lmia(ckan.dataset_url())
    corrected = (real_lmia / CSV_2017).read_bytes().replace(
        b"2264-Construction inspectors,8", b"2264-Construction inspectors,9", 1)
    ckan.publish("tfwp_2017q3_positive_en.csv", corrected, TITLE.format("2017Q3"), "en",
                 last_modified="2024-06-01T00:00:00")
    reports = ingest_lmia(ckan.dataset_url())
    assert [r.status for r in reports] == ["unchanged", "loaded"] or \
        sorted(r.status for r in reports) == ["loaded", "unchanged"]
    assert raw_counts() == (4538 + 7028, 12731 + 1 + 40959)
    with duckdb.connect(str(get_settings().work_db), read_only=True) as con:
        files = con.execute("select count(*), count(superseded_by) from raw.lmia_files "
                            "where period_year = 2017").fetchone()
    assert files == (2, 1)
    assert len(list(get_settings().raw_lmia_dir.glob("*.csv"))) == 2


def test_size_cap(prefect_engine, tmt_home, ckan, monkeypatch):
    monkeypatch.setenv("TMT_DOWNLOAD_MAX_BYTES", "1000")
    with pytest.raises(TmtError, match="byte cap"):
        ingest_lmia(ckan.dataset_url())
    assert not list(get_settings().raw_lmia_dir.glob("*.csv"))


def test_unknown_dataset_is_a_clear_error(prefect_engine, tmt_home, ckan):
    with pytest.raises(TmtError, match="package_show.*HTTP 404"):
        ingest_lmia(f"{ckan.base_url}/data/en/dataset/no-such-dataset")


def test_each_run_leaves_a_table_for_maintainers(prefect_engine, tmt_home, ckan):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        ArtifactFilter,
        ArtifactFilterKey,
        FlowRunFilter,
        FlowRunFilterId,
    )

    state = ingest_lmia(ckan.dataset_url(), return_state=True)
    with get_client(sync_client=True) as client:
        (artifact,) = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["lmia-ingest"])),
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[state.state_details.flow_run_id])))
    rows = artifact.data
    rows = rows if isinstance(rows, list) else __import__("json").loads(rows)
    assert {row["statut / status"] for row in rows} == {"loaded"}
    assert sum(row["postes / positions"] for row in rows) == 12731 + 40959
