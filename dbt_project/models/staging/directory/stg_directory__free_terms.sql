-- Services, populations and languages in the organization's own words (no vocabulary match).
with

free_terms as (
    select * from {{ source('directory', 'free_term') }}
),

renamed as (
    select
        free_term_id,
        organization_id,
        field_name,
        term
    from free_terms
)

select * from renamed
