"""The privacy officer's search page: filters, HTMX partial, BSN handling, access."""

from __future__ import annotations

import random
from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

from django.urls import reverse

from rits.audit.models import Entry
from rits.audit.services import record
from rits.lib.pseudonyms import pseudonymise_bsn, synthetic_bsn
from rits.testing import RitsTestCase, login

URL = reverse("audit:search")
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


class TrailSearchTest(RitsTestCase):
    bsn: str
    pseudonym: str
    about_subject: Entry
    denied: Entry

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.bsn = synthetic_bsn(random.Random(7513))
        cls.pseudonym = pseudonymise_bsn(cls.bsn)
        cls.about_subject = record(
            cls.professional,
            "audit.chain_verified",
            subject=cls.pseudonym,
            object_label="Gezinsplan Jansen",
            purpose=Entry.Purpose.CARE,
            organisation="Jeugdhulp Parkstad (test)",
            role="professional",
        )
        cls.denied = record(cls.outsider, "audit.trail_exported", outcome=Entry.Outcome.DENIED)

    def setUp(self) -> None:
        login(self.client, self.privacy_officer)

    def searched(self) -> Entry:
        return Entry.objects.filter(event="audit.trail_searched").latest("id")

    def test_it_shows_the_trail_in_dutch_to_the_privacy_officer(self) -> None:
        response = self.client.get(URL)

        self.assertContains(response, "<h1>Logging</h1>", html=True)
        self.assertContains(response, "Gezinsplan Jansen")
        self.assertContains(response, "Logging-keten gecontroleerd")  # the event's label
        self.assertContains(response, "audit.chain_verified")  # and its code
        self.assertContains(response, "Pim Professional")
        self.assertContains(response, "Zorg voor de cliënt")
        self.assertContains(response, "Geweigerd")

    def test_it_filters_by_a_pseudonym(self) -> None:
        response = self.client.get(URL, {"subject": self.pseudonym})

        self.assertContains(response, "Gezinsplan Jansen")
        self.assertNotContains(response, "Olga Outsider")

    def test_it_filters_by_user_event_and_outcome(self) -> None:
        response = self.client.get(
            URL,
            {
                "user": "BUITENSTAANDER@test.rits.nl",
                "event": "audit.trail_exported",
                "outcome": "denied",
            },
        )

        self.assertContains(response, "Olga Outsider")
        self.assertNotContains(response, "Gezinsplan Jansen")
        self.assertEqual(response.context["page"].paginator.count, 1)

    def test_it_filters_by_period_in_amsterdam_time(self) -> None:
        just_after_midnight = datetime(2026, 3, 2, 0, 30, tzinfo=AMSTERDAM)  # 1 March, 23:30 UTC
        with mock.patch("django.utils.timezone.now", return_value=just_after_midnight):
            record(self.coordinator, "audit.chain_verified", object_label="Nachtdienst")

        on_the_day = self.client.get(URL, {"date_from": "2026-03-02", "date_to": "2026-03-02"})
        day_before = self.client.get(URL, {"date_from": "2026-03-01", "date_to": "2026-03-01"})

        self.assertContains(on_the_day, "Nachtdienst")
        self.assertNotContains(day_before, "Nachtdienst")

    def test_it_refuses_a_period_that_ends_before_it_starts(self) -> None:
        response = self.client.get(URL, {"date_from": "2026-03-02", "date_to": "2026-03-01"})

        self.assertContains(response, "De einddatum ligt voor de begindatum.")
        self.assertIsNone(response.context["page"])

    def test_it_turns_a_bsn_into_its_pseudonym_and_drops_it_from_the_address(self) -> None:
        response = self.client.get(URL, {"subject": self.bsn})

        self.assertRedirects(
            response, f"{URL}?subject={self.pseudonym}", fetch_redirect_response=False
        )
        page = self.client.get(response["Location"])
        self.assertContains(page, "Gezinsplan Jansen")
        self.assertNotContains(page, self.bsn)
        self.assertContains(page, f'value="{self.pseudonym}"')

    def test_it_never_stores_the_bsn_in_the_audit_entry_of_the_search(self) -> None:
        self.client.get(URL, {"subject": self.bsn}, follow=True)

        entry = self.searched()
        self.assertEqual(entry.subject, self.pseudonym)
        self.assertEqual(entry.data["filters"]["subject"], self.pseudonym)
        self.assertNotIn(self.bsn, str(Entry.objects.values_list().filter(pk=entry.pk).get()))

    def test_it_rejects_a_number_failing_the_elfproef_without_repeating_it(self) -> None:
        wrong = self.bsn[:-1] + str((int(self.bsn[-1]) + 1) % 10)

        response = self.client.get(URL, {"subject": wrong}, follow=True)

        self.assertContains(response, "Dit is geen geldig BSN")
        self.assertNotContains(response, wrong)
        self.assertNotIn(wrong, str(list(Entry.objects.values_list("data", "subject"))))

    def test_it_renders_only_the_results_for_htmx_with_a_clean_history_url(self) -> None:
        response = self.client.get(URL, {"subject": self.bsn}, headers={"HX-Request": "true"})

        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "<html")
        self.assertContains(response, "Gezinsplan Jansen")
        self.assertEqual(response["HX-Push-Url"], f"{URL}?subject={self.pseudonym}")
        self.assertNotContains(response, self.bsn)

    def test_the_form_works_without_javascript(self) -> None:
        response = self.client.get(URL)

        self.assertContains(response, f'<form method="post" action="{URL}"')
        self.assertContains(response, 'hx-post="')
        self.assertContains(response, 'name="subject"')
        self.assertContains(response, 'name="csrfmiddlewaretoken"')

    def test_a_posted_bsn_never_reaches_a_url(self) -> None:
        response = self.client.post(URL, {"subject": self.bsn})

        self.assertRedirects(
            response, f"{URL}?subject={self.pseudonym}", fetch_redirect_response=False
        )
        self.assertNotIn(self.bsn, response["Location"])
        page = self.client.get(response["Location"])
        self.assertContains(page, "Gezinsplan Jansen")
        self.assertNotContains(page, self.bsn)

    def test_a_posted_search_with_htmx_pushes_a_clean_history_url(self) -> None:
        response = self.client.post(URL, {"subject": self.bsn}, headers={"HX-Request": "true"})

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Gezinsplan Jansen")
        self.assertEqual(response["HX-Push-Url"], f"{URL}?subject={self.pseudonym}")
        self.assertNotContains(response, self.bsn)

    def test_it_pages_by_fifty(self) -> None:
        for n in range(55):
            record(self.coordinator, "audit.chain_verified", object_label=f"Stap {n}")

        first = self.client.get(URL, {"event": "audit.chain_verified"})
        second = self.client.get(URL, {"event": "audit.chain_verified", "page": "2"})

        self.assertEqual(len(first.context["entries"]), 50)
        self.assertEqual(len(second.context["entries"]), 6)
        self.assertContains(first, "Pagina 1 van 2")
        self.assertContains(first, "event=audit.chain_verified&amp;page=2")

    def test_each_search_is_audited_with_its_filters(self) -> None:
        self.client.get(URL, {"event": "audit.trail_exported", "outcome": "denied"})

        entry = self.searched()
        self.assertEqual(entry.actor, self.privacy_officer)
        self.assertEqual(entry.role, "privacy_officer")
        self.assertEqual(entry.organisation, "Gemeente Heerlen (test)")
        self.assertEqual(entry.purpose, Entry.Purpose.ACCOUNTABILITY)
        self.assertEqual(entry.channel, "web")
        self.assertEqual(entry.ip_address, "127.0.0.1")
        self.assertEqual(len(entry.request_id), 32)
        self.assertEqual(
            entry.data,
            {
                "filters": {"event": "audit.trail_exported", "outcome": "denied"},
                "results": 1,
                "page": 1,
            },
        )


class TrailSearchAccessTest(RitsTestCase):
    def test_it_hides_the_trail_from_everyone_but_privacy_officers(self) -> None:
        for user in (self.professional, self.outsider, self.municipality_officer, self.admin):
            with self.subTest(user=user.email):
                login(self.client, user)
                self.assertEqual(self.client.get(URL).status_code, 404)
                self.assertEqual(self.client.get(reverse("audit:export")).status_code, 404)

    def test_it_hides_the_trail_from_a_superuser_without_the_role(self) -> None:
        self.admin.is_superuser = True
        self.admin.is_staff = True
        self.admin.save()
        login(self.client, self.admin)

        self.assertEqual(self.client.get(URL).status_code, 404)

    def test_it_sends_anonymous_visitors_to_the_login(self) -> None:
        response = self.client.get(URL)

        self.assertRedirects(
            response, f"{reverse('accounts:login')}?next={URL}", fetch_redirect_response=False
        )

    def test_it_records_no_search_for_outsiders(self) -> None:
        login(self.client, self.outsider)
        self.client.get(URL)

        self.assertFalse(Entry.objects.filter(event="audit.trail_searched").exists())


class PostedSearchAccessTest(RitsTestCase):
    def test_a_posted_search_is_404_for_everyone_but_the_privacy_officer(self) -> None:
        for user in (self.professional, self.municipality_officer, self.admin):
            with self.subTest(user=user.email):
                login(self.client, user)
                response = self.client.post(URL, {"subject": "p-1"})
                self.assertEqual(response.status_code, 404)
        self.assertFalse(Entry.objects.filter(event="audit.trail_searched").exists())
