-- No cell of the public aggregate shows fewer than `public_min_positions` positions.
select *
from {{ ref('tmw_by_territory_public') }}
where (is_suppressed and coalesce(approved_positions, approved_lmias, employers) is not null)
    or (not is_suppressed and approved_positions < {{ var('public_min_positions') }})
