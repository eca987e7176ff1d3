"""The map's offline base map: raster tiles drawn by Superset itself from the provinces and
states shipped beside this file (Natural Earth, public domain: README.md here).

deck.gl's scatter draws a base map only from a tile URL (`tile://…` or an OpenStreetMap
address) or a Mapbox style, both fetched by the browser; with no internet the points
stood on white. This serves `/fond-de-carte/{z}/{x}/{y}.png` (Web Mercator, the XYZ
scheme deck.gl's TileLayer asks for) from this server, to anyone: the outlines are public
domain and tell nothing about the data. Runs inside Superset's virtualenv (Pillow is one of
Superset's own dependencies); registered by `superset_config.py`.
"""
from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw

BOUNDARIES = Path(__file__).with_name("provinces_etats.geojson")
ROUTE = "/fond-de-carte/<int:z>/<int:x>/<int:y>.png"
URL = "tile:///fond-de-carte/{z}/{x}/{y}.png"  # Superset's `tile://` prefix: a TileLayer
MAX_ZOOM = 19  # deck.gl's TileLayer in Superset asks for zoom 0 to 19
TILE = 256
SUPERSAMPLE = 2  # drawn at twice the size, then reduced: smooth edges
HIGHLIGHT = "CA-QC"
# One place for the colours (the Superset test looks for QUEBEC_OUTLINE in the map).
WATER = (222, 231, 238)          # sea, lakes and what is not drawn
LAND = (243, 242, 237)           # neighbouring provinces and states
LAND_OUTLINE = (160, 168, 178)
QUEBEC = (255, 253, 245)
QUEBEC_OUTLINE = (37, 68, 104)   # #254468
LAND_OUTLINE_WIDTH = 1
QUEBEC_OUTLINE_WIDTH = 2.5  # pixels of a tile


def _mercator(lon: float, lat: float) -> tuple[float, float]:
    """Web Mercator at zoom 0, in pixels of a 256-pixel world."""
    lat = max(min(lat, 85.0511), -85.0511)
    sin = math.sin(math.radians(lat))
    return ((lon + 180.0) / 360.0 * TILE,
            (0.5 - math.log((1 + sin) / (1 - sin)) / (4 * math.pi)) * TILE)


@lru_cache(maxsize=1)
def _shapes() -> list[tuple[bool, list[list[list[tuple[float, float]]]], tuple]]:
    """(is Quebec, polygons as rings of zoom-0 pixels, bounding box) per feature, Quebec last
    so that its outline is drawn over its neighbours'."""
    collection = json.loads(BOUNDARIES.read_text(encoding="utf-8"))
    shapes = []
    for feature in collection["features"]:
        polygons = [[[_mercator(lon, lat) for lon, lat in ring] for ring in polygon]
                    for polygon in feature["geometry"]["coordinates"]]
        points = [point for polygon in polygons for point in polygon[0]]
        box = (min(x for x, _ in points), min(y for _, y in points),
               max(x for x, _ in points), max(y for _, y in points))
        shapes.append((feature["properties"]["iso"] == HIGHLIGHT, polygons, box))
    return sorted(shapes, key=lambda shape: shape[0])


def valid(z: int, x: int, y: int) -> bool:
    return 0 <= z <= MAX_ZOOM and 0 <= x < 2 ** z and 0 <= y < 2 ** z


@lru_cache(maxsize=512)  # ~10 MB per worker; browsers keep them a day (register)
def render(z: int, x: int, y: int) -> bytes:
    """One 256-pixel PNG tile: water, the land of each province and state with a thin grey
    border, Quebec in a lighter colour with a dark outline."""
    import io

    size = TILE * SUPERSAMPLE
    scale = 2 ** z * SUPERSAMPLE
    left, top = x * size, y * size
    margin = round(QUEBEC_OUTLINE_WIDTH * SUPERSAMPLE)
    image = Image.new("RGB", (size, size), WATER)
    draw = ImageDraw.Draw(image)
    visible = [(quebec, polygons) for quebec, polygons, (x0, y0, x1, y1) in _shapes()
               if x0 * scale - left <= size + margin and x1 * scale - left >= -margin
               and y0 * scale - top <= size + margin and y1 * scale - top >= -margin]

    def pixels(ring):
        return [(px * scale - left, py * scale - top) for px, py in ring]

    for quebec, polygons in visible:
        for polygon in polygons:
            draw.polygon(pixels(polygon[0]), fill=QUEBEC if quebec else LAND)
            for hole in polygon[1:]:
                draw.polygon(pixels(hole), fill=WATER)
    for quebec, polygons in visible:
        colour, width = ((QUEBEC_OUTLINE, QUEBEC_OUTLINE_WIDTH) if quebec
                         else (LAND_OUTLINE, LAND_OUTLINE_WIDTH))
        for polygon in polygons:
            for ring in polygon:
                draw.line(pixels(ring), fill=colour, width=round(width * SUPERSAMPLE),
                          joint="curve")
    out = io.BytesIO()
    image.resize((TILE, TILE), Image.Resampling.LANCZOS).save(out, format="PNG", optimize=True)
    return out.getvalue()


def register(app) -> None:
    """The tile route on Superset's Flask app, open to everyone (public-domain outlines)."""
    from flask import Response

    def tile(z: int, x: int, y: int):
        if not valid(z, x, y):  # a plain 404 (abort() would log a traceback in Superset's log)
            return Response("", status=404, mimetype="text/plain")
        return Response(render(z, x, y), mimetype="image/png",
                        headers={"Cache-Control": "public, max-age=86400"})

    app.add_url_rule(ROUTE, endpoint="tmt_base_map_tile", view_func=tile)
