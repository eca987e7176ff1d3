"""The dashboards/ tree, checked without Superset: what a reviewer cannot see at a glance."""
from __future__ import annotations

import json
import shutil

import pytest
import yaml

from flows.dashboards import access, bundle
from flows.dashboards.compare import differences
from flows.dashboards.deploy import DASHBOARDS_DIR, database_passwords
from flows.errors import TmtError

REPO = DASHBOARDS_DIR.parent
VALUES = {"TMT_SERVING_DB": "/srv/tmt/warehouse/tmt.duckdb"}
DASHBOARDS = {"Carte des TMT", "Portrait régional", "Répertoire et écarts",
              "Fraîcheur et opérations", "Provenance et contexte"}


@pytest.fixture(scope="module")
def tree() -> bundle.Bundle:
    return bundle.load(DASHBOARDS_DIR, VALUES)


def mart_models() -> set[str]:
    return {path.stem for path in (REPO / "dbt_project" / "models" / "marts").rglob("*.sql")}


def test_the_dashboards_load_with_every_reference_resolved(tree):
    titles = {data["dashboard_title"] for data in tree.of_kind("dashboards").values()}
    assert titles == DASHBOARDS
    database, = tree.of_kind("databases").values()
    assert database["sqlalchemy_uri"] == "duckdb:////srv/tmt/warehouse/tmt.duckdb"
    assert database["extra"]["engine_params"]["connect_args"]["read_only"] is True
    assert not database["allow_dml"] and not database["allow_run_async"]


def test_superset_reads_the_serving_file_and_nothing_else(tree, tmp_path):
    """The committed connect_args handed to DuckDB as duckdb_engine does: the marts
    answer; writing, other files, attaching and extensions do not."""
    import duckdb

    serving, other = tmp_path / "tmt.duckdb", tmp_path / "work.duckdb"
    for path in (serving, other):
        with duckdb.connect(str(path)) as con:
            con.execute("create schema marts; create table marts.t as select 42 as answer")
    database, = tree.of_kind("databases").values()
    args = database["extra"]["engine_params"]["connect_args"]
    with duckdb.connect(str(serving), read_only=args["read_only"],
                        config=dict(args["config"])) as con:
        assert con.sql("select answer from marts.t").fetchall() == [(42,)]
        for attack in ("delete from marts.t", f"copy marts.t to '{tmp_path / 'out.csv'}'",
                       f"attach '{other}' as w (read_write)",
                       f"select * from read_text('{other}')",
                       "install httpfs", "set enable_external_access = true"):
            with pytest.raises(duckdb.Error):
                con.execute(attack)
    assert not (tmp_path / "out.csv").exists()


def test_no_integer_ids_are_committed():
    for path in DASHBOARDS_DIR.rglob("*.yaml"):
        text = path.read_text()
        for key in ("chartId", "slice_id", "datasource_id", "datasetId", "dashboard_id"):
            assert f"{key}:" not in text and f'"{key}"' not in text, (path, key)


def test_every_dataset_is_a_mart_of_the_dbt_project(tree):
    for path, dataset in tree.of_kind("datasets").items():
        assert dataset["schema"] == "marts", path
        assert dataset["table_name"] in mart_models(), path


def test_each_chart_query_context_matches_its_params(tree):
    """The query context is what /api/v1/chart/{id}/data runs: it must be the chart's own."""
    for path, chart in tree.of_kind("charts").items():
        context = json.loads(chart["query_context"])
        assert context["form_data"] == chart["params"], path
        assert context["queries"] and all("datasource" not in query
                                          for query in context["queries"]), path


def test_only_carte_tmt_reads_the_employer_level_dataset(tree):
    wanted = access.load(DASHBOARDS_DIR, tree)
    employer_level = {str(data["uuid"]) for data in tree.of_kind("datasets").values()
                      if data["table_name"] == "fct_lmia_positions"}
    roles = {role.name: role for role in wanted.roles}
    assert set(roles) == {"carte_tmt", "analyste"}
    assert employer_level <= roles["carte_tmt"].dataset_uuids
    assert not employer_level & roles["analyste"].dataset_uuids
    carte, = [str(data["uuid"]) for data in tree.of_kind("dashboards").values()
              if data["dashboard_title"] == "Carte des TMT"]
    assert wanted.dashboards[carte] == ("carte_tmt",)


def test_every_dashboard_has_a_dbt_exposure_listing_its_marts(tree):
    exposures = {exposure["label"]: exposure for exposure in yaml.safe_load(
        (REPO / "dbt_project" / "models" / "marts" / "_exposures.yml").read_text())["exposures"]}
    datasets = {str(data["uuid"]): data["table_name"]
                for data in tree.of_kind("datasets").values()}
    charts = {str(data["uuid"]): datasets[str(data["dataset_uuid"])]
              for data in tree.of_kind("charts").values()}
    for dashboard in tree.of_kind("dashboards").values():
        exposure = exposures[dashboard["dashboard_title"]]
        used = {charts[node["meta"]["uuid"]] for node in bundle.chart_nodes(dashboard)}
        assert {ref.split("'")[1] for ref in exposure["depends_on"]} == used
        assert exposure["url"].endswith(f"/superset/dashboard/{dashboard['slug']}/")


def test_a_broken_reference_or_placeholder_is_named(tmp_path):
    root = tmp_path / "dashboards"
    shutil.copytree(DASHBOARDS_DIR, root)
    with pytest.raises(TmtError, match=r"unknown placeholder \$\{TMT_SERVING_DB\}"):
        bundle.load(root, {})
    chart = next((root / "charts").glob("*.yaml"))
    chart.write_text(chart.read_text().replace("dataset_uuid: ", "dataset_uuid: 0"))
    with pytest.raises(TmtError, match=rf"charts/{chart.name}: refers to 0.*not in datasets/"):
        bundle.load(root, VALUES)


def test_a_database_password_comes_from_the_environment(tree, monkeypatch):
    files = dict(tree.files)
    files["databases/entrepot.yaml"] = {"uuid": "x", "sqlalchemy_uri":
                                        "postgresql://lecteur:XXXXXXXXXX@db/entrepot"}
    with pytest.raises(TmtError, match="TMT_SUPERSET_DB_PASSWORD_ENTREPOT"):
        database_passwords(bundle.Bundle(files))
    monkeypatch.setenv("TMT_SUPERSET_DB_PASSWORD_ENTREPOT", "s3cret")
    assert database_passwords(bundle.Bundle(files)) == {"databases/entrepot.yaml": "s3cret"}


def test_differences_ignore_what_superset_assigns_and_see_what_changed(tree):
    # What an export gives back: other file names, integer ids, columns in another order.
    exported = {}
    for number, (path, data) in enumerate(tree.files.items()):
        data = json.loads(json.dumps(data))
        if "columns" in data:
            data["columns"].reverse()
        for node in bundle.chart_nodes(data):
            node["meta"]["chartId"] = 1000 + number
        exported[f"{path.split('/')[0]}/Exported_{number}.yaml"] = data
    assert differences(tree, exported) == []
    changed = next(path for path in exported if path.startswith("dashboards/"))
    exported[changed]["dashboard_title"] = "Ancien titre"
    del exported[next(path for path in exported if path.startswith("charts/"))]
    found = differences(tree, exported)
    assert len(found) == 2
    assert any(line.endswith("(new)") for line in found)
    assert any("(changed: dashboard_title)" in line for line in found)


def test_an_option_superset_does_not_hold_yet_is_a_change(tree):
    """A chart option added in the tree (legendMargin) and absent from Superset's copy must
    be deployed; keys Superset never exports at the file level are not changes."""
    exported = {path: json.loads(json.dumps(data)) for path, data in tree.files.items()}
    chart_path = next(path for path in exported if path.startswith("charts/"))
    exported[chart_path].pop("is_managed_externally", None)
    assert differences(tree, exported) == []
    exported[chart_path]["params"].pop("viz_type")
    assert differences(tree, exported) == [f"{chart_path} (changed: params.viz_type)"]
