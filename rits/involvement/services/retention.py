"""Ending signals (withdrawal, expiry, age 23), the archive, and the daily job that
purges it after five years."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rits.accounts.models import User
from rits.audit.services import record
from rits.involvement.models import ARCHIVE_YEARS, Match, MatchMember, Signal
from rits.involvement.services.coordination import escalate_unresolved
from rits.involvement.services.validation import Purpose
from rits.lib.ages import add_years

# --- Ending, archive, purge ----------------------------------------------------------


def _end(signal: Signal, status: str, *, now: datetime) -> list[Match]:
    """Move the signal to the archive and close matches that no longer join two parties."""
    signal.status = status
    signal.ended_at = now
    signal.save(update_fields=["status", "ended_at"])
    closed = []
    for match in Match.objects.filter(
        members__signal=signal, status__in=[Match.Status.OPEN, Match.Status.SETTLED]
    ):
        active = list(
            match.active_members().values_list("signal__youth_pseudonym", "signal__reporter_id")
        )
        parties = {r for _y, r in active}
        youths = {y for y, _r in active}
        if len(parties) < 2 or (match.kind == Match.Kind.FAMILY and len(youths) < 2):
            match.status = Match.Status.CLOSED
            match.closed_at = now
            match.save(update_fields=["status", "closed_at"])
            record(
                None,
                "involvement.match_closed",
                match,
                subject=match.key,
                purpose=Purpose.COORDINATION,
            )
            closed.append(match)
        elif match.coordinator_id == signal.pk:
            match.coordinator = None
            match.status = Match.Status.OPEN
            match.awaiting_since = now
            match.save(update_fields=["coordinator", "status", "awaiting_since"])
    return closed


@transaction.atomic
def withdraw_signal(signal: Signal, *, actor: User) -> Signal:
    """The reporter is no longer involved."""
    if not signal.is_active:
        raise ValidationError(_("This registration has already ended."))
    _end(signal, Signal.Status.WITHDRAWN, now=timezone.now())
    record(
        actor,
        "involvement.signal_withdrawn",
        signal,
        subject=signal.youth_pseudonym,
        purpose=Purpose.COORDINATION,
    )
    return signal


@dataclass
class DailyReport:
    expired: int = 0
    aged_out: int = 0
    purged: int = 0
    matches_closed: int = 0
    escalated: int = 0

    def __str__(self) -> str:
        return (
            f"expired={self.expired} aged_out={self.aged_out} purged={self.purged} "
            f"matches_closed={self.matches_closed} escalated={self.escalated}"
        )


def run_daily(*, now: datetime | None = None) -> DailyReport:
    """The daily housekeeping; safe to run again the same day (it then does nothing).

    Steps: end signals past their end date (expired, or aged out at 23); purge
    signals ended more than five years ago; notify municipal coordinators of
    matches left without agreement for too long.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    report = DailyReport()
    due = Signal.objects.active().filter(ends_on__lte=today).order_by("pk")
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            signal = Signal.objects.select_for_update().filter(pk=pk, status="active").first()
            if signal is None:
                continue
            aged_out = signal.ends_on >= signal.age_limit_on
            status = Signal.Status.AGED_OUT if aged_out else Signal.Status.EXPIRED
            report.matches_closed += len(_end(signal, status, now=now))
            record(
                None,
                "involvement.signal_ended",
                signal,
                subject=signal.youth_pseudonym,
                purpose=Purpose.ADMINISTRATION,
                data={"status": status},
            )
            if aged_out:
                report.aged_out += 1
            else:
                report.expired += 1
    report.purged = purge_archive(now=now)
    report.escalated = escalate_unresolved(now=now)
    return report


def purge_cutoff(now: datetime) -> datetime:
    today = timezone.localdate(now)
    day = add_years(today, -ARCHIVE_YEARS)
    return datetime.combine(day, datetime.min.time(), tzinfo=timezone.get_current_timezone())


@transaction.atomic
def purge_archive(*, now: datetime) -> int:
    """Delete signals that ended more than five years ago, and matches left empty."""
    old = Signal.objects.archived().filter(ended_at__lt=purge_cutoff(now))
    ids = list(old.values_list("pk", flat=True))
    if not ids:
        return 0
    match_ids = set(
        MatchMember.objects.filter(signal_id__in=ids).values_list("match_id", flat=True)
    )
    Match.objects.filter(coordinator_id__in=ids).update(coordinator=None)
    for start in range(0, len(ids), 500):
        Signal.objects.filter(pk__in=ids[start : start + 500]).delete()
    Match.objects.filter(pk__in=match_ids, members__isnull=True).delete()
    record(
        None,
        "involvement.archive_purged",
        purpose=Purpose.ADMINISTRATION,
        data={"signals": len(ids), "first_id": ids[0], "last_id": ids[-1]},
    )
    return len(ids)
