-- Geolocated rows with their occupation: titles from the NOC reference (falling back on
-- the title as written in the file, in the file's language), broad category and skill
-- level or TEER from the code itself, so a code missing from the reference is still
-- classified.
with

lmia_rows as (
    select * from {{ ref('int_lmia_rows_geolocated') }}
),

noc_codes as (
    select * from {{ ref('int_noc_codes_classified') }}
),

broad_categories as (
    select * from {{ ref('ref_noc_broad_categories') }}
),

classified_rows as (
    select
        lmia_rows.*,
        lmia_rows.occupation_code as noc_code,
        coalesce(
            noc_codes.noc_title_en,
            case when lmia_rows.language = 'en' then lmia_rows.occupation_title end
        ) as noc_title_en,
        coalesce(
            noc_codes.noc_title_fr,
            case when lmia_rows.language = 'fr' then lmia_rows.occupation_title end
        ) as noc_title_fr,
        left(lmia_rows.occupation_code, 1) as broad_category,
        broad_categories.label_en as broad_category_label_en,
        broad_categories.label_fr as broad_category_label_fr,
        case when lmia_rows.noc_version in ('2011', '2016')
            then {{ noc_skill_level('lmia_rows.occupation_code') }} end as skill_level,
        case when lmia_rows.noc_version = '2021'
            then {{ noc_teer('lmia_rows.occupation_code') }} end as teer
    from lmia_rows
    left join noc_codes
        on lmia_rows.noc_version = noc_codes.noc_version
        and lmia_rows.occupation_code = noc_codes.noc_code
    left join broad_categories
        on lmia_rows.noc_version = broad_categories.noc_version
        and left(lmia_rows.occupation_code, 1) = broad_categories.broad_category
)

select * from classified_rows
