-- Cells of the current file of each kind, with the file's provenance as `source`.
with

context_cells as (
    select * from {{ source('context', 'context_cells') }}
),

current_files as (
    select * from {{ ref('stg_context__files') }}
),

current_cells as (
    select
        context_cells.table_kind,
        context_cells.province,
        context_cells.label_1,
        context_cells.label_2,
        context_cells.label_code,
        context_cells.period,
        context_cells.value,
        context_cells.is_suppressed,
        context_cells.is_total,
        context_cells.rank,
        context_cells.source_row,
        current_files.publisher || ' — ' || current_files.original_name as source
    from context_cells
    inner join current_files
        on context_cells.file_sha256 = current_files.file_sha256
)

select * from current_cells
