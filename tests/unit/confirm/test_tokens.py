"""Signed links: scoped to one organization and one campaign, expiring, unforgeable."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from flows.confirm import tokens

KEY = "k" * 40
ORG, OTHER = "0b7d5a5e-0000-4000-8000-000000000001", "0b7d5a5e-0000-4000-8000-000000000002"
NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)


def test_a_good_token_grants_its_organization_and_campaign():
    token = tokens.issue(KEY, ORG, "verification-2026-11-21", NOW)
    grant = tokens.verify(KEY, token, ORG, 60, now=NOW + timedelta(days=59))
    assert (grant.organization_id, grant.campaign) == (ORG, "verification-2026-11-21")
    assert grant.issued_at == NOW


@pytest.mark.parametrize("case, reason", [
    ("forged", "forged"), ("altered", "forged"), ("other_key", "forged"),
    ("expired", "expired"), ("other_organization", "other_organization"),
])
def test_bad_tokens_are_refused_with_their_reason(case, reason):
    token = tokens.issue(KEY, ORG, "verification-2026-11-21", NOW)
    organization, now = ORG, NOW + timedelta(days=1)
    if case == "forged":
        token = "eyJvIjoiMCIsImMiOiJ4In0.aSBhbSBub3Q.c2lnbmVk"
    elif case == "altered":  # one character of the payload changed
        token = ("A" if token[3] != "A" else "B").join([token[:3], token[4:]])
    elif case == "other_key":
        token = tokens.issue("x" * 40, ORG, "verification-2026-11-21", NOW)
    elif case == "expired":
        now = NOW + timedelta(days=60, seconds=1)
    elif case == "other_organization":
        organization = OTHER
    with pytest.raises(tokens.Refused) as refused:
        tokens.verify(KEY, token, organization, 60, now=now)
    assert refused.value.reason == reason


def test_the_link_opens_the_page_and_changes_nothing_by_itself():
    link = tokens.link("https://repertoire.example.org", ORG, "abc.def", "confirmer", "en")
    assert link == f"https://repertoire.example.org/fiche/{ORG}/abc.def?action=confirmer&lang=en"
