-- Rows of the counted files (see stg_lmia__files), one per source row.
with

lmia_rows as (
    select * from {{ source('lmia', 'lmia_rows') }}
),

counted_files as (
    select * from {{ ref('stg_lmia__files') }}
),

counted_rows as (
    select
        lmia_rows.file_sha256,
        lmia_rows.sheet,
        lmia_rows.source_row,
        counted_files.source_file,
        lmia_rows.period_year,
        lmia_rows.period_quarter,
        lmia_rows.period_kind,
        lmia_rows.period_start,
        lmia_rows.language,
        lmia_rows.province,
        lmia_rows.province_code,
        lmia_rows.program_stream,
        lmia_rows.employer_name,
        lmia_rows.address,
        lmia_rows.postal_code,
        -- The forward sortation area: first three characters when they have its shape.
        nullif({{ re_extract('upper(lmia_rows.postal_code)', '^[A-Z][0-9][A-Z]') }}, '') as postal_fsa,
        lmia_rows.occupation_code,
        lmia_rows.occupation_title,
        lmia_rows.noc_version,
        lmia_rows.incorporate_status,
        lmia_rows.approved_lmias,
        lmia_rows.approved_positions
    from lmia_rows
    inner join counted_files
        on lmia_rows.file_sha256 = counted_files.file_sha256
)

select * from counted_rows
