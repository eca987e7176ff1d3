-- One row per counted period: its Quebec positions, the share placed in a municipality
-- and what tmw_by_territory adds up to. The mart checkpoint holds each period to
-- `min_quebec_municipality_share` on its own, so a bad quarter cannot hide behind good ones.
with

positions as (
    select * from {{ ref('fct_lmia_positions') }}
),

territory as (
    select * from {{ ref('tmw_by_territory') }}
),

periods as (
    select distinct period_kind, period_start from positions
),

quebec_per_period as (
    select
        period_kind,
        period_start,
        sum(approved_positions) as quebec_positions,
        {{ divide(
            "sum(approved_positions) filter (where geo_precision in ('postal_code', 'municipality'))",
            'sum(approved_positions)'
        ) }} as municipality_share
    from positions
    where province_code = 'QC'
    group by period_kind, period_start
),

territory_per_period as (
    select
        period_kind,
        period_start,
        sum(approved_positions) as territory_positions
    from territory
    group by period_kind, period_start
),

checked_periods as (
    select
        periods.period_kind,
        cast(periods.period_start as varchar) as period_start,
        cast(coalesce(quebec_per_period.quebec_positions, 0) as bigint) as quebec_positions,
        cast(coalesce(territory_per_period.territory_positions, 0) as bigint) as territory_positions,
        quebec_per_period.municipality_share
    from periods
    left join quebec_per_period
        on periods.period_kind = quebec_per_period.period_kind
        and periods.period_start = quebec_per_period.period_start
    left join territory_per_period
        on periods.period_kind = territory_per_period.period_kind
        and periods.period_start = territory_per_period.period_start
)

select * from checked_periods
