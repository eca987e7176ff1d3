-- One row per checked URL: its latest check, and from the whole history when it last
-- worked, last changed, and since when it has been broken or moved without a break.
with

checks as (
    select * from {{ ref('stg_sitecheck__checks') }}
),

history as (
    select
        url,
        min(checked_at) as first_checked_at,
        max(checked_at) as last_checked_at,
        max(checked_at) filter (where is_working) as last_ok_at,
        max(checked_at) filter (where content_changed) as last_content_change_at,
        max(checked_at) filter (where not is_broken and not is_inconclusive)
            as last_not_broken_at,
        max(checked_at) filter (where is_working and status <> 'moved') as last_not_moved_at
    from checks
    group by url
),

latest_checks as (
    select
        url,
        {{ arg_max('status', 'checked_at') }} as status,
        {{ arg_max('http_status', 'checked_at') }} as http_status,
        {{ arg_max('final_url', 'checked_at') }} as final_url,
        {{ arg_max('error', 'checked_at') }} as error
    from checks
    group by url
),

latest_changes as (
    select
        url,
        {{ arg_max('diff_summary', 'checked_at') }} as last_change_summary,
        {{ arg_max('change_touches', 'checked_at', array_value=true) }} as last_change_touches
    from checks
    where content_changed
    group by url
),

-- The first broken (or moved) check after the last one that was not: the streak's start.
streaks as (
    select
        checks.url,
        min(checks.checked_at) filter (
            where checks.is_broken
            and checks.checked_at > coalesce(history.last_not_broken_at, timestamp '1900-01-01')
        ) as broken_since,
        min(checks.checked_at) filter (
            where checks.status = 'moved'
            and checks.checked_at > coalesce(history.last_not_moved_at, timestamp '1900-01-01')
        ) as moved_since
    from checks
    inner join history
        on checks.url = history.url
    group by checks.url
),

summarized as (
    select
        history.url,
        latest_checks.status,
        latest_checks.http_status,
        latest_checks.final_url,
        latest_checks.error,
        history.first_checked_at,
        history.last_checked_at,
        history.last_ok_at,
        history.last_content_change_at,
        latest_changes.last_change_summary,
        latest_changes.last_change_touches,
        case
            when latest_checks.status in (
                'not_found', 'soft_404', 'parked', 'server_error', 'timeout', 'unreachable',
                'unsafe_target'
            ) then streaks.broken_since
        end as broken_since,
        case when latest_checks.status = 'moved' then streaks.moved_since end as moved_since
    from history
    inner join latest_checks
        on history.url = latest_checks.url
    inner join streaks
        on history.url = streaks.url
    left join latest_changes
        on history.url = latest_changes.url
)

select * from summarized
