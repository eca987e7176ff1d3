-- Each Quebec FSA with its centroid, its administrative region and, when only one
-- municipality is known to use it, that municipality. A municipality is only inferred
-- for urban FSAs (second character not 0): a rural FSA covers many municipalities.
with

fsa_centroids as (
    select * from {{ ref('int_quebec_fsa_centroids_checked') }}
),

fsa_municipalities as (
    select * from {{ ref('int_quebec_fsa_municipalities') }}
),

municipalities as (
    select * from {{ ref('int_municipalities_located') }}
),

evidence_with_distance as (
    select
        fsa_municipalities.fsa,
        municipalities.municipality_code,
        municipalities.region_code,
        {{ squared_distance('fsa_centroids', 'municipalities') }} as squared_distance
    from fsa_municipalities
    inner join municipalities
        on fsa_municipalities.municipality_code = municipalities.municipality_code
    inner join fsa_centroids
        on fsa_municipalities.fsa = fsa_centroids.fsa
),

evidence_per_fsa as (
    select
        fsa,
        count(distinct municipality_code) as municipality_count,
        count(distinct region_code) as region_count,
        min(municipality_code) as sole_municipality_code,
        min(region_code) as sole_region_code
    from evidence_with_distance
    group by fsa
),

-- Nearest region, with ties broken the same way every build: municipalities placed at
-- the FSA's own centroid are all at distance 0 (arg_min picked any of them, so two builds
-- of the same data put G0M in Estrie or in Chaudière-Appalaches). On a tie, the region
-- with more of the FSA's municipalities, then the lower code.
regions_in_fsa as (
    select
        fsa,
        region_code,
        min(squared_distance) as squared_distance,
        count(distinct municipality_code) as municipality_count
    from evidence_with_distance
    group by fsa, region_code
),

regions_in_fsa_ranked as (
    select
        fsa,
        region_code,
        row_number() over (
            partition by fsa
            order by squared_distance nulls last, municipality_count desc, region_code
        ) as nearness
    from regions_in_fsa
),

nearest_region_in_fsa as (
    select
        fsa,
        region_code as nearest_region_code
    from regions_in_fsa_ranked
    where nearness = 1
),

municipalities_by_nearness as (
    select
        fsa_centroids.fsa,
        municipalities.region_code,
        row_number() over (
            partition by fsa_centroids.fsa
            order by {{ squared_distance('fsa_centroids', 'municipalities') }},
                municipalities.region_code, municipalities.municipality_code
        ) as nearness
    from fsa_centroids
    cross join municipalities
    where fsa_centroids.latitude is not null
        and municipalities.latitude is not null
),

nearest_municipality_anywhere as (
    select
        fsa,
        region_code
    from municipalities_by_nearness
    where nearness = 1
),

resolved as (
    select
        fsa_centroids.fsa,
        fsa_centroids.place_name,
        fsa_centroids.latitude,
        fsa_centroids.longitude,
        case
            when evidence_per_fsa.municipality_count = 1
                and substr(fsa_centroids.fsa, 2, 1) <> '0'
                then evidence_per_fsa.sole_municipality_code
        end as municipality_code,
        -- Region: what the evidence agrees on; else GeoNames; else the nearest candidate.
        coalesce(
            case when evidence_per_fsa.region_count = 1 then evidence_per_fsa.sole_region_code end,
            fsa_centroids.geonames_region_code,
            nearest_region_in_fsa.nearest_region_code,
            nearest_municipality_anywhere.region_code
        ) as region_code,
        case
            when evidence_per_fsa.region_count = 1 then 'municipalities_in_fsa'
            when fsa_centroids.geonames_region_code is not null then 'geonames'
            when evidence_per_fsa.region_count > 1 then 'nearest_municipality_in_fsa'
            when nearest_municipality_anywhere.region_code is not null then 'nearest_municipality'
        end as region_source
    from fsa_centroids
    left join evidence_per_fsa
        on fsa_centroids.fsa = evidence_per_fsa.fsa
    left join nearest_region_in_fsa
        on fsa_centroids.fsa = nearest_region_in_fsa.fsa
    left join nearest_municipality_anywhere
        on fsa_centroids.fsa = nearest_municipality_anywhere.fsa
)

select * from resolved
