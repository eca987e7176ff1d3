-- One row per code of each comma-separated list column of directory_organizations, for
-- the mart checkpoint to hold against the seeds' vocabularies.
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
)

select * from trimmed_codes
where code <> ''
