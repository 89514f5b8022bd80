from __future__ import annotations

from datetime import date
from typing import Literal

from ninja import Schema


class IndicatorOut(Schema):
    code: str
    name: str
    meaning: str
    numerator: str
    denominator: str | None
    source: str
    unit: str
    shape: str
    direction: str
    timing: str
    suppression: str
    available: bool


class FigureOut(Schema):
    indicator: str
    area: str
    theme: str
    status: Literal["shown", "small", "hidden", "none"]
    value: float | None
    base: int | None
    text: str


class FiguresOut(Schema):
    area: str
    area_name: str
    period: str
    period_label: str
    figures_as_of: date | None
    figures: list[FigureOut]
