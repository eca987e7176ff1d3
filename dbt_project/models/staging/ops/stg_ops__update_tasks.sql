-- Update tasks as planned; whether each is done is worked out in the mart.
with

tasks as (
    select * from {{ source('ops', 'update_task') }}
),

renamed as (
    select
        task_id,
        campaign,
        kind,
        subject,
        region_code,
        due_date,
        organization_id,
        details as details_json,
        created_at,
        done_at as marked_done_at,
        done_by as marked_done_by
    from tasks
)

select * from renamed
