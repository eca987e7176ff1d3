"""One spreadsheet row read into an organization with one location, or the reason why the
listing is unusable.

A row is rejected only when nobody could use the listing: no name, no region served and no
municipality, or a malformed contact channel and no other way left to reach the
organization. Any other value that cannot be read is dropped (the row is kept) and named in
the report. Vocabulary terms are understood by matching.py; a term it cannot place is kept
as the organization's own words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from . import values, vocabularies
from .headers import FRENCH, Columns
from .hours import parse_hours
from .matching import Match
from .model import Location, Organization, Phone, id_from_column
from .text import cell_text, first_line, key, split_list

_EXTENSION_ONLY = re.compile(r"^(poste|post|p\.|ext\.?|extension|x|#)\s*\d", re.IGNORECASE)
# Ways to reach an organization: a malformed one is dropped, the row kept while one is left.
CONTACT_FIELDS = ("email", "website", "phone", "contact_email", "other_urls")
NO_WAY_TO_REACH = ("aucun autre moyen de joindre l'organisme "
                   "(no other way to reach the organization)")
NO_PLACE = ("région manquante ou inconnue et municipalité absente ou inconnue "
            "(no region and no municipality)")


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
    dropped: list[tuple[str, str, str]] = []  # (field, column, reason): value not kept
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
            dropped.append((fieldname, column(fieldname), str(problem)))
            return None

    name = " ".join(cells.get("name", "").split())
    if not name:
        return RowError(number, [(column("name"), "nom manquant (name missing)")])
    regions = _codes(cells.get("regions_served", ""), geography.region_codes,
                     ("région inconnue", "unknown region"), "regions_served",
                     column("regions_served"), dropped)
    mrcs = _codes(cells.get("mrcs_served", ""), lambda text: _one(geography.mrc_code(text)),
                  ("MRC inconnue", "unknown MRC"), "mrcs_served", column("mrcs_served"),
                  dropped)
    municipality = read("municipality", lambda text: _municipality(text, regions, cells))
    derived = not regions and not mrcs and bool(municipality)
    if derived:
        regions = [geography.municipalities[municipality].region_code]
    for mrc in mrcs:
        if geography.mrcs[mrc][1] not in regions:
            regions.append(geography.mrcs[mrc][1])
    if not regions:
        return RowError(number, [*((col, reason) for _, col, reason in dropped),
                                 (column("regions_served"), NO_PLACE)])
    wheelchair = read("wheelchair_access", values.wheelchair) or (None, None)
    details = "; ".join(text for text in (cells.get("accessibility_details"), wheelchair[1])
                        if text) or None
    hours = "; ".join(cells.get("hours", "").split("\n")) or None
    services = vocabularies.services().cell(cells.get("services", ""))
    populations = vocabularies.populations().cell(cells.get("target_populations", ""))
    languages = vocabularies.languages().cell(cells.get("languages", ""))
    location = Location(
        source_row=number, address=", ".join(cells.get("address", "").split("\n")) or None,
        city=cells.get("municipality") or None, municipality_code=municipality,
        postal_code=read("postal_code", values.postal_code),
        phones=[Phone(*found) for found in _each(cells.get("phone", ""), values.phone, "phone",
                                                 column("phone"), dropped, _phone_items)],
        hours=hours, schedules=parse_hours(hours) if hours else [],
        languages=_known(languages), wheelchair_access=wheelchair[0],
        accessibility_details=details)
    organization = Organization(
        source_row=number, name=name, natural_key=_natural_key(name, location),
        explicit_id=id_from_column(cells["id"]) if cells.get("id") else None,
        alternate_name=cells.get("alternate_name") or None,
        description=cells.get("description") or None,
        email=read("email", values.email), website=read("website", values.url),
        other_urls=_each(cells.get("other_urls", ""), values.url, "other_urls",
                         column("other_urls"), dropped, lambda text: text.split()),
        contact_name=cells.get("contact_name") or None,
        contact_email=read("contact_email", values.email),
        status=read("status", values.status) or "active",
        free_of_charge=read("free_of_charge", values.free_of_charge),
        last_confirmed=read("last_confirmed", lambda text: values.confirmed_on(text, today)),
        areas=_areas(regions, mrcs), areas_from_municipality=derived,
        services=_known(services), populations=_known(populations),
        free_terms={"services": _free(services), "target_populations": _free(populations),
                    "languages": _free(languages)},
        terms=[(fieldname, column(fieldname), match) for fieldname, found in (
            ("services", services), ("target_populations", populations),
            ("languages", languages)) for match in found if match.how != "exact"],
        dropped=[(col, reason) for _, col, reason in dropped],
        locations=[location])
    contacts_dropped = [(col, reason) for fieldname, col, reason in dropped
                        if fieldname in CONTACT_FIELDS]
    if contacts_dropped and not _reachable(organization):
        return RowError(number, [*((col, reason) for _, col, reason in dropped),
                                 (contacts_dropped[-1][0], NO_WAY_TO_REACH)])
    return organization


def _known(matches: list[Match]) -> list[str]:
    return [match.code for match in matches if match.code]


def _free(matches: list[Match]) -> list[str]:
    return [match.term for match in matches if not match.code]


def _reachable(organization: Organization) -> bool:
    location = organization.locations[0]
    return bool(organization.email or organization.website or organization.contact_email
                or organization.other_urls or location.phones or location.address)


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


def _codes(text: str, lookup, what: tuple[str, str], fieldname: str, column: str,
           dropped: list) -> list[str]:
    """Codes for every item of a list cell (regions, MRCs); unknown items are dropped and
    named in one line."""
    codes: list[str] = []
    unknown: list[str] = []
    for item in split_list(text):
        found = lookup(item)
        if found is None:
            unknown.append(f"« {first_line(item, 40)} »")
        else:
            codes += [code for code in found if code not in codes]
    if unknown:
        dropped.append((fieldname, column, f"{what[0]} : {', '.join(unknown)} ({what[1]})"))
    return codes


def _each(text: str, parse, fieldname: str, column: str, dropped: list, split) -> list:
    found = []
    for item in split(text) if text else []:
        try:
            found.append(parse(item))
        except values.Problem as problem:
            dropped.append((fieldname, column, str(problem)))
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
