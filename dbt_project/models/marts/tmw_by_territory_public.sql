-- tmw_by_territory for wide audiences. A cell with fewer than `public_min_positions` (5)
-- approved positions keeps its dimensions, but its counts are null and is_suppressed is
-- true: a small cell can point at one employer. This is primary suppression only; totals
-- published elsewhere could let someone subtract a suppressed cell back.
with

by_territory as (
    select * from {{ ref('tmw_by_territory') }}
),

flagged as (
    select
        *,
        approved_positions < {{ var('public_min_positions') }} as is_suppressed
    from by_territory
),

suppressed as (
    select
        period_year,
        period_quarter,
        period_kind,
        {{ period_label_fr('period_kind', 'period_year', 'period_quarter') }} as period_label_fr,
        period_start,
        region_code,
        region_name,
        coalesce(region_name, 'Lieu non déterminé') as region_label_fr,
        mrc_code,
        mrc_name,
        coalesce(mrc_name, 'MRC non déterminée') as mrc_label_fr,
        noc_version,
        noc_classification_fr,
        skill_level,
        skill_level_label_fr,
        teer,
        teer_label_fr,
        broad_category,
        broad_category_label_fr,
        broad_category_label_en,
        is_suppressed,
        case when not is_suppressed then approved_positions end as approved_positions,
        case when not is_suppressed then approved_lmias end as approved_lmias,
        case when not is_suppressed then employers end as employers
    from flagged
)

select * from suppressed
