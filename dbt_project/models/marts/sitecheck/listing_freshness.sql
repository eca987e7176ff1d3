-- Per organization: how its website answered and whether its listing is stale, with the
-- reasons. "Now" is the time of the latest check run (the build's time when nothing was
-- ever checked), so that rebuilding the same data gives the same marts.
with

organizations as (
    select * from {{ ref('int_directory_organizations_summarized') }}
),

other_urls as (
    select organization_id, other_urls from {{ ref('stg_directory__organizations') }}
),

urls as (
    select * from {{ ref('int_site_urls_summarized') }}
),

checks as (
    select * from {{ ref('stg_sitecheck__checks') }}
),

-- With no check run yet, "now" is today at midnight, not the build's instant: a rebuild
-- with nothing new must give the same rows, or it publishes a new version for nothing.
as_of as (
    select coalesce(max(checked_at), cast(current_date as timestamp)) as checked_until
    from checks
),

organization_urls as (
    select organization_id, trim(website) as url from organizations
    where website is not null
    union
    select organization_id, trim(unnest(other_urls)) as url from other_urls
),

-- Content changes on any of the organization's URLs since it last confirmed its listing.
changes_since_confirmation as (
    select
        organization_urls.organization_id,
        min(checks.checked_at) filter (where 'hours' = any(checks.change_touches))
            as hours_changed_at,
        min(checks.checked_at) filter (where 'address' = any(checks.change_touches))
            as address_changed_at,
        min(checks.checked_at) filter (where 'services' = any(checks.change_touches))
            as services_changed_at
    from organization_urls
    inner join organizations
        on organization_urls.organization_id = organizations.organization_id
    inner join checks
        on organization_urls.url = checks.url
    where checks.content_changed
        and (organizations.last_confirmed_at is null
             or checks.checked_at >= organizations.last_confirmed_at)
    group by organization_urls.organization_id
),

other_urls_broken as (
    select
        organization_urls.organization_id,
        count(*) as other_urls_broken
    from organization_urls
    inner join organizations
        on organization_urls.organization_id = organizations.organization_id
    inner join urls
        on organization_urls.url = urls.url
    where urls.broken_since is not null
        and organization_urls.url <> coalesce(trim(organizations.website), '')
    group by organization_urls.organization_id
),

assessed as (
    select
        organizations.organization_id,
        organizations.organization_name,
        organizations.status,
        organizations.website,
        websites.status as website_status,
        websites.http_status,
        websites.final_url as website_final_url,
        websites.error as website_error,
        websites.last_checked_at,
        websites.last_ok_at,
        websites.last_content_change_at,
        websites.last_change_summary,
        organizations.last_confirmed_at,
        websites.broken_since,
        websites.moved_since,
        coalesce(other_urls_broken.other_urls_broken, 0) as other_urls_broken,
        changes.hours_changed_at,
        changes.address_changed_at,
        changes.services_changed_at,
        as_of.checked_until,
        organizations.last_confirmed_at is null
        or organizations.last_confirmed_at
        < cast(as_of.checked_until - interval '{{ var("listing_confirmation_months") }} month' as date)
            as not_confirmed,
        websites.broken_since
        <= as_of.checked_until - interval '{{ var("site_broken_days") }} day' as broken_too_long
    from organizations
    cross join as_of
    left join urls as websites
        on trim(organizations.website) = websites.url
    left join changes_since_confirmation as changes
        on organizations.organization_id = changes.organization_id
    left join other_urls_broken
        on organizations.organization_id = other_urls_broken.organization_id
),

stale_reasons as (
    select
        *,
        nullif(concat_ws(',',
            case when not_confirmed then 'not_confirmed_12_months' end,
            case when broken_too_long then 'broken_over_14_days' end,
            case when website_status = 'moved' then 'moved' end,
            case when hours_changed_at is not null then 'hours_changed' end,
            case when address_changed_at is not null then 'address_changed' end,
            case when services_changed_at is not null then 'services_changed' end
        ), '') as stale_reasons,
        nullif(concat_ws(', ',
            case when not_confirmed then {{ label_fr('stale_reason', "'not_confirmed_12_months'") }} end,
            case when broken_too_long then {{ label_fr('stale_reason', "'broken_over_14_days'") }} end,
            case when website_status = 'moved' then {{ label_fr('stale_reason', "'moved'") }} end,
            case when hours_changed_at is not null then {{ label_fr('stale_reason', "'hours_changed'") }} end,
            case when address_changed_at is not null then {{ label_fr('stale_reason', "'address_changed'") }} end,
            case when services_changed_at is not null then {{ label_fr('stale_reason', "'services_changed'") }} end
        ), '') as stale_reasons_fr,
        nullif(concat_ws(',',
            case when hours_changed_at is not null then 'hours' end,
            case when address_changed_at is not null then 'address' end,
            case when services_changed_at is not null then 'services' end
        ), '') as change_touches
    from assessed
),

freshness as (
    select
        organization_id,
        organization_name,
        website,
        website_status,
        http_status,
        last_checked_at,
        last_ok_at,
        last_content_change_at,
        last_confirmed_at,
        stale_reasons is not null as is_stale,
        stale_reasons,
        -- when a reminder to confirm the listing is (or was) due; none for inactive ones
        case when status <> 'inactive' then cast(least(
            coalesce(last_confirmed_at + interval '{{ var("listing_confirmation_months") }} month',
                     checked_until),
            broken_since + interval '{{ var("site_broken_days") }} day',
            moved_since,
            hours_changed_at,
            address_changed_at,
            services_changed_at
        ) as date) end as next_reminder_due,
        status,
        website_final_url,
        website_error,
        broken_since,
        other_urls_broken,
        change_touches,
        last_change_summary,
        checked_until as as_of,
        -- after the contract's columns (SPEC): the reasons in words, for the dashboards
        stale_reasons_fr
    from stale_reasons
),

status_labels as (
    select * from {{ ref('ref_website_statuses') }}
),

labelled as (
    select
        freshness.*,
        status_labels.label_fr as website_status_label_fr,
        {{ label_fr('organization_status', 'freshness.status') }} as status_label_fr
    from freshness
    left join status_labels
        on coalesce(freshness.website_status, 'never_checked') = status_labels.website_status
)

select * from labelled
