"""From a match to one family plan: a professional in the match starts it with the
family's consent, through the family plan's own service, for the youth the index knows."""

from __future__ import annotations

from django.urls import reverse

from rits.family_plans.models import CareTeamMember, Plan
from rits.involvement.tests.base import IndexTestCase
from rits.lib.pseudonyms import pseudonymise_bsn
from rits.testing import AuditAssertions, login


class MatchPlanTests(AuditAssertions, IndexTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.youth_bsn = self.bsn()
        self.mine = self.register(self.professional, self.youth_bsn).signal
        self.match = self.register(self.outsider, self.youth_bsn).matches[0]
        self.url = reverse("involvement:match_plan", args=[self.match.pk])

    def details(self, **kw: object) -> dict[str, object]:
        return {
            "family_name": "Gezin Match",
            "youth_name": "Mila",
            "youth_birth": self.born(10).isoformat(),
            "parent_1": "Moeder Match",
            "consent_in_person": "on",
        } | kw

    def test_the_match_page_offers_to_start_a_plan(self) -> None:
        login(self.client, self.professional)
        page = self.client.get(reverse("involvement:match", args=[self.match.pk]))
        self.assertContains(page, self.url)
        self.assertNotContains(page, "nog niet mogelijk")

    def test_a_professional_in_the_match_starts_the_plan(self) -> None:
        login(self.client, self.professional)
        r = self.client.post(self.url, self.details())
        plan = Plan.objects.get()
        self.assertRedirects(r, f"/gezin/{plan.pk}/team/", fetch_redirect_response=False)
        self.assertEqual(plan.youth.bsn_pseudonym, pseudonymise_bsn(self.youth_bsn))
        self.assertEqual(plan.family.municipality, self.mine.municipality)
        member = CareTeamMember.objects.get(plan=plan)
        self.assertEqual(
            (member.user, member.status), (self.professional, CareTeamMember.Status.ACTIVE)
        )
        self.assert_audited("family_plans.plan_started", actor=self.professional)
        self.assert_audited(
            "involvement.plan_started_from_match", actor=self.professional, plan=plan.pk
        )

    def test_without_the_familys_consent_nothing_starts(self) -> None:
        login(self.client, self.professional)
        r = self.client.post(self.url, self.details(consent_in_person=""))
        self.assertContains(r, "toestemming", status_code=400)
        self.assertFalse(Plan.objects.exists())
        self.assert_audited("involvement.plan_started_from_match", count=0)

    def test_a_second_plan_for_the_same_youth_is_refused(self) -> None:
        login(self.client, self.professional)
        self.client.post(self.url, self.details())
        login(self.client, self.outsider)
        r = self.client.post(self.url, self.details(youth_name="Andere naam"))
        self.assertEqual(r.status_code, 400)
        self.assertEqual(Plan.objects.count(), 1)

    def test_a_municipal_coordinator_sees_the_match_but_cannot_start_a_plan(self) -> None:
        login(self.client, self.heerlen_coordinator)
        self.assertEqual(self.client.post(self.url, self.details()).status_code, 403)
        self.assertFalse(Plan.objects.exists())

    def test_an_outsider_to_the_match_gets_404(self) -> None:
        login(self.client, self.landgraaf_worker)
        self.assertEqual(self.client.get(self.url).status_code, 404)
        self.assertEqual(self.client.post(self.url, self.details()).status_code, 404)
        self.assertFalse(Plan.objects.exists())
