-- Reminders to organizations per month, administrative region and step: queued, sent,
-- failed, still waiting, and the confirmations they brought (int_ops_reminders_answered).
-- An organization counts in one region: its address's, else the first it serves.
with

reminders as (
    select * from {{ ref('int_ops_reminders_answered') }}
),

organizations as (
    select * from {{ ref('directory_organizations') }}
),

municipalities as (
    select * from {{ ref('ref_quebec_municipalities') }}
),

regions as (
    select * from {{ ref('ref_quebec_regions') }}
),

organization_regions as (
    select
        organizations.organization_id,
        coalesce(municipalities.region_code,
                 nullif(split_part(organizations.region_codes, ',', 1), '')) as region_code
    from organizations
    left join municipalities
        on organizations.municipality_code = municipalities.municipality_code
),

reminders_placed as (
    select
        cast(date_trunc('month', coalesce(reminders.sent_at, reminders.queued_at)) as date) as month,
        organization_regions.region_code,
        reminders.reminder_step,
        reminders.status,
        reminders.is_confirmed
    from reminders
    left join organization_regions
        on reminders.organization_id = organization_regions.organization_id
),

per_month_region_step as (
    select
        reminders_placed.month,
        reminders_placed.region_code,
        coalesce(regions.region_name_fr, 'Région inconnue') as region_name,
        reminders_placed.reminder_step,
        count(*) as reminders_queued,
        count(*) filter (where reminders_placed.status = 'sent') as reminders_sent,
        count(*) filter (where reminders_placed.status = 'failed') as reminders_failed,
        count(*) filter (where reminders_placed.status in ('pending', 'sending'))
            as reminders_waiting,
        count(*) filter (where reminders_placed.is_confirmed) as confirmations
    from reminders_placed
    left join regions on reminders_placed.region_code = regions.region_code
    group by reminders_placed.month, reminders_placed.region_code, regions.region_name_fr,
        reminders_placed.reminder_step
),

with_rate as (
    select
        *,
        {{ label_fr('reminder_step', 'reminder_step') }} as reminder_step_label_fr,
        {{ divide('confirmations', 'nullif(reminders_sent, 0)') }} as confirmation_rate
    from per_month_region_step
)

select * from with_rate
