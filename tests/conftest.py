"""Shared fixtures: where the real open data lives, a private $TMT_HOME, Prefect's engine."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
# dbt's parse of the project, shared by every home of the session (flows/warehouse/dbt.py),
# never the maintainer's own cache.
os.environ.setdefault("TMT_CACHE_DIR", tempfile.mkdtemp(prefix="tmt-test-cache-"))


TEST_DATA = REPO_ROOT / "tests" / "data"


@pytest.fixture(scope="session")
def real_lmia() -> Path:
    """Ten real LMIA vintages, copied into the repository (tests/data/lmia/README.md)."""
    return TEST_DATA / "lmia"


@pytest.fixture
def tmt_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("TMT_HOME", str(home))
    monkeypatch.setenv("TMT_HTTP_BACKOFF_S", "0.01")
    monkeypatch.delenv("TMT_LMIA_SOURCE", raising=False)
    return home


@pytest.fixture(scope="session")
def prefect_engine():
    """One real Prefect API server (temporary database) for every flow test of the session;
    flows run without heartbeats, as `tmt` runs them (flows/ops/heartbeats.py)."""
    from prefect.testing.utilities import prefect_test_harness

    from flows.ops.heartbeats import without_flow_heartbeats

    with prefect_test_harness(server_startup_timeout=60), without_flow_heartbeats():
        yield


@pytest.fixture(scope="session")
def sample_home(tmp_path_factory, prefect_engine) -> Path:
    """The bundled LMIA sample ingested, checked, built and published once for the session.
    Never use it as is: copy it (tests.support.sample_home.copy_home)."""
    from flows.settings import get_settings
    from tests.support.sample_home import build_sample_home

    home = tmp_path_factory.mktemp("sample-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TMT_HOME", str(home))
        build_sample_home(get_settings())
    return home


# The fast lane (`pytest -m "not slow"`, README): everything that starts a server, a
# subprocess of `tmt`, a dbt build or a browser is `slow` wherever it lives; the rest runs
# in well under two minutes on two cores.
SLOW_FOLDERS = ("integration", "flows", "dbt")
SLOW_FIXTURES = {"prefect_engine", "prefect_api", "sample_home"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        folder = Path(str(item.fspath)).relative_to(REPO_ROOT / "tests").parts[0]
        if folder in SLOW_FOLDERS or SLOW_FIXTURES & set(item.fixturenames) \
                or item.get_closest_marker("prefect") or item.get_closest_marker("postgres"):
            item.add_marker(pytest.mark.slow)
