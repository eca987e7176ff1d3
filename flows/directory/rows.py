"""One spreadsheet row read into an organization with one location, or its problems.

A row with any problem is rejected whole (and quarantined by the caller): importing half
an organization would publish a listing that looks complete and is not.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from . import values, vocabularies
from .headers import FRENCH, Columns
from .hours import parse_hours
from .model import Location, Organization, Phone, id_from_column
from .text import cell_text, first_line, key, split_list

_EXTENSION_ONLY = re.compile(r"^(poste|post|p\.|ext\.?|extension|x|#)\s*\d", re.IGNORECASE)


@dataclass
class RowError:
    row: int  # 1-based, as the spreadsheet shows it
    problems: list[tuple[str, str]]  # (column as written in the file, reason)
    values: dict[str, str] = field(default_factory=dict)  # the row as read, nothing lost

    def line(self, file_name: str) -> str:
        reasons = "; ".join(f"{column} : {reason}" for column, reason in self.problems)
        return f"{file_name} ligne {self.row} : {reasons}"


def row_values(row: list[object], columns: Columns) -> dict[str, str]:
    return {fieldname: cell_text(row[index]) if index < len(row) else ""
            for index, fieldname in columns.fields.items()}


def read_row(cells: dict[str, str], number: int, columns: Columns,
             today: date) -> Organization | RowError:
    problems: list[tuple[str, str]] = []
    geography = vocabularies.geography()

    def column(fieldname: str) -> str:
        return columns.headers.get(fieldname, FRENCH[fieldname])

    def read(fieldname: str, parse):
        text = cells.get(fieldname, "")
        if not text:
            return None
        try:
            return parse(text)
        except values.Problem as problem:
            problems.append((column(fieldname), str(problem)))
            return None

    name = " ".join(cells.get("name", "").split())
    if not name:
        problems.append((column("name"), "nom manquant (name missing)"))
    regions = _codes(cells.get("regions_served", ""), geography.region_codes,
                     ("région inconnue", "unknown region"), column("regions_served"), problems)
    mrcs = _codes(cells.get("mrcs_served", ""), lambda text: _one(geography.mrc_code(text)),
                  ("MRC inconnue", "unknown MRC"), column("mrcs_served"), problems)
    municipality = read("municipality", lambda text: _municipality(text, regions, cells))
    derived = not regions and not cells.get("regions_served") and not mrcs and bool(municipality)
    if derived:
        regions = [geography.municipalities[municipality].region_code]
    for mrc in mrcs:
        if geography.mrcs[mrc][1] not in regions:
            regions.append(geography.mrcs[mrc][1])
    if not regions and not problems:
        problems.append((column("regions_served"),
                         "région manquante et municipalité vide (no region served)"))
    wheelchair = read("wheelchair_access", values.wheelchair) or (None, None)
    details = "; ".join(text for text in (cells.get("accessibility_details"), wheelchair[1])
                        if text) or None
    hours = "; ".join(cells.get("hours", "").split("\n")) or None
    location = Location(
        source_row=number, address=", ".join(cells.get("address", "").split("\n")) or None,
        city=cells.get("municipality") or None, municipality_code=municipality,
        postal_code=read("postal_code", values.postal_code),
        phones=[Phone(*found) for found in _each(cells.get("phone", ""), values.phone,
                                                 column("phone"), problems, _phone_items)],
        hours=hours, schedules=parse_hours(hours) if hours else [],
        languages=_codes(cells.get("languages", ""), _vocabulary(vocabularies.languages()),
                         ("langue inconnue", "unknown language"), column("languages"),
                         problems, words=True),
        wheelchair_access=wheelchair[0], accessibility_details=details)
    organization = Organization(
        source_row=number, name=name, natural_key=_natural_key(name, location),
        explicit_id=id_from_column(cells["id"]) if cells.get("id") else None,
        alternate_name=cells.get("alternate_name") or None,
        description=cells.get("description") or None,
        email=read("email", values.email), website=read("website", values.url),
        other_urls=_each(cells.get("other_urls", ""), values.url, column("other_urls"),
                         problems, lambda text: text.split()),
        contact_name=cells.get("contact_name") or None,
        contact_email=read("contact_email", values.email),
        status=read("status", values.status) or "active",
        free_of_charge=read("free_of_charge", values.free_of_charge),
        last_confirmed=read("last_confirmed", lambda text: values.confirmed_on(text, today)),
        areas=_areas(regions, mrcs), areas_from_municipality=derived,
        services=_codes(cells.get("services", ""), _vocabulary(vocabularies.services()),
                        ("service inconnu", "unknown service"), column("services"), problems),
        populations=_codes(cells.get("target_populations", ""),
                           _vocabulary(vocabularies.populations()),
                           ("population inconnue", "unknown population"),
                           column("target_populations"), problems),
        locations=[location])
    if problems:
        return RowError(number, problems)
    return organization


def _natural_key(name: str, location: Location) -> str:
    return f"{key(name)}|{location.municipality_code or key(location.city or '')}"


def _municipality(text: str, regions: list[str], cells: dict[str, str]) -> str:
    """The MAMH code; homonyms are told apart by the regions served or the postal code."""
    geography = vocabularies.geography()
    codes = geography.municipality_codes(text)
    if not codes:
        raise values.Problem(f"« {first_line(text)} » : municipalité inconnue du répertoire "
                             "des municipalités du MAMH (unknown municipality)")
    if len(codes) > 1:
        fsa = cells.get("postal_code", "").upper().replace(" ", "")[:3]
        narrowed = [code for code in codes if geography.municipalities[code].region_code
                    in regions] or [code for code in codes
                                    if geography.municipalities[code].fsa == fsa]
        if len(narrowed) != 1:
            raise values.Problem(f"« {first_line(text)} » : {len(codes)} municipalités portent "
                                 "ce nom; précisez la région (ambiguous municipality)")
        codes = narrowed
    return codes[0]


def _one(code: str | None) -> list[str] | None:
    return [code] if code else None


def _vocabulary(vocabulary: vocabularies.Vocabulary):
    return lambda text: _one(vocabulary.code(text))


def _codes(text: str, lookup, what: tuple[str, str], column: str, problems: list,
           words: bool = False):
    """Codes for every item of a list cell; unknown items are one problem naming them.
    The vocabularies are the seeds in dbt_project/seeds (docs/directory-spreadsheet.md)."""
    codes: list[str] = []
    unknown: list[str] = []
    for item in split_list(text, words=words):
        found = lookup(item)
        if found is None:
            unknown.append(f"« {first_line(item, 40)} »")
        else:
            codes += [code for code in found if code not in codes]
    if unknown:
        problems.append((column, f"{what[0]} : {', '.join(unknown)} ({what[1]})"))
    return codes


def _each(text: str, parse, column: str, problems: list, split) -> list:
    found = []
    for item in split(text) if text else []:
        try:
            found.append(parse(item))
        except values.Problem as problem:
            problems.append((column, str(problem)))
    return found


def _phone_items(text: str) -> list[str]:
    """Phones of a cell; `poste 12` after a comma belongs to the number before it."""
    items: list[str] = []
    for item in split_list(text):
        if items and _EXTENSION_ONLY.match(item):
            items[-1] = f"{items[-1]} {item}"
        else:
            items.append(item)
    return items


def _areas(regions: list[str], mrcs: list[str]) -> list[tuple[str, str | None]]:
    """A region with MRCs listed is served in those MRCs only; otherwise in full."""
    mrc_regions = vocabularies.geography().mrcs
    areas: list[tuple[str, str | None]] = []
    for region in regions:
        listed = [mrc for mrc in mrcs if mrc_regions[mrc][1] == region]
        areas += [(region, mrc) for mrc in listed] or [(region, None)]
    return areas
