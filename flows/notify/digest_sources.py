"""What the maintainers' digest reports from the data itself (read-only): a new LMIA
quarter, unplaced LMIA addresses, regions whose map coverage of ESDC's official count is
outside the band, change requests waiting for review, stale listings.
Each item has a key; the digest reports a key once (digest.py). Each fact has one owner:
what another part queues is not read here again.

Other parts queue their own items in the outbox (template `digest_item`, a `section`, a
`key`, and `fr`/`en` texts or a `text` in French then English): data check warnings
(flows/quality), calls to make (reminders), undelivered messages (sender), broken sites
and changed guide sources (flows/sitecheck).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ..confirm import listing as listings
from ..confirm import store as confirmations
from ..labels import display, whole_number
from ..settings import Settings

SITE_CHECKS_REPORT = "broken_over_14_days"  # reported by flows/sitecheck/notices.py


@dataclass(frozen=True)
class Item:
    section: str
    key: str
    fr: str
    en: str
    weight: float = 0  # larger first within a section


def _marts(con) -> dict[str, set[str]]:
    tables: dict[str, set[str]] = {}
    for table, column in con.execute("select table_name, column_name from "
                                     "information_schema.columns where table_schema = 'marts'"
                                     ).fetchall():
        tables.setdefault(table, set()).add(column)
    return tables


def _n(value) -> str:
    return whole_number(value)


def _postes(count) -> str:
    return "poste" if abs(int(count or 0)) < 2 else "postes"  # French: 0 and 1 are singular


def _positions(count) -> str:
    return "position" if int(count or 0) == 1 else "positions"


def from_warehouse(serving_db: Path) -> list[Item]:
    if not serving_db.exists():
        return []
    items: list[Item] = []
    with duckdb.connect(str(serving_db), read_only=True) as con:
        marts = _marts(con)
        if "fct_lmia_positions" in marts:
            latest = con.execute(  # Quebec first: the lists cover Canada
                """select period_year, period_quarter,
                          coalesce(sum(approved_positions) filter (
                              where province_code = 'QC'), 0),
                          sum(approved_positions)
                   from marts.fct_lmia_positions where period_kind = 'quarter'
                   group by all order by 1 desc, 2 desc limit 1""").fetchone()
            if latest:
                year, quarter, quebec, canada = latest
                items.append(Item(
                    "lmia_quarter", f"lmia_quarter:{year}Q{quarter}",
                    f"{year} T{quarter} publié : {_n(quebec)} {_postes(quebec)} approuvés "
                    f"au Québec ({_n(canada)} au Canada)",
                    f"{year} Q{quarter} published: {_n(quebec)} approved "
                    f"{_positions(quebec)} in Quebec ({_n(canada)} in Canada)"))
        if "lmia_unplaced_addresses" in marts:
            for key, address, city, precision_fr, precision_en, positions in con.execute(
                    """select address_key, address, city_as_written,
                              'précision : ' || coalesce(geo_precision_label_fr, geo_precision),
                              'precision: ' || coalesce(geo_precision_label_en, geo_precision),
                              approved_positions from marts.lmia_unplaced_addresses""").fetchall():
                place = f"{address}" + (f" ({city})" if city else "")
                items.append(Item("unplaced_addresses", f"unplaced:{key}",
                                  f"{place} : {_n(positions)} {_postes(positions)}, "
                                  f"{precision_fr}",
                                  f"{place}: {_n(positions)} {_positions(positions)}, "
                                  f"{precision_en}",
                                  positions or 0))
        if "lmia_coverage_flags" in marts:
            items += _coverage(con)
        items += _freshness(con, marts.get("listing_freshness", set()))
    return items


def _percent(ratio: float, french: bool) -> str:
    text = f"{ratio * 100:.1f}"
    return f"{text.replace('.', ',')}\u00a0%" if french else f"{text}%"


def _coverage(con) -> list[Item]:
    """Regions whose employer lists place a share of ESDC's official positions outside the
    band (marts.lmia_coverage_flags; the band is the dbt vars coverage_ratio_low/high)."""
    items = []
    for year, code, name, official, ratio, low, high in con.execute(
            """select year, region_code, region_name, official_positions, coverage_ratio,
                      band_low, band_high
               from marts.lmia_coverage_flags where is_outside_band
               order by year desc, coverage_ratio""").fetchall():
        band_fr = f"{_percent(low, True)} à {_percent(high, True)}"
        band_en = f"{_percent(low, False)} to {_percent(high, False)}"
        items.append(Item(
            "lmia_coverage", f"coverage:{year}:{code or 'QC'}",
            f"{year}, {name} : la carte place {_percent(ratio, True)} des {_n(official)} "
            f"postes officiels d'EDSC (bande {band_fr})",
            f"{year}, {name}: the map places {_percent(ratio, False)} of ESDC's "
            f"{_n(official)} official positions (band {band_en})",
            weight=-float(ratio)))
    return items


def _freshness(con, columns: set[str]) -> list[Item]:
    """Stale listings from marts.listing_freshness (flows/sitecheck), without the reason
    `broken_over_14_days`: a broken website is the site checks' to report (when it breaks,
    again while it stays broken, when it works again: flows/sitecheck/notices.py), and
    saying it here too would put the same site in the digest twice."""
    if not {"organization_id", "organization_name", "is_stale", "stale_reasons"} <= columns:
        return []
    def said(codes: list[str], language: int) -> str:
        # the words of the dashboards' `Raisons` (ref_display_labels, vocabulary stale_reason)
        return ", ".join(display("stale_reason", code)[language] for code in codes)

    items = []
    for oid, name, why in con.execute("""select organization_id, organization_name,
                                                stale_reasons
                                         from marts.listing_freshness where is_stale""").fetchall():
        codes = [code for code in why.split(",") if code != SITE_CHECKS_REPORT]
        if codes:
            items.append(Item("stale_listings", f"stale:{oid}:{','.join(codes)}",
                              f"{name} : {said(codes, 0)}", f"{name}: {said(codes, 1)}"))
    return items


def change_requests(settings: Settings) -> list[Item]:
    items = []
    pending = [request for request in confirmations.change_requests(settings.confirmations_db)
               if request["status"] == "pending"]
    names = {entry.organization_id: entry.name
             for entry in (listings.all_published(settings.serving_db) if pending else [])}
    for request in pending:
        name = names.get(request["organization_id"], request["organization_id"])
        fields = ", ".join(json.loads(request["changes"])) or "commentaire"
        comment = f" « {request['comment'][:160]} »" if request["comment"] else ""
        who = request["submitted_by"] or "?"
        items.append(Item(
            "change_requests", f"change_request:{request['change_request_id']}",
            f"{name} : {fields}{comment} (par {who}, "
            f"{request['submitted_at'][:10]})",
            f"{name}: {fields}{comment} (by {who}, "
            f"{request['submitted_at'][:10]})"))
    return items


def collect(settings: Settings) -> list[Item]:
    return from_warehouse(settings.serving_db) + change_requests(settings)
