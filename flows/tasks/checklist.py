"""The campaign's checklist for the maintainers: one message, tasks grouped by kind,
organizations to verify counted per region (their names follow, the list is in
marts.update_tasks)."""
from __future__ import annotations

from collections import defaultdict

from ..confirm.listing import _labels
from ..notify.digest import render_sections
from ..notify.digest_sources import Item
from ..notify.outbox import Message
from .store import Task

TITLES = {
    "verify_organization": ("Organismes à faire vérifier, par région",
                            "Organizations to verify, by region"),
    "guide_section_review": ("Sections du guide à revoir", "Guide sections to review"),
    "translation_update": ("Traductions à mettre à jour", "Translations to update"),
    "lmia_quarter": ("Trimestres LMIA à charger", "LMIA quarters to load"),
    "reference_refresh": ("Données de référence à rafraîchir", "Reference data to refresh"),
    "call_organization": ("Organismes à appeler", "Organizations to call"),
}


def checklist(campaign: str, tasks: list[Task]) -> Message:
    regions = _labels()["regions"]
    by_region: dict[str | None, list[str]] = defaultdict(list)
    items = []
    for task in tasks:
        if task.kind == "verify_organization":
            by_region[task.region_code].append(task.subject)
        else:
            items.append(Item(task.kind, task.task_id,
                              f"{task.subject} (échéance {task.due_date.isoformat()})",
                              f"{task.subject} (due {task.due_date.isoformat()})"))
    for region, names in by_region.items():
        fr, en = regions.get(region or "", ("Région inconnue", "Unknown region"))
        shown = ", ".join(sorted(names)[:8]) + (", …" if len(names) > 8 else "")
        items.append(Item("verify_organization", f"region:{region}",
                          f"{fr} : {len(names)} organisme(s) — {shown}",
                          f"{en}: {len(names)} organization(s) — {shown}", len(names)))
    count = len(tasks)
    payload = render_sections(
        items, TITLES,
        heading={"fr": f"Campagne de mise à jour {campaign.removeprefix('campagne-')}",
                 "en": f"Yearly update campaign {campaign.removeprefix('campagne-')}"},
        summary={"fr": f"{count} tâche(s). Suivi : marts.update_tasks (status = open).",
                 "en": f"{count} task(s). Tracking: marts.update_tasks (status = open)."},
        subject=f"[TMT] Campagne annuelle : {count} tâche(s) / Yearly campaign: {count} task(s)",
        per_section=40)
    return Message("maintainers", "campaign_checklist", "checklist",
                   {**payload, "campaign": campaign})
