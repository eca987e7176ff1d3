"""Superset's own settings: secure cookies and HTTPS from the environment (on in
production), and no start with the default admin password on an address others reach."""
from __future__ import annotations

import os
import runpy
import subprocess
import sys

import pytest

from flows.settings import REPO_ROOT

CONFIG = REPO_ROOT / "deploy" / "superset" / "superset_config.py"
SERVICE = REPO_ROOT / "deploy" / "superset" / "service.py"


def superset_config(monkeypatch, tmp_path, **env) -> dict:
    for name in [name for name in os.environ if name.startswith("SUPERSET_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("SUPERSET_HOME", str(tmp_path))
    monkeypatch.setenv("SUPERSET_SECRET_KEY", "k" * 48)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


@pytest.mark.parametrize("env, secure", [
    ({}, False),
    ({"SUPERSET_ENV": "production", "SUPERSET_DATABASE_URI": "postgresql://db/superset"}, True),
    ({"SUPERSET_HTTPS": "true"}, True),
])
def test_cookies_and_https_follow_the_environment(monkeypatch, tmp_path, env, secure):
    config = superset_config(monkeypatch, tmp_path, **env)
    assert config["TALISMAN_CONFIG"]["force_https"] is secure
    assert config["TALISMAN_CONFIG"]["session_cookie_secure"] is secure
    assert config["SESSION_COOKIE_SECURE"] is secure and config["SESSION_COOKIE_HTTPONLY"]


def start(tmp_path, **env):
    clean = {name: value for name, value in os.environ.items()
             if not name.startswith(("SUPERSET_", "TMT_"))}
    home = tmp_path / "superset"
    return subprocess.run([sys.executable, str(SERVICE), "start"], capture_output=True,
                          text=True, timeout=60, check=False, env={**clean, "SUPERSET_HOME": str(home),
                                                      "SUPERSET_PORT": "9", **env}), home


@pytest.mark.parametrize("host, admin", [
    ("0.0.0.0", {}), ("192.0.2.10", {}),
    ("0.0.0.0", {"SUPERSET_ADMIN_USER": "admin", "SUPERSET_ADMIN_PASSWORD": "admin"}),
    ("::", {"SUPERSET_ADMIN_USER": "equipe", "SUPERSET_ADMIN_PASSWORD": "admin"}),
])
def test_default_credentials_on_a_reachable_bind_refuse_to_start(tmp_path, host, admin):
    result, home = start(tmp_path, SUPERSET_BIND_HOST=host, **admin)
    assert result.returncode == 1
    assert result.stderr.strip() == (f"service.py: refusing to serve on {host} with the "
                                     "default admin password: set SUPERSET_ADMIN_USER and "
                                     "SUPERSET_ADMIN_PASSWORD")
    assert not home.exists()  # refused before anything was written or started


def test_the_map_stands_on_the_offline_base_map_and_offers_openstreetmap(monkeypatch, tmp_path):
    """The map chart's base map is the first one offered (the tiles Superset draws,
    base_map/tiles.py), OpenStreetMap the online second."""
    import yaml

    config = superset_config(monkeypatch, tmp_path)
    offline, online = [url for url, _ in config["DECKGL_BASE_MAP"]]
    assert offline == config["OFFLINE_TILE_URL"] and online == config["TILE_URL"]
    chart = yaml.safe_load((REPO_ROOT / "dashboards" / "charts" / "carte_points.yaml").read_text())
    assert chart["params"]["mapbox_style"] == offline
    tiles = (REPO_ROOT / "deploy" / "superset" / "base_map" / "tiles.py").read_text()
    assert f'URL = "{offline}"' in tiles  # superset_config.py refuses to start otherwise


def test_the_french_pack_served_has_upstream_wrong_entries_corrected(monkeypatch, tmp_path):
    """Superset's French catalogue translates an empty chart's "There is currently no
    information to display." as "Le type de visualisation à afficher" (a fuzzy entry): the
    pack we serve carries deploy/superset/translations_fr.json over it, the rest unchanged."""
    import json

    config = superset_config(monkeypatch, tmp_path)
    pack = tmp_path / "messages.json"
    pack.write_text(json.dumps({"domain": "superset", "locale_data": {"superset": {
        "": {"lang": "fr"}, "No data": ["Aucune donnée"],
        "There is currently no information to display.": ["Le type de visualisation à afficher"],
        "%s record": ["%s Erreur", "%s records..."]}}}), encoding="utf-8")

    served = json.loads(config["_corrected_pack"](pack, "fr"))["locale_data"]["superset"]

    assert served["There is currently no information to display."] == [
        "Aucune donnée à afficher pour l'instant."]
    assert served["%s record"] == ["%s enregistrement", "%s enregistrements"]
    assert served["No data"] == ["Aucune donnée"] and "_comment" not in served
