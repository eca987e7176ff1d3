"""Shared fixtures: where the real open data lives, a private $TMT_HOME, Prefect's engine."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


def shared_data_dir() -> Path:
    """The real government files beside the repository (../shared/data)."""
    path = Path(os.environ.get("TMT_SHARED_DATA") or REPO_ROOT.parent / "shared" / "data")
    if not (path / "lmia").is_dir():
        raise RuntimeError(f"{path}/lmia not found: the tests read the real files in "
                           f"../shared/data (set TMT_SHARED_DATA to point elsewhere)")
    return path


@pytest.fixture(scope="session")
def shared_lmia() -> Path:
    return shared_data_dir() / "lmia"


@pytest.fixture
def tmt_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("TMT_HOME", str(home))
    monkeypatch.setenv("TMT_HTTP_BACKOFF_S", "0.01")
    monkeypatch.delenv("TMT_LMIA_SOURCE", raising=False)
    return home


@pytest.fixture(scope="session")
def prefect_engine():
    """One real Prefect API server (temporary database) for every flow test of the session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=60):
        yield
