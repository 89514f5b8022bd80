"""What the pages, the API and the spreadsheets show: the stored cells through the
registry, never anything else. A cell shows its value only when it is stored as shown;
"< 10" and "hidden" carry no number at all."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from rits.directory.models import Theme
from rits.outcomes import statline
from rits.outcomes.indicators import GROUPS, INDICATORS, Indicator, Unit
from rits.outcomes.models import Figure, OpenFigure
from rits.outcomes.periods import Period
from rits.outcomes.permissions import COUNTRY, Area


@dataclass(frozen=True)
class Shown:
    """One figure as it may be shown."""

    indicator: Indicator
    status: str  # shown | small | hidden | none (no figure for this cell yet)
    value: float | None = None
    base: int | None = None

    @property
    def number(self) -> float | None:
        return self.value if self.status == Figure.Status.SHOWN else None

    @property
    def text(self) -> str:
        if self.status == Figure.Status.SMALL:
            return "< 10"
        if self.status == Figure.Status.HIDDEN:
            return _("hidden")
        if self.status != Figure.Status.SHOWN or self.value is None:
            return "—"
        number = number_format(round(self.value), use_l10n=True)
        unit = self.indicator.unit
        if unit == Unit.PERCENT:
            return f"{number}%"
        if unit == Unit.WEEKS:
            return _("%(n)s weeks") % {"n": number}
        if unit == Unit.DAYS:
            return _("%(n)s days") % {"n": number}
        if unit == Unit.HOURS:
            return _("%(n)s hours") % {"n": number}
        return number

    @property
    def base_text(self) -> str:
        if self.status != Figure.Status.SHOWN or self.base is None:
            return ""
        return number_format(self.base, use_l10n=True)

    def as_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "value": self.number,
            "base": self.base if self.status == Figure.Status.SHOWN else None,
            "text": self.text,
        }


def cells(
    codes: Iterable[str], periods: Sequence[Period], breakdown: str = ""
) -> dict[tuple[str, str, Period], Figure]:
    """(indicator, area code, period) → the stored cell."""
    when = Q()
    for period in periods:
        when |= Q(period_kind=period.kind, period_start=period.start)
    found = Figure.objects.filter(when, area_code__in=list(codes), breakdown=breakdown)
    return {(f.indicator, f.area_code, Period(f.period_start, f.period_kind)): f for f in found}


def shown(indicator: Indicator, cell: Figure | None) -> Shown:
    if cell is None:
        return Shown(indicator, "none")
    return Shown(indicator, cell.status, cell.value, cell.base)


@dataclass
class Row:
    indicator: Indicator
    values: list[Shown]


@dataclass
class Section:
    title: str
    rows: list[Row]


@dataclass
class Board:
    """An area's indicators for one period next to its comparisons."""

    area: Area
    period: Period
    columns: list[str]
    sections: list[Section]
    missing: list[Indicator]


def comparisons(area: Area) -> list[tuple[str, str]]:
    """(area code, column heading): the area, its region, the country."""
    columns = [(area.code, area.name)]
    if area.region is not None:
        columns.append((area.region.code, area.region.name))
    if not area.is_country:
        columns.append((COUNTRY.code, COUNTRY.name))
    return columns


def board(area: Area, period: Period) -> Board:
    columns = comparisons(area)
    previous = period.previous()
    found = cells([c for c, _n in columns], [period, previous])
    sections = []
    missing = []
    for source, title in GROUPS:
        rows = []
        for indicator in INDICATORS:
            if indicator.source != source:
                continue
            if not indicator.available:
                missing.append(indicator)
                continue
            values = [shown(indicator, found.get((indicator.code, c, period))) for c, _n in columns]
            values.append(shown(indicator, found.get((indicator.code, area.code, previous))))
            rows.append(Row(indicator, values))
        if rows:
            sections.append(Section(str(title), rows))
    headings = [name for _c, name in columns] + [
        _("%(area)s, %(period)s") % {"area": area.name, "period": previous.label}
    ]
    return Board(area, period, headings, sections, missing)


def available() -> list[Indicator]:
    return [i for i in INDICATORS if i.available]


def matrix(region: Area, period: Period) -> tuple[list[Indicator], list[tuple[Area, list[Shown]]]]:
    """A region's municipalities (and the region itself, last) by the indicators."""
    chosen = available()
    areas = [*region.members, region]
    found = cells([a.code for a in areas], [period])
    rows = [(a, [shown(i, found.get((i.code, a.code, period))) for i in chosen]) for a in areas]
    return chosen, rows


def by_theme(area: Area, period: Period) -> tuple[list[Indicator], list[tuple[str, list[Shown]]]]:
    """The social map's figures per theme for one area."""
    chosen = [i for i in INDICATORS if i.by_theme and i.available]
    found = Figure.objects.filter(
        area_code=area.code, period_kind=period.kind, period_start=period.start
    ).exclude(breakdown="")
    cellmap = {(f.indicator, f.breakdown): f for f in found}
    names = dict(Theme.objects.values_list("code", "name"))
    themes = sorted({b for _i, b in cellmap}, key=lambda b: names.get(b, b))
    rows = [(names.get(t, t), [shown(i, cellmap.get((i.code, t))) for i in chosen]) for t in themes]
    return chosen, rows


def series(
    area: Area, periods: Sequence[Period]
) -> tuple[list[Indicator], list[tuple[Period, list[Shown]]]]:
    """The area's figures over several periods (the trend)."""
    chosen = available()
    found = cells([area.code], periods)
    rows = [(p, [shown(i, found.get((i.code, area.code, p))) for i in chosen]) for p in periods]
    return chosen, rows


def last_months(period: Period, count: int = 12) -> list[Period]:
    out = [period]
    while len(out) < count:
        out.append(out[-1].previous())
    return list(reversed(out))


def latest_day(found: Iterable[Figure]) -> date | None:
    days = [f.made_on for f in found]
    return max(days) if days else None


@dataclass
class OpenRow:
    name: str
    values: list[str]
    status: str
    source: str


def open_data(area: Area, period: Period) -> tuple[str, list[str], list[OpenRow]]:
    """CBS figures for the area and its comparisons, for the period's year (StatLine's
    youth-care tables are yearly), with their source and status."""
    year = date(period.start.year, 1, 1)
    columns = [(c, name) for c, name in comparisons(area)]
    found = OpenFigure.objects.filter(
        area_code__in=[c for c, _n in columns], period_kind="year", period_start=year
    )
    cells = {(f.table, f.measure, f.area_code): f for f in found}
    rows = []
    for table, (_title, measures) in statline.TABLES.items():
        for measure in measures:
            here = [cells.get((table, measure.key, c)) for c, _n in columns]
            if not any(here):
                continue
            texts = []
            for f in here:
                if f is None:
                    texts.append("—")
                elif f.suppressed or f.value is None:
                    texts.append(_("secret or not available at CBS"))
                else:
                    texts.append(
                        number_format(f.value, decimal_pos=None, use_l10n=True, force_grouping=True)
                    )
            status = ", ".join(sorted({f.get_status_display() for f in here if f}))
            rows.append(OpenRow(str(measure.name), texts, status, f"CBS StatLine {table}"))
    return str(year.year), [n for _c, n in columns], rows
