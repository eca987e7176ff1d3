-- The columns of fct_lmia_positions the mart checkpoint holds to their codes, with the
-- period each row belongs to (a failing row withholds its period). A failing row is shown
-- by its file, sheet and row: the employer's name and address, two texts that repeat
-- little, cost 0.9 s of each build of the history to read and categorize for no check.
with

positions as (
    select * from {{ ref('fct_lmia_positions') }}
),

checked_columns as (
    select
        source_file,
        sheet,
        source_row,
        period_kind,
        cast(period_start as varchar) as period_start,
        province_code,
        region_code,
        mrc_code,
        municipality_code,
        geo_precision,
        noc_version,
        noc_code,
        skill_level,
        teer,
        approved_positions
    from positions
)

select * from checked_columns
