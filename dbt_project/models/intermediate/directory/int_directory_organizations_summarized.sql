-- One row per organization with its lists (regions, languages, services, populations) as
-- sorted comma-separated codes, its first location's address and a wheelchair summary.
with

organizations as (
    select * from {{ ref('stg_directory__organizations') }}
),

locations as (
    select * from {{ ref('stg_directory__locations') }}
),

phones as (
    select * from {{ ref('stg_directory__phones') }}
),

service_areas as (
    select * from {{ ref('stg_directory__service_areas') }}
),

services as (
    select * from {{ ref('stg_directory__services') }}
),

languages as (
    select * from {{ ref('stg_directory__languages') }}
),

populations as (
    select * from {{ ref('stg_directory__target_populations') }}
),

free_terms as (
    select * from {{ ref('stg_directory__free_terms') }}
),

language_names as (
    select * from {{ ref('ref_iso_639_languages') }}
),

service_labels as (
    select * from {{ ref('ref_directory_services') }}
),

region_labels as (
    select * from {{ ref('ref_quebec_regions') }}
),

confirmations as (
    select * from {{ ref('int_directory_organizations_confirmed') }}
),

regions_served as (
    select
        organization_id,
        {{ sorted_distinct_list('service_areas.region_code', ',') }} as region_codes,
        {{ sorted_distinct_list('service_areas.mrc_code', ',',
                                where='service_areas.mrc_code is not null') }} as mrc_codes,
        {{ sorted_distinct_list('coalesce(region_labels.region_name_fr, service_areas.region_code)',
                                ', ') }} as regions_fr
    from service_areas
    left join region_labels on service_areas.region_code = region_labels.region_code
    group by service_areas.organization_id
),

services_offered as (
    select
        services.organization_id,
        {{ sorted_distinct_list('services.service_code', ',') }} as services,
        {{ sorted_distinct_list('coalesce(service_labels.label_fr, services.service_code)',
                                ', ') }} as services_fr
    from services
    left join service_labels on services.service_code = service_labels.service_code
    group by services.organization_id
),

languages_spoken as (
    select
        languages.organization_id,
        {{ sorted_distinct_list('languages.language_code', ',') }} as languages
    from languages
    group by languages.organization_id
),

languages_named as (
    select
        languages.organization_id,
        string_agg(distinct language_names.name_fr, ', ' order by language_names.name_fr)
            as languages_fr
    from languages
    inner join language_names
        on languages.language_code = language_names.language_code
    group by languages.organization_id
),

-- Terms no vocabulary entry matched, as the organization wrote them, `; `-separated.
free_text as (
    select
        organization_id,
        string_agg(distinct term, '; ' order by term)
            filter (where field_name = 'services') as services_free_text,
        string_agg(distinct term, '; ' order by term)
            filter (where field_name = 'target_populations') as target_populations_free_text,
        string_agg(distinct term, '; ' order by term)
            filter (where field_name = 'languages') as languages_free_text
    from free_terms
    group by organization_id
),

populations_served as (
    select
        organization_id,
        {{ sorted_distinct_list('population_code', ',') }} as target_populations
    from populations
    group by organization_id
),

phone_numbers as (
    select
        phones.organization_id,
        string_agg(
            phones.phone_number || coalesce(' poste ' || phones.phone_extension, ''), ', '
            order by locations.location_position, phones.phone_position
        ) as phones
    from phones
    left join locations
        on phones.location_id = locations.location_id
    group by phones.organization_id
),

-- An organization with several locations is as accessible as its best location.
location_summary as (
    select
        organization_id,
        count(*) as locations,
        case
            when bool_or(wheelchair_access = 'yes') then 'yes'
            when bool_or(wheelchair_access = 'partial') then 'partial'
            when bool_or(wheelchair_access = 'no') then 'no'
        end as wheelchair_access
    from locations
    group by organization_id
),

first_locations as (
    select * from locations
    where location_position = 1
),

summarized as (
    select
        organizations.organization_id,
        organizations.organization_name,
        organizations.alternate_name,
        organizations.description,
        organizations.status,
        regions_served.region_codes,
        regions_served.mrc_codes,
        regions_served.regions_fr,
        first_locations.address,
        first_locations.municipality_name as municipality,
        first_locations.municipality_code,
        first_locations.postal_code,
        phone_numbers.phones,
        organizations.website,
        organizations.email,
        languages_spoken.languages,
        services_offered.services,
        services_offered.services_fr,
        populations_served.target_populations,
        location_summary.wheelchair_access,
        first_locations.accessibility_details,
        first_locations.hours_text as hours,
        organizations.free_of_charge,
        coalesce(location_summary.locations, 0) as locations,
        confirmations.last_confirmed_at,
        organizations.updated_at,
        languages_named.languages_fr,
        free_text.services_free_text,
        free_text.target_populations_free_text,
        free_text.languages_free_text
    from organizations
    left join regions_served
        on organizations.organization_id = regions_served.organization_id
    left join services_offered
        on organizations.organization_id = services_offered.organization_id
    left join languages_spoken
        on organizations.organization_id = languages_spoken.organization_id
    left join populations_served
        on organizations.organization_id = populations_served.organization_id
    left join phone_numbers
        on organizations.organization_id = phone_numbers.organization_id
    left join location_summary
        on organizations.organization_id = location_summary.organization_id
    left join first_locations
        on organizations.organization_id = first_locations.organization_id
    left join confirmations
        on organizations.organization_id = confirmations.organization_id
    left join languages_named
        on organizations.organization_id = languages_named.organization_id
    left join free_text
        on organizations.organization_id = free_text.organization_id
)

select * from summarized
