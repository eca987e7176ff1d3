-- One row per code of each comma-separated list column of directory_organizations, and
-- whether the code is in its vocabulary (the seeds; MRC codes by their shape), for the mart
-- checkpoint to hold. The lookup is here, not a 7,000-code value set in the suite: Great
-- Expectations copied that set about 150 times per run (2.5 s of the mart checks).
with

organizations as (
    select * from {{ ref('directory_organizations') }}
),

listed_codes as (
    select organization_id, name, 'region_codes' as list_name,
        unnest(string_to_array(region_codes, ',')) as code
    from organizations
    union all
    select organization_id, name, 'mrc_codes', unnest(string_to_array(mrc_codes, ','))
    from organizations
    union all
    select organization_id, name, 'languages', unnest(string_to_array(languages, ','))
    from organizations
    union all
    select organization_id, name, 'services', unnest(string_to_array(services, ','))
    from organizations
),

trimmed_codes as (
    select organization_id, name, list_name, trim(code) as code
    from listed_codes
),

vocabularies as (
    select 'region_codes' as list_name, region_code as code
    from {{ ref('ref_quebec_regions') }}
    union all
    select 'languages', language_code from {{ ref('ref_iso_639_languages') }}
    union all
    select 'services', service_code from {{ ref('ref_directory_services') }}
),

checked_codes as (
    select
        trimmed_codes.organization_id,
        trimmed_codes.name,
        trimmed_codes.list_name,
        trimmed_codes.code,
        case
            when trimmed_codes.list_name = 'mrc_codes'
                then {{ re_full_match('trimmed_codes.code', '[0-9]{3}') }}
            else vocabularies.code is not null
        end as in_vocabulary
    from trimmed_codes
    left join vocabularies
        on trimmed_codes.list_name = vocabularies.list_name
        and trimmed_codes.code = vocabularies.code
    where trimmed_codes.code <> ''
)

select * from checked_codes
