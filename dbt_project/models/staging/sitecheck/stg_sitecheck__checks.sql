-- Every check of every URL, with the status grouped as the marts need it.
with

checks as (
    select * from {{ source('sitecheck', 'check') }}
),

flagged as (
    select
        run_id,
        url,
        checked_at,
        status,
        http_status,
        final_url,
        redirect_chain,
        fingerprint,
        content_changed,
        lines_added,
        lines_removed,
        change_touches,
        diff_summary,
        bytes,
        elapsed_ms,
        error,
        status in ('ok', 'changed', 'moved', 'redirected') as is_working,
        status in (
            'not_found', 'soft_404', 'parked', 'server_error', 'timeout', 'unreachable',
            'unsafe_target'
        ) as is_broken,
        -- a bot wall or a rate limit says nothing about the site either way
        status in ('blocked', 'rate_limited') as is_inconclusive
    from checks
)

select * from flagged
