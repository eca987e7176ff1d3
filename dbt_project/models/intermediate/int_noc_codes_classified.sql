-- NOC unit groups with the attributes their code implies: broad category (first digit),
-- skill level (NOC 2011 and 2016) and TEER (NOC 2021). The rules are the macros
-- noc_skill_level and noc_teer, unit-tested in _intermediate__models.yml.
with

noc_codes as (
    select * from {{ ref('ref_noc_codes') }}
),

broad_categories as (
    select * from {{ ref('ref_noc_broad_categories') }}
),

classified as (
    select
        noc_codes.noc_version,
        noc_codes.noc_code,
        noc_codes.noc_title_en,
        noc_codes.noc_title_fr,
        left(noc_codes.noc_code, 1) as broad_category,
        broad_categories.label_en as broad_category_label_en,
        broad_categories.label_fr as broad_category_label_fr,
        {{ noc_skill_level('noc_codes.noc_code') }} as skill_level,
        {{ noc_teer('noc_codes.noc_code') }} as teer
    from noc_codes
    left join broad_categories
        on noc_codes.noc_version = broad_categories.noc_version
        and left(noc_codes.noc_code, 1) = broad_categories.broad_category
)

select * from classified
