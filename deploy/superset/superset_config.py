"""Superset configuration for the Observatoire TMT (loaded through SUPERSET_CONFIG_PATH).

Everything secret or machine-specific comes from the environment; `service.py start` sets
SUPERSET_HOME and, for local use only, writes a random secret key there. Superset reads
this module once at start-up (its own design), so the environment is read here, at import.

| variable | default | |
|---|---|---|
| SUPERSET_HOME | (set by service.py) | metadata database, secret key file, logs |
| SUPERSET_SECRET_KEY | $SUPERSET_HOME/secret_key, written by `service.py start` | required when SUPERSET_ENV=production |
| SUPERSET_DATABASE_URI | sqlite:///$SUPERSET_HOME/superset.db | Postgres in production (docs) |
| SUPERSET_ENV | local | `production` refuses local defaults |
| SUPERSET_HTTPS | on in production, else off | secure session cookie, HTTPS forced (behind a TLS proxy) |
"""
from __future__ import annotations

import os
from pathlib import Path

if not os.environ.get("SUPERSET_HOME"):
    raise RuntimeError("SUPERSET_HOME is not set: start Superset with deploy/superset/service.py")
SUPERSET_HOME = Path(os.environ["SUPERSET_HOME"])
PRODUCTION = os.environ.get("SUPERSET_ENV", "local") == "production"


def _on(name: str, default: bool) -> bool:
    raw = (os.environ.get(name) or "").strip().lower()
    if raw == "":
        return default
    if raw not in ("1", "true", "yes", "on", "0", "false", "no", "off"):
        raise RuntimeError(f"{name} must be true or false, got {raw!r}")
    return raw in ("1", "true", "yes", "on")


# Secure cookies and HTTPS forced wherever Superset is served to others: production turns
# them on unless told otherwise; a laptop on http://127.0.0.1 keeps them off.
HTTPS = _on("SUPERSET_HTTPS", PRODUCTION)


def _secret_key() -> str:
    key = os.environ.get("SUPERSET_SECRET_KEY")
    if key:
        return key
    key_file = SUPERSET_HOME / "secret_key"
    if PRODUCTION or not key_file.exists():
        raise RuntimeError("SUPERSET_SECRET_KEY is not set (required when SUPERSET_ENV="
                           "production; locally `service.py start` writes one)")
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
SQLALCHEMY_DATABASE_URI = (os.environ.get("SUPERSET_DATABASE_URI")
                           or f"sqlite:///{SUPERSET_HOME / 'superset.db'}?check_same_thread=false")
if PRODUCTION and "SUPERSET_DATABASE_URI" not in os.environ:
    raise RuntimeError("SUPERSET_DATABASE_URI is not set (Postgres in production: "
                       "deploy/superset/README.md)")

APP_NAME = "Observatoire TMT"
# French first: the interface, number and date formats default to French (Canada).
BABEL_DEFAULT_LOCALE = "fr"
LANGUAGES = {"fr": {"flag": "fr", "name": "Français"}, "en": {"flag": "us", "name": "English"}}
# d3-format's French (Canada) locale: `1 566`, `27,9 %`, `12,50 $` (the percent sign
# after a no-break space, as French writes it; `percent` is a d3 locale key Superset passes on).
D3_FORMAT = {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", "\u00a0$"],
             "percent": "\u00a0%"}
# d3-time-format's French (Canada) locale: dates read `2026-01-05`, months and days in French.
D3_TIME_FORMAT = {
    "dateTime": "%A %e %B %Y à %X", "date": "%Y-%m-%d", "time": "%H:%M:%S",
    "periods": ["AM", "PM"],
    "days": ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
    "shortDays": ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."],
    "months": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
               "septembre", "octobre", "novembre", "décembre"],
    "shortMonths": ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août",
                    "sept.", "oct.", "nov.", "déc."],
}

FEATURE_FLAGS = {
    # A dashboard with roles is seen only by them (and admins): the map by `carte_tmt`.
    "DASHBOARD_RBAC": True,
    # No Jinja in SQL, no alerts and reports (no Celery, no mail from Superset), no
    # screenshots taken by Superset itself.
    "ENABLE_TEMPLATE_PROCESSING": False,
    "ALERT_REPORTS": False,
    "THUMBNAILS": False,
    "EMBEDDED_SUPERSET": False,
}
# Anonymous visitors get the Public role, and it has no permissions.
AUTH_ROLE_PUBLIC = "Public"
PUBLIC_ROLE_LIKE = None
# Roles and users are managed over the REST API by `tmt dashboards deploy`.
FAB_ADD_SECURITY_API = True

# The map's base map: raster tiles, which deck.gl draws without a Mapbox key. First (and
# the map chart's, dashboards/charts/carte_points.yaml): the provinces and states drawn by
# this server from Natural Earth's public-domain outlines, no internet needed
# (base_map/README.md). Second, in Explore: OpenStreetMap's tiles, loaded by the browser;
# their servers suit light use only (tile usage policy): for more, a tile provider.
TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OFFLINE_TILE_URL = "tile:///fond-de-carte/{z}/{x}/{y}.png"  # base_map/tiles.py: URL
DECKGL_BASE_MAP = [[OFFLINE_TILE_URL, "Provinces et États (hors ligne, Natural Earth)"],
                   [TILE_URL, "OpenStreetMap (en ligne)"]]
TILE_ORIGIN = "https://tile.openstreetmap.org"

# Nothing else leaves the machine: the browser may load this server's own files and the
# base map's tiles only. This blocks the telemetry pixel of the stock frontend (scarf.sh),
# Mapbox and web fonts.
MAPBOX_API_KEY = ""
TALISMAN_ENABLED = True
TALISMAN_CONFIG = {
    "content_security_policy": {
        "base-uri": ["'self'"],
        "default-src": ["'self'"],
        "img-src": ["'self'", "blob:", "data:", TILE_ORIGIN],
        "worker-src": ["'self'", "blob:"],
        "connect-src": ["'self'", TILE_ORIGIN],
        "object-src": "'none'",
        "style-src": ["'self'", "'unsafe-inline'"],
        "font-src": ["'self'", "data:"],
        "script-src": ["'self'", "'strict-dynamic'"],
    },
    "content_security_policy_nonce_in": ["script-src"],
    "force_https": HTTPS,
    "session_cookie_secure": HTTPS,
}
SESSION_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Behind the TLS proxy, requests arrive over http with X-Forwarded-Proto: https; the
# proxy fix makes them count as HTTPS (service.py's health check says the same).
ENABLE_PROXY_FIX = HTTPS
CONTENT_SECURITY_POLICY_WARNING = False

# No Celery: queries run in the web process; DuckDB answers the marts in milliseconds.
RESULTS_BACKEND = None
SQLLAB_ASYNC_TIME_LIMIT_SEC = 60
SUPERSET_WEBSERVER_TIMEOUT = 120
ROW_LIMIT = 50_000

# Only the `marts` schema of the serving database is shown (see _only_marts below).
TMT_DUCKDB_SCHEMAS = frozenset({"marts"})


# Upstream's French catalogue has fuzzy entries that say something else entirely (an empty
# chart read "Le type de visualisation à afficher"; the table search box "112 records...");
# deploy/superset/translations_fr.json corrects the ones our dashboards show.
CORRECTIONS = Path(__file__).resolve().parent / "translations_{language}.json"


def _corrected_pack(pack: Path, language: str) -> str:
    import json

    catalogue = json.loads(pack.read_text(encoding="utf-8"))
    corrections = CORRECTIONS.with_name(CORRECTIONS.name.format(language=language))
    if corrections.is_file():
        fixes = json.loads(corrections.read_text(encoding="utf-8"))
        catalogue["locale_data"]["superset"].update(
            {msgid: text for msgid, text in fixes.items() if not msgid.startswith("_")})
    return json.dumps(catalogue, ensure_ascii=False)


def _public_language_pack(app) -> None:
    """The login page in French: the frontend fetches /superset/language_pack/<lang>/
    before anyone is logged in, and Superset guards that view with `has_access`, so an
    anonymous visitor (the Public role has no permission) got a redirect and the page fell
    back to English. The packs are the translation catalogues shipped with Superset, the
    same for everyone: served here to anyone, for the configured languages only."""
    import re

    from flask import Response, request

    translations = Path(__import__("superset").__file__).parent / "translations"
    path_pattern = re.compile(r"/superset/language_pack/([a-z]{2,3}(?:_[A-Z]{2})?)/")

    @app.before_request
    def language_pack_for_everyone():
        found = path_pattern.fullmatch(request.path)
        if found and found.group(1) in app.config["LANGUAGES"]:
            pack = translations / found.group(1) / "LC_MESSAGES" / "messages.json"
            if pack.is_file():
                return Response(_corrected_pack(pack, found.group(1)),
                                mimetype="application/json")
        return None


def _only_marts(app):
    from superset.databases.api import DatabaseRestApi
    from superset.db_engine_specs.duckdb import DuckDBEngineSpec

    # Upstream bug apache/superset#24800: /api/v1/database/_info answers 500 because the
    # column lists name `encrypted_extra`, which the schema calls `masked_encrypted_extra`.
    for columns in (DatabaseRestApi.add_columns, DatabaseRestApi.edit_columns):
        if "encrypted_extra" in columns:
            columns[columns.index("encrypted_extra")] = "masked_encrypted_extra"

    # The serving file also holds `meta` (publication bookkeeping) and DuckDB's catalogs;
    # analysts and SQL Lab see the marts only.
    every_schema = DuckDBEngineSpec.get_schema_names.__func__

    def marts_only(cls, inspector):
        return {name for name in every_schema(cls, inspector)
                if name in app.config["TMT_DUCKDB_SCHEMAS"]}

    DuckDBEngineSpec.get_schema_names = classmethod(marts_only)
    return app


def _offline_base_map(app) -> None:
    """/fond-de-carte/{z}/{x}/{y}.png: the map's base map, drawn here (base_map/tiles.py;
    loaded from its file: this module's folder is not on Superset's import path)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "tmt_base_map_tiles", Path(__file__).with_name("base_map") / "tiles.py")
    tiles = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tiles)
    if tiles.URL != OFFLINE_TILE_URL:
        raise RuntimeError(f"base_map/tiles.py serves {tiles.URL}, not {OFFLINE_TILE_URL}")
    tiles.register(app)


def _mutate(app):  # FLASK_APP_MUTATOR: runs once the app is built
    _public_language_pack(app)
    _offline_base_map(app)
    return _only_marts(app)


FLASK_APP_MUTATOR = _mutate
