"""HTTP for the LMIA pull: streaming downloads with a size cap, conditional requests and
retries with backoff on network errors and 5xx only (a 404 will not fix itself).

Every connection goes through the site check's address guard (flows/sitecheck/connect.py):
a CKAN answer is hostile input like a web page, so a resource URL or a redirect to a
private, loopback, link-local or metadata address is refused, with its own allow list
(TMT_LMIA_ALLOW_NETWORKS, for tests). No proxy, no .netrc."""
from __future__ import annotations

import hashlib
import logging
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from ..errors import TmtError
from ..sitecheck.addresses import Network, UnsafeTarget, check_url
from ..sitecheck.connect import Guard, session

log = logging.getLogger(__name__)
CHUNK = 256 * 1024
TRANSIENT = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)


class TransientHTTPError(Exception):
    """Worth another try: the network dropped, the server said 5xx, the body came short."""


def guarded_session(user_agent: str, allowed: tuple[Network, ...] = ()) -> requests.Session:
    return session(Guard(allowed), user_agent, pools=4)


@dataclass
class HttpPolicy:
    user_agent: str
    timeout_s: float = 60
    retries: int = 4
    backoff_s: float = 1.0
    max_bytes: int = 200 * 1024 * 1024
    session: requests.Session = field(default_factory=lambda: guarded_session("ObservatoireTMT"))


@dataclass(frozen=True)
class Download:
    """A finished request: either 'not modified' (staged is None) or a hashed staged file."""

    url: str
    staged: Path | None
    sha256: str | None
    bytes: int
    validators: dict


def with_retries(policy: HttpPolicy, url: str, attempt_once):
    """Call attempt_once() until it succeeds, retrying transient failures with backoff.
    A URL or redirect the address guard refuses is one line, never retried."""
    try:
        check_url(url)
    except UnsafeTarget as exc:
        raise TmtError(f"{url}: not fetched: {exc}") from None
    for attempt in range(policy.retries + 1):
        try:
            return attempt_once()
        except UnsafeTarget as exc:
            raise TmtError(f"{url}: not fetched: {exc} (TMT_LMIA_ALLOW_NETWORKS)") from None
        except (TransientHTTPError, *TRANSIENT) as exc:
            what = _what(exc)
            if not _worth_retrying(exc):  # the answer would be the same in a few seconds
                raise TmtError(f"{url}: {what}") from None
            if attempt == policy.retries:
                raise TmtError(f"{url}: {what} ({attempt + 1} essais / attempts)") from None
            delay = policy.backoff_s * (2 ** attempt)
            log.warning("%s: %s; nouvel essai dans %.1f s / retrying in %.1f s", url, what,
                        delay, delay)
            time.sleep(delay)
        except requests.RequestException as exc:  # a redirect to ftp://, a malformed URL
            raise TmtError(f"{url}: not fetched: {_short(exc)}") from None
    raise AssertionError("unreachable")


def get_json(policy: HttpPolicy, url: str) -> dict:
    def once():
        response = policy.session.get(url, timeout=(10, policy.timeout_s),
                                      headers={"User-Agent": policy.user_agent})
        _raise_for_status(response, url)
        try:
            return response.json()
        except ValueError as exc:
            raise TmtError(f"{url}: la réponse n'est pas du JSON / the answer is not JSON "
                           f"({_short(exc)})") from exc

    return with_retries(policy, url, once)


def download(policy: HttpPolicy, url: str, staging_dir: Path, known: dict | None) -> Download:
    """GET url into staging_dir. `known` holds the ETag / Last-Modified of the last fetch."""
    headers = {"User-Agent": policy.user_agent}
    if known and known.get("etag"):
        headers["If-None-Match"] = known["etag"]
    if known and known.get("last_modified"):
        headers["If-Modified-Since"] = known["last_modified"]

    def once() -> Download:
        with policy.session.get(url, headers=headers, stream=True,
                                timeout=(10, policy.timeout_s)) as response:
            if response.status_code == 304 and known:
                return Download(url, None, known.get("sha256"), 0, dict(known))
            _raise_for_status(response, url)
            declared = int(response.headers.get("Content-Length") or 0)
            if declared > policy.max_bytes:
                raise TmtError(f"{url}: {declared} octets, au-delà du plafond de "
                               f"{policy.max_bytes} / {declared} bytes is over the "
                               f"{policy.max_bytes}-byte cap")
            validators = {"etag": response.headers.get("ETag"),
                          "last_modified": response.headers.get("Last-Modified")}
            return _stream_to_file(policy, response, url, staging_dir, declared, validators)

    return with_retries(policy, url, once)


def _stream_to_file(policy, response, url, staging_dir, declared, validators) -> Download:
    staging_dir.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    # Closed by the `with handle` below; opened first so a failure can delete it by name.
    handle = tempfile.NamedTemporaryFile(dir=staging_dir, prefix=".download-", delete=False)  # noqa: SIM115
    staged = Path(handle.name)
    try:
        with handle:
            for chunk in response.iter_content(CHUNK):
                size += len(chunk)
                if size > policy.max_bytes:
                    raise TmtError(f"{url}: au-delà du plafond de {policy.max_bytes} octets / "
                                   f"more than the {policy.max_bytes}-byte cap")
                digest.update(chunk)
                handle.write(chunk)
        if declared and size != declared and not response.headers.get("Content-Encoding"):
            raise TransientHTTPError(f"body ended at {size} of {declared} bytes")
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    return Download(url, staged, digest.hexdigest(), size, validators)


def _raise_for_status(response: requests.Response, url: str) -> None:
    if response.status_code >= 500:
        raise TransientHTTPError(f"HTTP {response.status_code}")
    if response.status_code >= 400:
        raise TmtError(f"{url}: HTTP {response.status_code} {response.reason}")


def _what(exc: BaseException) -> str:
    """What happened, in words, French then English (never urllib3's nested repr)."""
    text = str(exc)
    if isinstance(exc, requests.Timeout) or "timed out" in text:
        return "délai dépassé / timed out"
    if "Connection refused" in text or "Errno 111" in text:
        return "connexion refusée / connection refused"
    if any(sign in text for sign in ("NameResolution", "Name or service not known",
                                     "getaddrinfo", "nodename nor servname")):
        return "nom d'hôte introuvable / host name not found"
    if isinstance(exc, TransientHTTPError):
        return _short(exc)
    return f"connexion interrompue / connection failed ({type(exc).__name__})"


def _worth_retrying(exc: BaseException) -> bool:
    """A 5xx, a timeout or a transfer cut short may pass on a retry; a refused connection or
    an unknown host are reported at once (the next scheduled run tries again)."""
    return not _what(exc).startswith(("connexion refusée", "nom d'hôte"))


def _short(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:160] or type(exc).__name__
