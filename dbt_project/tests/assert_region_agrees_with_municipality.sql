-- A row placed in a municipality carries that municipality's MRC and region.
with

positions as (
    select * from {{ ref('fct_lmia_positions') }}
    where municipality_code is not null
),

municipalities as (
    select * from {{ ref('ref_quebec_municipalities') }}
),

disagreements as (
    select
        positions.lmia_position_id,
        positions.municipality_code,
        positions.region_code,
        municipalities.region_code as municipality_region_code,
        positions.mrc_code,
        municipalities.mrc_code as municipality_mrc_code
    from positions
    inner join municipalities
        on positions.municipality_code = municipalities.municipality_code
    where positions.region_code is distinct from municipalities.region_code
        or positions.mrc_code is distinct from municipalities.mrc_code
)

select * from disagreements
