"""Success stories: consent under the age rules, withdrawal unpublishes at once, a
review that takes names out; and the public page "Wat levert het op?"."""

from __future__ import annotations

from rits.family_plans.tests.base import FamilyPlanTestCase
from rits.outcomes import services
from rits.outcomes.models import Publication, Story
from rits.testing import AuditAssertions, login

TEXT = "Jesse kreeg vaste steun van Jan. Daardoor ging school weer goed."
PUBLIC = "Er kwam vaste steun van iemand uit de buurt. Daardoor ging school weer goed."


class StoryTests(AuditAssertions, FamilyPlanTestCase):
    def write(self) -> Story:
        login(self.client, self.coordinator)
        response = self.client.post(
            f"/monitor/verhalen/nieuw/{self.plan.pk}/", {"title": "Weer naar school", "text": TEXT}
        )
        self.assertEqual(response.status_code, 302)
        return Story.objects.get()

    def consent(self, user: object, action: str = "give") -> int:
        login(self.client, user)  # type: ignore[arg-type]
        story = Story.objects.get()
        url = f"/monitor/verhalen/{story.pk}/toestemming/"
        return self.client.post(url, {"action": action}).status_code

    def review(self, title: str, text: str) -> int:
        login(self.client, self.municipality_officer)
        story = Story.objects.get()
        url = f"/monitor/verhalen/{story.pk}/beoordelen/"
        return self.client.post(url, {"title": title, "text": text}).status_code

    def public(self) -> str:
        self.client.logout()
        return self.client.get("/wat-levert-het-op/GM0917/").content.decode()

    def test_public_only_after_review_and_consent_of_parent_and_youth_of_14(self) -> None:
        self.write()
        self.assert_audited("outcomes.story_written", actor=self.coordinator)
        # The review refuses a version that still names the youth.
        self.assertEqual(self.review("Weer naar school", TEXT), 400)
        self.assertEqual(self.review("Weer naar school", PUBLIC), 302)
        self.assertNotIn(PUBLIC, self.public())
        self.assertEqual(self.consent(self.parent), 302)
        self.assertNotIn(PUBLIC, self.public())  # 14: the youth must say yes too
        self.assertEqual(self.consent(self.youth), 302)
        page = self.public()
        self.assertIn(PUBLIC, page)
        self.assertNotIn("Jesse", page)

    def test_withdrawal_unpublishes_at_once(self) -> None:
        self.write()
        self.review("Weer naar school", PUBLIC)
        self.consent(self.parent)
        self.consent(self.youth)
        self.assertIn(PUBLIC, self.public())
        self.assertEqual(self.consent(self.youth, "withdraw"), 302)
        self.assertNotIn(PUBLIC, self.public())
        self.assert_audited("outcomes.story_consent_withdrawn", actor=self.youth)

    def test_someone_whose_consent_is_not_asked_is_refused(self) -> None:
        self.write()
        self.assertEqual(self.consent(self.jim), 400)  # a JIM is no parent

    def test_outsiders_get_404_for_the_story_and_the_plan(self) -> None:
        story = self.write()
        login(self.client, self.outsider)
        self.assertEqual(self.client.get(f"/monitor/verhalen/{story.pk}/").status_code, 404)
        response = self.client.get(f"/monitor/verhalen/nieuw/{self.plan.pk}/")
        self.assertEqual(response.status_code, 404)


class PublicPageTests(FamilyPlanTestCase):
    def test_the_public_page_shows_what_the_region_publishes_without_login(self) -> None:
        Publication.objects.create(region=self.region, indicator="plans_started")
        services.refresh_figures()
        response = self.client.get("/wat-levert-het-op/GM0917/")
        self.assertContains(response, "&lt; 10")  # the one plan of the test family
        self.assertContains(response, "Wat levert het op in Heerlen?")
        self.assertContains(response, "Gezinsplannen gestart")
        self.assertNotContains(response, "Doelen bereikt")  # not published by the region
        self.assertContains(response, 'data-code="GM0917"')
        self.assertContains(self.client.get("/wat-levert-het-op/"), "Zuid-Limburg")

    def test_unknown_area_is_404(self) -> None:
        for code in ("GM9999", "NL", "xx"):
            self.assertEqual(self.client.get(f"/wat-levert-het-op/{code}/").status_code, 404)
