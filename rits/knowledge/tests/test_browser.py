"""End to end in real Chromium: a professional does the fit check ("does it fit here?")."""

from __future__ import annotations

from playwright.sync_api import expect

from rits.accounts.models import Membership, Organisation
from rits.knowledge.models import Condition, FitAnswer, FitCheck, Practice, Use
from rits.regions.models import YouthCareRegion
from rits.testing import make_user
from rits.testing.browser import BrowserTestCase


class FitCheckInTheBrowserTests(BrowserTestCase):
    def setUp(self) -> None:
        region = YouthCareRegion.objects.get(code="JZ41")
        heerlen = region.municipalities.get(code="GM0917")
        organisation = Organisation.objects.create(
            name="Gebiedsteam E2E",
            kind=Organisation.Kind.AREA_TEAM,
            region=region,
            municipality=heerlen,
        )
        self.user = make_user("pro@e2e.rits.nl", "Pien Professional")
        Membership.objects.create(
            user=self.user, organisation=organisation, role=Membership.Role.PROFESSIONAL
        )
        self.practice = Practice.objects.create(
            name="Wijkacademie E2E", summary="Ouders leren van elkaar.", problem="Ouders alleen."
        )
        first = Condition.objects.create(
            practice=self.practice, text="Er is een ervaren ouder.", position=0
        )
        Condition.objects.create(
            practice=self.practice, text="Er is een ruimte in de wijk.", position=1
        )
        friesland = YouthCareRegion.objects.get(code="JZ02")
        Use.objects.create(practice=self.practice, region=friesland)
        theirs = FitCheck.objects.create(practice=self.practice, region=friesland)
        for condition in self.practice.conditions.all():
            FitAnswer.objects.create(check_run=theirs, condition=condition, met=condition == first)

    def test_a_professional_sees_what_is_missing_and_which_region_resembles_theirs(self) -> None:
        page = self.new_context(self.user).new_page()
        page.goto(f"{self.live_server_url}/kennis/praktijken/{self.practice.pk}/")
        page.get_by_role("link", name="Past het hier? Doe de check").click()
        page.get_by_label("Gemeente waarvoor je antwoordt").select_option(label="Heerlen")
        page.get_by_label("Er is een ervaren ouder.").check()
        page.get_by_role("button", name="Check").click()
        result = page.locator("#fit-result")
        expect(
            result.get_by_role("heading", name="1 voorwaarde is hier nog niet geregeld.")
        ).to_be_visible()
        expect(result.locator(".not-met")).to_contain_text("Er is een ruimte in de wijk.")
        expect(result.get_by_role("row", name="Friesland (Fryslân) 2 van 2")).to_be_visible()
        # The answers stay ticked, so a second try starts from the first.
        expect(page.get_by_label("Er is een ervaren ouder.")).to_be_checked()
        self.assertEqual(FitCheck.objects.filter(created_by=self.user).count(), 1)
