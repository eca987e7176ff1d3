"""Directory suites (issue 5): what the published directory must satisfy.

Validated at the mart checkpoint, on marts.directory_organizations (flows/quality/marts.py),
so a regression in the import or the models stops the publication like any mart failure.
The import already refuses bad rows one by one (flows/directory/values.py); these are the
contract on what comes out. Code lists are the dbt seeds, the one published vocabulary.
"""
from __future__ import annotations

import great_expectations as gx
import great_expectations.expectations as gxe
from great_expectations.expectations.row_conditions import Column

from expectations.checkpoint import said

EMAIL_PATTERN = r"^[^@\s,;<>]+@[^@\s,;<>]+\.[A-Za-z]{2,}$"
URL_PATTERN = r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$"
STATUSES = ["active", "temporarily_closed", "inactive", "do_not_refer"]
# Comma-separated list columns of marts.directory_organizations and their vocabulary (a
# seed; MRC codes by their shape), looked up in dbt (quality_directory_codes.in_vocabulary).
LISTS = {"region_codes": ("codes de ref_quebec_regions", "codes of ref_quebec_regions"),
         "mrc_codes": ("codes de MRC à trois chiffres", "three-digit MRC codes"),
         "languages": ("codes de ref_iso_639_languages", "codes of ref_iso_639_languages"),
         "services": ("codes de ref_directory_services", "codes of ref_directory_services")}


def directory_organizations() -> gx.ExpectationSuite:
    """One row per organization: identity, status, email and website."""
    return gx.ExpectationSuite(name="directory_organizations", expectations=[
        gxe.ExpectColumnValuesToNotBeNull(column="organization_id"),
        gxe.ExpectColumnValuesToBeUnique(column="organization_id"),
        gxe.ExpectColumnValuesToNotBeNull(column="name"),
        gxe.ExpectColumnValuesToBeInSet(column="status", value_set=STATUSES),
        gxe.ExpectColumnValuesToMatchRegex(
            column="email", regex=EMAIL_PATTERN,
            **said("une adresse courriel bien formée",
                   "one well-formed email address")),
        gxe.ExpectColumnValuesToMatchRegex(
            column="website", regex=URL_PATTERN,
            **said("une adresse http(s) avec un hôte",
                   "an http(s) URL with a host")),
        gxe.ExpectColumnValuesToNotBeNull(
            column="region_codes",
            **said("chaque organisme dessert au moins une région",
                   "every organization serves some region")),
    ])


def directory_codes() -> gx.ExpectationSuite:
    """One row per code in a list column (region_codes, mrc_codes, languages, services)."""
    return gx.ExpectationSuite(name="directory_codes", expectations=[
        gxe.ExpectColumnValuesToBeInSet(
            column="in_vocabulary", value_set=[True],
            row_condition=Column("list_name") == list_name,
            **said(f"{list_name} : {french}", f"{list_name}: {english}"))
        for list_name, (french, english) in LISTS.items()])
