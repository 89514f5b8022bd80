"""Decisions: who agreed, who disagreed and why; only the team may answer."""

from __future__ import annotations

from rits.audit.models import Entry
from rits.family_plans import services
from rits.family_plans.models import Decision, Position
from rits.family_plans.tests.base import FamilyPlanTestCase
from rits.testing import login


class DecisionTests(FamilyPlanTestCase):
    def propose(self, ask):  # type: ignore[no-untyped-def]
        plan = self.with_access(self.coordinator)
        return plan, services.propose_decision(
            plan, actor=self.coordinator, title="Weekendopvang bij oma", grounds="Rust", ask=ask
        )

    def test_the_asked_get_a_notification(self) -> None:
        self.propose([self.parent, self.youth])
        self.assertTrue(self.parent.notifications.filter(kind="family_plans.decision").exists())
        self.assertTrue(self.youth.notifications.filter(kind="family_plans.decision").exists())

    def test_it_is_agreed_when_everyone_asked_agrees(self) -> None:
        plan, decision = self.propose([self.parent, self.youth])
        services.answer_decision(decision, actor=self.parent, plan=plan, answer="agree")
        decision.refresh_from_db()
        self.assertEqual(decision.status, Decision.Status.OPEN)
        services.answer_decision(decision, actor=self.youth, plan=plan, answer="agree")
        decision.refresh_from_db()
        self.assertEqual(decision.status, Decision.Status.AGREED)

    def test_disagreeing_needs_grounds_and_is_recorded(self) -> None:
        plan, decision = self.propose([self.youth])
        with self.assertRaises(services.PlanError):
            services.answer_decision(decision, actor=self.youth, plan=plan, answer="disagree")
        login(self.client, self.youth)
        r = self.client.post(
            f"/gezin/{self.plan.pk}/besluiten/{decision.pk}/antwoord/",
            {"answer": "disagree", "grounds": "Ik wil thuis blijven"},
        )
        self.assertEqual(r.status_code, 302)
        position = Position.objects.get(decision=decision, user=self.youth)
        self.assertEqual((position.answer, position.grounds), ("disagree", "Ik wil thuis blijven"))
        decision.refresh_from_db()
        self.assertEqual(decision.status, Decision.Status.DISAGREED)

    def test_someone_not_on_the_team_cannot_be_asked(self) -> None:
        plan = self.with_access(self.coordinator)
        with self.assertRaises(services.PlanError):
            services.propose_decision(plan, actor=self.coordinator, title="x", ask=[self.outsider])
        self.assertFalse(Decision.objects.filter(title="x").exists())

    def test_an_agreement_by_someone_not_on_the_team_is_refused_and_audited(self) -> None:
        plan, decision = self.propose([self.parent])
        with self.assertRaises(services.PlanError):
            services.answer_decision(decision, actor=self.outsider, plan=plan, answer="agree")
        self.assertFalse(Position.objects.filter(user=self.outsider).exists())
        self.assertTrue(
            Entry.objects.filter(
                event="family_plans.decision_answer_refused", outcome=Entry.Outcome.DENIED
            ).exists()
        )

    def test_an_outsider_gets_404_on_the_answer_endpoint(self) -> None:
        _plan, decision = self.propose([self.parent])
        login(self.client, self.outsider)
        r = self.client.post(
            f"/api/v1/family-plans/plans/{self.plan.pk}/decisions/{decision.pk}/answers",
            {"answer": "agree"},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 404)

    def test_the_api_records_a_decision_and_answers(self) -> None:
        login(self.client, self.coordinator)
        r = self.client.post(
            f"/api/v1/family-plans/plans/{self.plan.pk}/decisions",
            {"title": "School wisselen", "ask_user_ids": [self.parent.pk]},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 201, r.content)
        decision_id = r.json()["id"]
        login(self.client, self.parent)
        r = self.client.post(
            f"/api/v1/family-plans/plans/{self.plan.pk}/decisions/{decision_id}/answers",
            {"answer": "agree"},
            content_type="application/json",
        )
        self.assertEqual(r.json()["status"], "agreed")

    def test_a_decision_asking_an_outsider_through_the_api_is_refused(self) -> None:
        login(self.client, self.coordinator)
        r = self.client.post(
            f"/api/v1/family-plans/plans/{self.plan.pk}/decisions",
            {"title": "x", "ask_user_ids": [self.outsider.pk]},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 400)
