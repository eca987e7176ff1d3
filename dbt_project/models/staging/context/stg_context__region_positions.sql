-- ESDC table 3: positions on positive LMIAs by economic region, province and year.
-- `Other` (several regions at once) has no region code.
with

cells as (
    select * from {{ ref('stg_context__cells') }}
    where table_kind = 'esdc_positions_by_economic_region'
),

renamed as (
    select
        cast(period as integer) as year,
        province,
        label_code as economic_region_code,
        label_1 as economic_region_name,
        value as positions,
        source
    from cells
)

select * from renamed
