# ruff: noqa: RUF001  (phone numbers are written with an en dash, as in the source texts)
"""End to end in real Chromium: searching the social map (HTMX) and "Who do I call now?"."""

from __future__ import annotations

import re
from datetime import time

from playwright.sync_api import expect

from rits.accounts.models import Organisation
from rits.directory import reachability, search
from rits.directory.models import CrisisLine, OpeningHours, Provider, Service, ServiceArea, Theme
from rits.regions.models import Municipality, YouthCareRegion
from rits.testing.browser import BrowserTestCase


class SocialMapInTheBrowserTests(BrowserTestCase):
    def setUp(self) -> None:
        region = YouthCareRegion.objects.get(code="JZ41")
        heerlen = Municipality.objects.get(code="GM0917")
        landgraaf = Municipality.objects.get(code="GM0882")
        org = Organisation.objects.create(
            name="Jeugdhulp E2E", kind=Organisation.Kind.YOUTH_CARE_PROVIDER, region=region
        )
        provider = Provider.objects.create(organisation=org, name=org.name, description="E2E")
        for name, description, place, theme in (
            ("Begeleiding bij autisme", "Hulp thuis en op school.", heerlen, "ontwikkeling"),
            ("Autismegroep Landgraaf", "Een groep voor jongeren.", landgraaf, "ontwikkeling"),
            ("Schuldhulp voor gezinnen", "Overzicht in geld en schulden.", heerlen, "geld"),
        ):
            service = Service.objects.create(provider=provider, name=name, description=description)
            service.themes.set([Theme.objects.get(code=theme)])
            ServiceArea.objects.create(service=service, municipality=place)
        search.reindex_all()
        office = CrisisLine.objects.create(
            kind="office_hours",
            region=region,
            municipality=heerlen,
            name="Gemeente Heerlen",
            phone="045 – 560 4004",
        )
        for day in range(5):
            OpeningHours.objects.create(
                crisis_line=office, weekday=day, opens_at=time(8, 30), closes_at=time(17, 0)
            )
        CrisisLine.objects.create(
            kind="out_of_hours",
            region=region,
            name="Crisishulp Jeugd Zuid-Limburg",
            phone="043 – 604 5777",
        )
        reachability.forget_crisis_lines()

    def test_searching_updates_the_results_in_place(self) -> None:
        page = self.new_context().new_page()
        page.goto(f"{self.live_server_url}/sociale-kaart/")
        expect(page.locator("#results")).to_contain_text("3 diensten gevonden")
        page.get_by_label("Waar zoek je hulp bij?").fill("autisme")
        page.get_by_role("button", name="Zoeken").click()
        expect(page.locator("#results")).to_contain_text("2 diensten gevonden")
        place = page.get_by_label("Gemeente")
        place.fill("landgraaf")  # a name, typed: the server finds the municipality
        place.press("Enter")
        expect(page.locator("#results")).to_contain_text("1 dienst gevonden")
        expect(page.locator("#results")).to_contain_text("Autismegroep Landgraaf")
        expect(page).to_have_url(re.compile(r"q=autisme.*gemeente=landgraaf"))
        page.get_by_role("link", name="Autismegroep Landgraaf").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Autismegroep Landgraaf")
        page.close()

    def test_who_do_i_call_now_shows_a_number_without_login(self) -> None:
        page = self.new_context().new_page()
        page.goto(f"{self.live_server_url}/wie-bel-ik-nu/")
        expect(page.get_by_text("Bij direct gevaar: bel 112.").first).to_be_visible()
        page.get_by_label("Je gemeente").fill("Heerlen")
        page.get_by_role("button", name="Toon het nummer").click()
        card = page.locator("#call-now")
        expect(card).to_contain_text("Bel nu voor Heerlen")
        expect(card).to_contain_text(re.compile(r"045 – 560 4004|043 – 604 5777"))
        expect(card).to_contain_text("Dit nummer geldt tot")
        page.get_by_role("link", name="Alle nummers op één blad (om te printen)").click()
        expect(page.locator("main")).to_contain_text("043 – 604 5777")
        page.close()
