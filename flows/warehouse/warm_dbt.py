"""The build's dbt in a process of its own, imported and the project parsed while the run
does what comes before the build.

Importing dbt and its DuckDB adapter, then reading the project (dbt's parse, from the
shared cache: flows/warehouse/dbt.py), cost 2.4 s of every build on its critical path
(1.4 s and 1.0 s, measured on the sample). `tmt build` and `tmt run` start this process
before Prefect itself (flows/cli.py: Prefect's start takes 2-3 s of the other core), and
`build_warehouse` takes it, or starts its own when a deployment runs it; the build then
hands dbt the parsed project. A parse reads the project's files only, never the working
database, so it can go on while an ingest writes it.
"""
from __future__ import annotations

from flows.ops.warm_process import WarmProcess

_parsed = None  # in the child: the manifest parse_project read, or None


def _warm_up() -> None:
    global _parsed
    from flows.settings import get_settings
    from flows.warehouse.dbt import parse_project

    _parsed = parse_project(get_settings())


def _build() -> list[str]:
    from flows.settings import get_settings
    from flows.warehouse.dbt import run_production_build

    return run_production_build(get_settings(), manifest=_parsed)


class WarmDbt(WarmProcess):
    what = "dbt"

    def __init__(self) -> None:
        super().__init__(_warm_up)

    def build(self) -> list[str]:
        """The production build (flows/warehouse/dbt.run_production_build), in the warmed-up
        process or here."""
        return self.run(_build)


_early: WarmDbt | None = None


def start_early() -> None:
    """The CLI, before Prefect starts: the build of this command takes this process."""
    global _early
    if _early is None:
        _early = WarmDbt()
        _early.start()


def take() -> WarmDbt:
    """The process the CLI started for this build, else one started now."""
    global _early
    warm, _early = _early, None
    if warm is None:
        warm = WarmDbt()
        warm.start()
    return warm


def close_early() -> None:
    """The command ends: a process no build took is stopped."""
    global _early
    if _early is not None:
        _early.close()
        _early = None
