-- The run journal, with the summary JSON kept as text: the mart picks the counts it shows.
with

runs as (
    select * from {{ source('ops', 'flow_run') }}
),

renamed as (
    select
        run_id,
        flow as flow_name,
        parent_run_id,
        started_at,
        ended_at,
        state,
        coalesce(nullif(summary, ''), '{}') as summary_json,
        message,
        data_docs_url
    from runs
)

select * from renamed
