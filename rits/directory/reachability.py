"""When is something open, and who do I call now?

All reasoning happens in Europe/Amsterdam wall-clock time: opening hours are written
as local times, and ``datetime.combine(day, time, tzinfo=AMSTERDAM)`` puts the right
UTC offset on each side of a daylight-saving switch. Dutch public holidays come from
the ``holidays`` package.
"""

from __future__ import annotations

import time as time_module
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.db.models import Exists, OuterRef, Q
from django.db.models.signals import post_delete, post_save

from rits.directory.models import Closure, CrisisLine, OpeningHours
from rits.regions.models import Municipality

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
#: How far ahead we look for the next opening; beyond that a service counts as closed.
LOOKAHEAD_DAYS = 21


@lru_cache(maxsize=16)
def _holidays_for(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("NL", years=year, language="nl")


def public_holiday(day: date) -> str | None:
    """The name of the Dutch public holiday on ``day`` (in Dutch), or None."""
    name = _holidays_for(day.year).get(day)
    return str(name) if name else None


def local(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("A timezone-aware datetime is required.")
    return at.astimezone(AMSTERDAM)


@dataclass(frozen=True)
class Timetable:
    """Weekly slots plus closures of one service or crisis line, ready for questions."""

    hours: tuple[OpeningHours, ...]
    closures: tuple[Closure, ...] = ()
    open_on_public_holidays: bool = False

    @classmethod
    def of(
        cls,
        hours: Iterable[OpeningHours],
        closures: Iterable[Closure] = (),
        *,
        open_on_public_holidays: bool = False,
    ) -> Timetable:
        return cls(tuple(hours), tuple(closures), open_on_public_holidays)

    def closed_because(self, day: date) -> str | None:
        """Why the whole day is closed (holiday or closure), or None."""
        if not self.open_on_public_holidays:
            holiday = public_holiday(day)
            if holiday:
                return holiday
        for closure in self.closures:
            if closure.starts_on <= day <= closure.ends_on:
                return closure.reason or "closed"
        return None

    def slots_on(self, day: date) -> list[tuple[datetime, datetime]]:
        """The day's opening slots as aware datetimes, adjacent slots merged."""
        if self.closed_because(day):
            return []
        raw = sorted((h.opens_at, h.closes_at) for h in self.hours if h.applies_on(day))
        merged: list[list[time]] = []
        for opens, closes in raw:
            if merged and opens <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], closes)
            else:
                merged.append([opens, closes])
        return [
            (
                datetime.combine(day, opens, tzinfo=AMSTERDAM),
                datetime.combine(day, closes, tzinfo=AMSTERDAM),
            )
            for opens, closes in merged
        ]

    def current_slot(self, at: datetime) -> tuple[datetime, datetime] | None:
        now = local(at)
        for opens, closes in self.slots_on(now.date()):
            if opens <= now < closes:
                return opens, closes
        return None

    def is_open(self, at: datetime) -> bool:
        return self.current_slot(at) is not None

    def next_opening(self, at: datetime) -> datetime | None:
        """The first moment after ``at`` at which a slot starts (not the current one)."""
        now = local(at)
        for offset in range(LOOKAHEAD_DAYS + 1):
            day = now.date() + timedelta(days=offset)
            for opens, _closes in self.slots_on(day):
                if opens > now:
                    return opens
        return None


def timetable_for_service(service: object) -> Timetable:
    return Timetable.of(
        service.hours.all(),  # type: ignore[attr-defined]
        service.closures.all(),  # type: ignore[attr-defined]
        open_on_public_holidays=service.open_on_public_holidays,  # type: ignore[attr-defined]
    )


@dataclass(frozen=True)
class Opening:
    """What a service's schedule says at one moment."""

    has_schedule: bool
    is_open: bool
    until: datetime | None
    next_opening: datetime | None


def opening(service: object, at: datetime) -> Opening:
    table = timetable_for_service(service)
    if not table.hours:
        return Opening(False, False, None, None)
    slot = table.current_slot(at)
    return Opening(True, slot is not None, slot[1] if slot else None, table.next_opening(at))


def open_now_filter(at: datetime, prefix: str = "") -> Q:
    """A Q for services open at ``at``: a slot covers the moment, no closure covers the
    day, and on a public holiday only services that say they open on holidays."""
    now = local(at)
    day, moment = now.date(), now.time()
    slots = OpeningHours.objects.filter(
        service=OuterRef("pk"),
        weekday=day.weekday(),
        opens_at__lte=moment,
        closes_at__gt=moment,
    ).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day),
        Q(valid_to__isnull=True) | Q(valid_to__gte=day),
    )
    closed = Closure.objects.filter(service=OuterRef("pk"), starts_on__lte=day, ends_on__gte=day)
    condition = Q(Exists(slots)) & ~Q(Exists(closed))
    if public_holiday(day):
        condition &= Q(open_on_public_holidays=True)
    return condition


class NoCrisisLine(LookupError):
    """No crisis line is known for the municipality (its region is not on Rits yet)."""


@dataclass(frozen=True)
class CrisisRoute:
    """The number to call now, until when it applies, and what comes after."""

    municipality: Municipality
    at: datetime
    line: CrisisLine
    until: datetime | None
    next_line: CrisisLine | None
    reason: str  # office_hours, evening, night, weekend, public_holiday, closure
    holiday: str | None = None


# Crisis lines change a few times a year and are asked for constantly: each process
# keeps them for CRISIS_CACHE_SECONDS, and forgets them at once when one is saved here
# (signals below). Another process sees a change within that time at the latest.
CRISIS_CACHE_SECONDS = 60.0
_CRISIS_CACHE: dict[int, tuple[float, CrisisLine | None, CrisisLine | None]] = {}


def forget_crisis_lines(**_kwargs: object) -> None:
    _CRISIS_CACHE.clear()


for _model in (CrisisLine, OpeningHours, Closure):
    post_save.connect(forget_crisis_lines, sender=_model, dispatch_uid=f"crisis-{_model.__name__}")
    post_delete.connect(
        forget_crisis_lines, sender=_model, dispatch_uid=f"crisis-del-{_model.__name__}"
    )


def _crisis_lines(municipality: Municipality) -> tuple[CrisisLine | None, CrisisLine | None]:
    cached = _CRISIS_CACHE.get(municipality.pk)
    if cached is not None and time_module.monotonic() - cached[0] < CRISIS_CACHE_SECONDS:
        return cached[1], cached[2]
    office, regional = _load_crisis_lines(municipality)
    _CRISIS_CACHE[municipality.pk] = (time_module.monotonic(), office, regional)
    return office, regional


def _load_crisis_lines(municipality: Municipality) -> tuple[CrisisLine | None, CrisisLine | None]:
    lines = list(
        CrisisLine.objects.filter(
            Q(municipality=municipality) | Q(region_id=municipality.region_id, kind="out_of_hours")
        ).prefetch_related("hours", "closures")
    )
    office = next((line for line in lines if line.kind == CrisisLine.Kind.OFFICE_HOURS), None)
    regional = next((line for line in lines if line.kind == CrisisLine.Kind.OUT_OF_HOURS), None)
    return office, regional


def route_crisis(municipality: Municipality, at: datetime) -> CrisisRoute:
    """Steps: find the municipality's office-hours line and the region's line; if the
    office is open now, it applies until its slot ends and the regional line comes
    next; otherwise the regional line applies until the office next opens."""
    now = local(at)
    office, regional = _crisis_lines(municipality)
    if office is None and regional is None:
        raise NoCrisisLine(municipality.code)
    if office is None:
        assert regional is not None
        return CrisisRoute(municipality, now, regional, None, None, "always")
    table = Timetable.of(office.hours.all(), office.closures.all())
    slot = table.current_slot(now)
    if slot is not None or regional is None:
        until = slot[1] if slot else None
        return CrisisRoute(municipality, now, office, until, regional, "office_hours")
    holiday = public_holiday(now.date())
    if holiday:
        reason = "public_holiday"
    elif table.closed_because(now.date()):
        reason = "closure"
    elif now.weekday() >= 5:
        reason = "weekend"
    else:
        today = table.slots_on(now.date())
        reason = "closure" if not today else "night" if now < today[0][0] else "evening"
    return CrisisRoute(
        municipality, now, regional, table.next_opening(now), office, reason, holiday
    )
