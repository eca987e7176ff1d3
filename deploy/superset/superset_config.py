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
"""
from __future__ import annotations

import os
from pathlib import Path

if not os.environ.get("SUPERSET_HOME"):
    raise RuntimeError("SUPERSET_HOME is not set: start Superset with deploy/superset/service.py")
SUPERSET_HOME = Path(os.environ["SUPERSET_HOME"])
PRODUCTION = os.environ.get("SUPERSET_ENV", "local") == "production"


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
D3_FORMAT = {"decimal": ",", "thousands": "\u00a0", "grouping": [3], "currency": ["", " $"]}

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

# Nothing leaves the machine: the browser may load only this server's own files. This
# blocks the telemetry pixel of the stock frontend (scarf.sh), Mapbox and tile servers
# (deck.gl draws points without a base map) and web fonts.
MAPBOX_API_KEY = ""
TALISMAN_ENABLED = True
TALISMAN_CONFIG = {
    "content_security_policy": {
        "base-uri": ["'self'"],
        "default-src": ["'self'"],
        "img-src": ["'self'", "blob:", "data:"],
        "worker-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "object-src": "'none'",
        "style-src": ["'self'", "'unsafe-inline'"],
        "font-src": ["'self'", "data:"],
        "script-src": ["'self'", "'strict-dynamic'"],
    },
    "content_security_policy_nonce_in": ["script-src"],
    "force_https": False,
    "session_cookie_secure": False,
}
CONTENT_SECURITY_POLICY_WARNING = False

# No Celery: queries run in the web process; DuckDB answers the marts in milliseconds.
RESULTS_BACKEND = None
SQLLAB_ASYNC_TIME_LIMIT_SEC = 60
SUPERSET_WEBSERVER_TIMEOUT = 120
ROW_LIMIT = 50_000

# Only the `marts` schema of the serving database is shown (see _only_marts below).
TMT_DUCKDB_SCHEMAS = frozenset({"marts"})


def _only_marts(app):  # FLASK_APP_MUTATOR: runs once the app is built
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


FLASK_APP_MUTATOR = _only_marts
