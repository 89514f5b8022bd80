"""The shared layout: Dutch by default, English on request, accessible landmarks."""

from django.test import TestCase


class BaseLayoutTests(TestCase):
    def test_it_speaks_dutch_by_default(self) -> None:
        response = self.client.get("/wie-bel-ik-nu/")
        self.assertContains(response, '<html lang="nl">')
        self.assertContains(response, "Direct naar de inhoud")
        self.assertContains(response, "Wie bel ik nu?")

    def test_it_switches_to_english(self) -> None:
        self.client.post("/i18n/setlang/", {"language": "en", "next": "/wie-bel-ik-nu/"})
        response = self.client.get("/wie-bel-ik-nu/")
        self.assertContains(response, '<html lang="en">')
        self.assertContains(response, "Skip to content")

    def test_each_language_is_named_in_itself(self) -> None:
        # A Dutch page offers "English", not "Engels": who needs it may not read Dutch.
        for language in ("nl", "en"):
            self.client.post("/i18n/setlang/", {"language": language, "next": "/"})
            html = self.client.get("/wie-bel-ik-nu/").content.decode()
            with self.subTest(language=language):
                self.assertRegex(html, r'lang="en"( selected)?>English</option>')
                self.assertRegex(html, r'lang="nl"( selected)?>Nederlands</option>')
                self.assertNotIn(">Engels<", html)

    def test_it_has_landmarks_and_a_skip_link(self) -> None:
        html = self.client.get("/wie-bel-ik-nu/").content.decode()
        for landmark in ("<header", "<nav aria-label=", '<main id="main"', "<footer"):
            self.assertIn(landmark, html)
        self.assertIn('class="skip-link" href="#main"', html)
        self.assertIn('<label for="language-select"', html)

    def test_it_sends_security_headers(self) -> None:
        response = self.client.get("/wie-bel-ik-nu/")
        self.assertIn("script-src 'self'", response["Content-Security-Policy"])
        self.assertEqual(response["X-Frame-Options"], "DENY")
        self.assertIn("HX-Request", response["Vary"])
        self.assertTrue(response["X-Request-ID"])

    def test_htmx_is_served_from_this_server(self) -> None:
        html = self.client.get("/wie-bel-ik-nu/").content.decode()
        self.assertIn('src="/static/django_htmx/htmx', html)


class LanguageChoiceTests(TestCase):
    def test_an_english_browser_still_gets_dutch(self) -> None:
        response = self.client.get("/wie-bel-ik-nu/", headers={"Accept-Language": "en-US,en;q=0.9"})
        self.assertContains(response, '<html lang="nl">')
        self.assertEqual(response["Content-Language"], "nl")

    def test_an_unknown_language_cookie_falls_back_to_dutch(self) -> None:
        self.client.cookies["django_language"] = "fr"
        self.assertContains(self.client.get("/wie-bel-ik-nu/"), '<html lang="nl">')

    def test_a_users_own_preference_counts(self) -> None:
        from rits.testing import login, make_user

        user = make_user("english@test.rits.nl", "Emma English", kind="family")
        user.preferred_language = "en"
        user.save()
        login(self.client, user)
        self.assertContains(self.client.get("/wie-bel-ik-nu/"), '<html lang="en">')


class FaviconTests(TestCase):
    def test_favicon_ico_points_at_the_svg_icon(self) -> None:
        response = self.client.get("/favicon.ico")
        self.assertRedirects(response, "/static/favicon.svg", fetch_redirect_response=False)
