"""The site check against real HTTP servers on loopback: every status, no false changes,
redirects out of the allowed networks refused, the per-host limit held.

Traffic goes only to 127.0.0.0/8: 127.0.0.1 is allowed (TMT_SITECHECK_ALLOW_NETWORKS),
127.0.0.2 plays a network the check must refuse. Names resolve through a dict.
"""
from __future__ import annotations

import time

import duckdb
import pytest

from flows.settings import get_settings
from flows.sitecheck import classify, engine, steps
from tests.support.sites import SiteServer, resolver

NAMES = {"counting.loopback-fixture": ["127.0.0.1"], "rebound.loopback-fixture": ["127.0.0.2"],
         "metadata.loopback-fixture": ["169.254.169.254"],
         "mixed.loopback-fixture": ["127.0.0.2", "127.0.0.1"]}


@pytest.fixture(scope="module")
def servers():
    outside = SiteServer("127.0.0.2")
    inside = SiteServer("127.0.0.1", outside_port=outside.server_port)
    yield inside, outside
    inside.stop()
    outside.stop()


@pytest.fixture
def home(tmt_home, monkeypatch):
    monkeypatch.setenv("TMT_SITECHECK_ALLOW_NETWORKS", "127.0.0.1/32")
    monkeypatch.setenv("TMT_SITECHECK_READ_TIMEOUT_S", "0.6")
    monkeypatch.setenv("TMT_SITECHECK_CONNECT_TIMEOUT_S", "1")
    monkeypatch.setenv("TMT_SITECHECK_DEADLINE_S", "2.5")
    monkeypatch.setenv("TMT_SITECHECK_RETRIES", "1")
    monkeypatch.setenv("TMT_SITECHECK_MAX_BYTES", "200000")
    return tmt_home


ASKED: list[str] = []  # names the check asked the resolver for


def check(urls, limits=None) -> dict[str, tuple]:
    settings = get_settings()
    summary = steps.check(settings, urls, live=True, resolver=resolver(NAMES, ASKED),
                          limits=limits or engine.Limits(concurrency=8, per_host=4, interval_s=0))
    with duckdb.connect(str(settings.work_db), read_only=True) as con:
        rows = con.execute("select url, status, http_status, error, content_changed, "
                           "change_touches, final_url, bytes from sitecheck.check "
                           "where run_id = ?", [summary.run_id]).fetchall()
    return {row[0]: row[1:] for row in rows}


def test_every_status_and_nothing_changes_twice(servers, home):
    inside, outside = servers
    base, closed = inside.base, "http://127.0.0.1:9"  # discard port: nothing listens
    expected = {
        f"{base}/ok": "ok", f"{base}/news": "ok", f"{base}/https-only": "ok",
        f"{base}/old": "moved", f"{base}/temp": "redirected",
        f"{base}/missing": "not_found", f"{base}/gone": "not_found",
        f"{base}/soft-404": "soft_404", f"{base}/parked": "parked",
        f"{base}/forbidden": "blocked", f"{base}/challenge": "blocked",
        f"{base}/private/page": "blocked", f"{base}/limited": "rate_limited",
        f"{base}/limited-once": "ok", f"{base}/error": "server_error",
        f"{base}/flaky": "ok", f"{base}/loop": "server_error",
        f"{base}/slow": "timeout", f"{base}/drip": "timeout",
        f"{closed}/": "unreachable", "http://nowhere.loopback-fixture/": "unreachable",
        "https://jardins.example.org/": "unreachable",
        f"{outside.base}/ok": "unsafe_target", f"{base}/escape": "unsafe_target",
        f"http://rebound.loopback-fixture:{outside.server_port}/ok": "unsafe_target",
        "http://metadata.loopback-fixture/latest/meta-data/": "unsafe_target",
        "ftp://files.loopback-fixture/": "unsafe_target",
        f"http://user:secret@127.0.0.1:{inside.server_port}/ok": "unsafe_target",
        f"{base}/huge": "too_large", f"{base}/huge-chunked": "too_large",
    }
    first = check(list(expected))
    assert {url: row[0] for url, row in first.items()} == expected
    assert set(expected.values()) | {"changed"} == set(classify.STATUSES)  # all of them
    assert first[f"{base}/old"][5] == f"{base}/ok2"
    assert inside.state["error"] == 2  # a 500 is retried (TMT_SITECHECK_RETRIES=1), a 404 not
    assert not any(path == "/ok" for host, path in outside.requests)  # never reached
    assert "nowhere.loopback-fixture" in ASKED and "jardins.example.org" not in ASKED

    again = check([f"{base}/ok", f"{base}/news", f"{base}/https-only"])
    assert again[f"{base}/ok"][:4] == ("ok", 200, None, False)  # timestamps, tokens: no change
    status, _, _, changed, touches, *_ = again[f"{base}/news"]
    assert (status, changed, touches) == ("changed", True, ["hours"])


def test_the_deadline_holds_for_every_response_shape(servers, home, monkeypatch):
    """A byte every 0.2 s never trips the read timeout: the deadline ends the check whether
    the body is delimited by a length, by chunks or by the server closing the connection
    (http.client forgets that socket as soon as it knows the response will close it)."""
    inside, _ = servers
    monkeypatch.setenv("TMT_SITECHECK_DEADLINE_S", "2")
    monkeypatch.setenv("TMT_SITECHECK_RETRIES", "0")
    urls = [f"{inside.base}/drip", f"{inside.base}/drip-close", f"{inside.base}/drip-chunked"]
    started = time.monotonic()
    results = check(urls)
    assert time.monotonic() - started < 4.5  # the drips last 8 s and more
    assert {url: row[0] for url, row in results.items()} == dict.fromkeys(urls, "timeout")
    assert all("2 s deadline" in row[2] for row in results.values())


def test_redirect_out_of_the_allowed_networks_names_the_address(servers, home):
    inside, _ = servers
    mixed = f"http://mixed.loopback-fixture:{inside.server_port}/ok"
    results = check([f"{inside.base}/escape", mixed])
    status, _, error, *_ = results[f"{inside.base}/escape"]
    assert status == "unsafe_target" and "127.0.0.2 is a loopback address" in error
    # a name with a refused and an allowed address: only the allowed one is connected to
    assert results[mixed][0] == "ok"


def test_second_check_sends_validators_and_transfers_no_body(servers, home):
    inside, _ = servers
    first = check([f"{inside.base}/static"])
    second = check([f"{inside.base}/static"])
    assert first[f"{inside.base}/static"][0] == second[f"{inside.base}/static"][0] == "ok"
    assert first[f"{inside.base}/static"][6] > 0 and second[f"{inside.base}/static"][6] == 0


def test_per_host_limit_holds_under_concurrency(servers, home):
    inside, _ = servers
    port = inside.server_port
    urls = [f"http://counting.loopback-fixture:{port}/count?n={n}" for n in range(12)]
    results = check(urls, engine.Limits(concurrency=10, per_host=2, interval_s=0))
    assert {row[0] for row in results.values()} == {"ok"}
    assert inside.peak["counting.loopback-fixture"] == 2


def test_a_check_that_crashes_names_its_url_and_the_others_are_kept(servers, home,
                                                                    monkeypatch):
    """A bug while one page is read (after its host's slot was given back) stops neither
    the other checks nor their storing; the run then fails naming the URL."""
    inside, _ = servers
    urls = [f"{inside.base}/ok", f"{inside.base}/static", f"{inside.base}/missing"]
    status = classify.status

    def buggy(fetched, page, changed):
        if fetched.url.endswith("/static"):
            raise ValueError("a bug")
        return status(fetched, page, changed)

    monkeypatch.setattr(classify, "status", buggy)
    settings = get_settings()
    with pytest.raises(engine.ChecksCrashed, match=r"1 check\(s\) crashed, first .*/static: "
                                                   r"a bug"):
        steps.check(settings, urls, live=True, resolver=resolver(NAMES, ASKED),
                    limits=engine.Limits(concurrency=4, per_host=2, interval_s=0, processes=1))
    with duckdb.connect(str(settings.work_db), read_only=True) as con:
        stored = dict(con.execute("select url, status from sitecheck.check").fetchall())
    assert stored == {f"{inside.base}/ok": "ok", f"{inside.base}/missing": "not_found"}
