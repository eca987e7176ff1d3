{#- A whole number stored under `key` in a JSON text; null when absent or not a number. -#}
{% macro json_integer(json_text, key) -%}
{{ return(adapter.dispatch('json_integer')(json_text, key)) }}
{%- endmacro %}

{% macro default__json_integer(json_text, key) -%}
try_cast(json_extract_string({{ json_text }}, '$.{{ key }}') as integer)
{%- endmacro %}

{% macro postgres__json_integer(json_text, key) -%}
case when (cast({{ json_text }} as jsonb) ->> '{{ key }}') ~ '^-?[0-9]+$'
    then cast(cast({{ json_text }} as jsonb) ->> '{{ key }}' as integer) end
{%- endmacro %}
