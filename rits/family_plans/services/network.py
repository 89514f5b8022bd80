"""The family's network: persons and the lines between them (the ecogram)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from rits.accounts.models import User
from rits.family_plans import rules
from rits.family_plans.models import (
    CareTeamMember,
    Person,
    Plan,
    Relationship,
)
from rits.family_plans.services.audit import audit, renew_family_content
from rits.family_plans.services.errors import PlanError
from rits.family_plans.services.invitations import identity_problem
from rits.family_plans.services.versions import save_versioned
from rits.lib import ages


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
