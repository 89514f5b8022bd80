"""The whole login in a real browser: password, then the code from the authenticator app."""

from __future__ import annotations

from typing import Any

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from rits.accounts.models import Membership, Organisation, Team
from rits.regions.models import Municipality, YouthCareRegion
from rits.testing import PASSWORD, make_user
from rits.testing.browser import BrowserTestCase


class LoginInBrowserTests(BrowserTestCase):
    def setUp(self) -> None:
        region = YouthCareRegion.objects.get(code="JZ41")
        heerlen = Municipality.objects.get(code="GM0917")
        organisation = Organisation.objects.create(
            name="Gebiedsteam Heerlen (e2e)",
            kind=Organisation.Kind.AREA_TEAM,
            region=region,
            municipality=heerlen,
        )
        team = Team.objects.create(organisation=organisation, name="Team Noord (e2e)")
        self.user = make_user("e2e@test.rits.nl", "Eva Eindtest")
        Membership.objects.create(
            user=self.user, organisation=organisation, team=team, role=Membership.Role.PROFESSIONAL
        )
        self.device = TOTPDevice.objects.create(user=self.user, name="phone", confirmed=True)
        self.start_browser()

    def current_code(self) -> str:
        # No database query here: it would open a connection inside Playwright's loop.
        return f"{totp(self.device.bin_key, self.device.step, self.device.t0):06d}"

    def test_a_professional_logs_in_with_password_and_code(self) -> None:
        context: Any = self.browser.new_context(locale="nl-NL")
        page = context.new_page()
        page.goto(f"{self.live_server_url}/")
        page.wait_for_url("**/account/login/**")
        page.get_by_label("E-mailadres").fill(self.user.email)
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()

        page.wait_for_url("**/account/two-factor/**")
        assert "Vul je code in" in page.content()
        page.get_by_label("Code van 6 cijfers").fill(self.current_code())
        page.get_by_role("button", name="Verder").click()

        page.wait_for_url(f"{self.live_server_url}/")
        heading = page.get_by_role("heading", level=1).inner_text()
        self.assertEqual(heading, "Welkom, Eva Eindtest")
        body = page.locator("main").inner_text()
        self.assertIn("Gebiedsteam Heerlen (e2e)", body)
        self.assertIn("Team Noord (e2e)", body)
        context.close()

    def test_a_wrong_code_keeps_the_professional_out(self) -> None:
        context: Any = self.browser.new_context(locale="nl-NL")
        page = context.new_page()
        page.goto(f"{self.live_server_url}/account/login/")
        page.get_by_label("E-mailadres").fill(self.user.email)
        page.get_by_label("Wachtwoord").fill(PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_url("**/account/two-factor/**")
        wrong = f"{(int(self.current_code()) + 1) % 1_000_000:06d}"
        page.get_by_label("Code van 6 cijfers").fill(wrong)
        page.get_by_role("button", name="Verder").click()
        page.wait_for_load_state()
        self.assertIn("Deze code klopt niet", page.locator("main").inner_text())
        page.goto(f"{self.live_server_url}/")
        self.assertIn("/account/two-factor/", page.url)
        context.close()
