"""The directory of immigration-help organizations: import, data model, exports (no Prefect)."""
