{#- Squared distance in degrees of latitude between two relations' latitude/longitude,
    longitude scaled by the cosine of latitude. Only for ranking nearby points in Quebec,
    where this flat approximation keeps the order of true distances. -#}
{% macro squared_distance(left_relation, right_relation) -%}
(
    power({{ left_relation }}.latitude - {{ right_relation }}.latitude, 2)
    + power(
        ({{ left_relation }}.longitude - {{ right_relation }}.longitude)
        * cos(radians({{ left_relation }}.latitude)),
        2
    )
)
{%- endmacro %}
