-- IRCC: TFWP work permit holders on December 31, by province, program and year.
-- label_2 null: a program (or the province's 'Total'); otherwise one of its sub-programs.
with

cells as (
    select * from {{ ref('stg_context__cells') }}
    where table_kind = 'ircc_tfwp_permit_holders'
),

renamed as (
    select
        cast(period as integer) as year,
        province,
        label_1 as program,
        label_2 as sub_program,
        value as holders,
        is_suppressed,
        is_total,
        source
    from cells
)

select * from renamed
