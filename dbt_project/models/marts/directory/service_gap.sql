-- Per region and MRC: approved TMT positions over the latest four quarters of the map
-- beside the active organizations covering the MRC and the services none of them offers.
-- "Latest four quarters": the latest quarter published and the three before it (calendar
-- quarters, a year of positions); annual lists (2015, 2016) are not quarters and are left
-- out. Positions placed in a region but not an MRC are not in any row.
with

positions as (
    select * from {{ ref('fct_lmia_positions') }}
    where province_code = 'QC' and period_kind = 'quarter'
),

coverage as (
    select * from {{ ref('int_directory_mrcs_covered') }}
    where status = 'active'
),

services as (
    select * from {{ ref('stg_directory__services') }}
),

vocabulary as (
    select * from {{ ref('ref_directory_services') }}
),

municipalities as (
    select * from {{ ref('ref_quebec_municipalities') }}
),

regions as (
    select * from {{ ref('ref_quebec_regions') }}
),

mrcs as (
    select distinct region_code, mrc_code, mrc_name
    from municipalities
),

latest_quarter as (
    select max(period_start) as period_to
    from positions
),

positions_last_year as (
    select
        positions.mrc_code,
        sum(positions.approved_positions) as positions_last_4_quarters
    from positions
    cross join latest_quarter
    where positions.period_start > latest_quarter.period_to - interval '1 year'
        and positions.mrc_code is not null
    group by positions.mrc_code
),

organizations_by_mrc as (
    select
        mrc_code,
        count(distinct organization_id) as organizations
    from coverage
    group by mrc_code
),

services_by_mrc as (
    select distinct
        coverage.mrc_code,
        services.service_code
    from coverage
    inner join services
        on coverage.organization_id = services.organization_id
),

missing_by_mrc as (
    select
        mrcs.mrc_code,
        count(*) as services_missing,
        string_agg(vocabulary.label_fr, ', ' order by vocabulary.label_fr) as services_missing_labels
    from mrcs
    cross join vocabulary
    left join services_by_mrc
        on mrcs.mrc_code = services_by_mrc.mrc_code
        and vocabulary.service_code = services_by_mrc.service_code
    where services_by_mrc.service_code is null
    group by mrcs.mrc_code
),

gap as (
    select
        mrcs.region_code,
        regions.region_name_fr as region_name,
        mrcs.mrc_code,
        mrcs.mrc_name,
        cast(latest_quarter.period_to - interval '9 month' as date) as period_from,
        latest_quarter.period_to,
        coalesce(positions_last_year.positions_last_4_quarters, 0) as positions_last_4_quarters,
        coalesce(organizations_by_mrc.organizations, 0) as organizations,
        (select count(*) from vocabulary) - coalesce(missing_by_mrc.services_missing, 0)
            as services_offered,
        coalesce(missing_by_mrc.services_missing, 0) as services_missing,
        missing_by_mrc.services_missing_labels,
        {{ divide('coalesce(positions_last_year.positions_last_4_quarters, 0)',
                  'nullif(organizations_by_mrc.organizations, 0)') }} as positions_per_organization
    from mrcs
    cross join latest_quarter
    inner join regions
        on mrcs.region_code = regions.region_code
    left join positions_last_year
        on mrcs.mrc_code = positions_last_year.mrc_code
    left join organizations_by_mrc
        on mrcs.mrc_code = organizations_by_mrc.mrc_code
    left join missing_by_mrc
        on mrcs.mrc_code = missing_by_mrc.mrc_code
)

select * from gap
