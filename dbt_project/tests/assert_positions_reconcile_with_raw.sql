-- Every counted file has, in fct_lmia_positions, exactly its raw rows and positions: no row
-- lost or doubled by the joins between raw and the marts.
with

counted_files as (
    select * from {{ ref('stg_lmia__files') }}
),

raw_rows as (
    select * from {{ source('lmia', 'lmia_rows') }}
),

positions as (
    select * from {{ ref('fct_lmia_positions') }}
),

raw_per_file as (
    select
        raw_rows.file_sha256,
        count(*) as source_rows,
        sum(raw_rows.approved_positions) as approved_positions
    from raw_rows
    inner join counted_files
        on raw_rows.file_sha256 = counted_files.file_sha256
    group by raw_rows.file_sha256
),

mart_per_file as (
    select
        file_sha256,
        count(*) as source_rows,
        sum(approved_positions) as approved_positions
    from positions
    group by file_sha256
),

mismatches as (
    select
        coalesce(raw_per_file.file_sha256, mart_per_file.file_sha256) as file_sha256,
        raw_per_file.source_rows as raw_rows,
        mart_per_file.source_rows as mart_rows,
        raw_per_file.approved_positions as raw_positions,
        mart_per_file.approved_positions as mart_positions
    from raw_per_file
    full outer join mart_per_file
        on raw_per_file.file_sha256 = mart_per_file.file_sha256
    where raw_per_file.source_rows is distinct from mart_per_file.source_rows
        or raw_per_file.approved_positions is distinct from mart_per_file.approved_positions
)

select * from mismatches
