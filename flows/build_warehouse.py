"""Prefect flow `build_warehouse`: dbt build on the working database, then publish."""
from __future__ import annotations

from prefect import flow, get_run_logger, task
from prefect.cache_policies import NO_CACHE

from flows.settings import get_settings
from flows.warehouse.dbt import run_dbt
from flows.warehouse.publish import publish


@task(cache_policy=NO_CACHE)
def dbt_build() -> list[str]:
    """Seeds, models and their tests; any failure fails the task and the run."""
    return run_dbt(get_settings(), "build")


@task(cache_policy=NO_CACHE)
def publish_serving_database() -> str:
    path = publish(get_settings())
    get_run_logger().info("published %s", path)
    return str(path)


@flow(name="build_warehouse")
def build_warehouse() -> str:
    dbt_build()
    return publish_serving_database()


if __name__ == "__main__":
    build_warehouse()
