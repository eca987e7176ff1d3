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


def _path(name: str) -> Path | None:
    raw = os.environ.get(name)
    return Path(raw).expanduser() if raw and raw.strip() else None


def _bool(name: str, default: bool) -> bool:
    raw = (os.environ.get(name) or "").strip().lower()
    if raw == "":
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{name} must be true or false, got {raw!r}")


@dataclass(frozen=True)
class SiteCheckSettings:
    """Website and guide-source checks (flows/sitecheck, `tmt check-sites`)."""

    live: bool  # false (default): no name is looked up, no site contacted
    allow_networks: str  # tests only: networks reachable despite being private or loopback
    guide_sources: Path  # the guide's sources: section × language → URLs (YAML)
    concurrency: int  # checks at once, all hosts together
    per_host: int  # requests at once to one host
    host_interval_s: float  # between the starts of two requests to one host
    connect_timeout_s: float
    read_timeout_s: float
    deadline_s: float  # one check, redirects and retries included
    max_bytes: int  # a bigger page is `too_large`
    retries: int  # transient failures only (network, 5xx, 429 with Retry-After)
    backoff_s: float  # before the first retry; doubles each time
    max_retry_after_s: float  # a longer Retry-After is reported as `rate_limited`
    report_again_days: int  # a site still broken is reported again after this many days


def _sitecheck() -> SiteCheckSettings:
    return SiteCheckSettings(
        live=_bool("TMT_SITECHECK_LIVE", False),
        allow_networks=os.environ.get("TMT_SITECHECK_ALLOW_NETWORKS") or "",
        guide_sources=_path("TMT_GUIDE_SOURCES")
        or Path(__file__).resolve().parent / "sitecheck" / "guide_sources.yaml",
        concurrency=_int("TMT_SITECHECK_CONCURRENCY", 16),
        per_host=_int("TMT_SITECHECK_PER_HOST", 2),
        host_interval_s=_float("TMT_SITECHECK_HOST_INTERVAL_S", 1.0),
        connect_timeout_s=_float("TMT_SITECHECK_CONNECT_TIMEOUT_S", 5.0),
        read_timeout_s=_float("TMT_SITECHECK_READ_TIMEOUT_S", 15.0),
        deadline_s=_float("TMT_SITECHECK_DEADLINE_S", 60.0),
        max_bytes=_int("TMT_SITECHECK_MAX_BYTES", 10 * 1024 * 1024),
        retries=_int("TMT_SITECHECK_RETRIES", 2),
        backoff_s=_float("TMT_HTTP_BACKOFF_S", 1.0),
        max_retry_after_s=_float("TMT_SITECHECK_MAX_RETRY_AFTER_S", 60.0),
        report_again_days=_int("TMT_SITECHECK_REPORT_AGAIN_DAYS", 7),
    )


@dataclass(frozen=True)
class SheetLimits:
    """What a spreadsheet may hold before anything reads it (flows/spreadsheet_limits.py):
    a file over one limit is refused with its reason, never read."""

    max_file_bytes: int  # the file itself
    max_uncompressed_bytes: int  # XLSX: every part of the zip, decompressed
    max_ratio: float  # XLSX: decompressed / compressed size of one part (a zip bomb: 1000+)
    max_rows: int  # rows of a sheet (its extent: the last row, or lines of a CSV)
    max_columns: int  # columns of a sheet (its extent: the last column)
    max_cells: int  # rows × columns of a sheet's extent (a CSV: lines × delimiters)


def _sheet_limits() -> SheetLimits:
    return SheetLimits(
        max_file_bytes=_int("TMT_SHEET_MAX_FILE_BYTES", 200 * 1024 * 1024),
        max_uncompressed_bytes=_int("TMT_SHEET_MAX_UNCOMPRESSED_BYTES", 200 * 1024 * 1024),
        max_ratio=_float("TMT_SHEET_MAX_RATIO", 100.0),
        max_rows=_int("TMT_SHEET_MAX_ROWS", 500_000),
        max_columns=_int("TMT_SHEET_MAX_COLUMNS", 1_000),
        max_cells=_int("TMT_SHEET_MAX_CELLS", 10_000_000),
    )


@dataclass(frozen=True)
class Settings:
    home: Path
    lmia_source: str
    ckan_url: str
    lmia_dataset_id: str
    lmia_allow_networks: str  # tests only: the data portal on a private or loopback address
    download_max_bytes: int
    http_timeout_s: int
    http_retries: int
    user_agent: str
    directory_source: str
    keep_versions: int  # published serving databases kept besides the one served
    volume_band: float  # a file at 1/band or band times its previous period is flagged
    stale_after_months: int  # latest period older than this: a warning in the digest
    # Notifications and listing confirmations (flows/notify, flows/confirm). None: not set.
    apprise_config: Path | None  # the apprise YAML: destinations by tag (deploy/apprise/)
    signing_key: str | None  # signs the links in organization reminders; see signing_key_or_fail
    public_url: str  # base of those links: where `tmt serve-confirmations` is reachable
    reminder_after_months: int  # a listing confirmed this long ago is asked again
    reminder_interval_days: int  # first reminder → second → a call task for the maintainers
    link_valid_days: int  # a signed link expires after this many days
    send_max_attempts: int  # a message still failing after this many attempts is given up
    send_backoff_s: int  # wait before the second attempt; doubles each time (capped at 12 h)
    confirm_rate_per_minute: int  # requests per client address on the confirmation page
    send_interval_s: float  # at least this long between two messages to one destination
    sitecheck: SiteCheckSettings  # website and guide-source checks
    sheets: SheetLimits  # what a spreadsheet (LMIA file, directory) may hold
    # Superset (`tmt dashboards deploy`). None: not set; flows/dashboards/deploy.py allows
    # the local defaults (admin/admin) only for a Superset on this machine.
    superset_url: str
    superset_admin_user: str | None
    superset_admin_password: str | None
    # What may be reused between homes on one machine, never data: dbt's parse of the
    # project (flows/warehouse/dbt.py). TMT_CACHE_DIR, else $XDG_CACHE_HOME/observatoire-tmt.
    cache_dir: Path

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
    def confirmations_db(self) -> Path:
        """Confirmations and change requests from the web page (SQLite: concurrent requests
        write here; the build copies them into the warehouse)."""
        return self.home / "state" / "confirmations.sqlite"

    @property
    def runs_db(self) -> Path:
        """The run journal (flows/ops/journal.py): every flow run, how it ended, its counts."""
        return self.home / "state" / "runs.sqlite"

    @property
    def tasks_db(self) -> Path:
        """Maintainers' update tasks (yearly campaign, calls to make); the build copies them."""
        return self.home / "state" / "tasks.sqlite"

    def signing_key_or_fail(self) -> str:
        """The key that signs reminder links; sending reminders or serving the page needs it."""
        if not self.signing_key:
            from flows.errors import TmtError

            raise TmtError("TMT_SIGNING_KEY is not set: organization reminders and the "
                           "confirmation page need it (e.g. `python -c 'import secrets; "
                           "print(secrets.token_urlsafe(32))'`)")
        if len(self.signing_key) < 32:
            from flows.errors import TmtError

            raise TmtError("TMT_SIGNING_KEY is too short: use at least 32 random characters")
        return self.signing_key

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
        lmia_allow_networks=os.environ.get("TMT_LMIA_ALLOW_NETWORKS") or "",
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
        apprise_config=_path("TMT_APPRISE_CONFIG"),
        signing_key=os.environ.get("TMT_SIGNING_KEY") or None,
        public_url=(os.environ.get("TMT_PUBLIC_URL") or "http://127.0.0.1:8000").rstrip("/"),
        reminder_after_months=_int("TMT_REMINDER_AFTER_MONTHS", 12),
        reminder_interval_days=_int("TMT_REMINDER_INTERVAL_DAYS", 14),
        link_valid_days=_int("TMT_LINK_VALID_DAYS", 60),
        send_max_attempts=_int("TMT_SEND_MAX_ATTEMPTS", 10),
        send_backoff_s=_int("TMT_SEND_BACKOFF_S", 300),
        confirm_rate_per_minute=_int("TMT_CONFIRM_RATE_PER_MINUTE", 30),
        send_interval_s=_float("TMT_SEND_INTERVAL_S", 5.5),  # apprise's own default pace
        sitecheck=_sitecheck(),
        sheets=_sheet_limits(),
        superset_url=(os.environ.get("SUPERSET_URL") or "http://127.0.0.1:8088").rstrip("/"),
        superset_admin_user=os.environ.get("SUPERSET_ADMIN_USER") or None,
        superset_admin_password=os.environ.get("SUPERSET_ADMIN_PASSWORD") or None,
        cache_dir=_path("TMT_CACHE_DIR") or (_path("XDG_CACHE_HOME") or Path.home() / ".cache")
        / "observatoire-tmt",
    )
