"""Politeness per host: at most `per_host` requests at once to a host, and at least
`interval_s` between the starts of two of them (longer when robots.txt asks for a
crawl delay or a 429 says when to come back).

The workers take their next URL from here, and only URLs whose host has a free slot now
are handed out: a worker never sits waiting on a busy host while others are idle, so the
global concurrency is spent where the per-host limits allow it. A redirect to another
host moves the worker's slot there (`move`), waiting if that host is busy.
"""
from __future__ import annotations

import heapq
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urlsplit


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


@dataclass
class _Host:
    pending: deque = field(default_factory=deque)
    busy: int = 0
    next_start: float = 0.0
    interval_s: float = 0.0
    queued: bool = False  # in the ready deque or the timing heap


class HostSlots:
    def __init__(self, per_host: int, interval_s: float, clock=time.monotonic):
        self.per_host = max(1, per_host)
        self.interval_s = interval_s
        self.clock = clock
        self._hosts: dict[str, _Host] = {}
        self._ready: deque[str] = deque()
        self._timed: list[tuple[float, str]] = []
        self._left = 0
        self._open = False  # more items may come (a worker process fed by its parent)
        self._wake = threading.Condition()

    def _host(self, name: str) -> _Host:
        if name not in self._hosts:
            self._hosts[name] = _Host(interval_s=self.interval_s)
        return self._hosts[name]

    def add(self, items, key=host_of) -> None:
        with self._wake:
            for item in items:
                name = key(item)
                self._host(name).pending.append(item)
                self._left += 1
                self._queue(name)

    def keep_open(self) -> None:
        """take() waits for more items instead of returning None, until close()."""
        with self._wake:
            self._open = True

    def close(self) -> None:
        with self._wake:
            self._open = False
            self._wake.notify_all()

    def take(self):
        """The next item whose host may be visited now (its slot taken), or None when
        every item has been handed out (and no more can come)."""
        with self._wake:
            while True:
                now = self.clock()
                while self._timed and self._timed[0][0] <= now:
                    self._ready.append(heapq.heappop(self._timed)[1])
                while self._ready:
                    name = self._ready.popleft()
                    host = self._hosts[name]
                    host.queued = False
                    if host.pending and host.busy < self.per_host:
                        if host.next_start > now:
                            self._queue(name)
                            continue
                        self._start(host, now)
                        self._left -= 1
                        item = host.pending.popleft()
                        self._queue(name)
                        return item
                if self._left == 0 and not self._open:
                    return None
                self._wake.wait(self._timed[0][0] - now if self._timed else None)

    def acquire(self, name: str) -> None:
        """Take a slot on a host outside the queue (a redirect hop), waiting for it."""
        with self._wake:
            host = self._host(name)
            while True:
                now = self.clock()
                if host.busy < self.per_host and host.next_start <= now:
                    self._start(host, now)
                    return
                self._wake.wait(max(host.next_start - now, 0.001)
                                if host.busy < self.per_host else None)

    def release(self, name: str) -> None:
        with self._wake:
            self._hosts[name].busy -= 1
            self._queue(name)
            self._wake.notify_all()  # for acquire(), which waits outside the queue

    def move(self, held: str, name: str) -> str:
        if held != name:
            self.release(held)
            self.acquire(name)
        return name

    def pause(self, name: str, seconds: float) -> None:
        """No new request to this host for `seconds` (Retry-After)."""
        with self._wake:
            host = self._host(name)
            host.next_start = max(host.next_start, self.clock() + seconds)

    def slow_down(self, name: str, interval_s: float) -> None:
        """A longer interval for this host (robots.txt Crawl-delay)."""
        with self._wake:
            host = self._host(name)
            host.interval_s = max(host.interval_s, interval_s)

    def _start(self, host: _Host, now: float) -> None:
        host.busy += 1
        host.next_start = now + host.interval_s

    def _queue(self, name: str) -> None:
        host = self._hosts[name]
        if host.queued or not host.pending or host.busy >= self.per_host:
            return
        host.queued = True
        heapq.heappush(self._timed, (host.next_start, name))
        self._wake.notify_all()  # a waiting worker may have slept past this one
