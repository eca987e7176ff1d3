{#- Stable text key from several columns (dbt_utils is not installable offline).
    Nulls become an empty string so a null sheet (CSV files) still gives a key. -#}
{% macro surrogate_key(columns) -%}
md5(concat_ws('|'{% for column in columns %}, coalesce(cast({{ column }} as varchar), ''){% endfor %}))
{%- endmacro %}
