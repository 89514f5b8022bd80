"""Aggregates the outcome monitor reads: never a person, never a table, and nothing from
fewer than five tables."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db.models import F, Q

from rits.dialogues.codesource import code_ref
from rits.dialogues.models import Code, ImprovementAction
from rits.dialogues.synthesis import MIN_TABLES, Scope, code_counts


def top_codes(
    *, municipality_ids: Sequence[int], start: date, end: date, limit: int = 10
) -> list[tuple[Any, int, int]]:
    """The most-coded codes in these municipalities' tables held in [start, end]:
    (code reference, tables, segments), only codes from at least five tables."""
    scope = Scope(region_id=None, start=start, end=end, municipality_ids=municipality_ids)
    rows = [r for r in code_counts(scope) if r[1] >= MIN_TABLES][:limit]
    codes = Code.objects.in_bulk([r[0] for r in rows])
    return [(code_ref(codes[c]), tables, segments) for c, tables, segments in rows]


def actions_on_time(*, municipality_ids: Sequence[int], start: date, end: date) -> tuple[int, int]:
    """(actions done by their due date, actions due) for actions due in [start, end] that
    came from these municipalities' tables."""
    due = ImprovementAction.objects.filter(
        due_date__gte=start,
        due_date__lte=end,
        finding__table__municipality_id__in=list(municipality_ids),
    )
    on_time = due.filter(
        Q(status=ImprovementAction.Status.DONE) & Q(closed_on__lte=F("due_date"))
    ).count()
    return on_time, due.count()
