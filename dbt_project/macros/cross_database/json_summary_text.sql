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

{#- One row per top-level entry of a JSON object column: (id, summary_key, summary_value),
    the value as text. For labelling the entries with a seed (ops_latest_runs). -#}
{% macro json_summary_entries(relation, id_column, json_column) -%}
{{ return(adapter.dispatch('json_summary_entries')(relation, id_column, json_column)) }}
{%- endmacro %}

{% macro default__json_summary_entries(relation, id_column, json_column) -%}
select
    {{ id_column }},
    summary_entry.key as summary_key,
    summary_entry.value ->> '$' as summary_value
from (
    select
        {{ id_column }},
        unnest(map_entries(json_transform({{ json_column }}, '"MAP(VARCHAR, JSON)"')))
            as summary_entry
    from {{ relation }}
    where {{ json_column }} is not null
) as entries
{%- endmacro %}

{% macro postgres__json_summary_entries(relation, id_column, json_column) -%}
select
    {{ relation }}.{{ id_column }},
    summary_entry.key as summary_key,
    summary_entry.value as summary_value
from {{ relation }}
cross join lateral jsonb_each_text(cast({{ relation }}.{{ json_column }} as jsonb)) as summary_entry
where {{ relation }}.{{ json_column }} is not null
{%- endmacro %}
