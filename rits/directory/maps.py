"""The social map on a map: the region's municipalities with the service areas shaded
and a dot per location, for search results, a service's page, a whole region or the
country; and the crisis page's map of which line each municipality calls now.

Drawn by ``rits.regions.maps`` (server-side SVG from the CBS boundaries, no tiles). The
same figures always come along as rows for a table or list, which is what screen
readers and the page without pictures get.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rits.accounts.home_region import home_region_ids
from rits.directory import reachability
from rits.directory.models import Location, Service, ServiceArea, ServiceAtLocation
from rits.regions import maps
from rits.regions.models import Municipality, YouthCareRegion

#: At most this many dots on one map; beyond it the count per municipality says it.
MAX_DOTS = 5000


@dataclass
class Row:
    """One municipality in the table beside a map."""

    code: str
    name: str
    count: int
    href: str = ""
    note: str = ""


@dataclass
class DrawnMap:
    svg: SafeString
    rows: list[Row]
    summary: str
    legend: list[tuple[str, str]] = field(default_factory=list)
    dots: int = 0
    dots_left_out: int = 0


def _shades(counts: dict[str, int]) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Fills and legend for the counts; one count only (all 1, say) is one middle shade,
    not a scale of classes nobody is in."""
    present = sorted({n for n in counts.values() if n})
    if len(present) <= 1:
        colour = maps.SHADES[2]
        return {c: colour for c, n in counts.items() if n}, [(colour, str(n)) for n in present]
    bounds = maps.equal_bounds([float(v) for v in present])
    fills = {code: maps.shade(float(n), bounds) for code, n in counts.items() if n}
    return fills, maps.legend(bounds)


def _dots(locations: Iterable[tuple[float | None, float | None, str, str]]) -> list[maps.Dot]:
    return [
        maps.Dot(lon, lat, label, href)
        for lat, lon, label, href in locations
        if lat is not None and lon is not None
    ]


def region_of_search(municipality: Municipality | None, user: object) -> YouthCareRegion | None:
    """The region a search is drawn in: the chosen municipality's, else the user's home
    region (one), else none (the country)."""
    if municipality is not None:
        return municipality.region
    regions = home_region_ids(user)
    if len(regions) == 1:
        return YouthCareRegion.objects.filter(pk=regions[0]).first()
    return None


def _codes(region: YouthCareRegion | None) -> dict[str, str]:
    qs = Municipality.objects.order_by("name")
    if region is not None:
        qs = qs.filter(region=region)
    return dict(qs.values_list("code", "name"))


def results_map(
    services: Sequence[Service], region: YouthCareRegion | None, query: Mapping[str, object]
) -> DrawnMap:
    """The results shown on this page: per municipality how many of them serve it
    (shaded), a dot per location; a municipality's shape filters the search by it."""
    codes = _codes(region)
    ids = [s.pk for s in services]
    counts: Counter[str] = Counter()
    for code, _service in (
        ServiceArea.objects.filter(service_id__in=ids)
        .values_list("municipality__code", "service_id")
        .distinct()
    ):
        counts[code] += 1
    base = reverse("social_map")

    def link(code: str) -> str:
        asked = {k: v for k, v in query.items() if k not in ("gemeente", "pagina", "wijk")}
        return f"{base}?{urlencode({**asked, 'gemeente': code})}"

    located = (
        ServiceAtLocation.objects.filter(service_id__in=ids)
        .select_related("location", "service")
        .order_by("service__name", "location__name")
    )
    dots = _dots(
        (
            sal.location.latitude,
            sal.location.longitude,
            f"{sal.service.name}: {sal.location.name}, {sal.location.city}",
            reverse("directory_service", args=[sal.service_id]),
        )
        for sal in located
    )
    fills, legend = _shades({c: counts.get(c, 0) for c in codes})
    place = region.name if region else _("the Netherlands")
    svg = maps.Map(
        title=_("Map of the results in %(place)s") % {"place": place},
        description=_(
            "Darker municipalities are served by more of the services found; dots are "
            "their locations. The same figures are in the list below the map."
        ),
        codes=list(codes),
        fills=fills,
        labels={
            c: ngettext("%(name)s: %(n)s service", "%(name)s: %(n)s services", counts.get(c, 0))
            % {"name": n, "n": counts.get(c, 0)}
            for c, n in codes.items()
        },
        links={c: link(c) for c in codes},
        dots=dots,
    ).svg()
    rows = [Row(c, n, counts.get(c, 0), link(c)) for c, n in codes.items()]
    return DrawnMap(
        svg,
        rows,
        _("%(dots)s locations on the map.") % {"dots": len(dots)},
        legend,
        len(dots),
    )


def service_map(service: Service) -> DrawnMap:
    """Where one service is offered (its areas shaded) and its locations."""
    areas = list(service.areas.all())
    locations = [sal.location for sal in service.at_locations.all()]
    region = None
    if areas:
        region = areas[0].municipality.region
    elif locations:
        region = locations[0].municipality.region
    codes = _codes(region)
    served = {a.municipality.code for a in areas}
    dots = _dots((loc.latitude, loc.longitude, f"{loc.name}, {loc.city}", "") for loc in locations)
    svg = maps.Map(
        title=_("Where %(name)s is offered") % {"name": service.name},
        description=_(
            "The shaded municipalities are where this service is offered; dots are its "
            "locations. The same is written next to the map."
        ),
        codes=list(codes),
        fills={c: maps.SHADES[2] for c in served},
        labels={
            c: (_("%(name)s: offered here") if c in served else "%(name)s") % {"name": n}
            for c, n in codes.items()
        },
        dots=dots,
    ).svg()
    rows = [Row(c, n, 1 if c in served else 0) for c, n in codes.items() if c in served]
    return DrawnMap(svg, rows, "", [], len(dots))


def overview_map(region: YouthCareRegion | None) -> DrawnMap:
    """A region (with a dot per location, up to ``MAX_DOTS``) or the whole country (the
    number of active services per municipality, shaded; no dots)."""
    codes = _codes(region)
    areas = ServiceArea.objects.filter(service__status=Service.Status.ACTIVE)
    if region is not None:
        areas = areas.filter(municipality__region=region)
    counts = dict(
        areas.order_by()
        .values_list("municipality__code")
        .annotate(n=Count("service_id", distinct=True))
        .values_list("municipality__code", "n")
    )
    dots: list[maps.Dot] = []
    left_out = 0
    if region is not None:
        located = Location.objects.filter(
            municipality__region=region, latitude__isnull=False
        ).filter(Q(longitude__isnull=False))
        rows_q = located.order_by("pk").values_list("latitude", "longitude", "name", "city")
        found = list(rows_q[: MAX_DOTS + 1])
        if len(found) > MAX_DOTS:
            left_out = located.count() - MAX_DOTS
            found = found[:MAX_DOTS]
        dots = _dots((lat, lon, f"{name}, {city}", "") for lat, lon, name, city in found)
    fills, legend = _shades({c: counts.get(c, 0) for c in codes})
    base = reverse("social_map")
    place = region.name if region else _("the Netherlands")
    svg = maps.Map(
        title=_("The social map of %(place)s") % {"place": place},
        description=_(
            "Darker municipalities have more services; dots are locations. The same "
            "figures are in the table below the map."
        ),
        codes=list(codes),
        fills=fills,
        labels={
            c: ngettext("%(name)s: %(n)s service", "%(name)s: %(n)s services", counts.get(c, 0))
            % {"name": n, "n": counts.get(c, 0)}
            for c, n in codes.items()
        },
        links={c: f"{base}?{urlencode({'gemeente': c})}" for c in codes},
        dots=dots,
        context=region is not None,
    ).svg()
    rows = [
        Row(c, n, counts.get(c, 0), f"{base}?{urlencode({'gemeente': c})}")
        for c, n in codes.items()
    ]
    return DrawnMap(svg, rows, "", legend, len(dots), left_out)


@dataclass
class LineCover:
    name: str
    phone: str
    colour: str
    places: list[str]


def crisis_cover_map(region: YouthCareRegion, at: datetime) -> tuple[DrawnMap, list[LineCover]]:
    """Which line each municipality of the region calls at ``at``: one colour per line."""
    municipalities = list(Municipality.objects.filter(region=region).order_by("name"))
    lines: dict[int, LineCover] = {}
    fills: dict[str, str] = {}
    labels: dict[str, str] = {}
    palette = maps.SHADES[1:] + maps.SHADES[:1]
    for place in municipalities:
        try:
            route = reachability.route_crisis(place, at)
        except reachability.NoCrisisLine:
            labels[place.code] = _("%(name)s: no crisis line known") % {"name": place.name}
            continue
        cover = lines.get(route.line.pk)
        if cover is None:
            colour = palette[len(lines) % len(palette)]
            cover = lines[route.line.pk] = LineCover(route.line.name, route.line.phone, colour, [])
        cover.places.append(place.name)
        fills[place.code] = cover.colour
        labels[place.code] = f"{place.name}: {route.line.name}, {route.line.phone}"
    svg = maps.Map(
        title=_("Which number each municipality calls now"),
        description=_(
            "Each colour is one crisis line; the list next to the map names its municipalities."
        ),
        codes=[m.code for m in municipalities],
        fills=fills,
        labels=labels,
        width=360,
    ).svg()
    rows = [Row(m.code, m.name, 0, "", labels.get(m.code, "")) for m in municipalities]
    return DrawnMap(svg, rows, ""), list(lines.values())
