"""The care team: proposing members, consent under the age rules, the JIM, the coordinator."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from rits.accounts.models import Membership, User
from rits.audit.models import Entry
from rits.family_plans import rules
from rits.family_plans.models import (
    CareTeamMember,
    Consent,
    Person,
    Plan,
)
from rits.family_plans.services.audit import audit, renew_content
from rits.family_plans.services.errors import PlanError
from rits.family_plans.services.invitations import identity_problem, invite_person, same_person
from rits.family_plans.services.network import add_person
from rits.family_plans.services.notices import (
    household_accounts,
    plan_url,
    team_accounts,
    tell,
    tell_many,
)


def primary_organisation(user: User) -> Any:
    membership = (
        Membership.objects.filter(user=user, active=True, role=Membership.Role.PROFESSIONAL)
        .select_related("organisation")
        .first()
    )
    return membership.organisation if membership else None


def _refresh_member(member: CareTeamMember, *, actor: User) -> bool:
    """Set ACTIVE/PENDING/WITHDRAWN from the consents in place; return True when it changed
    to ACTIVE. Called inside the consent transaction, so access changes at once."""
    plan = member.plan
    givers = [
        c.given_by
        for c in member.consents.filter(
            purpose=Consent.Purpose.PLAN, withdrawn_at__isnull=True
        ).select_related("given_by")
    ]
    complete = rules.consent_complete(plan, givers)
    if member.status == CareTeamMember.Status.LEFT:
        return False
    old = member.status
    if complete:
        member.status = CareTeamMember.Status.ACTIVE
    elif old == CareTeamMember.Status.ACTIVE:
        member.status = CareTeamMember.Status.WITHDRAWN
    if member.status != old:
        member.save(update_fields=["status"])
    return member.status == CareTeamMember.Status.ACTIVE and old != member.status


@transaction.atomic
def propose_member(
    plan: Plan, *, actor: User, user: User, title: str = "", can_edit: bool = True
) -> CareTeamMember:
    """Propose a professional for the care team. They see nothing until the family consents."""
    organisation = primary_organisation(user)
    if user.kind != User.Kind.PROFESSIONAL or organisation is None:
        raise PlanError(_("Only a professional with an organisation can join as professional."))
    # Decided on the account, not on a name: a professional who is in this family
    # (a parent who works in youth care) already sees the plan as family and would give
    # consent to themselves.
    if plan.family.persons.filter(Q(user=user) | Q(email__iexact=user.email)).exists():
        raise PlanError(
            _(
                "%(name)s is in this family or its network and cannot join the care team of "
                "their own family as a professional."
            )
            % {"name": user.full_name}
        )
    if plan.members.filter(
        user=user, status__in=[CareTeamMember.Status.ACTIVE, CareTeamMember.Status.PENDING]
    ).exists():
        raise PlanError(_("This person is already in the care team or waiting for consent."))
    member = CareTeamMember.objects.create(
        plan=plan,
        kind=CareTeamMember.Kind.PROFESSIONAL,
        user=user,
        organisation=organisation,
        title=title,
        can_edit=can_edit,
        added_by=actor,
    )
    tell_many(
        household_accounts(plan),
        kind="family_plans.consent_asked",
        title=_("Do you agree that %(name)s joins your plan?") % {"name": user.full_name},
        body=_("%(name)s (%(org)s) wants to help. Only with your consent can they see the plan.")
        % {"name": user.full_name, "org": organisation.name},
        url=reverse("family_plans:team", args=[plan.pk]),
        skip=actor,
    )
    renew_content(plan)
    audit(actor, "family_plans.member_proposed", plan, member, data={"user": user.pk})
    return member


def _refuse_consent(plan: Plan, member: CareTeamMember, *, actor: User, why: str) -> None:
    with transaction.atomic():
        audit(
            actor,
            "family_plans.consent_refused",
            plan,
            member,
            outcome=Entry.Outcome.DENIED,
            data={"why": why},
        )


def give_consent(
    member: CareTeamMember,
    *,
    actor: User,
    purpose: str = Consent.Purpose.PLAN,
    on_behalf_of: Person | None = None,
) -> Consent:
    """Record consent for one member and purpose, by the family member whose consent the
    age rules ask for. A professional already in the team may record consent given in
    person (``on_behalf_of``). Consent from the wrong person is refused and audited."""
    plan = member.plan
    if on_behalf_of is not None:
        recorder_ok = plan.members.filter(
            user=actor, status=CareTeamMember.Status.ACTIVE, kind=CareTeamMember.Kind.PROFESSIONAL
        ).exists()
        person: Person | None = on_behalf_of if recorder_ok else None
        method = Consent.Method.IN_PERSON
    else:
        person = Person.objects.filter(family_id=plan.family_id, user=actor).first()
        method = Consent.Method.ONLINE
    if person is None or not rules.may_consent(plan, person):
        _refuse_consent(plan, member, actor=actor, why="not the right person for this age")
        age = plan.youth.age()
        raise PlanError(
            _(
                "Your consent does not count here. For a youth of %(age)s, consent comes from: "
                "%(who)s."
            )
            % {"age": age if age is not None else "?", "who": consent_givers_label(plan)}
        )
    if member.status == CareTeamMember.Status.LEFT:
        raise PlanError(_("This person has left the team."))
    with transaction.atomic():
        try:
            with transaction.atomic():
                consent = Consent.objects.create(
                    member=member,
                    purpose=purpose,
                    given_by=person,
                    method=method,
                    recorded_by=actor,
                )
        except IntegrityError:
            raise PlanError(_("This consent was already given.")) from None
        activated = _refresh_member(member, actor=actor)
        renew_content(plan)
        audit(
            actor,
            "family_plans.consent_given",
            plan,
            consent,
            data={
                "member": member.pk,
                "purpose": purpose,
                "method": method,
                "active": member.status == CareTeamMember.Status.ACTIVE,
            },
        )
        if activated and member.user is not None:
            tell(
                member.user,
                kind="family_plans.invited",
                title=_("You are now in the care team of %(family)s")
                % {"family": plan.family.name},
                body=_("The family gave consent. You can see and work on the family plan."),
                url=plan_url(plan),
            )
            renew_content(plan)
            audit(actor, "family_plans.member_activated", plan, member)
    return consent


def consent_givers_label(plan: Plan) -> str:
    stage = rules.stage(plan)
    if stage is rules.Stage.PARENTS:
        return _("a parent")
    if stage is rules.Stage.TOGETHER:
        return _("a parent and the youth together")
    return _("the youth")


def withdraw_consent(consent: Consent, *, actor: User) -> None:
    """Withdraw a consent. If what remains is not enough, the member loses access at once."""
    member = consent.member
    plan = member.plan
    person = Person.objects.filter(family_id=plan.family_id, user=actor).first()
    allowed = person is not None and (
        person.pk == consent.given_by_id or rules.may_consent(plan, person)
    )
    if not allowed:
        _refuse_consent(plan, member, actor=actor, why="withdrawal by someone else")
        raise PlanError(_("Only the family can withdraw consent."))
    if consent.withdrawn_at is not None:
        raise PlanError(_("This consent was already withdrawn."))
    with transaction.atomic():
        consent.withdrawn_at = timezone.now()
        consent.withdrawn_by = actor
        consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
        _refresh_member(member, actor=actor)
        lost = member.status == CareTeamMember.Status.WITHDRAWN
        if lost and plan.coordinator_id is not None and plan.coordinator_id == member.user_id:
            plan.coordinator = None
            plan.save(update_fields=["coordinator"])
        renew_content(plan)
        audit(
            actor,
            "family_plans.consent_withdrawn",
            plan,
            consent,
            data={"member": member.pk, "access_removed": lost},
        )
        if lost and member.user is not None:
            tell(
                member.user,
                kind="family_plans.consent_withdrawn",
                title=_("Consent withdrawn for %(family)s") % {"family": plan.family.name},
                body=_("The family withdrew consent. You no longer have access to this plan."),
            )


@transaction.atomic
def invite_jim(
    plan: Plan, *, actor: User, name: str, date_of_birth: date | None, email: str
) -> CareTeamMember:
    """The youth chooses a JIM: an adult who is not a parent.

    Steps: check the youth invites (a parent may for a youth under 12); check the JIM is
    not someone of the household or network already, by identity: the e-mail address
    (theirs or their account's), or for someone without one, the same name and birth
    date as a household member; add the JIM to the network; check the JIM rules; add
    them to the team with the inviter's consent; under 16 the parents are asked to
    agree; mail the invitation link (to the JIM only).
    """
    inviter = Person.objects.filter(family_id=plan.family_id, user=actor).first()
    stage = rules.stage(plan)
    youth_invites = inviter is not None and inviter.pk == plan.youth_id
    parent_invites = (
        inviter is not None and inviter.role == Person.Role.PARENT and stage is rules.Stage.PARENTS
    )
    if not (youth_invites or parent_invites):
        raise PlanError(_("The youth chooses their own JIM."))
    assert inviter is not None
    known = same_person(plan, email)
    if known is None and date_of_birth is not None:
        known = (
            plan.family.persons.filter(
                role__in=Person.HOUSEHOLD_ROLES,
                name__iexact=name.strip(),
                date_of_birth=date_of_birth,
            )
            .select_related("user")
            .first()
        )
    if known is not None:
        if known.role == Person.Role.PARENT:
            raise PlanError(_("A parent cannot be the JIM. Choose another adult."))
        if known.role == Person.Role.JIM:
            raise PlanError(_("%(name)s is already the JIM.") % {"name": known.name})
        if known.in_household:
            raise PlanError(
                _("%(name)s lives in the family. The JIM is an adult from outside the family.")
                % {"name": known.name}
            )
        raise PlanError(identity_problem(plan, email or known.email))
    jim = Person(family=plan.family, role=Person.Role.JIM, name=name, date_of_birth=date_of_birth)
    problem = rules.jim_problem(plan, jim)
    if problem:
        raise PlanError(problem)
    jim = add_person(
        plan, actor=actor, role=Person.Role.JIM, name=name, date_of_birth=date_of_birth, email=email
    )
    member = CareTeamMember.objects.create(
        plan=plan, kind=CareTeamMember.Kind.INFORMAL, person=jim, title="JIM", added_by=actor
    )
    Consent.objects.create(member=member, purpose=Consent.Purpose.PLAN, given_by=inviter)
    _refresh_member(member, actor=actor)
    if member.status != CareTeamMember.Status.ACTIVE:
        tell_many(
            [
                p.user
                for p in plan.family.persons.filter(role=Person.Role.PARENT, user__isnull=False)
                if p.user is not None
            ],
            kind="family_plans.consent_asked",
            title=_("%(youth)s chose a JIM: do you agree?") % {"youth": plan.youth.name},
            body=_("%(youth)s asked %(jim)s to be their JIM. Your agreement is needed.")
            % {"youth": plan.youth.name, "jim": name},
            url=reverse("family_plans:team", args=[plan.pk]),
        )
    renew_content(plan)
    audit(actor, "family_plans.jim_invited", plan, member, data={"active": member.status})
    if email:
        invite_person(jim, plan, actor=actor, email=email)
    return member


@transaction.atomic
def leave_team(member: CareTeamMember, *, actor: User) -> None:
    plan = member.plan
    member.status = CareTeamMember.Status.LEFT
    member.left_at = timezone.now()
    member.save(update_fields=["status", "left_at"])
    if plan.coordinator_id is not None and plan.coordinator_id == member.user_id:
        plan.coordinator = None
        plan.save(update_fields=["coordinator"])
    renew_content(plan)
    audit(actor, "family_plans.member_left", plan, member)


@transaction.atomic
def set_coordinator(plan: Plan, *, actor: User, user: User) -> None:
    """One coordinator: a professional in the team, or a parent or youth of the family."""
    if user.pk not in {u.pk for u in team_accounts(plan)}:
        raise PlanError(_("The coordinator must be in the family or in the care team."))
    old = plan.coordinator_id
    plan.coordinator = user
    plan.save(update_fields=["coordinator"])
    renew_content(plan)
    audit(actor, "family_plans.coordinator_changed", plan, data={"old": old, "new": user.pk})
    if user.pk != actor.pk:
        tell(
            user,
            kind="family_plans.coordinator",
            title=_("You are now the coordinator"),
            body=plan.family.name,
            url=plan_url(plan),
        )
