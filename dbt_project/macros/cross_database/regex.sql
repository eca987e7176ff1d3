{#- Regular expressions on both targets. Models write DuckDB's (RE2) patterns, as Jinja
    strings with doubled backslashes (`'\\b'`). PostgreSQL's engine reads the same patterns
    except for the word boundary, `\y` there (`\b` is a backspace). Patterns are literals:
    they are translated when the model compiles, never at query time. -#}

{% macro postgres_pattern(pattern) -%}
{{ pattern | replace('\\b', '\\y') }}
{%- endmacro %}

{#- The capture group `group` of the first match; '' when nothing matches (DuckDB's
    regexp_extract), null when the string is null. -#}
{% macro re_extract(string, pattern, group=0, flags='') -%}
{{ return(adapter.dispatch('re_extract')(string, pattern, group, flags)) }}
{%- endmacro %}

{% macro default__re_extract(string, pattern, group, flags) -%}
regexp_extract({{ string }}, '{{ pattern }}', {{ group }}{% if flags %}, '{{ flags }}'{% endif %})
{%- endmacro %}

{% macro postgres__re_extract(string, pattern, group, flags) -%}
coalesce(
    regexp_substr({{ string }}, '{{ postgres_pattern(pattern) }}', 1, 1, '{{ flags }}', {{ group }}),
    case when {{ string }} is not null then '' end
)
{%- endmacro %}

{#- True when the pattern matches anywhere in the string. -#}
{% macro re_matches(string, pattern) -%}
{{ return(adapter.dispatch('re_matches')(string, pattern)) }}
{%- endmacro %}

{% macro default__re_matches(string, pattern) -%}
regexp_matches({{ string }}, '{{ pattern }}')
{%- endmacro %}

{% macro postgres__re_matches(string, pattern) -%}
({{ string }} ~ '{{ postgres_pattern(pattern) }}')
{%- endmacro %}

{#- True when the pattern matches the whole string. -#}
{% macro re_full_match(string, pattern) -%}
{{ return(adapter.dispatch('re_full_match')(string, pattern)) }}
{%- endmacro %}

{% macro default__re_full_match(string, pattern) -%}
regexp_full_match({{ string }}, '{{ pattern }}')
{%- endmacro %}

{% macro postgres__re_full_match(string, pattern) -%}
({{ string }} ~ '^(?:{{ postgres_pattern(pattern) }})$')
{%- endmacro %}

{#- regexp_replace with the pattern translated; flags 'g' replaces every match. -#}
{% macro re_replace(string, pattern, replacement, flags='') -%}
{{ return(adapter.dispatch('re_replace')(string, pattern, replacement, flags)) }}
{%- endmacro %}

{% macro default__re_replace(string, pattern, replacement, flags) -%}
regexp_replace({{ string }}, '{{ pattern }}', '{{ replacement }}'{% if flags %}, '{{ flags }}'{% endif %})
{%- endmacro %}

{% macro postgres__re_replace(string, pattern, replacement, flags) -%}
regexp_replace({{ string }}, '{{ postgres_pattern(pattern) }}', '{{ replacement }}'{% if flags %}, '{{ flags }}'{% endif %})
{%- endmacro %}
