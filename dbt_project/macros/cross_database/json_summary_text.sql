{#- A JSON object's top-level entries as "key: value, …" (keys sorted); null when empty.
    The run journal's summaries differ per flow: the mart shows them without naming keys. -#}
{% macro json_summary_text(json_text) -%}
{{ return(adapter.dispatch('json_summary_text')(json_text)) }}
{%- endmacro %}

{% macro default__json_summary_text(json_text) -%}
nullif(array_to_string(
    list_transform(
        map_entries(json_transform({{ json_text }}, '"MAP(VARCHAR, JSON)"')),
        lambda summary_entry: summary_entry.key || ': '
            || coalesce(summary_entry.value ->> '$', 'null')
    ),
    ', '
), '')
{%- endmacro %}

{% macro postgres__json_summary_text(json_text) -%}
(select nullif(string_agg(entry.key || ': ' || coalesce(entry.value, 'null'), ', '
                          order by entry.key), '')
 from jsonb_each_text(cast({{ json_text }} as jsonb)) as entry)
{%- endmacro %}
