{#- Key for comparing place names as people type them: `St-Jean-sur-Richelieu`,
    `SAINT JEAN SUR RICHELIEU` and `Ville de Saint-Jean-sur-Richelieu` all become
    `saint jean sur richelieu`. Case, accents, punctuation and remarks in brackets do not
    count; the usual short forms are spelled out (`St`, `Ste`, `Sts`, `Mt`, `N.-D.`,
    `Riv.`, and `I.O.` for Île d'Orléans); an administrative prefix (`Ville de`,
    `City of`, `Municipalité de`, ...) is dropped. Null or blank gives null. -#}
{% macro normalize_place_name(expression) -%}
{%- set short_forms = [
    ('st', 'saint'), ('ste', 'sainte'), ('sts', 'saints'), ('mt', 'mont'),
    ('n d', 'notre dame'), ('n dame', 'notre dame'), ('riv', 'riviere'),
    ('i o', 'ile d orleans'),
] -%}
{%- set words -%}
trim({{ re_replace(
    re_replace(
        "lower(" ~ strip_accents("replace(replace(" ~ expression ~ ", 'œ', 'oe'), 'Œ', 'Oe')") ~ ")",
        '\\([^)]*\\)', ' ', 'g'
    ),
    '[^a-z0-9]+', ' ', 'g'
) }})
{%- endset -%}
{%- set expanded = namespace(sql=words) -%}
{%- for short, long in short_forms -%}
    {%- set expanded.sql = re_replace(expanded.sql, '\\b' ~ short ~ '\\b', long, 'g') -%}
{%- endfor -%}
nullif(
    {{ re_replace(
        expanded.sql,
        '^(ville|city|town|municipalite|paroisse|canton|village) (de|du|des|d|of) ',
        ''
    ) }},
    ''
)
{%- endmacro %}
