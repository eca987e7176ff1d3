-- Per guide section × language × source: how the source answered and whether its content
-- changed since the section was last reviewed. Changes are known from a source's first
-- check on: a source never checked, or checked once, has none yet.
with

sources as (
    select * from {{ ref('stg_sitecheck__guide_sources') }}
),

urls as (
    select * from {{ ref('int_site_urls_summarized') }}
),

checks as (
    select * from {{ ref('stg_sitecheck__checks') }}
),

changes_since_review as (
    select
        sources.section_id,
        sources.language,
        sources.url,
        count(*) as changes_since_review,
        max(checks.checked_at) as last_change_since_review_at,
        {{ arg_max('checks.diff_summary', 'checks.checked_at') }} as last_change_summary
    from sources
    inner join checks
        on sources.url = checks.url
    where checks.content_changed
        and (sources.reviewed_on is null or checks.checked_at >= sources.reviewed_on)
    group by sources.section_id, sources.language, sources.url
),

source_freshness as (
    select
        sources.section_id,
        sources.section_title,
        sources.language,
        sources.url,
        sources.source_position,
        sources.reviewed_on,
        urls.status,
        urls.http_status,
        urls.final_url,
        urls.error,
        urls.last_checked_at,
        urls.last_ok_at,
        urls.last_content_change_at,
        coalesce(changes.changes_since_review, 0) > 0 as changed_since_review,
        coalesce(changes.changes_since_review, 0) as changes_since_review,
        changes.last_change_summary,
        urls.broken_since is not null as is_broken,
        urls.broken_since
    from sources
    left join urls
        on sources.url = urls.url
    left join changes_since_review as changes
        on sources.section_id = changes.section_id
        and sources.language = changes.language
        and sources.url = changes.url
)

select * from source_freshness
