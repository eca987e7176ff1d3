-- For maintainers: corrections organizations asked for through the confirmation page,
-- newest first, with the organization's name and regions. The submitter's email stays in
-- the working database (directory.change_request), out of the marts.
with

change_requests as (
    select * from {{ ref('stg_directory__change_requests') }}
),

organizations as (
    select * from {{ ref('int_directory_organizations_summarized') }}
),

with_organization as (
    select
        change_requests.change_request_id,
        change_requests.organization_id,
        organizations.organization_name,
        organizations.region_codes,
        change_requests.campaign,
        change_requests.submitted_at,
        change_requests.submitted_by,
        change_requests.changes_json,
        change_requests.comment,
        change_requests.status
    from change_requests
    left join organizations
        on change_requests.organization_id = organizations.organization_id
)

select * from with_organization
