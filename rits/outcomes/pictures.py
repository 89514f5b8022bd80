"""The monitor's pictures, drawn on the server as SVG: a map of the region or the
country shaded by one indicator, the trend of the area next to its region and the
country, and the area among its region's municipalities. Each comes with the same
figures as a table and a text alternative; a cell that is not shown is left unshaded
(a map) or says so in words (a bar), never drawn as a number."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from rits.lib import charts
from rits.outcomes import reads
from rits.outcomes.indicators import INDICATORS, Indicator, Unit
from rits.outcomes.periods import AreaKind, Period
from rits.outcomes.permissions import Area, Reach, area_by_code
from rits.regions import maps
from rits.regions.models import Municipality, YouthCareRegion

DEFAULT = "wait_median"


def chosen(code: str | None) -> Indicator:
    for indicator in INDICATORS:
        if indicator.code == code and indicator.available:
            return indicator
    return next(i for i in INDICATORS if i.code == DEFAULT)


@dataclass
class Picture:
    svg: SafeString
    title: str
    text: str  # the text alternative, also shown under the picture
    header: list[str]
    rows: list[list[str]]
    legend: list[tuple[str, str]]


def _unit(indicator: Indicator) -> str:
    return "%" if indicator.unit == Unit.PERCENT else ""


def _extremes(named: list[tuple[str, reads.Shown]]) -> str:
    known = [(n, s) for n, s in named if s.number is not None]
    if not known:
        return _("No area has a figure that may be shown.")
    high = max(known, key=lambda p: p[1].number or 0)
    low = min(known, key=lambda p: p[1].number or 0)
    hidden = len(named) - len(known)
    text = _("Highest: %(high)s (%(hv)s). Lowest: %(low)s (%(lv)s).") % {
        "high": high[0],
        "hv": high[1].text,
        "low": low[0],
        "lv": low[1].text,
    }
    if hidden:
        text += " " + _("%(n)s without a figure that may be shown.") % {"n": hidden}
    return text


def area_map(area: Area, period: Period, indicator: Indicator, reach: Reach) -> Picture:
    """A region (or a municipality's region) per municipality; the country per region,
    for the regions the reader may see."""
    if area.kind == AreaKind.COUNTRY:
        return _country_map(period, indicator, reach)
    region = area
    if area.kind == AreaKind.MUNICIPALITY and area.region is not None:
        region = area_by_code(area.region.code) or area
    codes = [m.code for m in region.members]
    found = reads.cells(codes, [period])
    named = [
        (m.name, reads.shown(indicator, found.get((indicator.code, m.code, period))))
        for m in region.members
    ]
    values = [s.number for _n, s in named]
    bounds = maps.equal_bounds(values)
    fills = {
        m.code: maps.shade(s.number, bounds)
        for m, (_n, s) in zip(region.members, named, strict=True)
    }
    labels = {
        m.code: f"{m.name}: {s.text}" for m, (_n, s) in zip(region.members, named, strict=True)
    }
    ids = dict(Municipality.objects.filter(code__in=codes).values_list("code", "pk"))
    links = {
        m.code: f"/monitor/{m.code}/?periode={period.code}"
        for m in region.members
        if reach.everything or ids.get(m.code) in reach.municipality_ids
    }
    title = _("%(indicator)s per municipality, %(region)s, %(period)s") % {
        "indicator": indicator.name,
        "region": region.name,
        "period": period.label,
    }
    text = f"{title}. {_extremes(named)}"
    svg = maps.Map(title, text, codes, fills=fills, labels=labels, links=links).svg()
    return Picture(
        svg,
        title,
        text,
        [_("Municipality"), str(indicator.name)],
        [[n, s.text] for n, s in named],
        maps.legend(bounds, _unit(indicator)),
    )


def _country_map(period: Period, indicator: Indicator, reach: Reach) -> Picture:
    regions = list(YouthCareRegion.objects.order_by("name"))
    if not reach.everything:
        regions = [r for r in regions if r.pk in reach.region_ids]
    found = reads.cells([r.code for r in regions], [period])
    named = [
        (r.name, reads.shown(indicator, found.get((indicator.code, r.code, period))))
        for r in regions
    ]
    value_of = {r.pk: s for r, (_n, s) in zip(regions, named, strict=True)}
    bounds = maps.equal_bounds([s.number for _n, s in named])
    every = list(Municipality.objects.order_by("code").values_list("code", "name", "region_id"))
    fills, labels = {}, {}
    for code, name, region_id in every:
        shown = value_of.get(region_id)
        fills[code] = maps.shade(shown.number if shown else None, bounds)
        labels[code] = f"{name}: {shown.text}" if shown else name
    title = _("%(indicator)s per youth-care region, %(period)s") % {
        "indicator": indicator.name,
        "period": period.label,
    }
    text = f"{title}. {_extremes(named)}"
    svg = maps.Map(title, text, [c for c, _n, _r in every], fills=fills, labels=labels).svg()
    return Picture(
        svg,
        title,
        text,
        [_("Youth-care region"), str(indicator.name)],
        [[n, s.text] for n, s in named],
        maps.legend(bounds, _unit(indicator)),
    )


def trend(area: Area, period: Period, indicator: Indicator) -> Picture:
    """The area, its region and the country over the last twelve periods of its kind."""
    periods = reads.last_months(period)
    columns = reads.comparisons(area)
    found = reads.cells([c for c, _n in columns], periods)
    lines = [
        (name, [reads.shown(indicator, found.get((indicator.code, c, p))) for p in periods])
        for c, name in columns
    ]
    title = _("%(indicator)s over time") % {"indicator": indicator.name}
    last = ", ".join(f"{name}: {values[-1].text}" for name, values in lines)
    text = _("%(title)s, %(first)s to %(last)s. Last period: %(values)s.") % {
        "title": title,
        "first": periods[0].label,
        "last": periods[-1].label,
        "values": last,
    }
    svg = charts.line_chart(
        title,
        text,
        [p.code for p in periods],
        [charts.Series(name, [v.number for v in values]) for name, values in lines],
        unit=_unit(indicator),
    )
    rows = [[p.label, *(values[i].text for _n, values in lines)] for i, p in enumerate(periods)]
    return Picture(svg, title, text, [_("Period"), *(n for n, _v in lines)], rows, [])


def among_region(area: Area, period: Period, indicator: Indicator) -> Picture | None:
    """The municipality among its region's municipalities, and the region itself."""
    if area.kind != AreaKind.MUNICIPALITY or area.region is None:
        return None
    region = area_by_code(area.region.code)
    assert region is not None
    found = reads.cells([m.code for m in region.members] + [region.code], [period])
    named = [
        (m.name, reads.shown(indicator, found.get((indicator.code, m.code, period))))
        for m in region.members
    ]
    named.append(
        (region.name, reads.shown(indicator, found.get((indicator.code, region.code, period))))
    )
    title = _("%(indicator)s: %(area)s among the municipalities of %(region)s") % {
        "indicator": indicator.name,
        "area": area.name,
        "region": region.name,
    }
    text = f"{title}, {period.label}. {_extremes(named[:-1])}"
    svg = charts.bar_chart(
        title,
        text,
        [(n, s.number) for n, s in named],
        unit=_unit(indicator),
        hidden=_("not shown"),
        highlight=area.name,
    )
    return Picture(
        svg, title, text, [_("Area"), str(indicator.name)], [[n, s.text] for n, s in named], []
    )
