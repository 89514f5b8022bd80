"""Youths and parents exercise their rights through the municipal coordinator."""

from django.urls import reverse

from rits.audit.models import Entry
from rits.involvement.models import Match, Signal
from rits.involvement.tests.base import IndexTestCase
from rits.testing import login


class RightsTests(IndexTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.youth_bsn, self.parent_bsn = self.bsn(), self.bsn()
        self.signal = self.register(
            self.professional, self.youth_bsn, parent_bsns=[self.parent_bsn]
        ).signal
        self.other = self.register(self.outsider, self.youth_bsn).signal
        self.url = reverse("involvement:rights")

    def test_the_coordinator_sees_which_organisations_registered_the_youth(self) -> None:
        login(self.client, self.heerlen_coordinator)
        response = self.client.post(self.url, {"bsn": self.youth_bsn})
        self.assertContains(response, self.org_a.name)
        self.assertContains(response, self.org_b.name)
        self.assertNotContains(response, self.youth_bsn)
        entry = Entry.objects.get(event="involvement.rights_overview")
        self.assertEqual(entry.purpose, Entry.Purpose.RIGHTS)
        self.assertEqual(entry.subject, self.signal.youth_pseudonym)

    def test_a_parent_finds_the_registrations_that_name_them(self) -> None:
        login(self.client, self.heerlen_coordinator)
        response = self.client.post(self.url, {"bsn": self.parent_bsn})
        self.assertContains(response, self.org_a.name)
        self.assertNotContains(response, self.org_b.name)

    def test_the_export_lists_organisations_without_any_bsn(self) -> None:
        login(self.client, self.heerlen_coordinator)
        self.client.post(self.url, {"bsn": self.youth_bsn})
        response = self.client.get(reverse("involvement:rights_export"))
        body = response.content.decode()
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertIn(self.org_a.name, body)
        self.assertNotIn(self.youth_bsn, body)
        self.assertNotIn(self.signal.youth_pseudonym, body)
        self.assertTrue(Entry.objects.filter(event="involvement.rights_exported").exists())

    def test_a_correction_is_saved_and_audited(self) -> None:
        login(self.client, self.heerlen_coordinator)
        new_birth = self.born(11)
        self.client.post(
            reverse("involvement:rights_correct", args=[self.signal.pk]),
            {"birth_date": new_birth.isoformat(), "note": "typo"},
        )
        self.signal.refresh_from_db()
        self.assertEqual(self.signal.birth_date, new_birth)
        entry = Entry.objects.get(event="involvement.signal_corrected")
        self.assertEqual(entry.data["new"]["birth_date"], new_birth.isoformat())

    def test_an_upheld_objection_ends_the_signal_and_closes_the_match(self) -> None:
        login(self.client, self.heerlen_coordinator)
        self.client.post(reverse("involvement:rights_object", args=[self.other.pk]), {"note": "ok"})
        self.other.refresh_from_db()
        self.assertEqual(self.other.status, Signal.Status.OBJECTED)
        self.assertEqual(Match.objects.get().status, Match.Status.CLOSED)
        self.assertTrue(Entry.objects.filter(event="involvement.objection_upheld").exists())

    def test_a_professional_cannot_handle_rights_requests(self) -> None:
        login(self.client, self.professional)
        self.assertEqual(self.client.post(self.url, {"bsn": self.youth_bsn}).status_code, 403)
        denied = Entry.objects.get(event="involvement.rights_denied")
        self.assertEqual(denied.outcome, Entry.Outcome.DENIED)

    def test_it_hides_signals_from_a_professional_trying_to_correct(self) -> None:
        login(self.client, self.outsider)
        response = self.client.post(
            reverse("involvement:rights_object", args=[self.signal.pk]), {"note": "x"}
        )
        self.assertEqual(response.status_code, 404)
        self.signal.refresh_from_db()
        self.assertTrue(self.signal.is_active)

    def test_an_invalid_bsn_is_refused_without_echo(self) -> None:
        login(self.client, self.heerlen_coordinator)
        wrong = self.youth_bsn[:-1] + str((int(self.youth_bsn[-1]) + 1) % 10)
        response = self.client.post(self.url, {"bsn": wrong})
        self.assertEqual(response.status_code, 422)
        self.assertNotContains(response, wrong, status_code=422)
