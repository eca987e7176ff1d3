-- The coverage data check: a region whose coverage ratio falls outside the band (dbt vars
-- coverage_ratio_low and coverage_ratio_high, the one place they are written) in a year
-- whose four quarterly lists are loaded. The maintainers' digest names these regions
-- (flows/notify/digest_sources.py); a test warns on them.
with

coverage as (
    select * from {{ ref('lmia_coverage_official') }}
),

quarters as (
    select distinct year, quarters_counted from {{ ref('int_lmia_positions_summed_by_year') }}
),

latest_year_with_lists as (
    select max(year) as year from coverage where list_positions is not null
),

flagged as (
    select
        coverage.year,
        coverage.province,
        coverage.region_code,
        coverage.region_name,
        coverage.list_positions,
        coverage.official_positions,
        coverage.coverage_ratio,
        coalesce(quarters.quarters_counted, 0) as quarters_counted,
        {{ var('coverage_ratio_low') }} as band_low,
        {{ var('coverage_ratio_high') }} as band_high,
        coalesce(quarters.quarters_counted, 0) = 4
        and coverage.coverage_ratio is not null
        and (
            coverage.coverage_ratio < {{ var('coverage_ratio_low') }}
            or coverage.coverage_ratio > {{ var('coverage_ratio_high') }}
        ) as is_outside_band,
        -- what the dashboard shows by default (Superset refuses subqueries in its filters)
        coverage.year = latest_year_with_lists.year as is_latest_year_with_lists
    from coverage
    left join quarters on coverage.year = quarters.year
    cross join latest_year_with_lists
)

select * from flagged
