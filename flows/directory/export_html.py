"""The printable directory, in French: one page per administrative region with the
synoptic table of its organizations, then the synthesis of services offered and missing.

Read from the marts of the working database after `dbt build`. Organizations that are
inactive or not to be referred are left out; temporarily closed ones are listed, marked.
"""
from __future__ import annotations

from datetime import date
from html import escape
from pathlib import Path

import duckdb

from .text import key

ACCESS = {"yes": "Oui", "partial": "Partiel", "no": "Non", None: "Non précisé"}
STYLE = """
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 10pt; margin: 1.5em; }
h1 { font-size: 16pt; margin-bottom: 0; } h2 { font-size: 13pt; margin-top: 1.5em; }
p.meta { color: #555; margin-top: .2em; }
table { border-collapse: collapse; width: 100%; } thead { display: table-header-group; }
th, td { border: 1px solid #888; padding: 4px 6px; vertical-align: top; text-align: left; }
th { background: #e8e8e8; } tr { page-break-inside: avoid; }
td.missing { color: #a00; font-weight: bold; } .closed { color: #a00; }
@page { size: landscape; margin: 1.2cm; }
@media print { a { color: inherit; text-decoration: none; } }
"""


def write_directory_html(con: duckdb.DuckDBPyConnection, folder: Path, today: date) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    labels = _labels(con)
    regions = con.sql("select region_code, region_name_fr from reference.ref_quebec_regions "
                      "order by region_code").fetchall()
    index_rows = []
    for code, name in regions:
        organizations = _organizations(con, code)
        synthesis = con.execute(
            """select service_label_fr, organizations_offering, is_missing
               from marts.region_service_synthesis where region_code = ?
               order by is_missing, service_label_fr""", [code]).fetchall()
        page = folder / f"region-{code}-{key(name).replace(' ', '-')}.html"
        page.write_text(_page(code, name, organizations, synthesis, labels, today),
                        encoding="utf-8")
        missing = sum(1 for *_, is_missing in synthesis if is_missing)
        index_rows.append(f"<tr><td>{code}</td><td><a href=\"{page.name}\">{escape(name)}</a>"
                          f"</td><td>{len(organizations)}</td><td>{missing}</td></tr>")
    index = folder / "index.html"
    index.write_text(_document(
        "Répertoire des ressources en immigration",
        f"<h1>Répertoire des ressources en immigration</h1>{_meta(today)}"
        "<table><thead><tr><th>Code</th><th>Région administrative</th><th>Organismes</th>"
        "<th>Services manquants</th></tr></thead><tbody>" + "".join(index_rows)
        + "</tbody></table>"), encoding="utf-8")
    return index


def _labels(con) -> dict[str, dict[str, str]]:
    def pairs(sql: str) -> dict[str, str]:
        return dict(con.sql(sql).fetchall())

    return {
        "services": pairs("select service_code, label_fr from reference.ref_directory_services"),
        "populations": pairs("select population_code, label_fr "
                             "from reference.ref_directory_populations"),
        "languages": pairs("select language_code, name_fr from reference.ref_iso_639_languages"),
    }


def _organizations(con, region_code: str) -> list[dict]:
    relation = con.sql(f"""
        with other_locations as (
            select organization_id, list(concat_ws(', ', address,
                concat_ws(' ', municipality_name, postal_code)) order by location_position)
                as other_addresses
            from staging.stg_directory__locations
            where location_position > 1
            group by organization_id
        )
        select organizations.*, other_locations.other_addresses
        from marts.directory_organizations as organizations
        left join other_locations using (organization_id)
        where organizations.status in ('active', 'temporarily_closed')
            and list_contains(string_split(organizations.region_codes, ','), '{region_code}')
        order by organizations.name""")
    return [dict(zip(relation.columns, row)) for row in relation.fetchall()]


def _page(code, name, organizations, synthesis, labels, today) -> str:
    rows = "".join(_organization_row(organization, labels) for organization in organizations)
    if not rows:
        rows = "<tr><td colspan=\"7\">Aucun organisme répertorié dans cette région.</td></tr>"
    offered = "".join(f"<tr><td>{escape(label)}</td><td>{count}</td><td>Offert</td></tr>"
                      for label, count, missing in synthesis if not missing)
    missing = "".join(f"<tr><td>{escape(label)}</td><td>0</td><td class=\"missing\">Manquant"
                      "</td></tr>" for label, _, is_missing in synthesis if is_missing)
    body = (
        f"<h1>{escape(name)} ({code})</h1>{_meta(today)}"
        "<h2>Organismes</h2><table><thead><tr><th>Organisme</th><th>Coordonnées</th>"
        "<th>Accessibilité en fauteuil roulant</th><th>Heures d'ouverture</th>"
        "<th>Langues parlées</th><th>Services</th><th>Clientèle</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
        "<h2>Synthèse des services</h2><p>Organismes actifs de la région offrant chaque "
        "service du vocabulaire; « manquant » : aucun organisme ne l'offre.</p>"
        "<table><thead><tr><th>Service</th><th>Organismes</th><th>Situation</th></tr></thead>"
        f"<tbody>{offered}{missing}</tbody></table>")
    return _document(f"Répertoire des ressources en immigration : {name}", body)


def _organization_row(organization: dict, labels) -> str:
    def names(codes: str | None, vocabulary: str, own_words: str | None) -> str:
        """Labels of the codes, then the organization's own words no entry matched."""
        shown = [escape(labels[vocabulary].get(code, code))
                 for code in (codes or "").split(",") if code]
        return ", ".join(shown + [escape(term) for term in (own_words or "").split("; ") if term])

    o = organization
    title = f"<strong>{escape(o['name'])}</strong>"
    if o["alternate_name"]:
        title += f" ({escape(o['alternate_name'])})"
    if o["status"] == "temporarily_closed":
        title += "<br><span class=\"closed\">Fermé temporairement</span>"
    if o["description"]:
        title += f"<br>{escape(o['description'])}"
    contact = [escape(part) for part in (
        o["address"], " ".join(p for p in (o["municipality"], o["postal_code"]) if p),
        o["phones"]) if part]
    if o["email"]:
        contact.append(f"<a href=\"mailto:{escape(o['email'])}\">{escape(o['email'])}</a>")
    if o["website"]:
        contact.append(f"<a href=\"{escape(o['website'])}\">{escape(o['website'])}</a>")
    for address in o["other_addresses"] or []:
        contact.append(f"Autre lieu : {escape(address)}")
    access = ACCESS[o["wheelchair_access"]]
    if o["accessibility_details"]:
        access += f" : {escape(o['accessibility_details'])}"
    return (f"<tr><td>{title}</td><td>{'<br>'.join(contact)}</td><td>{access}</td>"
            f"<td>{escape(o['hours'] or 'Non précisé')}</td>"
            f"<td>{names(o['languages'], 'languages', o['languages_free_text'])}</td>"
            f"<td>{names(o['services'], 'services', o['services_free_text'])}</td>"
            f"<td>{names(o['target_populations'], 'populations', o['target_populations_free_text'])}"
            "</td></tr>")


def _meta(today: date) -> str:
    return (f"<p class=\"meta\">Observatoire TMT, état au {today.isoformat()}. Vérifiez les "
            "heures auprès de l'organisme avant de diriger une personne.</p>")


def _document(title: str, body: str) -> str:
    return (f"<!doctype html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(title)}</title><style>{STYLE}</style></head>"
            f"<body>{body}</body></html>\n")
