"""A closed plan is read only: every write route of a plan, on the pages and in the API,
refuses with 403 and changes nothing, for whoever could still change it were it open.

One exception, by design: consent can still be withdrawn (the JIM stays in the team of
a closed plan, and withdrawal must end their access at once)."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.utils import timezone

from rits.accounts.models import Notification
from rits.family_plans import services
from rits.family_plans.models import (
    Action,
    Decision,
    Evaluation,
    Goal,
    Person,
    Position,
    Relationship,
    TransitionTopic,
)
from rits.family_plans.tests.base import FamilyPlanTestCase
from rits.testing import AuditAssertions, login
from rits.tests.test_no_existence_oracle import PARAM, routes

API = "api/v1/family-plans/plans/"
CLOSED = "Dit plan is afgesloten. Je kunt het niet meer aanpassen."
# Pages that only show the plan: a POST reads them like a GET, is not allowed, or (the
# access log, own data) is for the household only.
SHOWING = {
    "gezin/<id:plan_id>/",
    "gezin/<id:plan_id>/afdrukken/",
    "gezin/<id:plan_id>/doelen/",
    "gezin/<id:plan_id>/acties/",
    "gezin/<id:plan_id>/besluiten/",
    "gezin/<id:plan_id>/evaluaties/<id:evaluation_id>.ics",
    "gezin/<id:plan_id>/team/",
    "gezin/<id:plan_id>/fhir.json",
    "gezin/<id:plan_id>/ecogram.svg",
    "gezin/<id:plan_id>/inzage/",
    "gezin/<id:plan_id>/geschiedenis/",
    "gezin/<id:plan_id>/mijn-gegevens.json",
}
WITHDRAW = (
    "gezin/<id:plan_id>/toestemming/<id:consent_id>/intrekken/",
    API + "<plan_id>/consents/<consent_id>/withdraw",
)
# A valid body for every API write route, so that the answer comes from the access rule
# and not from the input check. Filled in per test with the ids of the closed plan.
BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("post", "goals"): {"title": "Beter slapen", "domain": "health"},
    ("patch", "goals/{goal_id}"): {"version": 1, "title": "Nog beter slapen"},
    ("post", "goals/{goal_id}/scores"): {"score": 7},
    ("post", "actions"): {"what": "Bellen", "who": "Petra"},
    ("patch", "actions/{action_id}"): {"version": 1, "what": "Mailen"},
    ("post", "decisions"): {"title": "Bedtijd om tien uur"},
    ("patch", "decisions/{decision_id}"): {"version": 1, "title": "Bedtijd om elf uur"},
    ("post", "decisions/{decision_id}/answers"): {"answer": "agree"},
    ("post", "evaluations"): {"starts_at": "2030-01-07T10:00:00+01:00"},
    ("post", "comments"): {"text": "Goed gegaan"},
    ("post", "transition"): {"topic": "income", "status": "arranged", "version": 0},
    ("post", "members"): {"email": "pim@a.example"},
    ("post", "members/{member_id}/consents"): {"purpose": "plan"},
    ("post", "consents/{consent_id}/withdraw"): {},
    ("post", "jim"): {"name": "Jet Mentor", "date_of_birth": "1980-01-01", "email": "j@x.nl"},
    ("put", "coordinator"): {"user_id": 0},
    ("post", "persons"): {"role": "neighbour", "name": "Nel Buur"},
    ("patch", "persons/{person_id}"): {"version": 1, "name": "Petra O."},
    ("delete", "persons/{person_id}"): {},
    ("post", "relationships"): {"from_person_id": 0, "to_person_id": 0, "kind": "supports"},
    ("patch", "relationships/{relationship_id}"): {"strength": 3},
    ("delete", "relationships/{relationship_id}"): {},
    ("post", "close"): {"reason": "Nog eens"},
}


def api_route(tail: str) -> str:
    """The API path of a plan's route, with its ids in ``<name>`` form."""
    return re.sub(r"\{(\w+)\}", r"<\1>", API + "{plan_id}/" + tail)


class ClosedPlanTests(AuditAssertions, FamilyPlanTestCase):
    def setUp(self) -> None:
        super().setUp()
        goal = Goal.objects.create(plan=self.plan, domain="health", title="Beter slapen")
        decision = Decision.objects.create(plan=self.plan, title="Bedtijd")
        Position.objects.create(decision=decision, user=self.parent)
        neighbour = Person.objects.create(family=self.family, role="neighbour", name="Nel Buur")
        self.ids = {
            "plan_id": self.plan.pk,
            "goal_id": goal.pk,
            "action_id": Action.objects.create(plan=self.plan, what="Bellen", who="Ria").pk,
            "decision_id": decision.pk,
            "evaluation_id": Evaluation.objects.create(
                plan=self.plan, starts_at=timezone.now() + timedelta(days=3)
            ).pk,
            "member_id": self.jim_member.pk,
            "consent_id": self.jim_member.consents.first().pk,  # type: ignore[union-attr]
            "person_id": neighbour.pk,
            "relationship_id": Relationship.objects.create(
                family=self.family,
                from_person=self.jim_person,
                to_person=self.youth_person,
                kind="supports",
            ).pk,
            "topic": TransitionTopic.values[0],
        }
        services.close_plan(
            self.plan,
            actor=self.parent,
            reason="De doelen zijn bereikt",
            outcomes={goal.pk: ("reached", "")},
        )
        self.body_ids = {
            "user_id": self.parent.pk,
            "from_person_id": self.parent_person.pk,
            "to_person_id": neighbour.pk,
        }

    def state(self) -> dict[str, Any]:
        """Every row of every family-plan table, and the notifications sent."""
        found: dict[str, Any] = {
            model._meta.label: list(model._default_manager.order_by("pk").values())
            for model in apps.get_app_config("family_plans").get_models()
        }
        found["notifications"] = list(Notification.objects.order_by("pk").values())
        return found

    def fill(self, route: str) -> str:
        return "/" + PARAM.sub(lambda m: str(self.ids[m.group(2)]), route)

    def html_write_routes(self) -> list[str]:
        """The plan's pages; POST is how a page changes a plan."""
        return [r for r in routes() if r.startswith("gezin/<id:plan_id>/") and r not in WITHDRAW]

    def api_write_routes(self) -> list[tuple[str, str, dict[str, Any]]]:
        found = []
        for (method, tail), body in BODIES.items():
            body = {k: self.body_ids.get(k, v) if v == 0 else v for k, v in body.items()}
            if api_route(tail) not in WITHDRAW:
                found.append((method, api_route(tail), body))
        return found

    def test_the_api_body_list_covers_every_write_route_of_a_plan(self) -> None:
        listed = {(method, api_route(tail)) for method, tail in BODIES}
        self.assertIn(("post", WITHDRAW[1]), listed)
        schema = json.loads(self.client.get("/api/v1/openapi.json").content)
        actual = {
            (method, re.sub(r"\{(\w+)\}", r"<\1>", path.removeprefix("/")))
            for path, operations in schema["paths"].items()
            if path.startswith("/" + API + "{plan_id}")  # a plan's own routes
            for method in operations
            if method != "get"
        }
        self.assertEqual(actual, listed)

    def test_every_page_route_refuses_a_post_on_a_closed_plan(self) -> None:
        walked = 0
        for user in (self.parent, self.jim):
            login(self.client, user)
            for route in self.html_write_routes():
                with self.subTest(user=user.email, route=route):
                    before = self.state()
                    response = self.client.post(self.fill(route), {})
                    expected = (200, 403, 405) if route in SHOWING else (403,)
                    self.assertIn(response.status_code, expected, response.content[:300])
                    self.assertEqual(self.state(), before)
                    walked += route not in SHOWING
        self.assertGreaterEqual(walked, 2 * 25)

    def test_every_api_write_route_refuses_on_a_closed_plan(self) -> None:
        for user in (self.parent, self.jim):
            login(self.client, user)
            for method, route, body in self.api_write_routes():
                with self.subTest(user=user.email, method=method, route=route):
                    before = self.state()
                    response = getattr(self.client, method)(
                        self.fill(route), json.dumps(body), content_type="application/json"
                    )
                    self.assertEqual(response.status_code, 403, response.content[:300])
                    self.assertEqual(response["Content-Type"], "application/problem+json")
                    # The closed rule answered, not the input check (422) nor edit rights.
                    self.assertEqual(response.json()["detail"], CLOSED)
                    self.assertEqual(self.state(), before)

    def test_an_outsider_still_gets_404_on_a_closed_plan(self) -> None:
        login(self.client, self.outsider)
        before = self.state()
        r = self.client.post(self.fill("gezin/<id:plan_id>/doelen/nieuw/"), {"title": "x"})
        self.assertEqual(r.status_code, 404)
        r = self.client.post(
            self.fill(API + "<plan_id>/goals"),
            json.dumps(BODIES[("post", "goals")]),
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 404)
        self.assertEqual(self.state(), before)

    def test_consent_can_still_be_withdrawn_on_a_closed_plan(self) -> None:
        login(self.client, self.parent)
        consent = self.jim_member.consents.get(given_by=self.parent_person)
        r = self.client.post(self.fill(WITHDRAW[1]), "{}", content_type="application/json")
        self.assertEqual(r.status_code, 204)
        consent.refresh_from_db()
        self.assertIsNotNone(consent.withdrawn_at)
        self.assert_audited("family_plans.consent_withdrawn", actor=self.parent)
        login(self.client, self.jim)
        self.assertEqual(self.client.get(self.fill("gezin/<id:plan_id>/")).status_code, 404)
