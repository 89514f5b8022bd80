"""In a real browser: a parent logs in with e-mail and password and adds a goal in
their own words to the family plan: with JavaScript the form opens in place, without
it the same link opens a page of its own."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from rits.accounts.models import User
from rits.family_plans.models import Family, Goal, Person, Plan
from rits.family_plans.tests.base import born_years_ago
from rits.testing import PASSWORD, make_user
from rits.testing.browser import BrowserTestCase


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
        # The plan is read first: no form until one is asked for.
        self.assertEqual(page.locator("main form textarea, main form input[type=text]").count(), 0)
        page.get_by_role("link", name="Doel toevoegen").click()
        title = page.get_by_label("Doel in je eigen woorden")
        title.wait_for()
        self.assertEqual(page.url, f"{self.live_server_url}/gezin/{self.plan.pk}/")  # in place
        # Playwright's expect waits for the focus to move (a settled swap sets it).
        expect(title).to_be_focused()
        self.assertEqual(title.evaluate("e => e.tagName"), "TEXTAREA")
        # A refused form stays open with the reason at the field.
        page.get_by_role("button", name="Doel toevoegen").click()  # the browser checks first
        title.fill("   ")
        page.locator("#new-goal").evaluate("f => f.noValidate = true")
        page.get_by_role("button", name="Doel toevoegen").click()
        page.locator("#new-goal-title_error").wait_for()
        self.assertEqual(Goal.objects.count(), 0)

        title.fill("Elke ochtend samen ontbijten")
        page.get_by_label("Levensgebied").select_option("parenting")
        page.get_by_role("button", name="Doel toevoegen").click()

        goals = page.locator("#goals")
        goals.get_by_role("heading", name="Elke ochtend samen ontbijten").wait_for()
        self.assertIn("Opvoeding", goals.inner_text())
        self.assertEqual(page.locator("#new-goal").count(), 0)
        # The focus goes back to the goals, not to the top of the page.
        expect(page.locator("#goals-title")).to_be_focused()
        # No CSP violations or script errors; the only missing file may be a favicon.
        self.assertEqual([u for u in missing if not u.endswith("/favicon.ico")], [])
        # The browser logs the refused form's answer (422) as a failed load: expected.
        self.assertEqual([e for e in errors if "404" not in e and "status of 422" not in e], [])
        context.close()
        goal = Goal.objects.get()
        self.assertEqual(
            (goal.title, goal.created_by), ("Elke ochtend samen ontbijten", self.parent)
        )


class ParentAddsGoalWithoutJavaScriptTests(BrowserTestCase):
    """The same flow with JavaScript switched off: every link is a real address."""

    def setUp(self) -> None:
        self.parent = make_user("ouder-nojs@test.rits.nl", "Petra Ouder", User.Kind.FAMILY)
        family = Family.objects.create(name="Gezin Zonderscript")
        youth = Person.objects.create(
            family=family, role="youth", name="Jesse", date_of_birth=born_years_ago(14)
        )
        Person.objects.create(family=family, role="parent", name="Petra Ouder", user=self.parent)
        self.plan = Plan.objects.create(family=family, youth=youth)

    def test_the_add_goal_link_opens_a_form_page_that_returns_to_the_plan(self) -> None:
        context = self.new_context(self.parent, java_script_enabled=False)
        page = context.new_page()
        plan_url = f"{self.live_server_url}/gezin/{self.plan.pk}/"
        page.goto(plan_url)
        page.get_by_role("link", name="Doel toevoegen").click()
        page.wait_for_url(f"{plan_url}doelen/nieuw/")
        self.assertEqual(page.get_by_role("heading", level=1).inner_text(), "Een doel toevoegen")
        page.get_by_label("Doel in je eigen woorden").fill("Op tijd naar bed")
        page.get_by_label("Levensgebied").select_option("health")
        page.get_by_role("button", name="Doel toevoegen").click()

        page.wait_for_url(plan_url)
        goals = page.locator("#goals")
        self.assertIn("Op tijd naar bed", goals.inner_text())
        self.assertIn("Gezondheid", goals.inner_text())
        goal = Goal.objects.get()
        self.assertEqual((goal.title, goal.created_by), ("Op tijd naar bed", self.parent))
