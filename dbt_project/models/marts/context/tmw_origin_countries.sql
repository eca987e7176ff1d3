-- ESDC's top countries of residence of the positions on positive LMIAs, by province and
-- year (table 10). Positions, not workers; the country is the employer's answer to an
-- optional question, so the lists leave out positions without one.
with

top_countries as (
    select * from {{ ref('stg_context__top_countries') }}
),

final as (
    select
        year,
        province,
        coalesce({{ label_fr('province', 'province') }}, province) as province_fr,
        country_code,
        country_fr,
        country_en,
        positions,
        rank,
        source
    from top_countries
)

select * from final
