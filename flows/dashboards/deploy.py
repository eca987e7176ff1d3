"""`tmt dashboards deploy`: the dashboards/ tree, its roles and access, into a Superset.

Superset holds what the tree says and nothing is written when it already does: what it
has is exported first and compared, field by field, with the tree; only a difference
triggers an import (which updates the same objects, found by UUID). Passwords of
databases other than the DuckDB file are read from the environment here, never from git.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlparse

from flows.dashboards import access, bundle
from flows.dashboards.compare import differences
from flows.dashboards.superset import Superset
from flows.errors import TmtError
from flows.settings import REPO_ROOT, Settings

DASHBOARDS_DIR = REPO_ROOT / "dashboards"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
LOCAL_ADMIN = ("admin", "admin")  # deploy/superset's documented local defaults


def deploy(settings: Settings, root: Path | None = None) -> list[str]:
    root = root or DASHBOARDS_DIR
    if not settings.serving_db.exists():
        raise TmtError(f"{settings.serving_db}: no serving database yet; run `tmt build` "
                       f"(or `tmt run`) first")
    tree = bundle.load(root, {"TMT_SERVING_DB": str(settings.serving_db)})
    wanted_access = access.load(root, tree)
    passwords = database_passwords(tree)
    api = Superset(settings.superset_url, *credentials(settings))
    stale = differences(tree, api.export_assets())
    lines = []
    if stale:
        api.import_assets(tree.to_zip(), passwords)
        lines += [f"imported: {line}" for line in stale]
    lines += access.apply(api, wanted_access)
    counts = ", ".join(f"{len(tree.of_kind(kind))} {kind}" for kind in bundle.KINDS)
    unchanged = f"nothing to change: Superset at {settings.superset_url} already has the {counts}"
    return lines or [unchanged]


def export_tree(settings: Settings, root: Path | None = None) -> list[str]:
    """Write what Superset holds into the tree (flows/dashboards/export.py)."""
    from flows.dashboards.export import export

    api = Superset(settings.superset_url, *credentials(settings))
    return export(api.export_assets(), root or DASHBOARDS_DIR, str(settings.serving_db))


def credentials(settings: Settings) -> tuple[str, str]:
    """The admin account; the local defaults only for a Superset on this machine."""
    local = urlparse(settings.superset_url).hostname in LOCAL_HOSTS
    values = []
    for name, value, default in (("SUPERSET_ADMIN_USER", settings.superset_admin_user,
                                  LOCAL_ADMIN[0]),
                                 ("SUPERSET_ADMIN_PASSWORD", settings.superset_admin_password,
                                  LOCAL_ADMIN[1])):
        if value is None and not local:
            raise TmtError(f"{name} is not set (needed for {settings.superset_url})")
        values.append(value if value is not None else default)
    return values[0], values[1]


def database_passwords(tree: bundle.Bundle) -> dict[str, str]:
    """`databases/x.yaml` → password, from TMT_SUPERSET_DB_PASSWORD_X, for URIs that hold
    Superset's password mask (`user:XXXXXXXXXX@host`)."""
    passwords = {}
    for path in bundle.masked_password_databases(tree):
        name = "TMT_SUPERSET_DB_PASSWORD_" + re.sub(r"\W", "_", Path(path).stem).upper()
        if not os.environ.get(name):
            raise TmtError(f"{path}: its password is not set ({name})")
        passwords[path] = os.environ[name]
    return passwords
