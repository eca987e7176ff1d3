"""robots.txt, per RFC 9309: fetched once per origin and kept for 24 hours.

A robots.txt that answers 4xx means no rules. One that cannot be read (5xx, timeout,
refused) means "disallow everything": the page is not fetched and its check reports what
happened to robots.txt (`server_error`, `timeout`, `unreachable`), which is what a person
would see at that site anyway.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

MAX_AGE = timedelta(hours=24)
MAX_BYTES = 512 * 1024


@dataclass
class Robots:
    origin: str
    http_status: int | None
    body: str
    fetched_at: datetime
    failure: object = None  # a fetch.Fetched that failed: the pages inherit its status

    def __post_init__(self):
        self._parser = RobotFileParser()
        self._parser.parse(self.body.splitlines() if self.http_status == 200 else [])

    def allows(self, agent: str, url: str) -> bool:
        return self.failure is None and self._parser.can_fetch(agent, url)

    def crawl_delay(self, agent: str) -> float | None:
        delay = self._parser.crawl_delay(agent)
        return float(delay) if delay else None


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


class RobotsCache:
    def __init__(self, stored: dict[str, Robots] | None = None):
        self.known: dict[str, Robots] = dict(stored or {})
        self.fetched: list[Robots] = []  # new this run, for the store
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def get(self, url: str, fetch_text) -> Robots:
        """`fetch_text(url) -> (Fetched, text)` makes the request (guarded, timed, capped)."""
        origin = origin_of(url)
        with self._guard:
            lock = self._locks.setdefault(origin, threading.Lock())
        with lock:  # one request per origin, the other workers wait for its answer
            known = self.known.get(origin)
            now = datetime.now(UTC).replace(tzinfo=None)
            if known and now - known.fetched_at < MAX_AGE:
                return known
            fetched, text = fetch_text(origin + "/robots.txt")
            code = fetched.http_status
            # too large: no rules read, as for a 404 (RFC 9309 asks for the first 500 KiB only)
            failed = fetched.error_kind not in (None, "too_large") or code is None \
                or code == 429 or code >= 500
            robots = Robots(origin, code, text if code == 200 else "", now,
                            failure=fetched if failed else None)
            self.known[origin] = robots
            if not failed:
                self.fetched.append(robots)
            return robots
