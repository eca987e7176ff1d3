"""Prefect flow `run_pipeline`: the whole pipeline once (`tmt run`)."""
from __future__ import annotations

from prefect import flow, get_run_logger

from flows.build_warehouse import build_warehouse
from flows.check_sites import check_sites
from flows.import_directory import import_directory
from flows.ingest_context import ingest_context
from flows.ingest_lmia import ingest_lmia
from flows.ops import record
from flows.send_notifications import notify

STEPS = ("ingest_lmia", "ingest_context", "import_directory", "check_sites",
         "build_warehouse", "notify")


def step(name: str) -> None:
    get_run_logger().info("étape / step %d/%d: %s", STEPS.index(name) + 1, len(STEPS), name)


@flow(name="run_pipeline", **record.HOOKS)
def run_pipeline(lmia_source: str | None = None, directory_source: str | None = None) -> str:
    # A quarantined file fails the ingest, but the good files still get built and
    # published; the run then fails with the ingest's reason so a person looks at it.
    # The same goes for rejected rows of the directory spreadsheet.
    step("ingest_lmia")
    ingest = ingest_lmia(lmia_source, return_state=True)
    # ESDC's and IRCC's statistics (the bundled copies by default): four small files,
    # parsed once each; a re-run only hashes them.
    step("ingest_context")
    context = ingest_context(return_state=True)
    step("import_directory")
    directory = import_directory(directory_source, return_state=True)
    # Live only with TMT_SITECHECK_LIVE=true: with no configuration nothing leaves the
    # machine, and the sample's example.org sites are `unreachable` at once (no DNS query).
    step("check_sites")
    sites = check_sites(return_state=True)
    step("build_warehouse")
    built = build_warehouse(return_state=True)
    # Then notify, whatever failed: a failure's alert is in the outbox. No apprise
    # configuration: messages stay in the outbox; no TMT_SIGNING_KEY: no reminders, one line.
    step("notify")
    notified = notify(require_signing_key=False, return_state=True)
    record.report_sub_flows("pipeline-run", "Pipeline complet / Whole pipeline (tmt run)")
    published = built.result()
    ingest.result()
    context.result()
    directory.result()
    sites.result()
    notified.result()
    return published


if __name__ == "__main__":
    run_pipeline()
