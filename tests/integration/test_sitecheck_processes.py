"""A large run spreads its hosts over worker processes: each host belongs to one process,
so the per-host limit holds, and a redirect to a host of the other process is continued
there. Traffic goes only to 127.0.0.1 and 127.0.0.3 (both allowed here)."""
from __future__ import annotations

import duckdb
import pytest

from flows.settings import get_settings
from flows.sitecheck import engine, processes, steps
from flows.sitecheck.hosts import host_of
from tests.support.sites import SiteServer, resolver


@pytest.fixture(scope="module")
def servers():
    second = SiteServer("127.0.0.3")
    first = SiteServer("127.0.0.1", peer=f"127.0.0.3:{second.server_port}")
    yield first, second
    first.stop()
    second.stop()


@pytest.fixture
def home(tmt_home, monkeypatch):
    monkeypatch.setenv("TMT_SITECHECK_ALLOW_NETWORKS", "127.0.0.1/32, 127.0.0.3/32")
    monkeypatch.setenv("TMT_SITECHECK_DEADLINE_S", "10")
    return tmt_home


def statuses(urls, resolve=None) -> dict[str, tuple]:
    settings = get_settings()
    limits = engine.Limits(concurrency=10, per_host=2, interval_s=0, processes=2)
    summary = steps.check(settings, urls, live=True, resolver=resolve, limits=limits)
    with duckdb.connect(str(settings.work_db), read_only=True) as con:
        rows = con.execute("select url, status, final_url from sitecheck.check "
                           "where run_id = ?", [summary.run_id]).fetchall()
    return {url: (status, final) for url, status, final in rows}


def test_hosts_split_between_processes_keep_their_limit_and_hand_over_redirects(servers,
                                                                                home):
    first, second = servers
    counted = [f"{server.base}/count?n={n}" for server in servers for n in range(8)]
    moved = f"{first.base}/to-peer"
    results = statuses(counted + [moved])
    assert {results[url][0] for url in counted} == {"ok"}
    assert results[moved] == ("moved", f"{second.base}/ok")  # continued by its owner
    assert first.peak["127.0.0.1"] == 2 and second.peak["127.0.0.3"] == 2


def test_a_resolver_that_cannot_go_to_a_process_checks_in_this_one(servers, home, caplog):
    first, second = servers
    local = resolver({})  # a closure: not picklable
    results = statuses([f"{first.base}/ok", f"{second.base}/ok", f"{first.base}/to-peer"],
                       local)
    assert {status for status, _ in results.values()} == {"ok", "moved"}
    assert "checking in-process" in caplog.text


def test_hosts_are_shared_out_by_their_number_of_urls():
    urls = [f"http://big.ca/{n}" for n in range(6)] + [f"http://mid.ca/{n}" for n in range(4)] \
        + [f"http://small{k}.ca/" for k in range(3)]
    owners, load = processes.assign([host_of(url) for url in urls], 2)
    assert owners["big.ca"] != owners["mid.ca"] and sorted(load) == [6, 7]
    assert processes.processes_for(10) == 0
