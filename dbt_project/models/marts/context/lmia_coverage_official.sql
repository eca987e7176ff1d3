-- How much of ESDC's official count of Quebec positions (table 3) the employer lists
-- place, by year: one row per administrative region, one province row (region_code null).
-- The lists leave out employers whose business name is a person's name, and ESDC's annual
-- count includes LMIAs for permanent residence only; list_positions is null for a year
-- without any quarterly list loaded (see lmia_coverage_flags.quarters_counted).
with

official as (
    select * from {{ ref('int_official_positions_mapped_to_regions') }}
),

lists as (
    select * from {{ ref('int_lmia_positions_summed_by_year') }}
),

official_by_region as (
    select year, province, region_code, region_name, sum(official_positions) as official_positions
    from official
    where region_code is not null
    group by year, province, region_code, region_name
),

official_by_province as (
    select year, province, sum(official_positions) as official_positions
    from official
    group by year, province
),

list_by_province as (
    select year, sum(list_positions) as list_positions
    from lists
    group by year
),

region_rows as (
    select
        official_by_region.year,
        official_by_region.province,
        official_by_region.region_code,
        official_by_region.region_name,
        case
            when list_by_province.year is not null then coalesce(lists.list_positions, 0)
        end as list_positions,
        official_by_region.official_positions
    from official_by_region
    left join lists
        on official_by_region.year = lists.year
        and official_by_region.region_code = lists.region_code
    left join list_by_province
        on official_by_region.year = list_by_province.year
),

province_rows as (
    select
        official_by_province.year,
        official_by_province.province,
        cast(null as varchar) as region_code,
        'Ensemble du Québec' as region_name,
        list_by_province.list_positions,
        official_by_province.official_positions
    from official_by_province
    left join list_by_province
        on official_by_province.year = list_by_province.year
),

compared as (
    select
        *,
        official_positions - list_positions as difference,
        case
            when official_positions > 0
                -- four decimals, as a double on both targets (PostgreSQL rounds numerics only)
                then cast(round(cast({{ divide('list_positions', 'official_positions') }}
                    as decimal(12, 6)), 4) as double precision)
        end as coverage_ratio
    from (
        select * from region_rows
        union all
        select * from province_rows
    ) as all_rows
)

select * from compared
