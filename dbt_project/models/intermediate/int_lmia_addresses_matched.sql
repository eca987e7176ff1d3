-- Municipalities each Quebec address may be in: one row per address, key (1 city as
-- written, 2 remark in brackets, 3 previous segment joined to the city, 4 previous segment)
-- and municipality, with a tier saying what the match is worth (1 is best):
--   1 exact name or alias, and the municipality uses the address's FSA
--   2 exact, in the FSA's region
--   3 approximate, among municipalities using the FSA: an official name containing or
--     contained in the one written (`Sherrington` for Saint-Patrice-de-Sherrington), or a
--     near spelling of any name (`Sant-Rémi`)
--   4 exact, elsewhere; only for the city as written, and never for `Québec`
--     (`Saint-Bruno, QC J3V` is Saint-Bruno-de-Montarville, tier 3, not Saint-Bruno)
--   5 approximate, among municipalities within about 20 km of the FSA centroid
-- Approximate matches are only sought next to the address, so a short or misspelt name
-- cannot land across the province.
with

addresses as (
    select * from {{ ref('int_lmia_addresses_parsed') }}
),

place_names as (
    select * from {{ ref('int_place_names_normalized') }}
),

fsa_municipalities as (
    select * from {{ ref('int_quebec_fsa_municipalities') }}
),

municipalities as (
    select * from {{ ref('int_municipalities_located') }}
),

fsas as (
    select * from {{ ref('int_quebec_fsas_resolved') }}
),

fsa_prefix_regions as (
    select * from {{ ref('int_quebec_fsa_prefixes_resolved') }}
),

address_keys as (
    select address_key, fsa, city_key as name_key, 1 as key_rank from addresses
    union all
    select address_key, fsa, bracket_key, 2 from addresses
    union all
    select address_key, fsa, joined_key, 3 from addresses
    union all
    select address_key, fsa, previous_segment_key, 4 from addresses
),

nearby_municipalities as (
    select fsas.fsa, municipalities.municipality_code
    from fsas
    inner join municipalities
        on {{ squared_distance('fsas', 'municipalities') }} < 0.04
),

neighbourhoods as (
    select fsa, municipality_code from fsa_municipalities
    union
    select fsa, municipality_code from nearby_municipalities
),

exact_matches as (
    select
        address_keys.address_key,
        address_keys.key_rank,
        address_keys.name_key,
        place_names.municipality_code,
        'city_' || place_names.match_kind as match_method,
        1.0 as similarity
    from address_keys
    inner join place_names
        on address_keys.name_key = place_names.name_key
),

neighbour_names as (
    select
        address_keys.address_key,
        address_keys.key_rank,
        address_keys.name_key,
        place_names.municipality_code,
        place_names.match_kind,
        place_names.name_key as municipality_name_key
    from address_keys
    inner join neighbourhoods
        on address_keys.fsa = neighbourhoods.fsa
    inner join place_names
        on neighbourhoods.municipality_code = place_names.municipality_code
    where address_keys.key_rank in (1, 2, 3)
),

-- Saint and Sainte are often swapped (`St-Clotilde`): compare them as one word. Done once
-- per distinct name, not per address and candidate (hundreds of thousands of rows).
written_names as (
    select distinct
        name_key,
        {{ re_replace('name_key', '\\bsainte\\b', 'saint', 'g') }} as written_key
    from address_keys
),

municipality_names as (
    select distinct
        name_key as municipality_name_key,
        {{ re_replace('name_key', '\\bsainte\\b', 'saint', 'g') }} as municipality_key
    from place_names
),

-- Each pair of names is compared once, however many addresses share it. Materialized:
-- otherwise PostgreSQL pushes the comparisons below the `distinct` and runs them on every
-- pair of names of the province (minutes instead of seconds).
name_pairs as materialized (
    select distinct
        neighbour_names.name_key,
        neighbour_names.municipality_name_key,
        written_names.written_key,
        municipality_names.municipality_key
    from neighbour_names
    inner join written_names
        on neighbour_names.name_key = written_names.name_key
    inner join municipality_names
        on neighbour_names.municipality_name_key = municipality_names.municipality_name_key
),

-- The shared `saint ` says nothing: `St-Narcisse` must not resemble Sainte-Françoise.
cores as (
    select
        *,
        case when {{ re_matches('written_key', '^saints? ') }} and {{ re_matches('municipality_key', '^saints? ') }}
            then {{ re_replace('written_key', '^saints? ', '') }} else written_key end as written_core,
        case when {{ re_matches('written_key', '^saints? ') }} and {{ re_matches('municipality_key', '^saints? ') }}
            then {{ re_replace('municipality_key', '^saints? ', '') }} else municipality_key end
            as municipality_core,
        -- Containment of whole words (`Sherrington` in Saint-Patrice-de-Sherrington).
        strpos(' ' || written_key || ' ', ' ' || municipality_key || ' ') > 0
        or strpos(' ' || municipality_key || ' ', ' ' || written_key || ' ') > 0
            as shares_whole_words
    from name_pairs
    -- Short keys (`mtl`, a bare `saint`) are too easy to resemble.
    where least(length(written_key), length(municipality_key)) >= 5
),

compared_pairs as (
    select
        name_key,
        municipality_name_key,
        shares_whole_words,
        -- Jaro-Winkler forgives a changed ending, Levenshtein a missing letter inside.
        greatest(
            jaro_winkler_similarity(written_core, municipality_core),
            1 - {{ divide('levenshtein(written_core, municipality_core)',
                          'greatest(length(written_core), length(municipality_core))') }}
        ) as similarity
    from cores
    -- A name less than half as long as the other scores below 0.9 on both measures
    -- (Jaro-Winkler at most 0.8 + 0.2 × the length ratio), so only containment can keep
    -- the pair: the costly comparison is skipped.
    where shares_whole_words
        or 2 * least(length(written_core), length(municipality_core))
            >= greatest(length(written_core), length(municipality_core))
),

compared as (
    select
        neighbour_names.address_key,
        neighbour_names.key_rank,
        neighbour_names.name_key,
        neighbour_names.municipality_code,
        compared_pairs.similarity,
        -- Containment counts for official names only: an alias such as
        -- `Le Plateau-Mont-Royal` must not swallow `Mont-Royal`.
        neighbour_names.match_kind = 'name' and compared_pairs.shares_whole_words as is_contained
    from neighbour_names
    inner join compared_pairs
        on neighbour_names.name_key = compared_pairs.name_key
        and neighbour_names.municipality_name_key = compared_pairs.municipality_name_key
),

approximate_matches as (
    select
        address_key,
        key_rank,
        name_key,
        municipality_code,
        case when is_contained then 'city_contained' else 'city_similar' end as match_method,
        -- Containment is stronger evidence than resemblance, unless a name is much closer.
        similarity + case when is_contained then 0.05 else 0 end as similarity
    from compared
    where is_contained or similarity >= 0.9
),

all_matches as (
    select * from exact_matches
    union all
    select * from approximate_matches
),

scored as (
    select
        all_matches.*,
        fsa_municipalities.fsa is not null as uses_fsa,
        coalesce(fsa_municipalities.is_town_hall_fsa, false) as is_town_hall_fsa,
        -- A rural postal code names a post office, and often the town hall's.
        coalesce(upper(addresses.postal_code) = municipalities.postal_code, false)
            as is_town_hall_postal_code,
        municipalities.municipality_name,
        {{ squared_distance('municipalities', 'fsas') }} as squared_distance,
        case
            when all_matches.match_method in ('city_name', 'city_alias')
                then case
                    when fsa_municipalities.fsa is not null then 1
                    when municipalities.region_code
                        = coalesce(fsas.region_code, fsa_prefix_regions.region_code) then 2
                    else 4
                end
            when fsa_municipalities.fsa is not null then 3
            else 5
        end as tier
    from all_matches
    inner join addresses
        on all_matches.address_key = addresses.address_key
    inner join municipalities
        on all_matches.municipality_code = municipalities.municipality_code
    left join fsa_municipalities
        on addresses.fsa = fsa_municipalities.fsa
        and all_matches.municipality_code = fsa_municipalities.municipality_code
    left join fsas
        on addresses.fsa = fsas.fsa
    left join fsa_prefix_regions
        on left(addresses.fsa, 2) = fsa_prefix_regions.fsa_prefix
),

ranked_per_municipality as (
    select
        *,
        row_number() over (
            partition by address_key, key_rank, municipality_code
            order by tier, similarity desc
        ) as municipality_rank
    from scored
    -- `Québec, QC G0M 1M0` names the province more often than the city.
    where tier <> 4 or (key_rank = 1 and name_key <> 'quebec')
),

best_per_municipality as (
    select
        address_key,
        key_rank,
        name_key,
        municipality_code,
        match_method,
        similarity,
        uses_fsa,
        is_town_hall_fsa,
        is_town_hall_postal_code,
        municipality_name,
        squared_distance,
        tier
    from ranked_per_municipality
    where municipality_rank = 1
)

select * from best_per_municipality
