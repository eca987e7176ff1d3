"""The maintainers' digest: what is new only, French first, HTML and text."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flows.notify import digest, messages, outbox
from flows.notify.digest_sources import Item
from flows.settings import get_settings

NOW = datetime(2026, 11, 21, 8, tzinfo=UTC)
QUARTER = Item("lmia_quarter", "lmia_quarter:2025Q1", "2025 T1 publié", "2025 Q1 published")


def digests(path):
    return [row for row in outbox.rows(path) if row["kind"] == "digest"]


def test_a_digest_only_when_something_is_new(tmt_home):
    settings = get_settings()
    warning = messages.digest_items("marts", "fct", [{
        "severity": "warning", "suite": "marts_lmia_periods", "expectation": "latest_period",
        "column": None, "observed": "2025-01-01", "rows": 1, "unexpected": None}])
    outbox.enqueue(settings.outbox_db, warning)
    digest_id, new = digest.compose(settings, NOW, [QUARTER])
    assert digest_id and new == 2
    (queued,) = digests(settings.outbox_db)
    text, html = queued["payload"]["text"], queued["payload"]["html"]
    assert text.startswith("Résumé pour l'équipe – 2026-11-21")
    assert text.index("Nouveau trimestre LMIA (1)") < text.index("--- English ---") \
        < text.index("New LMIA quarter (1)")
    assert "<h2" in html and "2025 T1 publié" in html and 'lang="en"' in html
    assert outbox.pending(settings.outbox_db, "maintainers")[0]["kind"] == "digest"

    # the same facts again (and the same warning queued by the next build): nothing new
    outbox.enqueue(settings.outbox_db, warning)
    assert digest.compose(settings, NOW + timedelta(days=1), [QUARTER]) == (None, 0)
    assert len(digests(settings.outbox_db)) == 1
    assert not [row for row in outbox.pending(settings.outbox_db) if row["template"]
                == "digest_item"]  # taken, not left to pile up

    # one new fact: a digest with that one only
    newer = Item("lmia_quarter", "lmia_quarter:2025Q2", "2025 T2 publié", "2025 Q2 published")
    assert digest.compose(settings, NOW + timedelta(days=2), [QUARTER, newer])[1] == 1
    # unseen for more than 30 days, then back: news again
    assert digest.compose(settings, NOW + timedelta(days=40), [QUARTER])[1] == 1


def test_long_sections_are_cut_with_a_count():
    items = [Item("unplaced_addresses", f"a{n}", f"adresse {n}", f"address {n}", n)
             for n in range(20)]
    payload = digest.render_digest(items, "2026-11-21")
    assert "et 5 autre(s)" in payload["text"] and "and 5 more" in payload["text"]
    assert payload["text"].index("adresse 19") < payload["text"].index("adresse 18")
