"""`tmt dashboards export` without Superset: an export of the tree gives back the tree."""
from __future__ import annotations

import copy
import json
import shutil

import pytest
import yaml

from flows.dashboards import bundle, export
from flows.dashboards.deploy import DASHBOARDS_DIR
from flows.errors import TmtError

SERVING = "/home/analyste/tmt/warehouse/tmt.duckdb"


def superset_export() -> dict[str, dict]:
    """The tree as Superset's export gives it: its own file names, integer ids, paths."""
    tree = bundle.load(DASHBOARDS_DIR, {"TMT_SERVING_DB": SERVING})
    exported = {}
    for number, (path, data) in enumerate(sorted(tree.files.items())):
        data = copy.deepcopy(data)
        kind = path.split("/")[0]
        if kind == "charts":
            data["params"]["datasource"] = f"{number}__table"
            context = json.loads(data["query_context"])
            context["datasource"] = {"id": number, "type": "table"}
            data["query_context"] = json.dumps(context)
            data.pop("is_managed_externally")
        if kind == "dashboards":
            data["metadata"]["shared_label_colors"] = ["Montérégie"]
            for native_filter in data["metadata"]["native_filter_configuration"]:
                native_filter["chartsInScope"] = [1, 2, 3]
        exported[f"{kind}/Exported_{number}.yaml"] = data
    return exported


def test_an_export_of_what_was_deployed_writes_nothing(tmp_path):
    root = tmp_path / "dashboards"
    shutil.copytree(DASHBOARDS_DIR, root)
    assert export.export(superset_export(), root, SERVING) == []


def test_a_changed_chart_is_written_in_place_and_a_new_one_beside(tmp_path):
    root = tmp_path / "dashboards"
    shutil.copytree(DASHBOARDS_DIR, root)
    exported = superset_export()
    changed = next(name for name, data in exported.items()
                   if data.get("slice_name") == "Organismes par région")
    exported[changed]["params"]["show_legend"] = True
    new = copy.deepcopy(exported[changed])
    new.update(uuid="00000000-0000-4000-8000-000000000001", slice_name="Écoles par région")
    exported["charts/Ecoles_99.yaml"] = new

    written = export.export(exported, root, SERVING)

    assert sorted(written) == ["charts/ecoles_par_region.yaml", "charts/repertoire_par_region.yaml"]
    chart = yaml.safe_load((root / "charts" / "repertoire_par_region.yaml").read_text())
    assert chart["params"]["show_legend"] is True and "datasource" not in chart["params"]
    assert "datasource" not in json.loads(chart["query_context"])
    bundle.load(root, {"TMT_SERVING_DB": SERVING})  # still a valid tree


def test_another_machines_serving_path_is_templated_and_id_scopes_refused(tmp_path):
    root = tmp_path / "dashboards"
    shutil.copytree(DASHBOARDS_DIR, root)
    exported = superset_export()
    database = next(name for name in exported if name.startswith("databases/"))
    exported[database]["sqlalchemy_uri"] = "duckdb:////srv/autre/warehouse/tmt.duckdb"
    assert export.export(exported, root, SERVING) == []
    dashboard = next(name for name in exported if name.startswith("dashboards/"))
    exported[dashboard]["metadata"]["native_filter_configuration"][0]["scope"]["excluded"] = [7]
    with pytest.raises(TmtError, match="excludes charts by integer id"):
        export.export(exported, root, SERVING)
