"""Where the figures come from: aggregate queries over the other apps' tables.

Every function here is one grouped query (``GROUP BY`` in the database): it returns
counts per municipality and month, never a row about a person. The monitor sums these
upward to regions, the country, quarters and years (``figures``).

Two shapes:

- a *tally*: ``(municipality_id, month, numerator, denominator)`` rows, for counts and
  shares (a count's denominator is 0);
- a *distribution*: ``(municipality_id, month, value, how_many)`` rows, for medians and
  percentiles: how many plans took 12 days, how many 13, and so on. A distribution adds
  up like a count, so a region's median is read from the sum of its municipalities'.

Snapshot sources (the social map's waiting times) describe the state on one day and are
grouped per area directly, as one service may serve several municipalities.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import models
from django.db.models import Count, Exists, F, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Least, TruncMonth
from django.utils import timezone

from rits.directory import reachability
from rits.directory.models import WAIT_STALE_AFTER, CrisisLine, Service, ServiceArea
from rits.family_plans.models import (
    CareTeamMember,
    Goal,
    Person,
    Plan,
    TransitionItem,
    TransitionTopic,
)
from rits.involvement.models import Match, MatchMember, Signal
from rits.involvement.services import escalation_days
from rits.lib.ages import ADULT_FROM, add_years
from rits.regions.models import Municipality

TallyRow = tuple[int, date, int, int]
SnapshotRow = tuple[str, int, str, int, int]

# Half a year after the 18th birthday, in days from the date of birth: 18 * 365.25 +
# 182.5. Leap days move it by at most one day, which a monthly figure does not notice.
DAYS_TO_18_AND_A_HALF = 6757


class DaysBetween(models.Func):
    """Whole days from ``earlier`` to ``later`` (moments or dates), in the database."""

    output_field = models.IntegerField()
    arity = 2

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template=("CAST(FLOOR(EXTRACT(EPOCH FROM (%(expressions)s)) / 86400) AS INTEGER)"),
            arg_joiner=" - ",
            **extra,
        )


class AsMoment(models.Func):
    """A date as the moment it begins, so it can be subtracted from a moment."""

    output_field = models.DateTimeField()
    arity = 1

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, template="%(expressions)s", **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="CAST(%(expressions)s AS timestamp)", **extra
        )


def _month(field: str) -> TruncMonth:
    return TruncMonth(field, output_field=models.DateField())


def _rows(queryset: Any, numerator: str, denominator: str | None = None) -> list[TallyRow]:
    out = []
    for row in queryset:
        den = row[denominator] if denominator else 0
        out.append((row["area"], row["month"], row[numerator] or 0, den or 0))
    return out


def _counted(queryset: Any, municipality: str, moment: str, **extra: Any) -> Any:
    return (
        queryset.filter(**{f"{municipality}__isnull": False})
        .annotate(area=F(municipality), month=_month(moment))
        .values("area", "month")
        .order_by()
        .annotate(**extra)
    )


def _midnight(day: date) -> datetime:
    """The moment a day begins in Amsterdam."""
    return datetime.combine(day, time(0), tzinfo=timezone.get_current_timezone())


def _since(first: date) -> datetime:
    return _midnight(date(first.year, first.month, 1))


# ---- involvement index -------------------------------------------------------------


def signals(first: date, today: date) -> list[TallyRow]:
    """Signals registered, by the youth's municipality and the month of registration."""
    qs = Signal.objects.filter(registered_at__gte=_since(first))
    return _rows(_counted(qs, "municipality_id", "registered_at", n=Count("pk")), "n")


def _match_municipality() -> Subquery:
    """A match belongs to the municipality of the youth of its first member."""
    first = MatchMember.objects.filter(match=OuterRef("pk")).order_by("joined_at", "pk")
    return Subquery(first.values("signal__municipality_id")[:1])


def _matches(first: date) -> Any:
    return Match.objects.filter(created_at__gte=_since(first)).annotate(home=_match_municipality())


def client_matches(first: date, today: date) -> list[TallyRow]:
    qs = _matches(first).filter(kind=Match.Kind.CLIENT)
    return _rows(_counted(qs, "home", "created_at", n=Count("pk")), "n")


def family_matches(first: date, today: date) -> list[TallyRow]:
    qs = _matches(first).filter(kind=Match.Kind.FAMILY)
    return _rows(_counted(qs, "home", "created_at", n=Count("pk")), "n")


def coordinator_on_time(first: date, today: date) -> list[TallyRow]:
    """Matches found in the month whose deadline has passed (the denominator), and of
    those the ones where a coordinator was agreed and contact confirmed in time."""
    deadline = timedelta(days=escalation_days())
    due = _midnight(today) - deadline
    qs = _matches(first).filter(created_at__lte=due)
    on_time = Q(coordinator__isnull=False, in_touch_at__lte=F("created_at") + deadline)
    return _rows(
        _counted(qs, "home", "created_at", due=Count("pk"), met=Count("pk", filter=on_time)),
        "met",
        "due",
    )


def escalations(first: date, today: date) -> list[TallyRow]:
    """Matches escalated to the municipal coordinator, by the month of escalation."""
    qs = Match.objects.filter(escalated_at__gte=_since(first)).annotate(home=_match_municipality())
    return _rows(_counted(qs, "home", "escalated_at", n=Count("pk")), "n")


# ---- family plans ------------------------------------------------------------------


def _plans(first: date) -> Any:
    return Plan.objects.filter(created_at__gte=_since(first))


def plans_started(first: date, today: date) -> list[TallyRow]:
    qs = _plans(first)
    return _rows(_counted(qs, "family__municipality_id", "created_at", n=Count("pk")), "n")


def days_to_plan(first: date, today: date) -> list[TallyRow]:
    """A distribution: for each plan started, the whole days from the first signal
    about the youth in the index (or the family's first contact, when earlier or when
    there is none) to the plan."""
    first_signal: Any = (
        Signal.objects.filter(youth_pseudonym=OuterRef("youth__bsn_pseudonym"))
        .order_by()
        .values("youth_pseudonym")
        .annotate(at=Min("registered_at"))
    )
    qs = (
        _plans(first)
        .annotate(
            started_from=Least(
                Coalesce(Subquery(first_signal.values("at")[:1]), F("family__created_at")),
                F("family__created_at"),
            )
        )
        .annotate(days=DaysBetween(F("created_at"), F("started_from")))
    )
    rows = (
        qs.filter(family__municipality_id__isnull=False)
        .annotate(area=F("family__municipality_id"), month=_month("created_at"))
        .values("area", "month", "days")
        .order_by()
        .annotate(n=Count("pk"))
    )
    return [(r["area"], r["month"], max(r["days"], 0), r["n"]) for r in rows]


def family_coordinator(first: date, today: date) -> list[TallyRow]:
    """Plans started, and of those the ones whose coordinator is a parent or the youth."""
    household = Person.objects.filter(
        family=OuterRef("family"),
        user=OuterRef("coordinator"),
        role__in=(Person.Role.PARENT, Person.Role.YOUTH),
    )
    qs = _plans(first).annotate(by_family=Exists(household))
    return _rows(
        _counted(
            qs,
            "family__municipality_id",
            "created_at",
            n=Count("pk"),
            met=Count("pk", filter=Q(by_family=True)),
        ),
        "met",
        "n",
    )


CONCLUDED = (
    Goal.Status.REACHED,
    Goal.Status.PARTLY,
    Goal.Status.NOT_REACHED,
    Goal.Status.STOPPED,
)


def goals_reached(first: date, today: date) -> list[TallyRow]:
    """Goals concluded in the month (by their last change), and of those the reached."""
    qs = Goal.objects.filter(status__in=CONCLUDED, updated_at__gte=_since(first))
    return _rows(
        _counted(
            qs,
            "plan__family__municipality_id",
            "updated_at",
            n=Count("pk"),
            met=Count("pk", filter=Q(status=Goal.Status.REACHED)),
        ),
        "met",
        "n",
    )


def _jim(**link: Any) -> Exists:
    return Exists(
        CareTeamMember.objects.filter(
            person__role=Person.Role.JIM,
            status__in=(CareTeamMember.Status.ACTIVE, CareTeamMember.Status.LEFT),
            **link,
        )
    )


def with_jim(first: date, today: date) -> list[TallyRow]:
    """Plans started, and of those the ones whose youth chose a JIM into the team."""
    qs = _plans(first).annotate(jim=_jim(plan=OuterRef("pk")))
    return _rows(
        _counted(
            qs,
            "family__municipality_id",
            "created_at",
            n=Count("pk"),
            met=Count("pk", filter=Q(jim=True)),
        ),
        "met",
        "n",
    )


def _shift(rows: Iterable[TallyRow], years: int, months: int = 0) -> list[TallyRow]:
    """Rows grouped by the month of birth, moved to the month of a birthday."""
    out = []
    for municipality, month, a, b in rows:
        index = (month.year + years) * 12 + month.month - 1 + months
        out.append((municipality, date(index // 12, index % 12 + 1, 1), a, b))
    return out


def _born(first: date, today: date, years: int, months: int = 0) -> tuple[date, date]:
    """The dates of birth whose birthday (``years`` and ``months`` later) falls from
    ``first``'s month up to today."""

    def back(day: date) -> date:
        year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
        last = calendar.monthrange(year, month + 1)[1]
        return add_years(date(year, month + 1, min(day.day, last)), -years)

    return back(date(first.year, first.month, 1)), back(today)


def transition_complete(first: date, today: date) -> list[TallyRow]:
    """Plans whose youth turned 18 in the month, and of those the ones where every topic
    of the transition checklist was arranged (or not needed)."""
    settled = (
        TransitionItem.objects.filter(plan=OuterRef("pk"))
        .exclude(status=TransitionItem.Status.TODO)
        .order_by()
        .values("plan")
        .annotate(n=Count("pk"))
        .values("n")
    )
    born_from, born_to = _born(first, today, ADULT_FROM)
    qs = Plan.objects.filter(
        youth__date_of_birth__gte=born_from, youth__date_of_birth__lte=born_to
    ).annotate(settled=Coalesce(Subquery(settled[:1]), 0))
    rows = _counted(
        qs,
        "family__municipality_id",
        "youth__date_of_birth",
        n=Count("pk"),
        met=Count("pk", filter=Q(settled__gte=len(TransitionTopic.choices))),
    )
    return _shift(_rows(rows, "met", "n"), ADULT_FROM)


def continuity_after_18(first: date, today: date) -> list[TallyRow]:
    """Plans whose youth turned 18½ in the month, and of those the ones where a JIM, or
    the care team of a plan still open, was there on that day."""
    birth = AsMoment(F("plan__youth__date_of_birth"))

    members = CareTeamMember.objects.filter(plan=OuterRef("pk")).annotate(
        joined=DaysBetween(F("created_at"), birth),
        gone=DaysBetween(F("left_at"), birth),
        closed=DaysBetween(F("plan__closed_at"), birth),
    )
    members = members.filter(joined__lte=DAYS_TO_18_AND_A_HALF).filter(
        Q(status=CareTeamMember.Status.ACTIVE, left_at__isnull=True)
        | Q(gone__gte=DAYS_TO_18_AND_A_HALF)
    )
    jim = members.filter(person__role=Person.Role.JIM)
    team = members.filter(kind=CareTeamMember.Kind.PROFESSIONAL).filter(
        Q(plan__closed_at__isnull=True) | Q(closed__gte=DAYS_TO_18_AND_A_HALF)
    )
    born_from, born_to = _born(first, today, ADULT_FROM, 6)
    # The birthday must have passed half a year ago by today: the last month only counts
    # youths born up to today's date.
    qs = Plan.objects.filter(
        youth__date_of_birth__gte=born_from, youth__date_of_birth__lte=born_to
    ).annotate(stayed=Exists(jim) | Exists(team))
    rows = _counted(
        qs,
        "family__municipality_id",
        "youth__date_of_birth",
        n=Count("pk"),
        met=Count("pk", filter=Q(stayed=True)),
    )
    return _shift(_rows(rows, "met", "n"), ADULT_FROM, 6)


# ---- social map (snapshots) --------------------------------------------------------


def _service_rows(
    queryset: Any, value: str | None, *, count: str = "service", **extra: Any
) -> list[SnapshotRow]:
    """Per municipality, region and country, overall and per theme: distinct services."""
    out: list[SnapshotRow] = []
    levels = (
        ("municipality", "municipality_id"),
        ("region", "municipality__region_id"),
        ("country", None),
    )
    for kind, area in levels:
        for theme in (None, "service__themes__code"):
            keys = [k for k in (area, theme, value) if k]
            counted = {"n": Count(count, distinct=True), **extra}
            if keys:
                rows = queryset.values(*keys).order_by().annotate(**counted)
            else:
                rows = [queryset.aggregate(**counted)]
            for row in rows:
                if theme and row[theme] is None:
                    continue
                out.append(
                    (
                        kind,
                        row[area] if area else 0,
                        row[theme] if theme else "",
                        row[value] if value else row["stale"],
                        row["n"],
                    )
                )
    return out


def _serving() -> Any:
    return ServiceArea.objects.filter(service__status=Service.Status.ACTIVE)


def waiting_weeks(today: date) -> list[SnapshotRow]:
    """A distribution of the active services' waiting times (weeks), per area and theme."""
    return _service_rows(
        _serving().filter(service__wait_weeks__isnull=False), "service__wait_weeks"
    )


def stale_waits(today: date) -> list[SnapshotRow]:
    """Active services (the denominator) and those whose waiting time nobody confirmed
    in the last 30 days (the numerator)."""
    stale = Q(service__wait_confirmed_on__isnull=True) | Q(
        service__wait_confirmed_on__lt=today - WAIT_STALE_AFTER
    )
    return _service_rows(_serving(), None, stale=Count("service", distinct=True, filter=stale))


# ---- crisis lines (snapshots) ------------------------------------------------------


def _crisis_municipalities() -> list[Municipality]:
    """The municipalities of the regions that have a crisis line on Rits."""
    regions = set(CrisisLine.objects.values_list("region_id", flat=True))
    regions |= set(
        CrisisLine.objects.filter(municipality__isnull=False).values_list(
            "municipality__region_id", flat=True
        )
    )
    return list(Municipality.objects.filter(region_id__in=regions))


def _coverage(today: date) -> tuple[list[Municipality], dict[int, Any], dict[int, Any]]:
    municipalities = _crisis_municipalities()
    week = reachability.crisis_coverage(municipalities, reachability.week_of(today))
    holidays = reachability.crisis_coverage(
        municipalities, reachability.public_holidays_in(today.year)
    )
    return municipalities, week, holidays


def crisis_hours(today: date) -> list[SnapshotRow]:
    """Hours of this week a crisis line answers: per municipality, and for a region or
    the country those of its municipality with the fewest (any gap is a red flag)."""
    municipalities, week, _holidays = _coverage(today)
    out: list[SnapshotRow] = []
    lowest: dict[int, int] = {}
    for m in municipalities:
        hours = int(week[m.pk].reachable_hours)
        out.append(("municipality", m.pk, "", hours, int(week[m.pk].total_hours)))
        lowest[m.region_id] = min(lowest.get(m.region_id, hours), hours)
    out += [("region", region, "", hours, 0) for region, hours in lowest.items()]
    if lowest:
        out.append(("country", 0, "", min(lowest.values()), 0))
    return out


def crisis_complete(today: date) -> list[SnapshotRow]:
    """Municipalities (the denominator) and those where a crisis line answers every hour
    of this week and of every public holiday of the year (the numerator)."""
    municipalities, week, holidays = _coverage(today)
    out: list[SnapshotRow] = []
    regions: dict[int, list[int]] = {}
    for m in municipalities:
        ok = int(week[m.pk].complete and holidays[m.pk].complete)
        out.append(("municipality", m.pk, "", ok, 1))
        regions.setdefault(m.region_id, []).append(ok)
    out += [("region", r, "", sum(v), len(v)) for r, v in regions.items()]
    if regions:
        every = [v for vs in regions.values() for v in vs]
        out.append(("country", 0, "", sum(every), len(every)))
    return out
