from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from rits.accounts.models import Membership
from rits.audit.models import Entry
from rits.involvement.models import Signal
from rits.involvement.services import max_end_date, reporter_organisations
from rits.involvement.tests.base import IndexTestCase
from rits.testing import login


class RegisterServiceTests(IndexTestCase):
    def assert_refused(self, field: str, **kw: object) -> None:
        with self.assertRaises(ValidationError) as caught:
            self.register(self.professional, kw.pop("bsn", None) or self.bsn(), **kw)  # type: ignore[arg-type]
        self.assertIn(field, caught.exception.message_dict)
        self.assertFalse(Signal.objects.exists())

    def test_it_refuses_a_bsn_that_fails_the_elfproef(self) -> None:
        bsn = self.bsn()
        wrong = bsn[:-1] + str((int(bsn[-1]) + 1) % 10)
        with self.assertRaises(ValidationError) as caught:
            self.register(self.professional, wrong)
        self.assertNotIn(wrong, str(caught.exception))
        self.assertFalse(Signal.objects.exists())

    def test_it_refuses_a_youth_of_23(self) -> None:
        self.assert_refused("birth_date", age=23)

    def test_it_refuses_a_birth_date_in_the_future(self) -> None:
        self.assert_refused("birth_date", birth_date=timezone.localdate() + timedelta(days=3))

    def test_it_refuses_more_than_two_years(self) -> None:
        end = max_end_date(timezone.localdate()) + timedelta(days=1)
        self.assert_refused("ends_on", ends_on=end)

    def test_it_accepts_exactly_two_years(self) -> None:
        end = max_end_date(timezone.localdate())
        signal = self.register(self.professional, self.bsn(), ends_on=end).signal
        self.assertEqual(signal.ends_on, end)

    def test_it_ends_at_the_23rd_birthday_at_the_latest(self) -> None:
        signal = self.register(self.professional, self.bsn(), age=22).signal
        self.assertEqual(signal.ends_on, signal.age_limit_on)

    def test_the_regional_default_duration_applies(self) -> None:
        with self.settings(RITS_INVOLVEMENT_DEFAULT_DAYS=180):
            signal = self.register(self.professional, self.bsn()).signal
        self.assertEqual(signal.ends_on, timezone.localdate() + timedelta(days=180))

    def test_a_youth_of_12_must_be_informed_or_postponed(self) -> None:
        self.assert_refused("youth_informed", age=13, youth_informed=False)
        signal = self.register(
            self.professional,
            self.bsn(),
            age=13,
            youth_informed=False,
            informing_postponed="safety",
        ).signal
        self.assertEqual(signal.informing_postponed, "safety")

    def test_parents_of_a_youth_under_16_must_be_informed_or_postponed(self) -> None:
        self.assert_refused("parents_informed", age=8, parents_informed=False)

    def test_a_youth_of_16_needs_no_parents_informed(self) -> None:
        self.register(self.professional, self.bsn(), age=17, parents_informed=False)
        self.assertEqual(Signal.objects.count(), 1)

    def test_it_refuses_a_duplicate_by_the_same_professional(self) -> None:
        bsn = self.bsn()
        self.register(self.professional, bsn)
        with self.assertRaises(ValidationError) as caught:
            self.register(self.professional, bsn)
        self.assertEqual(caught.exception.error_dict["bsn"][0].code, "duplicate")
        self.assertEqual(Signal.objects.count(), 1)

    def test_it_refuses_a_number_in_the_own_reference(self) -> None:
        self.assert_refused("own_reference", own_reference=f"dossier {self.bsn()}")

    def test_it_refuses_an_unauthorised_reporter_and_audits_it(self) -> None:
        with self.assertRaises(PermissionDenied):
            self.register(self.municipality_officer, self.bsn())
        self.assertFalse(Signal.objects.exists())
        entry = Entry.objects.get(event="involvement.register_denied")
        self.assertEqual(entry.outcome, Entry.Outcome.DENIED)
        self.assertEqual(entry.actor, self.municipality_officer)

    def test_a_withdrawn_authorisation_no_longer_counts(self) -> None:
        self.professional.memberships.filter(role=Membership.Role.INDEX_REPORTER).update(
            active=False
        )
        with self.assertRaises(PermissionDenied):
            self.register(self.professional, self.bsn())
        self.assertFalse(Signal.objects.exists())
        self.assertEqual(Entry.objects.filter(event="involvement.register_denied").count(), 1)

    def test_the_organisations_that_authorised_a_reporter_come_by_name(self) -> None:
        Membership.objects.create(
            user=self.landgraaf_worker, organisation=self.org_a, role=Membership.Role.INDEX_REPORTER
        )
        Membership.objects.create(
            user=self.landgraaf_worker, organisation=self.org_a, role=Membership.Role.PROFESSIONAL
        )
        names = [o.name for o in reporter_organisations(self.landgraaf_worker)]
        self.assertEqual(names, sorted([self.org_a.name, self.school.name]))

    def test_registering_is_audited_with_the_pseudonym_as_subject(self) -> None:
        bsn = self.bsn()
        signal = self.register(self.professional, bsn).signal
        entry = Entry.objects.get(event="involvement.signal_registered")
        self.assertEqual(entry.subject, signal.youth_pseudonym)
        self.assertNotIn(bsn, str(entry.data))


class RegisterViewTests(IndexTestCase):
    url = reverse("involvement:register")

    def post(self, bsn: str, **kw: object) -> Any:
        data = {
            "bsn": bsn,
            "birth_date": self.born(10).isoformat(),
            "municipality": self.heerlen.pk,
            "organisation": self.org_a.pk,
            "ends_on": (timezone.localdate() + timedelta(days=200)).isoformat(),
            "youth_informed": "on",
            "parents_informed": "on",
            "contact_name": "Pim Professional",
            "contact_email": "pim@test.rits.nl",
        }
        data.update(kw)  # type: ignore[arg-type]
        return self.client.post(self.url, data)

    def test_it_shows_the_form_to_a_reporter(self) -> None:
        login(self.client, self.professional)
        response = self.client.get(self.url)
        self.assertContains(response, 'name="bsn"')

    def test_it_registers_and_redirects_to_the_signal(self) -> None:
        login(self.client, self.professional)
        response = self.post(self.bsn())
        signal = Signal.objects.get()
        self.assertRedirects(response, reverse("involvement:signal", args=[signal.pk]))
        self.assertEqual(signal.organisation, self.org_a)

    def test_a_rejected_form_does_not_echo_the_bsn(self) -> None:
        login(self.client, self.professional)
        bsn, parent = self.bsn(), self.bsn()
        response = self.post(bsn, parent1_bsn=parent, birth_date="2090-01-01")
        self.assertEqual(response.status_code, 422)  # type: ignore[attr-defined]
        self.assertNotContains(response, bsn, status_code=422)  # type: ignore[arg-type]
        self.assertNotContains(response, parent, status_code=422)  # type: ignore[arg-type]
        self.assertFalse(Signal.objects.exists())

    def test_a_duplicate_shows_a_clear_error(self) -> None:
        login(self.client, self.professional)
        bsn = self.bsn()
        self.post(bsn)
        response = self.post(bsn)
        self.assertContains(response, "Je hebt al gemeld", status_code=422)
        self.assertNotContains(response, bsn, status_code=422)  # type: ignore[arg-type]
        self.assertEqual(Signal.objects.count(), 1)

    def test_it_refuses_a_professional_without_the_reporter_role(self) -> None:
        login(self.client, self.municipality_officer)
        self.assertEqual(self.client.get(self.url).status_code, 403)
        self.assertTrue(Entry.objects.filter(event="involvement.register_denied").exists())

    def test_it_refuses_another_organisation(self) -> None:
        login(self.client, self.professional)
        response = self.post(self.bsn(), organisation=self.org_b.pk)
        self.assertEqual(response.status_code, 422)  # type: ignore[attr-defined]
        self.assertFalse(Signal.objects.exists())

    def test_it_sends_anonymous_visitors_to_login(self) -> None:
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])
