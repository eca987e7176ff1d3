"""`tmt` uses the Prefect server `make prefect` runs for this $TMT_HOME, and only while it runs."""
from __future__ import annotations

import os
import subprocess
import sys

from flows.cli import _use_local_server


def _state(home, pid: int, url: str = "http://127.0.0.1:4200/api"):
    state = home / "prefect"
    state.mkdir(parents=True)
    (state / "server.pid").write_text(f"{pid}\n")
    (state / "api_url").write_text(url + "\n")


def test_a_running_local_server_is_used(tmt_home, monkeypatch):
    monkeypatch.setenv("PREFECT_API_URL", "")  # restored (absent) after the test
    monkeypatch.delenv("PREFECT_API_URL")
    _state(tmt_home, os.getpid())
    _use_local_server()
    assert os.environ["PREFECT_API_URL"] == "http://127.0.0.1:4200/api"


def test_a_stopped_server_leaves_the_temporary_one(tmt_home, monkeypatch):
    monkeypatch.setenv("PREFECT_API_URL", "")  # restored (absent) after the test
    monkeypatch.delenv("PREFECT_API_URL")
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    _state(tmt_home, int(dead))
    _use_local_server()
    assert "PREFECT_API_URL" not in os.environ


def test_an_explicit_api_url_wins_and_only_loopback_is_taken(tmt_home, monkeypatch):
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9999/api")
    _state(tmt_home, os.getpid(), "http://10.0.0.1:4200/api")
    _use_local_server()
    assert os.environ["PREFECT_API_URL"] == "http://127.0.0.1:9999/api"
    monkeypatch.delenv("PREFECT_API_URL")
    _use_local_server()
    assert "PREFECT_API_URL" not in os.environ
