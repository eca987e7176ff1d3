"""Which failures of a run tree need the generic alert, and the summaries' markdown."""
from __future__ import annotations

from flows.ops import failures, journal, summaries


def run(run_id, flow, parent=None, state="completed", message=None, **summary):
    return {"run_id": run_id, "flow": flow, "parent_run_id": parent, "state": state,
            "message": message, "summary": summary}


def test_the_failed_step_is_named_not_the_parents_it_failed():
    tree = [run("r", "refresh_lmia", state="failed", message="boom"),
            run("i", "ingest_lmia", "r", "failed", "a.csv: no such file\nTraceback ..."),
            run("b", "build_warehouse", "r", "completed")]
    assert failures.unalerted(tree) == [
        {"flow": "ingest_lmia", "run_id": "i", "message": "a.csv: no such file"}]


def test_a_failure_with_its_own_alert_needs_none_and_a_lone_root_names_itself():
    assert failures.unalerted([run("r", "run_pipeline", state="failed", message="x"),
                               run("b", "build_warehouse", "r", "failed", "dbt build failed",
                                   alert_queued=True)]) == []
    assert failures.unalerted([run("r", "build_warehouse", state="failed", message="lock")]) \
        == [{"flow": "build_warehouse", "run_id": "r", "message": "lock"}]


def test_descendants_follow_the_tree(tmp_path):
    path = tmp_path / "runs.sqlite"
    journal.started(path, "root", "update_campaign")
    journal.started(path, "child", "build_warehouse", "root")
    journal.started(path, "other", "notify")
    journal.note(path, "child", {"checks_failed": 0}, "file:///docs/index.html")
    [child] = journal.descendants(path, "root")
    assert (child["run_id"], child["summary"]) == ("child", {"checks_failed": 0})
    assert journal.get(path, "child")["data_docs_url"] == "file:///docs/index.html"


def test_markdown_labels_are_french_then_english():
    text = summaries.markdown("Titre / Title", {"rows_ingested": 3, "ingest_lmia": {
        "state": "failed", "message": "a | b"}}, {"Data Docs": "file:///x/index.html"})
    assert "| lignes ingérées / rows ingested | 3 |" in text
    assert "| **ingest_lmia** | failed |" in text and "a \\| b" in text
    assert text.endswith("[Data Docs](file:///x/index.html)")


def test_ingest_summary_counts_files_rows_and_checks():
    from flows.lmia.ingest import FileReport

    reports = [FileReport("a.csv", "a", "loaded", rows=10, approved_positions=25,
                          checks=[{"severity": "warning"}],
                          repairs={"thousands separator in a count": 1}),
               FileReport("n.csv", "n", "ignored", reason="a negative LMIA list"),
               FileReport("b.csv", "b", "quarantined", rows=4,
                          checks=[{"severity": "critical"}]),
               FileReport("c.csv", "c", "unchanged")]
    assert summaries.ingest(reports) == {
        "files": 4, "loaded": 1, "unchanged": 1, "quarantined": 1, "failed": 0, "ignored": 1,
        "repaired": 1, "rows_ingested": 10, "positions_ingested": 25, "checks_failed": 1, "check_warnings": 1}
