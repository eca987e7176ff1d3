"""The mart checkpoint in a process of its own, warmed up while dbt builds.

Importing Great Expectations and the suites costs 2.9-3.4 s of one core, and a build paid
it after dbt, on the critical path. dbt's build keeps the machine 57 % busy on two cores
(its Python threads share one interpreter lock), so the import fits on the idle core:
`build_warehouse` starts this process before dbt and hands it the checkpoint afterwards.

The process is spawned, not forked from the flow's threads, and reads the environment of
the moment it starts. The verdict, and a TmtError with its `alerted` mark, come back
pickled. Where no child process can start (a daemon process) or the child dies, the
checkpoint runs here, as before: the verdict never depends on this.
"""
from __future__ import annotations

import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from flows.quality.marts import Verdict, check_marts
from flows.settings import Settings

log = logging.getLogger(__name__)


def _warm_up() -> None:
    import great_expectations  # noqa: F401  the import is the point

    import expectations.directory
    import expectations.marts  # noqa: F401


class WarmChecks:
    """Start it before dbt; `check_marts` after; `close` in any case."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        try:
            self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
            self._pool.submit(_warm_up)
        except (AssertionError, OSError, RuntimeError) as exc:  # e.g. a daemon's child
            log.info("mart checks will run in this process (%s)", exc)
            self.close()

    def check_marts(self, settings: Settings) -> Verdict:
        if self._pool is not None:
            try:
                return self._pool.submit(check_marts, settings).result()
            except BrokenProcessPool as exc:
                log.warning("the mart checks' process ended early (%s); checking here", exc)
                self.close()
        return check_marts(settings)

    def close(self) -> None:
        if self._pool is not None:
            # an import still under way finishes in the background; nothing waits for it
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
