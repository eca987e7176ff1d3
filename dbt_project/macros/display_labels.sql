{#- The word a screen shows for one of the platform's codes: ref_display_labels is the one
    place for these labels (issue 17); marts call this, dashboards read the column. Null
    when the code is null or not in the vocabulary (the caller decides the fallback). -#}
{% macro label_fr(vocabulary, code) -%}
(select display_labels.label_fr from {{ ref('ref_display_labels') }} as display_labels
 where display_labels.vocabulary = '{{ vocabulary }}' and display_labels.code = {{ code }})
{%- endmacro %}

{#- The order a screen lists a vocabulary's codes in (failures first, provinces east to west). -#}
{% macro label_order(vocabulary, code) -%}
(select display_labels.sort_order from {{ ref('ref_display_labels') }} as display_labels
 where display_labels.vocabulary = '{{ vocabulary }}' and display_labels.code = {{ code }})
{%- endmacro %}

{#- A period as people write it: `2025-T1` (trimestre), or the year of an annual list. -#}
{% macro period_label_fr(kind, year, quarter) -%}
case when {{ kind }} = 'annual' then cast({{ year }} as varchar)
     else cast({{ year }} as varchar) || '-T' || cast({{ quarter }} as varchar) end
{%- endmacro %}
