"""Regions whose map coverage of ESDC's official count falls outside the band are named in
the maintainers' digest, French first with French number formats."""
from __future__ import annotations

import duckdb

from flows.notify.digest_sources import from_warehouse


def test_only_regions_outside_the_band_are_named(tmp_path):
    serving = tmp_path / "tmt.duckdb"
    with duckdb.connect(str(serving)) as con:
        con.execute("create schema marts")
        con.execute("""create table marts.lmia_coverage_flags as select * from (values
            (2023, 'QC', '16', 'Montérégie', 4460, 15922, 0.2801, 4, 0.5, 1.1, true),
            (2023, 'QC', '06', 'Montréal', 8000, 8690, 0.9206, 4, 0.5, 1.1, false),
            (2022, 'QC', null, 'Ensemble du Québec', 60000, 66794, 0.8983, 2, 0.5, 1.1, false)
        ) as flags(year, province, region_code, region_name, list_positions,
                   official_positions, coverage_ratio, quarters_counted, band_low, band_high,
                   is_outside_band)""")
    items = [item for item in from_warehouse(serving) if item.section == "lmia_coverage"]
    assert [(item.key, item.fr, item.en) for item in items] == [(
        "coverage:2023:16",
        ("2023, Montérégie : la carte place 28,0\u00a0% des 15\u202f922 postes officiels "
         "d'EDSC (bande 50,0\u00a0% à 110,0\u00a0%)"),
        ("2023, Montérégie: the map places 28.0% of ESDC's 15\u202f922 official positions "
         "(band 50.0% to 110.0%)"))]
