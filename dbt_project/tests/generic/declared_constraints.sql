{#- The constraints a model's or a source table's YAML declares, checked by one test node:
    each column's `constraints` of type not_null, unique or check (`expression`, true or
    null on every row: `language in ('en', 'fr')` lets a null through, as accepted_values
    does), and the table's own `constraints` of type unique over `columns` (nulls count as
    equal values there, so a null dimension is still checked) or check. dbt spends about
    25 ms on every test node whatever its query; one node per table instead of one per
    column and constraint took 270 nodes out of every build (issue 16), and the not-null
    and check counts come from a single scan.

    No model enforces a contract, so dbt itself creates nothing from these declarations:
    this test is what checks them. It fails with one row per broken constraint: its type,
    its columns (or expression), and how many rows break it (not_null, check) or how many
    values repeat (unique); flows/warehouse/dbt.py puts those rows in the build's error. -#}
{% test declared_constraints(model) %}
{%- set scanned = [] -%}
{%- set unique = [] -%}
{%- set checked = [] -%}
{%- if execute -%}
    {%- set tables = (graph.nodes.values()
            | selectattr("resource_type", "in", ["model", "seed", "snapshot"])
            | selectattr("alias", "equalto", model.identifier) | list)
        + (graph.sources.values() | selectattr("identifier", "equalto", model.identifier)
            | list) -%}
    {%- set tables = tables | selectattr("schema", "equalto", model.schema) | list -%}
    {%- if tables | length != 1 -%}
        {{ exceptions.raise_compiler_error("declared_constraints: no single table for " ~ model) }}
    {%- endif -%}
    {%- for column in tables[0].columns.values() -%}
        {%- for constraint in column.constraints -%}
            {%- if constraint.type == "not_null" -%}
                {%- do scanned.append(("not_null", column.name,
                    "count(*) - count(" ~ adapter.quote(column.name) ~ ")")) -%}
            {%- elif constraint.type == "unique" -%}
                {%- do unique.append([column.name]) -%}
            {%- elif constraint.type == "check" -%}
                {%- do checked.append(constraint.expression) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for constraint in tables[0].constraints -%}
        {%- if constraint.type == "unique" -%}
            {%- do unique.append(constraint.columns) -%}
        {%- elif constraint.type == "check" -%}
            {%- do checked.append(constraint.expression) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- for expression in checked -%}
        {%- do scanned.append(("check", expression,
            "count(*) filter (where not (" ~ expression ~ "))")) -%}
    {%- endfor -%}
    {%- if not scanned and not unique -%}
        {{ exceptions.raise_compiler_error("declared_constraints on " ~ model
            ~ ": it declares no not_null, unique or check constraint") }}
    {%- endif -%}
{%- endif -%}
{%- set checks = [] -%}
{%- for kind, what, counted in scanned -%}
    {%- do checks.append("select '" ~ kind ~ "' as constraint_type, '" ~ what | replace("'", "''")
        ~ "' as constraint_columns, " ~ adapter.quote("broken_" ~ loop.index)
        ~ " as failing from counted") -%}
{%- endfor -%}
{%- for columns in unique -%}
    {%- set quoted = [] -%}
    {%- for column in columns -%}{%- do quoted.append(adapter.quote(column)) -%}{%- endfor -%}
    {%- set listed = quoted | join(", ") -%}
    {%- set not_null_filter = "where " ~ adapter.quote(columns[0]) ~ " is not null"
        if columns | length == 1 else "" -%}
    {%- do checks.append("select 'unique' as constraint_type, '" ~ columns | join(", ")
        ~ "' as constraint_columns, count(*) as failing from (select " ~ listed ~ " from "
        ~ model ~ " " ~ not_null_filter ~ " group by " ~ listed
        ~ " having count(*) > 1) as repeated") -%}
{%- endfor %}
with counted as (
    select
        count(*) as row_count
        {%- for kind, what, counted in scanned %},
        {{ counted }} as {{ adapter.quote("broken_" ~ loop.index) }}
        {%- endfor %}
    from {{ model }}
),

checks as (
    {{ checks | join("\n    union all\n    ") if checks else
       "select 'none' as constraint_type, '' as constraint_columns, 0 as failing" }}
)

select * from checks where failing > 0
{% endtest %}
