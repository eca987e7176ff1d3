"""Signed links for organization reminders: HMAC-SHA256 (itsdangerous), scoped to one
organization and one campaign, expiring (TMT_LINK_VALID_DAYS, 60 by default).

A token carries the organization id, the campaign and when it was issued; only the holder
of TMT_SIGNING_KEY can make one. Changing one character, reusing it on another
organization's page or presenting it after it expired is refused. Rotating the key
invalidates every link sent before.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from itsdangerous import BadData, TimestampSigner, URLSafeTimedSerializer

SALT = "tmt-listing-confirmation"


class Refused(Exception):
    """The link cannot be used. `reason`: forged, expired or other_organization."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Grant:
    organization_id: str
    campaign: str
    issued_at: datetime


def _serializer(key: str, issued_at: datetime | None = None) -> URLSafeTimedSerializer:
    signer = TimestampSigner
    if issued_at is not None:  # sign as of another time (tests, and tokens made in advance)
        stamp = int(issued_at.timestamp())

        class FixedTimeSigner(TimestampSigner):
            def get_timestamp(self) -> int:
                return stamp

        signer = FixedTimeSigner
    return URLSafeTimedSerializer(key, salt=SALT, signer=signer,
                                  signer_kwargs={"digest_method": hashlib.sha256})


def issue(key: str, organization_id: str, campaign: str,
          issued_at: datetime | None = None) -> str:
    return _serializer(key, issued_at).dumps({"o": organization_id, "c": campaign})


def verify(key: str, token: str, organization_id: str, valid_days: int,
           now: datetime | None = None) -> Grant:
    """The grant of a good token for this organization's page, else Refused."""
    try:
        payload, signed_at = _serializer(key).loads(token, return_timestamp=True)
    except BadData as exc:
        raise Refused("forged") from exc
    if not isinstance(payload, dict) or not {"o", "c"} <= set(payload):
        raise Refused("forged")
    now = now or datetime.now(UTC)
    if now - signed_at > timedelta(days=valid_days) or signed_at - now > timedelta(minutes=5):
        raise Refused("expired")
    if payload["o"] != organization_id:
        raise Refused("other_organization")
    return Grant(payload["o"], str(payload["c"]), signed_at)


def link(public_url: str, organization_id: str, token: str, action: str | None = None,
         language: str = "fr") -> str:
    """The page of one listing; `action` (confirmer | corriger) opens that form first. The
    link itself changes nothing: mail scanners that follow links cannot confirm for anyone."""
    query = [f"action={action}"] if action else []
    if language != "fr":
        query.append(f"lang={language}")
    page = f"{public_url}/fiche/{organization_id}/{token}"
    return page + ("?" + "&".join(query) if query else "")
