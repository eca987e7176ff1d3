"""Prefect flow `import_directory`: archive, read, load the directory spreadsheet.

Run it with `tmt import directory [PATH]`, `python -m flows.import_directory [PATH]`, or
from a Prefect deployment. Good rows are imported; bad rows are quarantined with their
reason and the run fails afterwards, so that a person fixes them.
"""
from __future__ import annotations

import sys

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.directory import importer
from flows.errors import TmtError, alerted
from flows.notify import messages, outbox
from flows.ops import record, summaries
from flows.settings import get_settings


@task(cache_policy=NO_CACHE)
def archive_spreadsheet(source: str):
    return importer.archive_source(importer.check_source(source), get_settings())


@task(cache_policy=NO_CACHE)
def read_spreadsheet(archived):
    return importer.parse_archived(archived, get_settings())


@task(cache_policy=NO_CACHE)
def quarantine_rejected_rows(parsed, archived) -> str | None:
    path = importer.quarantine_rows(parsed, archived, get_settings())
    return str(path) if path else None


@task(cache_policy=NO_CACHE)
def load_directory(parsed, archived, updated_by: str):
    return importer.load_parsed(parsed, archived, get_settings(), updated_by)


@task(cache_policy=NO_CACHE)
def queue_alert(message: outbox.Message) -> int:
    """The maintainers' alert or digest item, into the outbox (sent by `tmt notify`)."""
    return len(outbox.enqueue(get_settings().outbox_db, [message]))


@task(cache_policy=NO_CACHE)
def write_import_report(parsed, result, archived) -> str:
    path = importer.write_report(parsed, result, archived, get_settings())
    logger = get_run_logger()
    for line in importer.summary_lines(parsed, result, archived.original_name):
        logger.info(line)
    return str(path)


@flow(name="import_directory", log_prints=True, **record.HOOKS)
def import_directory(source: str | None = None, updated_by: str | None = None):
    source = source or get_settings().directory_source
    try:
        archived = archive_spreadsheet(source)
        parsed = read_spreadsheet(archived)
    except TmtError as exc:  # unreadable file: nothing imported, a person must look
        queue_alert(messages.directory_import_failed(source, str(exc)))
        raise alerted(exc)
    quarantined = quarantine_rejected_rows(parsed, archived)
    result = load_directory(parsed, archived, updated_by or importer.default_updated_by())
    write_import_report(parsed, result, archived)
    queue_alert(messages.directory_import_digest(archived.original_name, parsed))
    record.report_run("directory-import", f"Import du répertoire / Directory import: "
                      f"{archived.original_name}", summaries.directory(parsed, result))
    if parsed.rejected:
        queue_alert(messages.directory_rows_rejected(
            archived.original_name, [error.line(archived.original_name) for error in parsed.rejected],
            quarantined))
    try:
        importer.raise_if_rejected(parsed, archived.original_name, quarantined)
    except TmtError as exc:  # the rejected rows' alert is queued just above
        raise alerted(exc)
    return result


if __name__ == "__main__":
    import_directory(sys.argv[1] if len(sys.argv) > 1 else None)
