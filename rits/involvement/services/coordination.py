"""After a match: agreeing who coordinates (regievoerder), confirming contact, and
notifying the municipal coordinator when that has not happened in time."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from rits.accounts.models import User
from rits.accounts.notifications import notify
from rits.audit.services import record
from rits.involvement.models import Match, Signal
from rits.involvement.services.validation import Purpose, Role


def escalation_days() -> int:
    """Days a match may stay without agreement before the municipal coordinator is told."""
    return int(getattr(settings, "RITS_INVOLVEMENT_ESCALATION_DAYS", 14))


# --- Coordination ------------------------------------------------------------------


@transaction.atomic
def agree_coordinator(match: Match, coordinator: Signal, *, actor: User) -> Match:
    """Record who coordinates (regievoerder): one of the professionals in the match."""
    if coordinator.pk not in set(m.signal_id for m in match.active_members()):
        raise ValidationError({"coordinator": [_("Choose one of the professionals involved.")]})
    match.coordinator = coordinator
    match.save(update_fields=["coordinator"])
    _settle_if_ready(match)
    record(
        actor,
        "involvement.coordinator_agreed",
        match,
        subject=match.key,
        purpose=Purpose.COORDINATION,
        data={"coordinator_signal": coordinator.pk},
    )
    return match


@transaction.atomic
def confirm_in_touch(match: Match, *, actor: User) -> Match:
    """The professionals have been in touch with each other."""
    match.in_touch_at = timezone.now()
    match.in_touch_by = actor
    match.save(update_fields=["in_touch_at", "in_touch_by"])
    _settle_if_ready(match)
    record(
        actor,
        "involvement.in_touch_confirmed",
        match,
        subject=match.key,
        purpose=Purpose.COORDINATION,
    )
    return match


def _settle_if_ready(match: Match) -> None:
    if match.coordinator_id and match.in_touch_at and match.status == Match.Status.OPEN:
        match.status = Match.Status.SETTLED
        match.save(update_fields=["status"])


def municipal_coordinators(municipality_ids: Iterable[int]) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            memberships__active=True,
            memberships__role=Role.MUNICIPAL_COORDINATOR,
            memberships__organisation__municipality_id__in=list(municipality_ids),
        ).distinct()
    )


def escalate_unresolved(*, now: datetime) -> int:
    """Tell the municipal coordinator of each youth's municipality about matches that
    have waited too long for an agreement. Each match is escalated once per period."""
    cutoff = now - timedelta(days=escalation_days())
    waiting = Match.objects.filter(
        status=Match.Status.OPEN, escalated_at__isnull=True, awaiting_since__lte=cutoff
    ).order_by("pk")
    count = 0
    for match in waiting:
        with transaction.atomic():
            municipalities = set(
                match.active_members().values_list("signal__municipality_id", flat=True)
            )
            url = reverse("involvement:match", args=[match.pk])
            for user in municipal_coordinators(municipalities):
                with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
                    notify(
                        user,
                        kind="involvement.escalation",
                        title=pgettext("involvement", "Match %(ref)s has no agreed coordinator yet")
                        % {"ref": match},
                        body=pgettext(
                            "involvement",
                            "The professionals in this match have not yet agreed who "
                            "coordinates or confirmed that they have been in touch.",
                        ),
                        url=url,
                    )
            match.escalated_at = now
            match.save(update_fields=["escalated_at"])
            record(
                None,
                "involvement.match_escalated",
                match,
                subject=match.key,
                purpose=Purpose.COORDINATION,
                data={"municipalities": sorted(municipalities)},
            )
            count += 1
    return count


@transaction.atomic
def start_plan_from_match(match: Match, *, actor: User, **details: Any) -> Any:
    """A professional in the match starts the family plan, with the family's consent.

    The plan starts through ``family_plans.services.start_plan``, as every plan does,
    with the youth's pseudonym of the starter's own signal in the match (a family match
    is about siblings: each professional's own youth); the BSN is not asked again. The
    match records that a plan was started, in the same transaction.
    """
    from rits.family_plans import services as plans

    signal = (
        Signal.objects.filter(
            pk__in=match.members.values("signal_id"),
            reporter=actor,
            status=Signal.Status.ACTIVE,
        )
        .select_related("municipality")
        .first()
    )
    if signal is None:
        raise plans.PlanError(_("Only a professional in this match can start a plan from it."))
    plan = plans.start_plan(
        actor=actor,
        youth_pseudonym=signal.youth_pseudonym,
        municipality=signal.municipality,
        **details,
    )
    record(
        actor,
        "involvement.plan_started_from_match",
        match,
        subject=signal.youth_pseudonym,
        purpose=Purpose.COORDINATION,
        data={"plan": plan.pk, "signal": signal.pk},
    )
    return plan
