"""What needs attention on the social map: an editor's own entries on one page, and
the region's review queue for the functional admin, oldest first.

An entry needs attention when it was last checked longer ago than the review rhythm
(stale), when its waiting time is out of date, when someone reported its number, when
two sources disagree on its number, or when it has a closure that does not say where to
go instead. Each reason carries the moment it began, which orders the queue.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from rits.directory.models import (
    WAIT_STALE_AFTER,
    Closure,
    CrisisLine,
    Provider,
    Report,
    Service,
    admin_regions,
    stale_before,
)
from rits.directory.reachability import AMSTERDAM

if TYPE_CHECKING:
    from rits.accounts.models import User

#: The queue shows the oldest this many entries; the rest follow as these are done.
QUEUE_SIZE = 50


@dataclass(frozen=True)
class Reason:
    code: str  # stale, wait_stale, reported, conflict, closure
    since: datetime
    text: str
    report: Report | None = None


@dataclass
class Item:
    """One entry with why it needs attention (``reasons`` empty: all well)."""

    entry: Service | CrisisLine
    reasons: list[Reason] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return "service" if isinstance(self.entry, Service) else "crisis_line"

    @property
    def since(self) -> datetime:
        return min(r.since for r in self.reasons)


def _day(value: date) -> datetime:
    return datetime.combine(value, time(0), tzinfo=AMSTERDAM)


def reasons_for(entry: Service | CrisisLine, now: datetime) -> list[Reason]:
    """Why this entry needs attention; reads the prefetched ``open_reports`` and
    ``open_closures``."""
    found = []
    due = stale_before(now)
    if entry.checked_at < due:
        found.append(
            Reason(
                "stale",
                entry.checked_at + (now - due),
                _("Not confirmed since %(day)s.")
                % {"day": timezone.localtime(entry.checked_at).strftime("%d-%m-%Y")},
            )
        )
    if isinstance(entry, Service) and entry.wait_weeks is not None:
        confirmed = entry.wait_confirmed_on
        if confirmed is None or timezone.localdate(now) - confirmed > WAIT_STALE_AFTER:
            found.append(
                Reason(
                    "wait_stale",
                    _day(confirmed + WAIT_STALE_AFTER) if confirmed else entry.checked_at,
                    _("Is the waiting time of %(weeks)s weeks still right?")
                    % {"weeks": entry.wait_weeks},
                )
            )
    for report in getattr(entry, "open_reports", []):
        if report.kind == Report.Kind.CONFLICT:
            text = _("Two numbers for the same line: %(a)s (here) and %(b)s (%(source)s).") % {
                "a": report.number,
                "b": report.suggested,
                "source": report.source or _("another source"),
            }
        else:
            text = _("Reported as wrong: %(number)s.") % {"number": report.number or "–"}  # noqa: RUF001
            if report.suggested:
                text += " " + _("Suggested: %(number)s.") % {"number": report.suggested}
        code = "conflict" if report.kind == Report.Kind.CONFLICT else "reported"
        found.append(Reason(code, report.created_at, text, report))
    for closure in getattr(entry, "open_closures", []):
        found.append(
            Reason(
                "closure",
                _day(closure.starts_on) - timedelta(days=14),
                _("Closed %(start)s to %(end)s without saying where to go instead.")
                % {
                    "start": closure.starts_on.strftime("%d-%m-%Y"),
                    "end": closure.ends_on.strftime("%d-%m-%Y"),
                },
            )
        )
    return found


def _open_reports() -> Any:
    return Prefetch(
        "reports",
        queryset=Report.objects.filter(resolved_at__isnull=True).order_by("created_at"),
        to_attr="open_reports",
    )


def _open_closures(today: date) -> Any:
    return Prefetch(
        "closures",
        queryset=Closure.objects.filter(alternative="", ends_on__gte=today),
        to_attr="open_closures",
    )


def editor_entries(user: User, now: datetime | None = None) -> list[Item]:
    """All the entries this editor keeps (services of their providers and their crisis
    lines), those needing attention first."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    services = (
        Service.objects.filter(provider__in=Provider.objects.editable_by(user).values("pk"))
        .select_related("provider", "confirmed_by")
        .prefetch_related(_open_reports(), _open_closures(today), "phones")
        .order_by("provider__name", "name")
    )
    lines = (
        CrisisLine.objects.editable_by(user)
        .select_related("municipality", "confirmed_by")
        .prefetch_related(_open_reports(), _open_closures(today))
    )
    items = [Item(e, reasons_for(e, now)) for e in [*lines, *services]]
    return sorted(items, key=lambda i: (not i.reasons, i.since if i.reasons else now))


def queue(
    region_ids: Iterable[int], now: datetime | None = None, *, limit: int = QUEUE_SIZE
) -> list[Item]:
    """What needs attention in these regions, oldest first, at most ``limit`` entries.

    Steps: per reason, the oldest ``limit`` candidates with the moment the reason began,
    read by an indexed column (last checked; waiting time date; report date; closure
    start); keep the ``limit`` entries whose first reason began earliest; only those are
    loaded, with their reports and closures, and described."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    ids = list(region_ids)
    # The region's providers by id first: one small query, and every query below is a
    # plain IN on an indexed column instead of an OR across two joins.
    providers = list(
        Provider.objects.filter(
            Q(organisation__region_id__in=ids)
            | Q(organisation__isnull=True, municipality__region_id__in=ids)
        ).values_list("pk", flat=True)
    )
    in_region = Q(provider_id__in=providers)
    due = stale_before(now)
    late = now - due  # how long after its last check an entry falls due
    services: dict[int, datetime] = {}
    lines: dict[int, datetime] = {}

    def note(found: dict[int, datetime], pk: int, since: datetime) -> None:
        if pk not in found or since < found[pk]:
            found[pk] = since

    for pk, checked in (
        Service.objects.filter(in_region, checked_at__lt=due)
        .order_by("checked_at")
        .values_list("pk", "checked_at")[:limit]
    ):
        note(services, pk, checked + late)
    for pk, confirmed, checked in (
        Service.objects.filter(in_region, wait_weeks__isnull=False)
        .filter(
            Q(wait_confirmed_on__isnull=True) | Q(wait_confirmed_on__lt=today - WAIT_STALE_AFTER)
        )
        .order_by("wait_confirmed_on")
        .values_list("pk", "wait_confirmed_on", "checked_at")[:limit]
    ):
        note(services, pk, _day(confirmed + WAIT_STALE_AFTER) if confirmed else checked)
    open_reports = Report.objects.filter(resolved_at__isnull=True).order_by("created_at")
    for pk, created in open_reports.filter(service__provider_id__in=providers).values_list(
        "service_id", "created_at"
    )[:limit]:
        note(services, pk, created)
    for pk, created in open_reports.filter(crisis_line__region_id__in=ids).values_list(
        "crisis_line_id", "created_at"
    )[:limit]:
        note(lines, pk, created)
    flagged = Closure.objects.filter(alternative="", ends_on__gte=today).order_by("starts_on")
    for pk, starts in flagged.filter(service__provider_id__in=providers).values_list(
        "service_id", "starts_on"
    )[:limit]:
        note(services, pk, _day(starts) - timedelta(days=14))
    for pk, starts in flagged.filter(crisis_line__region_id__in=ids).values_list(
        "crisis_line_id", "starts_on"
    )[:limit]:
        note(lines, pk, _day(starts) - timedelta(days=14))
    for pk, checked in CrisisLine.objects.filter(region_id__in=ids, checked_at__lt=due).values_list(
        "pk", "checked_at"
    )[:limit]:
        note(lines, pk, checked + late)
    first = sorted(
        [(since, "s", pk) for pk, since in services.items()]
        + [(since, "l", pk) for pk, since in lines.items()]
    )[:limit]
    entries: list[Service | CrisisLine] = [
        *CrisisLine.objects.filter(pk__in=[pk for _s, k, pk in first if k == "l"])
        .select_related("municipality", "confirmed_by", "organisation")
        .prefetch_related(_open_reports(), _open_closures(today)),
        *Service.objects.filter(pk__in=[pk for _s, k, pk in first if k == "s"])
        .select_related("provider", "confirmed_by")
        .prefetch_related(_open_reports(), _open_closures(today)),
    ]
    items = [Item(e, reasons) for e in entries if (reasons := reasons_for(e, now))]
    items.sort(key=lambda i: i.since)
    return items


def queue_regions(user: User) -> list[int]:
    """The regions whose queue this user sees (functional admin), empty for anyone else."""
    return list(admin_regions(user).values_list("pk", flat=True))
