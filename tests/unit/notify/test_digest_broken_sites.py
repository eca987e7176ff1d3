"""A broken website has one owner in the digest: the site checks (notices.py). A listing
stale because its site has been broken for over 14 days does not say it a second time."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import duckdb

from flows.directory.schema import ensure_schema
from flows.notify import digest, outbox
from flows.settings import get_settings
from flows.sitecheck import notices, store

NOW = datetime(2026, 11, 21, 8, tzinfo=UTC)
SITE = "https://comptoir.qc.ca/"


def still_broken_notice(settings) -> None:
    """Broken 20 days ago, reported 8 days ago, broken again in today's run."""
    ensure_schema(settings.work_db)
    now = NOW.replace(tzinfo=None)
    with store.connect(settings.work_db) as con:
        con.execute("insert into directory.organization (organization_id, name, website, "
                    "other_urls, status, natural_key, record_json) values "
                    "('o-comptoir', 'Comptoir', ?, [], 'active', 'o-comptoir', '{}')", [SITE])
        con.execute("insert into sitecheck.notice values (?, true, 'not_found', ?)",
                    [SITE, now - timedelta(days=8)])
        con.execute("insert into sitecheck.check (run_id, url, checked_at, status, http_status, "
                    "content_changed) values ('today', ?, ?, 'not_found', 404, false)",
                    [SITE, now])
        messages, _ = notices.decide(con, "today", now, again_days=7, live=True)
    assert [message.kind for message in messages] == ["site_still_broken"]
    outbox.enqueue(settings.outbox_db, messages)


def stale_listings(settings) -> None:
    """marts.listing_freshness as the build leaves it: one listing stale for its broken
    site only, one also not confirmed for 12 months."""
    settings.serving_db.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(settings.serving_db)) as con:
        con.execute("create schema marts")
        con.execute("create table marts.listing_freshness (organization_id varchar, "
                    "organization_name varchar, website varchar, is_stale boolean, "
                    "stale_reasons varchar)")
        con.execute("insert into marts.listing_freshness values "
                    "('o-comptoir', 'Comptoir', ?, true, 'broken_over_14_days'), "
                    "('o-carrefour', 'Carrefour', 'https://carrefour.qc.ca/', true, "
                    "'not_confirmed_12_months,broken_over_14_days')", [SITE])


def test_a_site_broken_for_over_14_days_appears_once_in_the_digest(tmt_home):
    settings = get_settings()
    still_broken_notice(settings)
    stale_listings(settings)
    digest_id, new = digest.compose(settings, NOW)
    assert digest_id and new == 2  # Comptoir's site (still broken), Carrefour's confirmation
    (sent,) = [row for row in outbox.rows(settings.outbox_db) if row["kind"] == "digest"]
    french = sent["payload"]["text"].split("--- English ---")[0]
    assert french.count("Comptoir") == 1 and french.count(SITE) == 1
    assert "toujours en panne" in french and "en panne depuis plus de 14 jours" not in french
    assert "Carrefour : non confirmée depuis 12 mois" in french
