"""The schedules as code: a snapshot (any change is a reviewable diff), every entrypoint
resolves, `tmt serve` registers them with a real Prefect server, and `dbt parse` passes."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows import deployments

SNAPSHOT = Path(__file__).parent / "snapshots" / "deployments.json"


def test_deployments_match_the_snapshot():
    current = deployments.spec()
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(json.dumps(current, indent=1) + "\n")
    assert current == json.loads(SNAPSHOT.read_text()), \
        "schedules changed: review, then re-run with UPDATE_SNAPSHOTS=1"


@pytest.mark.parametrize("env, active", [("", False), ("prod", True)])
def test_every_entrypoint_resolves_and_schedules_are_live_only_in_prod(monkeypatch, env, active):
    monkeypatch.setenv("TMT_ENV", env)
    built = deployments.build_deployments()
    assert [d.name for d in built] == [job.name for job in deployments.JOBS]
    for deployment, job in zip(built, deployments.JOBS):
        if job.cron:
            (schedule,) = deployment.schedules
            assert schedule.active is active
            assert schedule.schedule.cron == job.cron
            assert schedule.schedule.timezone == deployments.TIMEZONE
        else:
            assert not deployment.schedules


def test_serve_registers_the_deployments_with_the_server(prefect_engine, tmt_home):
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "TMT_ENV": "prod"}
    server = subprocess.Popen([sys.executable, "-m", "flows.cli", "serve"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        names: set[str] = set()
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and names != {j.name for j in deployments.JOBS}:
            time.sleep(1)
            assert server.poll() is None, server.stderr.read()
            with get_client(sync_client=True) as client:
                found = client.read_deployments()
            names = {d.name for d in found}
        assert names == {job.name for job in deployments.JOBS}
        weekly = next(d for d in found if d.name == "lmia-weekly")
        assert weekly.schedules[0].schedule.cron == "0 6 * * 1"
        assert weekly.schedules[0].active
    finally:
        server.send_signal(signal.SIGINT)
        try:  # Prefect's runner deregisters its flows on the way out: slower on a busy server
            server.wait(timeout=90)
        except subprocess.TimeoutExpired:
            server.kill()
            raise AssertionError(f"tmt serve did not stop on SIGINT: {server.stderr.read()[-3000:]}")


def test_serve_without_a_server_is_a_clear_error(tmt_home):
    env = {key: value for key, value in os.environ.items() if key != "PREFECT_API_URL"}
    result = subprocess.run([sys.executable, "-m", "flows.cli", "serve"], env=env,
                            capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 1
    assert result.stderr.strip().startswith("tmt: error: PREFECT_API_URL is not set")


def test_dbt_parse_passes(tmt_home):
    from flows.settings import get_settings
    from flows.warehouse.dbt import run_dbt

    run_dbt(get_settings(), "parse")


def test_every_file_entrypoint_resolves():
    from flows.settings import REPO_ROOT

    for job in deployments.JOBS:
        path, flow_name = deployments.file_entrypoint(job).split(":")
        assert (REPO_ROOT / path).is_file(), job.name
        assert job.entrypoint.endswith(":" + flow_name)


def test_deploy_registers_every_job_with_a_process_work_pool(prefect_engine, tmt_home,
                                                            monkeypatch):
    """`tmt deploy --pool`: the deployments land in the pool with JOBS' schedules, in
    Montreal time, run from this checkout. No worker is started."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import WorkPoolCreate
    from prefect.settings import PREFECT_API_URL

    from flows.settings import REPO_ROOT

    monkeypatch.setenv("PREFECT_API_URL", PREFECT_API_URL.value())
    monkeypatch.setenv("TMT_ENV", "prod")
    with get_client(sync_client=True) as client:
        client.create_work_pool(WorkPoolCreate(name="tmt-test-pool", type="process"),
                                overwrite=True)
    ids = deployments.deploy_to_pool("tmt-test-pool")
    assert len(ids) == len(deployments.JOBS)
    with get_client(sync_client=True) as client:
        found = {d.name: d for d in client.read_deployments() if str(d.id) in ids}
    assert set(found) == {job.name for job in deployments.JOBS}
    for job in deployments.JOBS:
        deployment = found[job.name]
        assert deployment.work_pool_name == "tmt-test-pool"
        assert deployment.entrypoint == deployments.file_entrypoint(job)
        assert deployment.global_concurrency_limit.limit == job.concurrency
        assert str(REPO_ROOT) in json.dumps(deployment.pull_steps)
        if job.cron:
            (schedule,) = deployment.schedules
            assert schedule.schedule.cron == job.cron
            assert schedule.schedule.timezone == deployments.TIMEZONE
            assert schedule.active
        else:
            assert not deployment.schedules
