"""Aggregate figures of the knowledge app for the outcome monitor. Counts only, never
rows: the monitor reads these functions and nothing else of this app."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time

from django.db.models import Q
from django.utils import timezone

from rits.knowledge.models import ProgressUpdate, Use
from rits.regions.models import Municipality


def _moment(day: date, *, end: bool = False) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.max if end else time.min))


def network_updates(*, municipality_ids: Iterable[int], start: date, end: date) -> int:
    """Progress updates posted from ``start`` to ``end`` (both included) by organisations
    based in these municipalities."""
    return ProgressUpdate.objects.filter(
        organisation__municipality_id__in=list(municipality_ids),
        posted_at__gte=_moment(start),
        posted_at__lte=_moment(end, end=True),
    ).count()


def practices_in_use(*, municipality_ids: Iterable[int]) -> int:
    """Distinct practices that run in these municipalities: a use named for one of them,
    or a use for their whole region (no municipality named)."""
    ids = list(municipality_ids)
    regions = Municipality.objects.filter(pk__in=ids).values("region_id")
    return (
        Use.objects.filter(
            Q(municipality_id__in=ids) | Q(municipality__isnull=True, region_id__in=regions)
        )
        .values("practice_id")
        .distinct()
        .count()
    )
