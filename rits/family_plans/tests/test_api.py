"""The JSON API: same services, validated input, clear problem+json errors."""

from __future__ import annotations

import random
from typing import get_args

from rits.family_plans import schemas
from rits.family_plans.models import Action, Domain, Goal, Plan, TransitionTopic
from rits.family_plans.tests.base import FamilyPlanTestCase
from rits.lib.pseudonyms import synthetic_bsn
from rits.testing import login


class ApiTests(FamilyPlanTestCase):
    def test_the_schema_choices_match_the_models(self) -> None:
        self.assertEqual(set(get_args(schemas.DomainCode)), set(Domain.values))
        self.assertEqual(set(get_args(schemas.GoalStatus)), set(Goal.Status.values))
        self.assertEqual(set(get_args(schemas.ActionStatus)), set(Action.Status.values))
        self.assertEqual(set(get_args(schemas.TopicCode)), set(TransitionTopic.values))

    def test_a_parent_adds_a_goal_in_their_own_words(self) -> None:
        login(self.client, self.parent)
        r = self.client.post(
            f"/api/v1/family-plans/plans/{self.plan.pk}/goals",
            {"title": "Samen eten zonder ruzie", "domain": "parenting"},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 201)
        self.assertEqual(r.json()["version"], 1)
        plan = self.client.get(f"/api/v1/family-plans/plans/{self.plan.pk}").json()
        self.assertEqual([g["title"] for g in plan["goals"]], ["Samen eten zonder ruzie"])
        self.assertTrue(plan["can_edit"])
        self.assertEqual(plan["access"], "family")

    def test_invalid_input_is_a_422_problem_and_changes_nothing(self) -> None:
        login(self.client, self.parent)
        r = self.client.post(
            f"/api/v1/family-plans/plans/{self.plan.pk}/goals",
            {"title": "", "domain": "astrologie"},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 422)
        self.assertEqual(r["Content-Type"], "application/problem+json")
        self.assertFalse(Goal.objects.exists())

    def test_a_score_outside_0_to_10_is_refused(self) -> None:
        goal = Goal.objects.create(plan=self.plan, domain="health", title="Sporten")
        login(self.client, self.youth)
        r = self.client.post(
            f"/api/v1/family-plans/plans/{self.plan.pk}/goals/{goal.pk}/scores",
            {"score": 11},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 422)
        r = self.client.post(
            f"/api/v1/family-plans/plans/{self.plan.pk}/goals/{goal.pk}/scores",
            {"score": 7},
            content_type="application/json",
        )
        self.assertEqual((r.status_code, r.json()["perspective"]), (201, "family"))

    def test_a_professional_starts_a_plan_with_consent_given_in_person(self) -> None:
        login(self.client, self.outsider)
        payload = {
            "family_name": "Gezin Nieuw",
            "youth_name": "Nina",
            "youth_birth": "2015-05-05",
            "youth_bsn": synthetic_bsn(random.Random(3)),
            "parent_names": ["Nico"],
            "consent_in_person": True,
        }
        r = self.client.post("/api/v1/family-plans/plans", payload, content_type="application/json")
        self.assertEqual(r.status_code, 201, r.content)
        plan = Plan.objects.get(pk=r.json()["id"])
        self.assertEqual(len(plan.youth.bsn_pseudonym), 64)  # stored as a pseudonym only
        self.assertEqual(self.client.get(f"/api/v1/family-plans/plans/{plan.pk}").status_code, 200)

    def test_a_plan_without_consent_or_with_a_wrong_bsn_is_refused(self) -> None:
        login(self.client, self.outsider)
        base = {
            "family_name": "Gezin X",
            "youth_name": "X",
            "youth_birth": "2015-05-05",
            "parent_names": ["Y"],
        }
        r = self.client.post(
            "/api/v1/family-plans/plans",
            {**base, "consent_in_person": False},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 400)
        r = self.client.post(
            "/api/v1/family-plans/plans",
            {**base, "consent_in_person": True, "youth_bsn": "123456789"},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 400)
        self.assertNotIn("123456789", r.content.decode())
        self.assertFalse(Plan.objects.filter(family__name="Gezin X").exists())

    def test_family_members_cannot_start_plans(self) -> None:
        login(self.client, self.parent)
        r = self.client.post(
            "/api/v1/family-plans/plans",
            {
                "family_name": "G",
                "youth_name": "Y",
                "youth_birth": "2015-05-05",
                "parent_names": ["P"],
                "consent_in_person": True,
            },
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 400)

    def test_the_coordinator_can_be_a_parent(self) -> None:
        login(self.client, self.coordinator)
        r = self.client.put(
            f"/api/v1/family-plans/plans/{self.plan.pk}/coordinator",
            {"user_id": self.parent.pk},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 204)
        self.plan.refresh_from_db()
        self.assertEqual(self.plan.coordinator, self.parent)
        r = self.client.put(
            f"/api/v1/family-plans/plans/{self.plan.pk}/coordinator",
            {"user_id": self.outsider.pk},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 400)

    def test_an_api_token_reaches_the_plan(self) -> None:
        from rits.accounts.models import ApiToken

        raw = "rits_" + "t" * 40
        ApiToken.objects.create(
            user=self.professional, name="t", token_hash=ApiToken.hash(raw), hint=raw[:9]
        )
        r = self.client.get(
            f"/api/v1/family-plans/plans/{self.plan.pk}", headers={"Authorization": f"Bearer {raw}"}
        )
        self.assertEqual(r.status_code, 200)
