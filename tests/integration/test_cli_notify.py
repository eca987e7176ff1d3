"""`tmt notify`, `tmt serve-confirmations`, `tmt campaign`, `tmt tasks` as a user runs them."""
from __future__ import annotations

import pytest

from flows.notify import messages, outbox
from flows.settings import get_settings
from tests.integration.test_cli import prefect_api, tmt  # noqa: F401 (fixture)


@pytest.mark.parametrize("command", [["notify"], ["serve-confirmations"], ["campaign"],
                                     ["tasks"], ["tasks", "done"]])
def test_every_command_has_help(command):
    result = tmt(*command, "--help")
    assert result.returncode == 0 and "usage: tmt" in result.stdout


def test_the_page_does_not_start_without_a_signing_key(tmt_home, monkeypatch):
    monkeypatch.delenv("TMT_SIGNING_KEY", raising=False)
    result = tmt("serve-confirmations", "--port", "1")
    assert result.returncode == 1
    assert result.stderr.startswith("tmt: error: TMT_SIGNING_KEY is not set")
    assert len(result.stderr.strip().splitlines()) == 1
    short = tmt("serve-confirmations", env={"TMT_SIGNING_KEY": "short"})
    assert short.returncode == 1 and "too short" in short.stderr


def test_notify_without_configuration_keeps_messages_and_names_the_missing_key(
        tmt_home, monkeypatch, prefect_api):  # noqa: F811
    monkeypatch.delenv("TMT_APPRISE_CONFIG", raising=False)
    monkeypatch.delenv("TMT_SIGNING_KEY", raising=False)
    outbox.enqueue(get_settings().outbox_db, [messages.build_failed("dbt build failed: z")])
    result = tmt("notify", env=prefect_api)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        ("tmt: error: reminders not queued: TMT_SIGNING_KEY is not set: organization reminders "
        "and the confirmation page need it (e.g. `python -c 'import secrets; "
        "print(secrets.token_urlsafe(32))'`) (everything else was sent)")]
    assert "1 waiting in the outbox (TMT_APPRISE_CONFIG is not set: nothing is sent)" \
        in result.stdout
    # The failed run adds its own alert (the missing key), which waits too.
    rows = outbox.rows(get_settings().outbox_db)
    assert [(row["kind"], row["status"]) for row in rows] == [
        ("dbt_build_failed", "pending"), ("flow_run_failed", "pending")]
    assert "- notify : reminders not queued: TMT_SIGNING_KEY is not set" in \
        rows[1]["payload"]["text"]


def test_tasks_done_refuses_an_unknown_task(tmt_home):
    result = tmt("tasks", "done", "no-such-task")
    assert result.returncode == 1
    assert result.stderr.strip() == ("tmt: error: no-such-task: no open task with this id "
                                     "(see marts.update_tasks)")


def test_notify_logs_no_debug_line_and_no_address(tmt_home, tmp_path, monkeypatch,
                                                 prefect_api):  # noqa: F811
    """Apprise logs at DEBUG with every address; `tmt notify` printed 64 such lines."""
    from tests.support.smtp import SmtpServer, write_config

    server = SmtpServer().start()
    try:
        monkeypatch.setenv("TMT_APPRISE_CONFIG", str(write_config(tmp_path / "apprise.yml",
                                                                  server.port)))
        monkeypatch.setenv("TMT_SIGNING_KEY", "k" * 40)
        monkeypatch.setenv("TMT_SEND_INTERVAL_S", "0")
        outbox.enqueue(get_settings().outbox_db, [
            messages.build_failed("dbt build failed: z"),
            outbox.Message("org-reminders", "listing_reminder_first", "notice",
                           {"subject": "Votre fiche", "text": "Bonjour",
                            "organization_name": "Organisme X"},
                           recipient="contact@organisme-x.example.org")])
        result = tmt("notify", env=prefect_api)
        server.mailbox.wait_for(2)
    finally:
        server.stop()
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "DEBUG" not in output
    assert "@" not in output, [line for line in output.splitlines() if "@" in line]
