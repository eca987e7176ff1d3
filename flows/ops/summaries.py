"""What each flow run did, as a plain dict: the same summary goes into the run journal
(`flow_run.summary`) and, as markdown, into the run's Prefect artifact.

Keys are English snake_case (the dashboard reads them); the markdown labels are French,
then English. Counts only: no timestamps, so two runs that did the same thing say the same.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import duckdb

# French / English labels of the summary keys, for the markdown artifact.
LABELS = {
    "files": "fichiers / files", "loaded": "chargés / loaded", "unchanged": "inchangés / unchanged",
    "quarantined": "en quarantaine / quarantined", "failed": "en échec / failed",
    "rows_ingested": "lignes ingérées / rows ingested",
    "positions_ingested": "postes ingérés / positions ingested",
    "rows_read": "lignes lues / rows read", "organizations": "organismes / organizations",
    "created": "nouveaux / created", "updated": "modifiés / updated",
    "rows_rejected": "lignes rejetées / rows rejected", "urls": "URL à vérifier / URLs to check",
    "checked": "vérifiées / checked", "skipped": "non vérifiées / skipped",
    "problems": "problèmes / problems", "statuses": "statuts / statuses",
    "notices_queued": "avis en file / notices queued",
    "positions": "postes au Québec / positions in Quebec",
    "positions_placed": "postes placés au Québec / positions placed in Quebec",
    "placed_share": "part placée au Québec / placed share in Quebec", "stale_listings": "fiches périmées / stale listings",
    "checks_run": "contrôles exécutés / checks run", "checks_passed": "contrôles réussis / checks passed",
    "checks_failed": "contrôles en échec / checks failed",
    "check_warnings": "avertissements / warnings", "published_version": "version publiée / published version",
    "published": "nouvelle publication / new publication",
    "sent": "envoyés / sent", "retrying": "à réessayer / to retry",
    "waiting": "en attente dans la file / waiting in the outbox",
    "reminders": "rappels / reminders", "digest": "résumé / digest",
    "campaign": "campagne / campaign", "new_tasks": "nouvelles tâches / new tasks",
    "checklist": "liste envoyée / checklist", "build": "construction / build",
    "alert_queued": "alerte en file / alert queued",
}


def ingest(reports) -> dict:
    statuses = Counter(report.status for report in reports)
    loaded = [report for report in reports if report.status == "loaded"]
    return {"files": len(reports), "loaded": statuses["loaded"],
            "unchanged": statuses["unchanged"], "quarantined": statuses["quarantined"],
            "failed": statuses["failed"], "rows_ingested": sum(r.rows for r in loaded),
            "positions_ingested": sum(r.approved_positions for r in loaded),
            "checks_failed": sum(c["severity"] == "critical" for r in reports for c in r.checks),
            "check_warnings": sum(c["severity"] != "critical" for r in reports for c in r.checks)}


def directory(parsed, result) -> dict:
    return {"rows_read": parsed.rows_read, "organizations": len(parsed.organizations),
            "created": result.created, "updated": result.updated,
            "unchanged": result.unchanged, "rows_rejected": len(parsed.rejected)}


def sites(summary, queued: int) -> dict:
    broken = len(summary.problems)
    return {"urls": summary.targets, "checked": summary.checked, "skipped": summary.skipped,
            "problems": broken, "statuses": dict(sorted(summary.statuses.items())),
            "notices_queued": queued}


def marts_facts(serving_db: Path) -> dict:
    """Quebec's positions placed in a municipality and stale listings, read from the served
    marts. Quebec only: the lists cover Canada, but only Quebec rows are geolocated, so a
    share over all provinces would say nothing (0.29 on the sample, 1.00 for Quebec)."""
    if not serving_db.exists():
        return {}
    with duckdb.connect(str(serving_db), read_only=True) as con:
        positions, placed = con.execute(
            """select coalesce(sum(approved_positions), 0),
                      coalesce(sum(approved_positions) filter (
                          where geo_precision in ('postal_code', 'municipality')), 0)
               from marts.fct_lmia_positions where province_code = 'QC'""").fetchone()
        tables = {name for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts'"
        ).fetchall()}
        stale = con.execute("select count(*) filter (where is_stale) from marts.listing_freshness"
                            ).fetchone()[0] if "listing_freshness" in tables else 0
    return {"positions": int(positions), "positions_placed": int(placed),
            "placed_share": round(placed / positions, 4) if positions else None,
            "stale_listings": int(stale)}


def build(outcome, publication, serving_db: Path) -> dict:
    failed = len(outcome.critical)
    return {**marts_facts(serving_db), "checks_run": outcome.expectations,
            "checks_passed": outcome.expectations - len(outcome.findings),
            "checks_failed": failed, "check_warnings": len(outcome.warnings),
            "published_version": publication.version, "published": publication.changed}


def notify(report, reminders: str, digest: str) -> dict:
    return {"sent": report.sent, "failed": report.failed, "retrying": report.retrying,
            "waiting": report.waiting, "reminders": reminders, "digest": digest}


def pipeline(children: list[dict]) -> dict:
    """The sub-flows of a run (journal rows), in the order they started: state and summary."""
    return {child["flow"]: {"state": child["state"], **child["summary"],
                            **({"message": child["message"]} if child["message"] else {})}
            for child in children}


def data_docs_url(home: Path) -> str | None:
    index = home / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"
    return index.resolve().as_uri() if index.exists() else None


def markdown(title: str, summary: dict, links: dict[str, str] | None = None) -> str:
    """The summary as a two-column table, nested summaries (sub-flows) as their own rows."""
    lines = [f"## {title}", "", "| | |", "|---|---|"]
    for key, value in summary.items():
        if isinstance(value, dict) and key not in ("statuses",):
            lines.append(f"| **{key}** | {value.get('state', '')} |")
            lines += [f"| &nbsp;&nbsp;{LABELS.get(k, k)} | {_cell(v)} |"
                      for k, v in value.items() if k != "state"]
        else:
            lines.append(f"| {LABELS.get(key, key)} | {_cell(value)} |")
    for label, url in (links or {}).items():
        lines += ["", f"[{label}]({url})"]
    return "\n".join(lines)


def _cell(value) -> str:
    if isinstance(value, dict):
        value = ", ".join(f"{k} {v}" for k, v in value.items())
    return str(value if value is not None else "").replace("|", "\\|").replace("\n", " ")
