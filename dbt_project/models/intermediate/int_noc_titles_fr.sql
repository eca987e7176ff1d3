-- One French title per NOC version and code, wherever an open French source has one:
-- 1. the NOC reference seed (French titles taken from ESDC's French LMIA files);
-- 2. the French LMIA files loaded in this warehouse (the title most often written there);
-- 3. for NOC 2021, the title of the NOC 2016 code whose English title is unchanged in the
--    Statistics Canada concordance (same occupation, same name: same French title).
-- Codes with none of these keep no French title; the marts show them in English, marked.
with

reference_titles as (
    select noc_version, noc_code, noc_title_fr
    from {{ ref('ref_noc_codes') }}
    where noc_title_fr is not null
),

french_file_rows as (
    select noc_version, occupation_code as noc_code, occupation_title as noc_title_fr
    from {{ ref('stg_lmia__rows') }}
    where language = 'fr' and occupation_code is not null and occupation_title is not null
),

french_file_titles_counted as (
    select
        noc_version,
        noc_code,
        noc_title_fr,
        row_number() over (
            partition by noc_version, noc_code order by count(*) desc, noc_title_fr
        ) as title_rank
    from french_file_rows
    group by noc_version, noc_code, noc_title_fr
),

french_file_titles as (
    select noc_version, noc_code, noc_title_fr
    from french_file_titles_counted
    where title_rank = 1
),

known_titles as (
    select
        coalesce(reference_titles.noc_version, french_file_titles.noc_version) as noc_version,
        coalesce(reference_titles.noc_code, french_file_titles.noc_code) as noc_code,
        coalesce(reference_titles.noc_title_fr, french_file_titles.noc_title_fr) as noc_title_fr,
        case when reference_titles.noc_title_fr is not null then 'reference'
            else 'lmia_fr_files' end as title_source
    from reference_titles
    full outer join french_file_titles
        on reference_titles.noc_version = french_file_titles.noc_version
        and reference_titles.noc_code = french_file_titles.noc_code
),

unchanged_in_2021 as (
    select
        concordance.noc2021_code as noc_code,
        min(known_titles.noc_title_fr) as noc_title_fr
    from {{ ref('ref_noc2016_to_2021') }} as concordance
    inner join known_titles
        on known_titles.noc_version = '2016'
        and known_titles.noc_code = concordance.noc2016_code
    where lower(concordance.noc2016_title) = lower(concordance.noc2021_title)
    group by concordance.noc2021_code
    having count(distinct known_titles.noc_title_fr) = 1
),

titles as (
    select noc_version, noc_code, noc_title_fr, title_source
    from known_titles
    union all
    select '2021' as noc_version, noc_code, noc_title_fr, 'noc2016_concordance' as title_source
    from unchanged_in_2021
    where noc_code not in (
        select noc_code from known_titles where noc_version = '2021'
    )
)

select * from titles
