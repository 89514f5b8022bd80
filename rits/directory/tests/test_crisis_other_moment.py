"""Who do I call at another moment? The page asks for a date and time (no JavaScript
needed), the API takes ``at``; an empty ``at`` means now, and a local time the clocks
skip or repeat is taken by zoneinfo's fold rules and explained."""

from __future__ import annotations

from django.test import Client

from rits.directory.tests.base import DirectoryTestCase


class CrisisPageMomentTests(DirectoryTestCase):
    def get(self, language: str = "nl", **params: str):  # type: ignore[no-untyped-def]
        client = Client()
        client.cookies["django_language"] = language
        return client.get("/wie-bel-ik-nu/", {"gemeente": "GM0917", **params})

    def test_the_page_has_a_date_and_time_field(self) -> None:
        response = self.get()
        self.assertContains(response, '<input type="date" name="datum"')
        self.assertContains(response, '<input type="time" name="tijd"')

    def test_another_moment_gives_the_number_for_that_moment(self) -> None:
        response = self.get(datum="2026-03-14", tijd="12:00")  # a Saturday
        self.assertContains(response, "Bellen op zaterdag 14 maart 2026, 12:00 voor Heerlen")
        self.assertContains(response, self.regional.phone)
        self.assertContains(response, "Het is weekend.")
        response = self.get(datum="2026-03-10", tijd="10:00")  # a Tuesday morning
        self.assertContains(response, self.office_heerlen.phone)

    def test_a_date_without_a_time_is_a_form_error(self) -> None:
        response = self.get(datum="2026-03-14")
        self.assertNotContains(response, 'id="call-now"')
        self.assertContains(response, "Vul ook een tijd in")

    def test_a_date_that_does_not_exist_is_a_form_error(self) -> None:
        response = self.get(datum="2026-02-30", tijd="10:00")
        self.assertNotContains(response, 'id="call-now"')
        self.assertContains(response, 'class="error"')

    def test_empty_fields_mean_now(self) -> None:
        response = self.get(datum="", tijd="")
        self.assertContains(response, "Bel nu voor Heerlen")
        self.assertNotContains(response, 'id="moment-note"')

    def test_a_skipped_time_says_how_it_is_taken(self) -> None:
        response = self.get(datum="2026-03-29", tijd="02:30")
        self.assertContains(response, "02:30 bestaat niet op 29 maart 2026")
        self.assertContains(response, "Rits neemt 03:30 zomertijd (UTC+02:00, Europe/Amsterdam)")

    def test_a_repeated_time_says_how_it_is_taken(self) -> None:
        response = self.get(datum="2026-10-25", tijd="02:30")
        self.assertContains(response, "02:30 komt twee keer voor op 25 oktober 2026")
        self.assertContains(response, "de eerste keer, 02:30 zomertijd (UTC+02:00")

    def test_the_note_is_english_on_the_english_page(self) -> None:
        response = self.get("en", datum="2026-03-29", tijd="02:30")
        self.assertContains(response, "02:30 does not exist on 29 March 2026")


class CrisisApiMomentTests(DirectoryTestCase):
    def get(self, **params: str):  # type: ignore[no-untyped-def]
        return Client().get("/api/v1/crisis/now", {"municipality": "GM0917", **params})

    def test_an_empty_at_means_now(self) -> None:
        response = self.get(at="")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["at_kind"], "exact")
        self.assertIsNone(response.json()["at_note"])

    def test_a_skipped_local_time_is_taken_as_the_time_after_the_switch(self) -> None:
        body = self.get(at="2026-03-29T02:30:00").json()
        self.assertEqual(body["at"], "2026-03-29T03:30:00+02:00")
        self.assertEqual(body["at_kind"], "nonexistent")
        self.assertIn("03:30", body["at_note"])

    def test_a_repeated_local_time_is_taken_as_the_first(self) -> None:
        body = self.get(at="2026-10-25T02:30:00").json()
        self.assertEqual(body["at"], "2026-10-25T02:30:00+02:00")
        self.assertEqual(body["at_kind"], "ambiguous")
        self.assertIn("twee keer", body["at_note"])

    def test_a_moment_with_an_offset_is_exact(self) -> None:
        body = self.get(at="2026-10-25T02:30:00+01:00").json()
        self.assertEqual(body["at"], "2026-10-25T02:30:00+01:00")
        self.assertEqual(body["at_kind"], "exact")
        self.assertIsNone(body["at_note"])

    def test_an_empty_at_is_now_for_opening_and_search_as_well(self) -> None:
        opening = Client().get(f"/api/v1/services/{self.autism.uuid}/opening", {"at": ""})
        self.assertEqual(opening.status_code, 200)
        found = Client().get("/api/v1/services", {"open_now": "true", "at": ""})
        self.assertEqual(found.status_code, 200)

    def test_a_malformed_at_is_still_refused(self) -> None:
        response = self.get(at="yesterday")
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response["Content-Type"], "application/problem+json")
