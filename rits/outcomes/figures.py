"""From the sources' aggregates to the cells of the grid, suppressed.

``compute(indicator, today)`` sums the per-municipality, per-month aggregates of one
indicator up to regions, the country, quarters and years, applies the suppression and
returns the cells to store. The areas are the municipalities of the regions that have
any figure for the indicator (a region not on Rits is no part of the country's sum),
those regions and the country.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from rits.outcomes import periods
from rits.outcomes.indicators import THRESHOLD, Indicator, Shape, Timing
from rits.outcomes.periods import COUNTRY_CODE, AreaKind, Period
from rits.outcomes.suppression import suppress
from rits.regions.models import Municipality, YouthCareRegion

Area = tuple[str, str]  # (kind, code)
COUNTRY: Area = (AreaKind.COUNTRY, COUNTRY_CODE)


@dataclass
class Cell:
    area: Area
    period: Period
    breakdown: str
    status: str
    value: float | None
    base: int | None


@dataclass
class Totals:
    """A cell's additive content: numerator and denominator, or a distribution."""

    numerator: int = 0
    denominator: int = 0
    spread: Counter[int] | None = None

    def add(self, a: int, b: int, distribution: bool) -> None:
        if distribution:
            if self.spread is None:
                self.spread = Counter()
            self.spread[a] += b
            self.denominator += b
        else:
            self.numerator += a
            self.denominator += b


def quantile(spread: Counter[int], q: float) -> int:
    """Nearest rank: the smallest value with at least ``q`` of the total at or below it."""
    total = sum(spread.values())
    rank = max(1, math.ceil(q * total))
    seen = 0
    for value in sorted(spread):
        seen += spread[value]
        if seen >= rank:
            return value
    raise ValueError("empty distribution")


def value_of(indicator: Indicator, totals: Totals) -> tuple[float | None, int | None]:
    """The figure a cell shows, and the number it is taken over."""
    if indicator.shape == Shape.COUNT:
        return float(totals.numerator), None
    if totals.denominator == 0:
        return None, 0
    if indicator.shape == Shape.SHARE:
        return float(round(100 * totals.numerator / totals.denominator)), totals.denominator
    assert totals.spread is not None
    q = 0.5 if indicator.shape == Shape.MEDIAN else 0.9
    return float(quantile(totals.spread, q)), totals.denominator


def additive(indicator: Indicator, totals: Totals) -> int:
    """What adds up across cells and is protected: the count, or the base."""
    return totals.numerator if indicator.shape == Shape.COUNT else totals.denominator


class Geography:
    """The municipalities and regions by id, read once per refresh."""

    def __init__(self) -> None:
        self.regions = dict(YouthCareRegion.objects.values_list("pk", "code"))
        self.municipalities: dict[int, tuple[str, int]] = {
            pk: (code, region)
            for pk, code, region in Municipality.objects.values_list("pk", "code", "region_id")
        }
        self.members: dict[int, list[int]] = defaultdict(list)
        for pk, (_code, region) in self.municipalities.items():
            self.members[region].append(pk)

    def areas_of(self, municipality_id: int) -> list[Area]:
        code, region = self.municipalities[municipality_id]
        return [(AreaKind.MUNICIPALITY, code), (AreaKind.REGION, self.regions[region]), COUNTRY]


def _periods_of(month: date) -> list[Period]:
    return [periods.month_of(month), periods.quarter_of(month), periods.year_of(month)]


def compute(indicator: Indicator, today: date, geo: Geography | None = None) -> list[Cell]:
    if not indicator.available:
        return []
    geo = geo or Geography()
    if indicator.timing == Timing.SNAPSHOT:
        return _snapshot(indicator, today, geo)
    first = date(today.year - periods.FIRST_YEAR_BACK, 1, 1)
    assert indicator.tally is not None
    rows = indicator.tally(first, today)
    cells: dict[tuple[Area, Period], Totals] = defaultdict(Totals)
    regions: set[int] = set()
    earliest = today
    for municipality_id, month, a, b in rows:
        if month > today or month < first:
            continue
        earliest = min(earliest, month)
        regions.add(geo.municipalities[municipality_id][1])
        for area in geo.areas_of(municipality_id):
            for period in _periods_of(month):
                cells[area, period].add(a, b, indicator.distribution)
    if not regions:
        return []
    grid = periods.grid(earliest, today)
    areas: list[Area] = [COUNTRY]
    area_groups: list[tuple[Area, list[Area]]] = [
        (COUNTRY, [(AreaKind.REGION, geo.regions[r]) for r in sorted(regions)])
    ]
    for region in sorted(regions):
        own: Area = (AreaKind.REGION, geo.regions[region])
        parts: list[Area] = [
            (AreaKind.MUNICIPALITY, geo.municipalities[m][0]) for m in sorted(geo.members[region])
        ]
        areas += [own, *parts]
        area_groups.append((own, parts))
    on_grid = set(grid)
    groups: list[tuple[Any, list[Any]]] = []
    for period in grid:
        for total, parts in area_groups:
            groups.append(((total, period), [(p, period) for p in parts]))
        children = [c for c in period.children() if c in on_grid]
        if children:
            for area in areas:
                groups.append(((area, period), [(area, c) for c in children]))
    counts = {key: additive(indicator, totals) for key, totals in cells.items()}
    if indicator.suppressed:
        small, hidden = suppress(counts, groups, THRESHOLD)
    else:
        small, hidden = set(), set()
    out = []
    for area in areas:
        for period in grid:
            key = (area, period)
            totals = cells.get(key, Totals())
            if key in small:
                out.append(Cell(area, period, "", "small", None, None))
            elif key in hidden:
                out.append(Cell(area, period, "", "hidden", None, None))
            else:
                value, base = value_of(indicator, totals)
                out.append(Cell(area, period, "", "shown", value, base))
    return out


def _snapshot(indicator: Indicator, today: date, geo: Geography) -> list[Cell]:
    """The state today, for today's month, quarter and year, per area and theme."""
    assert indicator.tally is not None
    totals: dict[tuple[Area, str], Totals] = defaultdict(Totals)
    for kind, area_id, breakdown, a, b in indicator.tally(today):
        if kind == AreaKind.MUNICIPALITY:
            area: Area = (kind, geo.municipalities[area_id][0])
        elif kind == AreaKind.REGION:
            area = (kind, geo.regions[area_id])
        else:
            area = COUNTRY
        if indicator.distribution:
            totals[area, breakdown].add(a, b, True)
        else:  # a share: the rows carry (numerator, denominator)
            totals[area, breakdown].add(a, b, False)
    out = []
    for (area, breakdown), t in totals.items():
        value, base = value_of(indicator, t)
        for period in _periods_of(today):
            out.append(Cell(area, period, breakdown, "shown", value, base))
    return out


def compute_all(indicators: Iterable[Indicator], today: date) -> dict[str, list[Cell]]:
    geo = Geography()
    return {i.code: compute(i, today, geo) for i in indicators}
