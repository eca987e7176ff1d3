-- Which municipalities use which Quebec FSA, as far as open data says: the FSA of each
-- town hall (MAMH), the FSAs simplemaps lists for a place matched to a municipality, and
-- the municipality GeoNames names for an FSA. Incomplete by nature (a rural FSA covers
-- more municipalities than have their town hall in it), so it is evidence, not a map.
with

municipalities as (
    select * from {{ ref('int_municipalities_located') }}
),

places as (
    select * from {{ ref('ref_places') }}
),

fsa_centroids as (
    select * from {{ ref('int_quebec_fsa_centroids_checked') }}
),

town_hall_fsas as (
    select fsa, municipality_code, 'mamh_town_hall' as evidence
    from municipalities
),

place_fsas as (
    select
        unnest(string_to_array(places.fsas, ' ')) as fsa,
        municipalities.municipality_code,
        'simplemaps_place' as evidence
    from places
    inner join municipalities
        on places.place_id = municipalities.place_id
),

geonames_fsas as (
    select fsa, geonames_municipality_code as municipality_code, 'geonames' as evidence
    from fsa_centroids
    where geonames_municipality_code in (select municipality_code from municipalities)
),

all_evidence as (
    select * from town_hall_fsas
    union all
    select * from place_fsas
    union all
    select * from geonames_fsas
),

per_pair as (
    select
        fsa,
        municipality_code,
        bool_or(evidence = 'mamh_town_hall') as is_town_hall_fsa,
        string_agg(distinct evidence, ',' order by evidence) as evidence
    from all_evidence
    group by fsa, municipality_code
)

select * from per_pair
