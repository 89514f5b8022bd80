"""A professional never sees others' signals, except as contact details in a match."""

from django.urls import reverse

from rits.audit.models import Entry
from rits.involvement.tests.base import IndexTestCase
from rits.testing import login


class SignalVisibilityTests(IndexTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.signal = self.register(self.professional, self.bsn(), own_reference="MINE-1").signal
        self.url = reverse("involvement:signal", args=[self.signal.pk])

    def test_the_reporter_sees_their_signal_and_the_read_is_audited(self) -> None:
        login(self.client, self.professional)
        self.assertContains(self.client.get(self.url), "MINE-1")
        self.assertTrue(
            Entry.objects.filter(
                event="involvement.signal_viewed", actor=self.professional
            ).exists()
        )

    def test_it_hides_the_signal_from_an_outsider(self) -> None:
        login(self.client, self.outsider)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_it_hides_the_signal_from_the_municipal_coordinator(self) -> None:
        login(self.client, self.heerlen_coordinator)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_my_list_shows_only_my_signals(self) -> None:
        self.register(self.outsider, self.bsn(), own_reference="THEIRS-1")
        login(self.client, self.professional)
        response = self.client.get(reverse("involvement:signals"))
        self.assertContains(response, "MINE-1")
        self.assertNotContains(response, "THEIRS-1")

    def test_even_a_matched_colleague_cannot_open_my_signal(self) -> None:
        bsn = self.bsn()
        mine = self.register(self.professional, bsn).signal
        self.register(self.outsider, bsn)
        login(self.client, self.outsider)
        response = self.client.get(reverse("involvement:signal", args=[mine.pk]))
        self.assertEqual(response.status_code, 404)

    def test_an_outsider_cannot_withdraw_my_signal(self) -> None:
        login(self.client, self.outsider)
        response = self.client.post(reverse("involvement:withdraw", args=[self.signal.pk]))
        self.assertEqual(response.status_code, 404)
        self.signal.refresh_from_db()
        self.assertTrue(self.signal.is_active)

    def test_the_reporter_can_withdraw(self) -> None:
        login(self.client, self.professional)
        self.client.post(reverse("involvement:withdraw", args=[self.signal.pk]))
        self.signal.refresh_from_db()
        self.assertEqual(self.signal.status, "withdrawn")
        self.assertIsNotNone(self.signal.ended_at)


class MatchVisibilityTests(IndexTestCase):
    def setUp(self) -> None:
        super().setUp()
        bsn = self.bsn()
        self.register(self.professional, bsn, own_reference="OWN-A")
        self.match = self.register(self.landgraaf_worker, bsn, municipality=self.landgraaf).matches[
            0
        ]
        self.url = reverse("involvement:match", args=[self.match.pk])

    def test_members_see_each_others_contact_details(self) -> None:
        login(self.client, self.landgraaf_worker)
        response = self.client.get(self.url)
        self.assertContains(response, self.professional.full_name)
        self.assertContains(response, self.org_a.name)
        self.assertNotContains(response, "OWN-A")  # the other's own reference stays theirs

    def test_it_hides_the_match_from_an_outsider(self) -> None:
        login(self.client, self.outsider)
        self.assertEqual(self.client.get(self.url).status_code, 404)

    def test_a_coordinator_of_either_municipality_sees_the_match(self) -> None:
        for user in (self.heerlen_coordinator, self.landgraaf_coordinator):
            login(self.client, user)
            self.assertEqual(self.client.get(self.url).status_code, 200)

    def test_the_municipal_coordinator_cannot_coordinate_for_the_professionals(self) -> None:
        login(self.client, self.heerlen_coordinator)
        response = self.client.post(
            reverse("involvement:coordinate", args=[self.match.pk]), {"in_touch": "1"}
        )
        self.assertEqual(response.status_code, 403)

    def test_my_matches_lists_only_mine(self) -> None:
        login(self.client, self.outsider)
        response = self.client.get(reverse("involvement:matches"))
        self.assertNotContains(response, self.match.reference)
        login(self.client, self.professional)
        self.assertContains(self.client.get(reverse("involvement:matches")), self.match.reference)

    def test_unresolved_list_is_for_municipal_coordinators_only(self) -> None:
        url = reverse("involvement:unresolved")
        login(self.client, self.professional)
        self.assertEqual(self.client.get(url).status_code, 403)
        login(self.client, self.heerlen_coordinator)
        self.assertContains(self.client.get(url), self.match.reference)
