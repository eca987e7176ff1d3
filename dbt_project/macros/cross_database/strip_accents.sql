{#- `é` → `e`: DuckDB's strip_accents, PostgreSQL's unaccent extension (created by
    create_postgres_functions). -#}
{% macro strip_accents(string) -%}
{{ return(adapter.dispatch('strip_accents')(string)) }}
{%- endmacro %}

{% macro default__strip_accents(string) -%}
strip_accents({{ string }})
{%- endmacro %}

{% macro postgres__strip_accents(string) -%}
unaccent({{ string }})
{%- endmacro %}
