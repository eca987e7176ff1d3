-- When each organization last confirmed its listing: the later of the spreadsheet's date
-- and a confirmation through the page. A confirmation clears the "not confirmed for 12
-- months" staleness at the next build without anyone editing the spreadsheet.
with

organizations as (
    select * from {{ ref('stg_directory__organizations') }}
),

verifications as (
    select * from {{ ref('stg_directory__verifications') }}
),

latest_verifications as (
    select
        organization_id,
        max(confirmed_at) as last_verified_at,
        {{ arg_max('confirmed_by', 'confirmed_at') }} as last_verified_by
    from verifications
    group by organization_id
),

confirmed as (
    select
        organizations.organization_id,
        organizations.last_confirmed_at as spreadsheet_confirmed_at,
        latest_verifications.last_verified_at,
        latest_verifications.last_verified_by,
        case
            when organizations.last_confirmed_at is null
                then cast(latest_verifications.last_verified_at as date)
            when latest_verifications.last_verified_at is null
                then organizations.last_confirmed_at
            else greatest(organizations.last_confirmed_at,
                          cast(latest_verifications.last_verified_at as date))
        end as last_confirmed_at
    from organizations
    left join latest_verifications
        on organizations.organization_id = latest_verifications.organization_id
)

select * from confirmed
