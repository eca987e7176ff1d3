"""What differs between the dashboards/ tree and what a Superset holds (its export).

Only what the tree sets is compared: Superset's export adds defaults, other file names,
integer ids and its own column order, none of which is a change.
"""
from __future__ import annotations

import json

from flows.dashboards import bundle

# Integer ids Superset assigns, and colours its frontend saves when a dashboard is opened.
IGNORED_KEYS = {"chartId", "datasource", "slice_id", "color_scheme_domain",
                "shared_label_colors", "map_label_colors"}


def differences(tree: bundle.Bundle, current: dict[str, dict]) -> list[str]:
    """Files of the tree that Superset lacks or holds differently (one line each)."""
    by_uuid = {str(data.get("uuid")): data for data in current.values() if data}
    lines = []
    for path, ours in sorted(tree.files.items()):
        if path == "metadata.yaml":
            continue
        theirs = by_uuid.get(str(ours["uuid"]))
        if theirs is None:
            lines.append(f"{path} (new)")
        elif (where := first_difference(ours, theirs)) is not None:
            lines.append(f"{path} (changed: {where or 'content'})")
    return lines


def first_difference(ours, theirs, where: str = "") -> str | None:
    """Where `theirs` departs from `ours`, ignoring what only Superset sets; None if nowhere."""
    if isinstance(ours, str) and isinstance(theirs, str) and ours.lstrip().startswith("{"):
        try:
            ours, theirs = json.loads(ours), json.loads(theirs)  # JSON held in a string
        except ValueError:
            pass
    if isinstance(ours, dict) and isinstance(theirs, str):
        try:
            theirs = json.loads(theirs)
        except ValueError:
            return where
    if isinstance(ours, list) and isinstance(theirs, list) and _named(ours) and _named(theirs):
        ours, theirs = _named(ours), _named(theirs)  # columns and metrics: order is Superset's
        if set(ours) != set(theirs):
            return where
    if isinstance(ours, dict):
        if not isinstance(theirs, dict):
            return where
        for key, value in ours.items():
            if key in IGNORED_KEYS:
                continue
            if key not in theirs:
                # File-level keys Superset does not export (is_managed_externally...) cannot
                # be compared; inside (a chart's params), a key Superset lacks is a change
                # (a new option such as legendMargin was never deployed before).
                if where and value is not None:
                    return f"{where}.{key}"
                continue
            found = first_difference(value, theirs[key], f"{where}.{key}")
            if found is not None:
                return found.lstrip(".")
        return None
    if isinstance(ours, list):
        if not isinstance(theirs, list) or len(ours) != len(theirs):
            return where
        for index, (mine, other) in enumerate(zip(ours, theirs)):
            found = first_difference(mine, other, f"{where}[{index}]")
            if found is not None:
                return found
        return None
    if isinstance(ours, str) and isinstance(theirs, str):
        return None if ours.strip() == theirs.strip() else where
    return None if ours == theirs or str(ours) == str(theirs) else where


def _named(items: list) -> dict | None:
    """A dataset's columns or metrics as name → definition, else None."""
    for key in ("column_name", "metric_name"):
        if items and all(isinstance(item, dict) and key in item for item in items):
            return {item[key]: item for item in items}
    return None
