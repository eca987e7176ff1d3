-- Languages spoken, by location, as ISO 639 codes.
with

languages as (
    select * from {{ source('directory', 'language') }}
),

renamed as (
    select
        language_id,
        organization_id,
        location_id,
        language_code
    from languages
)

select * from renamed
