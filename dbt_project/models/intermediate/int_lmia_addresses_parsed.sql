-- Distinct Quebec addresses of the counted rows, with the keys geolocation compares: the
-- city as written, a remark in brackets (`Sawyerville (Cookshire-Eaton)`), and the segment
-- before the city, alone and joined to it (`St-Laurent,Ile d'Orléans`); plus the FSA.
-- Parsing each distinct address once keeps the build fast: many rows share an address.
with

quebec_rows as (
    select * from {{ ref('stg_lmia__rows') }}
    where province_code = 'QC'
),

distinct_addresses as (
    select distinct address, postal_code, postal_fsa
    from quebec_rows
),

split as (
    select
        {{ surrogate_key(['address', 'postal_code']) }} as address_key,
        address,
        postal_code,
        postal_fsa,
        {{ address_city('address') }} as city_as_written,
        {{ address_city('address', segments_before=1) }} as segment_before_city,
        -- When the ingest found no postal code, one may still follow the province code, or
        -- end the address with no province code (`STE-MARIE, G6E 3B2`).
        coalesce(
            postal_fsa,
            nullif(upper({{ re_extract('address', ',\\s*(?:QC|PQ)\\b\\W*([A-Z][0-9][A-Z])', 1, 'i') }}), ''),
            nullif(upper({{ re_extract('address', ',\\s*([A-Z][0-9][A-Z])\\s*[0-9](?:[A-Z][0-9]?)?\\W*$', 1, 'i') }}), '')
        ) as fsa
    from distinct_addresses
),

keyed as (
    select
        address_key,
        address,
        postal_code,
        postal_fsa,
        fsa,
        city_as_written,
        {{ normalize_place_name('city_as_written') }} as city_key,
        {{ normalize_place_name(re_extract('city_as_written', '\\(([^)]*)\\)', 1)) }}
            as bracket_key,
        -- In a street address (`1580, côte Thiverge, Saint-Laurent`) the segment before the
        -- city is part of the street, not a place name; unless the "city" is the province
        -- (`470, rang X, Saint-Roch-de-l'Achigan, Québec, QC`).
        case when not {{ re_matches('segment_before_city', '[0-9]') }}
            and (
                not {{ re_matches('address', '^\\s*[0-9]') }}
                or {{ normalize_place_name('city_as_written') }} = 'quebec'
            )
            then {{ normalize_place_name('segment_before_city') }}
        end as previous_segment_key
    from split
),

with_joined_key as (
    select
        *,
        previous_segment_key || ' ' || city_key as joined_key
    from keyed
)

select * from with_joined_key
