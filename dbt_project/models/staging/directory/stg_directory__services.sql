-- Services offered: one row per organization × service code of the vocabulary.
with

services as (
    select * from {{ source('directory', 'service') }}
),

renamed as (
    select
        service_id,
        organization_id,
        service_code
    from services
)

select * from renamed
