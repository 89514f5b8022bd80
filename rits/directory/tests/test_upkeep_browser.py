# ruff: noqa: RUF001  (phone numbers are written with an en dash, as in the source texts)
"""End to end in real Chromium: an editor's review page (confirm with one click, resolve
a report) and the search results on the map, where a municipality filters the search.
The screenshots land in ``RITS_SCREENSHOTS`` (default: the system's temporary folder)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from playwright.sync_api import expect

from rits.accounts.models import Membership, Organisation
from rits.directory import search, services
from rits.directory.models import Location, Provider, Service, ServiceArea, Theme
from rits.regions.models import Municipality, YouthCareRegion
from rits.testing import make_user
from rits.testing.browser import BrowserTestCase

SHOTS = Path(os.environ.get("RITS_SCREENSHOTS", tempfile.gettempdir()))


class UpkeepInTheBrowserTests(BrowserTestCase):
    def setUp(self) -> None:
        region = YouthCareRegion.objects.get(code="JZ41")
        heerlen = Municipality.objects.get(code="GM0917")
        landgraaf = Municipality.objects.get(code="GM0882")
        org = Organisation.objects.create(
            name="Jeugdhulp E2E", kind=Organisation.Kind.YOUTH_CARE_PROVIDER, region=region
        )
        self.editor = make_user("redacteur-e2e@test.rits.nl", "Eva Editor")
        Membership.objects.create(
            user=self.editor, organisation=org, role=Membership.Role.ORGANISATION_ADMIN
        )
        self.reader = make_user("lezer-e2e@test.rits.nl", "Pim Professional")
        Membership.objects.create(user=self.reader, organisation=org, role="professional")
        provider = Provider.objects.create(organisation=org, name=org.name, description="E2E")
        self.services = []
        for name, place, lat, lon in (
            ("Begeleiding bij autisme", heerlen, 50.8882, 5.9795),
            ("Autismegroep Landgraaf", landgraaf, 50.8990, 6.0200),
        ):
            service = Service.objects.create(
                provider=provider, name=name, description="Hulp bij autisme.", wait_weeks=8
            )
            service.themes.set([Theme.objects.get(code="ontwikkeling")])
            ServiceArea.objects.create(service=service, municipality=place)
            location = Location.objects.create(
                provider=provider,
                name=f"Locatie {place.name}",
                address_1="Markt 1",
                postal_code="6411 AA",
                city=place.name,
                municipality=place,
                latitude=lat,
                longitude=lon,
            )
            service.at_locations.create(location=location)
            self.services.append(service)
        search.reindex_all()
        services.report_wrong_number(
            self.services[0], actor=self.reader, suggested="045 – 400 2000", note="Verhuisd"
        )

    def test_an_editor_confirms_and_resolves_on_the_review_page(self) -> None:
        page = self.new_context(self.editor).new_page()
        page.set_viewport_size({"width": 1100, "height": 1400})
        page.goto(f"{self.live_server_url}/sociale-kaart/beheer/")
        expect(page.get_by_role("heading", level=1)).to_have_text(
            "Jouw onderdelen op de sociale kaart"
        )
        first = page.locator(f"#service-{self.services[0].pk}")
        expect(first).to_contain_text("Gemeld als fout")
        page.screenshot(path=str(SHOTS / "rits-review-page.png"), full_page=True)
        first.get_by_label("Wat heb je gedaan?").fill("Nummer aangepast")
        first.get_by_role("button", name="Afgehandeld").click()
        expect(page.locator(".messages")).to_contain_text("De melding is afgehandeld.")
        second = page.locator(f"#service-{self.services[1].pk}")
        second.get_by_role("button", name="Nog steeds 8 weken").click()
        expect(page.locator(".messages")).to_contain_text("De wachttijd is bevestigd.")
        page.locator(f"#service-{self.services[1].pk}").get_by_role(
            "button", name="Klopt nog"
        ).click()
        expect(page.locator(".messages")).to_contain_text("Bevestigd: Autismegroep Landgraaf.")
        expect(page.locator(f"#service-{self.services[1].pk}")).to_contain_text(
            "Bevestigd door Eva Editor"
        )
        page.close()

    def test_a_municipality_on_the_map_filters_the_search(self) -> None:
        page = self.new_context().new_page()
        page.set_viewport_size({"width": 1100, "height": 1400})
        page.goto(f"{self.live_server_url}/sociale-kaart/?q=autisme")
        expect(page.locator("#results")).to_contain_text("2 diensten gevonden")
        expect(page.locator("#results-map .map-dot")).to_have_count(2)
        page.screenshot(path=str(SHOTS / "rits-search-map.png"), full_page=True)
        page.locator('#results-map a:has(path[data-code="GM0882"])').click()
        expect(page.locator("#results")).to_contain_text("1 dienst gevonden")
        expect(page.locator("#results")).to_contain_text("Autismegroep Landgraaf")
        page.close()
