"""Error pages speak Dutch (or English), sit in the site's layout and say where to go;
the API's problem documents are translated too."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import BadRequest, PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import path
from django.utils import translation
from django.views.defaults import server_error

from rits.testing import RitsTestCase, login
from rits.urls import urlpatterns as site_urlpatterns


def _bad_request(request: HttpRequest) -> HttpResponse:
    raise BadRequest("test")


def _forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def _broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a fault in Rits")


# The site's own addresses plus three that fail on purpose.
urlpatterns = [
    path("test-fout/400/", _bad_request),
    path("test-fout/403/", _forbidden),
    path("test-fout/500/", _broken),
    *site_urlpatterns,
]

# (status, address, Dutch heading, English heading)
PAGES = [
    (
        400,
        "/test-fout/400/",
        "Rits begrijpt deze vraag niet",
        "Rits did not understand this request",
    ),
    (403, "/test-fout/403/", "Dit mag je niet doen", "You may not do this"),
    (404, "/bestaat-niet/", "Pagina niet gevonden", "Page not found"),
    (405, "/account/logout/", "Zo werkt dit niet", "This does not work this way"),
    (500, "/test-fout/500/", "Er ging iets mis in Rits", "Something went wrong in Rits"),
]


def _client(language: str) -> Client:
    client = Client(raise_request_exception=False)
    client.cookies["django_language"] = language
    return client


@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
class ErrorPageTests(RitsTestCase):
    def assert_error_page(self, response: Any, status: int, heading: str) -> str:
        self.assertEqual(response.status_code, status)
        html = response.content.decode()
        self.assertIn('class="site-header"', html)
        self.assertIn('class="site-footer"', html)
        self.assertIn(f'<h1 id="error-heading">{heading}</h1>', html)
        self.assertIn(f"<title>{heading} · Rits</title>", html)
        self.assertIn("112", html)
        return html

    def test_each_error_page_is_dutch_in_the_layout(self) -> None:
        for status, url, dutch, _english in PAGES:
            with self.subTest(status=status):
                html = self.assert_error_page(_client("nl").get(url), status, dutch)
                self.assertIn('<html lang="nl">', html)
                self.assertIn("Waar kun je heen?", html)
                self.assertNotIn("Not Found", html)

    def test_each_error_page_is_english_when_chosen(self) -> None:
        for status, url, _dutch, english in PAGES:
            with self.subTest(status=status):
                html = self.assert_error_page(_client("en").get(url), status, english)
                self.assertIn('<html lang="en">', html)
                self.assertIn("Where can you go?", html)

    def test_a_professional_who_lost_access_is_told_why(self) -> None:
        client = _client("nl")
        login(client, self.professional)
        html = self.assert_error_page(client.get("/gezin/999999/"), 404, "Pagina niet gevonden")
        self.assertIn("toestemming", html)
        self.assertIn("Naar je gezinsplannen", html)

    def test_method_not_allowed_keeps_the_allow_header(self) -> None:
        response = _client("nl").get("/account/logout/")
        self.assertEqual(response.status_code, 405)
        self.assertIn("POST", response["Allow"])

    def test_a_failed_csrf_check_is_a_dutch_page(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.cookies["django_language"] = "nl"
        response = client.post("/account/logout/")
        self.assert_error_page(response, 403, "Het formulier is verlopen")

    def test_the_500_page_renders_without_a_database(self) -> None:
        def refuse(*args: object) -> None:
            raise AssertionError("the 500 page queried the database")

        request = RequestFactory().get("/")
        with translation.override("nl"), connection.execute_wrapper(refuse):
            response = server_error(request)
        self.assertEqual(response.status_code, 500)
        self.assertIn("Er ging iets mis in Rits", response.content.decode())
        self.assertIn('class="site-header"', response.content.decode())


class ApiProblemLanguageTests(RitsTestCase):
    def test_api_problem_titles_follow_the_language(self) -> None:
        for language, title in (("nl", "Niet ingelogd"), ("en", "Not authenticated")):
            with self.subTest(language=language):
                response = _client(language).get("/api/v1/accounts/me")
                self.assertEqual(response.status_code, 401)
                self.assertEqual(response.json()["title"], title)

    def test_api_not_found_is_dutch_by_default(self) -> None:
        response = self.client.get("/api/v1/regions/municipalities/GM9999")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json()["title"], "Niet gevonden")
