"""The loop, with real parts: reminders by email (aiosmtpd), the confirmation page
(uvicorn), Debian's chromium driven by Playwright opening the link from the email, and
the next build carrying the confirmation into the warehouse."""
from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta

import duckdb
import pytest
from fastapi.testclient import TestClient

from flows.build_warehouse import build_warehouse
from flows.confirm import store, tokens
from flows.confirm.app import create_app
from flows.notify import outbox, reminders, sender
from flows.settings import get_settings
from flows.tasks import campaign, checklist
from flows.tasks import store as task_store
from tests.support.confirmation_site import SIGNING_KEY, PageServer, build_home
from tests.support.smtp import SmtpServer, body, free_port, write_config

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]
JARDINS = "Carrefour fictif d'accueil des Jardins"
CAPITALE = "Maison fictive des travailleurs de la Capitale"


@pytest.fixture(scope="module")
def site(tmp_path_factory, prefect_engine):
    home = tmp_path_factory.mktemp("home")
    smtp = SmtpServer().start()
    port = free_port()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("TMT_HOME", str(home))
        env.setenv("TMT_SIGNING_KEY", SIGNING_KEY)
        env.setenv("TMT_PUBLIC_URL", f"http://127.0.0.1:{port}")
        env.setenv("TMT_APPRISE_CONFIG", str(write_config(home / "apprise.yml", smtp.port)))
        env.setenv("TMT_SEND_INTERVAL_S", "0")
        env.setenv("TMT_CONFIRM_RATE_PER_MINUTE", "1000")
        settings = get_settings()
        build_home(settings)
        with PageServer(create_app(settings), port) as page:
            yield {"settings": settings, "smtp": smtp, "page": page, "env": env}
    smtp.stop()


def ids(settings) -> dict[str, str]:
    with duckdb.connect(str(settings.serving_db), read_only=True) as con:
        return dict(con.execute("select name, organization_id "
                                "from marts.directory_organizations").fetchall())


def links(message) -> list[str]:
    return re.findall(r"http://127\.0\.0\.1:\d+/fiche/\S+", body(message, "plain"))


@pytest.fixture(scope="module")
def reminded(site):
    """Reminders queued and sent once for the module; the emails by recipient."""
    settings = site["settings"]
    report = reminders.queue_due(settings)
    assert reminders.queue_due(settings).line() == reminders.ReminderReport().line()  # once
    sent = sender.send_due(settings)
    assert sent.retrying == sent.failed == 0
    mails = site["smtp"].mailbox.wait_for(report.first)
    return report, {mail["To"]: mail for mail in mails}


def test_reminders_show_the_published_listing_with_signed_links(site, reminded):
    settings = site["settings"]
    report, mails = reminded
    # the 8 active organizations of the sample are past 12 months; the others are not asked
    assert report.first == 8 and report.calls == 0 and report.second == 0
    mail = mails["coordination@jardins.example.org"]  # the contact person, not the public address
    assert mail["Subject"].startswith("Répertoire TMT : votre fiche est-elle à jour ?")
    text, html = body(mail, "plain"), body(mail, "html")  # apprise writes text from the HTML
    assert text.index("Bonjour") < text.index("Voici votre fiche") < text.index("Hello,")
    assert f"{JARDINS} (CFAJ)" in text and "lun-ven 8 h 30 - 16 h 30" in text
    assert "Accueil et installation, Droits du travail" in text
    assert "Reception and settlement, Labour rights" in text
    assert 'href="http://127.0.0.1' in html and "Demander une correction</a>" in html
    confirm_fr, correct_fr, confirm_en, _ = links(mail)
    assert confirm_fr.endswith("?action=confirmer") and correct_fr.endswith("?action=corriger")
    assert confirm_en.endswith("&lang=en")
    organization, token = confirm_fr.split("/fiche/")[1].split("?")[0].split("/")
    grant = tokens.verify(SIGNING_KEY, token, organization, 60)
    assert organization == ids(settings)[JARDINS] and grant.campaign.startswith("verification-")
    assert "/fiche/" not in str(outbox.rows(settings.outbox_db))  # no link at rest there


def test_yearly_campaign_plans_tasks_once_and_mails_the_checklist(site, reminded):
    settings = site["settings"]
    today = datetime.now(UTC).date()
    planned = campaign.plan(settings, today)
    kinds = Counter(task.kind for task in planned)
    assert kinds["verify_organization"] == 8 and kinds["reference_refresh"] == 4
    # the sample stops at 2017 Q3: the latest 8 quarters that should be out by now
    assert kinds["lmia_quarter"] == 8
    assert task_store.add(settings.tasks_db, planned) == planned
    assert task_store.add(settings.tasks_db, campaign.plan(settings, today)) == []  # once
    outbox.enqueue(settings.outbox_db, [checklist.checklist(f"campagne-{today.year}", planned)])
    sender.send_due(settings)
    (mail,) = [m for m in site["smtp"].mailbox.wait_for(9) if "Campagne annuelle" in m["Subject"]]
    text = body(mail, "plain")
    assert mail["To"] == "equipe@example.org"
    assert "Organismes à faire vérifier, par région" in text and "Montérégie : 2 organisme(s)" in text
    assert text.index("Campagne de mise à jour") < text.index("Yearly update campaign")


def test_chromium_confirms_from_the_email_and_the_next_build_has_it(site, reminded, tmp_path):
    from playwright.sync_api import sync_playwright

    settings = site["settings"]
    _, mails = reminded
    confirm_fr, correct_fr, confirm_en, _ = links(mails["coordination@jardins.example.org"])
    shots = tmp_path / "screenshots"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 900, "height": 1300})
        page.goto(confirm_fr)
        assert page.locator("h1").inner_text() == "Votre fiche dans le répertoire"
        assert JARDINS in page.locator("dl.listing").inner_text()
        page.screenshot(path=str(shots / "fiche-fr.png"), full_page=True)
        page.get_by_label("Votre nom (facultatif)").first.fill("Ana Coordonnatrice")
        page.get_by_role("button", name="Confirmer").click()
        page.wait_for_url(re.compile(r"/merci\?quoi=confirmation"))
        assert page.locator("h1").inner_text() == "Merci !"
        assert f"La fiche de {JARDINS} est confirmée" in page.inner_text("main")
        page.screenshot(path=str(shots / "merci-fr.png"))
        page.goto(confirm_en)
        assert page.locator("h1").inner_text() == "Your listing in the directory"
        assert "Listing already confirmed on" in page.inner_text("main")
        page.screenshot(path=str(shots / "fiche-en.png"), full_page=True)
        page.goto(correct_fr)
        page.fill("#f-hours", "lun-ven 9 h - 17 h")
        page.fill("#comment", "Nouvel horaire depuis septembre.")
        page.get_by_role("button", name="Envoyer la demande").click()
        page.wait_for_url(re.compile(r"/merci\?quoi=correction"))
        browser.close()
    print(f"screenshots: {shots}")

    (verification,) = store.verifications(settings.confirmations_db)
    assert verification["assurer"] == "Ana Coordonnatrice"
    build_warehouse()
    jardins = ids(settings)[JARDINS]
    today = datetime.now(UTC).date()
    with duckdb.connect(str(settings.serving_db), read_only=True) as con:
        assert con.execute("select last_confirmed_at from marts.directory_organizations "
                           "where organization_id = ?", [jardins]).fetchone() == (today,)
        (changes, comment), = con.execute("select changes_json, comment from "
                                          "marts.directory_change_requests").fetchall()
        tables = {name for (name,) in con.execute("select table_name from "
                  "information_schema.tables where table_schema = 'marts'").fetchall()}
        if "listing_freshness" in tables:  # the stale flag (issue 6's mart) is cleared
            reasons = con.execute("select coalesce(stale_reasons, '') from "
                                  "marts.listing_freshness where organization_id = ?",
                                  [jardins]).fetchone()[0]
            assert "not_confirmed" not in reasons
    assert '"proposed": "lun-ven 9 h - 17 h"' in changes and comment.startswith("Nouvel horaire")
    with duckdb.connect(str(settings.serving_db), read_only=True) as con:
        statuses = dict(con.execute(
            "select kind || ':' || coalesce(organization_id, subject), status "
            "from marts.update_tasks").fetchall())
    assert statuses[f"verify_organization:{jardins}"] == "done"  # it confirmed
    assert statuses[f"verify_organization:{ids(settings)[CAPITALE]}"] == "open"
    assert {status for key, status in statuses.items() if key.startswith("reference")} == {"open"}
    # two weeks on: the others get their second reminder, the one that confirmed does not
    later = today + timedelta(days=15)
    second = [organization.listing.organization_id for organization in
              reminders.organizations(settings) if reminders.plan(
                  organization, later, 12, 14)]
    assert jardins not in second and len(second) == 7


def grab_form(client, url) -> str:
    page = client.get(url)
    assert page.status_code == 200, page.text
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


def test_bad_links_get_a_plain_refusal_and_change_nothing(site):
    settings = site["settings"]
    client = TestClient(create_app(settings))
    organizations = ids(settings)
    capitale, jardins = organizations[CAPITALE], organizations[JARDINS]
    good = tokens.issue(SIGNING_KEY, capitale, "verification-test")
    expired = tokens.issue(SIGNING_KEY, capitale, "verification-test",
                           datetime.now(UTC) - timedelta(days=61))
    other = tokens.issue(SIGNING_KEY, jardins, "verification-test")
    before = len(store.verifications(settings.confirmations_db))
    for token in ("forged.token.value", good[:-2] + ("AA" if not good.endswith("AA") else "BB"),
                  expired, other, tokens.issue("another-key-" + "z" * 30, capitale, "c")):
        for response in (client.get(f"/fiche/{capitale}/{token}"),
                         client.post(f"/fiche/{capitale}/{token}/confirmer",
                                     data={"csrf": "x"})):
            assert response.status_code == 403
            assert "Lien non valide" in response.text and CAPITALE not in response.text
    assert len(store.verifications(settings.confirmations_db)) == before


def test_confirming_twice_is_harmless_and_forms_need_their_csrf_token(site):
    settings = site["settings"]
    client = TestClient(create_app(settings))
    capitale = ids(settings)[CAPITALE]
    token = tokens.issue(SIGNING_KEY, capitale, "verification-replay")
    url = f"/fiche/{capitale}/{token}"
    assert client.post(f"{url}/confirmer", data={}).status_code == 403  # no CSRF token
    stranger = TestClient(create_app(settings))  # a form from another browser's session
    assert stranger.post(f"{url}/confirmer", data={"csrf": grab_form(client, url)}
                         ).status_code == 403
    for _ in range(2):
        response = client.post(f"{url}/confirmer", data={"csrf": grab_form(client, url)},
                               follow_redirects=False)
        assert response.status_code == 303
    replayed = client.post(f"{url}/confirmer", data={"csrf": grab_form(client, url)})
    assert replayed.status_code == 200 and "est confirmée" in replayed.text
    mine = [row for row in store.verifications(settings.confirmations_db)
            if row["campaign"] == "verification-replay"]
    assert len(mine) == 1
    unchanged = client.post(f"{url}/corriger", data={"csrf": grab_form(client, url)})
    assert unchanged.status_code == 400 and "rien à envoyer" in unchanged.text


def test_headers_no_listing_of_others_and_rate_limit(site, monkeypatch):
    settings = site["settings"]
    client = TestClient(create_app(settings))
    capitale = ids(settings)[CAPITALE]
    url = f"/fiche/{capitale}/{tokens.issue(SIGNING_KEY, capitale, 'verification-headers')}"
    page = client.get(url)
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["referrer-policy"] == "no-referrer"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["cache-control"] == "no-store"
    cookie = page.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    home = client.get("/")
    assert home.status_code == 200 and "fictive" not in home.text
    for path in ("/docs", "/openapi.json", "/fiche", f"/fiche/{capitale}", "/organisations"):
        assert client.get(path).status_code == 404, path

    monkeypatch.setenv("TMT_CONFIRM_RATE_PER_MINUTE", "5")
    limited = TestClient(create_app(get_settings()))
    statuses = [limited.get(url).status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    guessing = TestClient(create_app(get_settings()))
    assert guessing.get(f"/fiche/{capitale}/guess").status_code == 403  # costs five
    assert guessing.get(url).status_code == 429


def test_notify_flow_sends_the_digest_with_the_change_request(site):
    from flows.send_notifications import notify

    settings = site["settings"]
    before = len(site["smtp"].mailbox.messages)
    line = notify()
    assert "résumé / digest :" in line and "queued" in line, line
    mails = site["smtp"].mailbox.wait_for(before + 1)[before:]
    (digest_mail,) = [m for m in mails if m["Subject"].startswith("[TMT] Résumé")]
    text = body(digest_mail, "plain")
    assert "Demandes de correction à examiner (1)" in text
    assert f"{JARDINS} : hours « Nouvel horaire depuis septembre. »" in text
    assert "Nouveau trimestre LMIA" in text and "2017 T3" in text
    assert notify().endswith("outbox: 0 sent, 0 to retry, 0 failed")  # nothing new: no digest
    assert outbox.rows(settings.outbox_db, "pending") == []
