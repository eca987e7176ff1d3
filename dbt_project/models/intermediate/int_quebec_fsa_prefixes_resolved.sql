-- The region of the first two characters of a Quebec postal code, when every known FSA
-- sharing them is in one region (`H4` is Montréal, `H7` Laval). It stands in for an FSA
-- GeoNames does not list (a new one, or a typo) or one without a usable centroid.
with

fsas as (
    select * from {{ ref('int_quebec_fsas_resolved') }}
),

prefixes as (
    select
        left(fsa, 2) as fsa_prefix,
        min(region_code) as region_code
    from fsas
    where region_code is not null
    group by left(fsa, 2)
    having count(distinct region_code) = 1
)

select * from prefixes
