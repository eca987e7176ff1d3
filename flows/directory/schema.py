"""The directory's tables in the working DuckDB (schema `directory`), after Open Referral
HSDS 3: organization, location, address, phone, schedule, language, accessibility,
service (one per organization × service of the vocabulary), service_area (region and
MRC codes), contact, plus the `metadata` change log, import runs and quarantined rows.

They are dbt sources (dbt_project/models/staging/directory). `ensure_schema` creates them
empty, so that a build on a home without any directory import still works. Deviation from
HSDS: areas are recorded per organization (the spreadsheet gives them per organization);
the HSDS export repeats them for each of its services.
"""
from __future__ import annotations

from pathlib import Path

import duckdb

from ..warehouse import workdb

SCHEMA = "directory"
TABLES: dict[str, list[tuple[str, str]]] = {
    "organization": [
        ("organization_id", "varchar primary key"), ("name", "varchar not null"),
        ("alternate_name", "varchar"), ("description", "varchar"), ("email", "varchar"),
        ("website", "varchar"), ("website_key", "varchar"), ("other_urls", "varchar[]"),
        ("status", "varchar not null"), ("free_of_charge", "boolean"),
        ("last_confirmed_at", "date"), ("natural_key", "varchar not null"),
        ("source_row", "integer"), ("record_json", "varchar not null"),
        ("created_at", "timestamp"), ("updated_at", "timestamp"),
        ("last_seen_at", "timestamp"), ("last_import_id", "varchar"),
    ],
    "contact": [("contact_id", "varchar primary key"), ("organization_id", "varchar not null"),
                ("name", "varchar"), ("email", "varchar")],
    "location": [("location_id", "varchar primary key"), ("organization_id", "varchar not null"),
                 ("position", "integer"), ("location_type", "varchar"),
                 ("hours_text", "varchar"), ("source_row", "integer")],
    "address": [("address_id", "varchar primary key"), ("location_id", "varchar not null"),
                ("organization_id", "varchar not null"), ("address_1", "varchar"),
                ("city", "varchar"), ("municipality_code", "varchar"),
                ("postal_code", "varchar"), ("state_province", "varchar"),
                ("country", "varchar")],
    "phone": [("phone_id", "varchar primary key"), ("organization_id", "varchar not null"),
              ("location_id", "varchar"), ("position", "integer"), ("number", "varchar"),
              ("extension", "varchar")],
    "schedule": [("schedule_id", "varchar primary key"), ("organization_id", "varchar not null"),
                 ("location_id", "varchar"), ("freq", "varchar"), ("byday", "varchar"),
                 ("opens_at", "varchar"), ("closes_at", "varchar"), ("description", "varchar")],
    "language": [("language_id", "varchar primary key"), ("organization_id", "varchar not null"),
                 ("location_id", "varchar"), ("language_code", "varchar not null")],
    "accessibility": [("accessibility_id", "varchar primary key"),
                      ("organization_id", "varchar not null"), ("location_id", "varchar"),
                      ("wheelchair_access", "varchar"), ("details", "varchar")],
    "service": [("service_id", "varchar primary key"), ("organization_id", "varchar not null"),
                ("service_code", "varchar not null"), ("status", "varchar")],
    "service_area": [("service_area_id", "varchar primary key"),
                     ("organization_id", "varchar not null"),
                     ("region_code", "varchar not null"), ("mrc_code", "varchar")],
    "organization_population": [("attribute_id", "varchar primary key"),
                                ("organization_id", "varchar not null"),
                                ("population_code", "varchar not null")],
    # Services, populations and languages in the organization's own words: no vocabulary
    # entry matched them (flows/directory/matching.py); shown as written.
    "free_term": [("free_term_id", "varchar primary key"),
                  ("organization_id", "varchar not null"), ("field_name", "varchar not null"),
                  ("term", "varchar not null")],
    "metadata": [("metadata_id", "varchar primary key"), ("resource_id", "varchar not null"),
                 ("resource_type", "varchar"), ("field_name", "varchar"),
                 ("previous_value", "varchar"), ("replacement_value", "varchar"),
                 ("last_action_type", "varchar"), ("last_action_date", "timestamp"),
                 ("updated_by", "varchar"), ("import_id", "varchar")],
    "import_run": [("import_id", "varchar primary key"), ("file_sha256", "varchar"),
                   ("source", "varchar"), ("original_name", "varchar"), ("sheet", "varchar"),
                   ("imported_at", "timestamp"), ("updated_by", "varchar"),
                   ("rows_read", "integer"), ("rows_imported", "integer"),
                   ("rows_rejected", "integer"), ("organizations_created", "integer"),
                   ("organizations_updated", "integer"), ("organizations_unchanged", "integer"),
                   ("changes", "integer")],
    "row_quarantine": [("import_id", "varchar"), ("file_sha256", "varchar"),
                       ("original_name", "varchar"), ("source_row", "integer"),
                       ("reason", "varchar"), ("row_values", "varchar"),
                       ("quarantined_at", "timestamp")],
    # From the confirmation page (flows/confirm), copied by each build: a verification
    # (HSDS assured_date and who) is not an edit; a change request waits for a maintainer.
    "verification": [("verification_id", "varchar primary key"),
                     ("organization_id", "varchar not null"), ("campaign", "varchar not null"),
                     ("assured_date", "timestamp not null"), ("assurer", "varchar"),
                     ("token_issued_at", "timestamp")],
    "change_request": [("change_request_id", "varchar primary key"),
                       ("organization_id", "varchar not null"), ("campaign", "varchar"),
                       ("submitted_at", "timestamp not null"), ("submitted_by", "varchar"),
                       ("submitter_email", "varchar"), ("changes", "varchar"),
                       ("comment", "varchar"), ("status", "varchar not null")],
}
# Replaced as a whole when their organization changes (their ids are stable anyway).
CHILD_TABLES = ["contact", "location", "address", "phone", "schedule", "language",
                "accessibility", "service", "service_area", "organization_population",
                "free_term"]


# The maintainers' update tasks (flows/tasks), the run journal (flows/ops) and the outbox
# (flows/notify: no body, no address, only the kind of recipient and the organization),
# dbt's other sources fed from SQLite: created here too, so that whatever prepares the
# directory's sources for dbt prepares them as well.
OPS_DDL = """
create schema if not exists ops;
create table if not exists ops.update_task (
    task_id varchar primary key, campaign varchar not null, kind varchar not null,
    subject varchar not null, region_code varchar, due_date date not null,
    organization_id varchar, details varchar, created_at timestamp not null,
    done_at timestamp, done_by varchar
);
create table if not exists ops.flow_run (
    run_id varchar primary key, flow varchar not null, parent_run_id varchar,
    started_at timestamp not null, ended_at timestamp, state varchar not null,
    summary varchar, message varchar, data_docs_url varchar
);
create table if not exists ops.message (
    message_id bigint primary key, created_at timestamp not null, tag varchar not null,
    recipient_kind varchar not null, kind varchar not null, template varchar not null,
    status varchar not null, attempts integer, sent_at timestamp,
    organization_id varchar, campaign varchar, step varchar
);"""


def ddl() -> str:
    statements = [f"create schema if not exists {SCHEMA};"]
    for table, columns in TABLES.items():
        body = ", ".join(f"{name} {kind}" for name, kind in columns)
        statements.append(f"create table if not exists {SCHEMA}.{table} ({body});")
    # The site-check history (flows/sitecheck) and the checkpoints' results (flows/quality)
    # are dbt sources too: created empty here as well.
    from ..quality.results import DDL as QUALITY_DDL
    from ..sitecheck.schema import SCHEMA as SITECHECK_DDL

    return "\n".join([*statements, OPS_DDL, QUALITY_DDL, SITECHECK_DDL])


def columns(table: str) -> list[str]:
    return [name for name, _ in TABLES[table]]


def connect(db_path: Path) -> duckdb.DuckDBPyConnection:
    """Open the working database for writing (DuckDB allows one writer: close it soon)."""
    return workdb.connect(db_path, ddl())


def ensure_schema(db_path: Path) -> None:
    """Create the directory tables, empty, when they do not exist yet."""
    connect(db_path).close()
