-- Counted rows with their place. Only Quebec rows are geolocated; the others keep null
-- territory columns (geo_precision null means "not geolocated", not "failed").
-- A view, not a table: fct_lmia_positions is the one table made of these rows, and two
-- wide tables of every source row before it cost about 2 s of each build of the history.
{{ config(materialized="view") }}

with

lmia_rows as (
    select * from {{ ref('stg_lmia__rows') }}
),

addresses as (
    select * from {{ ref('int_lmia_addresses_geolocated') }}
),

geolocated_rows as (
    select
        lmia_rows.*,
        addresses.address_key,
        addresses.city_as_written,
        addresses.city_key,
        addresses.municipality_code,
        addresses.municipality_name,
        addresses.mrc_code,
        addresses.mrc_name,
        addresses.region_code,
        addresses.region_name,
        addresses.latitude,
        addresses.longitude,
        addresses.geo_precision,
        addresses.geo_method
    from lmia_rows
    left join addresses
        on lmia_rows.province_code = 'QC'
        and {{ surrogate_key(['lmia_rows.address', 'lmia_rows.postal_code']) }} = addresses.address_key
)

select * from geolocated_rows
