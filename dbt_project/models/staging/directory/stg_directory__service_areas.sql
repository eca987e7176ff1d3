-- Areas served: a whole region (mrc_code null) or one of its MRCs.
with

service_areas as (
    select * from {{ source('directory', 'service_area') }}
),

renamed as (
    select
        service_area_id,
        organization_id,
        region_code,
        mrc_code
    from service_areas
)

select * from renamed
