"""Who may see what of the dialogue tables, defined once.

- A table: its facilitator, its chair and the people invited to it (unless they declined).
  The account only once the facilitator has released it (before that: the facilitator).
- Consent: the youth and the parents of the plan's household; for a trajectory entered
  by hand, the facilitator who records consent given on paper.
- Figures across tables: facilitators, researchers and municipality staff of the region;
  the pseudonymised segments behind them: facilitators and researchers only.
- An improvement action: its owner and the table's facilitator and chair.

Everyone else gets a 404, so nobody learns which tables exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from rits.accounts.models import Membership, User
from rits.dialogues.models import (
    Code,
    DialogueTable,
    Finding,
    ImprovementAction,
    Participant,
    Trajectory,
)
from rits.family_plans.models import Person

Role = Membership.Role
FIGURE_ROLES = (Role.FACILITATOR, Role.RESEARCHER, Role.MUNICIPALITY_STAFF)
SEGMENT_ROLES = (Role.FACILITATOR, Role.RESEARCHER)


def regions_of(user: User, *roles: str) -> set[int]:
    """The regions in which the user holds one of ``roles``."""
    if not user.is_authenticated:
        return set()
    return set(
        user.memberships.filter(active=True, role__in=roles).values_list(
            "organisation__region_id", flat=True
        )
    )


def is_facilitator(user: User, region_id: int) -> bool:
    return region_id in regions_of(user, Role.FACILITATOR)


def tables_visible_to(user: User) -> QuerySet[DialogueTable]:
    if not user.is_authenticated:
        return DialogueTable.objects.none()
    seats = Participant.objects.filter(user=user).exclude(answer=Participant.Answer.DECLINED)
    return DialogueTable.objects.filter(
        Q(facilitator=user) | Q(chair=user) | Q(pk__in=seats.values("table_id"))
    )


@dataclass(frozen=True)
class Seat:
    """Where the user sits at a table."""

    table: DialogueTable
    facilitator: bool
    chair: bool
    roles: frozenset[str]

    @property
    def may_manage(self) -> bool:
        return self.facilitator

    @property
    def may_record(self) -> bool:
        return self.facilitator or self.chair

    @property
    def may_second_code(self) -> bool:
        return Participant.Role.SECOND_CODER in self.roles

    @property
    def sees_account(self) -> bool:
        account = getattr(self.table, "account", None)
        return self.facilitator or (account is not None and account.is_released)


def get_table_for_user(user: User, table_id: int) -> Seat:
    table = (
        tables_visible_to(user)
        .select_related("region", "municipality", "facilitator", "chair")
        .filter(pk=table_id)
        .first()
    )
    if table is None:
        raise Http404
    roles = frozenset(
        Participant.objects.filter(table=table, user=user)
        .exclude(answer=Participant.Answer.DECLINED)
        .values_list("role", flat=True)
    )
    return Seat(
        table=table,
        facilitator=table.facilitator_id == user.pk,
        chair=table.chair_id == user.pk,
        roles=roles,
    )


def get_managed_table(user: User, table_id: int) -> DialogueTable:
    seat = get_table_for_user(user, table_id)
    if not seat.may_manage:
        raise Http404
    return seat.table


def household_person(user: User, trajectory: Trajectory) -> Person | None:
    """The user's place (youth or parent) in the household of the trajectory's plan."""
    if trajectory.plan_id is None or not user.is_authenticated:
        return None
    return (
        Person.objects.filter(
            family__plans=trajectory.plan_id,
            user=user,
            role__in=(Person.Role.YOUTH, Person.Role.PARENT),
        )
        .order_by("pk")
        .first()
    )


def get_trajectory_for_consent(user: User, trajectory_id: int) -> tuple[Trajectory, Person | None]:
    """The trajectory with the user's household place, or with None for the facilitator
    of the region of a trajectory entered by hand."""
    trajectory = (
        Trajectory.objects.select_related("region", "plan").filter(pk=trajectory_id).first()
    )
    if trajectory is None or not user.is_authenticated:
        raise Http404
    person = household_person(user, trajectory)
    if person is not None:
        return trajectory, person
    if trajectory.source == Trajectory.Source.MANUAL and is_facilitator(user, trajectory.region_id):
        return trajectory, None
    raise Http404


def trajectories_for_facilitator(user: User) -> QuerySet[Trajectory]:
    return Trajectory.objects.filter(
        region_id__in=regions_of(user, Role.FACILITATOR), withdrawn_at__isnull=True
    )


def actions_visible_to(user: User) -> QuerySet[ImprovementAction]:
    if not user.is_authenticated:
        return ImprovementAction.objects.none()
    return ImprovementAction.objects.filter(
        Q(owner=user)
        | Q(finding__table__facilitator=user)
        | Q(finding__table__chair=user)
        | Q(region_id__in=regions_of(user, Role.FACILITATOR))
    )


def get_action_for_user(user: User, action_id: int) -> ImprovementAction:
    action = (
        actions_visible_to(user)
        .select_related("owner", "owner_organisation", "finding__table")
        .filter(pk=action_id)
        .first()
    )
    if action is None:
        raise Http404
    return action


def codes_visible_to(user: User) -> QuerySet[Code]:
    return Code.objects.filter(region_id__in=regions_of(user, *FIGURE_ROLES))


def get_code_for_user(user: User, code_id: int) -> Code:
    code = codes_visible_to(user).select_related("theme", "merged_into").filter(pk=code_id).first()
    if code is None:
        raise Http404
    return code


def findings_for_research(user: User) -> QuerySet[Finding]:
    """Segments a researcher or facilitator may read: their region's, with consent in place."""
    return Finding.objects.filter(table__region_id__in=regions_of(user, *SEGMENT_ROLES)).exclude(
        trajectory__withdrawn_at__isnull=False
    )
