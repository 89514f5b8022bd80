"""Every change to a family plan: one transaction, one audit entry in it, keyword-only actor.

Errors that the person can fix are ``PlanError`` with a plain-language message; nothing
has changed when one is raised. A save against an older version raises ``StaleVersion``.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Model, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from rits.accounts.models import Membership, Notification, User
from rits.accounts.notifications import notify
from rits.audit.models import Entry
from rits.audit.services import record
from rits.family_plans import rules
from rits.family_plans.models import (
    Action,
    CareTeamMember,
    Comment,
    Consent,
    Decision,
    EmergencyAccess,
    Evaluation,
    Family,
    Goal,
    Invitation,
    Person,
    Plan,
    Position,
    Relationship,
    Reminder,
    Score,
    TransitionItem,
    TransitionTopic,
)
from rits.family_plans.models.plan import new_content_token
from rits.family_plans.permissions import Access
from rits.lib import ages
from rits.lib.pseudonyms import InvalidBSN, pseudonymise_bsn

INVITATION_DAYS = 7
EMERGENCY_HOURS = 4


class PlanError(ValueError):
    """A refusal the person can understand and fix; nothing was changed."""


class StaleVersion(PlanError):
    """Someone else saved this object first. ``current`` is what is stored now."""

    def __init__(self, current: Model) -> None:
        super().__init__(
            _(
                "Someone else changed this in the meantime. Your changes were not saved. "
                "Compare both versions, then save again."
            )
        )
        self.current = current


# --- audit -------------------------------------------------------------------------------


def renew_content(plan: Plan) -> None:
    """Give the plan a new content token, in the caller's transaction: what the plan
    pages kept of its content is not used again. Every change to a plan calls it."""
    plan.content_token = new_content_token()
    Plan.objects.filter(pk=plan.pk).update(content_token=plan.content_token)


def renew_family_content(family_id: int, *, plan: Plan | None = None) -> None:
    """A change to the family itself (its network, an account of one of its people):
    every plan of the family shows it, so every plan gets a new content token. ``plan``,
    the plan object in hand, gets the new token too."""
    token = new_content_token()
    Plan.objects.filter(family_id=family_id).update(content_token=token)
    if plan is not None:
        plan.content_token = token


def audit(
    actor: User | None,
    event: str,
    plan: Plan,
    obj: Model | None = None,
    *,
    data: dict[str, Any] | None = None,
    outcome: str = Entry.Outcome.SUCCESS,
) -> Entry:
    """Audit an event on a plan or one of its parts, with the youth's pseudonym as
    subject and the user's standing from the plan's access. A change calls
    ``renew_content`` (or ``renew_family_content``) next to it, in the same transaction."""
    # Without an access (a plan being started, a job), record() names the actor's own
    # organisation and role.
    access: Access | None = getattr(plan, "access", None)
    return record(
        actor,
        event,
        obj or plan,
        subject=plan.youth.reference,
        purpose=access.purpose if access else Entry.Purpose.CARE,
        organisation=access.organisation if access else "",
        role=access.role if access else "",
        on_behalf_of=access.on_behalf_of if access else "",
        outcome=outcome,
        data=data,
    )


def record_read(
    plan: Plan,
    *,
    actor: User,
    event: str = "family_plans.plan_viewed",
    data: dict[str, Any] | None = None,
) -> None:
    """Reads are audited like writes (NEN 7513)."""
    audit(actor, event, plan, data=data)


# --- notifications ---------------------------------------------------------------------

_EMAIL: ContextVar[bool] = ContextVar("family_plans_email", default=True)


@contextmanager
def in_app_only() -> Iterator[None]:
    """Notify in the app but send no e-mail (the demo region: fictional addresses)."""
    token = _EMAIL.set(False)
    try:
        yield
    finally:
        _EMAIL.reset(token)


def sends_email() -> bool:
    """False inside ``in_app_only``."""
    return _EMAIL.get()


def tell(user: User, *, kind: str, title: str, body: str = "", url: str = "") -> None:
    if _EMAIL.get():
        notify(user, kind=kind, title=title, body=body, url=url)
    else:
        Notification.objects.create(user=user, kind=kind, title=title[:200], body=body, url=url)


# --- people on the plan ----------------------------------------------------------------


def household_accounts(plan: Plan) -> list[User]:
    """Parents and youths of the family who have an account."""
    return [
        p.user
        for p in plan.family.persons.filter(
            role__in=Person.HOUSEHOLD_ROLES, user__isnull=False
        ).select_related("user")
        if p.user is not None
    ]


def team_accounts(plan: Plan) -> list[User]:
    """Everyone who may take part in decisions: household accounts and active members."""
    users = {u.pk: u for u in household_accounts(plan)}
    for m in plan.members.filter(status=CareTeamMember.Status.ACTIVE, user__isnull=False):
        assert m.user is not None
        users.setdefault(m.user.pk, m.user)
    return list(users.values())


def tell_many(
    users: Iterable[User], *, kind: str, title: str, body: str, url: str, skip: User | None = None
) -> None:
    for user in users:
        if skip is None or user.pk != skip.pk:
            tell(user, kind=kind, title=title, body=body, url=url)


def plan_url(plan: Plan) -> str:
    return reverse("family_plans:plan", args=[plan.pk])


# --- starting a plan --------------------------------------------------------------------


def primary_organisation(user: User) -> Any:
    membership = (
        Membership.objects.filter(user=user, active=True, role=Membership.Role.PROFESSIONAL)
        .select_related("organisation")
        .first()
    )
    return membership.organisation if membership else None


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
def add_person(
    plan: Plan,
    *,
    actor: User,
    role: str,
    name: str,
    date_of_birth: date | None = None,
    email: str = "",
) -> Person:
    """Add someone to the household or the network, with a line on the ecogram.

    Someone already known by this e-mail address (theirs or their account's) is refused:
    one person is in the network once, so a role rule decided on the person (the JIM is
    not a parent) cannot be passed by adding them a second time under another role.
    """
    email = email.strip().lower()
    problem = identity_problem(plan, email)
    if problem:
        raise PlanError(problem)
    person = Person.objects.create(
        family=plan.family, role=role, name=name, date_of_birth=date_of_birth, email=email
    )
    kind = {
        Person.Role.PARENT: Relationship.Kind.PARENT_OF,
        Person.Role.SIBLING: Relationship.Kind.SIBLING_OF,
        Person.Role.GRANDPARENT: Relationship.Kind.GRANDPARENT_OF,
        Person.Role.JIM: Relationship.Kind.MENTOR_OF,
    }.get(Person.Role(role), Relationship.Kind.SUPPORTS)
    if role != Person.Role.YOUTH:
        Relationship.objects.create(
            family=plan.family, from_person=person, to_person=plan.youth, kind=kind
        )
    renew_family_content(plan.family_id, plan=plan)
    audit(actor, "family_plans.person_added", plan, person, data={"role": role})
    return person


# --- the family's network ----------------------------------------------------------------

PERSON_FIELDS = ("name", "role", "date_of_birth", "email")


def _reach(role: str, date_of_birth: date | None) -> tuple[bool, bool]:
    """What an account linked to someone with this role and birth date reaches: whether
    it sees the plan as family, and whether it only reads along (a child under 12), as
    ``permissions.access_for`` decides."""
    age = Person(role=role, date_of_birth=date_of_birth).age()
    household = role in Person.HOUSEHOLD_ROLES
    return household, household and role != Person.Role.PARENT and ages.reads_along(age)


class PersonChangeRefused(PlanError):
    """A change to someone's details that cannot be made here; ``field`` is the form
    field it concerns."""

    def __init__(self, message: str, *, field: str) -> None:
        super().__init__(message)
        self.field = field


def _check_person_change(plan: Plan, stored: Person, changes: dict[str, Any]) -> None:
    """Refuse changes to someone's details that the network page may not make.

    Role and birth date decide more than a label: whose consent counts, what an account
    may see, who may be the JIM. A change that would shift any of that is refused.
    """
    name = {"name": stored.name}
    role = changes.get("role", stored.role)
    birth = changes.get("date_of_birth", stored.date_of_birth)
    if "name" in changes and not str(changes["name"]).strip():
        raise PersonChangeRefused(_("Fill in a name."), field="name")
    if role not in Person.Role.values:
        raise PersonChangeRefused(_("Choose a role."), field="role")
    if changes.get("email"):
        try:
            validate_email(changes["email"])
        except ValidationError:
            raise PersonChangeRefused(_("Fill in a valid e-mail address."), field="email") from None
        problem = identity_problem(plan, changes["email"], exclude=stored)
        if problem:
            raise PersonChangeRefused(problem, field="email")
    if role != stored.role:
        if Plan.objects.filter(youth=stored).exists():
            raise PersonChangeRefused(
                _("%(name)s is the youth of the plan. That role cannot change.") % name,
                field="role",
            )
        if Person.Role.JIM in (role, stored.role):
            raise PersonChangeRefused(
                _(
                    "The youth chooses a JIM on the team page, and a JIM stops through the "
                    "care team. That is why the role JIM cannot be changed here."
                ),
                field="role",
            )
        if stored.consents_given.exists():
            raise PersonChangeRefused(
                _(
                    "%(name)s gave consent for the care team. Whose consent counts depends on "
                    "the role, so this role cannot change."
                )
                % name,
                field="role",
            )
    if birth != stored.date_of_birth:
        youth_now = Plan(youth=Person(date_of_birth=birth))
        if stored.pk == plan.youth_id and rules.stage(youth_now) is not rules.stage(plan):
            raise PersonChangeRefused(
                _(
                    "With this date of birth someone else would give consent for the care "
                    "team. That is why it cannot be changed here."
                ),
                field="date_of_birth",
            )
        if role == Person.Role.JIM:
            jim = Person(pk=stored.pk, role=role, date_of_birth=birth, user_id=stored.user_id)
            problem = rules.jim_problem(plan, jim)
            if problem:
                raise PersonChangeRefused(problem, field="date_of_birth")
    if stored.user_id is not None and _reach(role, birth) != _reach(
        stored.role, stored.date_of_birth
    ):
        raise PersonChangeRefused(
            _(
                "%(name)s has an account. This change would change what %(name)s may see or "
                "do in the plan, so it cannot be made here."
            )
            % name,
            field="role" if role != stored.role else "date_of_birth",
        )


@transaction.atomic
def update_person(
    person: Person, *, actor: User, plan: Plan, version: int, **changes: Any
) -> Person:
    """Change someone's details: a typo in a name, the neighbour who became the coach.

    Steps: lock the person as stored now (refuse if removed meanwhile); refuse changes the
    network page may not make (``_check_person_change``); save only if nobody saved
    since ``version`` (else ``StaleVersion``); audit which fields changed, not the values.
    """
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise TypeError(f"update_person cannot change {sorted(unknown)}")
    if "email" in changes:
        changes["email"] = (changes["email"] or "").strip().lower()
    if "name" in changes:
        changes["name"] = str(changes["name"]).strip()
    stored = (
        Person.objects.select_for_update().filter(pk=person.pk, family_id=plan.family_id).first()
    )
    if stored is None:
        raise PlanError(_("Someone else removed this person in the meantime."))
    if stored.version == version:  # else save_versioned refuses it as stale
        _check_person_change(plan, stored, changes)
    diff = save_versioned(stored, expected_version=version, changes=changes)
    data: dict[str, Any] = {"fields": sorted(diff)}
    if "role" in diff:
        data["role"] = diff["role"]
    renew_family_content(plan.family_id, plan=plan)
    audit(actor, "family_plans.person_changed", plan, stored, data=data)
    return stored


def removal_problem(plan: Plan, person: Person) -> str:
    """Why this person cannot be removed from the network, or ""."""
    name = {"name": person.name}
    if person.pk == plan.youth_id or Plan.objects.filter(youth=person).exists():
        return _("%(name)s is the youth of the plan. The youth always stays in the plan.") % name
    if person.role == Person.Role.JIM:
        return (
            _(
                "%(name)s is the JIM. A JIM stops through the care team: choose 'Remove from "
                "the team' there. The JIM stays in the network picture."
            )
            % name
        )
    if person.user_id is not None:
        return (
            _(
                "%(name)s has an account in Rits and sees the plan with it. Someone with an "
                "account cannot be removed from the network."
            )
            % name
        )
    if person.care_team_memberships.filter(
        status__in=[CareTeamMember.Status.ACTIVE, CareTeamMember.Status.PENDING]
    ).exists():
        return (
            _(
                "%(name)s is in the care team. First remove %(name)s from the team, then from "
                "the network."
            )
            % name
        )
    if person.consents_given.exists():
        return (
            _(
                "%(name)s gave consent for the care team. That consent is part of the plan, so "
                "%(name)s stays in the network."
            )
            % name
        )
    return ""


@transaction.atomic
def remove_person(person: Person, *, actor: User, plan: Plan) -> None:
    """Remove someone from the network (the neighbour moved away), with their lines.

    Steps: lock the person as stored now; refuse the youth, the JIM, anyone with an
    account, in the care team or whose consent the plan holds (``removal_problem``);
    audit while the person still exists (the entry keeps their name as label); delete,
    which deletes their lines on the ecogram and unused invitations.
    """
    stored = (
        Person.objects.select_for_update().filter(pk=person.pk, family_id=plan.family_id).first()
    )
    if stored is None:
        raise PlanError(_("Someone else removed this person in the meantime."))
    problem = removal_problem(plan, stored)
    if problem:
        raise PlanError(problem)
    lines = Relationship.objects.filter(Q(from_person=stored) | Q(to_person=stored)).count()
    renew_family_content(plan.family_id, plan=plan)
    audit(
        actor,
        "family_plans.person_removed",
        plan,
        stored,
        data={"role": stored.role, "relationships": lines},
    )
    stored.delete()


class DuplicateRelationship(PlanError):
    """The family already has this line (same people, same kind)."""


def _line_label(from_person: Person, kind: str, to_person: Person) -> str:
    return f"{from_person.name} {Relationship.Kind(kind).label} {to_person.name}"


def _check_relationship(
    plan: Plan,
    from_person: Person,
    to_person: Person,
    kind: str,
    strength: int,
    *,
    exclude: int | None = None,
) -> None:
    if from_person.family_id != plan.family_id or to_person.family_id != plan.family_id:
        raise PlanError(_("Both people must be in this family or its network."))
    if from_person.pk == to_person.pk:
        raise PlanError(_("Choose two different people."))
    if kind not in Relationship.Kind.values:
        raise PlanError(_("Choose what kind of relationship this is."))
    if strength not in Relationship.Strength.values:
        raise PlanError(_("Choose weak, normal or strong."))
    same = Q(from_person=from_person, to_person=to_person, kind=kind)
    if kind in Relationship.MUTUAL_KINDS:
        same |= Q(from_person=to_person, to_person=from_person, kind=kind)
    existing = Relationship.objects.filter(same)
    if exclude is not None:
        existing = existing.exclude(pk=exclude)
    if existing.exists():
        raise DuplicateRelationship(
            _("This line is already in the network: %(line)s.")
            % {"line": _line_label(from_person, kind, to_person)}
        )


@transaction.atomic
def add_relationship(
    plan: Plan,
    *,
    actor: User,
    from_person: Person,
    to_person: Person,
    kind: str,
    strength: int = Relationship.Strength.NORMAL,
) -> Relationship:
    """Draw a line between two people of the family (grandmother supports mother)."""
    _check_relationship(plan, from_person, to_person, kind, strength)
    try:
        with transaction.atomic():
            relationship = Relationship.objects.create(
                family_id=plan.family_id,
                from_person=from_person,
                to_person=to_person,
                kind=kind,
                strength=strength,
            )
    except IntegrityError:  # the same line saved at the same moment by someone else
        raise DuplicateRelationship(
            _("This line is already in the network: %(line)s.")
            % {"line": _line_label(from_person, kind, to_person)}
        ) from None
    renew_family_content(plan.family_id, plan=plan)
    audit(
        actor,
        "family_plans.relationship_added",
        plan,
        relationship,
        data={"kind": kind, "strength": strength},
    )
    return relationship


@transaction.atomic
def set_relationship(
    relationship: Relationship, *, actor: User, plan: Plan, kind: str, strength: int
) -> Relationship:
    """Say what kind of line this is and how strong (weak lines are drawn dashed)."""
    stored = (
        Relationship.objects.select_for_update()
        .select_related("from_person", "to_person")
        .filter(pk=relationship.pk, family_id=plan.family_id)
        .first()
    )
    if stored is None:
        raise PlanError(_("Someone else removed this line in the meantime."))
    _check_relationship(
        plan, stored.from_person, stored.to_person, kind, strength, exclude=stored.pk
    )
    diff = {
        k: [getattr(stored, k), v]
        for k, v in (("kind", kind), ("strength", strength))
        if getattr(stored, k) != v
    }
    stored.kind, stored.strength = kind, strength
    try:
        with transaction.atomic():
            stored.save(update_fields=["kind", "strength"])
    except IntegrityError:
        raise DuplicateRelationship(
            _("This line is already in the network: %(line)s.")
            % {"line": _line_label(stored.from_person, kind, stored.to_person)}
        ) from None
    renew_family_content(plan.family_id, plan=plan)
    audit(
        actor,
        "family_plans.relationship_changed",
        plan,
        stored,
        data={"changes": diff},
    )
    return stored


@transaction.atomic
def remove_relationship(relationship: Relationship, *, actor: User, plan: Plan) -> None:
    """Take a line off the ecogram; the two people stay."""
    stored = (
        Relationship.objects.select_for_update()
        .filter(pk=relationship.pk, family_id=plan.family_id)
        .first()
    )
    if stored is None:
        raise PlanError(_("Someone else removed this line in the meantime."))
    renew_family_content(plan.family_id, plan=plan)
    audit(
        actor,
        "family_plans.relationship_removed",
        plan,
        stored,
        data={"kind": stored.kind, "strength": stored.strength},
    )
    stored.delete()


# --- invitations ------------------------------------------------------------------------

# The one-time code that proves the recipient reads the invited address: how long it
# works, how many wrong tries it takes, how many codes one invitation may send and how
# long between two, and how many wrong addresses spend the invitation.
CODE_MINUTES = 15
CODE_TRIES = 5
CODES_PER_INVITATION = 5
CODE_RESEND_SECONDS = 60
ADDRESS_TRIES = 5


class InvitationGone(PlanError):
    """The invitation link is unknown, used, expired or spent; a new invitation is needed."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "This link no longer works: it was already used or it has expired. "
                "Ask for a new invitation."
            )
        )


def mask_email(email: str) -> str:
    """An address as others in the family may see it: enough to recognise, not to use
    (``p***@t***.nl``)."""
    local, _at, domain = email.partition("@")
    host, _dot, tld = domain.rpartition(".")
    return f"{local[:1]}***@{host[:1]}***.{tld}" if host else f"{local[:1]}***@***"


def same_person(plan: Plan, email: str, *, exclude: Person | None = None) -> Person | None:
    """The person of the plan's family who is already known by this e-mail address: as
    their own address or as their account's (any case). Role rules (the JIM is not a
    parent, one person once in the network) are decided on this identity, never on a
    typed name."""
    email = email.strip()
    if not email:
        return None
    found = plan.family.persons.filter(Q(email__iexact=email) | Q(user__email__iexact=email))
    if exclude is not None:
        found = found.exclude(pk=exclude.pk)
    return found.select_related("user").first()


def identity_problem(plan: Plan, email: str, *, exclude: Person | None = None) -> str:
    """Why ``email`` cannot be given to a new or other person of the family, or ""."""
    other = same_person(plan, email, exclude=exclude)
    if other is None:
        return ""
    return _(
        "This e-mail address belongs to %(name)s, who is already in the family or network. "
        "One person is in the network once."
    ) % {"name": other.name}


@transaction.atomic
def invite_person(person: Person, plan: Plan, *, actor: User, email: str) -> Invitation:
    """Create a single-use link for ``person`` and mail it to ``email`` only.

    The link is never returned or shown: it is a secret of the recipient. Steps: check
    the person may get an account and the address is not someone else's in the family;
    end older links; store the token's hash; mail the link after commit; tell the
    household's other accounts who was invited, by whom, at which (masked) address.
    """
    if person.user_id is not None:
        raise PlanError(_("This person already has an account."))
    if person.role == Person.Role.SIBLING or (
        person.role == Person.Role.YOUTH and (person.age() or 0) < ages.CONSENT_TOGETHER_FROM
    ):
        raise PlanError(_("Children under 12 do not get their own account."))
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise PlanError(_("Fill in a valid e-mail address.")) from None
    problem = identity_problem(plan, email, exclude=person)
    if problem:
        raise PlanError(problem)
    if User.objects.filter(email=email).exists():
        raise PlanError(
            _("There is already an account with this e-mail address. It cannot be invited.")
        )
    raw = secrets.token_urlsafe(32)
    Invitation.objects.filter(person=person, used_at__isnull=True).update(expires_at=timezone.now())
    invitation = Invitation.objects.create(
        person=person,
        email=email,
        token_hash=Invitation.hash(raw),
        created_by=actor,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    person.email = email
    person.save(update_fields=["email"])
    link = settings.SITE_URL + reverse("family_plans:invitation", args=[raw])
    mail = partial(
        send_mail,
        subject=_("Rits: you are invited to the family plan"),
        message=_(
            "%(name)s invites you to the family plan of %(family)s in Rits.\n\n"
            "Open this link. Then fill in this e-mail address: we send you a code to "
            "choose a password. The link works once and for %(days)s days. It is only for "
            "you: do not pass it on.\n"
            "\n%(link)s\n"
        )
        % {
            "name": actor.full_name,
            "family": plan.family.name,
            "days": INVITATION_DAYS,
            "link": link,
        },
        from_email=None,
        recipient_list=[invitation.email],
        fail_silently=True,
    )
    if sends_email():
        transaction.on_commit(mail)
    tell_many(
        [u for u in household_accounts(plan) if u.pk != person.user_id],
        kind="family_plans.invitation_sent",
        title=_("%(name)s was invited to your family plan") % {"name": person.name},
        body=_(
            "%(actor)s invited %(name)s to your family plan. The invitation went by e-mail "
            "to %(address)s. Do you not know about this? Tell your coordinator."
        )
        % {"actor": actor.full_name, "name": person.name, "address": mask_email(email)},
        url=reverse("family_plans:team", args=[plan.pk]),
        skip=actor,
    )
    renew_content(plan)
    audit(
        actor,
        "family_plans.invitation_created",
        plan,
        person,
        data={"invitation": invitation.pk, "address": mask_email(email)},
    )
    return invitation


def _refuse_invitation(invitation: Invitation | None, why: str) -> None:
    # The family's youth is the subject, as in the entry that created the link.
    plan = (
        Plan.objects.filter(family_id=invitation.person.family_id).select_related("youth").first()
        if invitation
        else None
    )
    record(
        None,
        "family_plans.invitation_refused",
        invitation.person if invitation else None,
        object_type="" if invitation else "family_plans.invitation",
        subject=plan.youth.reference if plan else "",
        outcome=Entry.Outcome.DENIED,
        purpose=Entry.Purpose.SECURITY,
        data={"why": why, **({"invitation": invitation.pk} if invitation else {})},
    )


def _gone_reason(invitation: Invitation | None) -> str:
    if invitation is None:
        return "unknown"
    return "used" if invitation.used_at else "expired"


def find_invitation(raw: str) -> Invitation | None:
    """The invitation for a raw token if it can still be used; None otherwise (audited)."""
    invitation = (
        Invitation.objects.select_related("person__family")
        .filter(token_hash=Invitation.hash(raw))
        .first()
    )
    if invitation is not None and invitation.is_usable:
        return invitation
    with transaction.atomic():
        _refuse_invitation(invitation, _gone_reason(invitation))
    return None


def _locked_invitation(raw: str) -> Invitation | None:
    return (
        Invitation.objects.select_for_update()
        .select_related("person__family")
        .filter(token_hash=Invitation.hash(raw))
        .first()
    )


def send_invitation_code(raw: str, *, email: str) -> None:
    """The recipient typed the address the invitation went to: mail a one-time code there.

    Steps: lock the invitation; refuse when it cannot be used (``InvitationGone``); refuse
    a wrong address, and spend the invitation after ``ADDRESS_TRIES`` of them; refuse a
    new code within ``CODE_RESEND_SECONDS`` of the last or after
    ``CODES_PER_INVITATION``; store the code's keyed hash with its expiry; mail it after
    commit. Every refusal is audited and its count kept, then raised as ``PlanError``.
    """
    refusal: PlanError | None = None
    with transaction.atomic():
        invitation = _locked_invitation(raw)
        now = timezone.now()
        if invitation is None or not invitation.is_usable:
            _refuse_invitation(invitation, _gone_reason(invitation))
            refusal = InvitationGone()
        elif email.strip().lower() != invitation.email:
            invitation.address_tries += 1
            fields = ["address_tries"]
            if invitation.address_tries >= ADDRESS_TRIES:
                invitation.expires_at = now
                fields.append("expires_at")
            invitation.save(update_fields=fields)
            _refuse_invitation(
                invitation,
                "too many wrong addresses" if "expires_at" in fields else "wrong address",
            )
            refusal = (
                InvitationGone()
                if "expires_at" in fields
                else PlanError(
                    _(
                        "This is not the e-mail address the invitation was sent to. "
                        "Check the address and try again."
                    )
                )
            )
        elif invitation.codes_sent >= CODES_PER_INVITATION:
            _refuse_invitation(invitation, "too many codes")
            refusal = PlanError(
                _("We sent you enough codes for this invitation. Ask for a new invitation.")
            )
        elif invitation.code_sent_at is not None and (
            now - invitation.code_sent_at < timedelta(seconds=CODE_RESEND_SECONDS)
        ):
            _refuse_invitation(invitation, "code asked too soon")
            refusal = PlanError(
                _("We just sent you a code. Wait a minute before you ask for a new one.")
            )
        else:
            code = f"{secrets.randbelow(10**6):06d}"
            invitation.code_hash = invitation.hash_code(code)
            invitation.code_expires_at = now + timedelta(minutes=CODE_MINUTES)
            invitation.code_tries = 0
            invitation.codes_sent += 1
            invitation.code_sent_at = now
            invitation.save(
                update_fields=[
                    "code_hash",
                    "code_expires_at",
                    "code_tries",
                    "codes_sent",
                    "code_sent_at",
                ]
            )
            transaction.on_commit(
                partial(
                    send_mail,
                    subject=_("Rits: your code is %(code)s") % {"code": code},
                    message=_(
                        "Your code for Rits is %(code)s.\n\n"
                        "Fill it in on the page of your invitation. The code works for "
                        "%(minutes)s minutes. Did you not ask for it? Then you do not have "
                        "to do anything.\n"
                    )
                    % {"code": code, "minutes": CODE_MINUTES},
                    from_email=None,
                    recipient_list=[invitation.email],
                    fail_silently=True,
                )
            )
            record(
                None,
                "family_plans.invitation_code_sent",
                invitation.person,
                subject=invitation.person.reference,
                purpose=Entry.Purpose.SECURITY,
                data={"invitation": invitation.pk, "codes_sent": invitation.codes_sent},
            )
    if refusal is not None:
        raise refusal


def accept_invitation(raw: str, *, code: str, password: str, full_name: str = "") -> User:
    """Create the account behind an invitation, once, for whoever holds the mailed code.

    Steps: lock the invitation; refuse when used, expired or unknown (``InvitationGone``);
    refuse without a valid code: none asked, expired, or wrong (counted; after
    ``CODE_TRIES`` the code stops working); validate the password; create the account;
    link it to the person and to their care-team membership (a JIM); mark the invitation
    used. All in one transaction: a refusal's count and audit entry are kept (the block
    ends normally, then the refusal is raised); a weak password rolls back everything.
    """
    refusal: PlanError | None = None
    with transaction.atomic():
        invitation = _locked_invitation(raw)
        now = timezone.now()
        if invitation is None or not invitation.is_usable:
            _refuse_invitation(invitation, _gone_reason(invitation))
            refusal = InvitationGone()
        elif not invitation.code_hash or (
            invitation.code_expires_at is not None and invitation.code_expires_at <= now
        ):
            _refuse_invitation(
                invitation, "no code" if not invitation.code_hash else "code expired"
            )
            refusal = PlanError(
                _("Your code has expired. Fill in your e-mail address again for a new code.")
                if invitation.code_hash
                else _("Fill in your e-mail address first: we send you a code.")
            )
        elif not constant_time_compare(invitation.hash_code(code.strip()), invitation.code_hash):
            invitation.code_tries += 1
            spent = invitation.code_tries >= CODE_TRIES
            if spent:
                invitation.code_hash = ""
            invitation.save(update_fields=["code_tries", "code_hash"])
            _refuse_invitation(invitation, "too many wrong codes" if spent else "wrong code")
            refusal = PlanError(
                _(
                    "This code was wrong too often. Fill in your e-mail address again "
                    "for a new code."
                )
                if spent
                else _("This code is not correct. Check the code in the e-mail and try again.")
            )
        else:
            person = invitation.person
            if User.objects.filter(email=invitation.email).exists():
                raise PlanError(
                    _("There is already an account with this e-mail address. Log in instead.")
                )
            kind = User.Kind.FAMILY if person.in_household else User.Kind.NETWORK
            candidate = User(email=invitation.email, full_name=full_name or person.name, kind=kind)
            try:
                validate_password(password, candidate)
            except ValidationError as exc:
                raise PlanError(" ".join(exc.messages)) from None
            user = User.objects.create_user(
                invitation.email, password, full_name=full_name or person.name, kind=kind
            )
            person.user = user
            person.save(update_fields=["user"])
            CareTeamMember.objects.filter(person=person, user__isnull=True).update(user=user)
            # The person now has an account: the pages' people must be read again.
            renew_family_content(person.family_id)
            invitation.used_at = timezone.now()
            invitation.code_hash = ""
            invitation.save(update_fields=["used_at", "code_hash"])
            record(
                user,
                "family_plans.invitation_accepted",
                person,
                subject=person.reference,
                purpose=Entry.Purpose.RIGHTS,
                data={"invitation": invitation.pk},
            )
            return user
    assert refusal is not None
    raise refusal


def offers_second_factor(user: User) -> bool:
    """Whether a family account is offered a second factor: a parent, or a youth of 16+
    (younger children's accounts stay simple; professionals must have one anyway)."""
    return any(
        p.role == Person.Role.PARENT
        or (p.role == Person.Role.YOUTH and (p.age() or 0) >= ages.CONSENT_ALONE_FROM)
        for p in Person.objects.filter(user=user)
    )


# --- care team and consent --------------------------------------------------------------


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


# --- versioned parts --------------------------------------------------------------------

V = TypeVar("V", Goal, Action, Decision, TransitionItem, Person)


def save_versioned(obj: V, *, expected_version: int, changes: dict[str, Any]) -> dict[str, Any]:
    """Write ``changes`` only if ``obj`` is still at ``expected_version``; one UPDATE with
    the version in its WHERE clause, so two writers can never both win. Returns the
    changed fields as {name: [old, new]}; raises StaleVersion with what is stored now,
    or PlanError when it was removed meanwhile."""
    model = type(obj)
    diff = {
        k: [_plain(getattr(obj, k)), _plain(v)] for k, v in changes.items() if getattr(obj, k) != v
    }
    updated = model._default_manager.filter(pk=obj.pk, version=expected_version).update(
        **changes, version=F("version") + 1, updated_at=timezone.now()
    )
    if updated == 0:
        current = model._default_manager.filter(pk=obj.pk).first()
        if current is None:
            raise PlanError(_("Someone else removed this in the meantime."))
        raise StaleVersion(current)
    obj.refresh_from_db()
    return diff


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Model):
        return value.pk
    return value


@transaction.atomic
def add_goal(plan: Plan, *, actor: User, domain: str, title: str, description: str = "") -> Goal:
    goal = Goal.objects.create(
        plan=plan, domain=domain, title=title, description=description, created_by=actor
    )
    renew_content(plan)
    audit(actor, "family_plans.goal_added", plan, goal, data={"domain": domain})
    return goal


@transaction.atomic
def update_goal(goal: Goal, *, actor: User, plan: Plan, version: int, **changes: Any) -> Goal:
    diff = save_versioned(goal, expected_version=version, changes=changes)
    renew_content(plan)
    audit(actor, "family_plans.goal_changed", plan, goal, data={"changes": diff})
    return goal


@transaction.atomic
def score_goal(goal: Goal, *, actor: User, plan: Plan, score: int, note: str = "") -> Score:
    """Progress as the family sees it, or as the professional sees it: both are kept."""
    if not 0 <= score <= 10:
        raise PlanError(_("A score is a number from 0 to 10."))
    access: Access | None = getattr(plan, "access", None)
    perspective = (
        Score.Perspective.PROFESSIONAL
        if access is not None and access.is_professional
        else Score.Perspective.FAMILY
    )
    result = Score.objects.create(
        goal=goal, perspective=perspective, score=score, note=note, scored_by=actor
    )
    renew_content(plan)
    audit(
        actor,
        "family_plans.goal_scored",
        plan,
        goal,
        data={"score": score, "perspective": perspective},
    )
    return result


@transaction.atomic
def add_action(
    plan: Plan,
    *,
    actor: User,
    what: str,
    who: str,
    due_date: date | None = None,
    goal: Goal | None = None,
) -> Action:
    if goal is not None and goal.plan_id != plan.pk:
        raise PlanError(_("This goal belongs to another plan."))
    action = Action.objects.create(
        plan=plan, goal=goal, what=what, who=who, due_date=due_date, created_by=actor
    )
    renew_content(plan)
    audit(actor, "family_plans.action_added", plan, action)
    return action


@transaction.atomic
def update_action(
    action: Action, *, actor: User, plan: Plan, version: int, **changes: Any
) -> Action:
    goal = changes.get("goal")
    if goal is not None and goal.plan_id != plan.pk:
        raise PlanError(_("This goal belongs to another plan."))
    diff = save_versioned(action, expected_version=version, changes=changes)
    renew_content(plan)
    audit(actor, "family_plans.action_changed", plan, action, data={"changes": diff})
    return action


def _check_on_team(plan: Plan, users: Iterable[User]) -> None:
    team = {u.pk for u in team_accounts(plan)}
    if any(u.pk not in team for u in users):
        raise PlanError(_("Only people in the family or the care team can agree to a decision."))


@transaction.atomic
def propose_decision(
    plan: Plan,
    *,
    actor: User,
    title: str,
    text: str = "",
    grounds: str = "",
    ask: Iterable[User] = (),
) -> Decision:
    """Record a decision and ask people on the team to agree or disagree."""
    asked = list({u.pk: u for u in ask}.values())
    _check_on_team(plan, asked)
    decision = Decision.objects.create(
        plan=plan, title=title, text=text, grounds=grounds, created_by=actor
    )
    for user in asked:
        Position.objects.create(decision=decision, user=user)
    tell_many(
        asked,
        kind="family_plans.decision",
        title=_("A decision waits for your answer"),
        body=title,
        url=reverse("family_plans:decision_edit", args=[plan.pk, decision.pk]),
        skip=actor,
    )
    renew_content(plan)
    audit(
        actor,
        "family_plans.decision_proposed",
        plan,
        decision,
        data={"asked": [u.pk for u in asked]},
    )
    return decision


def _decision_status(decision: Decision) -> str:
    answers = list(decision.positions.values_list("answer", flat=True))
    if Position.Answer.DISAGREE in answers:
        return Decision.Status.DISAGREED
    if answers and all(a == Position.Answer.AGREE for a in answers):
        return Decision.Status.AGREED
    return Decision.Status.OPEN


def answer_decision(
    decision: Decision, *, actor: User, plan: Plan, answer: str, grounds: str = ""
) -> Position:
    """Agree or disagree. Someone not on the team is refused (and audited)."""
    if actor.pk not in {u.pk for u in team_accounts(plan)}:
        with transaction.atomic():
            audit(
                actor,
                "family_plans.decision_answer_refused",
                plan,
                decision,
                outcome=Entry.Outcome.DENIED,
                data={"answer": answer},
            )
        raise PlanError(_("Only people in the family or the care team can agree to a decision."))
    if answer not in (Position.Answer.AGREE, Position.Answer.DISAGREE):
        raise PlanError(_("Choose agree or disagree."))
    if answer == Position.Answer.DISAGREE and not grounds.strip():
        raise PlanError(_("Say why you disagree."))
    with transaction.atomic():
        position, _created = Position.objects.get_or_create(decision=decision, user=actor)
        position.answer = answer
        position.grounds = grounds
        position.answered_at = timezone.now()
        position.save()
        status = _decision_status(decision)
        Decision.objects.filter(pk=decision.pk).update(status=status)
        decision.status = status
        renew_content(plan)
        audit(
            actor,
            "family_plans.decision_answered",
            plan,
            decision,
            data={"answer": answer, "status": status},
        )
    return position


@transaction.atomic
def update_decision(
    decision: Decision, *, actor: User, plan: Plan, version: int, **changes: Any
) -> Decision:
    """Change a decision; when what was decided changes, everyone is asked again."""
    diff = save_versioned(decision, expected_version=version, changes=changes)
    if "title" in diff or "text" in diff:
        decision.positions.update(answer=Position.Answer.PENDING, answered_at=None)
        Decision.objects.filter(pk=decision.pk).update(status=_decision_status(decision))
        decision.refresh_from_db()
    renew_content(plan)
    audit(actor, "family_plans.decision_changed", plan, decision, data={"changes": diff})
    return decision


@transaction.atomic
def plan_evaluation(
    plan: Plan,
    *,
    actor: User,
    starts_at: datetime,
    minutes: int = 60,
    location: str = "",
    note: str = "",
) -> Evaluation:
    evaluation = Evaluation.objects.create(
        plan=plan,
        starts_at=starts_at,
        minutes=minutes,
        location=location,
        note=note,
        created_by=actor,
    )
    tell_many(
        team_accounts(plan),
        kind="family_plans.evaluation",
        title=_("Evaluation planned on %(when)s")
        % {"when": timezone.localtime(starts_at).strftime("%d-%m-%Y %H:%M")},
        body=_("Download the invitation for your calendar on the plan page."),
        url=plan_url(plan),
        skip=actor,
    )
    renew_content(plan)
    audit(actor, "family_plans.evaluation_planned", plan, evaluation)
    return evaluation


@transaction.atomic
def add_comment(plan: Plan, *, actor: User, text: str, goal: Goal | None = None) -> Comment:
    if goal is not None and goal.plan_id != plan.pk:
        raise PlanError(_("This goal belongs to another plan."))
    comment = Comment.objects.create(plan=plan, goal=goal, author=actor, text=text)
    renew_content(plan)
    audit(actor, "family_plans.comment_added", plan, comment)
    return comment


@transaction.atomic
def update_transition(
    plan: Plan, *, actor: User, topic: str, status: str, note: str, version: int
) -> TransitionItem:
    """Update one topic of the transition part; a topic is stored on its first change."""
    if not rules.transition_visible(plan):
        raise PlanError(_("The transition part starts when the youth is 16 and a half."))
    item, created = TransitionItem.objects.get_or_create(plan=plan, topic=TransitionTopic(topic))
    if created and version == 0:
        version = item.version
    diff = save_versioned(item, expected_version=version, changes={"status": status, "note": note})
    renew_content(plan)
    audit(actor, "family_plans.transition_changed", plan, item, data={"changes": diff})
    return item


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


# --- emergency access -------------------------------------------------------------------


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


# --- reminders --------------------------------------------------------------------------


def send_reminders(today: date | None = None) -> int:
    """Daily: transition reminders before the 18th birthday and evaluations due.

    Each reminder is sent once (``Reminder`` is unique per plan and key). Returns the count.
    """
    today = today or timezone.localdate()
    sent = 0
    plans = Plan.objects.filter(status=Plan.Status.ACTIVE).select_related("family", "youth")
    for plan in plans:
        due: list[tuple[str, str, str]] = []
        birthday = plan.youth.eighteenth_birthday
        if birthday is not None and rules.transition_visible(plan, today) and today < birthday:
            days = (birthday - today).days
            due.append(
                (
                    "transition-start",
                    _("The transition to 18 starts now"),
                    _("%(name)s turns 18 on %(date)s. Plan what is needed after 18."),
                )
            )
            for window in (180, 90, 30):
                if days <= window:
                    due.append(
                        (
                            f"18-in-{window}",
                            _("%(name)s turns 18 soon"),
                            _("%(name)s turns 18 on %(date)s. Check the transition part."),
                        )
                    )
        for key, title, body in due:
            sent += _remind(
                plan,
                key,
                title % {"name": plan.youth.name},
                body
                % {
                    "name": plan.youth.name,
                    "date": birthday.strftime("%d-%m-%Y") if birthday else "",
                },
            )
        soon = timezone.make_aware(datetime.combine(today + timedelta(days=3), datetime.min.time()))
        for evaluation in plan.evaluations.filter(
            starts_at__gte=timezone.now(), starts_at__lt=soon
        ):
            when = timezone.localtime(evaluation.starts_at).strftime("%d-%m-%Y %H:%M")
            sent += _remind(
                plan,
                f"evaluation-{evaluation.pk}",
                _("Evaluation due on %(when)s") % {"when": when},
                _("Look at the plan together: what went well, what is next?"),
            )
    return sent


def _remind(plan: Plan, key: str, title: str, body: str) -> int:
    with transaction.atomic():
        _reminder, created = Reminder.objects.get_or_create(plan=plan, key=key)
        if not created:
            return 0
        users = team_accounts(plan)
        if plan.coordinator is not None and plan.coordinator.pk not in {u.pk for u in users}:
            users.append(plan.coordinator)
        tell_many(users, kind="family_plans.reminder", title=title, body=body, url=plan_url(plan))
        record(
            None,
            "family_plans.reminder_sent",
            plan,
            subject=plan.youth.reference,
            purpose=Entry.Purpose.COORDINATION,
            data={"key": key},
        )
    return 1
