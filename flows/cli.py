"""`tmt`: one entry point, thin over the Prefect flows.

Commands that only read (`--help`, `tmt sql`) never import Prefect: importing it costs
seconds and a flow run without a server starts a temporary one.
"""
from __future__ import annotations

import argparse
import os
import sys

from flows.errors import TmtError


def _runs_flows(handler):
    """A command that runs flows: they run without Prefect heartbeats (flows/ops/heartbeats.py:
    each flow run ended up to a second late)."""
    import functools

    @functools.wraps(handler)
    def run(args: argparse.Namespace) -> int:
        from flows.ops.heartbeats import without_flow_heartbeats

        with without_flow_heartbeats():
            return handler(args)

    return run


def _warm_dbt(handler):
    """A command that builds: dbt is imported and the project parsed in a process of its own
    while Prefect starts here (flows/warehouse/warm_dbt.py)."""
    import functools

    @functools.wraps(handler)
    def run(args: argparse.Namespace) -> int:
        from flows.warehouse import warm_dbt

        if not getattr(args, "shared", False):
            warm_dbt.start_early()
        try:
            return handler(args)
        finally:
            warm_dbt.close_early()

    return run


@_warm_dbt
@_runs_flows
def _cmd_run(args: argparse.Namespace) -> int:
    _check_source(args.lmia_source)
    if args.directory_source:
        from flows.directory.importer import check_source

        check_source(args.directory_source)
    from flows.run_pipeline import run_pipeline

    run_pipeline(lmia_source=args.lmia_source, directory_source=args.directory_source)
    return 0


def _check_source(source: str | None) -> None:
    """Fail before starting a flow when a local source plainly does not exist."""
    from pathlib import Path

    if source and not source.lower().startswith(("http://", "https://")) \
            and not Path(source).expanduser().exists():
        raise TmtError(f"{source}: ni fichier, ni dossier, ni URL http(s) / no such file or "
                       f"folder, and not an http(s) URL")


@_runs_flows
def _cmd_ingest_lmia(args: argparse.Namespace) -> int:
    _check_source(args.source)
    from flows.ingest_lmia import ingest_lmia
    from flows.lmia.ingest import summary_line

    for report in ingest_lmia(args.source):
        print(summary_line(report))
    return 0


@_runs_flows
def _cmd_ingest_context(args: argparse.Namespace) -> int:
    _check_source(args.source)
    from flows.context.ingest import summary_line
    from flows.ingest_context import ingest_context

    for report in ingest_context(args.source):
        print(summary_line(report))
    return 0


@_runs_flows
def _cmd_import_directory(args: argparse.Namespace) -> int:
    from flows.directory.importer import check_source

    if args.path:
        check_source(args.path)
    from flows.import_directory import import_directory

    import_directory(args.path, updated_by=args.by)
    return 0


@_runs_flows
def _cmd_check_sites(args: argparse.Namespace) -> int:
    from flows.settings import get_settings
    from flows.sitecheck.steps import allowed_networks
    from flows.sitecheck.targets import read_guide

    try:
        settings = get_settings()
    except ValueError as exc:  # a bad TMT_SITECHECK_* value, named
        raise TmtError(str(exc)) from exc
    allowed_networks(settings)  # fail on bad settings before Prefect starts
    read_guide(settings.sitecheck.guide_sources)
    from flows.check_sites import check_sites

    check_sites(live=args.live)
    return 0


@_warm_dbt
@_runs_flows
def _cmd_build(args: argparse.Namespace) -> int:
    if args.shared:
        from flows.settings import get_settings
        from flows.warehouse.shared_target import build_shared

        print("\n".join(build_shared(get_settings())))
        return 0
    from flows.build_warehouse import build_warehouse

    print(build_warehouse())
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    from flows.deployments import serve

    serve()
    return 0


def _cmd_deploy(args: argparse.Namespace) -> int:
    from flows.deployments import JOBS, deploy_to_pool

    for job, deployment_id in zip(JOBS, deploy_to_pool(args.pool, args.source), strict=True):
        print(f"{job.name}: {deployment_id} (work pool {args.pool})")
    return 0


@_runs_flows
def _cmd_notify(args: argparse.Namespace) -> int:
    from flows.send_notifications import notify

    print(notify(require_signing_key=not args.no_reminders))
    return 0


def _cmd_serve_confirmations(args: argparse.Namespace) -> int:
    from flows.confirm.app import serve

    serve(args.host, args.port)
    return 0


@_runs_flows
def _cmd_campaign(args: argparse.Namespace) -> int:
    from flows.update_campaign import update_campaign

    print(update_campaign())
    return 0


def _cmd_tasks_done(args: argparse.Namespace) -> int:
    from flows.directory.importer import default_updated_by
    from flows.settings import get_settings
    from flows.tasks.store import mark_done

    if not mark_done(get_settings().tasks_db, args.task_id, args.by or default_updated_by()):
        raise TmtError(f"{args.task_id}: no open task with this id (see marts.update_tasks)")
    print(f"{args.task_id}: done (marts.update_tasks shows it after the next build)")
    return 0


def _cmd_dashboards_deploy(args: argparse.Namespace) -> int:
    from flows.dashboards.deploy import deploy
    from flows.settings import get_settings

    print("\n".join(deploy(get_settings())))
    return 0


def _cmd_dashboards_export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from flows.dashboards.deploy import export_tree
    from flows.settings import get_settings

    written = export_tree(get_settings(), Path(args.to) if args.to else None)
    print("\n".join(f"written: {path}" for path in written) or "nothing to write: the tree "
          "already holds what Superset has")
    return 0


def _cmd_sql(args: argparse.Namespace) -> int:
    from flows.sql import run_query

    print(run_query(args.query, output=args.format))
    return 0


def _cmd_versions(args: argparse.Namespace) -> int:
    from flows.settings import get_settings
    from flows.warehouse.versions import listing

    print(listing(get_settings()))
    return 0


def _cmd_rollback(args: argparse.Namespace) -> int:
    from flows.settings import get_settings
    from flows.warehouse.versions import rollback

    before, now = rollback(get_settings(), args.to)
    print(f"already serving {now}" if before == now
          else f"serving {now} (was {before or 'an unversioned file'})")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tmt",
        description="Observatoire TMT: keeps the map, directory and guide of temporary "
                    "migrant workers in Quebec up to date. Data goes under $TMT_HOME "
                    "(default ./data).")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    run = commands.add_parser("run", help="the whole pipeline once (bundled sample by default)",
                              description="Ingest, build and publish once. With no "
                              "configuration it runs on the bundled sample data.")
    run.add_argument("--lmia-source", help="LMIA source (default: $TMT_LMIA_SOURCE or the sample)")
    run.add_argument("--directory-source", metavar="PATH",
                     help="directory spreadsheet (default: $TMT_DIRECTORY_SOURCE or the "
                          "fictional sample)")
    run.set_defaults(handler=_cmd_run)

    ingest = commands.add_parser("ingest", help="load a source into the raw archive",
                                 description="Load a source into the raw archive.")
    ingest_kinds = ingest.add_subparsers(dest="kind", metavar="KIND", required=True)
    lmia = ingest_kinds.add_parser(
        "lmia", help="Positive LMIA employers lists",
        description="Discover, archive, parse and load Positive LMIA employers lists. Bad "
                    "files are quarantined with a reason, the others are loaded, and the "
                    "command exits non-zero.")
    lmia.add_argument("--source", metavar="URL|FOLDER|FILE",
                      help="a CKAN dataset or portal URL, a file URL, a folder or one file "
                           "(default: $TMT_LMIA_SOURCE, else the bundled sample)")
    lmia.set_defaults(handler=_cmd_ingest_lmia)
    context = ingest_kinds.add_parser(
        "context", help="ESDC's annual LMIA statistics and IRCC's temporary-resident tables",
        description="Discover, archive, parse, reconcile and load ESDC's annual LMIA "
                    "statistics (tables 3 and 10) and IRCC's TFWP tables. A file that does "
                    "not add up to its own totals is quarantined with a reason and the "
                    "command exits non-zero.")
    context.add_argument("--source", metavar="URL|FOLDER|FILE",
                         help="the data portal's URL, a CKAN dataset URL, a file URL, a folder "
                              "or one file (default: $TMT_CONTEXT_SOURCE, else the bundled "
                              "copies)")
    context.set_defaults(handler=_cmd_ingest_context)

    importing = commands.add_parser(
        "import", help="importer un tableur / import a spreadsheet",
        description="Importer un tableur tenu par l'équipe. / Import a spreadsheet kept by "
                    "the maintainers.")
    import_kinds = importing.add_subparsers(dest="kind", metavar="KIND", required=True)
    directory = import_kinds.add_parser(
        "directory", help="répertoire des ressources (CSV ou XLSX) / the directory",
        description="Importer le répertoire des ressources en immigration (CSV ou XLSX, "
                    "en-têtes français ou anglais : docs/directory-spreadsheet.md). Le fichier "
                    "est archivé, les lignes valides importées, les changements notés au journal; "
                    "les lignes rejetées sont mises en quarantaine et la commande finit en "
                    "erreur. / Import the directory spreadsheet; good rows are imported, bad "
                    "rows quarantined with their reason, and the command exits non-zero.")
    directory.add_argument("path", nargs="?", metavar="PATH",
                           help="fichier CSV ou XLSX (défaut : $TMT_DIRECTORY_SOURCE, sinon "
                                "l'exemple fictif) / CSV or XLSX file")
    directory.add_argument("--by", metavar="NAME",
                           help="qui fait la mise à jour, pour le journal des changements "
                                "(défaut : $TMT_UPDATED_BY ou l'utilisateur) / who, for the "
                                "change log")
    directory.set_defaults(handler=_cmd_import_directory)

    sites = commands.add_parser(
        "check-sites", help="check organization websites and guide sources",
        description="Check every organization's website and other URLs (the imported "
                    "directory) and every guide source ($TMT_GUIDE_SOURCES): status, redirects, "
                    "content changes. Results go to the check history (sitecheck.check); "
                    "marts.listing_freshness and marts.guide_section_freshness show them "
                    "after `tmt build`. Broken sites and changed guide sources are queued for "
                    "the maintainers. Sites are contacted only with --live or "
                    "TMT_SITECHECK_LIVE=true; otherwise only what needs no network is decided "
                    "(invalid URLs, reserved example names, private addresses).")
    mode = sites.add_mutually_exclusive_group()
    mode.add_argument("--live", dest="live", action="store_true", default=None,
                      help="contact the sites (default: $TMT_SITECHECK_LIVE, else off)")
    mode.add_argument("--offline", dest="live", action="store_false",
                      help="contact nothing, even when TMT_SITECHECK_LIVE is true")
    sites.set_defaults(handler=_cmd_check_sites)

    build = commands.add_parser(
        "build", help="dbt build, data checks, then publish the serving database",
        description="Run dbt build (seeds, models, tests) on the working database, then the "
                    "mart data checks (Great Expectations) and, when everything passes, "
                    "publish the marts to $TMT_HOME/warehouse/tmt.duckdb as a new version. "
                    "A failure queues an alert and leaves the serving database as it was.")
    build.add_argument("--shared", action="store_true",
                       help="instead: copy the sources to the shared PostgreSQL warehouse "
                            "(TMT_PG_* variables) and build the marts there with dbt's "
                            "`postgres` target; no data checks, no publication")
    build.set_defaults(handler=_cmd_build)

    serve = commands.add_parser(
        "serve", help="register the Prefect deployments and serve their schedules",
        description="Register every deployment (flows/deployments.py) with the Prefect server "
                    "named by PREFECT_API_URL and run them on schedule until interrupted. "
                    "Schedules are active only when TMT_ENV=prod.")
    serve.set_defaults(handler=_cmd_serve)

    deploy = commands.add_parser(
        "deploy", help="register the Prefect deployments with a work pool (production)",
        description="Register every deployment (flows/deployments.py) with the work pool "
                    "NAME on the Prefect server named by PREFECT_API_URL; a worker of that "
                    "pool runs them (deploy/production.md). Schedules are active only when "
                    "TMT_ENV=prod.")
    deploy.add_argument("--pool", required=True, metavar="NAME", help="work pool name")
    deploy.add_argument("--source", metavar="DIR",
                        help="the checkout the workers run the flows from (default: this one)")
    deploy.set_defaults(handler=_cmd_deploy)

    notify = commands.add_parser(
        "notify", help="send reminders, alerts and the maintainers' digest (apprise)",
        description="Queue the organization reminders due today (needs TMT_SIGNING_KEY), "
                    "send the outbox through the apprise configuration TMT_APPRISE_CONFIG "
                    "(without it, messages stay in $TMT_HOME/state/outbox.sqlite), and "
                    "queue and send the maintainers' digest when something is new.")
    notify.add_argument("--no-reminders", action="store_true",
                        help="do not fail when TMT_SIGNING_KEY is missing (no reminders then)")
    notify.set_defaults(handler=_cmd_notify)

    confirmations = commands.add_parser(
        "serve-confirmations", help="serve the listing confirmation page (signed links)",
        description="Serve the page that the links in organization reminders open (needs "
                    "TMT_SIGNING_KEY). In production, put it behind a reverse proxy with "
                    "HTTPS at TMT_PUBLIC_URL (deploy/confirmations.md).")
    confirmations.add_argument("--host", default="127.0.0.1", help="default: 127.0.0.1")
    confirmations.add_argument("--port", type=int, default=8000, help="default: 8000")
    confirmations.set_defaults(handler=_cmd_serve_confirmations)

    campaign = commands.add_parser(
        "campaign", help="plan the yearly update campaign and send the checklist",
        description="Plan this year's update tasks (organizations to verify, LMIA quarters "
                    "to load, guide sections, reference data), send the maintainers the "
                    "checklist, then build: the tasks are in marts.update_tasks.")
    campaign.set_defaults(handler=_cmd_campaign)

    tasks = commands.add_parser("tasks", help="update tasks", description="Update tasks.")
    task_actions = tasks.add_subparsers(dest="action", metavar="ACTION", required=True)
    done = task_actions.add_parser(
        "done", help="mark a task done by hand",
        description="Mark an update task done (one the data cannot close by itself, such "
                    "as a reference refresh).")
    done.add_argument("task_id", help="task_id from marts.update_tasks")
    done.add_argument("--by", metavar="NAME", help="who (default: $TMT_UPDATED_BY or the user)")
    done.set_defaults(handler=_cmd_tasks_done)

    dashboards = commands.add_parser(
        "dashboards", help="Superset dashboards (tableaux de bord)",
        description="Superset dashboards kept as code in dashboards/.")
    dashboard_actions = dashboards.add_subparsers(dest="action", metavar="ACTION",
                                                  required=True)
    dashboards_deploy = dashboard_actions.add_parser(
        "deploy", help="deploy dashboards/ and its roles to Superset",
        description="Deploy the reviewed YAML tree in dashboards/ (database connection, "
                    "datasets, charts, dashboards, matched by UUID) and dashboards/roles.yaml "
                    "(roles carte_tmt and analyste, who sees which dashboard) to the Superset "
                    "at $SUPERSET_URL (default http://127.0.0.1:8088, `make superset`), as "
                    "$SUPERSET_ADMIN_USER / $SUPERSET_ADMIN_PASSWORD (admin/admin only for a "
                    "Superset on this machine). The connection opens $TMT_HOME/warehouse/"
                    "tmt.duckdb read-only. Re-deploying an unchanged tree changes nothing.")
    dashboards_deploy.set_defaults(handler=_cmd_dashboards_deploy)
    dashboards_export = dashboard_actions.add_parser(
        "export", help="write what Superset holds back into dashboards/",
        description="Export the Superset at $SUPERSET_URL into the dashboards/ tree, for a "
                    "change made in a local Superset to be reviewed as a diff: files keep "
                    "their names (matched by UUID), integer ids and the serving file's path "
                    "are removed, nothing is deleted.")
    dashboards_export.add_argument("--to", metavar="DIR",
                                   help="write into DIR instead of dashboards/")
    dashboards_export.set_defaults(handler=_cmd_dashboards_export)

    sql = commands.add_parser("sql", help="read-only query of the serving database",
                              description="Run one read-only SQL query on "
                                          "$TMT_HOME/warehouse/tmt.duckdb.")
    sql.add_argument("query", help='e.g. "select * from marts.tmw_by_territory limit 5"')
    sql.add_argument("--format", choices=("table", "csv", "json"), default="table")
    sql.set_defaults(handler=_cmd_sql)

    listed = commands.add_parser(
        "versions", help="list the kept versions of the serving database",
        description="List the published versions kept under $TMT_HOME/warehouse/versions "
                    "(newest first; * marks the one served). TMT_KEEP_VERSIONS sets how many "
                    "are kept besides the served one.")
    listed.set_defaults(handler=_cmd_versions)

    rollback = commands.add_parser(
        "rollback", help="serve a previous version of the serving database",
        description="Serve a kept version again, by an atomic rename: readers see the "
                    "previous database or the restored one, never a mix. Without --to, the "
                    "version published before the one served now.")
    rollback.add_argument("--to", metavar="VERSION",
                          help="a version from `tmt versions`, e.g. 20261121T104544Z")
    rollback.set_defaults(handler=_cmd_rollback)
    return parser


def _quiet_shutdown() -> None:
    """After the one-line error, nothing else reaches stderr.

    A failed run leaves its exception (and DuckDB objects in its frames) referenced by
    Prefect's state until the interpreter exits, where DuckDB's bindings then print dozens
    of "nanobind: leaked instance" lines. They are noise after the error a person must read.
    """
    sys.stderr.flush()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)


def _use_local_server() -> None:
    """Use the server `make prefect` started for this $TMT_HOME, when it is running.

    Without a server, each flow run starts a temporary one (4 s warm, 13 s cold): `tmt ingest
    lmia` with nothing new would cost that every time. deploy/prefect-server.sh leaves
    `prefect/api_url` beside its pid file while the server runs; an explicit PREFECT_API_URL
    wins. No server: the temporary one, as before (a fresh machine needs no daemon).
    """
    from pathlib import Path

    if os.environ.get("PREFECT_API_URL"):
        return
    state = Path(os.environ.get("TMT_HOME") or "data") / "prefect"
    try:
        pid = int((state / "server.pid").read_text().strip())
        url = (state / "api_url").read_text().strip()
        os.kill(pid, 0)
    except (OSError, ValueError):
        return
    if url.startswith("http://127.0.0.1:"):
        os.environ["PREFECT_API_URL"] = url


def main(argv: list[str] | None = None) -> int:
    # No internet in CI and for many users: never let Prefect phone home.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    # Run logs go to stdout; stderr carries only the one-line error a person must read.
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_STREAM", "ext://sys.stdout")
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_DEBUG_STREAM", "ext://sys.stdout")
    args = build_parser().parse_args(argv)
    _use_local_server()
    try:
        return args.handler(args)
    except TmtError as exc:
        print(f"tmt: error: {exc}", file=sys.stderr)
        _quiet_shutdown()
        # 3: `tmt build` published but withheld some periods (flows/quality/marts.py).
        return getattr(exc, "exit_code", 1)
    except KeyboardInterrupt:
        print("tmt: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
