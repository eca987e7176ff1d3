"""Raw LMIA checkpoint: each loaded file against expectations/raw_lmia.py, before dbt.

A critical failure withdraws the file: its rows leave the raw tables, the file it had
superseded (if any) is current again, and it is quarantined like a file that does not
parse, so it never reaches dbt, the marts or an analyst. The other files go on; the
ingest exits non-zero. Warnings stay in the file's report and go to the digest.
A file is checked once (raw.lmia_checks); one loaded but never checked (a crash between
load and check) is checked on the next ingest, and the mart checkpoint refuses to publish
a counted file that has no check.
"""
from __future__ import annotations

from dataclasses import replace

from expectations.checkpoint import Batch, Outcome, run_checkpoint
from flows.lmia import archive, load
from flows.lmia.ingest import FileReport
from flows.quality import results
from flows.settings import Settings

FILE_QUERY = """
with

this_file as (
    select * from raw.lmia_files where file_sha256 = $sha256
),

previous_file as (
    select
        earlier.original_name,
        earlier.row_count,
        earlier.approved_positions
    from raw.lmia_files as earlier
    inner join this_file
        on earlier.period_kind = this_file.period_kind
        and earlier.period_start < this_file.period_start
    where earlier.superseded_by is null
    order by earlier.period_start desc, (earlier.language = this_file.language) desc
    limit 1
)

select
    this_file.original_name,
    this_file.period_kind,
    this_file.period_start::varchar as period_start,
    this_file.layout,
    this_file.noc_version,
    this_file.row_count,
    this_file.approved_positions,
    previous_file.original_name as previous_file,
    previous_file.row_count as previous_rows,
    previous_file.approved_positions as previous_positions,
    this_file.row_count / previous_file.row_count as row_ratio,
    this_file.approved_positions / previous_file.approved_positions as position_ratio
from this_file
left join previous_file on true
"""

ROWS_QUERY = """
select
    lmia_rows.file_sha256,
    lmia_rows.sheet,
    lmia_rows.source_row,
    lmia_rows.province,
    lmia_rows.province_code,
    lmia_rows.employer_name,
    lmia_rows.address,
    lmia_rows.postal_code,
    lmia_rows.occupation_code,
    lmia_rows.approved_positions,
    lmia_files.layout,
    lmia_files.noc_version as file_noc_version
from raw.lmia_rows as lmia_rows
inner join raw.lmia_files as lmia_files
    on lmia_rows.file_sha256 = lmia_files.file_sha256
where lmia_rows.file_sha256 = $sha256
"""

FILE_SAMPLE_COLUMNS = ("original_name", "period_start", "row_count", "approved_positions",
                       "previous_file", "previous_rows", "previous_positions")
ROW_SAMPLE_COLUMNS = ("sheet", "source_row", "province", "province_code", "employer_name",
                      "address", "postal_code", "occupation_code", "approved_positions")


def needs_check(settings: Settings, sha256: str | None) -> bool:
    """Loaded and not checked yet. Cheap: no Great Expectations import."""
    if not sha256:
        return False
    con = load.connect(settings.work_db)
    try:
        loaded = con.execute("select 1 from raw.lmia_files where file_sha256 = ?",
                             [sha256]).fetchall()
        checked = con.execute("select 1 from raw.lmia_checks where file_sha256 = ?",
                              [sha256]).fetchall()
    finally:
        con.close()
    return bool(loaded) and not checked


def validate_file(settings: Settings, sha256: str) -> Outcome:
    con = load.connect(settings.work_db)
    try:
        file_frame = con.execute(FILE_QUERY, {"sha256": sha256}).df()
        rows_frame = con.execute(ROWS_QUERY, {"sha256": sha256}).df()
    finally:
        con.close()
    from expectations import raw_lmia as suites

    batch_id = f"{file_frame.at[0, 'original_name']}-{sha256[:12]}"
    return run_checkpoint("raw_lmia", [
        Batch(suites.raw_lmia_file(settings.volume_band), file_frame, batch_id,
              FILE_SAMPLE_COLUMNS),
        Batch(suites.raw_lmia_rows(), rows_frame, batch_id, ROW_SAMPLE_COLUMNS),
    ], docs_root=settings.home)


def check_loaded_file(settings: Settings, report: FileReport) -> FileReport:
    """Check a loaded file once; withdraw and quarantine it on a critical failure."""
    if report.status not in ("loaded", "unchanged") or not needs_check(settings, report.sha256):
        return report
    outcome = validate_file(settings, report.sha256)
    checks = [finding.as_dict() for finding in outcome.findings]
    con = load.connect(settings.work_db)
    try:
        results.record_with(con, outcome)
        if not outcome.critical:
            load.record_check(con, report.sha256, len(outcome.warnings))
            return replace(report, checks=checks)
        reason = f"{report.name}: failed data check {outcome.summary()}"
        archived = _archived(settings, con, report.sha256)
        archive.quarantine(settings.quarantine_dir, archived, reason)
        load.withdraw(con, archived, reason)
    finally:
        con.close()
    return replace(report, status="quarantined", reason=reason, checks=checks)


def _archived(settings: Settings, con, sha256: str) -> archive.ArchivedFile:
    source_url, name = con.execute("select source_url, original_name from raw.lmia_files "
                                   "where file_sha256 = ?", [sha256]).fetchall()[0]
    path = next(settings.raw_lmia_dir.glob(f"{sha256}.*"))
    return archive.ArchivedFile(sha256=sha256, path=path, bytes=path.stat().st_size,
                                source_url=source_url, original_name=name)
