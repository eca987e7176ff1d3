-- Phone numbers, `418-555-0123` with their extension apart.
with

phones as (
    select * from {{ source('directory', 'phone') }}
),

renamed as (
    select
        phone_id,
        organization_id,
        location_id,
        position as phone_position,
        number as phone_number,
        extension as phone_extension
    from phones
)

select * from renamed
