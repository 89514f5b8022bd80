"""The monitor's writes (the daily refresh) and its audited reads.

Every read of the monitor is audited like any other read of aggregated data, with the
purpose "policy", in the same transaction as the read.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from rits.accounts.models import User
from rits.audit.models import Entry
from rits.audit.services import record
from rits.outcomes import figures, periods
from rits.outcomes.indicators import INDICATORS, Indicator, Timing
from rits.outcomes.models import Figure, Refresh
from rits.outcomes.periods import Period

POLICY = Entry.Purpose.POLICY


def refresh_figures(
    *,
    today: date | None = None,
    indicators: Iterable[Indicator] = INDICATORS,
    progress: Callable[[int, int, str], None] | None = None,
) -> Refresh:
    """Compute every cell again and replace the stored ones, in one transaction.

    Idempotent: running it twice on one day stores the same cells. The figures of
    events are replaced whole; a snapshot (the social map's waiting times) replaces
    only today's month, quarter and year, so the months before keep the state they had.
    """
    today = today or periods.today()
    chosen = [i for i in indicators if i.available]
    started = time.monotonic()
    geo = figures.Geography()
    stored = 0
    with transaction.atomic():
        for n, indicator in enumerate(chosen, 1):
            if progress:
                progress(n - 1, len(chosen), indicator.code)
            cells = figures.compute(indicator, today, geo)
            old = Figure.objects.filter(indicator=indicator.code)
            if indicator.timing == Timing.SNAPSHOT:
                current = {(c.period.kind, c.period.start) for c in cells}
                for kind, start in current:
                    old.filter(period_kind=kind, period_start=start).delete()
            else:
                old.delete()
            Figure.objects.bulk_create(
                (
                    Figure(
                        indicator=indicator.code,
                        area_kind=c.area[0],
                        area_code=c.area[1],
                        breakdown=c.breakdown,
                        period_kind=c.period.kind,
                        period_start=c.period.start,
                        status=c.status,
                        value=c.value,
                        base=c.base,
                        made_on=today,
                    )
                    for c in cells
                ),
                batch_size=2000,
            )
            stored += len(cells)
        if progress:
            progress(len(chosen), len(chosen), "")
        run = Refresh.objects.create(
            made_on=today, cells=stored, seconds=round(time.monotonic() - started, 3)
        )
        record(
            None,
            "outcomes.figures_refreshed",
            run,
            purpose=POLICY,
            data={"made_on": today.isoformat(), "cells": stored},
        )
    return run


def figures_as_of() -> date | None:
    last = Refresh.objects.order_by("-finished_at").values_list("made_on", flat=True).first()
    return last


@dataclass(frozen=True)
class Scope:
    """What one read asked for: areas (by code), a period and the channel."""

    area_codes: tuple[str, ...]
    period: Period
    breakdown: str = ""


def audit_read(
    actor: User | None,
    event: str,
    scope: Scope,
    *,
    data: dict[str, Any] | None = None,
) -> None:
    """The read's entry: who read which areas' figures for which period, for policy."""
    with transaction.atomic():
        record(
            actor,
            event,
            object_type="outcomes.monitor",
            object_id=",".join(scope.area_codes)[:64],
            object_label=scope.period.code,
            purpose=POLICY,
            data={
                "areas": list(scope.area_codes),
                "period": scope.period.code,
                "theme": scope.breakdown,
                **(data or {}),
            },
        )
