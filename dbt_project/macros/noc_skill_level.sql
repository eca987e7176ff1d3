{#- NOC 2011 and 2016 skill level of a 4-digit unit group code. Management (first digit 0)
    is `0`; otherwise the second digit gives the level: 0-1 A (0 only in major groups 30 and
    40, nursing and education professionals), 2-3 B, 4-5 C, 6-7 D. Null for anything else,
    NOC 2021 codes included (they have TEER instead). -#}
{% macro noc_skill_level(noc_code) -%}
case
    when not {{ re_full_match("coalesce(" ~ noc_code ~ ", '')", '[0-9]{4}') }} then null
    when left({{ noc_code }}, 1) = '0' then '0'
    when substr({{ noc_code }}, 2, 1) in ('0', '1') then 'A'
    when substr({{ noc_code }}, 2, 1) in ('2', '3') then 'B'
    when substr({{ noc_code }}, 2, 1) in ('4', '5') then 'C'
    when substr({{ noc_code }}, 2, 1) in ('6', '7') then 'D'
end
{%- endmacro %}
