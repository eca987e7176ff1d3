"""A total deadline per check, on top of the connect and read timeouts.

A read timeout bounds each wait for bytes, not the whole answer: a server that drips one
byte a second never trips it. Each check gets a Watch; the connections it uses report to
it (connect.watch_connections), and one reaper thread shuts their sockets down when the
deadline passes, which ends any blocked read at once. The fetch then reports `timeout`.
"""
from __future__ import annotations

import heapq
import itertools
import socket
import threading
import time
from contextlib import contextmanager

from . import connect


class Watch:
    def __init__(self, seconds: float):
        self.deadline = time.monotonic() + seconds
        self.expired = False
        self.finished = False
        self._connections: list = []
        self._lock = threading.Lock()

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def add(self, connection) -> None:
        with self._lock:
            self._connections.append(connection)
            expired = self.expired
        if expired:
            _shut(connection)

    def expire(self) -> None:
        with self._lock:
            if self.finished:
                return
            self.expired = True
            connections = list(self._connections)
        for connection in connections:
            _shut(connection)


def _shut(connection) -> None:
    sock = getattr(connection, "sock", None)
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class Reaper:
    """One thread for all the deadlines of a run."""

    def __init__(self):
        self._heap: list[tuple[float, int, Watch]] = []
        self._order = itertools.count()
        self._wake = threading.Condition()
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="sitecheck-deadlines", daemon=True)
        self._thread.start()

    @contextmanager
    def watching(self, seconds: float):
        """Connections opened or reused on this thread inside the block are watched."""
        watch = Watch(seconds)
        with self._wake:
            heapq.heappush(self._heap, (watch.deadline, next(self._order), watch))
            if self._heap[0][2] is watch:  # the reaper sleeps until the first deadline
                self._wake.notify()
        connect.watch_connections(watch)
        try:
            yield watch
        finally:
            connect.watch_connections(None)
            with watch._lock:
                watch.finished = True
                watch._connections.clear()  # it waits in the heap until its deadline

    def stop(self) -> None:
        with self._wake:
            self._stopped = True
            self._wake.notify()
        self._thread.join()

    def _run(self) -> None:
        while True:
            with self._wake:
                while self._heap and self._heap[0][2].finished:
                    heapq.heappop(self._heap)
                if self._stopped:
                    return
                delay = self._heap[0][0] - time.monotonic() if self._heap else None
                if delay is None or delay > 0:
                    self._wake.wait(delay)
                    continue
                watch = heapq.heappop(self._heap)[2]
            watch.expire()
