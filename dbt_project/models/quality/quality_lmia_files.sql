-- One row per counted file: rows and positions as parsed (raw.lmia_files), as loaded
-- (raw.lmia_rows) and as published (fct_lmia_positions), and when the file passed its raw
-- checks. The mart checkpoint (flows/quality/marts.py) expects the three to agree; a file
-- that does not withholds its period.
with

counted_files as (
    select * from {{ ref('stg_lmia__files') }}
),

lmia_rows as (
    select * from {{ source('lmia', 'lmia_rows') }}
),

positions as (
    select * from {{ ref('fct_lmia_positions') }}
),

raw_checks as (
    select * from {{ source('lmia', 'lmia_checks') }}
),

raw_per_file as (
    select
        file_sha256,
        count(*) as raw_rows,
        sum(approved_positions) as raw_positions
    from lmia_rows
    group by file_sha256
),

mart_per_file as (
    select
        file_sha256,
        count(*) as mart_rows,
        sum(approved_positions) as mart_positions
    from positions
    group by file_sha256
),

reconciled as (
    select
        counted_files.source_file,
        counted_files.file_sha256,
        counted_files.period_kind,
        cast(counted_files.period_start as varchar) as period_start,
        counted_files.row_count as file_rows,
        cast(counted_files.approved_positions as bigint) as file_positions,
        raw_per_file.raw_rows,
        cast(raw_per_file.raw_positions as bigint) as raw_positions,
        mart_per_file.mart_rows,
        cast(mart_per_file.mart_positions as bigint) as mart_positions,
        cast(raw_checks.checked_at as varchar) as raw_checked_at
    from counted_files
    left join raw_per_file on counted_files.file_sha256 = raw_per_file.file_sha256
    left join mart_per_file on counted_files.file_sha256 = mart_per_file.file_sha256
    left join raw_checks on counted_files.file_sha256 = raw_checks.file_sha256
)

select * from reconciled
