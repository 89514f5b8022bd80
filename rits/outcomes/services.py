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
from django.utils.translation import gettext as _

from rits.accounts.models import User
from rits.audit.models import Entry
from rits.audit.services import record
from rits.outcomes import figures, periods, statline
from rits.outcomes.indicators import INDICATORS, Indicator, Timing
from rits.outcomes.models import Figure, OpenDataImport, OpenFigure, Refresh
from rits.outcomes.periods import Period
from rits.regions.models import Municipality

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


class OpenDataRejected(Exception):
    """A StatLine file refused whole: the errors, each with its row."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


_STATUS = {
    "voorlopig": OpenFigure.Status.PRELIMINARY,
    "nader voorlopig": OpenFigure.Status.PRELIMINARY,
    "preliminary": OpenFigure.Status.PRELIMINARY,
    "definitief": OpenFigure.Status.DEFINITIVE,
    "definitive": OpenFigure.Status.DEFINITIVE,
}


def import_open_data(
    raw: bytes,
    *,
    name: str,
    table: str,
    actor: User | None,
    status: str = OpenFigure.Status.DEFINITIVE,
    progress: Callable[[int, int], None] | None = None,
) -> OpenDataImport:
    """Import a StatLine file all or nothing: every row is checked first (a known
    municipality, a period on the grid that has begun, a measure of this table, a
    number or "." or empty, no row twice), and only a file without errors is stored.
    A figure already there for the same table, measure, area and period is replaced."""
    if table not in statline.TABLES:
        raise OpenDataRejected([(0, _("Unknown StatLine table: %(table)s.") % {"table": table})])
    try:
        rows = list(statline.read(raw, name, table))
    except statline.StatLineError as exc:
        _refused(actor, table, name, [(0, str(exc))])
        raise OpenDataRejected([(0, str(exc))]) from None
    _title, measures = statline.TABLES[table]
    by_code = {m.code: m.key for m in measures} | {m.key: m.key for m in measures}
    municipalities = set(Municipality.objects.values_list("code", flat=True))
    today = periods.today()
    errors: list[tuple[int, str]] = []
    seen: set[tuple[str, str, str]] = set()
    figures: list[OpenFigure] = []
    for i, row in enumerate(rows):
        if progress and i % 500 == 0:
            progress(i, len(rows))
        problems = []
        measure = by_code.get(row.measure)
        if measure is None:
            problems.append(
                _("measure %(measure)s is not part of table %(table)s")
                % {"measure": row.measure or "—", "table": table}
            )
        where = statline.area(row.area)
        if where != periods.COUNTRY_CODE and where not in municipalities:
            problems.append(_("unknown municipality code %(code)s") % {"code": row.area or "—"})
        when = statline.period(row.period)
        if when is None:
            problems.append(_("unknown period %(code)s") % {"code": row.period or "—"})
        elif when[1] > today:
            problems.append(_("period %(code)s lies in the future") % {"code": row.period})
        try:
            value, suppressed = statline.number(row.value)
        except ValueError:
            problems.append(_("%(value)s is not a number") % {"value": row.value})
            value, suppressed = None, True
        state = _STATUS.get(row.status.lower(), status) if row.status else status
        if row.status and row.status.lower() not in _STATUS:
            problems.append(_("unknown status %(status)s") % {"status": row.status})
        key = (measure or row.measure, where, row.period)
        if key in seen:
            problems.append(_("this measure, area and period came earlier in the file"))
        seen.add(key)
        if problems:
            errors += [(row.number, p) for p in problems]
            continue
        assert measure is not None and when is not None
        figures.append(
            OpenFigure(
                table=table,
                measure=measure,
                area_code=where,
                period_kind=when[0],
                period_start=when[1],
                value=value,
                suppressed=suppressed,
                status=state,
            )
        )
    if errors:
        _refused(actor, table, name, errors)
        raise OpenDataRejected(errors)
    with transaction.atomic():
        done = OpenDataImport.objects.create(
            table=table, file_name=name[:200], rows=len(figures), imported_by=actor
        )
        old = OpenFigure.objects.filter(table=table)
        keys = {(f.measure, f.area_code, f.period_kind, f.period_start) for f in figures}
        stale = [
            pk
            for pk, *key in old.values_list(
                "pk", "measure", "area_code", "period_kind", "period_start"
            )
            if tuple(key) in keys
        ]
        OpenFigure.objects.filter(pk__in=stale).delete()
        for figure in figures:
            figure.source = done
        OpenFigure.objects.bulk_create(figures, batch_size=2000)
        record(
            actor,
            "outcomes.open_data_imported",
            done,
            purpose=POLICY,
            data={"table": table, "rows": len(figures), "replaced": len(stale)},
        )
    if progress:
        progress(len(rows), len(rows))
    return done


def _refused(actor: User | None, table: str, name: str, errors: list[tuple[int, str]]) -> None:
    with transaction.atomic():
        record(
            actor,
            "outcomes.open_data_rejected",
            outcome=Entry.Outcome.FAILURE,
            object_type="outcomes.opendataimport",
            object_label=name[:200],
            purpose=POLICY,
            data={"table": table, "errors": len(errors)},
        )
