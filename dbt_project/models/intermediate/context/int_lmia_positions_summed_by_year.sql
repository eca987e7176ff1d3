-- The employer lists' own count of Quebec positions per year and administrative region:
-- the sum of the year's quarterly lists (fct_lmia_positions counts one language per
-- period), with how many quarters were loaded. region_code null: positions not placed.
with

positions as (
    select * from {{ ref('fct_lmia_positions') }}
    where period_kind = 'quarter' and province_code = 'QC'
),

quarters_by_year as (
    select period_year as year, count(distinct period_quarter) as quarters_counted
    from positions
    group by period_year
),

summed as (
    select
        positions.period_year as year,
        positions.region_code,
        sum(positions.approved_positions) as list_positions
    from positions
    group by positions.period_year, positions.region_code
),

with_quarters as (
    select summed.*, quarters_by_year.quarters_counted
    from summed
    inner join quarters_by_year on summed.year = quarters_by_year.year
)

select * from with_quarters
