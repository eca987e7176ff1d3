"""Sending through apprise to a real SMTP server on 127.0.0.1: once, whatever happens."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from flows.errors import TmtError
from flows.notify import channels, digest, messages, outbox, sender
from flows.settings import get_settings
from tests.support.smtp import SmtpServer, body, free_port, write_config


@pytest.fixture
def smtp():
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def configured(tmt_home, tmp_path, monkeypatch):
    def configure(port: int):
        monkeypatch.setenv("TMT_APPRISE_CONFIG", str(write_config(tmp_path / "apprise.yml", port)))
        monkeypatch.setenv("TMT_SEND_BACKOFF_S", "0")
        monkeypatch.setenv("TMT_SEND_INTERVAL_S", "0")
        return get_settings()
    return configure


def test_alerts_and_the_digest_reach_the_maintainers_once(smtp, configured):
    settings = configured(smtp.port)
    outbox.enqueue(settings.outbox_db, [messages.build_failed("dbt build failed: x (fail: 1)")])
    digest.compose(settings, collected=[digest.Item("lmia_quarter", "q", "2025 T1 publié",
                                                    "2025 Q1 published")])
    report = sender.send_due(settings)
    assert (report.sent, report.retrying, report.failed) == (2, 0, 0)
    alert, summary = smtp.mailbox.wait_for(2)
    assert alert["To"] == "equipe@example.org" and alert["X-TMT-Message"] == "outbox-1"
    assert alert["Subject"].startswith("[TMT] Construction de l'entrepôt en échec")
    text, html = body(summary, "plain"), body(summary, "html")
    assert text.index("Résumé pour l'équipe") < text.index("Maintainers' digest")
    assert "<h2" in html and "2025 T1 publié" in html
    assert sender.send_due(settings).sent == 0 and len(smtp.mailbox.messages) == 2
    assert {row["status"] for row in outbox.rows(settings.outbox_db)} == {"sent"}


def test_smtp_down_then_up_gives_exactly_one_delivery(configured):
    port = free_port()
    settings = configured(port)
    outbox.enqueue(settings.outbox_db, [messages.build_failed("dbt build failed: down")])
    down = sender.send_due(settings)  # nothing listens on the port
    assert (down.sent, down.retrying) == (0, 1)
    (row,) = outbox.pending(settings.outbox_db)
    assert row["attempts"] == 1 and "127.0.0.1" in row["last_error"] and row["next_attempt_at"]
    server = SmtpServer(port).start()
    try:
        assert sender.send_due(settings).sent == 1
        assert sender.send_due(settings).sent == 0
        time.sleep(0.3)
        assert len(server.mailbox.messages) == 1
    finally:
        server.stop()


def test_a_sender_killed_mid_message_resumes_without_duplicates(configured, tmt_home):
    """The SMTP server takes the message's data and never answers; the sending process is
    killed there (after "recorded", before "sent"). The next send delivers it once."""
    stuck = SmtpServer(hang=True).start()
    settings = configured(stuck.port)
    outbox.enqueue(settings.outbox_db, [messages.build_failed("dbt build failed: killed")])
    process = subprocess.Popen(
        [sys.executable, "-c", ("from flows.notify.sender import send_due; "
         "from flows.settings import get_settings; send_due(get_settings())")],
        env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert stuck.mailbox.data_started.wait(30), "the sender never reached DATA"
        (row,) = outbox.rows(settings.outbox_db)
        assert row["status"] == "sending" and row["attempts"] == 1
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    finally:
        process.kill()
        stuck.stop()
    assert stuck.mailbox.messages == []
    server = SmtpServer(stuck.port).start()
    try:
        resumed = sender.send_due(settings)
        assert (resumed.released, resumed.sent) == (1, 1)
        assert sender.send_due(settings).sent == 0
        time.sleep(0.3)
        assert len(server.mailbox.messages) == 1
        (row,) = outbox.rows(settings.outbox_db)
        assert (row["status"], row["attempts"]) == ("sent", 2)
    finally:
        server.stop()


def test_a_refused_address_fails_once_and_goes_to_the_maintainers(smtp, configured):
    settings = configured(smtp.port)
    outbox.enqueue(settings.outbox_db, [outbox.Message(
        "org-reminders", "listing_reminder_first", "notice",
        {"subject": "Votre fiche", "text": "Bonjour", "organization_name": "Organisme X"},
        recipient="personne@refused.example.org")])
    report = sender.send_due(settings)
    assert (report.sent, report.failed) == (0, 1)
    failed = outbox.rows(settings.outbox_db, "failed")
    assert len(failed) == 1 and "550" in failed[0]["last_error"]
    digest.compose(settings, collected=[])
    sender.send_due(settings)
    (notice,) = smtp.mailbox.wait_for(1)
    assert notice["To"] == "equipe@example.org"
    assert "Messages non remis" in body(notice, "plain")
    assert "personne@refused.example.org" in body(notice, "plain")
    assert sender.send_due(settings).sent == 0  # the failure is not retried


def test_without_a_configuration_messages_wait_and_say_so(tmt_home, monkeypatch):
    monkeypatch.delenv("TMT_APPRISE_CONFIG", raising=False)
    settings = get_settings()
    outbox.enqueue(settings.outbox_db, [messages.build_failed("dbt build failed: quiet")])
    report = sender.send_due(settings)
    assert report.waiting == 1 and "TMT_APPRISE_CONFIG is not set" in report.line()
    (row,) = outbox.pending(settings.outbox_db)
    assert (row["attempts"], row["status"]) == (0, "pending")


def test_secrets_come_from_the_environment_and_stay_out_of_the_outbox(
        smtp, tmt_home, tmp_path, monkeypatch):
    config = tmp_path / "apprise.yml"
    config.write_text(f"""urls:
  - mailto://robot:${{TEST_SMTP_PASSWORD}}@127.0.0.1:{smtp.port}?from=a@example.org&to=b@example.org:
      - tag: alerts
""")
    monkeypatch.setenv("TMT_APPRISE_CONFIG", str(config))
    monkeypatch.delenv("TEST_SMTP_PASSWORD", raising=False)
    with pytest.raises(TmtError, match=r"\$\{TEST_SMTP_PASSWORD\} is not set"):
        channels.load(config)
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "s3cret-Pa55word")
    settings = get_settings()
    outbox.enqueue(settings.outbox_db, [messages.build_failed("dbt build failed: auth")])
    assert sender.send_due(settings).retrying == 1  # this server offers no AUTH
    (row,) = outbox.pending(settings.outbox_db)
    assert "s3cret-Pa55word" not in row["last_error"] and row["last_error"]


ADDRESSES = [  # what organizations use: RCPT TO must carry each one exactly
    ("o'brien@example.org", "o'brien@example.org"),
    ("accueil+tmt@example.org", "accueil+tmt@example.org"),
    ("jean-luc.d'arcy@services.region.example.org", "jean-luc.d'arcy@services.region.example.org"),
    ("info@organisme-québec.example.org", "info@xn--organisme-qubec-mnb.example.org"),
    ("a&b_c=d~e@example.org", "a&b_c=d~e@example.org"),
]


def test_each_address_reaches_smtp_exactly_and_the_outbox_says_so(smtp, configured):
    settings = configured(smtp.port)
    outbox.enqueue(settings.outbox_db, [outbox.Message(
        "org-reminders", "listing_reminder_first", "notice",
        {"subject": "Votre fiche", "text": f"Bonjour {n}", "organization_name": f"Org {n}"},
        recipient=written) for n, (written, _) in enumerate(ADDRESSES)])
    report = sender.send_due(settings)
    assert (report.sent, report.failed) == (len(ADDRESSES), 0), report.errors
    smtp.mailbox.wait_for(len(ADDRESSES))
    handed = [recipients for _, recipients in smtp.mailbox.envelopes]
    assert sorted(handed) == sorted([[wire] for _, wire in ADDRESSES])
    recorded = {row["recipient"] for row in outbox.rows(settings.outbox_db, "sent")}
    assert recorded == {wire for _, wire in ADDRESSES}
