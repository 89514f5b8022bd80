"""Role rules are decided on who someone is, not on the name typed: the JIM is not a
parent, one person is in the network once, nobody joins their own family's care team as
a professional. Identity is the e-mail address of a person or of their account (any
case), or, for someone without one, a household member's name and birth date."""

from __future__ import annotations

from typing import Any

from django.core import mail

from rits.accounts.models import Membership
from rits.family_plans import services
from rits.family_plans.models import CareTeamMember, Invitation, Person
from rits.family_plans.tests.base import FamilyPlanTestCase, born_years_ago
from rits.testing import login, make_user

API = "/api/v1/family-plans/plans"


class IdentityTests(FamilyPlanTestCase):
    def invite_jim(self, **kw: Any) -> CareTeamMember:
        data: dict[str, Any] = {
            "name": "Iemand Anders",
            "date_of_birth": born_years_ago(40),
            "email": "anders@test.rits.nl",
        } | kw
        return services.invite_jim(self.with_access(self.youth), actor=self.youth, **data)

    def assert_no_new_jim(self) -> None:
        self.assertEqual(Person.objects.filter(role=Person.Role.JIM).count(), 1)
        self.assertEqual(CareTeamMember.objects.filter(person__role=Person.Role.JIM).count(), 1)
        self.assertFalse(Invitation.objects.exists())

    # --- the JIM -------------------------------------------------------------------------

    def test_a_parent_cannot_be_the_jim_under_another_name(self) -> None:
        # Petra's account address, typed in another case, with a made-up name.
        with self.assertRaisesMessage(services.PlanError, "Een ouder kan niet de JIM zijn"):
            self.invite_jim(name="P. de Vries", email="OUDER@test.rits.nl")
        self.assert_no_new_jim()

    def test_a_parent_without_an_account_is_known_by_their_address(self) -> None:
        Person.objects.create(
            family=self.family,
            role=Person.Role.PARENT,
            name="Paul Ouder",
            email="paul@test.rits.nl",
        )
        with self.assertRaisesMessage(services.PlanError, "Een ouder kan niet de JIM zijn"):
            self.invite_jim(name="Paultje", email="Paul@Test.Rits.nl")
        self.assert_no_new_jim()

    def test_a_household_member_typed_again_without_address_is_refused(self) -> None:
        Person.objects.create(
            family=self.family,
            role=Person.Role.PARENT,
            name="Paul Ouder",
            date_of_birth=born_years_ago(45),
        )
        with self.assertRaisesMessage(services.PlanError, "Een ouder kan niet de JIM zijn"):
            self.invite_jim(name="paul ouder", date_of_birth=born_years_ago(45), email="")
        self.assert_no_new_jim()

    def test_the_jim_cannot_be_invited_a_second_time(self) -> None:
        with self.assertRaisesMessage(services.PlanError, "is al de JIM"):
            self.invite_jim(name="Jan", email="jim@test.rits.nl")
        self.assert_no_new_jim()

    def test_someone_in_the_network_is_not_added_twice_as_jim(self) -> None:
        Person.objects.create(
            family=self.family, role=Person.Role.COACH, name="Trainer", email="coach@test.rits.nl"
        )
        with self.assertRaisesMessage(services.PlanError, "staat al in het gezin of netwerk"):
            self.invite_jim(email="coach@test.rits.nl")
        self.assert_no_new_jim()

    def test_another_adult_can_still_be_the_jim(self) -> None:
        with self.captureOnCommitCallbacks(execute=True):
            member = self.invite_jim()
        assert member.person is not None
        self.assertEqual(member.person.role, Person.Role.JIM)
        self.assertTrue(any(m.to == ["anders@test.rits.nl"] for m in mail.outbox))

    def test_the_api_refuses_a_parent_as_jim(self) -> None:
        login(self.client, self.youth)
        r = self.client.post(
            f"{API}/{self.plan.pk}/jim",
            {
                "name": "Iemand",
                "date_of_birth": born_years_ago(40).isoformat(),
                "email": "ouder@test.rits.nl",
            },
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 400)
        self.assertEqual(r["Content-Type"], "application/problem+json")
        self.assert_no_new_jim()

    def test_the_team_page_refuses_a_parent_as_jim(self) -> None:
        login(self.client, self.youth)
        r = self.client.post(
            f"/gezin/{self.plan.pk}/jim/",
            {
                "name": "Iemand",
                "date_of_birth": born_years_ago(40).isoformat(),
                "email": "ouder@test.rits.nl",
            },
            follow=True,
        )
        self.assertContains(r, "JIM")
        self.assert_no_new_jim()

    def test_an_outsider_cannot_invite_a_jim(self) -> None:
        login(self.client, self.outsider)
        r = self.client.post(
            f"/gezin/{self.plan.pk}/jim/",
            {"name": "X", "date_of_birth": born_years_ago(40).isoformat(), "email": "x@t.nl"},
        )
        self.assertEqual(r.status_code, 404)
        self.assert_no_new_jim()

    # --- the network ---------------------------------------------------------------------

    def test_adding_someone_with_a_known_address_is_refused(self) -> None:
        login(self.client, self.coordinator)
        before = Person.objects.count()
        r = self.client.post(
            f"/gezin/{self.plan.pk}/personen/nieuw/",
            {"role": "grandparent", "name": "Oma", "email": "Ouder@test.rits.nl"},
        )
        self.assertContains(r, "staat al in het gezin of netwerk", status_code=400)
        r = self.client.post(
            f"{API}/{self.plan.pk}/persons",
            {"role": "neighbour", "name": "Buur", "email": "jongere@test.rits.nl"},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 400)
        self.assertEqual(Person.objects.count(), before)

    def test_giving_someone_the_address_of_another_is_refused(self) -> None:
        coach = Person.objects.create(family=self.family, role=Person.Role.COACH, name="Trainer")
        plan = self.with_access(self.coordinator)
        with self.assertRaises(services.PersonChangeRefused):
            services.update_person(
                coach, actor=self.coordinator, plan=plan, version=1, email="ouder@test.rits.nl"
            )
        coach.refresh_from_db()
        self.assertEqual(coach.email, "")

    def test_inviting_a_person_at_another_persons_address_is_refused(self) -> None:
        other = Person.objects.create(family=self.family, role=Person.Role.PARENT, name="Paul")
        with self.assertRaises(services.PlanError):
            services.invite_person(
                other,
                self.with_access(self.coordinator),
                actor=self.coordinator,
                email="jongere@test.rits.nl",
            )
        self.assertFalse(Invitation.objects.exists())

    # --- the care team ---------------------------------------------------------------------

    def test_a_parent_who_is_a_professional_cannot_join_as_professional(self) -> None:
        colleague = make_user("paul.werk@test.rits.nl", "Paul Ouder")
        Membership.objects.create(
            user=colleague, organisation=self.org_b, role=Membership.Role.PROFESSIONAL
        )
        Person.objects.create(
            family=self.family,
            role=Person.Role.PARENT,
            name="Paul Ouder",
            email="paul.werk@test.rits.nl",
        )
        with self.assertRaisesMessage(services.PlanError, "eigen gezin"):
            services.propose_member(
                self.with_access(self.coordinator), actor=self.coordinator, user=colleague
            )
        self.assertFalse(CareTeamMember.objects.filter(user=colleague).exists())

    def test_a_professional_from_outside_the_family_can_still_be_proposed(self) -> None:
        member = services.propose_member(
            self.with_access(self.coordinator), actor=self.coordinator, user=self.outsider
        )
        self.assertEqual(member.status, CareTeamMember.Status.PENDING)

    # --- the plan ----------------------------------------------------------------------------

    def test_a_second_plan_for_the_same_youth_is_refused_whatever_the_names(self) -> None:
        import random

        from rits.family_plans.models import Plan
        from rits.lib.pseudonyms import synthetic_bsn

        with self.assertRaises(services.PlanError):
            services.start_plan(
                actor=self.outsider,
                family_name="Ander gezin",
                youth_name="J. Jongere",
                youth_birth=born_years_ago(14),
                parent_names=["Iemand"],
                youth_bsn=synthetic_bsn(random.Random(41)),  # Jesse's, as in the base
                consent_in_person=True,
            )
        self.assertEqual(Plan.objects.count(), 1)
