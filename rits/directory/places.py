"""Is a point in the Netherlands? Read from the CBS youth-care region boundaries in
``rits/regions/data`` (their union is the country), generalised to about 100 m, so a
point within that distance of the border may fall either side.

A ray-casting test over 42 polygons: small enough that a geometry library would be a
dependency for ten lines.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import rits.regions

BOUNDARIES = Path(rits.regions.__file__).parent / "data" / "jeugdregio-2023.geojson"

Ring = list[tuple[float, float]]


@cache
def _polygons() -> list[tuple[tuple[float, float, float, float], list[Ring]]]:
    """Each polygon with its bounding box (lon/lat) and rings (outer first, then holes)."""
    features = json.loads(BOUNDARIES.read_text(encoding="utf-8"))["features"]
    found = []
    for feature in features:
        geometry = feature["geometry"]
        parts = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        for part in parts:
            rings = [[(float(x), float(y)) for x, y in ring] for ring in part]
            xs = [x for x, _y in rings[0]]
            ys = [y for _x, y in rings[0]]
            found.append(((min(xs), min(ys), max(xs), max(ys)), rings))
    return found


def _inside(ring: Ring, x: float, y: float) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def in_netherlands(latitude: float, longitude: float) -> bool:
    for (west, south, east, north), rings in _polygons():
        if (
            west <= longitude <= east
            and south <= latitude <= north
            and _inside(rings[0], longitude, latitude)
            and not any(_inside(hole, longitude, latitude) for hole in rings[1:])
        ):
            return True
    return False
