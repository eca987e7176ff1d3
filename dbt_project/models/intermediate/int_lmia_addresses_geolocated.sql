-- Where each distinct Quebec address is, from the best match in int_lmia_addresses_matched
-- or, failing one, from its FSA:
--   municipality  a match was accepted, or the postal code is one town hall's, or the
--                 FSA is urban and used by one municipality
--   fsa           the FSA centroid, with the FSA's region
--   region        the FSA has no usable centroid but its region is known
--   none          nothing usable (listed in lmia_unplaced_addresses)
-- For each key, the best match is accepted when it beats the runner-up on tier, on sharing
-- the town hall's postal code or FSA, or is clearly the closer spelling; between homonyms
-- (same name) the one nearest the FSA wins, and without a postal code they stay unplaced.
-- The best accepted tier wins across keys, so `St-Laurent,Ile d'Orléans` is read from the
-- joined key.
-- `postal_code` precision is reserved for a full-postal-code gazetteer (none is open).
with

addresses as (
    select * from {{ ref('int_lmia_addresses_parsed') }}
),

matches as (
    select * from {{ ref('int_lmia_addresses_matched') }}
),

municipalities as (
    select * from {{ ref('int_municipalities_located') }}
),

fsas as (
    select * from {{ ref('int_quebec_fsas_resolved') }}
),

-- Postal codes that are the town hall's of exactly one municipality.
town_hall_postal_codes as (
    select postal_code, min(municipality_code) as municipality_code
    from municipalities
    where length(postal_code) = 7
    group by postal_code
    having count(*) = 1
),

regions as (
    select * from {{ ref('ref_quebec_regions') }}
),

fsa_prefix_regions as (
    select * from {{ ref('int_quebec_fsa_prefixes_resolved') }}
),

ranked_matches as (
    select
        *,
        row_number() over (
            partition by address_key, key_rank
            order by tier, is_town_hall_postal_code desc, is_town_hall_fsa desc, similarity desc,
                squared_distance asc nulls last, municipality_code
        ) as match_rank
    from matches
),

-- Per key (city, bracket, joined, previous segment): is the best match clear enough?
accepted_per_key as (
    select best.*
    from ranked_matches as best
    left join ranked_matches as runner_up
        on best.address_key = runner_up.address_key
        and best.key_rank = runner_up.key_rank
        and runner_up.match_rank = 2
    where best.match_rank = 1
        and (
            runner_up.address_key is null
            or runner_up.tier > best.tier
            or (best.is_town_hall_postal_code and not runner_up.is_town_hall_postal_code)
            or (best.is_town_hall_fsa and not runner_up.is_town_hall_fsa)
            or best.similarity >= runner_up.similarity + 0.03
            or (
                best.squared_distance is not null
                and (best.tier in (1, 2, 4) or best.municipality_name = runner_up.municipality_name)
            )
        )
),

ranked_accepted_matches as (
    select
        *,
        row_number() over (partition by address_key order by tier, key_rank) as accepted_rank
    from accepted_per_key
),

accepted_matches as (
    select * from ranked_accepted_matches
    where accepted_rank = 1
),

placed as (
    select
        addresses.*,
        coalesce(
            accepted_matches.municipality_code,
            town_hall_postal_codes.municipality_code,
            fsas.municipality_code
        ) as municipality_code,
        case
            when accepted_matches.municipality_code is not null then accepted_matches.match_method
            when town_hall_postal_codes.municipality_code is not null then 'town_hall_postal_code'
            when fsas.municipality_code is not null then 'fsa_municipality'
            when fsas.latitude is not null then 'fsa_centroid'
            when coalesce(fsas.region_code, fsa_prefix_regions.region_code) is not null then 'fsa_region'
        end as geo_method,
        fsas.latitude as fsa_latitude,
        fsas.longitude as fsa_longitude,
        coalesce(fsas.region_code, fsa_prefix_regions.region_code) as fsa_region_code
    from addresses
    left join accepted_matches
        on addresses.address_key = accepted_matches.address_key
    left join town_hall_postal_codes
        on upper(addresses.postal_code) = town_hall_postal_codes.postal_code
    left join fsas
        on addresses.fsa = fsas.fsa
    left join fsa_prefix_regions
        on left(addresses.fsa, 2) = fsa_prefix_regions.fsa_prefix
),

geolocated as (
    select
        placed.address_key,
        placed.address,
        placed.postal_code,
        placed.postal_fsa,
        placed.fsa,
        placed.city_as_written,
        placed.city_key,
        placed.municipality_code,
        municipalities.municipality_name,
        municipalities.mrc_code,
        municipalities.mrc_name,
        coalesce(municipalities.region_code, placed.fsa_region_code) as region_code,
        regions.region_name_fr as region_name,
        case when placed.municipality_code is not null
            then municipalities.latitude else placed.fsa_latitude end as latitude,
        case when placed.municipality_code is not null
            then municipalities.longitude else placed.fsa_longitude end as longitude,
        case
            when placed.municipality_code is not null then 'municipality'
            when placed.fsa_latitude is not null then 'fsa'
            when placed.fsa_region_code is not null then 'region'
            else 'none'
        end as geo_precision,
        placed.geo_method
    from placed
    left join municipalities
        on placed.municipality_code = municipalities.municipality_code
    left join regions
        on coalesce(municipalities.region_code, placed.fsa_region_code) = regions.region_code
)

select * from geolocated
