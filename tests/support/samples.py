"""The bundled fictional directory, imported the way `tmt import directory` imports it."""
from __future__ import annotations

from flows.directory import importer
from flows.settings import Settings, bundled_directory_sample


def load_sample_directory(settings: Settings) -> None:
    archived = importer.archive_source(bundled_directory_sample(), settings)
    importer.load_parsed(importer.parse_archived(archived, settings), archived, settings, "test")
