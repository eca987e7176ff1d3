"""Every flow module imports and exposes its Prefect flow under the documented name."""
import importlib

import pytest
from prefect import Flow

FLOWS = {
    "flows.ingest_lmia": "ingest_lmia",
    "flows.import_directory": "import_directory",
    "flows.build_warehouse": "build_warehouse",
    "flows.run_pipeline": "run_pipeline",
    "flows.refresh_lmia": "refresh_lmia",
    "flows.refresh_sites": "refresh_sites",
    "flows.send_notifications": "notify",
    "flows.update_campaign": "update_campaign",
    "flows.check_sites": "check_sites",
    "flows.ingest_context": "ingest_context",
}


@pytest.mark.parametrize("module_name, flow_name", sorted(FLOWS.items()))
def test_flow_module_loads(module_name, flow_name):
    module = importlib.import_module(module_name)
    flow = getattr(module, flow_name)
    assert isinstance(flow, Flow) and flow.name == flow_name
