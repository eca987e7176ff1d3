"""What the site checks tell the maintainers, through the outbox (digest items).

A broken site (classify.BROKEN) is reported when it breaks, again only when it has stayed
broken for TMT_SITECHECK_REPORT_AGAIN_DAYS since the last report, and once when it works
again; never on every run. `blocked` and `rate_limited` say nothing about the site either
way and change nothing. A guide source whose content changed is reported with its diff.
When most live checks of a run fail to connect, the fault is likelier on this side (DNS,
firewall): one alert is queued instead, and no site's state changes.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flows import labels
from flows.notify.outbox import Message

from .classify import BROKEN

INCONCLUSIVE = ("blocked", "rate_limited")
RULE = "\n\n--- English ---\n\n"

RUN_QUERY = """
with

this_run as (
    select * from sitecheck.check where run_id = ?
),

organizations as (
    select url, list(distinct name order by name) as names
    from (
        select name, trim(website) as url from directory.organization
        union all
        select name, trim(unnest(other_urls)) as url from directory.organization
    )
    group by url
),

sections as (
    select url, list(distinct section_id || ' (' || language || ')'
                     order by section_id || ' (' || language || ')') as names
    from sitecheck.guide_source
    group by url
)

select
    this_run.url, this_run.status, this_run.http_status, this_run.error,
    this_run.final_url, this_run.content_changed, this_run.diff_summary,
    this_run.fingerprint, notice.broken, notice.reported_at,
    coalesce(organizations.names, []), coalesce(sections.names, [])
from this_run
left join sitecheck.notice as notice on this_run.url = notice.url
left join organizations on this_run.url = organizations.url
left join sections on this_run.url = sections.url
order by this_run.url
"""


def decide(con, run_id: str, now: datetime, again_days: int, live: bool
           ) -> tuple[list[Message], list[tuple]]:
    """The messages to queue and the `notice` rows to write after them."""
    rows = con.execute(RUN_QUERY, [run_id]).fetchall()
    failed = [row for row in rows if row[1] in ("unreachable", "timeout")]
    if live and len(rows) >= 20 and len(failed) >= 0.8 * len(rows):
        return [_network_alert(len(failed), len(rows))], []
    messages, notices = [], []
    for (url, status, code, error, final_url, changed, summary, fingerprint, was_broken,
         reported_at, organizations, sections) in rows:
        about = {"url": url, "status": status, "http_status": code, "error": error,
                 "final_url": final_url, "organizations": organizations,
                 "guide_sections": sections}
        if status in BROKEN:
            if not was_broken:
                messages.append(_broken(about, again=False, day=now.date()))
                notices.append((url, True, status, now))
            elif reported_at is None or now - reported_at >= timedelta(days=again_days):
                messages.append(_broken(about, again=True, day=now.date()))
                notices.append((url, True, status, now))
        elif status not in INCONCLUSIVE and was_broken:
            messages.append(_recovered(about, now.date()))
            notices.append((url, False, status, now))
        if changed and sections:
            messages.append(_guide_changed(about, summary, fingerprint))
    return messages, notices


def record(con, notices: list[tuple]) -> None:
    if notices:
        con.executemany("insert or replace into sitecheck.notice values (?, ?, ?, ?)", notices)


def _who(about: dict) -> tuple[str, str]:
    names = about["organizations"] + [f"guide : {s}" for s in about["guide_sections"]]
    english = about["organizations"] + [f"guide: {s}" for s in about["guide_sections"]]
    return ", ".join(names) or "—", ", ".join(english) or "—"


def _item(section: str, key: str, fr: str, en: str, about: dict, kind: str) -> Message:
    return Message(tag="maintainers", kind=kind, template="digest_item",
                   payload={"section": section, "key": key, "fr": fr, "en": en,
                            "text": fr + RULE + en, **about})


def _broken(about: dict, again: bool, day) -> Message:
    who_fr, who_en = _who(about)
    code = f" (HTTP {about['http_status']})" if about["http_status"] else ""
    detail = f" — {about['error']}" if about["error"] else ""
    still_fr, still_en = ("toujours en panne : ", "still broken: ") if again else ("", "")
    status_fr, status_en = (word.lower() for word in labels.website_status(about["status"]))
    # The fetcher's detail is English: it goes in the English half only.
    return _item(
        "broken_sites", f"sitecheck:{about['url']}:{'still_broken' if again else 'broken'}:{day}",
        f"{still_fr}{about['url']} : {status_fr}{code} ({who_fr})",
        f"{still_en}{about['url']}: {status_en}{code}{detail} ({who_en})",
        about, "site_still_broken" if again else "site_broken")


def _recovered(about: dict, day) -> Message:
    who_fr, who_en = _who(about)
    status_fr, status_en = (word.lower() for word in labels.website_status(about["status"]))
    return _item("broken_sites", f"sitecheck:{about['url']}:recovered:{day}",
                 f"de nouveau en ligne : {about['url']} ({status_fr}, {who_fr})",
                 f"working again: {about['url']} ({status_en}, {who_en})",
                 about, "site_recovered")


def _guide_changed(about: dict, summary: str | None, fingerprint: str | None) -> Message:
    sections = ", ".join(about["guide_sections"])
    lines = (summary or "").splitlines()
    counts, quoted = (lines[0] if lines else ""), " / ".join(lines[1:4])
    return _item("guide_sources", f"sitecheck:{about['url']}:changed:{fingerprint}",
                 f"{about['url']} a changé ({counts}) — sections {sections}. {quoted}",
                 f"{about['url']} changed ({counts}) — sections {sections}. {quoted}",
                 {**about, "diff_summary": summary}, "guide_source_changed")


def _network_alert(failed: int, total: int) -> Message:
    fr = (f"{failed} des {total} sites vérifiés n'ont pas répondu (DNS, connexion, délai). "
          "La panne est sans doute de notre côté (réseau, pare-feu, DNS) : aucun site n'a été "
          "signalé comme brisé. À faire : vérifier l'accès réseau, puis relancer "
          "`tmt check-sites --live`.")
    en = (f"{failed} of {total} checked sites did not answer (DNS, connection, timeout). The "
          "fault is probably on our side (network, firewall, DNS): no site was reported "
          "broken. To do: check network access, then run `tmt check-sites --live` again.")
    return Message(tag="alerts", kind="site_check_network", template="alert", payload={
        "subject": "[TMT] Vérification des sites : réseau en cause ? / Site check: network "
                   "problem?", "text": fr + RULE + en, "failed": failed, "checked": total})
