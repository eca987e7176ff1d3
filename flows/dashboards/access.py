"""Roles and dashboard access from dashboards/roles.yaml, applied over Superset's API.

Each role's permissions are computed in full and set only when they differ from what
Superset has, so a second deployment writes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from flows.dashboards.bundle import Bundle, chart_nodes
from flows.dashboards.superset import Superset
from flows.errors import TmtError

PUBLIC_ROLE = "Public"  # anonymous visitors: no permission at all


@dataclass(frozen=True)
class Role:
    name: str
    like: str
    sql_lab: bool
    dataset_uuids: frozenset[str]


@dataclass(frozen=True)
class Access:
    roles: tuple[Role, ...]
    dashboards: dict[str, tuple[str, ...]]  # dashboard uuid → role names


def load(root: Path, bundle: Bundle) -> Access:
    path = root / "roles.yaml"
    spec = yaml.safe_load(path.read_text()) or {}

    def uuid_of(file: str, kind: str) -> str:
        if not file.startswith(kind + "/") or file not in bundle.files:
            raise TmtError(f"{path.name}: {file} is not a file of {kind}/")
        return str(bundle.files[file]["uuid"])

    roles = tuple(
        Role(name, str(role.get("like") or "Gamma"), bool(role.get("sql_lab")),
             frozenset(uuid_of(file, "datasets") for file in role.get("datasets") or []))
        for name, role in (spec.get("roles") or {}).items())
    dashboards = {uuid_of(file, "dashboards"): tuple(names)
                  for file, names in (spec.get("dashboards") or {}).items()}
    access = Access(roles, dashboards)
    check(access, bundle, path.name)
    return access


def check(access: Access, bundle: Bundle, where: str) -> None:
    """Each role given a dashboard can read every dataset its charts use."""
    by_name = {role.name: role for role in access.roles}
    charts = {str(data["uuid"]): str(data["dataset_uuid"])
              for data in bundle.of_kind("charts").values()}
    for path, dashboard in bundle.of_kind("dashboards").items():
        names = access.dashboards.get(str(dashboard["uuid"]))
        if not names:
            raise TmtError(f"{where}: {path} has no roles (only admins would see it)")
        needed = {charts[node["meta"]["uuid"]] for node in chart_nodes(dashboard)}
        for name in names:
            if name not in by_name:
                raise TmtError(f"{where}: {path} names role {name!r}, which is not defined")
            if needed - by_name[name].dataset_uuids:
                raise TmtError(f"{where}: role {name} sees {path} but cannot read all of "
                               f"its datasets")


def apply(api: Superset, access: Access) -> list[str]:
    """Create or update the roles, empty the Public role, set each dashboard's roles.
    Returns what changed, one line per change."""
    changes: list[str] = []
    roles = {role["name"]: role for role in api.listing("security/roles/search/")}
    for role in access.roles:
        if role.name not in roles:
            created = api.json("POST", "security/roles/", json={"name": role.name})
            roles[role.name] = {"id": created["id"], "name": role.name, "permission_ids": []}
            changes.append(f"role {role.name} created")
    grants = _grantable(api, roles)
    for role in access.roles:
        if role.like not in roles:
            raise TmtError(f"roles.yaml: role {role.name} is like {role.like!r}, which "
                           f"Superset does not have")
        wanted = set(roles[role.like]["permission_ids"])
        if role.sql_lab:
            wanted |= set(roles["sql_lab"]["permission_ids"])
        for uuid in role.dataset_uuids:
            if uuid not in grants:
                raise TmtError(f"dataset {uuid} of role {role.name} is not in Superset")
            wanted.add(grants[uuid])
        changes += _set_permissions(api, roles[role.name], wanted)
    changes += _set_permissions(api, roles[PUBLIC_ROLE], set())
    changes += _set_dashboard_roles(api, access, {name: role["id"] for name, role in
                                                  roles.items()})
    return changes


def _grantable(api: Superset, roles: dict) -> dict[str, int]:
    """Dataset uuid → id of its `datasource_access` permission."""
    permission_ids = {
        row["view_menu"]["name"]: row["id"]
        for row in api.listing("security/permissions-resources/",
                               ["id", "permission.name", "view_menu.name"])
        if row["permission"]["name"] == "datasource_access"}
    grants = {}
    for dataset in api.listing("dataset/", ["id", "uuid", "table_name",
                                            "database.database_name"]):
        perm = (f"[{dataset['database']['database_name']}].[{dataset['table_name']}]"
                f"(id:{dataset['id']})")  # Superset's own naming of a dataset's permission
        if perm in permission_ids:
            grants[str(dataset["uuid"])] = permission_ids[perm]
    return grants


def _set_permissions(api: Superset, role: dict, wanted: set[int]) -> list[str]:
    if set(role["permission_ids"]) == wanted:
        return []
    api.call("POST", f"security/roles/{role['id']}/permissions",
             json={"permission_view_menu_ids": sorted(wanted)})
    return [f"role {role['name']}: permissions set ({len(wanted)})"]


def _set_dashboard_roles(api: Superset, access: Access, role_ids: dict[str, int]) -> list[str]:
    changes = []
    for dashboard in api.listing("dashboard/", ["id", "uuid", "dashboard_title"]):
        names = access.dashboards.get(str(dashboard["uuid"]))
        if names is None:
            continue  # a dashboard made in the UI: not ours to change
        current = api.json("GET", f"dashboard/{dashboard['id']}")["result"].get("roles") or []
        if sorted(role["id"] for role in current) != sorted(role_ids[name] for name in names):
            api.call("PUT", f"dashboard/{dashboard['id']}",
                     json={"roles": [role_ids[name] for name in names]})
            changes.append(f"dashboard {dashboard['dashboard_title']}: roles "
                           f"{', '.join(names)}")
    return changes
