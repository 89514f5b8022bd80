"""Every table of the monitor as CSV (one table) or XLSX (all of them), with the
suppression applied: a spreadsheet gets the same texts as the page ("< 10", hidden),
never a number the page does not show. Through ``rits.lib.spreadsheet`` only."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from rits.outcomes import reads
from rits.outcomes.periods import AreaKind, Period
from rits.outcomes.permissions import Area, area_by_code

Table = tuple[str, list[str], list[list[Any]]]
TABLES = ("indicatoren", "gemeenten", "themas", "verloop")


def _figure(shown: reads.Shown) -> Any:
    number = shown.number
    return int(number) if number is not None and number == int(number) else shown.text


def indicator_table(area: Area, period: Period) -> Table:
    board = reads.board(area, period)
    header = [_("Indicator"), _("Unit"), *board.columns, _("Based on"), _("Source")]
    rows = []
    for section in board.sections:
        for row in section.rows:
            first = row.values[0]
            rows.append(
                [
                    str(row.indicator.name),
                    str(row.indicator.unit_label),
                    *(_figure(v) if v.number is not None else v.text for v in row.values),
                    first.base_text,
                    str(row.indicator.source_label),
                ]
            )
    return _("Indicators"), header, rows


def municipality_table(area: Area, period: Period) -> Table:
    region = area if area.kind == AreaKind.REGION else None
    if region is None:
        region = area_by_code(area.region.code) if area.region else None
    if region is None:
        return _("Municipalities"), [_("Municipality")], []
    chosen, rows = reads.matrix(region, period)
    header = [_("Area"), _("Code"), *(str(i.name) for i in chosen)]
    body = [[a.name, a.code, *(_figure(v) for v in values)] for a, values in rows]
    return _("Municipalities"), header, body


def theme_table(area: Area, period: Period) -> Table:
    chosen, rows = reads.by_theme(area, period)
    header = [_("Theme"), *(str(i.name) for i in chosen)]
    return _("Per theme"), header, [[t, *(_figure(v) for v in vs)] for t, vs in rows]


def trend_table(area: Area, period: Period) -> Table:
    chosen, rows = reads.series(area, reads.last_months(period))
    header = [_("Period"), *(str(i.name) for i in chosen)]
    return _("Trend"), header, [[p.label, *(_figure(v) for v in vs)] for p, vs in rows]


def table(name: str, area: Area, period: Period) -> Table:
    return {
        "indicatoren": indicator_table,
        "gemeenten": municipality_table,
        "themas": theme_table,
        "verloop": trend_table,
    }[name](area, period)


def all_tables(area: Area, period: Period) -> Iterable[Table]:
    return [table(name, area, period) for name in TABLES]


__all__ = ["TABLES", "all_tables", "table"]
