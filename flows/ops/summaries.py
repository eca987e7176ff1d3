"""What each flow run did, as a plain dict: the same summary goes into the run journal
(`flow_run.summary`) and, as markdown, into the run's Prefect artifact.

Keys are English snake_case (the dashboard reads them); the markdown labels are French,
then English. Counts only: no timestamps, so two runs that did the same thing say the same.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import duckdb

from flows import labels
from flows.lmia.labels import needed_repairs


def label(key: str) -> str:
    """`fr / en` for a summary key (seed ref_run_summary_labels, read by the mart too)."""
    french, english = labels.summary_key(key)
    return f"{french} / {english}"


def ingest(reports) -> dict:
    statuses = Counter(report.status for report in reports)
    loaded = [report for report in reports if report.status == "loaded"]
    return {"files": len(reports), "loaded": statuses["loaded"],
            "unchanged": statuses["unchanged"], "quarantined": statuses["quarantined"],
            "failed": statuses["failed"], "ignored": statuses["ignored"],
            "repaired": sum(1 for r in loaded if needed_repairs(r)),
            "rows_ingested": sum(r.rows for r in loaded),
            "positions_ingested": sum(r.approved_positions for r in loaded),
            "checks_failed": sum(c["severity"] == "critical" for r in reports for c in r.checks),
            "check_warnings": sum(c["severity"] != "critical" for r in reports for c in r.checks)}


def directory(parsed, result) -> dict:
    return {"rows_read": parsed.rows_read, "rows_imported": parsed.rows_imported,
            "organizations": len(parsed.organizations),
            "created": result.created, "updated": result.updated,
            "unchanged": result.unchanged, "rows_rejected": len(parsed.rejected),
            "duplicates_merged": len(parsed.merged_rows),
            "terms_similar": len(parsed.similar), "terms_free_text": len(parsed.free_text)}


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
            "waiting": report.waiting, "reminders": _without_key(reminders),
            "digest": _without_key(digest)}


def _without_key(line: str) -> str:
    """`rappels / reminders : 2 premier(s)…` → `2 premier(s)…`: the label says it already."""
    for prefix in ("rappels / reminders : ", "résumé / digest : ", "reminders: ", "digest: "):
        if line.startswith(prefix):
            return line[len(prefix):]
    return line


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
            lines += [f"| &nbsp;&nbsp;{label(k)} | {_cell(v, k)} |"
                      for k, v in value.items() if k != "state"]
        else:
            lines.append(f"| {label(key)} | {_cell(value, key)} |")
    for link_label, url in (links or {}).items():
        lines += ["", f"[{link_label}]({url})"]
    return "\n".join(lines)


def text(summary: dict) -> str:
    """The summary as one line a person reads (logs): French labels, then English, French
    number formats, `oui / yes`; a sub-flow's summary shows as its state."""
    parts = []
    for key, value in summary.items():
        if isinstance(value, dict) and key != "statuses":
            value = value.get("state", "")
        parts.append(f"{label(key)} : {readable(key, value)}")
    return " ; ".join(parts)


def readable(key: str, value) -> str:
    if isinstance(value, bool):
        return "oui / yes" if value else "non / no"
    if key.endswith("_share") and isinstance(value, float):
        return f"{value * 100:.1f}".replace(".", ",") + "\u00a0%"
    if isinstance(value, int):
        return labels.whole_number(value)
    if isinstance(value, dict):  # site statuses: labels of the seed ref_website_statuses
        return ", ".join(f"{status_label(code)} {count}" for code, count in value.items())
    return "" if value is None else str(value)


def status_label(code: str) -> str:
    french, english = labels.website_status(code)
    return f"{french.lower()} / {english.lower()}"


def _cell(value, key: str = "") -> str:
    value = readable(key, value)
    return str(value if value is not None else "").replace("|", "\\|").replace("\n", " ")
