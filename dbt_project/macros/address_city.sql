{#- City part of a Quebec address: the comma-separated segment just before the province
    code. Works for `Lévis, QC G6W 5N6` (2016 on) and for full street addresses such as
    `2650 Gouin Boulevard West, Montreal, QC  H3M 1B4` (2015 employer format).
    segments_before=1 gives the segment before that one (`St-Laurent,Ile d'Orléans, QC`).
    Addresses with no province code, or with text after it, are read from the end instead:
    the trailing province code, postal code (spaced, unspaced or truncated), `Canada` and
    punctuation are dropped and the last segment left is the city (`QUÉBEC, G1K8L4`,
    `St-Lazare,QC, J7T2B8`, `Ile Perrot, J7V4X4`, `Gatineau QC J8T 5Y2`). The first
    reading is kept wherever it finds a city, so those addresses read as they always did. -#}
{% macro address_city(address, segments_before=0) -%}
{%- set segment = '[^,]*[^,\\s][^,]*' -%}
{%- set before_province -%}
({{ segment }})(?:,\s*)+{% for _ in range(segments_before) %}[^,]*,\s*{% endfor %}(?:QC|PQ)\b[^,]*$
{%- endset -%}
{%- set trailing_codes = '(?:[\\s,.;:/-]|\\b(?:QC|PQ|P\\.Q|CANADA|CA)\\b|\\b[A-Z][0-9][A-Z]\\s*(?:[0-9](?:[A-Z][0-9]?)?)?\\b)*$' -%}
{%- set from_the_end -%}
({{ segment }}){% for _ in range(segments_before) %}(?:,\s*)+{{ segment }}{% endfor %}$
{%- endset -%}
coalesce(
    nullif(trim({{ re_extract(address, before_province, 1, 'i') }}), ''),
    nullif(trim({{ re_extract(re_replace(address, trailing_codes, '', 'i'), from_the_end, 1) }}), '')
)
{%- endmacro %}
