-- IRCC: new permanent residents who held a TFWP work permit, by province, immigration
-- category and month. label_2 null: a category (or the province's 'Total').
with

cells as (
    select * from {{ ref('stg_context__cells') }}
    where table_kind = 'ircc_tfwp_to_permanent_residence'
),

renamed as (
    select
        cast(period || '-01' as date) as period_start,
        province,
        label_1 as category,
        label_2 as sub_category,
        value as admissions,
        is_suppressed,
        is_total,
        source
    from cells
)

select * from renamed
