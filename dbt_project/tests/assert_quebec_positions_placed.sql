-- At least `min_quebec_municipality_share` (99%) of Quebec approved positions are placed in
-- a municipality. Below that, something broke (a new address format, a lost seed), and
-- the build stops rather than publish a map with holes.
with

quebec_positions as (
    select * from {{ ref('fct_lmia_positions') }}
    where province_code = 'QC'
),

shares as (
    select
        sum(approved_positions) as approved_positions,
        {{ divide(
            "sum(approved_positions) filter (where geo_precision in ('postal_code', 'municipality'))",
            'sum(approved_positions)'
        ) }} as municipality_share
    from quebec_positions
)

select * from shares
where municipality_share < {{ var('min_quebec_municipality_share') }}
