"""One check of one URL: robots.txt first, then GET, following redirects one hop at a time
(each hop checked again: scheme, address, robots.txt, the per-host limit), with
conditional headers, a size cap, retries for transient failures only and Retry-After
honoured on 429 and 503, all within the check's total deadline.
"""
from __future__ import annotations

import email.utils
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin

import requests
from urllib3.exceptions import NameResolutionError

from .addresses import UnsafeTarget, check_url
from .deadline import Reaper, Watch
from .hosts import HostSlots, host_of

REDIRECTS = {301, 302, 303, 307, 308}
PERMANENT = {301, 308}
TRANSIENT_CODES = {500, 502, 503, 504}
_OBJECT = re.compile(r"<[^<>]* object at 0x[0-9a-f]+>:?\s*|\w+Connection\([^()]*\):\s*")
KEPT_HEADERS = ("content-type", "etag", "last-modified", "retry-after", "cf-mitigated", "server")


@dataclass
class Policy:
    user_agent: str
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 15.0
    deadline_s: float = 60.0
    max_bytes: int = 10 * 1024 * 1024
    retries: int = 2
    backoff_s: float = 1.0
    max_retry_after_s: float = 60.0
    max_redirects: int = 10

    @property
    def agent(self) -> str:
        """The product token robots.txt rules name (`ObservatoireTMT`)."""
        return self.user_agent.split("/")[0].split()[0]


@dataclass
class Fetched:
    url: str
    final_url: str
    http_status: int | None = None
    chain: list[str] = field(default_factory=list)  # "301 https://next/" for each hop
    permanent: list[bool] = field(default_factory=list)
    headers: dict = field(default_factory=dict)
    body: bytes | None = None
    not_modified: bool = False
    bytes: int = 0  # response bodies as received (compressed), every hop and attempt
    elapsed_s: float = 0.0
    # unsafe | invalid | dns | connect | tls | timeout | too_large | robots | redirects | decode
    error_kind: str | None = None
    error: str | None = None
    elsewhere: bool = False  # stopped before a hop to a host another process owns

    def fail(self, kind: str, error: str) -> Fetched:
        self.error_kind, self.error = kind, " ".join(error.split())[:300]
        return self


class Slot:
    """The per-host slot a worker holds; it follows the worker from host to host."""

    def __init__(self, slots: HostSlots, host: str):
        self.slots, self.host = slots, host

    def move(self, host: str) -> None:
        self.host = self.slots.move(self.host, host)

    def release(self) -> None:
        self.slots.release(self.host)


class _Elsewhere(Exception):
    """The next hop is on a host this process does not own."""


class Fetcher:
    def __init__(self, session: requests.Session, policy: Policy, slots: HostSlots,
                 reaper: Reaper, robots=None, sleep=time.sleep, owns=None):
        self.session, self.policy, self.slots, self.reaper = session, policy, slots, reaper
        self.robots, self.sleep = robots, sleep
        self.owns = owns  # host -> bool, in a worker process (processes.py); None: all

    def check(self, url: str, slot: Slot, validators: dict | None = None,
              resume: Fetched | None = None) -> Fetched:
        """`validators`: the final URL, ETag and Last-Modified stored by the last check.
        `resume`: a check another process handed over at a redirect, continued from its
        `final_url` with what is left of its deadline."""
        spent = resume.elapsed_s if resume else 0.0
        started = time.monotonic() - spent
        result = resume or Fetched(url, url)
        result.elsewhere = False
        with self.reaper.watching(self.policy.deadline_s - spent) as watch:
            try:
                self._follow(result, watch, slot, validators or {})
            except UnsafeTarget as exc:
                result.fail("unsafe", str(exc))
            except _Elsewhere:
                result.elsewhere = True
        result.elapsed_s = time.monotonic() - started
        return result

    def text(self, url: str, watch: Watch) -> tuple[Fetched, str]:
        """A small text file (robots.txt): redirects followed, at most 512 KiB kept."""
        result = Fetched(url, url)
        current = url
        try:
            for _ in range(6):
                response = self._get(result, check_url(current), {}, watch, limit=512 * 1024)
                if response is None or response.status_code not in REDIRECTS \
                        or not response.headers.get("location"):
                    break
                current = urljoin(current, response.headers["location"])
        except UnsafeTarget as exc:
            return result.fail("unsafe", str(exc)), ""
        return result, (result.body or b"").decode("utf-8", errors="replace")

    def _follow(self, result: Fetched, watch: Watch, slot: Slot, validators: dict) -> None:
        current = result.final_url
        for _ in range(self.policy.max_redirects + 1 - len(result.chain)):
            current = check_url(current)
            host = host_of(current)
            if self.owns is not None and host != slot.host and not self.owns(host):
                raise _Elsewhere(host)  # its owner continues: one process per host
            slot.move(host)
            if self.robots is not None and not self._robots_allow(result, current, watch):
                return
            conditional = {}
            if validators.get("final_url") == current:
                if validators.get("etag"):
                    conditional["If-None-Match"] = validators["etag"]
                if validators.get("last_modified"):
                    conditional["If-Modified-Since"] = validators["last_modified"]
            response = self._get(result, current, conditional, watch, self.policy.max_bytes)
            if response is None:
                return
            location = response.headers.get("location")
            if response.status_code in REDIRECTS and location:
                current = urljoin(current, location)
                result.chain.append(f"{response.status_code} {current}")
                result.permanent.append(response.status_code in PERMANENT)
                result.final_url = current
                continue
            return
        result.fail("redirects", f"more than {self.policy.max_redirects} redirects")

    def _robots_allow(self, result: Fetched, url: str, watch: Watch) -> bool:
        robots = self.robots.get(url, lambda robots_url: self.text(robots_url, watch))
        if robots.failure is not None:  # the site failed on robots.txt: the page would too
            failed = robots.failure
            result.http_status = failed.http_status
            if failed.error_kind in (None, "timeout", "too_large"):
                result.fail(failed.error_kind or "robots_status",
                            f"robots.txt: {failed.error or f'HTTP {failed.http_status}'}")
            else:
                result.fail(failed.error_kind, failed.error or "")
            return False
        if not robots.allows(self.policy.agent, url):
            result.fail("robots", f"robots.txt disallows {self.policy.agent}")
            return False
        delay = robots.crawl_delay(self.policy.agent)
        if delay:
            self.slots.slow_down(host_of(url), min(delay, 60.0))
        return True

    def _get(self, result: Fetched, url: str, headers: dict, watch: Watch, limit: int):
        """One GET with retries; the body is read into `result`. None when it failed."""
        policy = self.policy
        for attempt in range(policy.retries + 1):
            remaining = watch.remaining()
            if remaining <= 0.05:
                result.fail("timeout", f"no answer within the {policy.deadline_s:g} s deadline")
                return None
            wait = policy.backoff_s * 2 ** attempt
            try:
                response = self._send(url, headers,
                                      (min(policy.connect_timeout_s, remaining),
                                       min(policy.read_timeout_s, remaining)))
            except requests.RequestException as exc:
                kind = "timeout" if watch.expired else _error_kind(exc)
                result.fail(kind, _describe(exc, watch, policy))
                if kind not in ("timeout", "connect") or attempt == policy.retries \
                        or watch.expired or wait >= watch.remaining():
                    return None
                self.sleep(wait)
                continue
            with response:
                code = response.status_code
                result.http_status = code
                result.headers = {key: response.headers[key] for key in KEPT_HEADERS
                                  if key in response.headers}
                if code in TRANSIENT_CODES | {429} and attempt < policy.retries:
                    later = _retry_after(response.headers.get("retry-after"))
                    # 429 is retried only when the server says when; a challenge never is
                    pause = later if code == 429 or later is not None else wait
                    if pause is not None and pause <= policy.max_retry_after_s \
                            and pause < watch.remaining() - policy.connect_timeout_s \
                            and response.headers.get("cf-mitigated") != "challenge":
                        self._read(result, response, watch, 64 * 1024)  # frees the connection
                        if later is not None:
                            self.slots.pause(host_of(url), later)
                        self.sleep(pause)
                        continue
                result.error_kind = result.error = None
                if code == 304:
                    # read the (empty) body: a response left unread closes its connection,
                    # and the next request to the host would open a new one
                    self._read(result, response, watch, 64 * 1024)
                    result.not_modified, result.body = True, None
                    return response
                if not self._read(result, response, watch, limit):
                    return None
                return response
        return None

    def _send(self, url: str, headers: dict, timeout: tuple[float, float]):
        """One GET through the session's adapter, without Session.request: merging
        settings, environment and cookies cost more CPU than the request itself, and this
        session has nothing to merge (no proxies, .netrc or cookies: connect.session)."""
        request = requests.PreparedRequest()
        request.prepare(method="GET", url=url, headers={**self.session.headers, **headers})
        adapter = self.session.get_adapter(request.url)
        return adapter.send(request, stream=True, timeout=timeout, verify=True, cert=None,
                            proxies={})

    def _read(self, result: Fetched, response, watch: Watch, limit: int) -> bool:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            result.fail("too_large", f"{declared} bytes declared, over the {limit}-byte cap")
            return False
        chunks, size = [], 0
        try:
            for chunk in response.iter_content(64 * 1024):
                size += len(chunk)
                if size > limit:
                    result.fail("too_large", f"more than the {limit}-byte cap")
                    return False
                chunks.append(chunk)
        except requests.RequestException as exc:
            result.fail("timeout" if watch.expired else _error_kind(exc),
                        _describe(exc, watch, self.policy))
            return False
        finally:
            result.bytes += response.raw.tell()
        if watch.expired:  # a socket shut at the deadline reads as a close-delimited end
            result.fail("timeout", _describe(None, watch, self.policy))
            return False
        result.body = b"".join(chunks)
        return True


def _error_kind(exc: BaseException) -> str:
    if isinstance(exc, requests.Timeout):
        return "timeout"
    if isinstance(exc, requests.exceptions.SSLError):
        return "tls"
    if isinstance(exc, requests.exceptions.InvalidURL | requests.exceptions.InvalidSchema
                  | requests.exceptions.MissingSchema):
        return "invalid"
    if isinstance(exc, requests.exceptions.ContentDecodingError):
        return "decode"
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    if isinstance(reason, NameResolutionError):
        return "dns"
    return "connect"


def _describe(exc: BaseException | None, watch: Watch, policy: Policy) -> str:
    if watch.expired:
        return f"no complete answer within the {policy.deadline_s:g} s deadline"
    if isinstance(exc, requests.ConnectTimeout):
        return f"connection not accepted within {policy.connect_timeout_s:g} s"
    if isinstance(exc, requests.ReadTimeout):
        return f"no data for {policy.read_timeout_s:g} s"
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    text = str(reason or exc)  # urllib3 wraps the cause; its text names the connection object
    return _OBJECT.sub("", text).strip()


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (a number or an HTTP date); None when absent."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())
