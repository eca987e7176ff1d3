-- For maintainers: Quebec addresses that could not be placed in a municipality, with how
-- many rows and positions they hold. A recurring city spelling here usually needs one line
-- in dbt_project/scripts/municipality_aliases_curated.csv, then a seed rebuild.
with

quebec_rows as (
    select * from {{ ref('int_lmia_rows_geolocated') }}
    where province_code = 'QC'
        and geo_precision <> 'municipality'
),

precision_labels as (
    select * from {{ ref('ref_geo_precisions') }}
),

unplaced as (
    select
        address_key,
        address,
        postal_code,
        city_as_written,
        city_key,
        geo_precision,
        region_code,
        count(*) as source_rows,
        sum(approved_positions) as approved_positions,
        min(period_start) as first_period_start,
        max(period_start) as last_period_start
    from quebec_rows
    group by
        address_key, address, postal_code, city_as_written, city_key, geo_precision, region_code
),

labelled as (
    select
        unplaced.*,
        precision_labels.label_fr as geo_precision_label_fr,
        precision_labels.label_en as geo_precision_label_en
    from unplaced
    left join precision_labels on unplaced.geo_precision = precision_labels.geo_precision
)

select * from labelled
