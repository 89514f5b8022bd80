"""Break the glass: a reason, a time limit, the privacy officer and the family told."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

from django.utils import timezone

from rits.audit.models import Entry
from rits.family_plans import services
from rits.family_plans.tests.base import FamilyPlanTestCase
from rits.lib.testing import login

REASON = "Jesse is vermist, politie vraagt om contactgegevens van het netwerk"


class EmergencyAccessTests(FamilyPlanTestCase):
    def test_a_professional_gets_time_limited_read_access_with_a_reason(self) -> None:
        login(self.client, self.outsider)
        self.assertEqual(self.client.get(f"/gezin/{self.plan.pk}/").status_code, 404)
        r = self.client.post("/gezin/noodtoegang/", {"plan_id": self.plan.pk, "reason": REASON})
        self.assertRedirects(r, f"/gezin/{self.plan.pk}/", fetch_redirect_response=False)
        r = self.client.get(f"/gezin/{self.plan.pk}/")
        self.assertEqual(r.status_code, 200)
        # Read only: no changes under emergency access.
        r = self.client.post(
            f"/gezin/{self.plan.pk}/doelen/nieuw/", {"title": "x", "domain": "health"}
        )
        self.assertEqual(r.status_code, 403)
        entry = Entry.objects.get(event="family_plans.emergency_access_started")
        self.assertEqual(entry.purpose, Entry.Purpose.EMERGENCY)
        self.assertEqual(entry.data["reason"], REASON)
        viewed = Entry.objects.filter(event="family_plans.plan_viewed", actor=self.outsider)
        self.assertEqual(viewed.get().purpose, Entry.Purpose.EMERGENCY)

    def test_access_ends_when_the_time_is_up(self) -> None:
        services.break_glass(self.plan.pk, actor=self.outsider, reason=REASON)
        later = timezone.now() + timedelta(hours=services.EMERGENCY_HOURS, minutes=1)
        with mock.patch("django.utils.timezone.now", return_value=later):
            login(self.client, self.outsider)
            self.assertEqual(self.client.get(f"/gezin/{self.plan.pk}/").status_code, 404)

    def test_the_privacy_officer_and_the_family_are_told(self) -> None:
        services.break_glass(self.plan.pk, actor=self.outsider, reason=REASON)
        self.assertTrue(
            self.privacy_officer.notifications.filter(kind="family_plans.emergency_access").exists()
        )
        self.assertTrue(
            self.parent.notifications.filter(kind="family_plans.emergency_access").exists()
        )
        login(self.client, self.privacy_officer)
        self.assertContains(self.client.get("/gezin/noodtoegang/overzicht/"), REASON)
        self.assertEqual(self.client.get(f"/gezin/{self.plan.pk}/").status_code, 404)
        login(self.client, self.parent)
        self.assertContains(self.client.get(f"/gezin/{self.plan.pk}/inzage/"), REASON)

    def test_a_reason_is_required(self) -> None:
        with self.assertRaises(services.PlanError):
            services.break_glass(self.plan.pk, actor=self.outsider, reason="nood")
        login(self.client, self.outsider)
        self.assertEqual(self.client.get(f"/gezin/{self.plan.pk}/").status_code, 404)

    def test_family_municipality_and_admins_cannot_break_the_glass(self) -> None:
        for user in (self.parent, self.municipality_officer, self.admin):
            with self.subTest(user=user.email), self.assertRaises(services.PlanError):
                services.break_glass(self.plan.pk, actor=user, reason=REASON)
            login(self.client, user)
            self.assertEqual(self.client.get("/gezin/noodtoegang/").status_code, 404)

    def test_only_the_privacy_officer_sees_the_overview(self) -> None:
        for user in (self.outsider, self.admin, self.coordinator):
            login(self.client, user)
            self.assertEqual(self.client.get("/gezin/noodtoegang/overzicht/").status_code, 404)

    def test_the_api_breaks_the_glass_too(self) -> None:
        login(self.client, self.outsider)
        r = self.client.post(
            "/api/v1/family-plans/emergency-access",
            {"plan_id": self.plan.pk, "reason": REASON},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 201)
        self.assertEqual(
            self.client.get(f"/api/v1/family-plans/plans/{self.plan.pk}").json()["access"],
            "emergency",
        )

    def test_a_professional_ends_emergency_access_early(self) -> None:
        grant = services.break_glass(self.plan.pk, actor=self.outsider, reason=REASON)
        login(self.client, self.outsider)
        page = self.client.get(f"/gezin/{self.plan.pk}/")
        self.assertContains(page, f"/gezin/noodtoegang/{grant.pk}/beeindigen/")
        r = self.client.post(f"/gezin/noodtoegang/{grant.pk}/beeindigen/")
        self.assertEqual(r.status_code, 302)
        self.assertEqual(self.client.get(f"/gezin/{self.plan.pk}/").status_code, 404)
        self.assertTrue(Entry.objects.filter(event="family_plans.emergency_access_ended").exists())

    def test_nobody_else_can_end_someone_s_emergency_access(self) -> None:
        grant = services.break_glass(self.plan.pk, actor=self.outsider, reason=REASON)
        login(self.client, self.coordinator)
        r = self.client.post(f"/gezin/noodtoegang/{grant.pk}/beeindigen/")
        self.assertEqual(r.status_code, 404)
        grant.refresh_from_db()
        self.assertIsNone(grant.ended_at)
