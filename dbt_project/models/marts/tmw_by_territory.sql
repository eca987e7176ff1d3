-- Quebec approved positions and employers by period, region, MRC, skill level or TEER and
-- broad occupational category. Rows not placed in a region are kept (null region) so that
-- the table adds up to the Quebec total. Positions, not workers.
with

quebec_positions as (
    select * from {{ ref('fct_lmia_positions') }}
    where province_code = 'QC'
),

by_territory as (
    select
        period_year,
        period_quarter,
        period_kind,
        period_start,
        region_code,
        region_name,
        mrc_code,
        mrc_name,
        noc_version,
        noc_classification_fr,
        skill_level,
        skill_level_label_fr,
        teer,
        teer_label_fr,
        broad_category,
        broad_category_label_fr,
        broad_category_label_en,
        sum(approved_positions) as approved_positions,
        sum(approved_lmias) as approved_lmias,
        count(distinct lower(employer_name)) as employers,
        count(*) as source_rows
    from quebec_positions
    group by
        period_year, period_quarter, period_kind, period_start, region_code, region_name,
        mrc_code, mrc_name, noc_version, noc_classification_fr, skill_level,
        skill_level_label_fr, teer, teer_label_fr, broad_category,
        broad_category_label_fr, broad_category_label_en
)

select * from by_territory
