"""Prefect flow `refresh_sites`: the weekly site and guide-source checks, then a build so
`marts.listing_freshness` and the guide marts show what the checks found."""
from __future__ import annotations

from prefect import flow

from flows.build_warehouse import build_warehouse
from flows.check_sites import check_sites
from flows.ops import record


@flow(name="refresh_sites", **record.HOOKS)
def refresh_sites(live: bool = True) -> str:
    # Scheduled runs reach the real websites; `tmt run` on the sample stays offline.
    check_sites(live=live)
    published = build_warehouse()
    record.report_sub_flows("refresh-sites", "Vérification hebdomadaire / Weekly site check")
    return published


if __name__ == "__main__":
    refresh_sites()
