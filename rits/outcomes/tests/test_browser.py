"""In real Chromium: a policy officer's dashboard, and the public page without login."""

from __future__ import annotations

import os
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from rits.accounts.models import Membership, Organisation
from rits.directory.models import Provider, Theme
from rits.outcomes.models import Publication
from rits.outcomes.services import refresh_figures
from rits.outcomes.tests import fixtures as f
from rits.regions.models import Municipality, YouthCareRegion
from rits.testing import make_user
from rits.testing.browser import BrowserTestCase

SHOTS = os.environ.get("RITS_SCREENSHOTS", "")


class MonitorBrowserTests(BrowserTestCase):
    def setUp(self) -> None:
        region = YouthCareRegion.objects.get(code="JZ41")
        heerlen = Municipality.objects.get(code="GM0917")
        landgraaf = Municipality.objects.get(code="GM0882")
        gemeente = Organisation.objects.create(
            name="Gemeente Heerlen (e2e)", kind="municipality", region=region, municipality=heerlen
        )
        self.officer = make_user("beleid@e2e.rits.nl", "Bea Beleid")
        Membership.objects.create(
            user=self.officer, organisation=gemeente, role=Membership.Role.MUNICIPALITY_STAFF
        )
        provider = Provider.objects.create(name="Aanbieder (e2e)", description="Test")
        theme = Theme.objects.order_by("code").first()
        assert theme is not None
        today = timezone.localdate()
        for weeks, where in ((2, [heerlen]), (5, [heerlen, landgraaf]), (9, [landgraaf])):
            f.service(provider, where, [theme], weeks, today - timedelta(days=3))
        Publication.objects.create(region=region, indicator="wait_median")
        refresh_figures()

    def shot(self, page: object, name: str) -> None:
        if SHOTS:
            page.screenshot(path=os.path.join(SHOTS, name), full_page=True)  # type: ignore[attr-defined]

    def test_policy_officer_sees_the_monitor_with_its_map_and_tables(self) -> None:
        page = self.new_context(self.officer).new_page()
        page.goto(f"{self.live_server_url}/")
        page.get_by_role("link", name="Open de monitor").click()
        expect(page.get_by_role("heading", name="Monitor Heerlen")).to_be_visible()
        expect(page.get_by_text("Cijfers van", exact=False).first).to_be_visible()
        expect(page.locator('svg.map path[data-code="GM0917"]')).to_have_count(1)
        page.get_by_text("Dezelfde cijfers als tabel").first.click()
        expect(page.locator("figure.picture table").first).to_be_visible()
        self.shot(page, "monitor-heerlen.png")

    def test_the_public_page_needs_no_login(self) -> None:
        page = self.new_context().new_page()
        page.goto(f"{self.live_server_url}/wat-levert-het-op/")
        page.get_by_role("link", name="Heerlen").click()
        expect(page.get_by_role("heading", name="Wat levert het op in Heerlen?")).to_be_visible()
        expect(page.get_by_role("row", name="Wachttijd (mediaan)")).to_contain_text("2 weken")
        self.shot(page, "public-heerlen.png")
