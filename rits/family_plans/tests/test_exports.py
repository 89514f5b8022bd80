"""FHIR R4 Bundle, iCalendar, printable plan, ecogram and the right-of-access download."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from icalendar import Calendar

from rits.family_plans import exports
from rits.family_plans.models import Action, Decision, Evaluation, Goal, Person, Score
from rits.family_plans.tests.base import FamilyPlanTestCase
from rits.testing import login


class ExportTests(FamilyPlanTestCase):
    goal: Goal
    evaluation: Evaluation

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.goal = Goal.objects.create(
            plan=cls.plan, domain="school_work", title="Elke dag naar school"
        )
        Goal.objects.create(
            plan=cls.plan,
            domain="health",
            title="Beter slapen",
            status=Goal.Status.REACHED,
            outcome="Slaapt nu 8 uur",
        )
        Score.objects.create(goal=cls.goal, perspective="family", score=6, scored_by=cls.parent)
        Action.objects.create(
            plan=cls.plan,
            goal=cls.goal,
            what="Wekker zetten",
            who="Jesse",
            due_date=timezone.localdate(),
        )
        Decision.objects.create(plan=cls.plan, title="Weekendopvang")
        cls.evaluation = Evaluation.objects.create(
            plan=cls.plan, starts_at=timezone.now() + timedelta(days=14), location="Buurthuis"
        )

    def test_the_fhir_bundle_validates_and_holds_every_resource_type(self) -> None:
        login(self.client, self.coordinator)
        r = self.client.get(f"/gezin/{self.plan.pk}/fhir.json")
        self.assertEqual(r["Content-Type"], "application/fhir+json")
        data = r.json()
        Bundle.model_validate(data)  # raises if the export is not valid FHIR
        types = {e["resource"]["resourceType"] for e in data["entry"]}
        self.assertEqual(
            types,
            {"Patient", "RelatedPerson", "Group", "CareTeam", "CarePlan", "Goal", "Consent"},
        )
        goals = [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == "Goal"]
        self.assertIn("Elke dag naar school", [g["description"]["text"] for g in goals])

    def test_the_fhir_bundle_never_contains_the_bsn_or_its_pseudonym_key(self) -> None:
        text = json.dumps(exports.fhir_bundle(self.plan))
        self.assertIn(self.youth_person.bsn_pseudonym, text)  # the pseudonym, as identifier
        self.assertNotIn("bsn", text.lower())

    def test_the_api_export_is_the_same_bundle(self) -> None:
        login(self.client, self.parent)
        r = self.client.get(f"/api/v1/family-plans/plans/{self.plan.pk}/fhir")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.json()["resourceType"], "Bundle")

    def test_the_evaluation_is_a_valid_ics_invitation(self) -> None:
        login(self.client, self.youth)
        r = self.client.get(f"/gezin/{self.plan.pk}/evaluaties/{self.evaluation.pk}.ics")
        self.assertEqual(r["Content-Type"], "text/calendar")
        cal = Calendar.from_ical(r.content)
        event = cal.walk("VEVENT")[0]
        self.assertEqual(str(event["location"]), "Buurthuis")
        self.assertEqual(event.decoded("dtstart"), self.evaluation.starts_at.replace(microsecond=0))
        self.assertNotIn("Jongere", r.content.decode())  # no family name in the calendar

    def test_the_printable_plan_uses_the_print_stylesheet(self) -> None:
        login(self.client, self.parent)
        r = self.client.get(f"/gezin/{self.plan.pk}/afdrukken/")
        self.assertContains(r, "family_plans/print.css")
        self.assertContains(r, "Elke dag naar school")
        self.assertNotContains(r, "style=")

    def test_the_ecogram_is_svg_with_escaped_names(self) -> None:
        Person.objects.create(family=self.family, role="neighbour", name="<script>Buur</script>")
        login(self.client, self.parent)
        r = self.client.get(f"/gezin/{self.plan.pk}/ecogram.svg")
        self.assertEqual(r["Content-Type"], "image/svg+xml")
        body = r.content.decode()
        self.assertIn("&lt;script&gt;Buur", body)
        self.assertNotIn("<script>", body)
        self.assertIn("Jan Mentor", body)
        page = self.client.get(f"/gezin/{self.plan.pk}/")
        self.assertContains(page, '<svg xmlns="http://www.w3.org/2000/svg"')

    def test_the_family_downloads_everything_rits_holds(self) -> None:
        login(self.client, self.parent)
        self.client.get(f"/gezin/{self.plan.pk}/")
        r = self.client.get(f"/gezin/{self.plan.pk}/mijn-gegevens.json")
        self.assertEqual(r.status_code, 200)
        data = json.loads(r.content)
        names = {p["name"] for p in data["persons"]}
        self.assertEqual(names, {"Jesse Jongere", "Petra Ouder", "Jan Mentor"})
        self.assertIsNone(re.search(r"\b\d{9}\b", r.content.decode()))  # never a BSN
        self.assertTrue(data["audit_trail"])
        self.assertEqual(len(data["plans"]), 1)

    def test_only_the_family_downloads_their_data(self) -> None:
        login(self.client, self.professional)
        self.assertEqual(
            self.client.get(f"/gezin/{self.plan.pk}/mijn-gegevens.json").status_code, 403
        )
        login(self.client, self.outsider)
        self.assertEqual(
            self.client.get(f"/gezin/{self.plan.pk}/mijn-gegevens.json").status_code, 404
        )

    def test_the_goal_page_shows_progress_over_time(self) -> None:
        Score.objects.create(
            goal=self.goal, perspective="professional", score=8, scored_by=self.coordinator
        )
        login(self.client, self.parent)
        r = self.client.get(f"/gezin/{self.plan.pk}/doelen/{self.goal.pk}/")
        self.assertContains(r, "6/10")
        self.assertContains(r, "8/10")
        self.assertContains(r, "Ria Regisseur")
