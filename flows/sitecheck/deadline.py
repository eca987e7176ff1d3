"""A total deadline per check, on top of the connect and read timeouts.

A read timeout bounds each wait for bytes, not the whole answer: a server that drips one
byte a second never trips it. Each check gets a Watch; the connections it uses report to
it (connect.watch_connections), and one reaper thread shuts their sockets down when the
deadline passes, which ends any blocked read at once. The fetch then reports `timeout`.

The watch keeps the sockets themselves, not only the connections: once http.client knows
a response will close its connection (`Connection: close`, no length), it sets
`connection.sock` to None and the response alone holds the socket. A shut-down socket
reads as the end of a close-delimited body, so the reader asks `expired` before calling
a body complete (fetch.Fetcher._read).
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
        self._sockets: list = []
        self._lock = threading.Lock()

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def add(self, connection) -> None:
        """Called before and after each request on `connection`: the socket it has then
        is kept, whatever the connection does with it later."""
        sock = getattr(connection, "sock", None)
        with self._lock:
            if connection not in self._connections:
                self._connections.append(connection)
            if sock is not None and sock not in self._sockets:
                self._sockets.append(sock)
            expired = self.expired
        if expired:
            _shut(sock or getattr(connection, "sock", None))

    def expire(self) -> None:
        with self._lock:
            if self.finished:
                return
            self.expired = True
            sockets = self._sockets + [getattr(connection, "sock", None)
                                       for connection in self._connections]
        for sock in sockets:
            _shut(sock)


def _shut(sock) -> None:
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:  # already closed
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
                watch._sockets.clear()

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
