"""A correction at a person's request takes the municipality as people type it."""

from django.urls import reverse

from rits.audit.models import Entry
from rits.involvement.tests.base import IndexTestCase
from rits.testing import login


class CorrectionMunicipalityTests(IndexTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.signal = self.register(self.professional, self.bsn()).signal
        self.url = reverse("involvement:rights_correct", args=[self.signal.pk])

    def test_a_typed_name_corrects_the_municipality(self) -> None:
        login(self.client, self.heerlen_coordinator)
        self.client.post(self.url, {"municipality": "landgraaf", "note": "verhuisd"})
        self.signal.refresh_from_db()
        self.assertEqual(self.signal.municipality, self.landgraaf)
        self.assertTrue(Entry.objects.filter(event="involvement.signal_corrected").exists())

    def test_a_name_that_fits_nothing_changes_nothing_and_says_why(self) -> None:
        login(self.client, self.heerlen_coordinator)
        before = self.signal.municipality_id
        response = self.client.post(self.url, {"municipality": "Landgraf"}, follow=True)
        self.signal.refresh_from_db()
        self.assertEqual(self.signal.municipality_id, before)
        self.assertContains(response, "Bedoel je: Landgraaf")
        self.assertFalse(Entry.objects.filter(event="involvement.signal_corrected").exists())

    def test_an_outsider_cannot_correct(self) -> None:
        login(self.client, self.outsider)
        before = self.signal.municipality_id
        response = self.client.post(self.url, {"municipality": "Landgraaf"})
        self.assertEqual(response.status_code, 404)
        self.signal.refresh_from_db()
        self.assertEqual(self.signal.municipality_id, before)
