"""Emergency access ("break the glass"): asked, granted for a few hours, reported, ended."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rits.accounts.models import Membership, User
from rits.audit.models import Entry
from rits.audit.services import record
from rits.family_plans.models import (
    EmergencyAccess,
    Plan,
)
from rits.family_plans.services.errors import PlanError
from rits.family_plans.services.notices import household_accounts, tell_many

EMERGENCY_HOURS = 4


class EmergencyRefused(PlanError):
    """No emergency access to this plan number: answered the same way whether the plan
    exists or not (see ``permissions.plan_for_emergency``)."""


def break_glass(plan_id: int, *, actor: User, reason: str, reason_class: str) -> EmergencyAccess:
    """Emergency access for a professional, with a reason, for EMERGENCY_HOURS.

    Steps: the request itself is checked (role, reason, reason class) before any plan is
    looked up; then the plan is granted or refused, and a refusal is audited in its own
    transaction with the same shape whether the plan exists or not. On a grant the
    privacy officers and the family are told at once; the family also sees it in their
    access log.
    """
    from rits.family_plans.permissions import (
        break_glass_membership,
        may_break_glass,
        plan_for_emergency,
    )

    if not may_break_glass(actor):
        raise PlanError(_("Only professionals can use emergency access."))
    if len(reason.strip()) < 20:
        raise PlanError(_("Describe the emergency in at least 20 characters."))
    if reason_class not in EmergencyAccess.ReasonClass.values:
        raise PlanError(_("Choose what kind of emergency this is."))
    with transaction.atomic():
        found = plan_for_emergency(actor, plan_id, reason_class)
        if found is not None:
            return _grant_emergency(*found, actor=actor, reason=reason, reason_class=reason_class)
        membership = break_glass_membership(actor)
        record(
            actor,
            "family_plans.emergency_access_refused",
            object_type="family_plans.plan",
            object_id=str(plan_id),
            outcome=Entry.Outcome.DENIED,
            purpose=Entry.Purpose.EMERGENCY,
            organisation=membership.organisation.name if membership else "",
            role=membership.role if membership else "",
            on_behalf_of=membership.organisation.name if membership else "",
            data={"reason_class": reason_class, "reason": reason},
        )
    raise EmergencyRefused(
        _(
            "You cannot open a plan with this number in an emergency. Check the number, "
            "or ask the plan's coordinator."
        )
    )


def _grant_emergency(
    plan: Plan, membership: Membership, *, actor: User, reason: str, reason_class: str
) -> EmergencyAccess:
    grant = EmergencyAccess.objects.create(
        plan=plan,
        user=actor,
        organisation=membership.organisation,
        reason_class=reason_class,
        reason=reason,
        expires_at=timezone.now() + timedelta(hours=EMERGENCY_HOURS),
    )
    officers = User.objects.filter(
        memberships__role=Membership.Role.PRIVACY_OFFICER, memberships__active=True, is_active=True
    ).distinct()
    kind_label = grant.get_reason_class_display()
    tell_many(
        officers,
        kind="family_plans.emergency_access",
        title=_("Emergency access used by %(name)s") % {"name": actor.full_name},
        body=f"{kind_label}: {reason}",
        url=reverse("family_plans:emergency_overview"),
    )
    tell_many(
        household_accounts(plan),
        kind="family_plans.emergency_access",
        title=_("%(name)s used emergency access to your plan") % {"name": actor.full_name},
        body=_("Reason: %(reason)s") % {"reason": f"{kind_label}: {reason}"},
        url=reverse("family_plans:access_log", args=[plan.pk]),
    )
    record(
        actor,
        "family_plans.emergency_access_started",
        plan,
        subject=plan.youth.reference,
        purpose=Entry.Purpose.EMERGENCY,
        organisation=membership.organisation.name,
        role=membership.role,
        on_behalf_of=membership.organisation.name,
        data={
            "reason_class": reason_class,
            "reason": reason,
            "expires_at": grant.expires_at.isoformat(),
        },
    )
    return grant


@transaction.atomic
def end_emergency_access(grant: EmergencyAccess, *, actor: User) -> None:
    """The professional ends their emergency access before the time is up."""
    if grant.user_id != actor.pk or grant.ended_at is not None:
        raise PlanError(_("This emergency access is not yours or has already ended."))
    grant.ended_at = timezone.now()
    grant.save(update_fields=["ended_at"])
    plan = grant.plan
    organisation = grant.organisation.name if grant.organisation is not None else ""
    record(
        actor,
        "family_plans.emergency_access_ended",
        plan,
        subject=plan.youth.reference,
        purpose=Entry.Purpose.EMERGENCY,
        organisation=organisation,
        role=Membership.Role.PROFESSIONAL,
        on_behalf_of=organisation,
        data={"grant": grant.pk},
    )
