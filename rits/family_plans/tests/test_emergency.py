"""Break the glass: a reason, a time limit, the privacy officer and the family told."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from unittest import mock

from django.utils import timezone

from rits.accounts.models import Membership, Organisation, User
from rits.audit.models import Entry
from rits.family_plans import services
from rits.family_plans.models import EmergencyAccess, Plan
from rits.family_plans.tests.base import FamilyPlanTestCase
from rits.regions.models import YouthCareRegion
from rits.testing import login, make_user, without_response_tokens

REASON = "Jesse is vermist, politie vraagt om contactgegevens van het netwerk"


ACUTE = EmergencyAccess.ReasonClass.ACUTE_SAFETY
MISSING = EmergencyAccess.ReasonClass.MISSING


class EmergencyAccessTests(FamilyPlanTestCase):
    def test_a_professional_gets_time_limited_read_access_with_a_reason(self) -> None:
        login(self.client, self.outsider)
        self.assertEqual(self.client.get(f"/gezin/{self.plan.pk}/").status_code, 404)
        r = self.client.post(
            "/gezin/noodtoegang/",
            {"plan_id": self.plan.pk, "reason": REASON, "reason_class": ACUTE},
        )
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
        services.break_glass(self.plan.pk, actor=self.outsider, reason=REASON, reason_class=ACUTE)
        later = timezone.now() + timedelta(hours=services.EMERGENCY_HOURS, minutes=1)
        with mock.patch("django.utils.timezone.now", return_value=later):
            login(self.client, self.outsider)
            self.assertEqual(self.client.get(f"/gezin/{self.plan.pk}/").status_code, 404)

    def test_the_privacy_officer_and_the_family_are_told(self) -> None:
        services.break_glass(self.plan.pk, actor=self.outsider, reason=REASON, reason_class=ACUTE)
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
            services.break_glass(
                self.plan.pk, actor=self.outsider, reason="nood", reason_class=ACUTE
            )
        login(self.client, self.outsider)
        self.assertEqual(self.client.get(f"/gezin/{self.plan.pk}/").status_code, 404)

    def test_family_municipality_and_admins_cannot_break_the_glass(self) -> None:
        for user in (self.parent, self.municipality_officer, self.admin):
            with self.subTest(user=user.email), self.assertRaises(services.PlanError):
                services.break_glass(self.plan.pk, actor=user, reason=REASON, reason_class=ACUTE)
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
            {"plan_id": self.plan.pk, "reason": REASON, "reason_class": ACUTE},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 201)
        self.assertEqual(
            self.client.get(f"/api/v1/family-plans/plans/{self.plan.pk}").json()["access"],
            "emergency",
        )

    def test_a_professional_ends_emergency_access_early(self) -> None:
        grant = services.break_glass(
            self.plan.pk, actor=self.outsider, reason=REASON, reason_class=ACUTE
        )
        login(self.client, self.outsider)
        page = self.client.get(f"/gezin/{self.plan.pk}/")
        self.assertContains(page, f"/gezin/noodtoegang/{grant.pk}/beeindigen/")
        r = self.client.post(f"/gezin/noodtoegang/{grant.pk}/beeindigen/")
        self.assertEqual(r.status_code, 302)
        self.assertEqual(self.client.get(f"/gezin/{self.plan.pk}/").status_code, 404)
        self.assertTrue(Entry.objects.filter(event="family_plans.emergency_access_ended").exists())

    def test_nobody_else_can_end_someone_s_emergency_access(self) -> None:
        grant = services.break_glass(
            self.plan.pk, actor=self.outsider, reason=REASON, reason_class=ACUTE
        )
        login(self.client, self.coordinator)
        r = self.client.post(f"/gezin/noodtoegang/{grant.pk}/beeindigen/")
        self.assertEqual(r.status_code, 404)
        grant.refresh_from_db()
        self.assertIsNone(grant.ended_at)


class EmergencyAccessLimitsTests(FamilyPlanTestCase):
    """Only care professionals working in the family's region, closed plans only in
    acute danger, and no answer that tells which plan numbers exist."""

    far_professional: User
    teacher: User
    reporter_only: User
    missing_id: int

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        elsewhere = YouthCareRegion.objects.exclude(pk=cls.region.pk).first()
        assert elsewhere is not None
        far_org = Organisation.objects.create(
            name="Jeugdhulp Elders (test)",
            kind=Organisation.Kind.YOUTH_CARE_PROVIDER,
            region=elsewhere,
        )
        cls.far_professional = make_user("elders@test.rits.nl", "Els Elders")
        Membership.objects.create(
            user=cls.far_professional, organisation=far_org, role=Membership.Role.PROFESSIONAL
        )
        school = Organisation.objects.create(
            name="School Heerlen (test)", kind=Organisation.Kind.EDUCATION, region=cls.region
        )
        cls.teacher = make_user("leraar@test.rits.nl", "Lea Leraar")
        Membership.objects.create(
            user=cls.teacher, organisation=school, role=Membership.Role.PROFESSIONAL
        )
        cls.reporter_only = make_user("melder@test.rits.nl", "Mel Melder")
        Membership.objects.create(
            user=cls.reporter_only, organisation=cls.org_b, role=Membership.Role.INDEX_REPORTER
        )
        cls.missing_id = cls.plan.pk + 1000

    def post(self, plan_id: int, reason_class: str = MISSING) -> Any:
        return self.client.post(
            "/gezin/noodtoegang/",
            {"plan_id": plan_id, "reason": REASON, "reason_class": reason_class},
        )

    def api(self, plan_id: int, reason_class: str = MISSING) -> Any:
        return self.client.post(
            "/api/v1/family-plans/emergency-access",
            {"plan_id": plan_id, "reason": REASON, "reason_class": reason_class},
            content_type="application/json",
        )

    def refusals(self) -> list[tuple[str, str, str, str, str]]:
        return list(
            Entry.objects.filter(event="family_plans.emergency_access_refused")
            .order_by("pk")
            .values_list("event", "outcome", "object_type", "organisation", "subject")
        )

    def test_a_professional_of_another_region_is_refused_as_if_the_plan_did_not_exist(
        self,
    ) -> None:
        login(self.client, self.far_professional)
        self.assert_same_answer_for(self.plan.pk, self.missing_id)
        self.assertFalse(EmergencyAccess.objects.exists())

    def test_a_closed_plan_opens_only_in_acute_danger(self) -> None:
        Plan.objects.filter(pk=self.plan.pk).update(status=Plan.Status.CLOSED)
        login(self.client, self.outsider)
        self.assert_same_answer_for(self.plan.pk, self.missing_id)
        self.assertFalse(EmergencyAccess.objects.exists())
        r = self.post(self.plan.pk, ACUTE)
        self.assertRedirects(r, f"/gezin/{self.plan.pk}/", fetch_redirect_response=False)
        grant = EmergencyAccess.objects.get()
        self.assertEqual(grant.reason_class, ACUTE)
        self.assertEqual(grant.organisation, self.org_b)
        self.assertEqual(self.client.get(f"/gezin/{self.plan.pk}/").status_code, 200)

    def assert_same_answer_for(self, existing: int, missing: int) -> None:
        """Page and API answer an existing and a missing number identically, and the
        refusals in the trail differ only in the number."""
        pages = [self.post(existing), self.post(missing)]
        self.assertEqual([p.status_code for p in pages], [404, 404])
        bodies = [
            without_response_tokens(p.content.decode()).replace(f'value="{n}"', 'value="N"')
            for p, n in zip(pages, (existing, missing), strict=True)
        ]
        self.assertEqual(bodies[0], bodies[1])
        calls = [self.api(existing), self.api(missing)]
        self.assertEqual([c.status_code for c in calls], [404, 404])
        self.assertEqual(calls[0].json(), calls[1].json())
        refused = self.refusals()
        self.assertEqual(len(refused), 4)
        self.assertEqual(len(set(refused)), 1, refused)
        self.assertEqual(refused[0][1], Entry.Outcome.DENIED)
        ids = list(
            Entry.objects.filter(event="family_plans.emergency_access_refused")
            .order_by("pk")
            .values_list("object_id", flat=True)
        )
        self.assertEqual(ids, [str(existing), str(missing)] * 2)

    def test_schools_index_reporters_and_staff_cannot_break_the_glass(self) -> None:
        for user in (self.teacher, self.reporter_only, self.privacy_officer):
            with self.subTest(user=user.email):
                login(self.client, user)
                self.assertEqual(self.client.get("/gezin/noodtoegang/").status_code, 404)
                with self.assertRaises(services.PlanError):
                    services.break_glass(
                        self.plan.pk, actor=user, reason=REASON, reason_class=MISSING
                    )
        self.assertFalse(EmergencyAccess.objects.exists())

    def test_a_reason_class_is_required(self) -> None:
        login(self.client, self.outsider)
        r = self.client.post("/gezin/noodtoegang/", {"plan_id": self.plan.pk, "reason": REASON})
        self.assertEqual(r.status_code, 400)
        r = self.client.post(
            "/api/v1/family-plans/emergency-access",
            {"plan_id": self.plan.pk, "reason": REASON, "reason_class": "curious"},
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 422)
        self.assertFalse(EmergencyAccess.objects.exists())

    def test_the_grant_names_the_organisation_in_the_trail_and_the_reports(self) -> None:
        login(self.client, self.outsider)
        self.assertEqual(self.api(self.plan.pk).status_code, 201)
        entry = Entry.objects.get(event="family_plans.emergency_access_started")
        self.assertEqual(
            (entry.organisation, entry.role, entry.subject, entry.data["reason_class"]),
            (self.org_b.name, Membership.Role.PROFESSIONAL, self.youth_person.reference, MISSING),
        )
        self.client.get(f"/gezin/{self.plan.pk}/")
        viewed = Entry.objects.get(event="family_plans.plan_viewed")
        self.assertEqual((viewed.organisation, viewed.purpose), (self.org_b.name, "emergency"))
        note = self.privacy_officer.notifications.get(kind="family_plans.emergency_access")
        self.assertIn(REASON, note.body)
        login(self.client, self.parent)
        self.assertContains(self.client.get(f"/gezin/{self.plan.pk}/inzage/"), self.org_b.name)
