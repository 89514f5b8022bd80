"""Who may read or change a family plan. Every view and API endpoint goes through here.

Outsiders get 404 (the plan's existence is not revealed), whatever their role —
other professionals of the same organisation, municipality staff and admins alike.
Readers who may not change the plan get 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from rits.accounts.models import Membership, Organisation, User
from rits.audit.models import Entry
from rits.audit.services import SELF, record
from rits.family_plans import reads
from rits.family_plans.models import CareTeamMember, EmergencyAccess, Family, Person, Plan
from rits.lib import plain_sql
from rits.lib.ages import age_on, reads_along


@dataclass(frozen=True)
class Access:
    """How the user reaches this plan."""

    kind: str  # "family", "member" or "emergency"
    can_edit: bool
    person: Person | None = None
    member: CareTeamMember | None = None
    user_id: int | None = None
    # Under emergency access: the organisation the glass was broken for.
    emergency_organisation: str = ""

    @property
    def is_family(self) -> bool:
        return self.kind == "family"

    @property
    def is_professional(self) -> bool:
        return (
            self.member is not None and self.member.kind == CareTeamMember.Kind.PROFESSIONAL
        ) or self.kind == "emergency"

    @property
    def organisation(self) -> str:
        """The organisation the user reads or writes for; empty for the family and the
        informal network, who act for themselves."""
        if self.member is not None and self.member.organisation is not None:
            return self.member.organisation.name
        return self.emergency_organisation

    @property
    def role(self) -> str:
        """The role the user reads or writes in, for the audit trail: their place in the
        household, in the care team, or a professional under emergency access."""
        if self.kind == "family" and self.person is not None:
            return f"family.{self.person.role}"
        if self.member is not None:
            return "care_team.jim" if self.member.is_jim else f"care_team.{self.member.kind}"
        return f"{self.kind}.professional" if self.kind == "emergency" else self.kind

    @property
    def on_behalf_of(self) -> str:
        """A professional acts for their organisation, everyone else for themselves."""
        return self.organisation or SELF

    @property
    def purpose(self) -> str:
        if self.kind == "emergency":
            return Entry.Purpose.EMERGENCY
        if self.kind == "family":
            return Entry.Purpose.RIGHTS
        return Entry.Purpose.CARE


# The deciding rows, read in one statement on every plan request (see rits.lib.plain_sql;
# the same queries through the ORM took 1.5 ms against 0.14 ms). The access
# matrix tests run it on SQLite and PostgreSQL.
_DECIDING_ROWS = """
SELECT plan.*, family.name AS family_name, family.municipality_id AS family_municipality_id,
       person.id AS own_person_id, person.role AS own_person_role,
       person.date_of_birth AS own_person_birth,
       member.id AS own_member_id, member.can_edit AS own_member_can_edit
FROM family_plans_plan plan
JOIN family_plans_family family ON family.id = plan.family_id
LEFT JOIN family_plans_person person
       ON person.family_id = plan.family_id AND person.user_id = %s AND person.role IN ({roles})
LEFT JOIN family_plans_careteammember member
       ON member.plan_id = plan.id AND member.user_id = %s AND member.status = %s
WHERE plan.id = %s
ORDER BY person.id, member.id
LIMIT 1
""".format(roles=", ".join(["%s"] * len(Person.HOUSEHOLD_ROLES)))


def _read_with_deciding_rows(user: User, plan_id: int) -> Plan | None:
    """The plan (with its family's name) and, as ``own_*`` attributes, the user's own
    place in the household and own active membership of the care team, if any."""
    params = [user.pk, *Person.HOUSEHOLD_ROLES, user.pk, CareTeamMember.Status.ACTIVE, plan_id]
    plan = plain_sql.first(Plan, _DECIDING_ROWS, params)
    if plan is not None:
        plan.family = Family.from_db(
            plan._state.db,
            ["id", "name", "municipality_id"],
            [plan.family_id, plan.family_name, plan.family_municipality_id],  # type: ignore[attr-defined]
        )
    return plan


def access_for(user: User, plan: Plan) -> Access | None:
    """The user's access to ``plan``, or None. Order: family, care team, emergency.

    Decided on the rows that decide it, read from the database every time: the user's
    own place in the household, their own active membership of the care team, their own
    unexpired emergency access. (The family's other people and the rest of the team,
    which the pages show, come from ``reads.people``.)
    """
    if not user.is_authenticated:
        return None
    found = _read_with_deciding_rows(user, plan.pk)
    return _decide(user, found) if found is not None else None


def visible_plans(user: User, *related: str) -> list[Plan]:
    """The plans the user may see, each with ``plan.access`` set, so that the audit entry
    of a listing names the role and organisation as a page of the plan does."""
    plans = []
    for plan in Plan.objects.visible_to(user).select_related(*related):
        access = access_for(user, plan)
        if access is not None:  # changed between the two reads: leave it out
            plan.access = access  # type: ignore[attr-defined]
            plans.append(plan)
    return plans


def _decide(user: User, plan: Plan) -> Access | None:
    """Access from the deciding rows read with ``plan``. The person or member object
    it carries (names, organisation) is the one the pages show, when the people kept
    for this version of the plan hold it."""
    own_person_id = plan.own_person_id  # type: ignore[attr-defined]
    if own_person_id is not None:
        # Children under 12 read along; from 12 they write in their own plan.
        birth = Person._meta.get_field("date_of_birth").to_python(plan.own_person_birth)  # type: ignore[attr-defined]
        age = age_on(birth, timezone.localdate()) if birth is not None else None
        young = plan.own_person_role != Person.Role.PARENT and reads_along(age)  # type: ignore[attr-defined]
        members, persons = _people(plan)
        person = next((p for p in persons if p.pk == own_person_id), None)
        if person is None:  # not among the people kept: changed outside Rits' services
            person = Person.objects.get(pk=own_person_id)
        return Access("family", can_edit=not young, person=person)
    own_member_id = plan.own_member_id  # type: ignore[attr-defined]
    if own_member_id is not None:
        members, persons = _people(plan)
        member = next((m for m in members if m.pk == own_member_id), None)
        if member is None:
            member = CareTeamMember.objects.select_related("organisation").get(pk=own_member_id)
        return Access("member", can_edit=bool(plan.own_member_can_edit), member=member)  # type: ignore[attr-defined]
    grant = (
        EmergencyAccess.objects.filter(
            plan_id=plan.pk, user=user, ended_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("organisation")
        .first()
    )
    if grant is not None:
        organisation = grant.organisation.name if grant.organisation is not None else ""
        return Access(
            "emergency", can_edit=False, user_id=user.pk, emergency_organisation=organisation
        )
    return None


def _people(plan: Plan) -> tuple[list[CareTeamMember], list[Person]]:
    """``reads.people`` once per request, kept on the plan for the views."""
    if not hasattr(plan, "loaded_members"):
        plan.loaded_members, plan.loaded_persons = reads.people(plan)  # type: ignore[attr-defined]
    return plan.loaded_members, plan.loaded_persons  # type: ignore[attr-defined]


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
    plan = _read_with_deciding_rows(user, plan_id) if user.is_authenticated else None
    access = _decide(user, plan) if plan is not None else None
    if plan is None or access is None:
        _deny(user, plan_id, "not visible")
        raise Http404
    if write and not access.can_edit:
        _deny(user, plan_id, "read only")
        raise PermissionDenied(_("You may read this plan, but not change it."))
    if write and not plan.is_active:
        raise PermissionDenied(_("This plan is closed. It can no longer be changed."))
    plan.access = access  # type: ignore[attr-defined]
    members, persons = _people(plan)
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
    return user.is_authenticated and user.has_role(Membership.Role.PRIVACY_OFFICER)


# Who may break the glass: a professional (hulpverlener) of an organisation that gives
# care or protects youths. Schools, the police, municipalities and knowledge institutes
# ask one of these; editors, index reporters, municipality staff, privacy officers,
# admins and researchers never read a plan without consent.
BREAK_GLASS_ROLES = frozenset({Membership.Role.PROFESSIONAL})
BREAK_GLASS_ORGANISATION_KINDS = frozenset(
    {
        Organisation.Kind.AREA_TEAM,
        Organisation.Kind.YOUTH_CARE_PROVIDER,
        Organisation.Kind.YOUTH_HEALTH_CARE,
        Organisation.Kind.VEILIG_THUIS,
        Organisation.Kind.MENTAL_HEALTH,
    }
)
# A closed plan is history, not care: only acute danger justifies reading it.
CLOSED_PLAN_REASON_CLASSES = frozenset({EmergencyAccess.ReasonClass.ACUTE_SAFETY})


def _break_glass_memberships(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(
        user=user,
        active=True,
        role__in=BREAK_GLASS_ROLES,
        organisation__kind__in=BREAK_GLASS_ORGANISATION_KINDS,
    ).select_related("organisation")


def may_break_glass(user: User) -> bool:
    """Whether the user may ask for emergency access at all (to some plan)."""
    return (
        user.is_authenticated
        and user.kind == User.Kind.PROFESSIONAL
        and _break_glass_memberships(user).exists()
    )


def break_glass_membership(user: User) -> Membership | None:
    """The membership a refused emergency request is audited with: the same whichever
    plan number was asked for, so the trail does not tell which numbers exist."""
    return _break_glass_memberships(user).order_by("pk").first()


def plan_for_emergency(
    user: User, plan_id: int, reason_class: str
) -> tuple[Plan, Membership] | None:
    """The plan ``user`` may open under emergency access, with the membership (in the
    family's region) they open it for; None when they may not.

    None alike for a plan that does not exist, a plan outside the regions the user's
    organisations work in, and a closed plan without a reason class that allows it:
    callers answer all three the same way, so nobody can learn which numbers exist.
    """
    if not may_break_glass(user):
        return None
    plan = Plan.objects.select_related("family__municipality", "youth").filter(pk=plan_id).first()
    if plan is None or plan.family.municipality is None:
        return None
    if not plan.is_active and reason_class not in CLOSED_PLAN_REASON_CLASSES:
        return None
    membership = (
        _break_glass_memberships(user)
        .filter(organisation__region_id=plan.family.municipality.region_id)
        .order_by("pk")
        .first()
    )
    return (plan, membership) if membership is not None else None
