"""The dashboards/ tree → a Superset import bundle (a zip in the native export layout).

The tree is what a Superset export holds (metadata.yaml, databases/, datasets/, charts/,
dashboards/), identified by UUIDs only. Two things are filled in here, at deploy time:
`${NAME}` placeholders (the serving file's path) and the integer chart ids Superset's
importer wants inside a dashboard's layout, which are local to the bundle and remapped by
Superset on import. Nothing here talks to Superset.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import yaml

from flows.errors import TmtError

KINDS = ("databases", "datasets", "charts", "dashboards")
PLACEHOLDER = re.compile(r"\$\{([A-Z][A-Z0-9_]*)\}")
MASKED_PASSWORD = "XXXXXXXXXX"  # what Superset's exports put in place of a password


@dataclass(frozen=True)
class Bundle:
    files: dict[str, dict]  # path inside the tree ("charts/x.yaml") → parsed YAML

    def of_kind(self, kind: str) -> dict[str, dict]:
        return {path: data for path, data in self.files.items()
                if path.startswith(kind + "/")}

    def uuids(self, kind: str) -> set[str]:
        return {str(data["uuid"]) for data in self.of_kind(kind).values()}

    def to_zip(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path, data in sorted(self.files.items()):
                archive.writestr(f"bundle/{path}",
                                 yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
        return buffer.getvalue()


def render(text: str, values: dict[str, str], where: str) -> str:
    def value(match: re.Match) -> str:
        if match.group(1) not in values:
            raise TmtError(f"{where}: unknown placeholder ${{{match.group(1)}}} "
                           f"(known: {', '.join(sorted(values))})")
        return values[match.group(1)]

    return PLACEHOLDER.sub(value, text)


def load(root: Path, values: dict[str, str]) -> Bundle:
    """Read and check the tree; `values` fill its ${NAME} placeholders."""
    files: dict[str, dict] = {}
    for path in sorted(root.glob("*/**/*.yaml")) + [root / "metadata.yaml"]:
        relative = path.relative_to(root).as_posix()
        if relative != "metadata.yaml" and relative.split("/")[0] not in KINDS:
            continue
        try:
            files[relative] = yaml.safe_load(render(path.read_text(), values, relative))
        except yaml.YAMLError as exc:
            raise TmtError(f"{relative}: not valid YAML ({exc})") from exc
        except FileNotFoundError as exc:
            raise TmtError(f"{root}: no metadata.yaml, not a dashboards tree") from exc
    bundle = Bundle(files)
    check(bundle)
    return Bundle({path: (number_charts(data) if path.startswith("dashboards/") else data)
                   for path, data in files.items()})


def check(bundle: Bundle) -> None:
    """Every reference resolves and every UUID is used once: fail before Superset does."""
    seen: dict[str, str] = {}
    for path, data in bundle.files.items():
        if path == "metadata.yaml":
            if (data or {}).get("type") != "assets":
                raise TmtError("metadata.yaml: type must be `assets` (the bundle holds "
                               "databases, datasets, charts and dashboards)")
            continue
        uuid = str((data or {}).get("uuid") or "")
        if not uuid:
            raise TmtError(f"{path}: no uuid")
        if uuid in seen:
            raise TmtError(f"{path}: uuid {uuid} is also the uuid of {seen[uuid]}")
        seen[uuid] = path
    references = [
        (path, str(data["database_uuid"]), "databases")
        for path, data in bundle.of_kind("datasets").items()
    ] + [
        (path, str(data["dataset_uuid"]), "datasets")
        for path, data in bundle.of_kind("charts").items()
    ]
    for path, data in bundle.of_kind("dashboards").items():
        references += [(path, node["meta"]["uuid"], "charts")
                       for node in chart_nodes(data)]
        for native_filter in data.get("metadata", {}).get("native_filter_configuration", []):
            references += [(path, target["datasetUuid"], "datasets")
                           for target in native_filter.get("targets", [])
                           if "datasetUuid" in target]
    for path, uuid, kind in references:
        if uuid not in bundle.uuids(kind):
            raise TmtError(f"{path}: refers to {uuid}, which is not in {kind}/")


def chart_nodes(dashboard: dict) -> list[dict]:
    return [node for node in dashboard.get("position", {}).values()
            if isinstance(node, dict) and node.get("type") == "CHART"]


def number_charts(dashboard: dict) -> dict:
    """Superset's importer maps chart ids found in a layout to the charts it imported:
    give each chart of the layout a local number (the committed YAML has none)."""
    for number, node in enumerate(chart_nodes(dashboard), 1):
        node["meta"].setdefault("chartId", number)
    return dashboard


def masked_password_databases(bundle: Bundle) -> list[str]:
    """Database files whose URI has a masked password that must be given at import."""
    return [path for path, data in bundle.of_kind("databases").items()
            if f":{MASKED_PASSWORD}@" in data.get("sqlalchemy_uri", "")]
