"""A family around the RitsTestCase personas: Jesse (14) with parent Petra, a plan
coordinated by Ria, Pim (organisation A) in the care team, and Jan as Jesse's JIM."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils import timezone

from rits.accounts.models import Organisation, User
from rits.family_plans.models import (
    CareTeamMember,
    Consent,
    Family,
    Person,
    Plan,
)
from rits.lib.ages import add_years
from rits.lib.pseudonyms import pseudonymise_bsn, synthetic_bsn
from rits.testing import RitsTestCase


def born_years_ago(years: int, days: int = 10) -> date:
    """A birth date that makes someone ``years`` old today (``days`` past the birthday)."""
    today = timezone.localdate()
    return add_years(today, -years) - timedelta(days=days)


class FamilyPlanTestCase(RitsTestCase):
    family: Family
    youth_person: Person
    parent_person: Person
    jim_person: Person
    plan: Plan
    coordinator_member: CareTeamMember
    professional_member: CareTeamMember
    jim_member: CareTeamMember

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.family = Family.objects.create(name="Gezin Jongere (test)", municipality=cls.heerlen)
        cls.youth_person = Person.objects.create(
            family=cls.family,
            role=Person.Role.YOUTH,
            name="Jesse Jongere",
            date_of_birth=born_years_ago(14),
            bsn_pseudonym=pseudonymise_bsn(synthetic_bsn(random.Random(41))),
            user=cls.youth,
        )
        cls.parent_person = Person.objects.create(
            family=cls.family, role=Person.Role.PARENT, name="Petra Ouder", user=cls.parent
        )
        cls.jim_person = Person.objects.create(
            family=cls.family,
            role=Person.Role.JIM,
            name="Jan Mentor",
            date_of_birth=born_years_ago(45),
            user=cls.jim,
        )
        cls.plan = Plan.objects.create(
            family=cls.family, youth=cls.youth_person, coordinator=cls.coordinator
        )
        cls.coordinator_member = cls.add_member(cls.coordinator, cls.area_team)
        cls.professional_member = cls.add_member(cls.professional, cls.org_a)
        cls.jim_member = CareTeamMember.objects.create(
            plan=cls.plan,
            kind=CareTeamMember.Kind.INFORMAL,
            person=cls.jim_person,
            user=cls.jim,
            title="JIM",
            status=CareTeamMember.Status.ACTIVE,
        )
        for giver in (cls.youth_person, cls.parent_person):
            Consent.objects.create(
                member=cls.jim_member, purpose=Consent.Purpose.PLAN, given_by=giver
            )

    @classmethod
    def add_member(
        cls,
        user: User,
        organisation: Organisation,
        *,
        active: bool = True,
        plan: Plan | None = None,
    ) -> CareTeamMember:
        plan = plan or cls.plan
        member = CareTeamMember.objects.create(
            plan=plan,
            kind=CareTeamMember.Kind.PROFESSIONAL,
            user=user,
            organisation=organisation,
            status=CareTeamMember.Status.ACTIVE if active else CareTeamMember.Status.PENDING,
        )
        if active:
            for giver in plan.family.persons.filter(
                role__in=[Person.Role.YOUTH, Person.Role.PARENT]
            ):
                Consent.objects.create(member=member, purpose=Consent.Purpose.PLAN, given_by=giver)
        return member

    def with_access(self, user: User, plan: Plan | None = None) -> Plan:
        """The plan as a service receives it from the access helper."""
        from rits.family_plans.permissions import get_plan_for_user

        return get_plan_for_user(user, (plan or self.plan).pk)

    @property
    def readers(self) -> list[User]:
        return [self.coordinator, self.professional, self.parent, self.youth, self.jim]

    @property
    def outsiders(self) -> list[User]:
        return [self.outsider, self.municipality_officer, self.privacy_officer, self.admin]
