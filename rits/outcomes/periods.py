"""The grid of periods and areas that figures are published on.

Figures exist only for whole calendar months, quarters and years, and for one
municipality, one youth-care region or the whole country. No other period or area can
be asked for: two overlapping free ranges would let a suppressed cell be recomputed by
subtraction, and the grid makes every overlap a nesting (a month in its quarter, a
quarter in its year) that the suppression knows about (see ``suppression``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rits.lib.ages import add_years

COUNTRY_CODE = "NL"


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class AreaKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    REGION = "region", _("Youth-care region")
    COUNTRY = "country", _("The Netherlands")


@dataclass(frozen=True, order=True)
class Period:
    """One month, quarter or year; written ``2026``, ``2026-K3`` or ``2026-07``."""

    start: date
    kind: str

    @property
    def end(self) -> date:
        """The first day after the period."""
        months = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.YEAR: 12}[
            PeriodKind(self.kind)
        ]
        index = self.start.year * 12 + self.start.month - 1 + months
        return date(index // 12, index % 12 + 1, 1)

    @property
    def code(self) -> str:
        if self.kind == PeriodKind.YEAR:
            return f"{self.start.year}"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.start.year}-K{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year}-{self.start.month:02d}"

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.YEAR:
            return f"{self.start.year}"
        if self.kind == PeriodKind.QUARTER:
            return gettext("quarter %(number)s of %(year)s") % {
                "number": (self.start.month - 1) // 3 + 1,
                "year": self.start.year,
            }
        return date_format(self.start, "F Y")

    def parent(self) -> Period | None:
        if self.kind == PeriodKind.MONTH:
            return quarter_of(self.start)
        if self.kind == PeriodKind.QUARTER:
            return year_of(self.start)
        return None

    def children(self) -> list[Period]:
        if self.kind == PeriodKind.YEAR:
            return [Period(date(self.start.year, m, 1), PeriodKind.QUARTER) for m in (1, 4, 7, 10)]
        if self.kind == PeriodKind.QUARTER:
            return [
                Period(date(self.start.year, self.start.month + i, 1), PeriodKind.MONTH)
                for i in range(3)
            ]
        return []

    def previous(self) -> Period:
        if self.kind == PeriodKind.YEAR:
            return Period(date(self.start.year - 1, 1, 1), self.kind)
        step = 1 if self.kind == PeriodKind.MONTH else 3
        index = self.start.year * 12 + self.start.month - 1 - step
        return Period(date(index // 12, index % 12 + 1, 1), self.kind)


def today() -> date:
    """Today in Amsterdam: the last day the monitor has figures for."""
    return timezone.localdate()


def month_of(day: date) -> Period:
    return Period(date(day.year, day.month, 1), PeriodKind.MONTH)


def quarter_of(day: date) -> Period:
    return Period(date(day.year, (day.month - 1) // 3 * 3 + 1, 1), PeriodKind.QUARTER)


def year_of(day: date) -> Period:
    return Period(date(day.year, 1, 1), PeriodKind.YEAR)


def of(kind: str, day: date) -> Period:
    return {"month": month_of, "quarter": quarter_of, "year": year_of}[kind](day)


_CODE = re.compile(r"^(\d{4})(?:-K([1-4])|-(0[1-9]|1[0-2]))?$")


class UnknownPeriod(ValueError):
    pass


def parse(code: str, *, today: date) -> Period:
    """A period from its code; refused when it is not on the grid or has not begun."""
    found = _CODE.match(code.strip())
    if not found:
        raise UnknownPeriod(
            _("Unknown period: write a year (2026), a quarter (2026-K3) or a month (2026-07).")
        )
    year, quarter, month = found.groups()
    if month:
        period = Period(date(int(year), int(month), 1), PeriodKind.MONTH)
    elif quarter:
        period = Period(date(int(year), (int(quarter) - 1) * 3 + 1, 1), PeriodKind.QUARTER)
    else:
        period = Period(date(int(year), 1, 1), PeriodKind.YEAR)
    if period.start > today:
        raise UnknownPeriod(_("This period has not begun yet."))
    if period.start < add_years(date(today.year, 1, 1), -FIRST_YEAR_BACK):
        raise UnknownPeriod(_("The monitor keeps figures for the last ten years only."))
    return period


#: How many whole years before the current one the monitor computes.
FIRST_YEAR_BACK = 10


def grid(first: date, last: date) -> list[Period]:
    """Every month, quarter and year from ``first``'s year up to and including ``last``'s month."""
    periods: list[Period] = []
    index = first.year * 12
    end = last.year * 12 + last.month - 1
    while index <= end:
        month = Period(date(index // 12, index % 12 + 1, 1), PeriodKind.MONTH)
        periods.append(month)
        if month.start.month % 3 == 1:
            periods.append(quarter_of(month.start))
        if month.start.month == 1:
            periods.append(year_of(month.start))
        index += 1
    return periods
