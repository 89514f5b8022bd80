"""A family account may turn on a second factor (TOTP) with recovery codes; from then on
its login needs it, as a professional's does. Its secrets are shown to their owner only."""

from __future__ import annotations

import re

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from rits.accounts import services
from rits.accounts.tests.helpers import current_code, events
from rits.testing import PASSWORD, AuditAssertions, RitsTestCase, login

SETUP = "/account/two-factor/setup/"
TWO_FACTOR = "/account/two-factor/"


class FamilySecondFactorTests(AuditAssertions, RitsTestCase):
    def turn_on(self) -> list[str]:
        """Set up the app as the parent and return the recovery codes shown once."""
        login(self.client, self.parent)
        self.client.get(SETUP)
        device = TOTPDevice.objects.get(user=self.parent, confirmed=False)
        r = self.client.post(SETUP, {"code": current_code(device), "next": "/gezin/"})
        self.assertEqual(r.status_code, 200)
        return re.findall(r"<li>([a-z2-7]{8})</li>", r.content.decode())

    def log_in_with_password(self) -> None:
        self.client.logout()
        self.client.post("/account/login/", {"username": self.parent.email, "password": PASSWORD})

    def test_a_family_account_does_not_need_one_until_it_chooses(self) -> None:
        self.assertFalse(self.parent.requires_two_factor)
        login(self.client, self.parent)
        self.assertEqual(self.client.get("/").status_code, 200)
        self.assertContains(self.client.get(SETUP), "Tweede stap bij inloggen")

    def test_turning_it_on_shows_recovery_codes_once(self) -> None:
        codes = self.turn_on()
        self.assertEqual(len(codes), services.RECOVERY_CODES)
        self.assertEqual(StaticToken.objects.filter(device__user=self.parent).count(), 10)
        self.assert_audited("accounts.otp_device_confirmed", actor=self.parent)
        entry = self.assert_audited("accounts.recovery_codes_created", actor=self.parent)
        for code in codes:
            self.assertNotIn(code, str(entry.data))
        # Afterwards the page only says it is on; the codes and key are not shown again.
        page = self.client.get(SETUP).content.decode()
        self.assertIn("staat aan", page)
        for code in codes:
            self.assertNotIn(code, page)
        self.assertNotIn('id="totp-secret"', page)

    def test_once_on_the_login_asks_for_the_code(self) -> None:
        self.turn_on()
        self.log_in_with_password()
        r = self.client.get("/gezin/")
        self.assertRedirects(
            r, "/account/two-factor/?next=%2Fgezin%2F", fetch_redirect_response=False
        )
        device = TOTPDevice.objects.get(user=self.parent, confirmed=True)
        # The app's code at set-up was used; django-otp takes each time step once, so
        # log in as in a later step.
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
        r = self.client.post(TWO_FACTOR, {"code": current_code(device), "next": "/gezin/"})
        self.assertRedirects(r, "/gezin/", fetch_redirect_response=False)

    def test_a_recovery_code_works_once(self) -> None:
        codes = self.turn_on()
        self.log_in_with_password()
        r = self.client.post(TWO_FACTOR, {"recovery_code": codes[0], "next": "/gezin/"})
        self.assertRedirects(r, "/gezin/", fetch_redirect_response=False)
        self.assertIn(DEVICE_ID_SESSION_KEY, self.client.session)
        self.log_in_with_password()
        r = self.client.post(TWO_FACTOR, {"recovery_code": codes[0], "next": "/gezin/"})
        self.assertContains(r, "herstelcode klopt niet", status_code=400)
        self.assertNotIn(DEVICE_ID_SESSION_KEY, self.client.session)
        self.assertTrue(events("accounts.otp_failed"))

    def test_a_wrong_first_code_turns_nothing_on(self) -> None:
        login(self.client, self.parent)
        self.client.get(SETUP)
        r = self.client.post(SETUP, {"code": "000000"})
        self.assertEqual(r.status_code, 400)
        self.assertFalse(TOTPDevice.objects.filter(user=self.parent, confirmed=True).exists())
        self.assertFalse(StaticDevice.objects.filter(user=self.parent).exists())

    def test_a_professional_enrolling_gets_recovery_codes_too(self) -> None:
        login(self.client, self.outsider, verified=False)
        self.client.get(TWO_FACTOR)
        device = TOTPDevice.objects.get(user=self.outsider, confirmed=False)
        r = self.client.post(TWO_FACTOR, {"code": current_code(device), "next": "/"})
        self.assertEqual(r.status_code, 200)
        self.assertEqual(len(re.findall(r"<li>([a-z2-7]{8})</li>", r.content.decode())), 10)

    def test_an_admin_reset_also_removes_the_recovery_codes(self) -> None:
        self.turn_on()
        services.reset_authenticator(self.parent, actor=self.admin)
        self.assertFalse(StaticDevice.objects.filter(user=self.parent).exists())
        self.assertFalse(type(self.parent).objects.get(pk=self.parent.pk).requires_two_factor)

    def test_the_admin_never_shows_a_second_factor_secret(self) -> None:
        self.turn_on()
        device = TOTPDevice.objects.get(user=self.parent, confirmed=True)
        self.admin.is_staff = self.admin.is_superuser = True
        self.admin.save()
        login(self.client, self.admin)
        for url in (
            f"/beheer/otp_totp/totpdevice/{device.pk}/config/",
            f"/beheer/otp_totp/totpdevice/{device.pk}/qrcode/",
        ):
            self.assertEqual(self.client.get(url).status_code, 403)
        page = self.client.get(f"/beheer/otp_totp/totpdevice/{device.pk}/change/")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn(device.key, page.content.decode())
