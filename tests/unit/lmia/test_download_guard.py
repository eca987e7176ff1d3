"""The LMIA pull reaches only allowed addresses, like the site check: a CKAN answer that
lists a resource elsewhere, or a resource that redirects elsewhere, is refused on one line
before any byte is asked of that address. 127.0.0.1 plays the portal (allowed with
TMT_LMIA_ALLOW_NETWORKS), 127.0.0.2 an address it must not reach."""
from __future__ import annotations

import pytest

from flows.errors import TmtError
from flows.lmia import ingest
from flows.lmia.sources import discover
from flows.settings import get_settings
from tests.support.fake_ckan import FakeCkan

TITLE = "2024Q1 Positive Labour Market Impact Assessment (LMIA) Employers List"


@pytest.fixture
def portals(tmt_home, monkeypatch):
    monkeypatch.setenv("TMT_HTTP_RETRIES", "0")
    with FakeCkan() as portal, FakeCkan("127.0.0.2") as elsewhere:
        elsewhere.publish("tfwp_2024q1_positive_en.csv", b"a,b\n1,2\n", TITLE, "en")
        yield portal, elsewhere


def fetch_all(portal) -> list[str]:
    """Each candidate fetched; the one-line error of each refusal."""
    settings = get_settings()
    candidates, _ = discover(portal.dataset_url(), ingest.http_policy(settings),
                             settings.lmia_dataset_id)
    errors = []
    for candidate in candidates:
        try:
            ingest.fetch(candidate, settings)
        except TmtError as exc:
            errors.append(str(exc))
    return errors


def test_loopback_is_refused_unless_allowed(portals):
    portal, _ = portals
    with pytest.raises(TmtError, match=r"127\.0\.0\.1 is a loopback address") as raised:
        fetch_all(portal)
    assert "\n" not in str(raised.value) and portal.hits == {}


def test_a_resource_listed_or_redirected_elsewhere_is_not_fetched(portals, monkeypatch):
    portal, elsewhere = portals
    monkeypatch.setenv("TMT_LMIA_ALLOW_NETWORKS", "127.0.0.1/32")
    portal.add_resource_at(f"{elsewhere.base_url}/files/tfwp_2024q1_positive_en.csv", TITLE)
    portal.publish("tfwp_2024q2_positive_en.csv", b"a,b\n1,2\n", TITLE.replace("Q1", "Q2"), "en")
    portal.redirects["/files/tfwp_2024q2_positive_en.csv"] = \
        f"{elsewhere.base_url}/files/tfwp_2024q1_positive_en.csv"
    errors = fetch_all(portal)
    assert len(errors) == 2 and all("127.0.0.2 is a loopback address" in e for e in errors)
    assert all("\n" not in error for error in errors)
    assert portal.hits["/files/tfwp_2024q2_positive_en.csv"] == 1  # the redirect was asked
    assert elsewhere.hits == {}  # never reached
    assert not list(get_settings().raw_lmia_dir.glob("*.csv"))
