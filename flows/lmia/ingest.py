"""The LMIA pull step by step, as plain functions: the Prefect flow calls them in order,
tests and benchmarks call them directly."""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..errors import BadFileError, TmtError
from ..settings import Settings
from ..sitecheck.addresses import parse_networks
from . import archive, load
from .http import HttpPolicy, download, guarded_session
from .labels import repair_summary
from .parse import parse_job
from .sources import Candidate


@dataclass
class FileReport:
    """What happened to one source file; the load report is a list of these."""

    name: str
    source: str
    status: str  # loaded | unchanged | quarantined | ignored (not a positive list) | failed
    sha256: str | None = None
    period: str | None = None
    language: str | None = None
    layout: str | None = None
    rows: int = 0
    approved_positions: int = 0
    positions_by_province: dict = field(default_factory=dict)
    lines_skipped: dict = field(default_factory=dict)    # lines that are not data, by reason
    repairs: dict = field(default_factory=dict)          # cells or bytes repaired, by kind
    rows_flagged: dict = field(default_factory=dict)     # rows kept but doubtful, by reason
    rows_rejected: dict = field(default_factory=dict)    # rows left out (count unreadable)
    headers_understood: list = field(default_factory=list)  # "seen → column (how)"
    columns_ignored: list = field(default_factory=list)
    examples: dict = field(default_factory=dict)         # kind -> two examples
    encoding: str | None = None
    reason: str | None = None
    checks: list = field(default_factory=list)  # failed data checks (expectations/), as dicts


def http_policy(settings: Settings) -> HttpPolicy:
    """Downloads through the site check's address guard (TMT_LMIA_ALLOW_NETWORKS)."""
    try:
        allowed = parse_networks(settings.lmia_allow_networks, "TMT_LMIA_ALLOW_NETWORKS")
    except ValueError as exc:
        raise TmtError(str(exc)) from exc
    return HttpPolicy(user_agent=settings.user_agent, timeout_s=settings.http_timeout_s,
                      retries=settings.http_retries, max_bytes=settings.download_max_bytes,
                      backoff_s=float(os.environ.get("TMT_HTTP_BACKOFF_S") or 1.0),
                      session=guarded_session(settings.user_agent, allowed))


def _read_state(archive_dir: Path) -> dict:
    path = archive_dir / "http_state.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _write_state(archive_dir: Path, state: dict) -> None:
    path = archive_dir / "http_state.json"
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(state, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(temporary, path)


def fetch(candidate: Candidate, settings: Settings,
          archive_dir: Path | None = None) -> archive.ArchivedFile | None:
    """Archive one source file before anything reads it (in `archive_dir`, by default the
    LMIA archive; the context statistics have their own)."""
    archive_dir = archive_dir or settings.raw_lmia_dir
    archive_dir.mkdir(parents=True, exist_ok=True)
    if candidate.is_url:
        state = _read_state(archive_dir)
        known = state.get(candidate.location)
        result = download(http_policy(settings), candidate.location, archive_dir, known)
        if result.staged is None:
            stored = _archived_path(archive_dir, result.sha256)
            if stored is None:  # validators survived but the archive lost the file: refetch
                state.pop(candidate.location, None)
                _write_state(archive_dir, state)
                return fetch(candidate, settings, archive_dir)
            return _describe(candidate, stored, result.sha256, fetched=False)
        path = archive.store(archive_dir, result.staged, result.sha256, candidate.name)
        validators = {key: value for key, value in result.validators.items() if value}
        state[candidate.location] = {**validators, "sha256": result.sha256}
        _write_state(archive_dir, state)
    else:
        path, sha, new = archive.store_copy(archive_dir, Path(candidate.location), candidate.name)
        if not new:
            return _describe(candidate, path, sha, fetched=False)
        validators = {}
    described = _describe(candidate, path, path.stem, fetched=True)
    archive.append_manifest(archive_dir, described, validators)
    return described


def fetch_each(candidates: list[Candidate], fetch_one, report_type=None) -> tuple[list, list]:
    """(archived, failed reports): each candidate through `fetch_one(candidate, number,
    total)` (the flow's task); a file that cannot be fetched is reported, the others go on."""
    fetched, failed = [], []
    for number, candidate in enumerate(candidates, start=1):
        try:
            fetched.append(fetch_one(candidate, number, len(candidates)))
        except TmtError as exc:  # this file could not be fetched; the others still can
            failed.append((report_type or FileReport)(candidate.name, candidate.location,
                                                      "failed", reason=str(exc)))
    return fetched, failed


def _archived_path(archive_dir: Path, sha256: str | None) -> Path | None:
    if not sha256:
        return None
    return next(iter(archive_dir.glob(f"{sha256}.*")), None)


def _describe(candidate: Candidate, path: Path, sha256: str, fetched: bool):
    return archive.ArchivedFile(
        sha256=sha256, path=path, bytes=path.stat().st_size, source_url=candidate.location,
        original_name=candidate.name, resource_id=candidate.resource_id,
        resource_name=candidate.resource_name, language_hint=candidate.language_hint,
        source_last_modified=candidate.last_modified or _mtime(candidate))


def _mtime(candidate: Candidate) -> str | None:
    if candidate.is_url:
        return None
    from datetime import UTC, datetime
    stamp = Path(candidate.location).stat().st_mtime
    return datetime.fromtimestamp(stamp, UTC).isoformat(timespec="seconds")


def load_archived(archived: archive.ArchivedFile, settings: Settings) -> FileReport:
    """Parse and load one archived file; quarantine it with its reason when it is bad."""
    return load_batch([archived], settings)[0]


def load_batch(batch: list[archive.ArchivedFile], settings: Settings,
               progress=None, before_parsing=None) -> list[FileReport]:
    """Parse the new files of a batch (in parallel) and load them through one connection.

    Opening and checkpointing the DuckDB file once per file cost as much as parsing on the
    shared vintages, and parsing is pure CPU: both are done once per batch instead. Each
    file still gets its own transaction, reconciliation and report. `progress(done, total,
    report)` is called after each file (the run log's "fichier 3/10" lines);
    `before_parsing()` once, when there is something new to parse.
    """
    con = load.connect(settings.work_db)
    # At DuckDB's default (a checkpoint whenever the log passes 16 MB) the commits rewrote
    # the growing table again and again: 4.6 s of a 9 s load of the history.
    con.execute("set checkpoint_threshold = '1GB'")
    # One thread: the parsing workers have the cores. Two threads inserting beside them
    # took 1.76 s for the history's rows, one 1.30 s (measured, same machine).
    con.execute("set threads = 1")
    try:
        seen = {item.sha256: load.status_of(con, item.sha256) for item in batch}
        todo = list({item.sha256: item for item in batch if seen[item.sha256] is None}.values())
        if todo and before_parsing:
            before_parsing()
        # In todo's order, each as soon as it is parsed: loading one file overlaps with
        # parsing the next ones, instead of holding every parsed file until the last.
        parsed = parse_each(todo)
        reports = []
        pending = 0  # rows loaded since the last commit
        con.execute("begin transaction")
        try:
            for item in batch:
                if seen.get(item.sha256) is None:
                    seen[item.sha256] = "loaded"
                    reports.append(_load_one(con, item, next(parsed), settings))
                    pending += reports[-1].rows
                    if pending >= COMMIT_ROWS:
                        con.execute("commit")
                        con.execute("begin transaction")
                        pending = 0
                else:
                    reports.append(_already_seen(item, seen[item.sha256]))
                if progress:
                    progress(len(reports), len(batch), reports[-1])
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
        parsed.close()
        return reports
    finally:
        con.close()


# Files are committed in groups of at least this many rows, not one by one: a file is
# 5,000-25,000 rows, and DuckDB writes a transaction's rows to the database file directly
# only past a row group (122,880 rows); below that each commit went through the log and
# again into the file at the checkpoint (loading the history: 2.5 s against 2.15 s on a
# quiet machine, 3.9-5.7 s against 2.3-2.8 s on a busy one). A crash loses at most the
# group being loaded: its files are parsed again on the next run, as files never seen
# (nothing of them was committed).
COMMIT_ROWS = 250_000


def _already_seen(item: archive.ArchivedFile, status: str | None) -> FileReport:
    report = FileReport(name=item.original_name, source=item.source_url, status="unchanged",
                        sha256=item.sha256)
    if status and status.startswith("quarantined"):
        # the same bytes were bad before: still bad, still needs a person
        report.status, report.reason = "quarantined", status.removeprefix("quarantined: ")
    elif status and status.startswith("ignored"):
        report.status, report.reason = "ignored", status.removeprefix("ignored: ")
    return report


def _load_one(con, item: archive.ArchivedFile, outcome, settings: Settings) -> FileReport:
    report = FileReport(name=item.original_name, source=item.source_url, status="loaded",
                        sha256=item.sha256)
    parsed, error, verdict = outcome
    if verdict == "ignored":  # a negative list: not an error, not loaded, said once
        load.record_ignored(con, item, error)
        report.status, report.reason = "ignored", error
        return report
    try:
        if error:
            raise BadFileError(item.original_name, error)
        language = parsed.language or item.language_hint or "en"
        load.load(con, item, parsed, language)
    except BadFileError as exc:
        archive.quarantine(settings.quarantine_dir, item, str(exc))
        load.record_quarantine(con, item, str(exc))
        report.status, report.reason = "quarantined", str(exc)
        return report
    report.period, report.language, report.layout = str(parsed.period), language, parsed.layout
    report.rows, report.approved_positions = parsed.row_count, parsed.approved_positions
    report.positions_by_province = dict(sorted(parsed.positions_by_province.items()))
    report.lines_skipped = dict(parsed.skipped)
    report.repairs, report.rows_flagged = dict(parsed.repairs), dict(parsed.flagged)
    report.rows_rejected = dict(parsed.rejected)
    report.headers_understood, report.columns_ignored = parsed.headers_understood, \
        parsed.columns_ignored
    report.examples, report.encoding = parsed.examples, parsed.encoding
    return report


# Below this many bytes to parse, starting worker processes costs more than it saves.
PARALLEL_MIN_BYTES = 2 * 1024 * 1024


def parse_each(items: list[archive.ArchivedFile]):
    """(ParsedFile, None) or (None, one-line reason) per file, in order, as they are ready."""
    jobs = [(item.path, item.original_name,
             [n for n in (item.resource_name, item.source_url) if n]) for item in items]
    workers = min(len(jobs), os.cpu_count() or 1)
    if workers < 2 or sum(item.bytes for item in items) < PARALLEL_MIN_BYTES:
        yield from map(parse_job, jobs)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # forkserver, not fork: the flow runs inside Prefect's threads, and forking a process
    # with threads can copy a held lock into the child.
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(parse_job, jobs)


def write_report(reports: list, settings: Settings, source: str = "lmia") -> Path:
    """The load report a maintainer opens: reports/<source>/ingest-<time>.json."""
    from .archive import now_iso

    folder = settings.reports_dir / source
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"ingest-{now_iso().replace(':', '')}.json"
    path.write_text(json.dumps([asdict(r) for r in reports], indent=1, ensure_ascii=False),
                    encoding="utf-8")
    return path


def summary_line(report: FileReport) -> str:
    if report.status == "loaded":
        line = (f"loaded      {report.name}: {report.period} {report.language} {report.layout}, "
                f"{report.rows} rows, {report.approved_positions} positions "
                f"(QC {report.positions_by_province.get('QC', 0)})")
        repaired = repair_summary(report)
        return f"{line}; {repaired}" if repaired else line
    if report.status in ("quarantined", "failed", "ignored"):
        return f"{report.status:<11} {report.reason}"
    return f"unchanged   {report.name}"


def artifact_row(report: FileReport) -> dict:
    """One line of the run's table for maintainers (French column names first)."""
    return {"fichier / file": report.name, "statut / status": report.status,
            "période / period": report.period or "", "lignes / rows": report.rows,
            "postes / positions": report.approved_positions,
            "postes QC / QC positions": report.positions_by_province.get("QC", 0),
            "raison / reason": report.reason or ""}


def raise_if_failed(reports: list[FileReport]) -> None:
    """The run fails (non-zero exit) when any file was quarantined or could not be fetched."""
    bad = [r for r in reports if r.status in ("quarantined", "failed")]  # not "ignored"
    if bad:
        raise TmtError(f"{len(bad)} fichier(s) LMIA sur {len(reports)} non chargé(s) / "
                       f"{len(bad)} of {len(reports)} LMIA file(s) not loaded: "
                       + "; ".join(f"{r.status} {r.reason}" for r in bad))
