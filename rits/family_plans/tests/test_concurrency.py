"""No lost work: two people saving the same goal, action or decision at once."""

from __future__ import annotations

import threading
import time

from django.db import OperationalError, close_old_connections
from django.test import TransactionTestCase

from rits.family_plans import services
from rits.family_plans.models import Action, Decision, Family, Goal, Person, Plan
from rits.family_plans.tests.base import FamilyPlanTestCase
from rits.testing import login, make_user


class StaleVersionTests(FamilyPlanTestCase):
    goal: Goal
    action: Action
    decision: Decision

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.goal = Goal.objects.create(plan=cls.plan, domain="school_work", title="Naar school")
        cls.action = Action.objects.create(plan=cls.plan, what="Bellen", who="Petra")
        cls.decision = Decision.objects.create(plan=cls.plan, title="Weekendopvang")

    def test_the_second_save_with_the_same_version_is_refused(self) -> None:
        plan = self.with_access(self.parent)
        first = Goal.objects.get(pk=self.goal.pk)
        second = Goal.objects.get(pk=self.goal.pk)
        services.update_goal(first, actor=self.parent, plan=plan, version=1, title="Elke dag")
        with self.assertRaises(services.StaleVersion) as caught:
            services.update_goal(
                second, actor=self.coordinator, plan=plan, version=1, title="Drie dagen"
            )
        self.assertEqual(getattr(caught.exception.current, "title", None), "Elke dag")
        self.goal.refresh_from_db()
        self.assertEqual((self.goal.title, self.goal.version), ("Elke dag", 2))

    def test_the_html_form_shows_both_versions_instead_of_overwriting(self) -> None:
        url = f"/gezin/{self.plan.pk}/doelen/{self.goal.pk}/"
        login(self.client, self.parent)
        self.client.post(
            url,
            {
                "domain": "school_work",
                "title": "Elke dag naar school",
                "description": "",
                "status": "open",
                "version": 1,
            },
        )
        login(self.client, self.coordinator)
        r = self.client.post(
            url,
            {
                "domain": "school_work",
                "title": "Drie dagen naar school",
                "description": "",
                "status": "open",
                "version": 1,
            },
        )
        self.assertEqual(r.status_code, 409)
        self.assertContains(r, "Elke dag naar school", status_code=409)  # what is stored now
        self.assertContains(r, "Drie dagen naar school", status_code=409)  # their own text
        self.assertContains(r, 'name="version" value="2"', status_code=409)
        self.goal.refresh_from_db()
        self.assertEqual(self.goal.title, "Elke dag naar school")

    def test_the_api_answers_409_with_the_current_version(self) -> None:
        url = f"/api/v1/family-plans/plans/{self.plan.pk}/actions/{self.action.pk}"
        login(self.client, self.parent)
        r = self.client.patch(
            url, {"version": 1, "status": "done"}, content_type="application/json"
        )
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.json()["version"], 2)
        r = self.client.patch(url, {"version": 1, "who": "Ria"}, content_type="application/json")
        self.assertEqual(r.status_code, 409)
        self.assertEqual(r["Content-Type"], "application/problem+json")
        self.assertEqual(r.json()["current_version"], 2)
        self.assertEqual(r.json()["current"]["status"], "done")
        self.action.refresh_from_db()
        self.assertEqual(self.action.who, "Petra")

    def test_a_changed_decision_asks_everyone_again(self) -> None:
        plan = self.with_access(self.coordinator)
        decision = services.propose_decision(
            plan, actor=self.coordinator, title="Logeren", ask=[self.parent]
        )
        services.answer_decision(decision, actor=self.parent, plan=plan, answer="agree")
        decision.refresh_from_db()
        self.assertEqual(decision.status, Decision.Status.AGREED)
        services.update_decision(
            decision,
            actor=self.coordinator,
            plan=plan,
            version=decision.version,
            title="Logeren bij oma",
        )
        decision.refresh_from_db()
        self.assertEqual(decision.status, Decision.Status.OPEN)

    def test_a_stale_decision_save_is_refused(self) -> None:
        url = f"/api/v1/family-plans/plans/{self.plan.pk}/decisions/{self.decision.pk}"
        login(self.client, self.coordinator)
        self.client.patch(url, {"version": 1, "grounds": "Rust"}, content_type="application/json")
        r = self.client.patch(
            url, {"version": 1, "grounds": "Ander"}, content_type="application/json"
        )
        self.assertEqual(r.status_code, 409)


class ConcurrentWriterTests(TransactionTestCase):
    """Real concurrent transactions: exactly one writer wins, the other is told."""

    # Flushing only these apps lets PostgreSQL truncate with CASCADE, so tables that
    # other apps create outside the ORM do not block the flush.
    available_apps = [
        "django.contrib.contenttypes",
        "django.contrib.auth",
        "rits.regions",
        "rits.accounts",
        "rits.audit",
        "rits.family_plans",
    ]

    def setUp(self) -> None:
        family = Family.objects.create(name="Gezin Gelijktijdig")
        youth = Person.objects.create(family=family, role="youth", name="Sam")
        self.plan = Plan.objects.create(family=family, youth=youth)
        self.goal = Goal.objects.create(plan=self.plan, domain="health", title="Begin")
        self.users = [make_user(f"schrijver{i}@test.rits.nl", f"Schrijver {i}") for i in range(2)]

    def test_two_writers_on_the_same_version_never_both_win(self) -> None:
        barrier = threading.Barrier(2)
        outcomes: list[str] = []

        def write(i: int) -> None:
            try:
                goal = Goal.objects.get(pk=self.goal.pk)
                plan = Plan.objects.select_related("youth").get(pk=self.plan.pk)
                barrier.wait(timeout=10)
                for _attempt in range(200):
                    try:
                        services.update_goal(
                            goal, actor=self.users[i], plan=plan, version=1, title=f"Versie {i}"
                        )
                        outcomes.append("saved")
                        return
                    except services.StaleVersion:
                        outcomes.append("stale")
                        return
                    except OperationalError:
                        # The in-memory SQLite test database locks whole tables and ignores
                        # the busy timeout: queue up like a real server connection would.
                        time.sleep(0.01)
            finally:
                close_old_connections()

        threads = [threading.Thread(target=write, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        self.assertEqual(sorted(outcomes), ["saved", "stale"])
        self.goal.refresh_from_db()
        self.assertEqual(self.goal.version, 2)
        self.assertIn(self.goal.title, {"Versie 0", "Versie 1"})
