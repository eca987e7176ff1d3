"""`make bench`: run every benchmark, print the figures, save them under bench/results/."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from bench import build, geolocation, ingest_lmia, sitecheck

BENCHMARKS = {"ingest_lmia": ingest_lmia.run, "build": build.run,
              "geolocation": geolocation.run, "sitecheck": sitecheck.run}


def main(names: list[str]) -> int:
    results_dir = Path(__file__).resolve().parent / "results"
    results_dir.mkdir(exist_ok=True)
    for name, run in BENCHMARKS.items():
        if names and name not in names:
            continue
        figures = run()
        (results_dir / f"{name}.json").write_text(json.dumps(figures, indent=1))
        print(f"== {name}")
        _print(figures, "  ")
    return 0


def _print(figures: dict, indent: str) -> None:
    for key, value in figures.items():
        if isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
            print(f"{indent}{key}")
            _print(value, indent + "  ")
        else:
            print(f"{indent}{key:<34} {value}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
