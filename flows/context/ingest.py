"""The context pull step by step, as plain functions (the Prefect flow calls them in order):
archive each file, parse it, reconcile it with its own totals, load it, report."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BadFileError, TmtError
from ..lmia import archive
from ..lmia import ingest as lmia_ingest
from ..lmia.sources import Candidate
from ..settings import Settings
from . import load
from .tables import NotReadHere, parse_file


@dataclass
class FileReport:
    name: str
    source: str
    status: str  # loaded | unchanged | skipped (a table not read) | quarantined | failed
    sha256: str | None = None
    kind: str | None = None
    cells: int = 0
    suppressed: int = 0
    totals_checked: int = 0
    repairs: dict = field(default_factory=dict)
    reason: str | None = None


def archive_dir(settings: Settings) -> Path:
    return settings.home / "raw" / "context"


def quarantine_dir(settings: Settings) -> Path:
    return settings.home / "quarantine" / "context"


def fetch(candidate: Candidate, settings: Settings) -> archive.ArchivedFile:
    return lmia_ingest.fetch(candidate, settings, archive_dir(settings))


def load_batch(batch: list[archive.ArchivedFile], settings: Settings) -> list[FileReport]:
    con = load.connect(settings.work_db)
    try:
        return [_load_one(con, item, settings) for item in batch]
    finally:
        con.close()


def _load_one(con, item: archive.ArchivedFile, settings: Settings) -> FileReport:
    report = FileReport(item.original_name, item.source_url, "loaded", item.sha256)
    status = load.status_of(con, item.sha256)
    if status == "loaded":
        report.status = "unchanged"
        return report
    if status:  # the same bytes were bad before: still bad
        report.status, report.reason = "quarantined", status.removeprefix("quarantined: ")
        return report
    try:
        table = parse_file(item.path, item.original_name)
        load.load(con, item, table)
    except NotReadHere as exc:
        report.status, report.reason = "skipped", str(exc)
        return report
    except BadFileError as exc:
        archive.quarantine(quarantine_dir(settings), item, str(exc))
        load.record_quarantine(con, item, str(exc))
        report.status, report.reason = "quarantined", str(exc)
        return report
    report.kind, report.cells = table.kind, len(table.cells)
    report.suppressed = sum(1 for cell in table.cells if cell.is_suppressed)
    report.totals_checked, report.repairs = table.totals_checked, dict(table.repairs)
    return report


def write_report(reports: list[FileReport], settings: Settings) -> Path:
    return lmia_ingest.write_report(reports, settings, "context")


def summary_line(report: FileReport) -> str:
    if report.status == "loaded":
        repairs = ", ".join(f"{k} {v}" for k, v in sorted(report.repairs.items()))
        return (f"loaded      {report.name}: {report.kind}, {report.cells} cells "
                f"({report.suppressed} suppressed), {report.totals_checked} totals checked"
                + (f"; {repairs}" if repairs else ""))
    if report.status in ("quarantined", "failed", "skipped"):
        return f"{report.status:<11} {report.reason}"
    return f"unchanged   {report.name}"


def artifact_row(report: FileReport) -> dict:
    return {"fichier / file": report.name, "statut / status": report.status,
            "tableau / table": report.kind or "", "cellules / cells": report.cells,
            "masquées / suppressed": report.suppressed,
            "totaux vérifiés / totals checked": report.totals_checked,
            "raison / reason": report.reason or ""}


def raise_if_failed(reports: list[FileReport]) -> None:
    bad = [r for r in reports if r.status in ("quarantined", "failed")]
    if bad:
        raise TmtError(f"{len(bad)} of {len(reports)} context file(s) not loaded: "
                       + "; ".join(f"{r.status} {r.reason}" for r in bad))
