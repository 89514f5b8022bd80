"""Every read and write of a plan is audited, with the youth's pseudonym as subject."""

from __future__ import annotations

from rits.audit.models import Entry
from rits.family_plans.models import Goal
from rits.family_plans.tests.base import FamilyPlanTestCase
from rits.testing import login


class AuditTests(FamilyPlanTestCase):
    def test_a_plan_read_is_audited_with_the_pseudonym(self) -> None:
        login(self.client, self.professional)
        self.client.get(f"/gezin/{self.plan.pk}/")
        entry = Entry.objects.get(event="family_plans.plan_viewed")
        self.assertEqual(entry.actor, self.professional)
        self.assertEqual(entry.subject, self.youth_person.bsn_pseudonym)
        self.assertEqual(
            (entry.object_type, entry.object_id), ("family_plans.plan", str(self.plan.pk))
        )
        self.assertEqual(entry.organisation, "Jeugdhulp Parkstad (test)")
        self.assertEqual(entry.purpose, Entry.Purpose.CARE)
        self.assertEqual(entry.channel, "web")

    def test_an_api_read_is_audited(self) -> None:
        login(self.client, self.parent)
        self.client.get(f"/api/v1/family-plans/plans/{self.plan.pk}")
        entry = Entry.objects.get(event="family_plans.plan_viewed")
        self.assertEqual((entry.channel, entry.purpose), ("api", Entry.Purpose.RIGHTS))

    def test_a_goal_change_is_audited_with_old_and_new_values(self) -> None:
        goal = Goal.objects.create(plan=self.plan, domain="health", title="Beter slapen")
        login(self.client, self.parent)
        self.client.post(
            f"/gezin/{self.plan.pk}/doelen/{goal.pk}/",
            {
                "domain": "health",
                "title": "Om 22 uur naar bed",
                "description": "",
                "status": "open",
                "version": 1,
            },
        )
        entry = Entry.objects.get(event="family_plans.goal_changed")
        self.assertEqual(entry.data["changes"]["title"], ["Beter slapen", "Om 22 uur naar bed"])
        history = self.client.get(f"/gezin/{self.plan.pk}/geschiedenis/")
        self.assertContains(history, "Om 22 uur naar bed")

    def test_a_failed_write_leaves_no_audit_entry_and_no_change(self) -> None:
        goal = Goal.objects.create(plan=self.plan, domain="health", title="Beter slapen", version=3)
        login(self.client, self.parent)
        before = Entry.objects.count()
        self.client.post(
            f"/gezin/{self.plan.pk}/doelen/{goal.pk}/",
            {
                "domain": "health",
                "title": "Anders",
                "description": "",
                "status": "open",
                "version": 1,
            },
        )
        self.assertFalse(Entry.objects.filter(event="family_plans.goal_changed").exists())
        self.assertEqual(Entry.objects.count(), before + 0)
        goal.refresh_from_db()
        self.assertEqual(goal.title, "Beter slapen")


class HtmxTests(FamilyPlanTestCase):
    def test_adding_a_goal_with_htmx_returns_the_goals_partial(self) -> None:
        login(self.client, self.youth)
        r = self.client.post(
            f"/gezin/{self.plan.pk}/doelen/nieuw/",
            {"title": "Mijn eigen doel", "domain": "network"},
            headers={"HX-Request": "true"},
        )
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, 'id="goals"')
        self.assertContains(r, "Mijn eigen doel")
        self.assertNotContains(r, "<html")

    def test_adding_a_goal_without_javascript_redirects_to_the_plan(self) -> None:
        login(self.client, self.youth)
        r = self.client.post(
            f"/gezin/{self.plan.pk}/doelen/nieuw/",
            {"title": "Mijn eigen doel", "domain": "network"},
        )
        self.assertRedirects(r, f"/gezin/{self.plan.pk}/", fetch_redirect_response=False)
        self.assertContains(self.client.get(r["Location"]), "Mijn eigen doel")

    def test_an_outsider_gets_404_with_htmx_too(self) -> None:
        login(self.client, self.outsider)
        r = self.client.post(
            f"/gezin/{self.plan.pk}/doelen/nieuw/",
            {"title": "x", "domain": "network"},
            headers={"HX-Request": "true"},
        )
        self.assertEqual(r.status_code, 404)
