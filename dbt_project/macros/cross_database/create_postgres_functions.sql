{#- Run by on-run-start (dbt_project.yml). On PostgreSQL: the contrib extensions the models
    use (unaccent for strip_accents, fuzzystrmatch for levenshtein; both are "trusted", so
    a user with CREATE on the database may add them) and jaro_winkler_similarity, which
    PostgreSQL does not have, written to give DuckDB's results (rapidfuzz's algorithm:
    match window max(len)/2 - 1, prefix bonus of up to 4 characters when Jaro > 0.7).
    Nothing on DuckDB. -#}
{% macro create_postgres_functions() -%}
{{ return(adapter.dispatch('create_postgres_functions')()) }}
{%- endmacro %}

{% macro default__create_postgres_functions() -%}
select 1
{%- endmacro %}

{% macro postgres__create_postgres_functions() -%}
create extension if not exists unaccent;
create extension if not exists fuzzystrmatch;
create or replace function jaro_winkler_similarity(s1 text, s2 text)
returns double precision
language plpgsql immutable strict parallel safe
as $jaro_winkler$
declare
    len1 integer := char_length(s1);
    len2 integer := char_length(s2);
    chars1 text[] := regexp_split_to_array(s1, '');
    chars2 text[] := regexp_split_to_array(s2, '');
    window_size integer := greatest(greatest(len1, len2) / 2 - 1, 0);
    matched1 boolean[] := array_fill(false, array[greatest(len1, 1)]);
    matched2 boolean[] := array_fill(false, array[greatest(len2, 1)]);
    matches integer := 0;
    transpositions integer := 0;
    prefix integer := 0;
    position2 integer := 1;
    jaro double precision;
begin
    if len1 = 0 or len2 = 0 then
        return 0.0;
    end if;
    for i in 1..len1 loop
        for j in greatest(1, i - window_size)..least(len2, i + window_size) loop
            if not matched2[j] and chars1[i] = chars2[j] then
                matched1[i] := true;
                matched2[j] := true;
                matches := matches + 1;
                exit;
            end if;
        end loop;
    end loop;
    if matches = 0 then
        return 0.0;
    end if;
    for i in 1..len1 loop
        if matched1[i] then
            while not matched2[position2] loop
                position2 := position2 + 1;
            end loop;
            if chars1[i] <> chars2[position2] then
                transpositions := transpositions + 1;
            end if;
            position2 := position2 + 1;
        end if;
    end loop;
    jaro := (matches::double precision / len1 + matches::double precision / len2
             + (matches - transpositions / 2)::double precision / matches) / 3;
    if jaro > 0.7 then
        while prefix < least(4, len1, len2) and chars1[prefix + 1] = chars2[prefix + 1] loop
            prefix := prefix + 1;
        end loop;
        jaro := jaro + prefix * 0.1 * (1 - jaro);
    end if;
    return jaro;
end
$jaro_winkler$
{%- endmacro %}
