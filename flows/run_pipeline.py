"""Prefect flow `run_pipeline`: the whole pipeline once (`tmt run`)."""
from __future__ import annotations

from prefect import flow

from flows.build_warehouse import build_warehouse
from flows.import_directory import import_directory
from flows.ingest_lmia import ingest_lmia


@flow(name="run_pipeline")
def run_pipeline(lmia_source: str | None = None, directory_source: str | None = None) -> str:
    # A quarantined file fails the ingest, but the good files still get built and
    # published; the run then fails with the ingest's reason so a person looks at it.
    # The same goes for rejected rows of the directory spreadsheet.
    ingest = ingest_lmia(lmia_source, return_state=True)
    directory = import_directory(directory_source, return_state=True)
    published = build_warehouse()
    ingest.result()
    directory.result()
    return published


if __name__ == "__main__":
    run_pipeline()
