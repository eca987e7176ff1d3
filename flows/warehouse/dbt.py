"""Run dbt in-process (dbtRunner) against the working DuckDB file.

dbt writes its target/ and logs/ under $TMT_HOME, never in the repository.
"""
from __future__ import annotations

import os

from flows.errors import TmtError
from flows.settings import REPO_ROOT, Settings

DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"


def dbt_args(settings: Settings, command: str, *extra: str) -> list[str]:
    return [command, "--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir",
            str(DBT_PROJECT_DIR), "--target-path", str(settings.home / "dbt" / "target"),
            "--log-path", str(settings.home / "dbt" / "logs"), *extra]


def project_var(name: str):
    """A var of dbt_project.yml: a threshold the models and the Python checks share lives
    there once (e.g. min_quebec_municipality_share)."""
    import yaml

    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    return project["vars"][name]


# What a production build runs: seeds, models and their data tests. dbt's unit tests check
# the SQL on fixed inputs, and the seeds' own tests (seeds/*.yml) check files of the
# repository, not the data: the test suite runs both (tests/dbt, every `dbt build` there),
# a build of the data does not (2 s and 85 of dbt's 470 nodes, about 25 ms each).
PRODUCTION_BUILD = ("build", "--exclude", "resource_type:unit_test",
                    "resource_type:test,path:seeds")


def run_production_build(settings: Settings, *extra: str) -> list[str]:
    """PRODUCTION_BUILD; the seeds only when the working database does not hold them loaded
    from these files already (flows/warehouse/seeds.py)."""
    from flows.warehouse import seeds

    current = seeds.loaded(settings)
    # PRODUCTION_BUILD ends with --exclude's values: one more excludes the seeds
    summary = run_dbt(settings, *PRODUCTION_BUILD, *(("resource_type:seed",) if current else ()),
                      *extra)
    if not current:
        seeds.record_loaded(settings)
    return summary


def run_dbt(settings: Settings, command: str, *extra: str) -> list[str]:
    """Run one dbt command; raise TmtError naming every failed node. Returns a summary."""
    result = _invoke(settings, command, *extra)
    nodes = list(getattr(result.result, "results", None) or [])
    failed = [f"{r.node.name} ({r.status}: {_what_failed(settings, r)})"
              for r in nodes if str(r.status) in ("error", "fail", "runtime error")]
    if not result.success or failed:
        reason = "; ".join(failed) if failed else _one_line(result.exception)
        raise TmtError(f"dbt {command} failed: {reason}")
    return [f"{r.node.name}: {r.status}" for r in nodes]


def _what_failed(settings: Settings, result) -> str:
    """dbt's message; for a failed declared_constraints test (one test for all of a model's
    constraints), the constraints it found broken, read again from the working file now that
    dbt has released it: `not_null region_code: 3; unique lmia_position_id: 1`."""
    said = " ".join(str(result.message or "").split())[:160]
    metadata = getattr(result.node, "test_metadata", None)
    code = getattr(result.node, "compiled_code", None)
    if str(result.status) != "fail" or not code or getattr(metadata, "name", "") != (
            "declared_constraints") or not settings.work_db.exists():
        return said
    import duckdb

    try:
        with duckdb.connect(str(settings.work_db), read_only=True) as con:
            broken = con.execute(code).fetchall()
    except duckdb.Error:  # another target (PostgreSQL): dbt's own words
        return said
    return "; ".join(f"{kind} {columns}: {count}" for kind, columns, count in broken) or said


def _invoke(settings: Settings, command: str, *extra: str):
    from dbt.cli.main import dbtRunner

    os.environ["TMT_DUCKDB_PATH"] = str(settings.work_db)
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    # dbt.log at info: its debug level wrote 30,000 lines per build (1.5 s of CPU). A
    # maintainer chasing a failure sets DBT_LOG_LEVEL_FILE=debug.
    os.environ.setdefault("DBT_LOG_LEVEL_FILE", "info")
    # On the console only dbt's errors: its 76 lines per build of the sample, colour codes
    # and all, buried the run's own log (run_dbt names each failed node in its one-line
    # error; dbt.log keeps every line). Neither file nor console gets colour escapes.
    os.environ.setdefault("DBT_QUIET", "true")
    os.environ.setdefault("DBT_USE_COLORS", "false")
    os.environ.setdefault("DBT_USE_COLORS_FILE", "false")
    settings.work_db.parent.mkdir(parents=True, exist_ok=True)
    try:
        result = dbtRunner().invoke(dbt_args(settings, command, *extra))
    finally:
        _release_duckdb()
    return result


def _release_duckdb() -> None:
    """dbt-duckdb keeps its DuckDB handle open after an in-process invoke (dbt-duckdb#616):
    until released, the WAL is not checkpointed and no other open of the file succeeds."""
    import gc

    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    DuckDBConnectionManager.close_all_connections()
    gc.collect()


def _one_line(exc: BaseException | None) -> str:
    return " ".join(str(exc).split())[:300] if exc else "see $TMT_HOME/dbt/logs/dbt.log"
