"""The `ingest_context` flow: a loopback CKAN, a folder with a file that does not add up to
its own total, and the bundled copies by default."""
from __future__ import annotations

import duckdb
import pytest

from flows.context.sources import bundled_sample
from flows.errors import TmtError
from flows.ingest_context import ingest_context
from flows.notify import outbox
from flows.settings import get_settings
from tests.support.fake_ckan import FakeCkan

pytestmark = pytest.mark.prefect

TABLE_3 = "tfwp2023_annual_table_3_e.csv"
HOLDERS = "EN_ODP_annual-TR-work-TFW_PT_program_year_end.xlsx"


def loaded_kinds():
    with duckdb.connect(str(get_settings().work_db), read_only=True) as con:
        return dict(con.execute("select table_kind, cell_count from raw.context_files "
                                "order by table_kind").fetchall())


def test_portal_dataset_only_the_tables_read_are_fetched(prefect_engine, tmt_home,
                                                         monkeypatch):
    # The same address guard as the LMIA downloads: loopback is refused unless allowed.
    monkeypatch.setenv("TMT_LMIA_ALLOW_NETWORKS", "127.0.0.1/32")
    with FakeCkan() as ckan:
        for name in (TABLE_3, HOLDERS):
            ckan.publish(name, (bundled_sample() / name).read_bytes(), name, "en")
        ckan.publish("tfwp_2023q4_pos_en.csv", b"not read here", "2023Q4 Positive LMIA "
                     "Employers List", "en")
        ckan.add_other_resource("tfwp2023_annual_table_13_e.csv", "Positions by stream")
        reports = ingest_context(ckan.dataset_url())
        assert [(r.name, r.status) for r in reports] == [(TABLE_3, "loaded"),
                                                         (HOLDERS, "loaded")]
        assert ckan.hits["/files/tfwp_2023q4_pos_en.csv"] == 0
        assert ckan.hits["/files/tfwp2023_annual_table_13_e.csv"] == 0
        archive = get_settings().home / "raw" / "context"
        assert len(list(archive.glob("*.csv"))) == 1 and len(list(archive.glob("*.xlsx"))) == 1
        assert (archive / "manifest.jsonl").read_text().count("\n") == 2
        assert [r.status for r in ingest_context(ckan.dataset_url())] == ["unchanged"] * 2


def test_a_total_that_does_not_reconcile_quarantines_the_file_alone(
        prefect_engine, tmt_home, tmp_path):
    folder = tmp_path / "stats"
    folder.mkdir()
    original = (bundled_sample() / TABLE_3).read_bytes()
    assert b'Quebec - Total,"20,311"' in original
    (folder / TABLE_3).write_bytes(original.replace(b'Quebec - Total,"20,311"',
                                                    b'Quebec - Total,"20,312"'))
    (folder / HOLDERS).write_bytes((bundled_sample() / HOLDERS).read_bytes())
    (folder / "tfwp2023_annual_table_13_e.csv").write_text(
        "Number of TFW positions on positive LMIAs by program stream,,\n", encoding="utf-8")

    with pytest.raises(TmtError) as failure:
        ingest_context(str(folder))

    reason = (f"{TABLE_3}: line 52: Quebec - Total 2016 is 20,312 but its lines add up "
              "to 20,311")
    assert str(failure.value) == f"1 of 3 context file(s) not loaded: quarantined {reason}"
    assert loaded_kinds() == {"ircc_tfwp_permit_holders": 3275}
    quarantine = get_settings().home / "quarantine" / "context"
    assert [p.read_text().strip() for p in quarantine.glob("*.reason.txt")] == [reason]
    con = outbox.connect(get_settings().outbox_db)
    try:
        kinds = [row[0] for row in con.execute("select kind from outbox").fetchall()]
    finally:
        con.close()
    assert kinds == ["context_file_quarantined"]


def test_bundled_copies_by_default(prefect_engine, tmt_home):
    reports = ingest_context()
    assert sorted(r.status for r in reports) == ["loaded"] * 4
    assert loaded_kinds() == {"esdc_positions_by_economic_region": 680,
                              "esdc_top_countries": 576, "ircc_tfwp_permit_holders": 3275,
                              "ircc_tfwp_to_permanent_residence": 14478}
