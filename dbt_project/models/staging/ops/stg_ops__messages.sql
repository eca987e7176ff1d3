-- Outbox messages (no body, no address), with when each left and whether it could not.
with

messages as (
    select * from {{ source('ops', 'message') }}
),

renamed as (
    select
        message_id,
        created_at as queued_at,
        tag,
        recipient_kind,
        kind,
        template,
        status,
        attempts,
        sent_at,
        organization_id,
        campaign,
        step as reminder_step,
        tag = 'org-reminders' as is_reminder
    from messages
)

select * from renamed
