"""Maps of a region or of the country, drawn on the server as SVG from the CBS boundaries.

No tiles, no CDN, no fonts: the boundaries in ``data/gemeente-2023.geojson`` are projected
once per process (an equirectangular projection scaled by the cosine of the country's
middle latitude, which keeps the Netherlands' shape within a few percent) into path data
in map units; a region's map is the same paths seen through a smaller ``viewBox``. A map
is a picture for those who look: every page that shows one also shows the same figures as
a list or table, and the SVG carries a title and a description for screen readers.

Colours are presentation attributes (``fill="#…"``), not inline styles, so the page's
Content-Security-Policy needs no exception. ``SHADES`` is a sequential palette that stays
distinguishable for the common kinds of colour blindness (ColorBrewer "Blues").
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

DATA = Path(__file__).resolve().parent / "data" / "gemeente-2023.geojson"
# The projection's reference: west and north edge of the country, middle latitude.
_WEST, _NORTH, _MID_LAT = 3.2, 53.7, 52.2
_SCALE = 1000.0  # map units per degree of latitude
_KX = _SCALE * math.cos(math.radians(_MID_LAT))

#: Light to dark; index 0 is the lightest.
SHADES = ("#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
NO_DATA = "#f0f0f0"
OUTSIDE = "#fafafa"
STROKE = "#666666"
DOT = "#d94801"


def project(lon: float, lat: float) -> tuple[float, float]:
    """A WGS84 point in map units (x to the east, y to the south)."""
    return (lon - _WEST) * _KX, (_NORTH - lat) * _SCALE


@dataclass(frozen=True)
class Outline:
    """One municipality's boundary: its rings in lon/lat and as SVG path data."""

    code: str
    name: str
    rings: tuple[tuple[tuple[float, float], ...], ...]
    path: str
    bbox: tuple[float, float, float, float]  # min x, min y, max x, max y in map units

    def contains(self, lon: float, lat: float) -> bool:
        """Whether the point lies inside (even-odd rule over all rings, so holes count)."""
        inside = False
        for ring in self.rings:
            for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
                if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                    inside = not inside
        return inside


def _rings(geometry: dict[str, object]) -> list[list[list[float]]]:
    coordinates = geometry["coordinates"]
    if geometry["type"] == "Polygon":
        return list(coordinates)  # type: ignore[call-overload]
    return [ring for polygon in coordinates for ring in polygon]  # type: ignore[attr-defined]


@functools.cache
def outlines() -> dict[str, Outline]:
    """Every municipality's outline by CBS code (GM0917), read and projected once."""
    features = json.loads(DATA.read_text(encoding="utf-8"))["features"]
    found = {}
    for feature in features:
        props = feature["properties"]
        rings = tuple(
            tuple((float(lon), float(lat)) for lon, lat in ring)
            for ring in _rings(feature["geometry"])
        )
        parts, xs, ys = [], [], []
        for ring in rings:
            points = [project(lon, lat) for lon, lat in ring]
            xs += [x for x, _ in points]
            ys += [y for _, y in points]
            parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z")
        found[props["statcode"]] = Outline(
            code=props["statcode"],
            name=props["statnaam"],
            rings=rings,
            path="".join(parts),
            bbox=(min(xs), min(ys), max(xs), max(ys)),
        )
    return found


def locate(lon: float, lat: float) -> str | None:
    """The CBS code of the municipality the point lies in, or None (outside the country)."""
    x, y = project(lon, lat)
    for outline in outlines().values():
        x0, y0, x1, y1 = outline.bbox
        if x0 <= x <= x1 and y0 <= y <= y1 and outline.contains(lon, lat):
            return outline.code
    return None


@dataclass(frozen=True)
class Dot:
    """A point on the map (a location), with its label and optional link."""

    lon: float
    lat: float
    label: str
    href: str = ""


@dataclass
class Map:
    """What to draw: the municipalities shown, their fill, label and link, and dots.

    ``codes`` lists the municipalities of the map (a region's, or all for the country);
    ``context`` draws neighbouring municipalities in a pale grey around a region's map.
    ``fills`` maps a code to a colour (one of ``SHADES`` as a rule; absent: ``NO_DATA``),
    ``labels`` to the text a pointer or screen reader gets (absent: the name), ``links``
    to a URL that the municipality's shape opens.
    """

    title: str
    description: str
    codes: Sequence[str]
    fills: Mapping[str, str] = field(default_factory=dict)
    labels: Mapping[str, str] = field(default_factory=dict)
    links: Mapping[str, str] = field(default_factory=dict)
    dots: Sequence[Dot] = ()
    context: bool = True
    width: int = 480
    margin: float = 0.04
    #: Prefix of the title's and description's ids: unique per map on a page.
    dom_id: str = "map"

    def viewbox(self) -> tuple[float, float, float, float]:
        shapes = [outlines()[code] for code in self.codes if code in outlines()]
        if not shapes:
            shapes = list(outlines().values())
        x0 = min(s.bbox[0] for s in shapes)
        y0 = min(s.bbox[1] for s in shapes)
        x1 = max(s.bbox[2] for s in shapes)
        y1 = max(s.bbox[3] for s in shapes)
        pad = max(x1 - x0, y1 - y0) * self.margin
        return x0 - pad, y0 - pad, x1 - x0 + 2 * pad, y1 - y0 + 2 * pad

    def svg(self) -> SafeString:
        """The map as an inline SVG element."""
        x, y, w, h = self.viewbox()
        height = round(self.width * h / w)
        shown = set(self.codes)
        parts: list[str] = [
            format_html(
                '<svg xmlns="http://www.w3.org/2000/svg" class="map" viewBox="{} {} {} {}" '
                'width="{}" height="{}" role="{}" aria-labelledby="{}-title" '
                'aria-describedby="{}-desc"><title id="{}-title">{}</title>'
                '<desc id="{}-desc">{}</desc>',
                f"{x:.1f}",
                f"{y:.1f}",
                f"{w:.1f}",
                f"{h:.1f}",
                self.width,
                height,
                "group" if self.links else "img",
                self.dom_id,
                self.dom_id,
                self.dom_id,
                self.title,
                self.dom_id,
                self.description,
            )
        ]
        if self.context and len(shown) < len(outlines()):
            parts.append(mark_safe('<g class="map-context" aria-hidden="true">'))
            for around in outlines().values():
                if around.code not in shown and _overlaps(around.bbox, (x, y, w, h)):
                    parts.append(
                        format_html(
                            '<path d="{}" fill="{}" stroke="#bbbbbb" '
                            'vector-effect="non-scaling-stroke"/>',
                            around.path,
                            OUTSIDE,
                        )
                    )
            parts.append(mark_safe("</g>"))
        for code in self.codes:
            outline = outlines().get(code)
            if outline is None:
                continue
            label = self.labels.get(code, outline.name)
            shape = format_html(
                '<path d="{}" data-code="{}" fill="{}" stroke="{}" stroke-width="1" '
                'vector-effect="non-scaling-stroke"><title>{}</title></path>',
                outline.path,
                code,
                self.fills.get(code, NO_DATA),
                STROKE,
                label,
            )
            href = self.links.get(code)
            if href:
                shape = format_html('<a href="{}" aria-label="{}">{}</a>', href, label, shape)
            parts.append(shape)
        radius = f"{w / self.width * 3.5:.2f}"
        # A region can hold thousands of locations: each dot is written with one
        # f-string, its two texts escaped as format_html would (the map's hot loop).
        for dot in self.dots:
            cx, cy = project(dot.lon, dot.lat)
            circle = (
                f'<circle class="map-dot" cx="{cx:.1f}" cy="{cy:.1f}" r="{radius}" '
                f'fill="{DOT}" stroke="#ffffff" vector-effect="non-scaling-stroke">'
                f"<title>{escape(dot.label)}</title></circle>"
            )
            if dot.href:
                # A shortcut for the pointer only: the page lists the same links, and
                # thousands of dots would be thousands of stops for a keyboard or a
                # screen reader.
                circle = (
                    f'<a href="{escape(dot.href)}" tabindex="-1" aria-hidden="true">{circle}</a>'
                )
            parts.append(circle)
        parts.append(mark_safe("</svg>"))
        return mark_safe("".join(parts))


def _overlaps(
    bbox: tuple[float, float, float, float], view: tuple[float, float, float, float]
) -> bool:
    x, y, w, h = view
    return not (bbox[2] < x or bbox[0] > x + w or bbox[3] < y or bbox[1] > y + h)


def shade(value: float | None, bounds: Sequence[float]) -> str:
    """The shade for ``value`` given the upper bounds of the first classes (ascending):
    with bounds (10, 20, 30, 40), 5 is the lightest shade and 45 the darkest."""
    if value is None:
        return NO_DATA
    for i, bound in enumerate(bounds):
        if value <= bound:
            return SHADES[min(i, len(SHADES) - 1)]
    return SHADES[min(len(bounds), len(SHADES) - 1)]


def equal_bounds(values: Iterable[float | None], classes: int = len(SHADES)) -> list[float]:
    """Upper bounds of ``classes`` equal-width classes over the values (None left out)."""
    known = [v for v in values if v is not None]
    if not known:
        return []
    low, high = min(known), max(known)
    step = (high - low) / classes or 1
    return [low + step * (i + 1) for i in range(classes - 1)]


def legend(bounds: Sequence[float], unit: str = "") -> list[tuple[str, str]]:
    """(colour, text) per class, for a legend beside the map."""
    texts = []
    lower = None
    for i, bound in enumerate(bounds):
        text = f"≤ {bound:g}{unit}" if lower is None else f"{lower:g} tot {bound:g}{unit}"
        texts.append((SHADES[i], text))
        lower = bound
    if lower is not None:
        texts.append((SHADES[len(bounds)], f"> {lower:g}{unit}"))
    return texts
