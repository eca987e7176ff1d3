"""Mart checkpoint: the marts just built in the working database, before publication.

Runs after dbt build and before flows/warehouse/publish.py. A critical failure raises:
nothing is published, the serving database stays the last one that passed, and the
maintainers get an alert with the failing expectations and sample rows. Warnings (an
old latest period) go to the digest. Both are queued in the outbox here, like the
actions of a Great Expectations checkpoint.
"""
from __future__ import annotations

from datetime import date

import duckdb

from expectations.checkpoint import Batch, Outcome, run_checkpoint
from flows.errors import TmtError, alerted
from flows.notify import messages, outbox
from flows.quality import results
from flows.settings import Settings

POSITIONS_QUERY = """
select
    source_file,
    sheet,
    source_row,
    period_start::varchar as period_start,
    province_code,
    region_code,
    mrc_code,
    municipality_code,
    geo_precision,
    noc_version,
    noc_code,
    skill_level,
    teer,
    employer_name,
    address,
    approved_positions
from marts.fct_lmia_positions
"""

FILES_QUERY = """
with

counted_files as (
    select * from staging.stg_lmia__files
),

raw_per_file as (
    select
        file_sha256,
        count(*) as raw_rows,
        sum(approved_positions)::bigint as raw_positions
    from raw.lmia_rows
    group by file_sha256
),

mart_per_file as (
    select
        file_sha256,
        count(*) as mart_rows,
        sum(approved_positions)::bigint as mart_positions
    from marts.fct_lmia_positions
    group by file_sha256
),

raw_checks as (
    select * from raw.lmia_checks
)

select
    counted_files.source_file,
    counted_files.file_sha256,
    counted_files.row_count as file_rows,
    counted_files.approved_positions as file_positions,
    raw_per_file.raw_rows,
    raw_per_file.raw_positions,
    mart_per_file.mart_rows,
    mart_per_file.mart_positions,
    raw_checks.checked_at::varchar as raw_checked_at
from counted_files
left join raw_per_file on counted_files.file_sha256 = raw_per_file.file_sha256
left join mart_per_file on counted_files.file_sha256 = mart_per_file.file_sha256
left join raw_checks on counted_files.file_sha256 = raw_checks.file_sha256
"""

PERIODS_QUERY = """
with

positions as (
    select * from marts.fct_lmia_positions
),

quebec_per_period as (
    select
        period_kind,
        period_start,
        sum(approved_positions)::bigint as quebec_positions,
        sum(approved_positions) filter (where geo_precision in ('postal_code', 'municipality'))
            / sum(approved_positions) as municipality_share
    from positions
    where province_code = 'QC'
    group by period_kind, period_start
),

territory_per_period as (
    select
        period_kind,
        period_start,
        sum(approved_positions)::bigint as territory_positions
    from marts.tmw_by_territory
    group by period_kind, period_start
),

periods as (
    select distinct period_kind, period_start from positions
)

select
    periods.period_kind,
    periods.period_start::varchar as period_start,
    coalesce(quebec_per_period.quebec_positions, 0) as quebec_positions,
    coalesce(territory_per_period.territory_positions, 0) as territory_positions,
    quebec_per_period.municipality_share,
    date_diff('month', periods.period_start, $today::date) as months_old
from periods
left join quebec_per_period
    on periods.period_kind = quebec_per_period.period_kind
    and periods.period_start = quebec_per_period.period_start
left join territory_per_period
    on periods.period_kind = territory_per_period.period_kind
    and periods.period_start = territory_per_period.period_start
order by periods.period_start
"""


# The directory (issue 5): one row per code of each comma-separated list column.
DIRECTORY_ORGANIZATIONS_QUERY = """
select organization_id, name, status, region_codes, email, website
from marts.directory_organizations
"""

DIRECTORY_CODES_QUERY = """
with

organizations as (
    select * from marts.directory_organizations
),

listed_codes as (
    select organization_id, name, 'region_codes' as list_name,
        unnest(string_split(region_codes, ',')) as code
    from organizations
    union all
    select organization_id, name, 'mrc_codes', unnest(string_split(mrc_codes, ','))
    from organizations
    union all
    select organization_id, name, 'languages', unnest(string_split(languages, ','))
    from organizations
    union all
    select organization_id, name, 'services', unnest(string_split(services, ','))
    from organizations
)

select organization_id, name, list_name, trim(code) as code
from listed_codes
where trim(code) <> ''
"""


def validate_marts(settings: Settings, today: date | None = None) -> Outcome:
    try:
        with duckdb.connect(str(settings.work_db), read_only=True) as con:
            positions = con.execute(POSITIONS_QUERY).df()
            files = con.execute(FILES_QUERY).df()
            periods = con.execute(PERIODS_QUERY, {"today": today or date.today()}).df()
            directory = None
            if con.execute("select 1 from information_schema.tables where table_schema = "
                           "'marts' and table_name = 'directory_organizations'").fetchall():
                directory = (con.execute(DIRECTORY_ORGANIZATIONS_QUERY).df(),
                             con.execute(DIRECTORY_CODES_QUERY).df())
    except duckdb.Error as exc:
        raise TmtError(f"{settings.work_db}: cannot read the marts to check them "
                       f"({' '.join(str(exc).split())[:200]})") from exc
    from expectations import marts as suites

    batches = [
        Batch(suites.marts_lmia_positions(), positions, "fct_lmia_positions"),
        Batch(suites.marts_lmia_files(), files, "lmia_files"),
        Batch(suites.marts_lmia_periods(settings.stale_after_months), periods, "lmia_periods"),
    ]
    if directory is not None:
        from expectations import directory as directory_suites

        batches += [
            Batch(directory_suites.directory_organizations(), directory[0],
                  "directory_organizations"),
            Batch(directory_suites.directory_codes(), directory[1], "directory_codes"),
        ]
    return run_checkpoint("marts", batches, docs_root=settings.home)


def check_marts(settings: Settings, today: date | None = None) -> Outcome:
    """Validate, keep the results, queue the alert or the digest items, raise on a critical
    failure."""
    outcome = validate_marts(settings, today)
    results.record(settings.work_db, outcome)
    queued = messages.digest_items("marts", "marts", outcome.warnings)
    if outcome.critical:
        queued.append(messages.checks_failed(outcome))
    outbox.enqueue(settings.outbox_db, queued)
    if outcome.critical:
        raise alerted(TmtError(f"data check failed, nothing published (maintainers alerted): "
                               f"{outcome.summary()}"))
    return outcome
