"""The weekly digest: each member who has not turned it off gets one message a week with
the progress updates of their networks from the week before. Idempotent: a member's
digest for a week is recorded (``DigestSent``) in the transaction that sends it, so a
second run in the same week sends nothing."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rits.accounts.notifications import Message, notify_many
from rits.audit.services import record
from rits.knowledge.models import DigestSent, Member, ProgressUpdate

MAX_ITEMS = 20


def week_of(day: date) -> date:
    """The Monday of the week ``day`` lies in."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class DigestRun:
    week: date
    sent: int
    skipped: int


def send_digests(*, now: datetime | None = None) -> DigestRun:
    """Send this week's digests: the updates of the seven days before this Monday."""
    now = now or timezone.now()
    week = week_of(timezone.localdate(now))
    end = timezone.make_aware(datetime.combine(week, datetime.min.time()))
    start = end - timedelta(days=7)
    members = list(
        Member.objects.filter(active=True, digest=True, network__updates__posted_at__gte=start)
        .exclude(digests__week=week)
        .select_related("user", "network")
        .distinct()
    )
    networks = {m.network_id for m in members}
    updates: dict[int, list[ProgressUpdate]] = defaultdict(list)
    for update in (
        ProgressUpdate.objects.filter(
            network_id__in=networks, posted_at__gte=start, posted_at__lt=end
        )
        .select_related("organisation")
        .order_by("-posted_at", "-pk")
    ):
        if len(updates[update.network_id]) < MAX_ITEMS:
            updates[update.network_id].append(update)
    sent = skipped = 0
    for member in members:
        items = updates.get(member.network_id, [])
        if not items:
            skipped += 1
            continue
        try:
            with transaction.atomic():
                DigestSent.objects.create(member=member, week=week)
                lines = [
                    f"- {u.organisation.name}: {' '.join(u.working_on.split())[:200]}"
                    for u in items
                ]
                notify_many(
                    [
                        Message(
                            user_id=member.user_id,
                            email=member.user.email,
                            kind="knowledge.digest",
                            title=_("This week in %(network)s") % {"network": member.network.name},
                            body="\n".join(
                                [
                                    _("What the partners are working on:"),
                                    *lines,
                                    "",
                                    _(
                                        "You get this message once a week. "
                                        "Turn it off on the network's page."
                                    ),
                                ]
                            ),
                            url=reverse("knowledge:network", args=[member.network_id]),
                        )
                    ]
                )
                record(
                    None,
                    "knowledge.digest_sent",
                    member,
                    data={"week": week.isoformat(), "updates": len(items)},
                )
        except IntegrityError:
            skipped += 1  # another run sent it at the same moment
            continue
        sent += 1
    return DigestRun(week, sent, skipped)
