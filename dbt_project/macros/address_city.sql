{#- City part of a Quebec address: the comma-separated segment just before the province
    code. Works for `Lévis, QC G6W 5N6` (2016 on) and for full street addresses such as
    `2650 Gouin Boulevard West, Montreal, QC  H3M 1B4` (2015 employer format).
    segments_before=1 gives the segment before that one (`St-Laurent,Ile d'Orléans, QC`). -#}
{% macro address_city(address, segments_before=0) -%}
{%- set pattern -%}
([^,]*[^,\s][^,]*)(?:,\s*)+{% for _ in range(segments_before) %}[^,]*,\s*{% endfor %}(?:QC|PQ)\b[^,]*$
{%- endset -%}
nullif(trim({{ re_extract(address, pattern, 1, 'i') }}), '')
{%- endmacro %}
