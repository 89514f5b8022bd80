"""The JIM: chosen by the youth, an adult and not a parent; stays after professionals leave."""

from __future__ import annotations

from typing import Any

from django.core import mail

from rits.family_plans import services
from rits.family_plans.models import CareTeamMember, Goal, Invitation, Person, Plan
from rits.family_plans.tests.base import FamilyPlanTestCase, born_years_ago
from rits.family_plans.tests.test_invitation import PASSWORD, STEPS, code_in, token_in
from rits.testing import login


class JimTests(FamilyPlanTestCase):
    def invite(self, actor=None, **kw):  # type: ignore[no-untyped-def]
        plan = self.with_access(actor or self.youth)
        data: dict[str, Any] = {
            "name": "Oma Truus",
            "date_of_birth": born_years_ago(60),
            "email": "truus@test.rits.nl",
        } | kw
        with self.captureOnCommitCallbacks(execute=True):
            return services.invite_jim(plan, actor=actor or self.youth, **data)

    def test_a_youth_under_16_needs_a_parent_to_agree(self) -> None:
        member = self.invite()
        self.assertEqual(member.status, CareTeamMember.Status.PENDING)
        self.assertEqual(
            [m.to for m in mail.outbox if "/gezin/uitnodiging/" in m.body], [["truus@test.rits.nl"]]
        )
        self.assertTrue(
            self.parent.notifications.filter(kind="family_plans.consent_asked").exists()
        )
        services.give_consent(member, actor=self.parent)
        member.refresh_from_db()
        self.assertEqual(member.status, CareTeamMember.Status.ACTIVE)

    def test_a_youth_of_16_invites_a_jim_alone(self) -> None:
        self.youth_person.date_of_birth = born_years_ago(16)
        self.youth_person.save()
        member = self.invite()
        self.assertEqual(member.status, CareTeamMember.Status.ACTIVE)

    def test_a_jim_must_be_an_adult(self) -> None:
        with self.assertRaisesMessage(services.PlanError, "18"):
            self.invite(date_of_birth=born_years_ago(17))
        self.assertFalse(Person.objects.filter(name="Oma Truus").exists())

    def test_a_parent_cannot_be_the_jim(self) -> None:
        plan = self.with_access(self.youth)
        from rits.family_plans import rules

        self.assertTrue(rules.jim_problem(plan, self.parent_person))

    def test_only_the_youth_chooses_the_jim(self) -> None:
        with self.assertRaises(services.PlanError):
            self.invite(actor=self.parent)
        with self.assertRaises(services.PlanError):
            self.invite(actor=self.coordinator)

    def test_the_jim_joins_through_the_invitation_link(self) -> None:
        self.invite()
        token = token_in()
        self.assertFalse(Invitation.objects.filter(token_hash=token).exists())
        self.client.get(f"/gezin/uitnodiging/{token}/")
        with self.captureOnCommitCallbacks(execute=True):
            self.client.post(STEPS, {"email": "truus@test.rits.nl"})
        r = self.client.post(
            STEPS,
            {"code": code_in(), "password": PASSWORD, "password_again": PASSWORD},
        )
        self.assertRedirects(r, "/gezin/", fetch_redirect_response=False)
        truus = Person.objects.get(name="Oma Truus")
        assert truus.user is not None
        self.assertEqual(truus.user.kind, "network")

    def test_the_jim_stays_after_the_professionals_leave(self) -> None:
        goal = Goal.objects.create(plan=self.plan, domain="health", title="Gezond eten")
        plan = self.with_access(self.coordinator)
        services.close_plan(
            plan,
            actor=self.coordinator,
            reason="Doelen bereikt",
            outcomes={goal.pk: (Goal.Status.REACHED, "Gaat goed")},
        )
        self.plan.refresh_from_db()
        self.assertEqual(self.plan.status, Plan.Status.CLOSED)
        self.professional_member.refresh_from_db()
        self.jim_member.refresh_from_db()
        self.assertEqual(self.professional_member.status, CareTeamMember.Status.LEFT)
        self.assertEqual(self.jim_member.status, CareTeamMember.Status.ACTIVE)
        login(self.client, self.jim)
        self.assertEqual(self.client.get(f"/gezin/{self.plan.pk}/").status_code, 200)
        login(self.client, self.professional)
        self.assertEqual(self.client.get(f"/gezin/{self.plan.pk}/").status_code, 404)
        goal.refresh_from_db()
        self.assertEqual(goal.outcome, "Gaat goed")

    def test_closing_needs_an_outcome_for_every_goal(self) -> None:
        Goal.objects.create(plan=self.plan, domain="health", title="Open doel")
        plan = self.with_access(self.coordinator)
        with self.assertRaises(services.PlanError):
            services.close_plan(plan, actor=self.coordinator, reason="Klaar", outcomes={})
        self.plan.refresh_from_db()
        self.assertEqual(self.plan.status, Plan.Status.ACTIVE)

    def test_a_closed_plan_can_no_longer_be_changed(self) -> None:
        plan = self.with_access(self.coordinator)
        services.close_plan(plan, actor=self.coordinator, reason="Klaar", outcomes={})
        login(self.client, self.parent)
        r = self.client.post(
            f"/gezin/{self.plan.pk}/doelen/nieuw/", {"title": "x", "domain": "health"}
        )
        self.assertEqual(r.status_code, 403)
