-- Every name a Quebec municipality goes by, as a comparison key: its MAMH name and its
-- aliases (former municipalities, boroughs, English names, common spellings). One key can
-- point to several municipalities (there are two Saint-Louis-de-Gonzague); the address
-- geolocation chooses between them with the postal code.
with

municipalities as (
    select * from {{ ref('ref_quebec_municipalities') }}
),

aliases as (
    select * from {{ ref('ref_municipality_aliases') }}
),

official_names as (
    select
        {{ normalize_place_name('municipality_name') }} as name_key,
        municipality_code,
        'name' as match_kind
    from municipalities
),

alias_names as (
    select
        {{ normalize_place_name('alias_name') }} as name_key,
        municipality_code,
        'alias' as match_kind
    from aliases
),

all_names as (
    select * from official_names
    union all
    select * from alias_names
),

names_per_municipality as (
    select
        name_key,
        municipality_code,
        case when bool_or(match_kind = 'name') then 'name' else 'alias' end as match_kind
    from all_names
    group by name_key, municipality_code
)

select * from names_per_municipality
