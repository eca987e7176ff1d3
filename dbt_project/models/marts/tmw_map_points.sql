-- Quebec approved positions by period and map point: a municipality's point, or an FSA
-- centroid when only the postal area is known. Rows placed only in a region, or not at
-- all, have no point and are left out. Positions, not workers.
with

quebec_positions as (
    select * from {{ ref('fct_lmia_positions') }}
    where province_code = 'QC'
        and latitude is not null
),

map_points as (
    select
        period_year,
        period_quarter,
        period_kind,
        period_start,
        geo_precision,
        municipality_code,
        municipality_name,
        mrc_code,
        mrc_name,
        region_code,
        region_name,
        latitude,
        longitude,
        sum(approved_positions) as approved_positions,
        count(distinct lower(employer_name)) as employers,
        count(*) as source_rows
    from quebec_positions
    group by
        period_year, period_quarter, period_kind, period_start, geo_precision,
        municipality_code, municipality_name, mrc_code, mrc_name, region_code, region_name,
        latitude, longitude
)

select * from map_points
