-- Quebec forward sortation areas (FSAs) from GeoNames, with the centroid set to null when
-- it cannot be right: outside Quebec (H0H is Santa Claus, at the North Pole), or an `H`
-- FSA (Montréal and Laval) placed off the island (GeoNames puts H4Y, Dorval, near
-- Drummondville). Other centroids are kept: GeoNames' own accuracy flag is 1 for most of
-- them and they are usually close.
with

fsa_centroids as (
    select * from {{ ref('ref_fsa_centroids') }}
    where province_code = 'QC'
),

checked as (
    select
        *,
        latitude between 44.9 and 62.7
        and longitude between -79.9 and -57.0
        and (
            fsa not like 'H%'
            or (latitude between 45.38 and 45.72 and longitude between -73.99 and -73.45)
        ) as centroid_is_plausible
    from fsa_centroids
),

cleaned as (
    select
        fsa,
        place_name,
        geonames_region_code,
        geonames_municipality_code,
        case when centroid_is_plausible then latitude end as latitude,
        case when centroid_is_plausible then longitude end as longitude,
        centroid_is_plausible
    from checked
)

select * from cleaned
