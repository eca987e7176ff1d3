"""`tmt dashboards deploy` against a real Superset, started the way `make superset` starts it
(deploy/superset/service.py, its own virtualenv) on a free loopback port with a private
SUPERSET_HOME; headless Chromium opens every dashboard and saves a screenshot."""
from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
from types import SimpleNamespace

import pytest
import requests
import yaml

from flows.build_warehouse import build_warehouse
from flows.dashboards.bundle import chart_nodes
from flows.dashboards.deploy import DASHBOARDS_DIR
from flows.settings import REPO_ROOT, get_settings
from tests.dbt.test_dbt_context import load_bundled_context
from tests.support.operations import write_operations_for_sample
from tests.support.sample_home import copy_home
from tests.support.samples import load_sample_directory
from tests.support.visible_labels import problems

SUPERSET_PYTHON = REPO_ROOT / ".venv-superset" / "bin" / "python"
SERVICE = REPO_ROOT / "deploy" / "superset" / "service.py"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]
TREE = {kind: len(list((DASHBOARDS_DIR / kind).rglob("*.yaml")))
        for kind in ("databases", "datasets", "charts", "dashboards")}
MAP_CHARTS = {"Carte des postes approuvés", "Employeurs derrière les points"}
TILE_SERVER = "https://tile.openstreetmap.org/"  # DECKGL_BASE_MAP in superset_config.py
BASE_MAP = "/fond-de-carte/"  # the offline base map (deploy/superset/base_map/tiles.py)
QUEBEC_OUTLINE = (37, 68, 104)  # tiles.QUEBEC_OUTLINE (that module runs in Superset's venv)
QUEBEC_FILL = (255, 253, 245)  # tiles.QUEBEC
# A point: color_picker of dashboards/charts/carte_points.yaml, (205, 0, 3) at 70 %, on Quebec
POINT = tuple(round(0.7 * point + 0.3 * land) for point, land in zip((205, 0, 3), QUEBEC_FILL))
# The share of a screenshot's pixels close to a colour, counted by the browser (the PNG is
# decoded there: no image library in the platform's virtualenv).
COLOUR_SHARE = """async ([png, rgb, tolerance]) => {
  const image = new Image();
  image.src = "data:image/png;base64," + png;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.width; canvas.height = image.height;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
  let near = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    if (Math.abs(pixels[i] - rgb[0]) <= tolerance && Math.abs(pixels[i + 1] - rgb[1]) <= tolerance
        && Math.abs(pixels[i + 2] - rgb[2]) <= tolerance) near += 1;
  }
  return near / (pixels.length / 4);
}"""

pytestmark = pytest.mark.timeout(900)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def starting(tmp_path_factory):
    """Superset starting in the background while the warehouse builds (2 cores: overlap)."""
    if not SUPERSET_PYTHON.exists():
        pytest.fail(f"{SUPERSET_PYTHON} missing: `make superset-venv` installs it "
                    f"(`make test` does it first)")
    home = tmp_path_factory.mktemp("superset")
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("SUPERSET_", "TMT_"))}
    env.update(SUPERSET_HOME=str(home), SUPERSET_PORT=str(free_port()),
               SUPERSET_ADMIN_USER="admin", SUPERSET_ADMIN_PASSWORD=secrets.token_urlsafe(12))
    log = (home / "service.out").open("w")
    process = subprocess.Popen([str(SUPERSET_PYTHON), str(SERVICE), "start"], env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    yield SimpleNamespace(process=process, env=env, home=home)
    subprocess.run([str(SUPERSET_PYTHON), str(SERVICE), "stop"], env=env, timeout=60,
                   check=False, capture_output=True)
    if process.poll() is None:
        process.kill()
    log.close()


@pytest.fixture(scope="module")
def warehouse(sample_home, tmp_path_factory):
    """The bundled samples built and published: the LMIA files (the session's, copied) and
    the directory, with a few days of operations (runs, reminders, a confirmation) for
    Fraîcheur et opérations, and ESDC's and IRCC's statistics for Provenance et contexte."""
    home = copy_home(sample_home, tmp_path_factory.mktemp("home"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TMT_HOME", str(home))
        settings = get_settings()
        load_sample_directory(settings)
        write_operations_for_sample(settings)
        load_bundled_context(settings.work_db)  # ESDC and IRCC for Provenance et contexte
        build_warehouse()
    return home


@pytest.fixture(scope="module")
def superset(starting, warehouse):
    starting.process.wait(timeout=300)
    assert starting.process.returncode == 0, (starting.home / "superset.log").read_text()[-3000:]
    env = starting.env
    return SimpleNamespace(url=f"http://127.0.0.1:{env['SUPERSET_PORT']}", home=warehouse,
                           user=env["SUPERSET_ADMIN_USER"],
                           password=env["SUPERSET_ADMIN_PASSWORD"])


def tmt(superset, *args):
    env = {**os.environ, "TMT_HOME": str(superset.home), "SUPERSET_URL": superset.url,
           "SUPERSET_ADMIN_USER": superset.user, "SUPERSET_ADMIN_PASSWORD": superset.password}
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], env=env, text=True,
                          capture_output=True, timeout=300, check=False)


@pytest.fixture(scope="module")
def deployed(superset):
    result = tmt(superset, "dashboards", "deploy")
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def session(superset, user=None, password=None) -> requests.Session:
    """A logged-in API session (JWT) for the admin or another user."""
    client = requests.Session()
    token = client.post(f"{superset.url}/api/v1/security/login", json={
        "username": user or superset.user, "password": password or superset.password,
        "provider": "db", "refresh": False}, timeout=30)
    token.raise_for_status()
    client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
    client.headers["X-CSRFToken"] = client.get(f"{superset.url}/api/v1/security/csrf_token/",
                                               timeout=30).json()["result"]
    client.headers["Referer"] = superset.url
    return client


def listing(client, superset, path) -> list[dict]:
    query = json.dumps({"page_size": 100})
    response = client.get(f"{superset.url}/api/v1/{path}?q={query}", timeout=30)
    response.raise_for_status()
    return response.json()["result"]


def snapshot(superset) -> dict[str, list]:
    admin = session(superset)
    return {path: sorted((row["id"], row.get("changed_on_utc") or row.get("changed_on") or "")
                         for row in listing(admin, superset, path))
            for path in ("database/", "dataset/", "chart/", "dashboard/")}


def add_user(superset, role: str) -> tuple[str, str]:
    admin = session(superset)
    role_id, = [row["id"] for row in listing(admin, superset, "security/roles/")
                if row["name"] == role]
    name, password = f"test_{role}", secrets.token_urlsafe(12)
    response = admin.post(f"{superset.url}/api/v1/security/users/", json={
        "first_name": "Test", "last_name": role, "username": name, "active": True,
        "email": f"{name}@example.org", "password": password, "roles": [role_id]}, timeout=30)
    assert response.status_code == 201, response.text
    return name, password


def chart_ids(superset) -> dict[str, int]:
    return {row["slice_name"]: row["id"]
            for row in listing(session(superset), superset, "chart/")}


@pytest.mark.parametrize("command", [["dashboards"], ["dashboards", "deploy"],
                                     ["dashboards", "export"]])
def test_dashboards_commands_have_help(command):
    result = subprocess.run([sys.executable, "-m", "flows.cli", *command, "--help"],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0 and "usage: tmt dashboards" in result.stdout


def test_without_a_serving_database_or_a_superset_the_error_is_one_line(tmp_path):
    nowhere = SimpleNamespace(home=tmp_path / "home", url=f"http://127.0.0.1:{free_port()}",
                              user="admin", password="admin")
    result = tmt(nowhere, "dashboards", "deploy")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [(
        f"tmt: error: {nowhere.home}/warehouse/tmt.duckdb: no serving database yet; run "
        f"`tmt build` (or `tmt run`) first")]
    (nowhere.home / "warehouse").mkdir(parents=True)
    (nowhere.home / "warehouse" / "tmt.duckdb").touch()
    result = tmt(nowhere, "dashboards", "deploy")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [(
        f"tmt: error: {nowhere.url}: Superset does not answer (`make superset` starts a "
        f"local one)")]


def test_deploy_creates_everything_once_and_a_redeploy_changes_nothing(superset, deployed):
    assert sum(line.endswith("(new)") for line in deployed) == sum(TREE.values())
    assert "role carte_tmt created" in deployed and "role analyste created" in deployed
    before = snapshot(superset)
    assert {path: len(rows) for path, rows in before.items()} == {
        "database/": TREE["databases"], "dataset/": TREE["datasets"],
        "chart/": TREE["charts"], "dashboard/": TREE["dashboards"]}

    again = tmt(superset, "dashboards", "deploy")

    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("nothing to change"), again.stdout
    assert snapshot(superset) == before  # same objects, same ids, not even touched


def test_an_export_gives_back_the_tree(superset, deployed, tmp_path):
    tree = tmp_path / "dashboards"
    shutil.copytree(DASHBOARDS_DIR, tree)
    result = tmt(superset, "dashboards", "export", "--to", str(tree))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("nothing to write"), result.stdout


def test_a_change_in_the_yaml_updates_the_same_dashboard(superset, deployed, tmp_path,
                                                         monkeypatch):
    from flows.dashboards.deploy import deploy

    tree = tmp_path / "dashboards"
    shutil.copytree(DASHBOARDS_DIR, tree)
    path = tree / "dashboards" / "portrait-regional.yaml"
    portrait = yaml.safe_load(path.read_text())
    portrait["dashboard_title"] = "Portrait régional (essai)"
    path.write_text(yaml.safe_dump(portrait, allow_unicode=True, sort_keys=False))
    for name, value in (("TMT_HOME", str(superset.home)), ("SUPERSET_URL", superset.url),
                        ("SUPERSET_ADMIN_USER", superset.user),
                        ("SUPERSET_ADMIN_PASSWORD", superset.password)):
        monkeypatch.setenv(name, value)
    ids_before = {row["uuid"]: row["id"] for row in listing(session(superset), superset,
                                                             "dashboard/")}
    try:
        lines = deploy(get_settings(), root=tree)
        assert lines == ["imported: dashboards/portrait-regional.yaml (changed: dashboard_title)"]
        rows = listing(session(superset), superset, "dashboard/")
        assert {row["uuid"]: row["id"] for row in rows} == ids_before
        assert "Portrait régional (essai)" in {row["dashboard_title"] for row in rows}
    finally:
        assert deploy(get_settings())[0].startswith("imported: dashboards/portrait-regional")


def test_every_chart_returns_rows_without_error(superset, deployed):
    admin = session(superset)
    for name, chart_id in chart_ids(superset).items():
        response = admin.get(f"{superset.url}/api/v1/chart/{chart_id}/data/", timeout=60)
        assert response.status_code == 200, (name, response.text[:500])
        results = response.json()["result"]
        assert results and all(not result.get("error") for result in results), name
        assert all(result["rowcount"] > 0 for result in results), name
        # What the chart draws (canvas charts included): words, not codes (issue 17)
        cells = [value for result in results for row in result["data"]
                 for value in row.values() if isinstance(value, str)]
        assert not problems("\n".join(cells), cells), (name, problems("\n".join(cells), cells))


def test_analyste_cannot_read_the_employer_level_dataset(superset, deployed):
    charts = chart_ids(superset)
    analyste = session(superset, *add_user(superset, "analyste"))
    carte = session(superset, *add_user(superset, "carte_tmt"))
    fct_id, = [row["id"] for row in listing(session(superset), superset, "dataset/")
               if row["table_name"] == "fct_lmia_positions"]
    database_id = listing(session(superset), superset, "database/")[0]["id"]

    for name in MAP_CHARTS:
        refused = analyste.get(f"{superset.url}/api/v1/chart/{charts[name]}/data/", timeout=60)
        assert refused.status_code in (403, 404), (name, refused.status_code)
        allowed = carte.get(f"{superset.url}/api/v1/chart/{charts[name]}/data/", timeout=60)
        assert allowed.status_code == 200 and allowed.json()["result"][0]["rowcount"] > 0
    ad_hoc = analyste.post(f"{superset.url}/api/v1/chart/data", timeout=60, json={
        "datasource": {"id": fct_id, "type": "table"}, "queries": [
            {"columns": ["employer_name"], "metrics": [], "row_limit": 5}]})
    assert ad_hoc.status_code == 403
    assert analyste.get(f"{superset.url}/api/v1/dataset/{fct_id}", timeout=30).status_code == 404
    sql_lab = analyste.post(f"{superset.url}/api/v1/sqllab/execute/", timeout=60, json={
        "database_id": database_id, "schema": "marts", "runAsync": False,
        "sql": "select employer_name from marts.fct_lmia_positions limit 5"})
    assert sql_lab.status_code != 200  # Superset answers 500 here, with the reason:
    assert sql_lab.json()["errors"][0]["error_type"] == "TABLE_SECURITY_ACCESS_ERROR"
    # ...while the aggregates are theirs, in dashboards and in SQL Lab
    assert analyste.get(f"{superset.url}/api/v1/chart/{charts['Postes par région et MRC']}"
                        f"/data/", timeout=60).status_code == 200
    aggregate = analyste.post(f"{superset.url}/api/v1/sqllab/execute/", timeout=60, json={
        "database_id": database_id, "schema": "marts", "runAsync": False,
        "sql": "select region_name, sum(approved_positions) from marts.tmw_by_territory_public "
               "group by 1"})
    assert aggregate.status_code == 200 and aggregate.json()["data"]
    titles = {row["dashboard_title"] for row in listing(analyste, superset, "dashboard/")}
    assert "Carte des TMT" not in titles and "Portrait régional" in titles


def test_anonymous_visitors_see_nothing(superset, deployed):
    anonymous = requests.Session()
    assert anonymous.get(f"{superset.url}/api/v1/dashboard/", timeout=30).status_code == 401
    assert anonymous.get(f"{superset.url}/api/v1/chart/1/data/", timeout=30).status_code == 401
    page = anonymous.get(f"{superset.url}/superset/dashboard/carte-des-tmt/", timeout=30,
                         allow_redirects=False)
    assert page.status_code in (302, 303) and "/login" in page.headers["Location"]


def test_the_offline_base_map_is_served_to_anyone(superset):
    """Public-domain outlines, no data: the tiles need no login, and only real tiles exist."""
    anonymous = requests.Session()
    tile = anonymous.get(f"{superset.url}{BASE_MAP}5/9/11.png", timeout=30)  # Quebec City
    assert tile.status_code == 200 and tile.headers["Content-Type"] == "image/png"
    assert tile.content.startswith(b"\x89PNG")
    for outside in ("5/32/11", "20/0/0", "5/9/-1"):
        assert anonymous.get(f"{superset.url}{BASE_MAP}{outside}.png",
                             timeout=30).status_code == 404, outside


def colour_share(page, png: bytes, rgb: tuple[int, int, int], tolerance: int = 24) -> float:
    import base64

    return page.evaluate(COLOUR_SHARE, [base64.b64encode(png).decode(), list(rgb), tolerance])


def test_chromium_renders_every_dashboard_logged_in(superset, deployed, tmp_path_factory):
    from playwright.sync_api import sync_playwright

    shots = tmp_path_factory.mktemp("dashboard-screenshots")
    dashboards = listing(session(superset), superset, "dashboard/")
    charts_in = {data["slug"]: len(chart_nodes(data)) for data in (
        yaml.safe_load(path.read_text()) for path in (DASHBOARDS_DIR / "dashboards").iterdir())}
    outside: list[str] = []
    tiles: list[str] = []  # OpenStreetMap's tiles: an option in Explore, not the map's base
    base_map: list[int] = []  # the offline base map's tiles, from Superset: their statuses

    def loopback_only(route):  # Superset must not need the internet (nor reach it)
        if route.request.url.startswith(superset.url):
            return route.continue_()
        is_tile = route.request.url.startswith(TILE_SERVER)
        (tiles if is_tile else outside).append(route.request.url)
        return route.abort()

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        # A tall window: Superset draws only the charts in view (dashboard virtualization).
        page = browser.new_page(viewport={"width": 1600, "height": 2600}, locale="fr-CA")
        page.route("**/*", loopback_only)
        page.on("response", lambda response: base_map.append(response.status)
                if BASE_MAP in response.url else None)
        page.goto(f"{superset.url}/login/")
        # French first, also before logging in (superset_config.py serves the language pack
        # to anonymous visitors).
        page.wait_for_load_state("networkidle", timeout=60_000)
        page.screenshot(path=str(tmp_path_factory.mktemp("login-screenshot") / "login.png"))
        assert page.get_by_text("Saisir votre identifiant").count() == 1
        page.fill("#username", superset.user)
        page.fill("#password", superset.password)
        page.click("button[type=submit]")
        page.wait_for_url("**/superset/welcome/**", timeout=60_000)
        for dashboard in dashboards:
            failed: list[str] = []
            page.on("response", lambda response, failed=failed: failed.append(response.url)
                    if "/api/v1/chart/data" in response.url and response.status != 200
                    else None)
            page.goto(f"{superset.url}/superset/dashboard/{dashboard['slug']}/")
            # Every chart mounted, no spinner left, then a moment for drawing (deck.gl, ECharts).
            # Twice: once the native filters have loaded, Superset may mount the grid again
            # (seen on a busy machine: an empty grid a second after every chart was there).
            def settle(charts: int, rounds: int = 2) -> None:
                for _ in range(rounds):
                    page.wait_for_function(
                        "n => document.querySelectorAll('.chart-container').length >= n && "
                        "!document.querySelector('[data-test=\"loading-indicator\"]')",
                        arg=charts, timeout=120_000)
                    page.wait_for_load_state("networkidle", timeout=60_000)
                    page.wait_for_timeout(1500)

            settle(charts_in[dashboard["slug"]])
            # A full-page capture taller than the window resizes it, and Superset mounts its
            # grid again on a resize (an empty grid in the picture): the window is made as
            # tall as the page first, and the page settles again.
            height = page.evaluate("document.documentElement.scrollHeight")
            if height > page.viewport_size["height"]:
                page.set_viewport_size({"width": 1600, "height": height})
                settle(charts_in[dashboard["slug"]], 1)
            path = shots / f"{dashboard['slug']}.png"
            page.screenshot(path=str(path), full_page=True)
            print(f"screenshot: {path}")
            # What the page shows in text (tables, numbers, legends, filters): French only
            placeholders = page.eval_on_selector_all(  # the tables' search box, in French
                "input[placeholder]", "inputs => inputs.map(input => input.placeholder)")
            seen = problems("\n".join([page.inner_text("body"), *placeholders]))
            assert not seen, (dashboard["slug"], seen)
            assert not failed, (dashboard["slug"], failed)
            assert page.locator(".chart-container").count() == charts_in[dashboard["slug"]]
            assert page.locator(".ant-alert-error, [role=alert]").count() == 0
            if dashboard["slug"] == "carte-des-tmt":  # deck.gl draws on a canvas
                assert page.locator(".chart-container canvas").count() > 0
                # Over the offline base map (issue 17): Quebec's outline where the points
                # are, drawn from tiles this Superset served, with no internet.
                canvas = page.locator(".chart-container canvas#deckgl-overlay").first
                drawn = canvas.screenshot(path=str(shots / "carte-des-tmt-map.png"))
                outline, points = (colour_share(page, drawn, QUEBEC_OUTLINE),
                                   colour_share(page, drawn, POINT, tolerance=40))
                print(f"map: Quebec outline {outline:.2%} of pixels, points {points:.2%}")
                assert outline > 0.001, outline  # about 0.2 % seen; 0 on white
                assert points > 0.0005, points
                assert base_map and set(base_map) == {200}, base_map
                assert not tiles, tiles[:3]
        browser.close()
    assert not outside, outside
    assert sorted(path.name for path in shots.iterdir()) == sorted(
        [f"{row['slug']}.png" for row in dashboards] + ["carte-des-tmt-map.png"])
