-- Corrections organizations asked for through the confirmation page, for a maintainer to
-- review; never applied to the directory by themselves.
with

change_requests as (
    select * from {{ source('directory', 'change_request') }}
),

renamed as (
    select
        change_request_id,
        organization_id,
        campaign,
        submitted_at,
        submitted_by,
        submitter_email,
        changes as changes_json,
        comment,
        status
    from change_requests
)

select * from renamed
