"""The plan page's first paint shows each long section's most relevant items; the full
lists have pages of their own (and come in place with HTMX)."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from rits.audit.models import Entry
from rits.family_plans.models import Action, Decision, Goal, Position, Score
from rits.family_plans.reads import FIRST_ACTIONS, FIRST_DECISIONS
from rits.family_plans.tests.base import FamilyPlanTestCase
from rits.family_plans.views.common import FIRST_GOALS
from rits.testing import login


class LongPlanTestCase(FamilyPlanTestCase):
    goals: list[Goal]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        today = timezone.localdate()
        cls.goals = [
            Goal.objects.create(plan=cls.plan, domain="health", title=f"Doel nummer {i:02d}")
            for i in range(FIRST_GOALS + 3)
        ]
        # The oldest goal was scored last: it comes first.
        Score.objects.create(goal=cls.goals[0], perspective="family", score=7)
        for i in range(FIRST_ACTIONS + 4):
            Action.objects.create(
                plan=cls.plan,
                what=f"Actie nummer {i:02d}",
                who="Petra",
                due_date=today + timedelta(days=i + 1),
            )
        Action.objects.create(
            plan=cls.plan, what="Al gedaan", who="Petra", due_date=today, status="done"
        )
        for i in range(FIRST_DECISIONS + 2):
            decision = Decision.objects.create(plan=cls.plan, title=f"Besluit nummer {i:02d}")
            Position.objects.create(decision=decision, user=cls.parent, grounds=f"Reden {i:02d}")


class FirstPaintTests(LongPlanTestCase):
    def test_the_plan_page_shows_the_open_actions_due_soonest(self) -> None:
        login(self.client, self.parent)
        r = self.client.get(f"/gezin/{self.plan.pk}/")
        for i in range(FIRST_ACTIONS):
            self.assertContains(r, f"Actie nummer {i:02d}")
        self.assertNotContains(r, f"Actie nummer {FIRST_ACTIONS:02d}")
        self.assertNotContains(r, "Al gedaan")
        # A real link, and with HTMX the full list comes in place of the section.
        self.assertContains(r, f'href="/gezin/{self.plan.pk}/acties/"')
        self.assertContains(r, f'hx-get="/gezin/{self.plan.pk}/acties/" hx-target="#actions"')
        self.assertContains(r, f"Toon alle {FIRST_ACTIONS + 5} acties")

    def test_the_plan_page_shows_the_latest_decisions_with_their_positions(self) -> None:
        login(self.client, self.parent)
        r = self.client.get(f"/gezin/{self.plan.pk}/")
        newest = FIRST_DECISIONS + 1
        self.assertContains(r, f"Besluit nummer {newest:02d}")
        self.assertContains(r, f"Reden {newest:02d}")
        self.assertNotContains(r, "Besluit nummer 00")
        self.assertNotContains(r, "Reden 00")
        self.assertContains(r, f"Toon alle {FIRST_DECISIONS + 2} besluiten")

    def test_the_plan_page_shows_the_latest_scored_goals_first(self) -> None:
        login(self.client, self.parent)
        r = self.client.get(f"/gezin/{self.plan.pk}/")
        html = r.content.decode()
        self.assertIn("Doel nummer 00", html)
        self.assertLess(
            html.index("Doel nummer 00"), html.index(f"Doel nummer {FIRST_GOALS + 2:02d}")
        )
        shown = sum(f"Doel nummer {i:02d}</h3>" in html for i in range(FIRST_GOALS + 3))
        self.assertEqual(shown, FIRST_GOALS)
        self.assertContains(r, f"Toon alle {FIRST_GOALS + 3} doelen")

    def test_a_short_plan_has_no_show_all_links(self) -> None:
        Action.objects.filter(plan=self.plan).exclude(what="Actie nummer 00").delete()
        Decision.objects.filter(plan=self.plan).exclude(title="Besluit nummer 00").delete()
        Goal.objects.filter(pk__in=[g.pk for g in self.goals[1:]]).delete()
        login(self.client, self.parent)
        r = self.client.get(f"/gezin/{self.plan.pk}/")
        self.assertContains(r, "Actie nummer 00")
        self.assertContains(r, "Reden 00")
        self.assertContains(r, "Doel nummer 00")
        self.assertNotContains(r, "Toon alle")

    def test_a_plan_with_only_finished_actions_links_to_them(self) -> None:
        Action.objects.filter(plan=self.plan).exclude(what="Al gedaan").delete()
        login(self.client, self.parent)
        r = self.client.get(f"/gezin/{self.plan.pk}/")
        self.assertContains(r, "Er zijn geen open acties.")
        self.assertNotContains(r, "Al gedaan")
        self.assertContains(r, f'href="/gezin/{self.plan.pk}/acties/"')

    def test_the_query_count_does_not_grow_with_the_plan(self) -> None:
        login(self.client, self.parent)
        url = f"/gezin/{self.plan.pk}/"
        self.client.get(url)
        with CaptureQueriesContext(connection) as before:
            self.client.get(url)
        for i in range(10):
            decision = Decision.objects.create(plan=self.plan, title=f"Extra {i}")
            Position.objects.create(decision=decision, user=self.youth)
            Action.objects.create(plan=self.plan, what=f"Extra {i}", who="Petra")
            Score.objects.create(goal=self.goals[i % 3], perspective="professional", score=5)
        with CaptureQueriesContext(connection) as after:
            self.client.get(url)
        self.assertEqual(len(after), len(before))

    def test_the_paper_version_keeps_everything(self) -> None:
        login(self.client, self.parent)
        r = self.client.get(f"/gezin/{self.plan.pk}/afdrukken/")
        self.assertContains(r, "Al gedaan")
        self.assertContains(r, "Besluit nummer 00")
        self.assertContains(r, f"Doel nummer {FIRST_GOALS + 2:02d}")


class ListPageTests(LongPlanTestCase):
    def test_the_action_list_shows_every_action(self) -> None:
        login(self.client, self.parent)
        r = self.client.get(f"/gezin/{self.plan.pk}/acties/")
        self.assertContains(r, "<html")
        for i in range(FIRST_ACTIONS + 4):
            self.assertContains(r, f"Actie nummer {i:02d}")
        self.assertContains(r, "Al gedaan")
        self.assertNotContains(r, "Toon alle")
        self.assertContains(r, f'href="/gezin/{self.plan.pk}/"')

    def test_the_decision_list_shows_every_decision_and_position(self) -> None:
        login(self.client, self.professional)
        r = self.client.get(f"/gezin/{self.plan.pk}/besluiten/")
        for i in range(FIRST_DECISIONS + 2):
            self.assertContains(r, f"Besluit nummer {i:02d}")
            self.assertContains(r, f"Reden {i:02d}")

    def test_the_goal_list_shows_every_goal(self) -> None:
        login(self.client, self.youth)
        r = self.client.get(f"/gezin/{self.plan.pk}/doelen/")
        for i in range(FIRST_GOALS + 3):
            self.assertContains(r, f"Doel nummer {i:02d}")

    def test_with_htmx_a_list_returns_only_its_section(self) -> None:
        login(self.client, self.parent)
        for part, section in (
            ("doelen", "goals"),
            ("acties", "actions"),
            ("besluiten", "decisions"),
        ):
            with self.subTest(part):
                r = self.client.get(
                    f"/gezin/{self.plan.pk}/{part}/", headers={"HX-Request": "true"}
                )
                self.assertEqual(r.status_code, 200)
                self.assertContains(r, f'id="{section}"')
                self.assertNotContains(r, "<html")
        self.assertContains(r, "Besluit nummer 00")

    def test_a_list_read_is_audited(self) -> None:
        login(self.client, self.professional)
        self.client.get(f"/gezin/{self.plan.pk}/acties/")
        entry = Entry.objects.get(event="family_plans.plan_viewed")
        self.assertEqual(entry.data, {"list": "actions"})
        self.assertEqual(entry.subject, self.youth_person.bsn_pseudonym)

    def test_outsiders_get_404_on_every_list(self) -> None:
        for user in self.outsiders:
            login(self.client, user)
            for part in ("doelen", "acties", "besluiten"):
                with self.subTest(user=user.email, part=part):
                    r = self.client.get(f"/gezin/{self.plan.pk}/{part}/")
                    self.assertEqual(r.status_code, 404)
                    r = self.client.get(
                        f"/gezin/{self.plan.pk}/{part}/", headers={"HX-Request": "true"}
                    )
                    self.assertEqual(r.status_code, 404)
