"""Who may read or change a family plan. Every view and API endpoint goes through here.

Outsiders get 404 (the plan's existence is not revealed), whatever their role —
other professionals of the same organisation, municipality staff and admins alike.
Readers who may not change the plan get 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from rits.accounts.models import Membership, Organisation, User
from rits.audit.models import Entry
from rits.audit.services import SELF, record
from rits.family_plans.models import CareTeamMember, EmergencyAccess, Person, Plan
from rits.lib.ages import age_on, reads_along


@dataclass(frozen=True)
class Access:
    """How the user reaches this plan, from their own deciding rows
    (``PlanQuerySet.with_access``)."""

    kind: str  # "family", "member" or "emergency"
    can_edit: bool
    person_id: int | None = None  # their place in the household
    person_role: str = ""
    member_id: int | None = None  # their membership of the care team
    member_kind: str = ""
    member_is_jim: bool = False
    user_id: int | None = None
    # The organisation the user reads or writes for: their care-team membership's, or
    # the one the glass was broken for; empty for the family and the informal network,
    # who act for themselves.
    organisation: str = ""
    # A closed plan is history: nobody changes it or takes part in it any more.
    closed: bool = False

    @property
    def may_change(self) -> bool:
        """Whether the pages and the API offer changes to this user."""
        return self.can_edit and not self.closed

    @property
    def is_family(self) -> bool:
        return self.kind == "family"

    @property
    def is_professional(self) -> bool:
        return self.member_kind == CareTeamMember.Kind.PROFESSIONAL or self.kind == "emergency"

    @property
    def role(self) -> str:
        """The role the user reads or writes in, for the audit trail: their place in the
        household, in the care team, or a professional under emergency access."""
        if self.kind == "family" and self.person_role:
            return f"family.{self.person_role}"
        if self.member_id is not None:
            return "care_team.jim" if self.member_is_jim else f"care_team.{self.member_kind}"
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


@dataclass(frozen=True)
class _Rows:
    """What the decision needs of the user's own deciding rows, read by id."""

    persons: dict[int, tuple[str, Any]]  # id -> (role, date of birth)
    members: dict[int, tuple[bool, str, str, str]]  # id -> (can_edit, kind, role, organisation)
    grants: dict[int, str]  # id -> organisation


def _rows(plans: list[Any]) -> _Rows:
    """One query per kind of row the plans point at (none when no plan points at one)."""
    wanted = {
        name: {getattr(p, f"own_{name}_id") for p in plans} - {None}
        for name in ("person", "member", "grant")
    }
    persons: dict[int, tuple[str, Any]] = {}
    members: dict[int, tuple[bool, str, str, str]] = {}
    grants: dict[int, str] = {}
    if wanted["person"]:
        persons = {
            pk: (role, birth)
            for pk, role, birth in Person.objects.filter(pk__in=wanted["person"]).values_list(
                "pk", "role", "date_of_birth"
            )
        }
    if wanted["member"]:
        members = {
            pk: (can_edit, kind, person_role or "", organisation or "")
            for pk, can_edit, kind, person_role, organisation in CareTeamMember.objects.filter(
                pk__in=wanted["member"]
            ).values_list("pk", "can_edit", "kind", "person__role", "organisation__name")
        }
    if wanted["grant"]:
        grants = {
            pk: organisation or ""
            for pk, organisation in EmergencyAccess.objects.filter(
                pk__in=wanted["grant"]
            ).values_list("pk", "organisation__name")
        }
    return _Rows(persons, members, grants)


def _decide(user: User, plan: Plan, rows: _Rows | None = None) -> Access | None:
    """Access from the ids of ``PlanQuerySet.with_access`` and the rows they name.
    Order: family, care team, emergency."""
    found: Any = plan  # the annotations are not known to the type checker
    rows = rows or _rows([plan])
    closed = not plan.is_active
    if found.own_person_id in rows.persons:
        role, birth = rows.persons[found.own_person_id]
        # Children under 12 read along; from 12 they write in their own plan.
        age = age_on(birth, timezone.localdate()) if birth is not None else None
        young = role != Person.Role.PARENT and reads_along(age)
        return Access(
            "family",
            can_edit=not young,
            person_id=found.own_person_id,
            person_role=role,
            closed=closed,
        )
    if found.own_member_id in rows.members:
        can_edit, kind, person_role, organisation = rows.members[found.own_member_id]
        return Access(
            "member",
            can_edit=bool(can_edit),
            member_id=found.own_member_id,
            member_kind=kind,
            member_is_jim=person_role == Person.Role.JIM,
            organisation=organisation,
            closed=closed,
        )
    if found.own_grant_id in rows.grants:
        return Access(
            "emergency",
            can_edit=False,
            user_id=user.pk,
            organisation=rows.grants[found.own_grant_id],
            closed=closed,
        )
    return None


def access_for(user: User, plan: Plan) -> Access | None:
    """The user's access to ``plan``, or None, read from the database now."""
    found = Plan.objects.with_access(user).filter(pk=plan.pk).first()
    return _decide(user, found) if found is not None else None


def visible_plans(user: User, *related: str) -> list[Plan]:
    """The plans the user may see, each with ``plan.access`` set, so that the audit entry
    of a listing names the role and organisation as a page of the plan does."""
    plans = list(Plan.objects.visible_to(user).select_related(*related))
    rows = _rows(plans)
    for plan in plans:
        plan.access = _decide(user, plan, rows)  # type: ignore[attr-defined]
    return plans


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


def get_plan_for_user(
    user: User, plan_id: int, *, write: bool = False, take_part: bool = False
) -> Plan:
    """The plan with ``plan.access`` set; 404 for outsiders, 403 for read-only access.

    ``write``: the user changes the plan, so needs edit rights on an open plan.
    ``take_part``: the user adds their own part (an answer to a decision, consent), which
    any reader may, but only while the plan is open. This is the one place where a closed
    plan refuses changes: services trust their callers to have come through here.

    A refusal for lack of rights is written to the audit trail: the family sees attempts
    on their plan too.
    """
    # One plan by id: its annotations decide, so the list's visibility filter is not needed.
    plan = (
        Plan.objects.with_access(user).select_related("family", "youth").filter(pk=plan_id).first()
    )
    access = _decide(user, plan) if plan is not None else None
    if plan is None or access is None:
        _deny(user, plan_id, "not visible")
        raise Http404
    if write and not access.can_edit:
        _deny(user, plan_id, "read only")
        raise PermissionDenied(_("You may read this plan, but not change it."))
    if (write or take_part) and access.closed:
        raise PermissionDenied(_("This plan is closed. It can no longer be changed."))
    plan.access = access  # type: ignore[attr-defined]
    return plan


M = TypeVar("M", bound=Model)


def get_part_for_user(
    user: User,
    model: type[M],
    plan_id: int,
    part_id: int,
    *,
    write: bool = False,
    take_part: bool = False,
) -> tuple[Plan, M]:
    """A goal, action, decision... of a plan the user may reach; 404 when it belongs
    elsewhere. ``write`` and ``take_part`` as for ``get_plan_for_user``."""
    plan = get_plan_for_user(user, plan_id, write=write, take_part=take_part)
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
