"""In a real browser: one unbroken "word" typed into a plan wraps inside the page
instead of making the page wider than the screen."""

from __future__ import annotations

from rits.accounts.models import User
from rits.family_plans.models import Comment, Decision, Family, Goal, Person, Plan
from rits.family_plans.tests.base import born_years_ago
from rits.lib.text import limit
from rits.testing import make_user
from rits.testing.browser import BrowserTestCase


class LongWordsWrapTests(BrowserTestCase):
    def setUp(self) -> None:
        self.parent = make_user("ouder-lang@test.rits.nl", "Petra Ouder", User.Kind.FAMILY)
        family = Family.objects.create(name="Gezin Lang")
        youth = Person.objects.create(
            family=family, role="youth", name="Jesse", date_of_birth=born_years_ago(14)
        )
        Person.objects.create(family=family, role="parent", name="Petra Ouder", user=self.parent)
        self.plan = Plan.objects.create(family=family, youth=youth)
        Goal.objects.create(plan=self.plan, domain="health", title="G" * limit(Goal, "title"))
        Decision.objects.create(plan=self.plan, title="D" * limit(Decision, "title"))
        Comment.objects.create(
            plan=self.plan, author=self.parent, text="C" * limit(Comment, "text")
        )

    def test_the_plan_page_is_no_wider_than_the_screen(self) -> None:
        for width in (1280, 375):
            with self.subTest(width=width):
                context = self.new_context(self.parent, viewport={"width": width, "height": 800})
                page = context.new_page()
                page.goto(f"{self.live_server_url}/gezin/{self.plan.pk}/")
                page.get_by_text("G" * 40, exact=False).first.wait_for()
                scroll_width = page.evaluate("document.documentElement.scrollWidth")
                self.assertLessEqual(scroll_width, width)
                context.close()
