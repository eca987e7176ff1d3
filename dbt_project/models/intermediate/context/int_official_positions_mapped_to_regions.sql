-- ESDC's official Quebec positions (table 3) per year and administrative region: each of
-- Quebec's 17 economic regions is one administrative region (seed
-- ref_quebec_economic_regions). `Other` (several regions at once) belongs to no region
-- and only counts in the province's total.
with

official as (
    select * from {{ ref('stg_context__region_positions') }}
    where province = 'QC'
),

economic_regions as (
    select * from {{ ref('ref_quebec_economic_regions') }}
),

regions as (
    select * from {{ ref('ref_quebec_regions') }}
),

mapped as (
    select
        official.year,
        official.province,
        economic_regions.region_code,
        regions.region_name_fr as region_name,
        official.economic_region_code,
        official.positions as official_positions,
        official.source
    from official
    left join economic_regions
        on official.economic_region_code = economic_regions.economic_region_code
    left join regions
        on economic_regions.region_code = regions.region_code
)

select * from mapped
