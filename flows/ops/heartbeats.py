"""Flow runs started from the command line send no Prefect heartbeats.

Prefect 3.8 starts a heartbeat thread for every flow run (every 180 s by default) and, when
a synchronous flow run ends, waits for that thread, which sleeps in steps of one second:
every flow and subflow ended up to a second late. Measured with a running server: an empty
subflow took 1.1 s, 0.14 s without heartbeats; `tmt run` has seven flow runs.

A heartbeat lets a Prefect automation mark a run whose process died as crashed. None is
configured here: the run journal (flows/ops/journal.py) records each run at its start and
its end, so a killed run stays visible as `running`. Flow runs of the deployments that
`tmt serve` runs keep Prefect's default (they run in processes of their own).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def without_flow_heartbeats() -> Iterator[None]:
    """Prefect's current settings, flow heartbeats off (the setting allows no `None` from
    the environment, only in code)."""
    from prefect.context import SettingsContext

    current = SettingsContext.get()
    flows = current.settings.flows.model_copy(update={"heartbeat_frequency": None})
    settings = current.settings.model_copy(update={"flows": flows})
    with SettingsContext(profile=current.profile, settings=settings):
        yield
