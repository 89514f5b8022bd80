"""The monitor in the JSON API: the same stored, suppressed cells as the pages."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import ValidationError
from pydantic import Field

from rits.accounts.auth import api_user
from rits.outcomes import periods, reads, services
from rits.outcomes.forms import default_period
from rits.outcomes.indicators import INDICATORS
from rits.outcomes.periods import AreaKind, Period
from rits.outcomes.permissions import Area, get_area_for_user
from rits.outcomes.schemas import FigureOut, FiguresOut, IndicatorOut

router = Router(tags=["outcomes"])


class FigureFilters(Schema):
    period: str = Field(
        "",
        max_length=7,
        description="A year (2026), a quarter (2026-K3) or a month (2026-07); "
        "the current year when left out.",
    )
    theme: str = Field("", max_length=40, description="A theme's code (social map only).")


def _period(code: str) -> Period:
    if not code:
        return default_period()
    try:
        return periods.parse(code, today=periods.today())
    except periods.UnknownPeriod as exc:
        raise ValidationError(
            [{"loc": ["query", "period"], "msg": str(exc), "type": "value_error"}]
        ) from None


@router.get(
    "/indicators",
    response=list[IndicatorOut],
    operation_id="list_indicators",
    summary="The registry of indicators: what each figure means and how it is protected",
)
def list_indicators(request: HttpRequest) -> list[IndicatorOut]:
    api_user(request)
    return [
        IndicatorOut(
            code=i.code,
            name=str(i.name),
            meaning=str(i.meaning),
            numerator=str(i.numerator),
            denominator=str(i.denominator) if i.denominator else None,
            source=i.source,
            unit=i.unit,
            shape=i.shape,
            direction=i.direction,
            timing=i.timing,
            suppression=i.suppression,
            available=i.available,
        )
        for i in INDICATORS
    ]


def _compared(area: Area) -> list[str]:
    codes = [code for code, _name in reads.comparisons(area)]
    if area.kind == AreaKind.REGION:
        codes += [m.code for m in area.members]
    return codes


@router.get(
    "/areas/{area_code}/figures",
    response=FiguresOut,
    operation_id="get_area_figures",
    summary="An area's figures for one period, with its region, the country and (for a "
    "region) its municipalities",
)
def area_figures(request: HttpRequest, area_code: str, filters: Query[FigureFilters]) -> FiguresOut:
    user = api_user(request)
    area = get_area_for_user(user, area_code.upper())
    period = _period(filters.period)
    scope = services.Scope((area.code,), period, filters.theme)
    services.audit_read(user, "outcomes.figures_read", scope)
    codes = _compared(area)
    found = reads.cells(codes, [period], filters.theme)
    out = []
    for indicator in INDICATORS:
        if not indicator.available or (filters.theme and not indicator.by_theme):
            continue
        for c in codes:
            shown = reads.shown(indicator, found.get((indicator.code, c, period)))
            out.append(
                FigureOut(indicator=indicator.code, area=c, theme=filters.theme, **shown.as_json())
            )
    return FiguresOut(
        area=area.code,
        area_name=area.name,
        period=period.code,
        period_label=period.label,
        figures_as_of=services.figures_as_of(),
        figures=out,
    )
