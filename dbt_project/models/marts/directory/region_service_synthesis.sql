-- Every region × every service of the vocabulary: how many active organizations offer it
-- there, and whether it is missing. An organization serving only some MRCs of a region
-- counts for the region (service_gap shows the MRCs).
with

regions as (
    select * from {{ ref('ref_quebec_regions') }}
),

vocabulary as (
    select * from {{ ref('ref_directory_services') }}
),

offered as (
    select * from {{ ref('directory_services') }}
    where status = 'active'
),

offers_by_region as (
    select
        region_code,
        service_code,
        count(distinct organization_id) as organizations_offering
    from offered
    group by region_code, service_code
),

every_region_and_service as (
    select
        regions.region_code,
        regions.region_name_fr as region_name,
        vocabulary.service_code,
        vocabulary.label_fr as service_label_fr,
        vocabulary.label_en as service_label_en
    from regions
    cross join vocabulary
),

synthesis as (
    select
        every_region_and_service.region_code,
        every_region_and_service.region_name,
        every_region_and_service.service_code,
        every_region_and_service.service_label_fr,
        every_region_and_service.service_label_en,
        coalesce(offers_by_region.organizations_offering, 0) as organizations_offering,
        coalesce(offers_by_region.organizations_offering, 0) = 0 as is_missing
    from every_region_and_service
    left join offers_by_region
        on every_region_and_service.region_code = offers_by_region.region_code
        and every_region_and_service.service_code = offers_by_region.service_code
)

select * from synthesis
