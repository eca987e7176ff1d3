"""Work in a process of its own, warmed up (imports, a parse) while the flow does the work
before it: flows/quality/warm_checks.py (Great Expectations) and flows/warehouse/warm_dbt.py
(dbt).

The process is spawned, not forked from the flow's threads, and reads the environment of
the moment it starts. Results, and a TmtError with its `alerted` mark, come back pickled.
Where no child process can start (a daemon process) or the child dies, the work runs in
the caller's process, as before: no result ever depends on this.
"""
from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

T = TypeVar("T")

log = logging.getLogger(__name__)


class WarmProcess:
    """`start` it before the work (or never: then `run` runs here); `run` the work after;
    `close` in any case. `warm_up(*args)` runs in the child as soon as it starts."""

    what = "work"  # for the log: "checks", "dbt"

    def __init__(self, warm_up: Callable[..., None], *args) -> None:
        self._warm_up, self._args = warm_up, args
        self._pool: ProcessPoolExecutor | None = None

    @property
    def started(self) -> bool:
        return self._pool is not None

    def start(self) -> None:
        if self._pool is not None:
            return
        try:
            self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
            self._pool.submit(self._warm_up, *self._args)
        except (AssertionError, OSError, RuntimeError) as exc:  # e.g. a daemon's child
            log.info("%s will run in this process (%s)", self.what, exc)
            self.close()

    def run(self, work: Callable[..., T], *args) -> T:
        """work(*args) in the warmed-up process (a module-level function, picklable
        arguments), or here when there is none."""
        if self._pool is not None:
            try:
                return self._pool.submit(work, *args).result()
            except BrokenProcessPool as exc:
                log.warning("the %s process ended early (%s); running here", self.what, exc)
                self.close()
        return work(*args)

    def close(self) -> None:
        if self._pool is not None:
            # a warm-up still under way finishes in the background; nothing waits for it
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
