"""dbt's seeds are loaded again only when they changed.

The seeds are reference tables of this repository (dbt_project/seeds: NOC codes, FSA
centroids, labels). `dbt build` emptied and reloaded all twenty on every build, row by
row through agate: 1.3-2.1 s of a 6-8 s build of the sample (measured, same runs). Now a
build loads them when the working database does not hold them loaded from these very
files: the fingerprint covers every file under seeds/ and macros/, dbt_project.yml (the
seeds' column types) and dbt's version, and is kept in the working database itself
(`ops.seeds_loaded`), so a new or replaced working file loads them again. A seed table
missing from the working file loads them all again too.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb

from flows.settings import Settings
from flows.warehouse.dbt import DBT_PROJECT_DIR

SEEDS_SCHEMA = "reference"
# Seed files change what is loaded; so can a macro the seeds' loading calls, and the
# project file's seed configuration (column types, schema).
FINGERPRINTED = ("seeds", "macros", "dbt_project.yml")


def fingerprint(project_dir: Path = DBT_PROJECT_DIR) -> str:
    from dbt.version import __version__ as dbt_version

    digest = hashlib.sha256(f"dbt {dbt_version}\n".encode())
    for name in FINGERPRINTED:
        root = project_dir / name
        for path in sorted([root] if root.is_file() else root.rglob("*")):
            if path.is_file():
                digest.update(f"{path.relative_to(project_dir).as_posix()}\n".encode())
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def seed_tables(project_dir: Path = DBT_PROJECT_DIR) -> set[str]:
    return {path.stem for path in (project_dir / "seeds").rglob("*.csv")}


def loaded(settings: Settings, project_dir: Path = DBT_PROJECT_DIR) -> bool:
    """True when the working database holds every seed table, loaded from these files."""
    if not settings.work_db.exists():
        return False
    try:
        with duckdb.connect(str(settings.work_db), read_only=True) as con:
            recorded = con.execute("select fingerprint from ops.seeds_loaded").fetchall()
            tables = {name for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = ?",
                [SEEDS_SCHEMA]).fetchall()}
    except duckdb.Error:  # no record yet (a working file from before this), or no file
        return False
    return recorded == [(fingerprint(project_dir),)] and seed_tables(project_dir) <= tables


def record_loaded(settings: Settings, project_dir: Path = DBT_PROJECT_DIR) -> None:
    """After a build that loaded the seeds and succeeded."""
    with duckdb.connect(str(settings.work_db)) as con:
        con.execute("create schema if not exists ops")
        con.execute("create or replace table ops.seeds_loaded as "
                    "select ?::varchar as fingerprint, now() as loaded_at",
                    [fingerprint(project_dir)])
