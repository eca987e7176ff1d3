"""The yearly update campaign's checklist, as update tasks (`campagne-YYYY`):

- organizations to verify: active, not confirmed for TMT_REMINDER_AFTER_MONTHS, per region
  (the reminders ask them; the task closes when they confirm);
- LMIA quarters that should be published by now but are not loaded (ESDC publishes a
  quarter some months after it ends: QUARTER_LAG), and quarantined LMIA files;
- guide sections whose sources changed, and translations (en, es) reviewed before their
  French section (marts.guide_section_freshness, from the site checks);
- reference data to refresh: the seeds built from public files (dbt_project/seeds/README.md).

Planning reads the serving and working databases read-only; it writes tasks.sqlite only.
"""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb

from ..confirm import listing as listings
from ..confirm import store as confirmations
from ..notify.reminders import months_before
from ..settings import Settings
from .store import Task

QUARTER_LAG = timedelta(days=120)
MAX_QUARTERS = 8
REFERENCES = (  # (key, what to refresh, where it comes from)
    ("ref_quebec_municipalities", ("Répertoire des municipalités du Québec (MAMH) : "
     "ref_quebec_municipalities, ref_quebec_regions, ref_municipality_aliases"),
     "Données Québec"),
    ("ref_noc_codes", ("Classification nationale des professions (CNP/NOC) : ref_noc_codes, "
     "ref_noc_broad_categories, ref_noc2016_to_2021"), "Statistique Canada"),
    ("ref_fsa_centroids", "Codes postaux (RTA) : ref_fsa_centroids", "GeoNames"),
    ("ref_places", "Localités : ref_places", "simplemaps Canada Cities"),
)


def _quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def _next(year: int, quarter: int) -> tuple[int, int]:
    return (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def expected_quarters(loaded: set[tuple[int, int]], today: date) -> list[tuple[int, int]]:
    """Quarters after the latest loaded one, up to the latest that should be out by now."""
    if not loaded:
        return []
    ended = _quarter_of(today - QUARTER_LAG)
    latest_out = (ended[0] - 1, 4) if ended[1] == 1 else (ended[0], ended[1] - 1)
    missing, current = [], _next(*max(loaded))
    while current <= latest_out:
        missing.append(current)
        current = _next(*current)
    return missing[-MAX_QUARTERS:]  # far behind: the latest ones first


def _read(db: Path, sql: str) -> list[tuple]:
    if not db.exists():
        return []
    with duckdb.connect(str(db), read_only=True) as con:
        try:
            return con.execute(sql).fetchall()
        except duckdb.CatalogException:
            return []


def plan(settings: Settings, today: date) -> list[Task]:
    campaign = f"campagne-{today.year}"
    tasks: list[Task] = []
    confirmed_online = confirmations.latest_confirmations(settings.confirmations_db)
    limit = months_before(today, settings.reminder_after_months)
    for entry in listings.all_published(settings.serving_db):
        online = confirmed_online.get(entry.organization_id)
        last = max([day for day in (entry.last_confirmed_at, online.date() if online else None)
                    if day], default=None)
        if entry.status == "active" and (last is None or last <= limit):
            tasks.append(Task(campaign, "verify_organization", entry.name,
                              today + timedelta(days=90), entry.organization_id,
                              (entry.region_codes or "").split(",")[0] or None,
                              entry.organization_id,
                              {"last_confirmed": last.isoformat() if last else None}))
    loaded = set(_read(settings.serving_db, "select distinct period_year, period_quarter from "
                       "marts.fct_lmia_positions where period_kind = 'quarter'"))
    for year, quarter in expected_quarters(loaded, today):
        tasks.append(Task(campaign, "lmia_quarter",
                          f"LMIA {year} T{quarter} : vérifier la publication d'EDSC et la charger",
                          today + timedelta(days=30), f"{year}Q{quarter}",
                          details={"period_year": year, "period_quarter": quarter}))
    for name, reason in _read(settings.work_db, "select original_name, reason from "
                              "raw.lmia_quarantine order by original_name"):
        tasks.append(Task(campaign, "lmia_quarter", f"Fichier LMIA en quarantaine : {name}",
                          today + timedelta(days=30), f"quarantine:{name}",
                          details={"reason": reason}))
    tasks += _guide_tasks(settings, campaign, today)
    tasks += [Task(campaign, "reference_refresh", f"Rafraîchir {what}",
                   today + timedelta(days=90), key, details={"source": source})
              for key, what, source in REFERENCES]
    return tasks


def _guide_tasks(settings: Settings, campaign: str, today: date) -> list[Task]:
    """From marts.guide_section_freshness (flows/sitecheck): sections whose sources changed
    (or broke) since their review, and translations reviewed before their French section."""
    rows = _read(settings.serving_db, "select section_id, language, needs_review, reviewed_on "
                 "from marts.guide_section_freshness order by section_id, language")
    french = {section: reviewed for section, language, _, reviewed in rows if language == "fr"}
    tasks: list[Task] = []
    for section, language, needs_review, reviewed in rows:
        if needs_review:
            tasks.append(Task(campaign, "guide_section_review",
                              f"Guide : revoir « {section} » ({language}), sources modifiées "
                              "ou brisées", today + timedelta(days=60), f"{section}|{language}"))
        source = french.get(section)
        if language in ("en", "es") and source and (reviewed is None or reviewed < source):
            tasks.append(Task(campaign, "translation_update",
                              f"Guide : mettre à jour la traduction « {section} » ({language}) "
                              "d'après le français révisé", today + timedelta(days=60),
                              f"{section}|{language}|translation"))
    return tasks
