-- IRCC: admissions of new permanent residents who held a TFWP work permit, by month,
-- province and immigration category, with the province's 'Total' row as IRCC prints it.
-- People, rounded to 5; `--` (0 to 5) stays suppressed: admissions null.
with

admissions as (
    select * from {{ ref('stg_context__pr_admissions') }}
    where sub_category is null and province is not null
),

final as (
    select
        period_start,
        province,
        category,
        coalesce({{ label_fr('immigration_category', 'category') }}, category) as category_fr,
        admissions,
        is_suppressed,
        source
    from admissions
)

select * from final
