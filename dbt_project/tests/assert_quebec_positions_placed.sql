-- At least `min_quebec_municipality_share` (99%) of Quebec approved positions are placed in
-- a municipality. Below that, something broke (a new address format, a lost seed). A
-- warning only: the mart checkpoint holds each period to the same share and withholds the
-- periods below it, so that a bad quarter never stops the others from being published.
{{ config(severity='warn') }}
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
