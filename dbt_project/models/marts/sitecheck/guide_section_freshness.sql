-- Per guide section and language: the sources whose content changed since the section's
-- last review, and those that are broken or moved (the section cites a dead link).
with

sources as (
    select * from {{ ref('guide_source_freshness') }}
),

sections as (
    select
        section_id,
        language,
        {{ any_value('section_title') }} as section_title,
        max(reviewed_on) as reviewed_on,
        count(*) as sources,
        count(last_checked_at) as sources_checked,
        count(*) filter (where changed_since_review) as sources_changed_since_review,
        string_agg(url, ' ' order by source_position) filter (where changed_since_review)
            as changed_source_urls,
        count(*) filter (where is_broken or status = 'moved') as sources_broken_or_moved,
        string_agg(url, ' ' order by source_position) filter (where is_broken or status = 'moved')
            as broken_or_moved_source_urls,
        max(last_content_change_at) as last_content_change_at,
        max(last_checked_at) as last_checked_at
    from sources
    group by section_id, language
),

review as (
    select
        *,
        sources_changed_since_review > 0 or sources_broken_or_moved > 0 as needs_review
    from sections
),

labelled as (
    select
        *,
        {{ label_fr('yes_no', 'cast(needs_review as varchar)') }} as needs_review_label_fr
    from review
)

select * from labelled
