"""The directory import step by step, as plain functions: the Prefect flow calls them in
order, tests call them directly."""
from __future__ import annotations

import getpass
import json
import os
from dataclasses import asdict
from datetime import UTC, date, datetime
from pathlib import Path

from .. import csv_cells
from ..errors import BadFileError, TmtError
from ..lmia import archive
from ..settings import Settings
from . import schema
from .load import LoadResult, load
from .parse import ParsedDirectory, parse_file

SPREADSHEETS = (".csv", ".xlsx", ".txt")


def check_source(source: str) -> Path:
    path = Path(source).expanduser()
    if source.lower().startswith(("http://", "https://")):
        raise TmtError(f"{source}: une URL n'est pas prise en charge, téléchargez le fichier "
                       "(URLs are not supported; download the file)")
    if not path.is_file():
        raise TmtError(f"{source}: fichier introuvable (no such file)")
    if path.suffix.lower() not in SPREADSHEETS:
        raise TmtError(f"{source}: CSV ou XLSX attendu (CSV or XLSX expected)")
    return path


def default_updated_by() -> str:
    """Who the change log names: TMT_UPDATED_BY, else the account running the import."""
    try:
        return os.environ.get("TMT_UPDATED_BY") or getpass.getuser()
    except (KeyError, OSError):  # no user name in some containers
        return "tmt"


def archive_source(path: Path, settings: Settings) -> archive.ArchivedFile:
    """Keep the file, untouched and content-addressed, before anything parses it."""
    folder = settings.raw_directory_dir
    stored, sha, new = archive.store_copy(folder, path, path.name)
    archived = archive.ArchivedFile(sha256=sha, path=stored, bytes=stored.stat().st_size,
                                    source_url=str(path.resolve()), original_name=path.name)
    if new:
        archive.append_manifest(folder, archived, {})
    return archived


def parse_archived(archived: archive.ArchivedFile, settings: Settings,
                   today: date | None = None) -> ParsedDirectory:
    try:
        return parse_file(archived.path, archived.original_name, today or date.today())
    except BadFileError as exc:
        archive.quarantine(settings.directory_quarantine_dir, archived, str(exc))
        raise TmtError(f"{exc} (fichier mis en quarantaine / file quarantined)") from exc


def load_parsed(parsed: ParsedDirectory, archived: archive.ArchivedFile, settings: Settings,
                updated_by: str) -> LoadResult:
    run = {"file_sha256": archived.sha256, "source": archived.source_url,
           "original_name": archived.original_name, "updated_by": updated_by}
    con = schema.connect(settings.work_db)
    try:
        now = datetime.now(UTC).replace(tzinfo=None)  # stored as UTC without zone
        return load(con, parsed, run, now)
    finally:
        con.close()


def quarantine_rows(parsed: ParsedDirectory, archived: archive.ArchivedFile,
                    settings: Settings) -> Path | None:
    """The rejected rows as a spreadsheet a person can fix and import again: the reason,
    then every cell as it was."""
    if not parsed.rejected:
        return None
    folder = settings.directory_quarantine_dir
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{archived.sha256}-lignes-rejetees.csv"
    headers = [header for header in parsed.headers if header]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv_cells.writer(handle)
        writer.writerow(["ligne_source", "raison", *headers])
        for error in parsed.rejected:
            reason = error.line(archived.original_name).split(" : ", 1)[1]
            writer.writerow([error.row, reason, *(error.values.get(h, "") for h in headers)])
    return path


def write_report(parsed: ParsedDirectory, result: LoadResult | None,
                 archived: archive.ArchivedFile, settings: Settings) -> Path:
    folder = settings.reports_dir / "directory"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"import-{archive.now_iso().replace(':', '')}.json"
    report = {
        "file": archived.original_name, "sha256": archived.sha256, "sheet": parsed.sheet,
        "rows_read": parsed.rows_read, "rows_imported": parsed.rows_imported,
        "organizations": len(parsed.organizations),
        "rows_rejected": [error.line(archived.original_name) for error in parsed.rejected],
        "rejected": [{"row": error.row, "reasons": [f"{column} : {reason}" for column, reason
                                                    in error.problems]}
                     for error in parsed.rejected],
        "duplicates_merged": parsed.merged_rows, "duplicates": parsed.duplicates,
        "values_dropped": parsed.dropped, "terms_mapped_by_similarity": parsed.similar,
        "terms_kept_as_free_text": parsed.free_text, "notes": parsed.notes,
        "load": asdict(result) if result else None,
    }
    path.write_text(json.dumps(report, indent=1, ensure_ascii=False, default=str),
                    encoding="utf-8")
    return path


def summary_lines(parsed: ParsedDirectory, result: LoadResult, name: str) -> list[str]:
    lines = [(f"{name}: {parsed.rows_read} ligne(s) lue(s), {parsed.rows_imported} "
              f"importée(s), {len(parsed.rejected)} rejetée(s), {len(parsed.merged_rows)} "
              f"doublon(s) fusionné(s) ; {len(parsed.organizations)} organisme(s) : "
              f"{result.created} nouveau(x), {result.updated} modifié(s) "
              f"({len(result.changes)} changement(s)), {result.unchanged} inchangé(s) ; "
              f"{len(parsed.similar)} terme(s) compris par similarité, {len(parsed.free_text)} "
              "terme(s) gardé(s) en texte libre")]
    lines += [f"rejetée     {error.line(name)}" for error in parsed.rejected]
    lines += [f"à vérifier  {line}" for line in parsed.duplicates]
    lines += [f"ignorée     {line}" for line in parsed.dropped]
    lines += [f"similaire   {line}" for line in parsed.similar]
    lines += [f"texte libre {free_text_line(entry)}" for entry in parsed.free_text]
    lines += [f"note        {line}" for line in parsed.notes]
    lines += [f"changement  « {change.organization} » {change.field} : "
              f"« {change.previous} » → « {change.replacement} »" for change in result.changes]
    return lines


def free_text_line(entry: dict) -> str:
    """A term no entry matched: how many rows use it, and the three closest entries, to
    add to the alias file (dbt_project/seeds/ref_directory_term_aliases.csv) if one fits."""
    closest = ", ".join(f"« {near['label_fr']} » ({near['code']}, {near['score']:.0f} %)"
                        for near in entry["closest"]) or "aucune / none"
    return (f"{entry['column']} : « {entry['term']} », {len(entry['rows'])} ligne(s) "
            f"({', '.join(map(str, entry['rows']))}) ; les plus proches / closest : {closest}")


def raise_if_rejected(parsed: ParsedDirectory, name: str, quarantined: Path | None) -> None:
    """Good rows are in; the command still fails so that a person fixes the others."""
    if not parsed.rejected:
        return
    first = parsed.rejected[0].line(name)
    more = f" (+{len(parsed.rejected) - 1} autre(s))" if len(parsed.rejected) > 1 else ""
    raise TmtError(f"{len(parsed.rejected)} ligne(s) sur {parsed.rows_read} rejetée(s) "
                   f"(rows rejected), à corriger dans {quarantined} : {first}{more}")
