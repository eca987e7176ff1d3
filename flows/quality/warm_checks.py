"""A checkpoint in a process of its own, warmed up while the flow does the work before it.

Importing Great Expectations and the suites costs 2.9-3.4 s of one core, and each run paid
it on the critical path, after the work it checks. dbt's build keeps the machine 57 % busy
on two cores (its Python threads share one interpreter lock), so the import fits on the
idle core: `build_warehouse` starts this process before dbt and hands it the mart
checkpoint afterwards; `ingest_lmia` starts it before parsing new files (one new quarter
keeps one core busy) and hands it the raw checkpoint.

The process (flows/ops/warm_process.py) is spawned; where none can start, or it dies, the
checkpoint runs here, as before: the verdict never depends on this.
"""
from __future__ import annotations

import importlib

from flows.ops.warm_process import WarmProcess

# What the checkpoints import when they run: Great Expectations, and the suites, which the
# checkpoints import only inside their functions.
WARM_MODULES = ("great_expectations", "expectations.directory", "expectations.marts",
                "expectations.raw_lmia", "flows.quality.marts", "flows.quality.raw_lmia")


def _warm_up() -> None:
    for module in WARM_MODULES:
        importlib.import_module(module)


class WarmChecks(WarmProcess):
    """`start` it before the work (or never: then `run` checks here); `run` a checkpoint
    after; `close` in any case."""

    what = "checks"

    def __init__(self) -> None:
        super().__init__(_warm_up)
