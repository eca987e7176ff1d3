-- Target populations of each organization, as vocabulary codes.
with

populations as (
    select * from {{ source('directory', 'organization_population') }}
),

renamed as (
    select
        organization_id,
        population_code
    from populations
)

select * from renamed
