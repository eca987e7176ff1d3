"""Prefect flow `refresh_lmia`: the weekly look for a new LMIA quarter, then a build.

The pull is a no-op when nothing changed at the source (conditional requests, content
hashes), so the build runs only when a file was loaded.
"""
from __future__ import annotations

from prefect import flow

from flows.build_warehouse import build_warehouse
from flows.ingest_lmia import ingest_lmia
from flows.ops import record


@flow(name="refresh_lmia", **record.HOOKS)
def refresh_lmia(source: str | None = None) -> str:
    ingest = ingest_lmia(source, return_state=True)
    reports = ingest.result(raise_on_failure=False)
    loaded = isinstance(reports, list) and any(r.status == "loaded" for r in reports)
    published = build_warehouse() if loaded else "nothing new"
    record.report_sub_flows("refresh-lmia", "Relève LMIA / LMIA refresh")
    ingest.result()  # a quarantined or unreachable file fails the run after the build
    return published


if __name__ == "__main__":
    refresh_lmia()
