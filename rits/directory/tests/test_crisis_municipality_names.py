"""People type a municipality's name, not its CBS code: the crisis page and the API
take both, and say which municipalities are meant when nothing or several fit."""

from __future__ import annotations

from django.test import Client

from rits.directory.tests.base import DirectoryTestCase
from rits.regions.lookup import MunicipalityNotFound, find_municipality


class MunicipalityLookupTests(DirectoryTestCase):
    def test_names_and_codes_find_the_municipality(self) -> None:
        for text, code in [
            ("Heerlen", "GM0917"),
            ("heerlen", "GM0917"),
            ("  HEERLEN ", "GM0917"),
            ("GM0917", "GM0917"),
            ("gm0917", "GM0917"),
            ("0917", "GM0917"),
            ("Sittard-Geleen", "GM1883"),
            ("sittard geleen", "GM1883"),
            ("Sittard–Geleen", "GM1883"),  # noqa: RUF001  (an en dash, as some type it)
            ("'s-Hertogenbosch", "GM0796"),
            ("’s-Hertogenbosch", "GM0796"),  # noqa: RUF001  (a curly apostrophe)
            ("s hertogenbosch", "GM0796"),
            ("Den Bosch", "GM0796"),
            ("Súdwest-Fryslân", "GM1900"),
            ("sudwest fryslan", "GM1900"),
            ("Geleen", "GM1883"),  # a part that fits one name only
        ]:
            with self.subTest(text=text):
                self.assertEqual(find_municipality(text).code, code)

    def test_a_name_that_fits_several_names_them(self) -> None:
        with self.assertRaises(MunicipalityNotFound) as caught:
            find_municipality("Bergen")
        self.assertTrue(caught.exception.several)
        self.assertIn("Bergen (L.)", caught.exception.suggestions)
        self.assertIn("Bergen (NH.)", caught.exception.suggestions)

    def test_a_typing_error_gets_suggestions(self) -> None:
        with self.assertRaises(MunicipalityNotFound) as caught:
            find_municipality("Heerlem")
        self.assertFalse(caught.exception.several)
        self.assertEqual(caught.exception.suggestions[0], "Heerlen")

    def test_an_unknown_code_is_not_found(self) -> None:
        with self.assertRaises(MunicipalityNotFound):
            find_municipality("GM9999")


class CrisisPageNameTests(DirectoryTestCase):
    def test_a_typed_name_shows_the_number(self) -> None:
        response = Client().get("/wie-bel-ik-nu/", {"gemeente": "heerlen"})
        self.assertContains(response, 'id="call-now"')
        self.assertContains(response, "Heerlen")

    def test_several_matches_are_a_dutch_form_error_with_the_names(self) -> None:
        response = Client().get("/wie-bel-ik-nu/", {"gemeente": "Bergen"})
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, 'id="call-now"')
        self.assertContains(response, "past bij meer dan één gemeente")
        self.assertContains(response, "Bergen (L.)")

    def test_no_match_is_a_form_error_with_suggestions(self) -> None:
        response = Client().get("/wie-bel-ik-nu/", {"gemeente": "Heerlem"})
        self.assertNotContains(response, 'id="call-now"')
        self.assertContains(response, "Bedoel je: Heerlen")

    def test_the_english_page_says_it_in_english(self) -> None:
        client = Client()
        client.cookies["django_language"] = "en"
        response = client.get("/wie-bel-ik-nu/", {"gemeente": "Heerlem"})
        self.assertContains(response, "Did you mean: Heerlen")


class CrisisApiNameTests(DirectoryTestCase):
    def test_the_api_takes_a_name(self) -> None:
        response = Client().get(
            "/api/v1/crisis/now", {"municipality": "Heerlen", "at": "2026-03-10T10:00:00"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["municipality_code"], "GM0917")
        self.assertEqual(response.json()["call"]["phone"], self.office_heerlen.phone)

    def test_several_matches_are_a_422_naming_them(self) -> None:
        response = Client().get("/api/v1/crisis/now", {"municipality": "bergen"})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response["Content-Type"], "application/problem+json")
        self.assertIn("Bergen (NH.)", response.json()["title"])

    def test_the_service_search_takes_a_name_too(self) -> None:
        response = Client().get("/api/v1/services", {"municipality": "landgraaf"})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["understood"], {})
        by_name = {s["name"] for s in response.json()["contents"]}
        by_code = {
            s["name"]
            for s in Client().get("/api/v1/services", {"municipality": "GM0882"}).json()["contents"]
        }
        self.assertEqual(by_name, by_code)
        self.assertTrue(by_name)
