{#- NOC 2021 TEER (training, education, experience and responsibilities) of a 5-digit unit
    group code: its second digit, 0 (management) to 5. Null for 4-digit codes. -#}
{% macro noc_teer(noc_code) -%}
case
    when {{ re_full_match("coalesce(" ~ noc_code ~ ", '')", '[0-9][0-5][0-9]{3}') }}
        then cast(substr({{ noc_code }}, 2, 1) as integer)
end
{%- endmacro %}
