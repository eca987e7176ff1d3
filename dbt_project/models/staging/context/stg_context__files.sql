-- The file read for each kind of table: the latest loaded (a new edition covers the years
-- of the one before it).
with

context_files as (
    select * from {{ source('context', 'context_files') }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by table_kind order by loaded_at desc, file_sha256
        ) as edition_rank
    from context_files
),

current_files as (
    select
        file_sha256,
        table_kind,
        title,
        original_name,
        case when table_kind like 'esdc%' then 'EDSC' else 'IRCC' end as publisher,
        rounding,
        loaded_at
    from ranked
    where edition_rank = 1
)

select * from current_files
