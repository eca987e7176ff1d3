-- Each reminder to an organization, with the confirmation it brought, if any: the one of
-- the same campaign (a signed link is scoped to its campaign) made after this reminder was
-- sent and before the next reminder of the campaign was. A confirmation thus counts once,
-- for the last reminder the organization had received.
with

messages as (
    select * from {{ ref('stg_ops__messages') }}
),

verifications as (
    select * from {{ ref('stg_directory__verifications') }}
),

reminders as (
    select
        message_id,
        organization_id,
        campaign,
        reminder_step,
        status,
        queued_at,
        sent_at
    from messages
    where is_reminder
),

reminders_in_sequence as (
    select
        *,
        lead(sent_at) over (
            partition by organization_id, campaign order by sent_at nulls last
        ) as next_sent_at
    from reminders
),

reminders_answered as (
    select
        reminders_in_sequence.message_id,
        reminders_in_sequence.organization_id,
        reminders_in_sequence.campaign,
        reminders_in_sequence.reminder_step,
        reminders_in_sequence.status,
        reminders_in_sequence.queued_at,
        reminders_in_sequence.sent_at,
        verifications.confirmed_at,
        verifications.confirmed_at is not null as is_confirmed
    from reminders_in_sequence
    left join verifications
        on reminders_in_sequence.organization_id = verifications.organization_id
        and reminders_in_sequence.campaign = verifications.campaign
        and verifications.confirmed_at >= reminders_in_sequence.sent_at
        and (reminders_in_sequence.next_sent_at is null
             or verifications.confirmed_at < reminders_in_sequence.next_sent_at)
)

select * from reminders_answered
