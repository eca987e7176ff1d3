-- One row per organization × service, repeated for each region the organization serves,
-- so that filtering on a region gives the services offered there.
with

services as (
    select * from {{ ref('stg_directory__services') }}
),

service_areas as (
    select * from {{ ref('stg_directory__service_areas') }}
),

organizations as (
    select * from {{ ref('stg_directory__organizations') }}
),

vocabulary as (
    select * from {{ ref('ref_directory_services') }}
),

regions as (
    select * from {{ ref('ref_quebec_regions') }}
),

regions_served as (
    select distinct organization_id, region_code
    from service_areas
),

services_by_region as (
    select
        services.organization_id,
        organizations.organization_name,
        organizations.status,
        services.service_code,
        vocabulary.label_fr as service_label_fr,
        vocabulary.label_en as service_label_en,
        regions_served.region_code,
        regions.region_name_fr as region_name
    from services
    inner join organizations
        on services.organization_id = organizations.organization_id
    inner join regions_served
        on services.organization_id = regions_served.organization_id
    inner join vocabulary
        on services.service_code = vocabulary.service_code
    inner join regions
        on regions_served.region_code = regions.region_code
)

select * from services_by_region
