"""Rebuild the reference seeds in dbt_project/seeds/ from the public files in shared/data.

    python dbt_project/scripts/build_seeds.py [--reference-dir DIR] [--lmia-dir DIR]

The committed CSVs are what dbt loads; this script is how they were made, so a new MAMH
vintage or NOC release is one command and a reviewable diff. It fails loudly when a
curated alias points at a code or a name that the MAMH file does not have.
Sources and licences: dbt_project/seeds/README.md.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from seeds_geography import (
    build_aliases,
    build_fsa_centroids,
    build_municipalities,
    build_places,
    build_regions,
)
from seeds_noc import build_noc

DBT_DIR = Path(__file__).resolve().parent.parent
SEEDS_DIR = DBT_DIR / "seeds"
SHARED_DATA_DIR = DBT_DIR.parent.parent / "shared" / "data"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference-dir", type=Path, default=SHARED_DATA_DIR / "reference")
    parser.add_argument("--lmia-dir", type=Path, default=SHARED_DATA_DIR / "lmia")
    args = parser.parse_args()
    municipalities = build_municipalities(args.reference_dir)
    noc_codes, noc_broad, noc_concordance = build_noc(args.reference_dir, args.lmia_dir)
    seeds = {
        "ref_quebec_municipalities": municipalities,
        "ref_quebec_regions": build_regions(municipalities),
        "ref_municipality_aliases": build_aliases(args.reference_dir, municipalities),
        "ref_fsa_centroids": build_fsa_centroids(args.reference_dir),
        "ref_places": build_places(args.reference_dir),
        "ref_noc_codes": noc_codes,
        "ref_noc_broad_categories": noc_broad,
        "ref_noc2016_to_2021": noc_concordance,
    }
    for name, frame in seeds.items():
        frame.to_csv(SEEDS_DIR / f"{name}.csv", index=False, lineterminator="\n")
        print(f"{name}: {len(frame)} rows")


if __name__ == "__main__":
    main()
