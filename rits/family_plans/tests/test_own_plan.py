"""A family starts its own plan: a parent, or a youth of 16+, coordinates it and invites
the professionals it chooses, who join only with the family's consent."""

from __future__ import annotations

from typing import Any

from rits.family_plans.models import CareTeamMember, Family, Person, Plan
from rits.family_plans.tests.base import FamilyPlanTestCase, born_years_ago
from rits.testing import AuditAssertions, login

START = "/gezin/nieuw/"


class OwnPlanTests(AuditAssertions, FamilyPlanTestCase):
    def setUp(self) -> None:
        # The family's earlier plan (with Ria and Pim) is closed: a new one may start.
        Plan.objects.filter(pk=self.plan.pk).update(status=Plan.Status.CLOSED)

    def new_plan(self) -> Plan:
        return Plan.objects.get(family=self.family, status=Plan.Status.ACTIVE)

    def test_a_parent_starts_the_plan_and_coordinates_it(self) -> None:
        login(self.client, self.parent)
        self.assertContains(self.client.get("/gezin/"), START)
        r = self.client.post(START, {"youth": self.youth_person.pk})
        plan = self.new_plan()
        self.assertRedirects(r, f"/gezin/{plan.pk}/team/", fetch_redirect_response=False)
        self.assertEqual(plan.coordinator, self.parent)
        self.assertEqual(plan.youth, self.youth_person)
        self.assertFalse(plan.members.exists())
        self.assert_audited("family_plans.plan_started", actor=self.parent, by="family")
        self.assertEqual(self.client.get(f"/gezin/{plan.pk}/").status_code, 200)

    def test_the_family_invites_a_professional_who_joins_with_consent(self) -> None:
        login(self.client, self.parent)
        self.client.post(START, {"youth": self.youth_person.pk})
        plan = self.new_plan()
        self.client.post(
            f"/gezin/{plan.pk}/team/nieuw/", {"email": "Hulpverlener@test.rits.nl", "title": ""}
        )
        member = CareTeamMember.objects.get(plan=plan, user=self.professional)
        self.assertEqual(member.status, CareTeamMember.Status.PENDING)
        login(self.client, self.professional)
        self.assertEqual(self.client.get(f"/gezin/{plan.pk}/").status_code, 404)
        # Jesse is 14: the parent and the youth consent together.
        for giver in (self.parent, self.youth):
            login(self.client, giver)
            self.client.post(f"/gezin/{plan.pk}/team/{member.pk}/toestemming/", {"purpose": "plan"})
        member.refresh_from_db()
        self.assertEqual(member.status, CareTeamMember.Status.ACTIVE)
        login(self.client, self.professional)
        self.assertEqual(self.client.get(f"/gezin/{plan.pk}/").status_code, 200)

    def test_a_youth_of_16_starts_their_own_plan(self) -> None:
        self.youth_person.date_of_birth = born_years_ago(16)
        self.youth_person.save()
        login(self.client, self.youth)
        self.client.post(START, {"youth": self.youth_person.pk})
        self.assertEqual(self.new_plan().coordinator, self.youth)

    def test_a_youth_under_16_cannot_start_a_plan(self) -> None:
        login(self.client, self.youth)
        self.assertEqual(self.client.post(START, {"youth": self.youth_person.pk}).status_code, 403)
        self.assertFalse(Plan.objects.filter(status=Plan.Status.ACTIVE).exists())

    def test_not_while_the_family_has_an_active_plan(self) -> None:
        Plan.objects.filter(pk=self.plan.pk).update(status=Plan.Status.ACTIVE)
        login(self.client, self.parent)
        self.assertEqual(self.client.get(START).status_code, 403)
        self.assertEqual(Plan.objects.filter(family=self.family).count(), 1)

    def test_the_jim_cannot_start_the_familys_plan(self) -> None:
        login(self.client, self.jim)
        self.assertEqual(self.client.post(START, {"youth": self.youth_person.pk}).status_code, 403)
        self.assertFalse(Plan.objects.filter(status=Plan.Status.ACTIVE).exists())

    def test_a_youth_of_another_family_is_refused(self) -> None:
        other = Family.objects.create(name="Ander gezin")
        stranger = Person.objects.create(
            family=other, role=Person.Role.YOUTH, name="Vreemde", date_of_birth=born_years_ago(9)
        )
        login(self.client, self.parent)
        r = self.client.post(START, {"youth": stranger.pk})
        self.assertEqual(r.status_code, 400)
        self.assertFalse(Plan.objects.filter(family=other).exists())

    def test_an_outsider_does_not_see_the_new_plan(self) -> None:
        login(self.client, self.parent)
        self.client.post(START, {"youth": self.youth_person.pk})
        plan = self.new_plan()
        login(self.client, self.outsider)
        self.assertEqual(self.client.get(f"/gezin/{plan.pk}/").status_code, 404)


OWN_API = "/api/v1/family-plans/plans/own"


class OwnPlanApiTests(AuditAssertions, FamilyPlanTestCase):
    """The same through the JSON API."""

    def setUp(self) -> None:
        Plan.objects.filter(pk=self.plan.pk).update(status=Plan.Status.CLOSED)

    def post(self, youth_id: int) -> Any:
        return self.client.post(OWN_API, {"youth_id": youth_id}, content_type="application/json")

    def test_a_parent_starts_the_plan_and_coordinates_it(self) -> None:
        login(self.client, self.parent)

        r = self.post(self.youth_person.pk)

        self.assertEqual(r.status_code, 201)
        plan = Plan.objects.get(pk=r.json()["id"])
        self.assertEqual((plan.coordinator, plan.youth), (self.parent, self.youth_person))
        self.assert_audited("family_plans.plan_started", actor=self.parent, by="family")
        got = self.client.get(f"/api/v1/family-plans/plans/{plan.pk}")
        self.assertEqual(got.status_code, 200)

    def test_who_may_not_gets_one_answer_and_nothing_changes(self) -> None:
        other = Family.objects.create(name="Ander gezin")
        stranger = Person.objects.create(
            family=other, role=Person.Role.YOUTH, name="Vreemde", date_of_birth=born_years_ago(9)
        )
        cases = [
            (self.youth, self.youth_person.pk),  # 14: not alone
            (self.jim, self.youth_person.pk),
            (self.professional, self.youth_person.pk),
            (self.outsider, self.youth_person.pk),
            (self.parent, stranger.pk),  # another family's youth
            (self.parent, 999_999),  # no such person
        ]
        answers = set()
        for user, youth_id in cases:
            with self.subTest(user=user.email, youth=youth_id):
                login(self.client, user)
                r = self.post(youth_id)
                self.assertEqual(r.status_code, 400)
                self.assertEqual(r["Content-Type"], "application/problem+json")
                answers.add(r.json()["title"])
        self.assertEqual(len(answers), 1)
        self.assertFalse(Plan.objects.filter(status=Plan.Status.ACTIVE).exists())

    def test_not_while_the_family_has_an_active_plan(self) -> None:
        Plan.objects.filter(pk=self.plan.pk).update(status=Plan.Status.ACTIVE)
        login(self.client, self.parent)

        self.assertEqual(self.post(self.youth_person.pk).status_code, 400)
        self.assertEqual(Plan.objects.filter(family=self.family).count(), 1)
