-- The directory, one row per organization. Lists are sorted comma-separated codes:
-- region_codes (01-17), languages (ISO 639), services (ref_directory_services); beside
-- each, the same list in French words (regions_fr, languages_fr, services_fr) from the seeds;
-- status and wheelchair access in words too (ref_display_labels).
-- Terms no vocabulary entry matched are in the *_free_text columns, as the organization
-- wrote them.
with

organizations as (
    select * from {{ ref('int_directory_organizations_summarized') }}
),

directory as (
    select
        organization_id,
        organization_name as name,
        status,
        {{ label_fr('organization_status', 'status') }} as status_label_fr,
        region_codes,
        regions_fr,
        municipality,
        website,
        email,
        languages,
        languages_fr,
        services,
        services_fr,
        wheelchair_access,
        {{ label_fr('wheelchair_access', "coalesce(wheelchair_access, 'unknown')") }}
            as wheelchair_access_label_fr,
        last_confirmed_at,
        alternate_name,
        description,
        mrc_codes,
        address,
        municipality_code,
        postal_code,
        phones,
        hours,
        accessibility_details,
        target_populations,
        free_of_charge,
        locations,
        updated_at,
        services_free_text,
        target_populations_free_text,
        languages_free_text
    from organizations
)

select * from directory
