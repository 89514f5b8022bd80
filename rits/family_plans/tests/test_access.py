"""The access matrix: every persona against every plan page and API endpoint."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from rits.audit.models import Entry
from rits.family_plans.models import Action, Decision, Evaluation, Goal
from rits.family_plans.tests.base import FamilyPlanTestCase
from rits.lib.testing import login


class AccessMatrixTests(FamilyPlanTestCase):
    goal: Goal
    action: Action
    decision: Decision
    evaluation: Evaluation

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.goal = Goal.objects.create(plan=cls.plan, domain="school_work", title="Naar school")
        cls.action = Action.objects.create(plan=cls.plan, what="Bellen", who="Petra")
        cls.decision = Decision.objects.create(plan=cls.plan, title="Weekendopvang")
        cls.evaluation = Evaluation.objects.create(
            plan=cls.plan, starts_at=timezone.now() + timedelta(days=7)
        )

    def read_urls(self) -> list[str]:
        p = self.plan.pk
        return [
            reverse("family_plans:plan", args=[p]),
            reverse("family_plans:team", args=[p]),
            reverse("family_plans:history", args=[p]),
            reverse("family_plans:print", args=[p]),
            reverse("family_plans:fhir", args=[p]),
            reverse("family_plans:ecogram", args=[p]),
            reverse("family_plans:goal_edit", args=[p, self.goal.pk]),
            reverse("family_plans:action_edit", args=[p, self.action.pk]),
            reverse("family_plans:decision_edit", args=[p, self.decision.pk]),
            reverse("family_plans:evaluation_ics", args=[p, self.evaluation.pk]),
            reverse("family_plans:close", args=[p]),
            f"/api/v1/family-plans/plans/{p}",
            f"/api/v1/family-plans/plans/{p}/fhir",
        ]

    def test_it_shows_every_plan_view_to_the_family_and_consenting_team(self) -> None:
        for user in self.readers:
            login(self.client, user)
            for url in self.read_urls():
                with self.subTest(user=user.email, url=url):
                    self.assertEqual(self.client.get(url).status_code, 200)

    def test_it_hides_every_plan_view_from_outsiders_admins_and_municipality(self) -> None:
        for user in self.outsiders:
            login(self.client, user)
            for url in self.read_urls():
                with self.subTest(user=user.email, url=url):
                    self.assertEqual(self.client.get(url).status_code, 404)

    def test_it_hides_the_plan_from_a_colleague_in_the_same_organisation(self) -> None:
        from rits.accounts.models import Membership
        from rits.lib.testing import make_user

        colleague = make_user("collega@test.rits.nl", "Cor Collega")
        Membership.objects.create(user=colleague, organisation=self.org_a, role="professional")
        login(self.client, colleague)
        self.assertEqual(self.client.get(f"/gezin/{self.plan.pk}/").status_code, 404)
        self.assertEqual(
            self.client.get(f"/api/v1/family-plans/plans/{self.plan.pk}").status_code, 404
        )

    def test_it_refuses_writes_from_outsiders_with_404_and_changes_nothing(self) -> None:
        for user in self.outsiders:
            login(self.client, user)
            with self.subTest(user=user.email):
                r = self.client.post(
                    f"/gezin/{self.plan.pk}/doelen/nieuw/",
                    {"title": "x", "domain": "health"},
                )
                self.assertEqual(r.status_code, 404)
                r = self.client.post(
                    f"/api/v1/family-plans/plans/{self.plan.pk}/goals",
                    {"title": "x", "domain": "health"},
                    content_type="application/json",
                )
                self.assertEqual(r.status_code, 404)
                self.assertEqual(r["Content-Type"], "application/problem+json")
        self.assertEqual(self.plan.goals.count(), 1)

    def test_it_lets_every_editor_add_a_goal(self) -> None:
        for user in self.readers:
            login(self.client, user)
            r = self.client.post(
                f"/gezin/{self.plan.pk}/doelen/nieuw/",
                {"title": f"Doel van {user.full_name}", "domain": "health"},
            )
            self.assertRedirects(r, f"/gezin/{self.plan.pk}/", fetch_redirect_response=False)
        self.assertEqual(self.plan.goals.count(), 1 + len(self.readers))

    def test_it_lists_only_visible_plans(self) -> None:
        login(self.client, self.outsider)
        self.assertEqual(self.client.get("/api/v1/family-plans/plans").json(), [])
        login(self.client, self.parent)
        ids = [p["id"] for p in self.client.get("/api/v1/family-plans/plans").json()]
        self.assertEqual(ids, [self.plan.pk])
        self.assertContains(self.client.get("/gezin/"), "Gezin Jongere (test)")

    def test_it_answers_404_for_an_unknown_plan_and_audits_the_attempt(self) -> None:
        login(self.client, self.coordinator)
        self.assertEqual(self.client.get("/gezin/999999/").status_code, 404)
        entry = Entry.objects.filter(event="family_plans.access_denied").first()
        assert entry is not None
        self.assertEqual(entry.object_id, "999999")
        self.assertEqual(entry.outcome, Entry.Outcome.DENIED)

    def test_it_answers_404_for_a_goal_of_another_plan(self) -> None:
        from rits.family_plans.models import Family, Person, Plan

        other_family = Family.objects.create(name="Ander gezin")
        youth = Person.objects.create(family=other_family, role="youth", name="Ander")
        other_plan = Plan.objects.create(family=other_family, youth=youth)
        foreign_goal = Goal.objects.create(plan=other_plan, domain="health", title="Geheim")
        login(self.client, self.coordinator)
        r = self.client.get(f"/gezin/{self.plan.pk}/doelen/{foreign_goal.pk}/")
        self.assertEqual(r.status_code, 404)

    def test_it_gives_403_to_a_read_only_network_member(self) -> None:
        self.jim_member.can_edit = False
        self.jim_member.save()
        login(self.client, self.jim)
        self.assertEqual(self.client.get(f"/gezin/{self.plan.pk}/").status_code, 200)
        r = self.client.post(
            f"/gezin/{self.plan.pk}/doelen/nieuw/", {"title": "x", "domain": "health"}
        )
        self.assertEqual(r.status_code, 403)
        r = self.client.post(
            f"/api/v1/family-plans/plans/{self.plan.pk}/goals",
            {"title": "x", "domain": "health"},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 403)

    def test_it_shows_the_access_log_to_the_family_only(self) -> None:
        login(self.client, self.professional)
        self.client.get(f"/gezin/{self.plan.pk}/")
        self.assertEqual(self.client.get(f"/gezin/{self.plan.pk}/inzage/").status_code, 403)
        self.assertEqual(
            self.client.get(f"/api/v1/family-plans/plans/{self.plan.pk}/access-log").status_code,
            403,
        )
        login(self.client, self.outsider)
        self.assertEqual(self.client.get(f"/gezin/{self.plan.pk}/inzage/").status_code, 404)
        login(self.client, self.parent)
        r = self.client.get(f"/gezin/{self.plan.pk}/inzage/")
        self.assertContains(r, "Pim Professional")
        log = self.client.get(f"/api/v1/family-plans/plans/{self.plan.pk}/access-log").json()
        self.assertTrue(any("Pim Professional" in e["who"] for e in log))

    def test_it_requires_login(self) -> None:
        r = self.client.get(f"/gezin/{self.plan.pk}/")
        self.assertEqual(r.status_code, 302)
        self.assertEqual(self.client.get("/api/v1/family-plans/plans").status_code, 401)
