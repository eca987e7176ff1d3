-- Every row with a well-formed occupation code has a title, a broad category and the
-- level its NOC version defines (skill level for 2011, TEER for 2021).
select
    lmia_position_id,
    noc_version,
    noc_code
from {{ ref('fct_lmia_positions') }}
where {{ re_full_match("coalesce(noc_code, '')", '[0-9]{4,5}') }}
    and (
        coalesce(noc_title_en, noc_title_fr) is null
        or broad_category_label_en is null
        or (noc_version = '2011' and skill_level is null)
        or (noc_version = '2021' and teer is null)
    )
