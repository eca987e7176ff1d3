"""The status of a check (contract: `marts.listing_freshness.website_status` and the
history), from what the fetch saw and what the page says.

The final answer decides first (an error, a 4xx, a 5xx), then what the page is (a parking
page, a "page not found" served with 200), then how it was reached (a permanent redirect
elsewhere is `moved`), then whether its content changed. A redirect that only adds https,
`www.` or a trailing slash is not "elsewhere".
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from .content import plain
from .fetch import Fetched
from .page import Page

STATUSES = ("ok", "changed", "moved", "redirected", "not_found", "soft_404", "parked",
            "blocked", "rate_limited", "server_error", "timeout", "unreachable",
            "unsafe_target", "too_large")
# A listing whose site is in one of these is broken (reported, and stale after 14 days).
BROKEN = ("not_found", "soft_404", "parked", "server_error", "timeout", "unreachable",
          "unsafe_target")
ERRORS = {"unsafe": "unsafe_target", "invalid": "unsafe_target", "dns": "unreachable",
          "connect": "unreachable", "tls": "unreachable", "timeout": "timeout",
          "too_large": "too_large", "robots": "blocked", "redirects": "server_error",
          "decode": "server_error"}

# In the title or first heading; in the text only when the page is short.
SOFT_404 = re.compile(
    r"page (not found|introuvable|non trouvee|inexistante)|not found|introuvable|"
    r"n'existe (pas|plus)|no longer exists|does not exist|cannot be found|can't be found|"
    r"could not be found|couldn't find|can't find|pagina no encontrada|no se (ha )?encontr|"
    r"no existe|erreur 404|error 404")
PARKED = re.compile(
    r"domain (name )?(is |may be )?(for sale|parked)|buy this domain|this domain has been "
    r"registered|domaine (est )?(a vendre|parque)|nom de domaine a vendre|domain parking|"
    r"parked (free|domain)|este dominio (esta|se) (a la venta|vende)")
CHALLENGE_TITLES = ("just a moment", "attention required", "access denied",
                    "checking your browser", "security check", "verify you are human",
                    "ddos-guard", "un instant", "captcha")


def status(fetched: Fetched, page: Page | None, content_changed: bool) -> str:
    if fetched.error_kind == "robots_status":  # robots.txt answered 429 or 5xx
        return "rate_limited" if fetched.http_status == 429 else "server_error"
    if fetched.error_kind:
        return ERRORS.get(fetched.error_kind, "unreachable")
    code = fetched.http_status or 0
    if code in (401, 403, 407, 451) or _challenge(fetched, page):
        return "blocked"
    if code == 429:
        return "rate_limited"
    if 400 <= code < 500:  # 404, 410, and any other address that does not work as written
        return "not_found"
    if code >= 500 or (code >= 300 and code != 304) or code < 200:
        return "server_error"
    if page is not None and _parked(page):
        return "parked"
    if page is not None and _soft_404(page):
        return "soft_404"
    move = movement(fetched)
    if move == "moved":
        return "moved"
    if content_changed:
        return "changed"
    return move or "ok"


def movement(fetched: Fetched) -> str | None:
    """'moved' when every redirect that leads elsewhere is permanent, 'redirected' when one
    is temporary, None when the page stayed where it was asked for."""
    hops = [(permanent, hop.split(" ", 1)[1]) for permanent, hop
            in zip(fetched.permanent, fetched.chain, strict=True)]
    if not hops or same_place(fetched.url, fetched.final_url):
        return None
    return "moved" if all(permanent for permanent, _ in hops) else "redirected"


def same_place(first: str, second: str) -> bool:
    def key(url: str) -> tuple:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower().removeprefix("www.")
        return host, parts.path.rstrip("/") or "/", parts.query
    return key(first) == key(second)


def _parked(page: Page) -> bool:
    text = plain(page.title + "\n" + "\n".join(page.lines[:40]))
    return ("domain" in text or "dominio" in text) and PARKED.search(text) is not None \
        or "parking" in page.marks


def _soft_404(page: Page) -> bool:
    heading = plain(page.title + "\n" + page.heading)
    if re.search(r"\b404\b", heading) or SOFT_404.search(heading):
        return True
    text = plain("\n".join(page.lines))
    return len(text) < 600 and bool(SOFT_404.search(text))


def _challenge(fetched: Fetched, page: Page | None) -> bool:
    if fetched.headers.get("cf-mitigated") == "challenge":
        return True
    if page is None or len(page.lines) > 60:
        return False
    title = plain(page.title)
    return any(mark in title for mark in CHALLENGE_TITLES) \
        or "challenge" in page.marks
