"""The confirmation page's defences: rate limiting, CSRF tokens, security headers.

- Rate limit: a sliding one-minute window per client address (behind a reverse proxy,
  uvicorn takes the address from X-Forwarded-For when the proxy is in
  FORWARDED_ALLOW_IPS). A refused link costs more than a good request, so guessing
  links is slow.
- CSRF: double-submit. The page sets a random value in a SameSite=Strict, HttpOnly cookie
  and puts the same value, signed with TMT_SIGNING_KEY and bound to the page's link, in
  each form; a post must bring both, matching, and less than two hours old.
- Headers: a strict Content-Security-Policy (no script at all), no framing, no referrer
  (the link is a credential), no caching.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections import OrderedDict, deque

from itsdangerous import BadData, TimestampSigner

CSRF_COOKIE = "tmt_csrf"
CSRF_MAX_AGE_S = 2 * 3600

HEADERS = {
    "Content-Security-Policy": ("default-src 'none'; style-src 'self'; img-src 'self'; "
                                "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}


class RateLimiter:
    """At most `per_minute` units per key in any 60 s; remembers at most `max_keys` keys."""

    def __init__(self, per_minute: int, max_keys: int = 10_000, clock=time.monotonic):
        self.per_minute = per_minute
        self.max_keys = max_keys
        self.clock = clock
        self.spent: OrderedDict[str, deque] = OrderedDict()

    def allow(self, key: str, cost: int = 1) -> bool:
        now = self.clock()
        window = self.spent.pop(key, None) or deque()
        while window and now - window[0] >= 60:
            window.popleft()
        allowed = len(window) + cost <= self.per_minute
        if allowed:
            window.extend([now] * cost)
        self.spent[key] = window
        while len(self.spent) > self.max_keys:
            self.spent.popitem(last=False)
        return allowed

    def charge(self, key: str, cost: int) -> None:
        """Spend units whether or not any are left (a refused link)."""
        window = self.spent.setdefault(key, deque())
        window.extend([self.clock()] * cost)


def _bound(link_token: str) -> str:
    return hashlib.sha256(link_token.encode("utf-8")).hexdigest()[:32]


def new_csrf(key: str, link_token: str) -> tuple[str, str]:
    """(cookie value, form value)."""
    nonce = secrets.token_urlsafe(24)
    signer = TimestampSigner(key, salt="tmt-csrf", digest_method=hashlib.sha256)
    return nonce, signer.sign(f"{nonce}.{_bound(link_token)}").decode("ascii")


def csrf_ok(key: str, link_token: str, cookie: str | None, form_value: str | None) -> bool:
    if not cookie or not form_value:
        return False
    signer = TimestampSigner(key, salt="tmt-csrf", digest_method=hashlib.sha256)
    try:
        value = signer.unsign(form_value, max_age=CSRF_MAX_AGE_S).decode("ascii")
    except BadData:
        return False
    nonce, _, bound = value.rpartition(".")
    return hmac.compare_digest(nonce, cookie) and hmac.compare_digest(bound, _bound(link_token))


class TooLarge(Exception):
    pass


class BodyLimit:
    """At most `limit` bytes of request body, counted as they arrive: a declared
    Content-Length over it is refused at once, and a body sent without one (chunked) is
    refused with 413 as soon as it passes the limit, before anything reads the rest."""

    def __init__(self, app, limit: int):
        self.app, self.limit = app, limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        from starlette.responses import PlainTextResponse

        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if not declared.isdigit() or int(declared) > self.limit:
            return await PlainTextResponse("Request too large", 413)(scope, receive, send)
        received, started = 0, False

        async def counted():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise TooLarge
            return message

        async def watched(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except TooLarge:
            if not started:
                await PlainTextResponse("Request too large", 413)(scope, receive, send)
