-- Each Quebec municipality with its MRC, region and a point for the map. The point is the
-- simplemaps place of the same name (or alias) when one is found; otherwise the centroid
-- of the forward sortation area of its town hall (GeoNames), which is coarser in the
-- country (rural FSAs are large). No public municipal centroid table exists to do better.
with

municipalities as (
    select * from {{ ref('ref_quebec_municipalities') }}
),

places as (
    select * from {{ ref('ref_places') }}
),

place_names as (
    select * from {{ ref('int_place_names_normalized') }}
),

fsa_centroids as (
    select * from {{ ref('ref_fsa_centroids') }}
),

place_candidates as (
    select
        place_names.municipality_code,
        places.place_id,
        places.latitude,
        places.longitude,
        places.population,
        place_names.match_kind,
        municipalities.fsa = any(string_to_array(places.fsas, ' ')) as shares_town_hall_fsa,
        count(*) over (partition by places.place_id) as municipalities_with_this_name
    from places
    inner join place_names
        on {{ normalize_place_name('places.place_name') }} = place_names.name_key
    inner join municipalities
        on place_names.municipality_code = municipalities.municipality_code
),

ranked_places as (
    select
        *,
        -- nulls last as DuckDB sorts them by default (PostgreSQL puts them first in desc)
        row_number() over (
            partition by municipality_code
            order by match_kind = 'name' desc, shares_town_hall_fsa desc nulls last,
                population desc nulls last, place_id
        ) as place_rank
    from place_candidates
    -- A place whose name several municipalities share goes to the one whose town hall
    -- lies in one of the place's FSAs, never to the others.
    where municipalities_with_this_name = 1 or shares_town_hall_fsa
),

best_place_per_municipality as (
    select * from ranked_places
    where place_rank = 1
),

located as (
    select
        municipalities.*,
        best_place_per_municipality.place_id,
        coalesce(best_place_per_municipality.latitude, town_hall_fsa.latitude) as latitude,
        coalesce(best_place_per_municipality.longitude, town_hall_fsa.longitude) as longitude,
        case
            when best_place_per_municipality.place_id is not null then 'simplemaps_place'
            when town_hall_fsa.fsa is not null then 'town_hall_fsa_centroid'
        end as coordinate_source
    from municipalities
    left join best_place_per_municipality
        on municipalities.municipality_code = best_place_per_municipality.municipality_code
    left join fsa_centroids as town_hall_fsa
        on municipalities.fsa = town_hall_fsa.fsa
)

select * from located
