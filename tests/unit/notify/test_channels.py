"""The apprise configuration: the examples in deploy/apprise load and route as documented."""
from __future__ import annotations

import pytest

from flows.errors import TmtError
from flows.notify import channels
from flows.settings import REPO_ROOT

EXAMPLES = REPO_ROOT / "deploy" / "apprise"
ENV = {"TMT_SMTP_USER": "robot", "TMT_SMTP_PASSWORD": "pa55-word",
       "TMT_SLACK_WEBHOOK": "T1JJ3T3L2/A1BRTD4JD/TIiajkdnlazkcOXrIdevi7FQ",
       "TMT_TEAMS_WORKFLOW_HOST": "prod-00.canadacentral.logic.azure.com:443",
       "TMT_TEAMS_WORKFLOW_ID": "abcdef0123456789", "TMT_TEAMS_WORKFLOW_SIGNATURE": "sig123"}


@pytest.mark.parametrize("name, alerts", [
    ("email.example.yml", ["NotifyEmail"]),
    ("slack-teams.example.yml", ["NotifySlack", "NotifyWorkflows"]),
])
def test_examples_load_and_route_every_tag(monkeypatch, name, alerts):
    for variable, value in ENV.items():
        monkeypatch.setenv(variable, value)
    loaded = channels.load(EXAMPLES / name)
    assert sorted(type(d.server).__name__ for d in loaded.tagged("alerts")) == alerts
    assert loaded.tagged("maintainers")
    (reminder,) = loaded.for_recipient("accueil@organisme.example")
    assert reminder.server.targets == [(False, "accueil@organisme.example")]
    assert reminder.server.from_addr == ("Répertoire TMT", "repertoire@observatoire-tmt.example")
    assert "pa55-word" not in reminder.label and reminder.html


def test_configuration_errors_name_what_is_wrong(tmp_path, monkeypatch):
    monkeypatch.setenv("TMT_SMTP_USER", "robot")
    monkeypatch.delenv("TMT_SMTP_PASSWORD", raising=False)
    with pytest.raises(TmtError, match=r"\$\{TMT_SMTP_PASSWORD\} is not set"):
        channels.load(EXAMPLES / "email.example.yml")
    odd = tmp_path / "odd.yml"
    odd.write_text("urls:\n  - json://127.0.0.1:9/x:\n      - tag: everyone\n")
    with pytest.raises(TmtError, match="unknown tag"):
        channels.load(odd)
    twice = tmp_path / "twice.yml"
    twice.write_text("urls:\n" + "".join(
        f"  - mailto://127.0.0.1:25?from=r{n}@example.org:\n      - tag: org-reminders\n"
        for n in (1, 2)))
    with pytest.raises(TmtError, match="exactly one email entry"):
        channels.load(twice).for_recipient("a@example.org")
    assert channels.load(None) is None
