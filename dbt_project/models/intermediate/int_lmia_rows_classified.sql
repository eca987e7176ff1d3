-- Geolocated rows with their occupation: titles from the NOC reference (falling back on
-- the title as written in the file, in the file's language), broad category and skill
-- level or TEER from the code itself, so a code missing from the reference is still
-- classified. French titles from every open French source (int_noc_titles_fr); the
-- labels people read (occupation, stream, skill level, TEER) from the seeds, one place each.
-- A view, not a table: fct_lmia_positions is the one table made of these rows, and two
-- wide tables of every source row before it cost about 2 s of each build of the history.
{{ config(materialized="view") }}

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

french_titles as (
    select * from {{ ref('int_noc_titles_fr') }}
),

streams as (
    select * from {{ ref('ref_program_streams') }}
),

levels as (
    select * from {{ ref('ref_noc_levels') }}
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
            case when lmia_rows.language = 'fr' then lmia_rows.occupation_title end,
            french_titles.noc_title_fr
        ) as noc_title_fr,
        coalesce(streams.label_fr, lmia_rows.program_stream) as program_stream_label_fr,
        coalesce(streams.label_en, lmia_rows.program_stream) as program_stream_label_en,
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
    left join french_titles
        on lmia_rows.noc_version = french_titles.noc_version
        and lmia_rows.occupation_code = french_titles.noc_code
    left join streams
        on trim(lmia_rows.program_stream) = streams.program_stream
),

labelled_rows as (
    select
        classified_rows.*,
        -- Never blank: the French title, else the English one marked (EN).
        case when classified_rows.noc_code is not null then
            classified_rows.noc_code || ' – ' || coalesce(
                classified_rows.noc_title_fr, classified_rows.noc_title_en || ' (EN)',
                'titre inconnu')
        end as occupation_label_fr,
        case
            when classified_rows.noc_version in ('2011', '2016') then 'CNP ' || classified_rows.noc_version
                || ' – niveaux de compétence'
            when classified_rows.noc_version = '2021' then 'CNP 2021 – FEER'
        end as noc_classification_fr,
        skill_levels.label_fr as skill_level_label_fr,
        teers.label_fr as teer_label_fr
    from classified_rows
    left join levels as skill_levels
        on skill_levels.classification = 'skill_level'
        and classified_rows.skill_level = skill_levels.level_code
    left join levels as teers
        on teers.classification = 'teer'
        and cast(classified_rows.teer as varchar) = teers.level_code
)

select * from labelled_rows
