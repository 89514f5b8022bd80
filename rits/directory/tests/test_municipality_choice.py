"""Pages offer the reader's own region's municipalities, not all 342: a text field with
a native datalist (works without JavaScript), where any other municipality can be
typed by name."""

from __future__ import annotations

import re

from django.test import Client, override_settings

from rits.accounts.models import Membership, Organisation
from rits.directory.tests.base import DirectoryTestCase
from rits.regions.models import YouthCareRegion
from rits.testing import login, make_user

PARKSTAD_ONLY = {"Heerlen", "Landgraaf", "Kerkrade", "Voerendaal"}


def offered(html: str) -> set[str]:
    """The names in the page's municipality datalist."""
    found = re.search(r'<datalist id="id_gemeente-list">(.*?)</datalist>', html, re.S)
    return set(re.findall(r'<option value="([^"]+)">', found.group(1))) if found else set()


class MunicipalityChoiceTests(DirectoryTestCase):
    def test_a_professional_gets_their_region_offered_on_the_social_map(self) -> None:
        login(self.client, self.professional)
        html = self.client.get("/sociale-kaart/").content.decode()
        names = offered(html)
        self.assertTrue(names >= PARKSTAD_ONLY)
        self.assertNotIn("Amsterdam", names)
        self.assertIn('list="id_gemeente-list"', html)
        self.assertNotIn('<select name="gemeente"', html)
        self.assertLess(html.count("<option"), 60)

    def test_a_municipality_outside_the_region_can_be_typed(self) -> None:
        login(self.client, self.professional)
        response = self.client.get("/sociale-kaart/", {"gemeente": "amsterdam"})
        self.assertNotContains(response, 'class="error"')
        self.assertContains(response, "0 diensten gevonden")

    def test_a_professional_of_another_region_gets_that_region(self) -> None:
        amsterdam = YouthCareRegion.objects.get(municipalities__code="GM0363")
        elsewhere = Organisation.objects.create(
            name="Buurtteam Amsterdam (test)",
            kind=Organisation.Kind.AREA_TEAM,
            region=amsterdam,
        )
        user = make_user("amsterdam@test.rits.nl", "Ada Amsterdam")
        Membership.objects.create(
            user=user, organisation=elsewhere, role=Membership.Role.PROFESSIONAL
        )
        login(self.client, user)
        names = offered(self.client.get("/sociale-kaart/professionals/").content.decode())
        self.assertIn("Amsterdam", names)
        self.assertFalse(PARKSTAD_ONLY & names)

    def test_anyone_on_the_crisis_page_gets_the_one_region_on_rits(self) -> None:
        names = offered(Client().get("/wie-bel-ik-nu/").content.decode())
        self.assertTrue(names >= PARKSTAD_ONLY)
        self.assertNotIn("Amsterdam", names)

    def test_the_home_region_setting_decides_for_people_outside_any_organisation(self) -> None:
        amsterdam = YouthCareRegion.objects.get(municipalities__code="GM0363")
        with override_settings(RITS_HOME_REGION=amsterdam.code):
            names = offered(Client().get("/wie-bel-ik-nu/").content.decode())
        self.assertIn("Amsterdam", names)
        self.assertNotIn("Heerlen", names)

    def test_with_several_regions_on_rits_nothing_is_offered_but_typing_works(self) -> None:
        Organisation.objects.create(
            name="Buurtteam Amsterdam (test)",
            kind=Organisation.Kind.AREA_TEAM,
            region=YouthCareRegion.objects.get(municipalities__code="GM0363"),
        )
        response = Client().get("/wie-bel-ik-nu/", {"gemeente": "heerlen"})
        self.assertEqual(offered(response.content.decode()), set())
        self.assertContains(response, 'id="call-now"')

    def test_the_field_is_labelled_and_described(self) -> None:
        html = Client().get("/wie-bel-ik-nu/").content.decode()
        self.assertIn('<label for="id_gemeente">', html)
        self.assertIn('aria-describedby="id_gemeente_helptext"', html)
        self.assertIn('id="id_gemeente_helptext"', html)
