"""Rows that describe the same organization, and the duplicates a person should look at.

Rows are one organization when they share an explicit `id`, or the same name and
municipality, or the same name and website; each further row with a different address is
another location of it (the spreadsheet may hold one row per organization × location).
A row that repeats an organization at the same address is a duplicate: it is merged into
the first (lists add up, empty cells are filled) and reported. Different organizations with
the same website are imported and reported.
"""
from __future__ import annotations

from .model import Organization
from .text import key
from .values import website_key


def group_rows(rows: list[Organization]) -> tuple[list[Organization], list[int], list[str]]:
    """(organizations, rows merged as duplicates, report lines about duplicates)."""
    groups: list[list[Organization]] = []
    group_of_key: dict[str, int] = {}
    for row in rows:
        keys = _identity_keys(row)
        found = next((group_of_key[k] for k in keys if k in group_of_key), None)
        if found is None:
            found = len(groups)
            groups.append([])
        groups[found].append(row)
        for k in keys:
            group_of_key.setdefault(k, found)
    organizations: list[Organization] = []
    merged: list[int] = []
    report: list[str] = []
    for group in groups:
        organization, duplicates, notes = _merge(group)
        organizations.append(organization)
        merged += duplicates
        report += notes
    return organizations, merged, report + _same_website(organizations)


def _identity_keys(row: Organization) -> list[str]:
    if row.explicit_id:
        return [f"id:{row.explicit_id}"]
    keys = [f"nm:{row.natural_key}"]
    if row.website:
        keys.append(f"nw:{key(row.name)}|{website_key(row.website)}")
    return keys


def _merge(group: list[Organization]) -> tuple[Organization, list[int], list[str]]:
    first = group[0]
    seen = {first.locations[0].key(): first.source_row}
    places = {first.locations[0].key(): first.locations[0]}
    merged: list[int] = []
    notes: list[str] = []
    for row in group[1:]:
        location = row.locations[0]
        if location.key() in seen:
            merged.append(row.source_row)
            place = places[location.key()]
            place.languages += [code for code in location.languages
                                if code not in place.languages]
            notes.append(f"lignes {seen[location.key()]} et {row.source_row} : « {row.name} » "
                         "en double (même organisme, même adresse), fusionnées "
                         "(duplicate rows merged)")
            _union(first, row)
            continue
        seen[location.key()] = row.source_row
        places[location.key()] = location
        notes.append(f"lignes {first.source_row} et {row.source_row} : « {row.name} », même "
                     "organisme à une autre adresse, importé comme un second lieu "
                     "(same organization, another location)")
        first.locations.append(location)
        _union(first, row)
    return first, merged, notes


def _union(first: Organization, row: Organization) -> None:
    """Lists add up; a single value is the first row's, unless it left the cell empty.
    A further location's own municipality does not widen the areas served."""
    for name in ("areas", "services", "populations", "other_urls"):
        if name == "areas" and row.areas_from_municipality:
            continue
        merged = getattr(first, name)
        merged += [value for value in getattr(row, name) if value not in merged]
    for name, terms in row.free_terms.items():
        kept = first.free_terms.setdefault(name, [])
        kept += [term for term in terms if term not in kept]
    for name in ("alternate_name", "description", "email", "website", "contact_name",
                 "contact_email", "free_of_charge", "last_confirmed"):
        if getattr(first, name) is None:
            setattr(first, name, getattr(row, name))


def _same_website(organizations: list[Organization]) -> list[str]:
    by_site: dict[str, list[Organization]] = {}
    for organization in organizations:
        if organization.website:
            by_site.setdefault(website_key(organization.website), []).append(organization)
    def listed(items: list[str]) -> str:  # a line stays readable when a site is everywhere
        more = f" (+{len(items) - 5})" if len(items) > 5 else ""
        return " et ".join(items[:5]) + more

    return [
        f"lignes {listed([str(o.source_row) for o in same])} : même site web {same[0].website} "
        f"pour {listed([f'« {o.name} »' for o in same])} (possible duplicate: same website)"
        for same in by_site.values() if len(same) > 1
    ]
