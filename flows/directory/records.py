"""An organization as table rows, in the column order of schema.TABLES, with stable ids."""
from __future__ import annotations

import json
from datetime import datetime

from .model import Organization, stable_id
from .values import website_key


def organization_row(organization: Organization, created_at: datetime, now: datetime,
                     import_id: str) -> tuple:
    o = organization
    return (o.id, o.name, o.alternate_name, o.description, o.email, o.website,
            website_key(o.website) if o.website else None, list(o.other_urls), o.status,
            o.free_of_charge, o.last_confirmed, o.natural_key, o.source_row,
            json.dumps(o.fields(), ensure_ascii=False, sort_keys=True), created_at, now, now,
            import_id)


def child_rows(organization: Organization) -> dict[str, list[tuple]]:
    oid = organization.id
    rows: dict[str, list[tuple]] = {
        "contact": [], "location": [], "address": [], "phone": [], "schedule": [],
        "language": [], "accessibility": [],
        "service": [(stable_id(oid, "service", code), oid, code, organization.status)
                    for code in organization.services],
        "service_area": [(stable_id(oid, "area", region, mrc or ""), oid, region, mrc)
                         for region, mrc in organization.areas],
        "organization_population": [(stable_id(oid, "population", code), oid, code)
                                    for code in organization.populations],
        "free_term": [(stable_id(oid, "free_term", name, term), oid, name, term)
                      for name, terms in organization.free_terms.items() for term in terms],
    }
    if organization.contact_name or organization.contact_email:
        rows["contact"].append((stable_id(oid, "contact"), oid, organization.contact_name,
                                organization.contact_email))
    for position, location in enumerate(organization.locations, start=1):
        lid = stable_id(oid, "location", location.key())
        physical = location.address or location.municipality_code
        rows["location"].append((lid, oid, position, "physical" if physical else "virtual",
                                 location.hours, location.source_row))
        if physical:
            rows["address"].append((stable_id(lid, "address"), lid, oid, location.address,
                                    location.city, location.municipality_code,
                                    location.postal_code, "QC", "CA"))
        rows["phone"] += [(stable_id(lid, "phone", phone.number, phone.extension or ""), oid,
                           lid, number, phone.number, phone.extension)
                          for number, phone in enumerate(location.phones, start=1)]
        rows["schedule"] += [(stable_id(lid, "schedule", s.byday, s.opens_at, s.closes_at), oid,
                              lid, "WEEKLY", s.byday, s.opens_at, s.closes_at, location.hours)
                             for s in location.schedules]
        rows["language"] += [(stable_id(lid, "language", code), oid, lid, code)
                             for code in location.languages]
        if location.wheelchair_access or location.accessibility_details:
            rows["accessibility"].append((stable_id(lid, "accessibility"), oid, lid,
                                          location.wheelchair_access,
                                          location.accessibility_details))
    return rows
