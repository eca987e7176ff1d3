{{ config(severity='warn') }}
-- Quebec rows placed nowhere, not even in a region. A warning, not an error: one
-- unreadable address should not stop the quarterly build; it is listed in
-- marts.lmia_unplaced_addresses for maintainers.
select
    lmia_position_id,
    address,
    postal_code,
    approved_positions
from {{ ref('fct_lmia_positions') }}
where province_code = 'QC'
    and region_code is null
