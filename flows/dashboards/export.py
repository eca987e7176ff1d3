"""`tmt dashboards export`: what a Superset holds, written back as the dashboards/ tree.

The way to change a chart is to change it in a local Superset (`make superset`, then
`tmt dashboards deploy`), save it there, export, and review the diff: Superset's frontend
computes a chart's query context, which is tedious and error-prone by hand. Files keep
their names in the tree (matched by UUID); new objects get a name from their title. What
only makes sense in one Superset is removed: integer ids, the serving file's path.
"""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import yaml

from flows.dashboards import bundle
from flows.errors import TmtError

DROPPED_PARAMS = ("datasource", "slice_id", "url_params", "dashboards")


class _Literal(str):
    """A multi-line string written as a YAML block (query contexts, markdown)."""


def _literal(dumper: yaml.SafeDumper, text: _Literal) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|")


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Literal, _literal)


def export(exported: dict[str, dict], root: Path, serving_db: str) -> list[str]:
    """Write `exported` (Superset's assets export) into the tree at `root`; returns the
    files written. Nothing of the tree is deleted: a reviewer removes what must go."""
    in_tree = {}
    for path in root.glob("*/**/*.yaml"):
        data = yaml.safe_load(path.read_text()) or {}
        if data.get("uuid"):
            in_tree[str(data["uuid"])] = (path.relative_to(root).as_posix(), data)
    written = []
    for name, data in sorted(exported.items()):
        kind = name.split("/")[0]
        if kind not in bundle.KINDS or not data:
            continue
        data = NORMALIZE[kind](data, serving_db)
        if kind in ("charts", "dashboards"):  # everything in the tree is managed from git
            data.setdefault("is_managed_externally", True)
            data.setdefault("external_url", None)
        target, before = in_tree.get(str(data["uuid"]), (_new_name(kind, data), None))
        if before is not None:
            data = _shaped_like(data, before)
            if data == before:
                continue  # unchanged: the file keeps its comments
        (root / target).parent.mkdir(parents=True, exist_ok=True)
        (root / target).write_text(yaml.dump(data, Dumper=_Dumper, allow_unicode=True,
                                             sort_keys=False, width=100))
        written.append(target)
    return written


def _shaped_like(new, old):
    """`new` in the shape of the file it replaces, so that the diff shows changes only:
    keys in the file's order, columns and metrics too, empty keys it did not have left out."""
    if isinstance(new, dict) and isinstance(old, dict):
        keys = [key for key in old if key in new] + [key for key in new if key not in old]
        return {key: _shaped_like(new[key], old.get(key)) for key in keys
                if key in old or new[key] not in (None, "", [], {})}
    if isinstance(new, list) and isinstance(old, list):
        for name in ("column_name", "metric_name"):
            if new and all(isinstance(item, dict) and name in item for item in new + old):
                order = {item[name]: index for index, item in enumerate(old)}
                olds = {item[name]: item for item in old}
                return [_shaped_like(item, olds.get(item[name])) for item in
                        sorted(new, key=lambda item: order.get(item[name], len(order)))]
    return new


def _database(data: dict, serving_db: str) -> dict:
    # This machine's serving file, or any $TMT_HOME's (an export from another machine).
    uri = data["sqlalchemy_uri"].replace(serving_db, "${TMT_SERVING_DB}")
    data["sqlalchemy_uri"] = re.sub(r"^duckdb:///.*/warehouse/tmt\.duckdb$",
                                    "duckdb:///${TMT_SERVING_DB}", uri)
    return data


def _dataset(data: dict, serving_db: str) -> dict:
    return data


def _chart(data: dict, serving_db: str) -> dict:
    for key in DROPPED_PARAMS:
        data["params"].pop(key, None)
    if not data["params"].get("annotation_layers"):
        data["params"].pop("annotation_layers", None)  # Superset adds an empty list on import
    if data.get("query_context"):
        context = json.loads(data["query_context"])
        context.pop("datasource", None)
        for query in context.get("queries", []):
            query.pop("datasource", None)
            query.pop("url_params", None)
        for key in DROPPED_PARAMS:
            context.get("form_data", {}).pop(key, None)
        data["query_context"] = _Literal(json.dumps(context, indent=2, ensure_ascii=False)
                                         + "\n")
    return data


def _dashboard(data: dict, serving_db: str) -> dict:
    title = data["dashboard_title"]
    for node in bundle.chart_nodes(data):
        node["meta"].pop("chartId", None)
    for node in data.get("position", {}).values():
        if isinstance(node, dict) and node.get("type") == "MARKDOWN":
            node["meta"]["code"] = _Literal(node["meta"].get("code") or "")
    metadata = data.get("metadata", {})
    for native_filter in metadata.get("native_filter_configuration", []):
        native_filter.pop("chartsInScope", None)  # the frontend computes these ids again
        native_filter.pop("tabsInScope", None)
        if native_filter.get("scope", {}).get("excluded"):
            raise TmtError(f"{title}: filter {native_filter.get('name')!r} excludes charts "
                           f"by integer id; scope filters by column instead")
    # Cross-filter settings name charts by integer id; the defaults (every chart, global
    # scope) are what Superset assumes without them.
    if not (metadata.get("global_chart_configuration") or {}).get("scope", {}).get("excluded"):
        metadata.pop("global_chart_configuration", None)
    metadata["chart_configuration"] = {
        key: value for key, value in (metadata.get("chart_configuration") or {}).items()
        if (value.get("crossFilters") or {}).get("scope") != "global"}
    for key in ("chart_configuration", "global_chart_configuration"):
        if metadata.get(key):
            raise TmtError(f"{title}: metadata.{key} scopes cross-filters by integer chart "
                           f"ids, which the tree does not keep; use the global scope")
        metadata.pop(key, None)
    for key in ("positions", "color_scheme_domain", "shared_label_colors", "map_label_colors"):
        metadata.pop(key, None)  # derived by Superset's frontend when the dashboard opens
    return data


NORMALIZE = {"databases": _database, "datasets": _dataset, "charts": _chart,
             "dashboards": _dashboard}


def _new_name(kind: str, data: dict) -> str:
    if kind == "datasets":
        return f"datasets/observatoire_tmt/{data['table_name']}.yaml"
    title = data.get("slice_name") or data.get("dashboard_title") or data.get("database_name")
    slug = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return f"{kind}/{re.sub(r'[^a-z0-9]+', '-' if kind == 'dashboards' else '_', slug).strip('-_')}.yaml"
