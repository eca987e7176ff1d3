-- Per flow, its latest run from the run journal (ops.flow_run): state, times, duration,
-- the counts its summary reported, and how its runs went overall. Empty journal: no rows.
with

runs as (
    select * from {{ ref('stg_ops__flow_runs') }}
),

runs_ranked as (
    select
        *,
        row_number() over (partition by flow_name order by started_at desc, run_id) as recency
    from runs
),

history_per_flow as (
    select
        flow_name,
        count(*) as runs_recorded,
        count(*) filter (where state in ('failed', 'crashed')) as runs_failed,
        max(ended_at) filter (where state = 'completed') as last_completed_at
    from runs
    group by flow_name
),

latest_runs as (
    select
        runs_ranked.flow_name,
        runs_ranked.run_id,
        runs_ranked.parent_run_id,
        runs_ranked.state,
        runs_ranked.started_at,
        runs_ranked.ended_at,
        {{ dbt.datediff('runs_ranked.started_at', 'runs_ranked.ended_at', 'second') }}
            as duration_seconds,
        -- The summary's top-level entries as "key: value": every flow reports its own
        -- counts, the mart need not know their names.
        {{ json_summary_text('runs_ranked.summary_json') }} as summary_text,
        runs_ranked.summary_json,
        runs_ranked.message,
        runs_ranked.data_docs_url
    from runs_ranked
    where runs_ranked.recency = 1
),

with_history as (
    select
        latest_runs.*,
        history_per_flow.runs_recorded,
        history_per_flow.runs_failed,
        history_per_flow.last_completed_at
    from latest_runs
    inner join history_per_flow on latest_runs.flow_name = history_per_flow.flow_name
)

select * from with_history
