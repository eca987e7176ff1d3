{#- A fraction. DuckDB's `/` divides integers as doubles; PostgreSQL's truncates, so the
    numerator is cast there first. -#}
{% macro divide(numerator, denominator) -%}
{{ return(adapter.dispatch('divide')(numerator, denominator)) }}
{%- endmacro %}

{% macro default__divide(numerator, denominator) -%}
{{ numerator }} / {{ denominator }}
{%- endmacro %}

{% macro postgres__divide(numerator, denominator) -%}
(cast({{ numerator }} as double precision) / {{ denominator }})
{%- endmacro %}
