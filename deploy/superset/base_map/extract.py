"""How provinces_etats.geojson was made (kept to redo it, not run by anything).

Apache Superset's Country Map plugin ships Canada's provinces and the United States'
states as GeoJSON, made from Natural Earth's 1:10m admin-1 states and provinces (public
domain); they are in Superset's own wheel, so this reads them from `.venv-superset`:

    .venv-superset/bin/python deploy/superset/base_map/extract.py

Kept: Quebec and the provinces and states around it (the map's view). Coordinates rounded
to 3 decimals (about 100 m; Natural Earth's 1:10m lines are not finer than that),
repeated points dropped, nothing else changed; ISO 3166-2 code and name kept.
"""
from __future__ import annotations

import json
from pathlib import Path

import superset

ASSETS = Path(superset.__file__).parent / "static" / "assets"
WANTED = {  # Country Map file (Superset 6.1.0) -> ISO 3166-2 codes kept
    "bcb83aa446f3c9229c64.geojson": ["CA-QC", "CA-ON", "CA-NB", "CA-NL", "CA-NS", "CA-PE",
                                     "CA-MB", "CA-NU"],
    "ab99992e008d3da0a573.geojson": ["US-ME", "US-NH", "US-VT", "US-NY", "US-MA", "US-CT",
                                     "US-RI", "US-NJ", "US-PA", "US-OH", "US-MI", "US-WI",
                                     "US-MN"],
}
OUT = Path(__file__).with_name("provinces_etats.geojson")


def rounded(ring: list) -> list | None:
    out: list = []
    for lon, lat in ring:
        point = [round(lon, 3), round(lat, 3)]
        if not out or out[-1] != point:
            out.append(point)
    return out if len(out) >= 4 else None  # a ring needs 3 points and its closing one


def main() -> None:
    features = []
    for name, codes in WANTED.items():
        for feature in json.loads((ASSETS / name).read_text(encoding="utf-8"))["features"]:
            iso = feature["properties"]["ISO"]
            if iso not in codes:
                continue
            geometry = feature["geometry"]
            polygons = (geometry["coordinates"] if geometry["type"] == "MultiPolygon"
                        else [geometry["coordinates"]])
            kept = []
            for polygon in polygons:
                rings = [rounded(ring) for ring in polygon]
                if rings[0] is not None:
                    kept.append([ring for ring in rings if ring])
            features.append({"type": "Feature",
                             "properties": {"iso": iso, "name": feature["properties"]["NAME_1"]},
                             "geometry": {"type": "MultiPolygon", "coordinates": kept}})
    features.sort(key=lambda f: (f["properties"]["iso"] != "CA-QC", f["properties"]["iso"]))
    OUT.write_text('{"type":"FeatureCollection","features":[\n' + ",\n".join(
        json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features) + "\n]}\n",
        encoding="utf-8")
    print(f"{OUT}: {len(features)} features")


if __name__ == "__main__":
    main()
