"""One settings object, read from the environment each time it is asked for.

Nothing here is read at import time: tests and the orchestrator change the environment
between calls, and a value frozen at import would silently ignore them.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

# The federal open data portal and the Positive LMIA employers lists dataset.
DEFAULT_CKAN_URL = "https://open.canada.ca/data"
DEFAULT_LMIA_DATASET_ID = "90fed587-1364-4f33-a9ee-208181dc0b97"


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be an integer, got {raw!r}") from exc


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise ValueError(f"{name} must be a number, got {raw!r}") from exc


@dataclass(frozen=True)
class Settings:
    home: Path
    lmia_source: str
    ckan_url: str
    lmia_dataset_id: str
    download_max_bytes: int
    http_timeout_s: int
    http_retries: int
    user_agent: str
    directory_source: str
    keep_versions: int  # published serving databases kept besides the one served
    volume_band: float  # a file at 1/band or band times its previous period is flagged
    stale_after_months: int  # latest period older than this: a warning in the digest

    # Layout of $TMT_HOME: every path the platform writes is derived here, nowhere else.
    @property
    def raw_lmia_dir(self) -> Path:
        return self.home / "raw" / "lmia"

    @property
    def quarantine_dir(self) -> Path:
        return self.home / "quarantine" / "lmia"

    @property
    def reports_dir(self) -> Path:
        return self.home / "reports"

    @property
    def warehouse_dir(self) -> Path:
        return self.home / "warehouse"

    @property
    def work_db(self) -> Path:
        """The working database: ingest loads it, dbt builds in it. Never read by analysts."""
        return self.warehouse_dir / "work.duckdb"

    @property
    def serving_db(self) -> Path:
        """What analysts and Superset read (contract: $TMT_HOME/warehouse/tmt.duckdb)."""
        return self.warehouse_dir / "tmt.duckdb"

    @property
    def versions_dir(self) -> Path:
        """Every published serving database, kept for `tmt rollback` (TMT_KEEP_VERSIONS)."""
        return self.warehouse_dir / "versions"

    @property
    def outbox_db(self) -> Path:
        """Notification outbox (SQLite): not in DuckDB, whose files have a single writer."""
        return self.home / "state" / "outbox.sqlite"

    @property
    def raw_directory_dir(self) -> Path:
        return self.home / "raw" / "directory"

    @property
    def directory_quarantine_dir(self) -> Path:
        return self.home / "quarantine" / "directory"

    @property
    def exports_dir(self) -> Path:
        """Files for people and other systems: HSDS export, printable directory."""
        return self.home / "exports"


def bundled_lmia_sample() -> Path:
    return Path(__file__).resolve().parent / "sample" / "lmia"


def bundled_directory_sample() -> Path:
    """A fictional directory (example domains, 555-01xx numbers) so a run works out of the box."""
    return Path(__file__).resolve().parent / "sample" / "directory" / "repertoire-exemple.csv"


def get_settings() -> Settings:
    """Read the environment now. Call this inside functions, never at module level."""
    home = Path(os.environ.get("TMT_HOME") or (Path.cwd() / "data")).expanduser().resolve()
    return Settings(
        home=home,
        lmia_source=os.environ.get("TMT_LMIA_SOURCE") or str(bundled_lmia_sample()),
        ckan_url=os.environ.get("TMT_CKAN_URL") or DEFAULT_CKAN_URL,
        lmia_dataset_id=os.environ.get("TMT_LMIA_DATASET_ID") or DEFAULT_LMIA_DATASET_ID,
        download_max_bytes=_int("TMT_DOWNLOAD_MAX_BYTES", 200 * 1024 * 1024),
        http_timeout_s=_int("TMT_HTTP_TIMEOUT_S", 60),
        http_retries=_int("TMT_HTTP_RETRIES", 4),
        user_agent=os.environ.get("TMT_USER_AGENT")
        or "ObservatoireTMT/0.1 (+https://github.com/observatoire-tmt)",
        directory_source=os.environ.get("TMT_DIRECTORY_SOURCE")
        or str(bundled_directory_sample()),
        keep_versions=_int("TMT_KEEP_VERSIONS", 5),
        volume_band=_float("TMT_VOLUME_BAND", 2.0),
        stale_after_months=_int("TMT_STALE_AFTER_MONTHS", 9),
    )
