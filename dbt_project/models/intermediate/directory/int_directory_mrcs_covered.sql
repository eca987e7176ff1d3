-- Which MRCs each organization covers: every MRC of a region it serves in full, or the
-- MRCs it lists. An organization that only lists MRCs does not cover the rest of the region.
with

service_areas as (
    select * from {{ ref('stg_directory__service_areas') }}
),

organizations as (
    select * from {{ ref('stg_directory__organizations') }}
),

municipalities as (
    select * from {{ ref('ref_quebec_municipalities') }}
),

mrcs as (
    select distinct region_code, mrc_code
    from municipalities
),

whole_regions as (
    select
        service_areas.organization_id,
        mrcs.region_code,
        mrcs.mrc_code
    from service_areas
    inner join mrcs
        on service_areas.region_code = mrcs.region_code
    where service_areas.mrc_code is null
),

listed_mrcs as (
    select
        organization_id,
        region_code,
        mrc_code
    from service_areas
    where mrc_code is not null
),

covered as (
    select * from whole_regions
    union
    select * from listed_mrcs
),

with_status as (
    select
        covered.organization_id,
        covered.region_code,
        covered.mrc_code,
        organizations.status
    from covered
    inner join organizations
        on covered.organization_id = organizations.organization_id
)

select * from with_status
