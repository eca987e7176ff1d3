"""What one organization of the spreadsheet becomes, and its stable identifiers.

Identifiers are UUIDs (HSDS 3 wants them) derived with uuid5 from a natural key, so the
same organization gets the same id in every import without a lookup: its explicit `id`
column when there is one, else its name and municipality. Child records (locations,
phones, schedules...) derive theirs from the organization's id and their own content.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from .hours import Schedule
from .text import key

FREE_TEXT_FIELDS = ("services", "target_populations", "languages")
# Namespace of every directory identifier (uuid5 of the project's name, fixed forever).
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/observatoire-tmt/directory")


def stable_id(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "|".join(parts)))


def id_from_column(value: str) -> str:
    """An `id` column keeps a UUID as written; any other identifier is hashed into one."""
    try:
        return str(uuid.UUID(value.strip()))
    except ValueError:
        return stable_id("id", value.strip())


@dataclass
class Phone:
    number: str
    extension: str | None = None


@dataclass
class Location:
    source_row: int
    address: str | None = None
    city: str | None = None  # the municipality as written
    municipality_code: str | None = None
    postal_code: str | None = None
    phones: list[Phone] = field(default_factory=list)
    hours: str | None = None
    schedules: list[Schedule] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    wheelchair_access: str | None = None  # yes | partial | no
    accessibility_details: str | None = None

    def key(self) -> str:
        return "|".join([key(self.address or ""), self.municipality_code or key(self.city or ""),
                         (self.postal_code or "").replace(" ", "")])


@dataclass
class Organization:
    source_row: int
    name: str
    natural_key: str
    explicit_id: str | None = None
    alternate_name: str | None = None
    description: str | None = None
    email: str | None = None
    website: str | None = None
    other_urls: list[str] = field(default_factory=list)
    contact_name: str | None = None
    contact_email: str | None = None
    status: str = "active"
    free_of_charge: bool | None = None
    last_confirmed: date | None = None
    areas: list[tuple[str, str | None]] = field(default_factory=list)  # (region, MRC or None)
    areas_from_municipality: bool = False  # no region given: the municipality's region
    services: list[str] = field(default_factory=list)
    populations: list[str] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    # Terms no vocabulary entry matched, kept as the organization wrote them, by field
    # (services, target_populations, languages).
    free_terms: dict[str, list[str]] = field(default_factory=dict)
    # For the import report only: terms understood by similarity or kept as free text
    # (field, column, match), and values dropped (column, reason).
    terms: list = field(default_factory=list, compare=False)
    dropped: list[tuple[str, str]] = field(default_factory=list, compare=False)
    id: str | None = None  # set when the organization is matched against the database

    def fields(self) -> dict[str, str]:
        """The organization flattened to text, field by field: what the change log compares.
        Lists are sorted so that their order in a cell is not a change."""
        def joined(values) -> str:
            return ", ".join(sorted(set(values)))

        locations = self.locations
        return {
            "name": self.name,
            "alternate_name": self.alternate_name or "",
            "description": self.description or "",
            "regions_served": joined(region for region, _ in self.areas),
            "mrcs_served": joined(mrc for _, mrc in self.areas if mrc),
            "address": " | ".join(location.address or "" for location in locations).strip(" |"),
            "municipality": " | ".join(location.municipality_code or location.city or ""
                                       for location in locations).strip(" |"),
            "postal_code": " | ".join(loc.postal_code or "" for loc in locations).strip(" |"),
            "phone": " | ".join(", ".join(p.number + (f" #{p.extension}" if p.extension else "")
                                          for p in loc.phones) for loc in locations).strip(" |"),
            "email": self.email or "",
            "website": self.website or "",
            "other_urls": joined(self.other_urls),
            "contact_name": self.contact_name or "",
            "contact_email": self.contact_email or "",
            "wheelchair_access": " | ".join(loc.wheelchair_access or "" for loc in locations
                                            ).strip(" |"),
            "accessibility_details": " | ".join(loc.accessibility_details or ""
                                                for loc in locations).strip(" |"),
            "hours": " | ".join(loc.hours or "" for loc in locations).strip(" |"),
            "languages": joined(code for loc in locations for code in loc.languages),
            "services": joined(self.services),
            "target_populations": joined(self.populations),
            **{f"{name}_free_text": "; ".join(sorted(set(self.free_terms.get(name, []))))
               for name in FREE_TEXT_FIELDS},
            "free_of_charge": {True: "yes", False: "no", None: ""}[self.free_of_charge],
            "status": self.status,
            "last_confirmed": self.last_confirmed.isoformat() if self.last_confirmed else "",
        }
