-- IRCC: TFWP work permit holders on December 31, by province and program, with the
-- province's 'Total' row as IRCC prints it (people counted once; rounded to 5, so the
-- programs may not add up to it). `--` (0 to 5) stays suppressed: holders null.
with

holders as (
    select * from {{ ref('stg_context__permit_holders') }}
    where sub_program is null and province is not null
),

final as (
    select
        year,
        province,
        program,
        holders,
        is_suppressed,
        source
    from holders
)

select * from final
