"""In a real browser: a parent logs in with e-mail and password and adds a goal in
their own words to the family plan."""

from __future__ import annotations

from typing import Any

from rits.accounts.models import User
from rits.family_plans.models import Family, Goal, Person, Plan
from rits.family_plans.tests.base import born_years_ago
from rits.lib.browser import BrowserTestCase
from rits.lib.testing import PASSWORD, make_user


class ParentAddsGoalInBrowserTests(BrowserTestCase):
    def setUp(self) -> None:
        self.parent = make_user("ouder-e2e@test.rits.nl", "Petra Ouder", User.Kind.FAMILY)
        family = Family.objects.create(name="Gezin Eindtest")
        youth = Person.objects.create(
            family=family, role="youth", name="Jesse", date_of_birth=born_years_ago(14)
        )
        Person.objects.create(family=family, role="parent", name="Petra Ouder", user=self.parent)
        self.plan = Plan.objects.create(family=family, youth=youth)
        self.start_browser()

    def test_a_parent_logs_in_and_adds_a_goal_in_their_own_words(self) -> None:
        context: Any = self.browser.new_context(locale="nl-NL")
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        missing: list[str] = []
        page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
        page.goto(f"{self.live_server_url}/gezin/{self.plan.pk}/")
        page.wait_for_url("**/account/login/**")
        page.get_by_label("E-mailadres").fill(self.parent.email)
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()

        page.wait_for_url(f"**/gezin/{self.plan.pk}/")
        self.assertIn(
            "Gezinsplan van Gezin Eindtest", page.get_by_role("heading", level=1).inner_text()
        )
        page.get_by_label("Doel in je eigen woorden").fill("Elke ochtend samen ontbijten")
        page.get_by_label("Levensgebied").select_option("parenting")
        page.get_by_role("button", name="Doel toevoegen").click()

        goals = page.locator("#goals")
        goals.get_by_text("Elke ochtend samen ontbijten").wait_for()
        self.assertIn("Opvoeding", goals.inner_text())
        # No CSP violations or script errors; the only missing file may be a favicon.
        self.assertEqual([u for u in missing if not u.endswith("/favicon.ico")], [])
        self.assertEqual([e for e in errors if "404" not in e], [])
        context.close()
        goal = Goal.objects.get()
        self.assertEqual(
            (goal.title, goal.created_by), ("Elke ochtend samen ontbijten", self.parent)
        )
