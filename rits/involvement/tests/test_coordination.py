from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from rits.accounts.models import Notification
from rits.involvement.models import Match
from rits.involvement.services import escalate_unresolved, run_daily
from rits.involvement.tests.base import IndexTestCase
from rits.testing import login


class CoordinationTests(IndexTestCase):
    def setUp(self) -> None:
        super().setUp()
        bsn = self.bsn()
        self.mine = self.register(self.professional, bsn).signal
        result = self.register(self.outsider, bsn)
        self.theirs, self.match = result.signal, result.matches[0]
        self.url = reverse("involvement:coordinate", args=[self.match.pk])

    def test_agreeing_a_coordinator_and_being_in_touch_settles_the_match(self) -> None:
        login(self.client, self.professional)
        self.client.post(self.url, {"coordinator": self.theirs.pk})
        self.match.refresh_from_db()
        self.assertEqual(self.match.coordinator, self.theirs)
        self.assertEqual(self.match.status, Match.Status.OPEN)
        login(self.client, self.outsider)
        self.client.post(self.url, {"in_touch": "1"})
        self.match.refresh_from_db()
        self.assertEqual(self.match.status, Match.Status.SETTLED)

    def test_htmx_gets_the_coordination_partial(self) -> None:
        login(self.client, self.professional)
        response = self.client.post(
            self.url, {"coordinator": self.mine.pk}, headers={"HX-Request": "true"}
        )
        self.assertContains(response, 'id="coordination"')
        self.assertNotContains(response, "<html")

    def test_it_refuses_a_coordinator_from_outside_the_match(self) -> None:
        stranger = self.register(self.coordinator, self.bsn()).signal
        login(self.client, self.professional)
        response = self.client.post(self.url, {"coordinator": stranger.pk})
        self.assertEqual(response.status_code, 422)
        self.match.refresh_from_db()
        self.assertIsNone(self.match.coordinator)

    def test_it_hides_coordination_from_an_outsider(self) -> None:
        login(self.client, self.coordinator)
        self.assertEqual(self.client.post(self.url, {"in_touch": "1"}).status_code, 404)

    def test_the_page_marks_the_family_plan_as_a_future_step_without_a_link(self) -> None:
        login(self.client, self.professional)
        response = self.client.get(reverse("involvement:match", args=[self.match.pk]))
        self.assertContains(response, "gezinsplan")
        self.assertNotContains(response, "family_plans")


class EscalationTests(IndexTestCase):
    def setUp(self) -> None:
        super().setUp()
        bsn = self.bsn()
        self.register(self.professional, bsn)
        self.match = self.register(self.outsider, bsn).matches[0]

    def test_nothing_happens_within_the_period(self) -> None:
        self.assertEqual(escalate_unresolved(now=timezone.now() + timedelta(days=13)), 0)

    def test_the_coordinator_of_the_youths_municipality_is_told_once(self) -> None:
        later = timezone.now() + timedelta(days=15)
        self.assertEqual(run_daily(now=later).escalated, 1)
        self.assertTrue(Notification.objects.filter(user=self.heerlen_coordinator).exists())
        self.assertFalse(Notification.objects.filter(user=self.landgraaf_coordinator).exists())
        self.assertEqual(run_daily(now=later).escalated, 0)

    def test_the_period_is_configurable(self) -> None:
        with self.settings(RITS_INVOLVEMENT_ESCALATION_DAYS=3):
            self.assertEqual(escalate_unresolved(now=timezone.now() + timedelta(days=4)), 1)

    def test_a_settled_match_is_not_escalated(self) -> None:
        self.match.status = Match.Status.SETTLED
        self.match.save()
        self.assertEqual(escalate_unresolved(now=timezone.now() + timedelta(days=30)), 0)
