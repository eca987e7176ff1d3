{#- Aggregates DuckDB has and PostgreSQL 15 does not. -#}

{#- The value at the row where `ordering` is largest (smallest for arg_min). Like DuckDB's,
    rows where either is null are ignored. Ties go to the smallest `tie_breaker` when one is
    given, else to any of the tied rows. PostgreSQL cannot collect arrays of different
    lengths into one, so an array value (`array_value=true`) travels as text. -#}
{% macro arg_max(value, ordering, array_value=false) -%}
{{ return(adapter.dispatch('arg_max')(value, ordering, 'desc', array_value, none)) }}
{%- endmacro %}

{% macro arg_min(value, ordering, tie_breaker=none) -%}
{{ return(adapter.dispatch('arg_max')(value, ordering, 'asc', false, tie_breaker)) }}
{%- endmacro %}

{% macro default__arg_max(value, ordering, direction, array_value, tie_breaker) -%}
{%- set function = 'arg_max' if direction == 'desc' else 'arg_min' -%}
{%- if tie_breaker -%}
{{ function }}({{ value }}, ({{ ordering }}, {{ tie_breaker }})) filter (where {{ ordering }} is not null)
{%- else -%}
{{ function }}({{ value }}, {{ ordering }})
{%- endif -%}
{%- endmacro %}

{% macro postgres__arg_max(value, ordering, direction, array_value, tie_breaker) -%}
{%- set collected = "array_to_string(" ~ value ~ ", chr(31))" if array_value else value -%}
{%- set first -%}
(array_agg({{ collected }} order by {{ ordering }} {{ direction }}{% if tie_breaker %}, {{ tie_breaker }}{% endif %})
    filter (where {{ value }} is not null and {{ ordering }} is not null))[1]
{%- endset -%}
{{ "string_to_array(" ~ first ~ ", chr(31))" if array_value else first }}
{%- endmacro %}

{#- Any one value of the group, where all are known to be equal. -#}
{% macro any_value(value) -%}
{{ return(adapter.dispatch('any_value')(value)) }}
{%- endmacro %}

{% macro default__any_value(value) -%}
any_value({{ value }})
{%- endmacro %}

{% macro postgres__any_value(value) -%}
min({{ value }})
{%- endmacro %}

{#- The distinct values of the group, sorted, joined with `delimiter`; `where` keeps only
    some rows. Null when no row has a value. -#}
{% macro sorted_distinct_list(value, delimiter, where=none) -%}
{{ return(adapter.dispatch('sorted_distinct_list')(value, delimiter, where)) }}
{%- endmacro %}

{% macro default__sorted_distinct_list(value, delimiter, where) -%}
array_to_string(list_sort(list(distinct {{ value }}){% if where %} filter (where {{ where }}){% endif %}), '{{ delimiter }}')
{%- endmacro %}

{% macro postgres__sorted_distinct_list(value, delimiter, where) -%}
string_agg(distinct {{ value }}, '{{ delimiter }}' order by {{ value }}){% if where %} filter (where {{ where }}){% endif %}
{%- endmacro %}
