{#- The constraints a model's YAML declares, checked by one test node: each column's
    `constraints` of type not_null or unique, and the model's `constraints` of type unique
    over `columns` (nulls count as equal values there, so a null dimension is still
    checked). dbt spends about 25 ms on every test node whatever its query; one node per
    model instead of one per column and constraint took 200 nodes out of every build
    (issue 16), and the not-null counts come from a single scan of the model.

    No model enforces a contract, so dbt itself creates nothing from these declarations:
    this test is what checks them. It fails with one row per broken constraint: its type,
    its columns, and how many rows are null (not_null) or how many values repeat (unique);
    flows/warehouse/dbt.py puts those rows in the build's error. -#}
{% test declared_constraints(model) %}
{%- set not_null = [] -%}
{%- set unique = [] -%}
{%- if execute -%}
    {%- set nodes = graph.nodes.values()
        | selectattr("resource_type", "in", ["model", "seed", "snapshot"])
        | selectattr("schema", "equalto", model.schema)
        | selectattr("alias", "equalto", model.identifier) | list -%}
    {%- if nodes | length != 1 -%}
        {{ exceptions.raise_compiler_error("declared_constraints: no single node for " ~ model) }}
    {%- endif -%}
    {%- for column in nodes[0].columns.values() -%}
        {%- for constraint in column.constraints -%}
            {%- if constraint.type == "not_null" -%}
                {%- do not_null.append(column.name) -%}
            {%- elif constraint.type == "unique" -%}
                {%- do unique.append([column.name]) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- for constraint in nodes[0].constraints if constraint.type == "unique" -%}
        {%- do unique.append(constraint.columns) -%}
    {%- endfor -%}
    {%- if not not_null and not unique -%}
        {{ exceptions.raise_compiler_error("declared_constraints on " ~ model
            ~ ": the model declares no not_null or unique constraint") }}
    {%- endif -%}
{%- endif -%}
{%- set checks = [] -%}
{%- for column in not_null -%}
    {%- do checks.append("select 'not_null' as constraint_type, '" ~ column
        ~ "' as constraint_columns, row_count - " ~ adapter.quote("filled_" ~ loop.index)
        ~ " as failing from counted") -%}
{%- endfor -%}
{%- for columns in unique -%}
    {%- set quoted = [] -%}
    {%- for column in columns -%}{%- do quoted.append(adapter.quote(column)) -%}{%- endfor -%}
    {%- set listed = quoted | join(", ") -%}
    {%- set not_null_filter = "where " ~ adapter.quote(columns[0]) ~ " is not null"
        if columns | length == 1 else "" -%}
    {%- do checks.append("select 'unique' as constraint_type, '" ~ columns | join(", ")
        ~ "' as constraint_columns, count(*) as failing from (select " ~ listed ~ " from " ~ model ~ " " ~ not_null_filter
        ~ " group by " ~ listed ~ " having count(*) > 1) as repeated") -%}
{%- endfor %}
with counted as (
    select
        count(*) as row_count
        {%- for column in not_null %},
        count({{ adapter.quote(column) }}) as {{ adapter.quote("filled_" ~ loop.index) }}
        {%- endfor %}
    from {{ model }}
),

checks as (
    {{ checks | join("\n    union all\n    ") if checks else
       "select 'none' as constraint_type, '' as constraint_columns, 0 as failing" }}
)

select * from checks where failing > 0
{% endtest %}
