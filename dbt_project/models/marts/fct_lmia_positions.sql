-- One row per source row of the counted LMIA files, all provinces; Quebec rows placed in a
-- municipality, MRC and region. Approved positions are positions, not workers.
with

classified_rows as (
    select * from {{ ref('int_lmia_rows_classified') }}
),

positions as (
    select
        {{ surrogate_key(['file_sha256', 'sheet', 'source_row']) }} as lmia_position_id,
        file_sha256,
        sheet,
        source_row,
        period_year,
        period_quarter,
        period_kind,
        {{ period_label_fr('period_kind', 'period_year', 'period_quarter') }} as period_label_fr,
        period_start,
        language,
        province,
        province_code,
        program_stream,
        program_stream_label_fr,
        program_stream_label_en,
        employer_name,
        address,
        postal_code,
        municipality_code,
        municipality_name,
        coalesce(municipality_name, 'Municipalité non déterminée') as municipality_label_fr,
        mrc_code,
        mrc_name,
        region_code,
        region_name,
        coalesce(region_name, 'Lieu non déterminé') as region_label_fr,
        latitude,
        longitude,
        geo_precision,
        geo_method,
        noc_version,
        noc_code,
        noc_title_fr,
        noc_title_en,
        occupation_label_fr,
        noc_classification_fr,
        skill_level,
        skill_level_label_fr,
        teer,
        teer_label_fr,
        broad_category,
        broad_category_label_fr,
        broad_category_label_en,
        incorporate_status,
        approved_lmias,
        approved_positions,
        source_file
    from classified_rows
)

select * from positions
