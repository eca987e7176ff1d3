"""The outbox: durable, deduplicated while pending, French first."""
from __future__ import annotations

import sqlite3

import pytest

from flows.lmia.ingest import FileReport
from flows.notify import messages, outbox


def test_a_message_is_queued_once_while_pending_and_again_once_handled(tmp_path):
    path = tmp_path / "state" / "outbox.sqlite"
    alert = messages.build_failed("dbt build failed: unique_fct (fail: 1)")
    first = outbox.enqueue(path, [alert])
    assert len(first) == 1
    assert outbox.enqueue(path, [alert]) == []  # the same alert, still pending: not twice
    assert len(outbox.pending(path, "alerts")) == 1

    with sqlite3.connect(path) as con:  # what the sender (issue 7) will do once it is sent
        con.execute("update outbox set status = 'sent', attempts = 1, sent_at = 'now'")
    assert len(outbox.enqueue(path, [alert])) == 1  # it happened again: a new alert
    other = messages.build_failed("dbt build failed: something else")
    assert len(outbox.enqueue(path, [other])) == 1


def test_rows_have_the_documented_columns_and_pending_status(tmp_path):
    path = tmp_path / "outbox.sqlite"
    outbox.enqueue(path, [outbox.Message("org-reminders", "listing_reminder", "reminder",
                                         {"organization_id": "org-1"}, recipient="a@example.org")])
    (row,) = outbox.pending(path)
    assert set(row) == {"id", "created_at", "tag", "recipient", "kind", "template", "payload",
                        "payload_hash", "status", "attempts", "last_error", "sent_at",
                        "next_attempt_at", "claimed_by", "claimed_at", "delivered_to",
                        "digest_id"}
    assert (row["status"], row["attempts"], row["recipient"]) == ("pending", 0, "a@example.org")
    assert row["payload"] == {"organization_id": "org-1"}


def test_an_unknown_tag_is_refused(tmp_path):
    with pytest.raises(ValueError, match="outbox tag 'everyone'"):
        outbox.enqueue(tmp_path / "outbox.sqlite", [outbox.Message("everyone", "k", "t")])


def test_alert_text_is_french_first_then_english():
    report = FileReport("2019q3_error_page_positive_en.csv", "/in/x.csv", "quarantined",
                        sha256="ab" * 32, reason="2019q3_error_page_positive_en.csv: an HTML page")
    alert = messages.file_not_loaded(report)
    assert (alert.tag, alert.kind) == ("alerts", "lmia_file_quarantined")
    french, english = alert.payload["text"].split("--- English ---")
    assert french.startswith("Le fichier 2019q3_error_page_positive_en.csv n'a pas été chargé")
    assert "was not loaded" in english and "an HTML page" in english
    assert alert.payload["subject"].startswith("[TMT] Fichier LMIA en quarantaine")


def test_an_outbox_made_before_the_sender_gains_its_columns(tmp_path):
    path = tmp_path / "outbox.sqlite"
    with sqlite3.connect(path) as con:  # the table as issue 4 created it
        con.executescript(outbox.SCHEMA.split("create unique index")[0])
        con.execute("insert into outbox (created_at, tag, kind, template, payload, payload_hash)"
                    " values ('2026-01-01', 'alerts', 'k', 'alert', '{}', 'h')")
    (row,) = outbox.pending(path)
    assert row["delivered_to"] == "[]" and row["next_attempt_at"] is None


def test_a_claim_is_taken_once_and_released_when_its_process_is_gone(tmp_path):
    from datetime import UTC, datetime, timedelta

    path = tmp_path / "outbox.sqlite"
    (message_id,) = outbox.enqueue(path, [messages.build_failed("x")])
    now = datetime(2026, 11, 21, tzinfo=UTC)
    assert outbox.claim(path, message_id, "host:1:a", now)["attempts"] == 1
    assert outbox.claim(path, message_id, "host:2:b", now) is None  # another sender: no
    assert outbox.release_abandoned(path, now, lambda who: True) == []
    assert outbox.release_abandoned(path, now, lambda who: None) == []  # lease not over
    later = now + timedelta(hours=2)
    assert outbox.release_abandoned(path, later, lambda who: None) == [message_id]
    outbox.claim(path, message_id, "host:3:c", later)
    outbox.record_delivery(path, message_id, "dest-a")
    outbox.record_delivery(path, message_id, "dest-a")
    assert outbox.release_abandoned(path, later, lambda who: False) == [message_id]
    (row,) = outbox.due(path, later)
    assert (row["attempts"], row["delivered_to"]) == (2, ["dest-a"])


def test_a_file_a_data_check_withdrew_is_told_in_words_with_its_numbers_in_each_language():
    """No column names, no GE expectation names: the check, its column and a failing row as
    the maintainer reads them, and numbers in each language's format."""
    finding = {"suite": "raw_lmia_rows", "expectation": "expect_column_values_to_be_between",
               "column": "approved_positions", "severity": "critical", "description": "",
               "unexpected": 2923, "rows": 4538, "observed": None, "periods": (),
               "samples": [{"sheet": "csv", "source_row": 9, "province_code": "NL",
                            "approved_positions": 0, "postal_code": None}]}
    report = FileReport("2017q3.csv", "/in/2017q3.csv", "quarantined", sha256="ab" * 32,
                        reason="2017q3.csv: failed data check", checks=[finding])
    french, english = messages.file_not_loaded(report).payload["text"].split("--- English ---")
    assert ("Raison : 2017q3.csv : contrôle de qualité en échec : Lignes d'un fichier LMIA · "
            "valeurs dans l'intervalle attendu (postes approuvés), détail ci-dessous") in french
    assert ("- Lignes d'un fichier LMIA · valeurs dans l'intervalle attendu (postes approuvés)"
            " : 2\u202f923 ligne(s) sur 4\u202f538\n  exemple : feuille : csv ; ligne du "
            "fichier : 9 ; code de province : NL ; postes approuvés : 0") in french
    assert ("- Rows of an LMIA file · values within range (approved positions): 2,923 of "
            "4,538 rows\n  sample: sheet: csv; file row: 9; province code: NL; approved "
            "positions: 0") in english
