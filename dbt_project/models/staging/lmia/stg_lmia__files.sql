-- Files whose rows are counted: current files only (a re-published file supersedes the
-- earlier one), and one language per period. ESDC publishes the same quarter in English and
-- French; the two files agree in totals but not row for row, so counting both would double
-- the period. French is kept when both exist: the map's users work in French and the French
-- file carries the French occupation titles as ESDC wrote them.
with

lmia_files as (
    select * from {{ source('lmia', 'lmia_files') }}
),

current_files as (
    select * from lmia_files
    where superseded_by is null
),

ranked_by_language as (
    select
        *,
        row_number() over (
            partition by period_kind, period_year, period_quarter
            order by case language when 'fr' then 0 else 1 end, loaded_at desc nulls last, file_sha256
        ) as language_rank
    from current_files
),

counted_files as (
    select
        file_sha256,
        original_name as source_file,
        source_url,
        resource_id,
        period_year,
        period_quarter,
        period_kind,
        period_start,
        language,
        file_format,
        layout,
        noc_version,
        row_count,
        approved_positions,
        loaded_at
    from ranked_by_language
    where language_rank = 1
)

select * from counted_files
