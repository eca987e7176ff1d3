-- Locations with their address, accessibility and the municipality's MRC and region.
with

locations as (
    select * from {{ source('directory', 'location') }}
),

addresses as (
    select * from {{ source('directory', 'address') }}
),

accessibility as (
    select * from {{ source('directory', 'accessibility') }}
),

municipalities as (
    select * from {{ ref('ref_quebec_municipalities') }}
),

located as (
    select
        locations.location_id,
        locations.organization_id,
        locations.position as location_position,
        locations.location_type,
        locations.hours_text,
        addresses.address_1 as address,
        coalesce(municipalities.municipality_name, addresses.city) as municipality_name,
        addresses.municipality_code,
        municipalities.mrc_code,
        municipalities.region_code,
        addresses.postal_code,
        accessibility.wheelchair_access,
        accessibility.details as accessibility_details
    from locations
    left join addresses
        on locations.location_id = addresses.location_id
    left join accessibility
        on locations.location_id = accessibility.location_id
    left join municipalities
        on addresses.municipality_code = municipalities.municipality_code
)

select * from located
