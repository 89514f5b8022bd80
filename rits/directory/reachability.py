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
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, Q
from django.db.models.signals import post_delete, post_save
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from rits.directory import public_holidays
from rits.directory.models import Closure, CrisisLine, OpeningHours
from rits.regions.models import Municipality

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
#: How far ahead we look for the next opening; beyond that a service counts as closed.
LOOKAHEAD_DAYS = 21


def public_holiday(day: date) -> str | None:
    """The name of the Dutch public holiday on ``day`` (in Dutch), or None."""
    keys = public_holidays.holidays_on(day)
    return public_holidays.holiday_label(keys[0], "nl") if keys else None


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
    #: The holidays (keys) that close it; None: the general days off.
    closed_on_holidays: frozenset[str] | None = None

    @classmethod
    def of(
        cls,
        hours: Iterable[OpeningHours],
        closures: Iterable[Closure] = (),
        *,
        open_on_public_holidays: bool = False,
        closed_on_holidays: Iterable[str] | None = None,
    ) -> Timetable:
        closed_on = None if closed_on_holidays is None else frozenset(closed_on_holidays)
        return cls(tuple(hours), tuple(closures), open_on_public_holidays, closed_on)

    def closing_holiday(self, day: date) -> str | None:
        """The name (in the current language) of a holiday that closes it on ``day``."""
        if self.open_on_public_holidays:
            return None
        key = public_holidays.closing_holiday(day, self.closed_on_holidays)
        return public_holidays.holiday_label(key) if key else None

    def closed_because(self, day: date) -> str | None:
        """Why the whole day is closed (holiday or closure), or None."""
        holiday = self.closing_holiday(day)
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
    day, and on a general day off only services that say they open on holidays."""
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
    if public_holidays.closing_holiday(day, None):
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
    table = Timetable.of(
        office.hours.all(), office.closures.all(), closed_on_holidays=office.closed_on_holidays
    )
    slot = table.current_slot(now)
    if slot is not None or regional is None:
        until = slot[1] if slot else None
        return CrisisRoute(municipality, now, office, until, regional, "office_hours")
    holiday = table.closing_holiday(now.date())
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


# Coverage: at which hours a municipality can reach a crisis line at all.
# A slot that closes at 23:59 or later runs to midnight (a TimeField cannot say 24:00).
END_OF_DAY = time(23, 59)


@dataclass(frozen=True)
class Reach:
    """When one crisis line answers: by its timetable, or always (a region's line without
    hours of its own answers day and night, as routing assumes)."""

    table: Timetable
    always: bool = False

    def slots_on(self, day: date) -> list[tuple[datetime, datetime]]:
        if self.always:
            if self.table.closed_because(day):
                return []
            return [(_midnight(day), _midnight(day + timedelta(days=1)))]
        return [
            (opens, _midnight(day + timedelta(days=1)) if closes.time() >= END_OF_DAY else closes)
            for opens, closes in self.table.slots_on(day)
        ]


def reach_of(line: CrisisLine) -> Reach:
    """A saved line's reach (its hours and closures prefetched or read here)."""
    hours, closures = list(line.hours.all()), list(line.closures.all())
    if line.kind == CrisisLine.Kind.OFFICE_HOURS:
        table = Timetable.of(hours, closures, closed_on_holidays=line.closed_on_holidays)
        return Reach(table)
    return Reach(Timetable.of(hours, closures, open_on_public_holidays=True), always=not hours)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=AMSTERDAM)


def _seconds(start: datetime, end: datetime) -> float:
    # Through UTC: Python subtracts two times of the same zone as wall-clock times,
    # which would make the day the clocks go back 24 hours instead of 25.
    return (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds()


@dataclass(frozen=True)
class Gap:
    """A stretch of time in which no crisis line answers for a municipality."""

    starts: datetime
    ends: datetime
    holiday: str | None = None  # the public holiday's name, when the day is one

    @property
    def hours(self) -> float:
        return _seconds(self.starts, self.ends) / 3600


@dataclass(frozen=True)
class Coverage:
    """How much of the checked days a municipality can reach a crisis line, and the gaps."""

    municipality_id: int
    reachable_hours: float
    total_hours: float
    gaps: tuple[Gap, ...]

    @property
    def complete(self) -> bool:
        return not self.gaps

    @property
    def share(self) -> float:
        return self.reachable_hours / self.total_hours if self.total_hours else 0.0


def coverage_of(
    reaches: Iterable[Reach], days: Iterable[date], municipality_id: int = 0
) -> Coverage:
    """The coverage that these lines give together over ``days`` (wall-clock days in
    Amsterdam, so a day of the clock change counts 23 or 25 hours)."""
    reaches = list(reaches)
    reachable = total = 0.0
    gaps: list[Gap] = []
    for day in days:
        start, end = _midnight(day), _midnight(day + timedelta(days=1))
        total += _seconds(start, end)
        slots = sorted(slot for reach in reaches for slot in reach.slots_on(day))
        holiday = public_holiday(day)
        cursor = start
        for opens, closes in slots:
            if opens > cursor:
                gaps.append(Gap(cursor, opens, holiday))
            if closes > cursor:
                reachable += _seconds(max(opens, cursor), closes)
                cursor = closes
        if cursor < end:
            gaps.append(Gap(cursor, end, holiday))
    return Coverage(municipality_id, reachable / 3600, total / 3600, _joined(gaps))


def _joined(gaps: list[Gap]) -> tuple[Gap, ...]:
    """Gaps that run on past midnight into the next day's become one gap."""
    joined: list[Gap] = []
    for gap in gaps:
        if joined and joined[-1].ends == gap.starts:
            joined[-1] = Gap(joined[-1].starts, gap.ends, joined[-1].holiday or gap.holiday)
        else:
            joined.append(gap)
    return tuple(joined)


def week_of(day: date) -> list[date]:
    """The seven days of the week (Monday to Sunday) that ``day`` falls in."""
    monday = day - timedelta(days=day.weekday())
    return [monday + timedelta(days=n) for n in range(7)]


def public_holidays_in(year: int) -> list[date]:
    """Every Dutch public holiday of the year (Good Friday included)."""
    return public_holidays.holidays_in(year)


def crisis_coverage(
    municipalities: Iterable[Municipality], days: Iterable[date]
) -> dict[int, Coverage]:
    """Per municipality (by id), when its office-hours line and its region's line
    together answer over ``days``: a week (``week_of``) for the hours of the week, the
    year's public holidays (``public_holidays_in``) for the holidays. Three queries,
    whatever the number of municipalities."""
    municipalities = list(municipalities)
    days = list(days)
    lines = CrisisLine.objects.filter(
        Q(municipality__in=municipalities)
        | Q(kind=CrisisLine.Kind.OUT_OF_HOURS, region_id__in={m.region_id for m in municipalities})
    ).prefetch_related("hours", "closures")
    office: dict[int, Reach] = {}
    regional: dict[int, Reach] = {}
    for line in lines:
        if line.kind == CrisisLine.Kind.OFFICE_HOURS:
            assert line.municipality_id is not None
            office[line.municipality_id] = reach_of(line)
        else:
            regional.setdefault(line.region_id, reach_of(line))
    return {
        m.pk: coverage_of(
            [r for r in (office.get(m.pk), regional.get(m.region_id)) if r is not None],
            days,
            m.pk,
        )
        for m in municipalities
    }


MomentKind = Literal["exact", "nonexistent", "ambiguous"]


@dataclass(frozen=True)
class Moment:
    """A moment someone asked about, and how their wall-clock time was taken.

    ``kind`` is ``exact`` (the time exists once), ``nonexistent`` (skipped when the
    clocks go forward) or ``ambiguous`` (it happens twice when the clocks go back).
    """

    at: datetime
    wall: datetime | None = None
    kind: MomentKind = "exact"


def moment_from_wall_clock(wall: datetime) -> Moment:
    """Take a local time without offset in Europe/Amsterdam by zoneinfo's fold rules:
    fold=0 is the first of a repeated time (summer time), and for a skipped time it
    keeps the offset from before the switch, so 02:30 on the spring night is 03:30."""
    wall = wall.replace(tzinfo=None)
    first = wall.replace(tzinfo=AMSTERDAM, fold=0)
    if first.utcoffset() == wall.replace(tzinfo=AMSTERDAM, fold=1).utcoffset():
        return Moment(first, wall)
    # Through UTC: astimezone() to the same zone would return the time unchanged.
    taken = first.astimezone(UTC).astimezone(AMSTERDAM)
    kind: MomentKind = "ambiguous" if taken.replace(tzinfo=None) == wall else "nonexistent"
    return Moment(taken, wall, kind)


def moment_note(moment: Moment) -> str:
    """One sentence on how a skipped or repeated time was taken ('' when exact)."""
    if moment.kind == "exact" or moment.wall is None:
        return ""
    values = {
        "time": moment.wall.strftime("%H:%M"),
        "day": date_format(moment.wall.date(), "j F Y"),
        "taken": moment.at.strftime("%H:%M"),
        "offset": moment.at.strftime("%z")[:3] + ":" + moment.at.strftime("%z")[3:],
    }
    if moment.kind == "nonexistent":
        return (
            _(
                "%(time)s does not exist on %(day)s: the clocks go forward from 02:00 to "
                "03:00. Rits takes it as %(taken)s summer time (UTC%(offset)s, "
                "Europe/Amsterdam)."
            )
            % values
        )
    return (
        _(
            "%(time)s happens twice on %(day)s: the clocks go back from 03:00 to 02:00. "
            "Rits takes the first time, %(taken)s summer time (UTC%(offset)s, "
            "Europe/Amsterdam)."
        )
        % values
    )
