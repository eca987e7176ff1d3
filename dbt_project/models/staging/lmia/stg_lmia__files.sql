-- Files whose rows are counted: current files only (a re-published file supersedes the
-- earlier one), and one language per period. ESDC publishes the same quarter in English and
-- French; the two files agree in totals but not row for row, so counting both would double
-- the period. French is kept when both exist: the map's users work in French and the French
-- file carries the French occupation titles as ESDC wrote them.
-- Only files that passed the raw checks (raw.lmia_checks) count: a build that runs while an
-- ingest is still checking its files leaves those for the next build, and a file they
-- supersede stays counted until then.
with

lmia_files as (
    select * from {{ source('lmia', 'lmia_files') }}
),

raw_checks as (
    select * from {{ source('lmia', 'lmia_checks') }}
),

checked_files as (
    select lmia_files.*
    from lmia_files
    inner join raw_checks on lmia_files.file_sha256 = raw_checks.file_sha256
),

unchecked_files as (
    select lmia_files.file_sha256
    from lmia_files
    left join raw_checks on lmia_files.file_sha256 = raw_checks.file_sha256
    where raw_checks.file_sha256 is null
),

current_files as (
    select checked_files.*
    from checked_files
    left join unchecked_files on checked_files.superseded_by = unchecked_files.file_sha256
    where checked_files.superseded_by is null or unchecked_files.file_sha256 is not null
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
