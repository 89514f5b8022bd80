"""Registering and rights lookups are limited per account, on the page and in the API:
each tells something about a person, and nobody may ask that about many at once."""

from django.test import override_settings
from django.urls import reverse

from rits.audit.models import Entry
from rits.involvement.models import Signal
from rits.involvement.tests.base import BASE, ApiTestCase
from rits.testing import login


class RegistrationRateTests(ApiTestCase):
    @override_settings(RITS_REGISTRATION_RATE="2/m")
    def test_the_api_refuses_registrations_over_the_rate_and_registers_nothing(self) -> None:
        for _ in range(2):
            response = self.post(self.professional, "/signals", self.payload(self.bsn()))
            self.assertEqual(response.status_code, 201)
        bsn = self.bsn()
        refused = self.post(self.professional, "/signals", self.payload(bsn))
        self.assertEqual(refused.status_code, 429)
        self.assertEqual(refused["Content-Type"], "application/problem+json")
        self.assertIn("Retry-After", refused)
        self.assertNotIn(bsn, refused.content.decode())
        self.assertEqual(Signal.objects.filter(reporter=self.professional).count(), 2)
        entry = Entry.objects.get(event="accounts.rate_limited")
        self.assertEqual(entry.actor, self.professional)
        self.assertEqual(entry.data["limit"], "involvement-registration")
        # Per account: another professional registers as usual; other calls still work.
        self.assertEqual(self.post(self.outsider, "/signals", self.payload(bsn)).status_code, 201)
        listed = self.client.get(BASE + "/signals", headers=self.token(self.professional))
        self.assertEqual(listed.status_code, 200)

    @override_settings(RITS_REGISTRATION_RATE="1/m")
    def test_the_form_refuses_registrations_over_the_rate_in_dutch(self) -> None:
        login(self.client, self.professional)
        url = reverse("involvement:register")
        first = self.client.post(url, {"bsn": "123"})
        self.assertEqual(first.status_code, 422)  # counted, though invalid
        refused = self.client.post(url, {"bsn": self.bsn()})
        self.assertContains(refused, "Te veel verzoeken", status_code=429)
        self.assertEqual(Signal.objects.count(), 0)
        # Reading the form is not limited.
        self.assertEqual(self.client.get(url).status_code, 200)


class RightsLookupRateTests(ApiTestCase):
    @override_settings(RITS_RIGHTS_LOOKUP_RATE="1/h")
    def test_the_page_refuses_a_second_lookup_within_the_hour(self) -> None:
        bsn = self.bsn()
        self.register(self.professional, bsn)
        login(self.client, self.heerlen_coordinator)
        url = reverse("involvement:rights")
        self.assertContains(self.client.post(url, {"bsn": bsn}), self.org_a.name)
        refused = self.client.post(url, {"bsn": bsn})
        self.assertContains(refused, "Te veel verzoeken", status_code=429)
        self.assertNotContains(refused, self.org_a.name, status_code=429)
        self.assertEqual(Entry.objects.filter(event="involvement.rights_overview").count(), 1)
        self.assertEqual(Entry.objects.filter(event="accounts.rate_limited").count(), 1)

    @override_settings(RITS_RIGHTS_LOOKUP_RATE="1/h")
    def test_the_page_and_the_api_share_one_count(self) -> None:
        bsn = self.bsn()
        login(self.client, self.heerlen_coordinator)
        self.client.post(reverse("involvement:rights"), {"bsn": bsn})
        refused = self.post(self.heerlen_coordinator, "/rights/overview", {"bsn": bsn})
        self.assertEqual(refused.status_code, 429)
        self.assertNotIn(bsn, refused.content.decode())
