{#- Fails on non-null values that do not match a regular expression (RE2 syntax). -#}
{% test matches_pattern(model, column_name, pattern) %}
select {{ column_name }}
from {{ model }}
where {{ column_name }} is not null
    and not {{ re_matches(column_name, pattern) }}
{% endtest %}
