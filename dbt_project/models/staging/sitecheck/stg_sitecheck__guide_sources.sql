-- The guide's sources: section × language × URL, with the section's last review date.
with

sources as (
    select * from {{ source('sitecheck', 'guide_source') }}
),

renamed as (
    select
        section_id,
        language,
        url,
        case language
            when 'fr' then section_title_fr
            when 'en' then coalesce(section_title_en, section_title_fr)
            else coalesce(section_title_es, section_title_fr)
        end as section_title,
        section_title_fr,
        reviewed_on,
        position as source_position
    from sources
)

select * from renamed
