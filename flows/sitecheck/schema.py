"""The site check's tables in the working DuckDB (schema `sitecheck`); store.py describes them.
Kept apart (no imports) so that what prepares dbt's sources can create them cheaply."""

SCHEMA = """
create schema if not exists sitecheck;
create table if not exists sitecheck.run (
    run_id varchar primary key, started_at timestamp, finished_at timestamp, live boolean,
    targets integer, checked integer, skipped integer);
create table if not exists sitecheck.check (
    run_id varchar not null, url varchar not null, checked_at timestamp not null,
    status varchar not null, http_status integer, final_url varchar,
    redirect_chain varchar[], fingerprint varchar, content_changed boolean not null,
    lines_added integer, lines_removed integer, change_touches varchar[],
    diff_summary varchar, bytes bigint, elapsed_ms integer, error varchar);
create table if not exists sitecheck.page (
    url varchar primary key, final_url varchar, fingerprint varchar, text varchar,
    etag varchar, last_modified varchar, updated_at timestamp);
create table if not exists sitecheck.robots (
    origin varchar primary key, fetched_at timestamp, http_status integer, body varchar);
create table if not exists sitecheck.notice (
    url varchar primary key, broken boolean, status varchar, reported_at timestamp);
create table if not exists sitecheck.guide_source (
    section_id varchar not null, section_title_fr varchar, section_title_en varchar,
    section_title_es varchar, language varchar not null, url varchar not null,
    reviewed_on date, position integer);
"""
