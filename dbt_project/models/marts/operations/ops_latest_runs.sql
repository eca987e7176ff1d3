-- Per flow, its latest run from the run journal (ops.flow_run): state, times, duration,
-- the counts its summary reported, and how its runs went overall. Empty journal: no rows.
-- A view, not a table: what the build publishes, after its mart checkpoint, reads
-- this build's own journal row, closed (flows/build_warehouse.py), with no second dbt command.
{{ config(materialized="view") }}

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

summary_entries as (
    {{ json_summary_entries('latest_runs', 'run_id', 'summary_json') }}
),

summary_labels as (
    select * from {{ ref('ref_run_summary_labels') }}
),

-- The same entries for people: French labels (seed), oui/non for booleans, a sub-flow's
-- state rather than its whole summary.
summaries_in_french as (
    select
        summary_entries.run_id,
        string_agg(
            coalesce(summary_labels.label_fr, summary_entries.summary_key) || ' : '
            || case
                when summary_entries.summary_value = 'true' then 'oui'
                when summary_entries.summary_value = 'false' then 'non'
                -- a sub-flow's summary (tmt run): its state; other objects without JSON marks
                when left(summary_entries.summary_value, 1) = '{'
                    and summary_entries.summary_value like '%"state":%'
                    then cast(summary_entries.summary_value as json) ->> 'state'
                when left(summary_entries.summary_value, 1) = '{'
                    then translate(summary_entries.summary_value, '{}"', '')
                else coalesce(summary_entries.summary_value, '') end,
            ', ' order by summary_entries.summary_key
        ) as summary_text_fr
    from summary_entries
    left join summary_labels
        on summary_entries.summary_key = summary_labels.summary_key
    group by summary_entries.run_id
),

with_history as (
    select
        latest_runs.*,
        coalesce({{ label_fr('flow', 'latest_runs.flow_name') }}, latest_runs.flow_name)
            as flow_label_fr,
        {{ label_fr('run_state', 'latest_runs.state') }} as state_label_fr,
        summaries_in_french.summary_text_fr,
        history_per_flow.runs_recorded,
        history_per_flow.runs_failed,
        history_per_flow.last_completed_at
    from latest_runs
    inner join history_per_flow on latest_runs.flow_name = history_per_flow.flow_name
    left join summaries_in_french on latest_runs.run_id = summaries_in_french.run_id
)

select * from with_history
