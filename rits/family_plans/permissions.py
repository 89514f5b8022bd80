"""Who may read or change a family plan. Every view and API endpoint goes through here.

Outsiders get 404 (the plan's existence is not revealed), whatever their role —
other professionals of the same organisation, municipality staff and admins alike.
Readers who may not change the plan get 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from rits.accounts.models import User
from rits.audit.models import Entry
from rits.audit.services import record
from rits.family_plans import reads
from rits.family_plans.models import CareTeamMember, EmergencyAccess, Person, Plan


@dataclass(frozen=True)
class Access:
    """How the user reaches this plan."""

    kind: str  # "family", "member" or "emergency"
    can_edit: bool
    person: Person | None = None
    member: CareTeamMember | None = None
    user_id: int | None = None

    @property
    def is_family(self) -> bool:
        return self.kind == "family"

    @property
    def is_professional(self) -> bool:
        return (
            self.member is not None and self.member.kind == CareTeamMember.Kind.PROFESSIONAL
        ) or self.kind == "emergency"

    @property
    def purpose(self) -> str:
        if self.kind == "emergency":
            return Entry.Purpose.EMERGENCY
        if self.kind == "family":
            return Entry.Purpose.RIGHTS
        return Entry.Purpose.CARE


def access_for(user: User, plan: Plan) -> Access | None:
    """The user's access to ``plan``, or None. Order: family, care team, emergency.

    Decided on the rows that decide it, read from the database every time: the user's
    own place in the household, their own active membership of the care team, their own
    unexpired emergency access. (The family's other people and the rest of the team,
    which the pages show, come from ``reads.people``.)
    """
    if not user.is_authenticated:
        return None
    person = next(
        iter(
            Person.objects.filter(
                family_id=plan.family_id, user_id=user.pk, role__in=Person.HOUSEHOLD_ROLES
            ).order_by()[:1]
        ),
        None,
    )
    if person is not None:
        # Children under 12 read along; from 12 they write in their own plan.
        age = person.age()
        young = person.role != Person.Role.PARENT and age is not None and age < 12
        return Access("family", can_edit=not young, person=person)
    member = next(
        iter(
            CareTeamMember.objects.select_related("organisation")
            .only(*reads.MEMBER_FIELDS, "organisation__id", "organisation__name")
            .filter(plan_id=plan.pk, user_id=user.pk, status=CareTeamMember.Status.ACTIVE)
            .order_by()[:1]
        ),
        None,
    )
    if member is not None:
        return Access("member", can_edit=member.can_edit, member=member)
    if EmergencyAccess.objects.filter(
        plan=plan, user=user, ended_at__isnull=True, expires_at__gt=timezone.now()
    ).exists():
        return Access("emergency", can_edit=False, user_id=user.pk)
    return None


def _attach_people(plan: Plan, persons: list[Person], members: list[CareTeamMember]) -> None:
    """Give the plan its youth and coordinator from the people just loaded, so that
    reading them costs no query of its own (the plan row was read without joins)."""
    by_pk = {p.pk: p for p in persons}
    if not Plan.youth.is_cached(plan) and plan.youth_id in by_pk:  # type: ignore[attr-defined]
        plan.youth = by_pk[plan.youth_id]
    if plan.coordinator_id is not None and not Plan.coordinator.is_cached(plan):  # type: ignore[attr-defined]
        users = [p.user for p in persons if p.user is not None]
        users += [m.user for m in members if m.user is not None]
        found = next((u for u in users if u.pk == plan.coordinator_id), None)
        if found is not None:
            plan.coordinator = found
    for person in persons:
        Person.family.field.set_cached_value(person, plan.family)  # type: ignore[attr-defined]
    for member in members:
        if member.person_id is not None and member.person_id in by_pk:
            CareTeamMember.person.field.set_cached_value(member, by_pk[member.person_id])  # type: ignore[attr-defined]


def _deny(user: User, plan_id: object, why: str) -> None:
    record(
        user if user.is_authenticated else None,
        "family_plans.access_denied",
        object_type="family_plans.plan",
        object_id=str(plan_id),
        outcome=Entry.Outcome.DENIED,
        purpose=Entry.Purpose.SECURITY,
        data={"why": why},
    )


def get_plan_for_user(user: User, plan_id: int, *, write: bool = False) -> Plan:
    """The plan with ``plan.access`` set; 404 for outsiders, 403 for read-only access.

    A refusal is written to the audit trail: the family sees attempts on their plan too.
    """
    # The youth and the coordinator come with the people the access check loads.
    try:
        plan: Plan | None = Plan.objects.select_related("family").get(pk=plan_id)
    except Plan.DoesNotExist:
        plan = None
    access = access_for(user, plan) if plan is not None else None
    if plan is None or access is None:
        _deny(user, plan_id, "not visible")
        raise Http404
    if write and not access.can_edit:
        _deny(user, plan_id, "read only")
        raise PermissionDenied(_("You may read this plan, but not change it."))
    if write and not plan.is_active:
        raise PermissionDenied(_("This plan is closed. It can no longer be changed."))
    plan.access = access  # type: ignore[attr-defined]
    members, persons = reads.people(plan)
    plan.loaded_persons = persons  # type: ignore[attr-defined]
    plan.loaded_members = members  # type: ignore[attr-defined]
    _attach_people(plan, persons, members)
    return plan


M = TypeVar("M", bound=Model)


def get_part_for_user(
    user: User, model: type[M], plan_id: int, part_id: int, *, write: bool = False
) -> tuple[Plan, M]:
    """A goal, action, decision... of a plan the user may reach; 404 when it belongs elsewhere."""
    plan = get_plan_for_user(user, plan_id, write=write)
    part = model._default_manager.filter(pk=part_id, plan=plan).first()  # type: ignore[misc]
    if part is None:
        raise Http404
    return plan, part


def plan_access(plan: Plan) -> Access:
    """The access computed by ``get_plan_for_user`` for this request."""
    access: Access = plan.access  # type: ignore[attr-defined]
    return access


def is_privacy_officer(user: User) -> bool:
    from rits.accounts.models import Membership

    return user.is_authenticated and user.has_role(Membership.Role.PRIVACY_OFFICER)


def may_break_glass(user: User) -> bool:
    from rits.accounts.models import Membership

    return (
        user.is_authenticated
        and user.kind == User.Kind.PROFESSIONAL
        and user.has_role(Membership.Role.PROFESSIONAL)
    )
