{#- Use custom schema names as written (`marts`, not `main_marts`): Superset, the checks
    and the publish step query fixed schema names. Models without one use the target's. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
