from __future__ import annotations

import base64

from django.test import override_settings
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from rits.accounts.tests.helpers import confirmed_device, current_code, events
from rits.audit.models import Entry
from rits.testing import RitsTestCase, login

TWO_FACTOR = "/account/two-factor/"


def wrong_code(right: str) -> str:
    return f"{(int(right) + 1) % 1_000_000:06d}"


class VerifyTests(RitsTestCase):
    def setUp(self) -> None:
        self.device = confirmed_device(self.professional)
        login(self.client, self.professional, verified=False)

    def test_it_asks_for_the_code_in_dutch(self) -> None:
        response = self.client.get(TWO_FACTOR)
        self.assertContains(response, "Vul de code van 6 cijfers uit je authenticator-app in.")
        self.assertNotContains(response, "<svg")

    def test_the_right_code_verifies_the_session(self) -> None:
        response = self.client.post(
            TWO_FACTOR, {"code": current_code(self.device), "next": "/account/tokens/"}
        )
        self.assertRedirects(response, "/account/tokens/", fetch_redirect_response=False)
        self.assertEqual(self.client.session[DEVICE_ID_SESSION_KEY], self.device.persistent_id)
        verified = events("accounts.otp_verified")
        self.assertEqual(len(verified), 1)
        self.assertEqual(verified[0].actor_id, self.professional.pk)

    def test_a_wrong_code_is_refused_audited_and_changes_nothing(self) -> None:
        code = wrong_code(current_code(self.device))
        response = self.client.post(TWO_FACTOR, {"code": code})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "Deze code klopt niet", status_code=400)
        self.assertNotIn(DEVICE_ID_SESSION_KEY, self.client.session)
        self.assertEqual(events("accounts.otp_verified"), [])
        failed = events("accounts.otp_failed")
        self.assertEqual(len(failed), 1)
        self.assertEqual(failed[0].outcome, Entry.Outcome.FAILURE)
        self.assertNotIn(code, str(failed[0].data))
        # Still not past the second factor: the home page sends them back.
        self.assertRedirects(
            self.client.get("/"), "/account/two-factor/?next=%2F", fetch_redirect_response=False
        )

    def test_letters_are_refused_without_trying_the_device(self) -> None:
        response = self.client.post(TWO_FACTOR, {"code": "abcdef"})
        self.assertContains(
            response, "Vul de 6 cijfers uit je authenticator-app in.", status_code=400
        )
        self.device.refresh_from_db()
        self.assertEqual(self.device.throttling_failure_count, 0)

    def test_many_wrong_codes_are_throttled_by_django_otp(self) -> None:
        TOTPDevice.objects.filter(pk=self.device.pk).update(
            throttling_failure_count=5, throttling_failure_timestamp=timezone.now()
        )
        response = self.client.post(TWO_FACTOR, {"code": current_code(self.device)})
        self.assertContains(response, "Te veel verkeerde codes", status_code=400)
        self.assertNotIn(DEVICE_ID_SESSION_KEY, self.client.session)
        self.assertEqual(events("accounts.otp_failed")[0].outcome, Entry.Outcome.DENIED)

    def test_a_code_cannot_be_used_twice(self) -> None:
        code = current_code(self.device)
        self.client.post(TWO_FACTOR, {"code": code})
        self.client.logout()
        login(self.client, self.professional, verified=False)
        response = self.client.post(TWO_FACTOR, {"code": code})
        self.assertEqual(response.status_code, 400)

    def test_it_ignores_an_unsafe_next_address(self) -> None:
        response = self.client.post(
            TWO_FACTOR, {"code": current_code(self.device), "next": "//evil.example/steal"}
        )
        self.assertRedirects(response, "/", fetch_redirect_response=False)

    def test_a_verified_user_is_sent_on(self) -> None:
        login(self.client, self.professional)
        response = self.client.get(TWO_FACTOR + "?next=/account/tokens/")
        self.assertRedirects(response, "/account/tokens/", fetch_redirect_response=False)

    def test_anonymous_visitors_are_sent_to_log_in(self) -> None:
        self.client.logout()
        response = self.client.get(TWO_FACTOR)
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith("/account/login/"))


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)
class EnrollmentTests(RitsTestCase):
    def setUp(self) -> None:
        login(self.client, self.coordinator, verified=False)

    def pending_device(self) -> TOTPDevice:
        return TOTPDevice.objects.get(user=self.coordinator, confirmed=False)

    def test_it_shows_a_qr_code_and_the_secret(self) -> None:
        response = self.client.get(TWO_FACTOR)
        self.assertContains(response, "Stel je authenticator-app in")
        device = self.pending_device()
        secret = base64.b32encode(device.bin_key).decode()
        self.assertContains(response, "<svg")
        self.assertContains(response, secret[:4] + " " + secret[4:8])
        self.assertNotContains(response, "style=")

    def test_reloading_keeps_the_same_secret(self) -> None:
        self.client.get(TWO_FACTOR)
        key = self.pending_device().key
        self.client.get(TWO_FACTOR)
        self.assertEqual(self.pending_device().key, key)
        self.assertEqual(TOTPDevice.objects.filter(user=self.coordinator).count(), 1)

    def test_the_first_right_code_confirms_the_device(self) -> None:
        self.client.get(TWO_FACTOR)
        device = self.pending_device()
        response = self.client.post(TWO_FACTOR, {"code": current_code(device)}, follow=True)
        self.assertContains(response, "Je authenticator-app is ingesteld.")
        device.refresh_from_db()
        self.assertTrue(device.confirmed)
        self.assertEqual(self.client.session[DEVICE_ID_SESSION_KEY], device.persistent_id)
        self.assertEqual(len(events("accounts.otp_device_confirmed")), 1)
        self.assertEqual(len(events("accounts.otp_verified")), 1)

    def test_a_wrong_code_leaves_the_device_unconfirmed(self) -> None:
        self.client.get(TWO_FACTOR)
        device = self.pending_device()
        response = self.client.post(TWO_FACTOR, {"code": wrong_code(current_code(device))})
        self.assertContains(response, "Deze code klopt niet", status_code=400)
        self.assertContains(response, "<svg", status_code=400)
        device.refresh_from_db()
        self.assertFalse(device.confirmed)
        self.assertEqual(events("accounts.otp_device_confirmed"), [])
        self.assertEqual(len(events("accounts.otp_failed")), 1)
        self.assertNotIn(DEVICE_ID_SESSION_KEY, self.client.session)

    def test_a_confirmed_device_is_never_shown_again(self) -> None:
        confirmed_device(self.coordinator)
        response = self.client.get(TWO_FACTOR)
        self.assertNotContains(response, "<svg")
        self.assertFalse(TOTPDevice.objects.filter(user=self.coordinator, confirmed=False).exists())


class TwoFactorRequiredTests(RitsTestCase):
    def test_an_unverified_professional_is_sent_to_the_second_factor_everywhere(self) -> None:
        login(self.client, self.professional, verified=False)
        for path in ("/", "/audit/", "/betrokkenheid/", "/beheer/", "/anything/?q=1"):
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertEqual(response.status_code, 302)
                self.assertTrue(response["Location"].startswith("/account/two-factor/?next="))

    def test_account_pages_stay_reachable_without_the_second_factor(self) -> None:
        login(self.client, self.professional, verified=False)
        self.assertEqual(self.client.get(TWO_FACTOR).status_code, 200)
        self.assertEqual(self.client.get("/account/password-reset/").status_code, 200)

    def test_account_pages_that_change_something_still_need_it(self) -> None:
        login(self.client, self.professional, verified=False)
        for path in ("/account/tokens/", "/account/password/"):
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertTrue(response["Location"].startswith("/account/two-factor/?next="))

    def test_a_family_member_needs_no_second_factor(self) -> None:
        login(self.client, self.parent, verified=False)
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(TOTPDevice.objects.filter(user=self.parent).exists())

    def test_a_network_member_needs_no_second_factor(self) -> None:
        login(self.client, self.jim, verified=False)
        self.assertEqual(self.client.get("/").status_code, 200)

    def test_an_unverified_session_does_not_count_for_the_api(self) -> None:
        login(self.client, self.professional, verified=False)
        response = self.client.get("/api/v1/accounts/me")
        self.assertEqual(response.status_code, 401)

    def test_the_menu_stays_public_until_the_second_factor(self) -> None:
        login(self.client, self.privacy_officer, verified=False)
        response = self.client.get(TWO_FACTOR)
        self.assertNotContains(response, 'href="/audit/"')
        self.assertNotContains(response, 'href="/account/tokens/"')


class VerifiedSessionTests(RitsTestCase):
    """The session names the device that passed the second factor; django-otp (through
    Rits' own device lookup) accepts it only while it is the user's own and confirmed."""

    def session_device(self, device_id: str) -> int:
        login(self.client, self.professional)
        session = self.client.session
        session[DEVICE_ID_SESSION_KEY] = device_id
        session.save()
        return self.client.get("/").status_code

    def test_a_verified_session_reaches_the_pages(self) -> None:
        device = TOTPDevice.objects.create(user=self.professional, name="t", confirmed=True)
        self.assertEqual(self.session_device(device.persistent_id), 200)

    def test_a_device_that_is_not_the_users_own_or_not_confirmed_does_not_count(self) -> None:
        others = TOTPDevice.objects.create(user=self.outsider, name="t", confirmed=True)
        unconfirmed = TOTPDevice.objects.create(user=self.professional, name="u", confirmed=False)
        removed = TOTPDevice.objects.create(user=self.professional, name="r", confirmed=True)
        removed_id = removed.persistent_id
        removed.delete()
        for device_id in (
            others.persistent_id,
            unconfirmed.persistent_id,
            removed_id,
            "otp_totp.totpdevice/x",
            "nonsense",
        ):
            with self.subTest(device_id=device_id):
                self.assertEqual(self.session_device(device_id), 302)
                self.assertNotIn(DEVICE_ID_SESSION_KEY, self.client.session)
