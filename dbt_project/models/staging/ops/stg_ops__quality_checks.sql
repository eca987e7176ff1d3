-- Checkpoint results, one row per expectation evaluated in one run of a checkpoint.
with

checks as (
    select * from {{ source('ops', 'quality_check') }}
),

renamed as (
    select
        checked_at,
        checkpoint,
        suite,
        batch,
        expectation,
        column_name,
        severity,
        outcome,
        observed,
        unexpected_rows,
        rows_checked,
        description
    from checks
)

select * from renamed
