-- ESDC table 10: the top countries of residence by positions, per province and year.
-- A few lines have no country name in ESDC's file: kept, without a code.
with

cells as (
    select * from {{ ref('stg_context__cells') }}
    where table_kind = 'esdc_top_countries'
),

countries as (
    select * from {{ source('context', 'context_countries') }}
),

renamed as (
    select
        cast(cells.period as integer) as year,
        cells.province,
        cells.label_code as country_code,
        cells.label_1 as country_fr,
        countries.name_en as country_en,
        cells.value as positions,
        cells.rank,
        cells.source
    from cells
    left join countries
        on cells.label_code = countries.country_code
)

select * from renamed
