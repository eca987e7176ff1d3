"""Run dbt in-process (dbtRunner) against the working DuckDB file.

dbt writes its target/ and logs/ under $TMT_HOME, never in the repository.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

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


def run_production_build(settings: Settings, *extra: str, manifest=None) -> list[str]:
    """PRODUCTION_BUILD; the seeds only when the working database does not hold them loaded
    from these files already (flows/warehouse/seeds.py). `manifest`: the project as
    parse_project read it, with no `extra` (vars change what a parse reads)."""
    from flows.warehouse import seeds

    current = seeds.loaded(settings)
    # PRODUCTION_BUILD ends with --exclude's values: one more excludes the seeds
    summary = run_dbt(settings, *PRODUCTION_BUILD, *(("resource_type:seed",) if current else ()),
                      *extra, manifest=None if extra else manifest)
    if not current:
        seeds.record_loaded(settings)
    return summary


def parse_project(settings: Settings):
    """dbt's manifest of the project, to hand to a build (flows/warehouse/warm_dbt.py), or
    None when it cannot be read: the build then parses and says what is wrong itself. A
    parse reads the project's files only, never the working database."""
    try:
        result = _invoke(settings, "parse")
    except Exception:  # noqa: BLE001  (anything: the build parses again and reports it)
        return None
    return result.result if result.success else None


def run_dbt(settings: Settings, command: str, *extra: str, manifest=None) -> list[str]:
    """Run one dbt command; raise TmtError naming every failed node. Returns a summary."""
    result = _invoke(settings, command, *extra, manifest=manifest)
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


def _invoke(settings: Settings, command: str, *extra: str, manifest=None):
    from dbt.cli.main import dbtRunner

    # The DuckDB file by its name, dbt running in its folder: dbt keys its parse of the
    # project on the profile's connection settings, so with the full path a new home parsed
    # the whole project again (3 s of a first build); with the name, every home shares one
    # parse (partial_parse_shared).
    os.environ["TMT_DUCKDB_PATH"] = settings.work_db.name
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
    shared = partial_parse_shared(settings)
    own = settings.home / "dbt" / "target" / PARTIAL_PARSE_FILE
    if shared.is_file() and not own.exists():
        _copy_atomically(shared, own)
    try:
        before = os.getcwd()
    except OSError:  # the caller's folder was deleted: nothing to go back to
        before = str(settings.home)
    os.chdir(settings.work_db.parent)
    try:
        result = dbtRunner(manifest=manifest).invoke(dbt_args(settings, command, *extra))
    finally:
        os.chdir(before)
        _release_duckdb()
    if manifest is None and own.is_file():  # dbt parsed: its parse is the machine's now
        _copy_atomically(own, shared)
    return result


PARTIAL_PARSE_FILE = "partial_parse.msgpack"


def partial_parse_shared(settings: Settings) -> Path:
    """Where dbt's parse of this project is kept for every home of this machine: one per
    project folder (a test's altered copy of the project has its own) and dbt version
    (dbt reparses on a version change anyway)."""
    import hashlib

    from dbt.version import __version__

    key = hashlib.sha256(f"{DBT_PROJECT_DIR.resolve()}|{__version__}".encode()).hexdigest()
    return settings.cache_dir / "dbt" / key[:16] / PARTIAL_PARSE_FILE


def _copy_atomically(source: Path, target: Path) -> None:
    """A cache copy: a parallel run reads a whole file or none, and a failed copy never
    fails a build (dbt parses the whole project when the file is missing or stale)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staged = target.with_name(f".{target.name}.{os.getpid()}")
        shutil.copyfile(source, staged)
        os.replace(staged, target)
    except OSError:
        pass


def _release_duckdb() -> None:
    """dbt-duckdb keeps its DuckDB handle open after an in-process invoke (dbt-duckdb#616):
    until released, the WAL is not checkpointed and no other open of the file succeeds."""
    import gc

    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    DuckDBConnectionManager.close_all_connections()
    gc.collect()


def _one_line(exc: BaseException | None) -> str:
    return " ".join(str(exc).split())[:300] if exc else "see $TMT_HOME/dbt/logs/dbt.log"
