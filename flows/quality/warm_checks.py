"""A checkpoint in a process of its own, warmed up while the flow does the work before it.

Importing Great Expectations and the suites costs 2.9-3.4 s of one core, and each run paid
it on the critical path, after the work it checks. dbt's build keeps the machine 57 % busy
on two cores (its Python threads share one interpreter lock), so the import fits on the
idle core: `build_warehouse` starts this process before dbt and hands it the mart
checkpoint afterwards; `ingest_lmia` starts it before parsing new files (one new quarter
keeps one core busy) and hands it the raw checkpoint.

The process is spawned, not forked from the flow's threads, and reads the environment of
the moment it starts. The verdict, and a TmtError with its `alerted` mark, come back
pickled. Where no child process can start (a daemon process) or the child dies, the
checkpoint runs here, as before: the verdict never depends on this.
"""
from __future__ import annotations

import importlib
import logging
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

T = TypeVar("T")

log = logging.getLogger(__name__)


# What the checkpoints import when they run: Great Expectations, and the suites, which the
# checkpoints import only inside their functions.
WARM_MODULES = ("great_expectations", "expectations.directory", "expectations.marts",
                "expectations.raw_lmia", "flows.quality.marts", "flows.quality.raw_lmia")


def _warm_up() -> None:
    for module in WARM_MODULES:
        importlib.import_module(module)


class WarmChecks:
    """`start` it before the work (or never: then `run` checks here); `run` a checkpoint
    after; `close` in any case."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None

    def start(self) -> None:
        if self._pool is not None:
            return
        try:
            self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
            self._pool.submit(_warm_up)
        except (AssertionError, OSError, RuntimeError) as exc:  # e.g. a daemon's child
            log.info("checks will run in this process (%s)", exc)
            self.close()

    def run(self, checkpoint: Callable[..., T], *args) -> T:
        """checkpoint(*args) in the warmed-up process (a module-level function, picklable
        arguments), or here when there is none."""
        if self._pool is not None:
            try:
                return self._pool.submit(checkpoint, *args).result()
            except BrokenProcessPool as exc:
                log.warning("the checks' process ended early (%s); checking here", exc)
                self.close()
        return checkpoint(*args)

    def close(self) -> None:
        if self._pool is not None:
            # an import still under way finishes in the background; nothing waits for it
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
