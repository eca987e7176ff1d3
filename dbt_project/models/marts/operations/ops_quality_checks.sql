-- The latest result of every expectation: for each checkpoint, suite and batch (a raw LMIA
-- file, a mart frame), the rows of its most recent run (ops.quality_check).
-- A view, not a table: what the build publishes, after its mart checkpoint, reads
-- the checkpoint that just ran (flows/build_warehouse.py), with no second dbt command.
{{ config(materialized="view") }}

with

checks as (
    select * from {{ ref('stg_ops__quality_checks') }}
),

latest_runs as (
    select
        checkpoint,
        suite,
        batch,
        max(checked_at) as checked_at
    from checks
    group by checkpoint, suite, batch
),

latest_results as (
    select checks.*
    from checks
    inner join latest_runs
        on checks.checkpoint = latest_runs.checkpoint
        and checks.suite = latest_runs.suite
        and checks.batch = latest_runs.batch
        and checks.checked_at = latest_runs.checked_at
),

labelled as (
    select
        *,
        coalesce({{ label_fr('check_checkpoint', 'checkpoint') }}, checkpoint) as checkpoint_label_fr,
        coalesce({{ label_fr('check_severity', 'severity') }}, severity) as severity_label_fr,
        {{ label_fr('check_outcome', 'outcome') }} as outcome_label_fr,
        coalesce({{ label_fr('check_suite', 'suite') }}, suite) as suite_label_fr,
        coalesce({{ label_fr('expectation', 'expectation') }}, expectation) as expectation_label_fr,
        {{ label_order('check_outcome', 'outcome') }} as outcome_order
    from latest_results
)

select * from labelled
