-- The maintainers' update tasks with their status. A task is done when a maintainer marked
-- it (`tmt tasks done`), or when the data shows it: the organization confirmed its listing
-- after the task was created (or is no longer active), the LMIA quarter is loaded.
with

tasks as (
    select * from {{ ref('stg_ops__update_tasks') }}
),

confirmations as (
    select * from {{ ref('int_directory_organizations_confirmed') }}
),

organizations as (
    select * from {{ ref('stg_directory__organizations') }}
),

positions as (
    select * from {{ ref('fct_lmia_positions') }}
),

loaded_quarters as (
    select distinct
        period_year,
        period_quarter
    from positions
    where period_kind = 'quarter'
),

tasks_with_evidence as (
    select
        tasks.*,
        confirmations.last_confirmed_at,
        organizations.status as organization_status,
        loaded_quarters.period_year is not null as quarter_loaded
    from tasks
    left join confirmations
        on tasks.organization_id = confirmations.organization_id
    left join organizations
        on tasks.organization_id = organizations.organization_id
    left join loaded_quarters
        on tasks.kind = 'lmia_quarter'
        and loaded_quarters.period_year
            = {{ json_integer('tasks.details_json', 'period_year') }}
        and loaded_quarters.period_quarter
            = {{ json_integer('tasks.details_json', 'period_quarter') }}
),

with_status as (
    select
        task_id,
        campaign,
        kind,
        subject,
        region_code,
        due_date,
        case
            when marked_done_at is not null then 'done'
            when kind in ('verify_organization', 'call_organization')
                and (last_confirmed_at >= cast(created_at as date)
                     or coalesce(organization_status, 'removed') <> 'active') then 'done'
            when kind = 'lmia_quarter' and quarter_loaded then 'done'
            else 'open'
        end as status,
        case
            when marked_done_at is not null then 'marked'
            when kind in ('verify_organization', 'call_organization')
                and last_confirmed_at >= cast(created_at as date) then 'confirmed'
            when kind in ('verify_organization', 'call_organization')
                and coalesce(organization_status, 'removed') <> 'active' then 'not_active'
            when kind = 'lmia_quarter' and quarter_loaded then 'loaded'
        end as closed_by,
        organization_id,
        details_json,
        created_at,
        marked_done_at,
        marked_done_by
    from tasks_with_evidence
)

select * from with_status
