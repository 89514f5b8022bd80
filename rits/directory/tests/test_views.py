# ruff: noqa: RUF001  (phone numbers are written with an en dash, as in the source texts)
"""The social map pages: with HTMX and without JavaScript; professional profiles."""

from __future__ import annotations

from django.test import Client

from rits.audit.models import Entry
from rits.directory.models import ProfessionalProfile, pack_languages
from rits.directory.tests.base import DirectoryTestCase
from rits.testing import login


class SocialMapPageTests(DirectoryTestCase):
    def test_the_page_works_without_javascript(self) -> None:
        response = Client().get("/sociale-kaart/", {"q": "autisme", "gemeente": "GM0917"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<form")
        self.assertContains(response, "Begeleiding bij autisme")
        self.assertNotContains(response, "Jeugd-GGZ")

    def test_htmx_gets_only_the_results(self) -> None:
        response = Client().get(
            "/sociale-kaart/", {"q": "angst", "leeftijd": "15"}, HTTP_HX_REQUEST="true"
        )
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "<form")
        self.assertContains(response, 'id="results"')
        self.assertContains(response, "Jeugd-GGZ: angst en somberheid")
        self.assertIn("HX-Request", response["Vary"])

    def test_stale_waiting_time_is_marked(self) -> None:
        response = Client().get("/sociale-kaart/", {"q": "angst"})
        self.assertContains(response, "16 weken")
        self.assertContains(response, "niet bevestigd in de laatste 30 dagen")

    def test_invalid_filters_show_errors_instead_of_results(self) -> None:
        response = Client().get("/sociale-kaart/", {"leeftijd": "-4", "gemeente": "GM9999"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'class="error"')

    def test_the_pages_link_to_the_next_page_with_a_real_href(self) -> None:
        response = Client().get("/sociale-kaart/", {"q": "", "taal": "nl"})
        self.assertContains(response, "3 diensten gevonden")
        self.assertNotContains(response, "pagina=2")

    def test_the_service_page_shows_opening_and_how_to_reach(self) -> None:
        response = Client().get(f"/sociale-kaart/dienst/{self.autism.pk}/")
        self.assertContains(response, "045 – 400 1002")
        self.assertContains(response, "Maandag")
        self.assertNotContains(response, "Bevestig wachttijd")

    def test_the_service_page_hides_inactive_services(self) -> None:
        self.assertEqual(Client().get(f"/sociale-kaart/dienst/{self.closed.pk}/").status_code, 404)

    def test_the_editor_sees_the_editing_tools(self) -> None:
        login(self.client, self.editor)
        response = self.client.get(f"/sociale-kaart/dienst/{self.autism.pk}/")
        self.assertContains(response, f"/sociale-kaart/dienst/{self.autism.pk}/bewerken/")

    def test_the_provider_page_lists_its_services(self) -> None:
        response = Client().get(f"/sociale-kaart/aanbieder/{self.provider_b.pk}/")
        self.assertContains(response, "Jeugd-GGZ: angst en somberheid")
        self.assertNotContains(response, "Gestopte autismegroep")


class ProfessionalsPageTests(DirectoryTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        profile = ProfessionalProfile.objects.create(
            user=cls.coordinator,
            team=cls.team_heerlen,
            expertise_note="Gezinnen met schulden",
            languages=pack_languages(["nl", "ar"]),
            phone="06 – 0000 0000",
        )
        profile.expertise.set([cls.themes["geld"]])
        profile.municipalities.set([cls.heerlen])
        hidden = ProfessionalProfile.objects.create(user=cls.outsider, published=False)
        hidden.expertise.set([cls.themes["geld"]])

    def test_a_professional_finds_a_colleague_by_expertise(self) -> None:
        login(self.client, self.professional)
        response = self.client.get("/sociale-kaart/professionals/", {"thema": "geld"})
        self.assertContains(response, "Ria Regisseur")
        self.assertContains(response, "Team Heerlen-Noord")
        self.assertNotContains(response, "Olga Outsider")  # not published

    def test_filters_narrow_the_list(self) -> None:
        login(self.client, self.professional)
        response = self.client.get("/sociale-kaart/professionals/", {"taal": "de"})
        self.assertNotContains(response, "Ria Regisseur")

    def test_families_do_not_see_profiles(self) -> None:
        login(self.client, self.parent)
        self.assertEqual(self.client.get("/sociale-kaart/professionals/").status_code, 404)

    def test_anonymous_visitors_are_sent_to_login(self) -> None:
        response = Client().get("/sociale-kaart/professionals/")
        self.assertEqual(response.status_code, 302)


class MyProfilePageTests(DirectoryTestCase):
    def test_a_professional_publishes_their_profile(self) -> None:
        login(self.client, self.coordinator)
        response = self.client.post(
            "/sociale-kaart/mijn-profiel/",
            {
                "team": self.team_heerlen.pk,
                "expertise": [self.themes["opvoeden"].pk],
                "expertise_note": "Regie bij gezinnen",
                "languages": ["nl", "en"],
                "municipalities": [self.heerlen.pk],
                "phone": "06 – 1111 1111",
                "published": "on",
            },
        )
        self.assertRedirects(response, "/sociale-kaart/professionals/")
        profile = ProfessionalProfile.objects.get(user=self.coordinator)
        self.assertEqual(profile.language_codes, ["en", "nl"])
        self.assertTrue(Entry.objects.filter(event="directory.profile_changed").exists())
        login(self.client, self.professional)
        response = self.client.get("/sociale-kaart/professionals/", {"thema": "opvoeden"})
        self.assertContains(response, "Regie bij gezinnen")

    def test_families_have_no_profile_page(self) -> None:
        login(self.client, self.parent)
        self.assertEqual(self.client.get("/sociale-kaart/mijn-profiel/").status_code, 404)

    def test_anonymous_visitors_are_sent_to_login(self) -> None:
        self.assertEqual(Client().get("/sociale-kaart/mijn-profiel/").status_code, 302)
