"""Starting a plan (by a professional or by the family itself) and closing it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from rits.accounts.models import User
from rits.family_plans import rules
from rits.family_plans.models import (
    CareTeamMember,
    Consent,
    Family,
    Goal,
    Person,
    Plan,
    Relationship,
)
from rits.family_plans.services.audit import audit, renew_content
from rits.family_plans.services.errors import PlanError
from rits.family_plans.services.team import primary_organisation
from rits.lib import ages
from rits.lib.pseudonyms import InvalidBSN, pseudonymise_bsn


@transaction.atomic
def start_plan(
    *,
    actor: User,
    family_name: str,
    youth_name: str,
    youth_birth: date,
    parent_names: list[str],
    youth_bsn: str = "",
    youth_pseudonym: str = "",
    municipality: Any = None,
    consent_in_person: bool,
) -> Plan:
    """Start a family and its plan at an intake with the family present.

    Steps: check the starter is a professional; pseudonymise the BSN (or take the
    youth's pseudonym as the involvement index holds it, when started from a match);
    refuse when that youth already has an active plan (decided on the pseudonym, not
    the names typed); create family, persons and plan; add the starter to the care team
    with the consent the family gave in person (required under the age rules), so they
    can invite the family in.
    """
    organisation = primary_organisation(actor)
    if actor.kind != User.Kind.PROFESSIONAL or organisation is None:
        raise PlanError(_("Only a professional can start a family plan."))
    if not consent_in_person:
        raise PlanError(
            _("Ask the family for consent first. Without consent you cannot start the plan.")
        )
    pseudonym = youth_pseudonym
    if youth_bsn:
        try:
            pseudonym = pseudonymise_bsn(youth_bsn)
        except InvalidBSN as exc:
            raise PlanError(str(exc)) from None
    if (
        pseudonym
        and Plan.objects.filter(status=Plan.Status.ACTIVE, youth__bsn_pseudonym=pseudonym).exists()
    ):
        raise PlanError(
            _(
                "This youth already has a family plan. Ask the family or its coordinator to "
                "add you to the care team."
            )
        )
    family = Family.objects.create(name=family_name, municipality=municipality)
    youth = Person.objects.create(
        family=family,
        role=Person.Role.YOUTH,
        name=youth_name,
        date_of_birth=youth_birth,
        bsn_pseudonym=pseudonym,
    )
    parents = [
        Person.objects.create(family=family, role=Person.Role.PARENT, name=name)
        for name in parent_names
        if name.strip()
    ]
    for parent in parents:
        Relationship.objects.create(
            family=family, from_person=parent, to_person=youth, kind=Relationship.Kind.PARENT_OF
        )
    plan = Plan.objects.create(family=family, youth=youth, coordinator=actor)
    member = CareTeamMember.objects.create(
        plan=plan,
        kind=CareTeamMember.Kind.PROFESSIONAL,
        user=actor,
        organisation=organisation,
        added_by=actor,
    )
    givers = [p for p in [youth, *parents] if rules.may_consent(plan, p)]
    if not rules.consent_complete(plan, givers):
        raise PlanError(_("Add a parent: for a youth of this age the parents must give consent."))
    for giver in givers:
        Consent.objects.create(
            member=member,
            purpose=Consent.Purpose.PLAN,
            given_by=giver,
            method=Consent.Method.IN_PERSON,
            recorded_by=actor,
        )
    member.status = CareTeamMember.Status.ACTIVE
    member.save(update_fields=["status"])
    renew_content(plan)
    audit(actor, "family_plans.plan_started", plan, data={"persons": 1 + len(parents)})
    return plan


def own_plan_youths(user: User) -> list[Person]:
    """The youths whose plan this family account may start itself: a parent for any
    youth of their family, a youth of 16+ for themselves; only where the family has no
    active plan (one plan per family)."""
    youths: dict[int, Person] = {}
    for me in Person.objects.filter(user=user, role__in=[Person.Role.PARENT, Person.Role.YOUTH]):
        if Plan.objects.filter(family_id=me.family_id, status=Plan.Status.ACTIVE).exists():
            continue
        if me.role == Person.Role.YOUTH:
            if (me.age() or 0) >= ages.CONSENT_ALONE_FROM:
                youths[me.pk] = me
            continue
        for youth in Person.objects.filter(family_id=me.family_id, role=Person.Role.YOUTH):
            youths[youth.pk] = youth
    return sorted(youths.values(), key=lambda p: p.name)


@transaction.atomic
def start_own_plan(*, actor: User, youth: Person) -> Plan:
    """A parent, or a youth of 16+, starts the family's own plan and coordinates it.

    Nobody else sees it until the family proposes professionals (by their account's
    address, ``propose_member``) and gives consent under the age rules, as for a plan
    a professional started.
    """
    if actor.kind != User.Kind.FAMILY or youth.pk not in {p.pk for p in own_plan_youths(actor)}:
        raise PlanError(
            _("A parent, or a youth of 16 or older, can start a plan for their own family.")
        )
    plan = Plan.objects.create(family=youth.family, youth=youth, coordinator=actor)
    renew_content(plan)
    audit(actor, "family_plans.plan_started", plan, data={"by": "family"})
    return plan


@transaction.atomic
def close_plan(
    plan: Plan, *, actor: User, reason: str, outcomes: dict[int, tuple[str, str]]
) -> None:
    """Close the plan with a reason and an outcome per goal.

    Professionals leave the team; the JIM and other informal members stay, so the youth
    keeps their mentor after professional help ends.
    """
    if not reason.strip():
        raise PlanError(_("Give a reason for closing."))
    for goal in plan.goals.all():
        status, outcome = outcomes.get(goal.pk, (goal.status, goal.outcome))
        if status == Goal.Status.OPEN:
            raise PlanError(_("Give every goal an outcome before closing."))
        Goal.objects.filter(pk=goal.pk).update(
            status=status, outcome=outcome, version=F("version") + 1
        )
    now = timezone.now()
    plan.members.filter(
        kind=CareTeamMember.Kind.PROFESSIONAL,
        status__in=[CareTeamMember.Status.ACTIVE, CareTeamMember.Status.PENDING],
    ).update(status=CareTeamMember.Status.LEFT, left_at=now)
    plan.status = Plan.Status.CLOSED
    plan.closed_at = now
    plan.close_reason = reason
    plan.save(update_fields=["status", "closed_at", "close_reason"])
    renew_content(plan)
    audit(
        actor,
        "family_plans.plan_closed",
        plan,
        data={"reason": reason, "outcomes": {str(k): v[0] for k, v in outcomes.items()}},
    )
