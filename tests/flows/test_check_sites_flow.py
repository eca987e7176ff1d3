"""`check_sites`: the Prefect flow over a directory and a guide served on 127.0.0.1, then the
freshness marts built by dbt from the history, and what the maintainers are told."""
from __future__ import annotations

import json
from datetime import date, timedelta

import duckdb
import pytest

from flows.check_sites import check_sites
from flows.directory.schema import ensure_schema
from flows.notify import outbox
from flows.settings import get_settings
from flows.sitecheck import steps
from flows.warehouse.dbt import run_dbt
from tests.support.sites import SiteServer

CONTRACT = ["organization_id", "organization_name", "website", "website_status", "http_status",
            "last_checked_at", "last_ok_at", "last_content_change_at", "last_confirmed_at",
            "is_stale", "stale_reasons", "next_reminder_due"]


@pytest.fixture
def site():
    server = SiteServer("127.0.0.1")
    yield server
    server.stop()


def add_organizations(settings, base):
    ensure_schema(settings.work_db)
    recently = date.today() - timedelta(days=30)
    rows = [("o-ok", "Carrefour", f"{base}/ok", [f"{base}/news"], "active", recently),
            ("o-404", "Comptoir", f"{base}/missing", [], "active", None),
            ("o-off", "Ancien", f"{base}/old", [], "inactive", None)]
    with duckdb.connect(str(settings.work_db)) as con:
        for oid, name, website, others, status, confirmed in rows:
            con.execute("insert into directory.organization (organization_id, name, website, "
                        "other_urls, status, last_confirmed_at, natural_key, record_json) "
                        "values (?, ?, ?, ?, ?, ?, ?, '{}')",
                        [oid, name, website, others, status, confirmed, oid])


def test_flow_history_marts_and_notices(prefect_engine, tmt_home, tmp_path, monkeypatch, site):
    base = site.base
    guide = tmp_path / "guide.yaml"
    guide.write_text(f"""sections:
  - id: droits
    title: {{fr: Vos droits, en: Your rights}}
    reviewed: {{fr: 2020-01-01, en: 2020-01-01}}
    sources:
      fr: ["{base}/news"]
      en: ["{base}/ok", "{base}/gone"]
""")
    monkeypatch.setenv("TMT_GUIDE_SOURCES", str(guide))
    monkeypatch.setenv("TMT_SITECHECK_ALLOW_NETWORKS", "127.0.0.1/32")
    monkeypatch.setenv("TMT_SITECHECK_HOST_INTERVAL_S", "0")
    settings = get_settings()
    add_organizations(settings, base)

    first = check_sites(live=True)
    assert first.checked == 4 and first.statuses == {"ok": 2, "not_found": 2}
    assert [url.removeprefix(base) for url, *_ in first.problems] == ["/gone", "/missing"]
    second = steps.check(settings, steps.plan(settings).urls, live=True)
    assert steps.report(settings, second) == 1  # the guide source that changed; no re-report
    assert second.statuses == {"ok": 1, "changed": 1, "not_found": 2}

    items = outbox.pending(settings.outbox_db, "maintainers")
    kinds = sorted(item["kind"] for item in items)
    assert kinds == ["guide_source_changed", "site_broken", "site_broken"]
    changed = next(item["payload"] for item in items if item["kind"] == "guide_source_changed")
    assert changed["guide_sections"] == ["droits (fr)"] and "+1 -1 lines" in changed["fr"]

    run_dbt(settings, "build", "--select", "+listing_freshness", "+guide_section_freshness",
            "--indirect-selection", "cautious")
    with duckdb.connect(str(settings.work_db), read_only=True) as con:
        columns = [c for (c,) in con.execute(
            "select column_name from information_schema.columns where table_schema = 'marts' "
            "and table_name = 'listing_freshness' order by ordinal_position").fetchall()]
        assert columns[:len(CONTRACT)] == CONTRACT
        listing = {row[0]: row for row in con.execute(
            "select organization_id, website_status, http_status, is_stale, stale_reasons, "
            "change_touches, last_content_change_at is not null, next_reminder_due is null "
            "from marts.listing_freshness").fetchall()}
        sections = con.execute(
            "select section_id, language, sources, sources_changed_since_review, "
            "sources_broken_or_moved, needs_review from marts.guide_section_freshness "
            "order by language").fetchall()
    assert listing["o-ok"][1:6] == ("ok", 200, True, "hours_changed", "hours")
    assert listing["o-404"][1:5] == ("not_found", 404, True, "not_confirmed_12_months")
    assert listing["o-off"][1] is None and listing["o-off"][7]  # inactive: not checked
    assert sections == [("droits", "en", 2, 0, 1, True), ("droits", "fr", 1, 1, 0, True)]


def test_broken_sites_are_reported_again_only_after_the_configured_days(tmt_home, monkeypatch,
                                                                         site):
    monkeypatch.setenv("TMT_SITECHECK_ALLOW_NETWORKS", "127.0.0.1/32")
    monkeypatch.setenv("TMT_GUIDE_SOURCES", str(tmt_home.parent / "empty.yaml"))
    (tmt_home.parent / "empty.yaml").write_text("sections: []\n")
    settings = get_settings()
    url = f"{site.base}/missing"

    def run() -> list[str]:
        summary = steps.check(get_settings(), [url], live=True)
        steps.report(get_settings(), summary)
        return [json.loads(row)["key"] for (row,) in outbox.connect(
            settings.outbox_db).execute("select payload from outbox").fetchall()]

    assert len(run()) == 1
    assert len(run()) == 1  # still broken, reported today: nothing new
    monkeypatch.setenv("TMT_SITECHECK_REPORT_AGAIN_DAYS", "0")
    keys = run()
    assert len(keys) == 2 and keys[0] != keys[1]  # reported again


def test_most_sites_failing_at_once_is_one_alert_about_our_network(tmt_home, monkeypatch):
    monkeypatch.setenv("TMT_SITECHECK_ALLOW_NETWORKS", "127.0.0.1/32")
    monkeypatch.setenv("TMT_SITECHECK_HOST_INTERVAL_S", "0")
    (tmt_home.parent / "empty.yaml").write_text("sections: []\n")
    monkeypatch.setenv("TMT_GUIDE_SOURCES", str(tmt_home.parent / "empty.yaml"))
    settings = get_settings()
    closed = [f"http://127.0.0.1:9/page-{n}" for n in range(20)]  # nothing listens there
    summary = steps.check(settings, closed, live=True)
    assert summary.statuses == {"unreachable": 20}
    assert steps.report(settings, summary) == 1
    (alert,) = outbox.pending(settings.outbox_db)
    assert alert["kind"] == "site_check_network" and alert["tag"] == "alerts"
