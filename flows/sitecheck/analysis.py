"""What a page says, from its bytes: text, normalized lines, fingerprint (page.py,
content.py), in worker processes when a run is large.

The HTTP threads share one interpreter lock: reading and normalizing pages in them costs
about as much CPU as the requests themselves, so a large run on several cores hands the
bytes to `cpu_count - 1` worker processes and waits for the answer (the lock is free
meanwhile). Small runs and one-core machines read pages in the thread.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from . import content, page

log = logging.getLogger(__name__)
POOL_FROM_URLS = 200  # below this, starting processes costs more than it saves


@dataclass
class Analysis:
    page: page.Page
    lines: list[str] | None  # normalized; None for a file that is not text (a PDF)
    fingerprint: str


def analyze(body: bytes, content_type: str | None) -> Analysis:
    read = page.read(body, content_type)
    if read.html or read.lines:
        lines = content.normalize(read.lines, read.title)
        return Analysis(read, lines, content.fingerprint(lines))
    return Analysis(read, None, content.fingerprint(raw=body))


def processes_for(urls: int) -> int:
    return max(0, (os.cpu_count() or 1) - 1) if urls >= POOL_FROM_URLS else 0


class Analyzer:
    def __init__(self, processes: int = 0):
        self.pool = None
        if processes:
            # spawn, not fork: this process runs threads, and a fork copies their locks
            self.pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context(
                "spawn"))
            self.pool.submit(analyze, b"", "text/plain")  # start the workers now

    def __call__(self, body: bytes, content_type: str | None) -> Analysis:
        pool = self.pool
        if pool is not None:
            try:
                return pool.submit(analyze, body, content_type).result()
            except BrokenProcessPool:  # e.g. a __main__ that spawn cannot import again
                log.warning("page analysis workers stopped; reading pages in-process")
                self.pool = None
        return analyze(body, content_type)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown()
