-- Organizations as imported, one row each.
with

organizations as (
    select * from {{ source('directory', 'organization') }}
),

renamed as (
    select
        organization_id,
        name as organization_name,
        alternate_name,
        description,
        email,
        website,
        other_urls,
        status,
        free_of_charge,
        last_confirmed_at,
        created_at,
        updated_at,
        last_seen_at
    from organizations
)

select * from renamed
