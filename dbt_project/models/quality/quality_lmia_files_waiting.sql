-- Files loaded by an ingest that has not finished checking them (no row in
-- raw.lmia_checks yet): not counted by this build (see stg_lmia__files), counted by the
-- next one once they pass. Not an error: the build says how many it left.
with

lmia_files as (
    select * from {{ source('lmia', 'lmia_files') }}
),

raw_checks as (
    select * from {{ source('lmia', 'lmia_checks') }}
),

waiting as (
    select
        lmia_files.original_name as source_file,
        lmia_files.file_sha256,
        lmia_files.period_kind,
        cast(lmia_files.period_start as varchar) as period_start,
        lmia_files.loaded_at
    from lmia_files
    left join raw_checks on lmia_files.file_sha256 = raw_checks.file_sha256
    where raw_checks.file_sha256 is null
)

select * from waiting
