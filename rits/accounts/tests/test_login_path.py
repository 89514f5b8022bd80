"""What the login path must guarantee, whatever reads the session, the user, the second
factor and the API token: Django's database sessions, ``ModelBackend``, django-otp's
middleware and the ORM, as each documents them."""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from rits.accounts.models import ApiToken
from rits.accounts.services import create_token, revoke_token
from rits.testing import PASSWORD, RitsTestCase, login

NEW_PASSWORD = "another fresh passphrase 2026"


class SessionTests(RitsTestCase):
    def test_a_session_cookie_replayed_after_logout_is_refused(self) -> None:
        login(self.client, self.professional)
        cookie = self.client.cookies["sessionid"].value
        self.assertTrue(self.client.get("/").wsgi_request.user.is_authenticated)
        self.client.post("/account/logout/")

        replay = Client()
        replay.cookies["sessionid"] = cookie
        response = replay.get("/")
        self.assertFalse(response.wsgi_request.user.is_authenticated)
        self.assertEqual(replay.get("/api/v1/accounts/me").status_code, 401)

    def test_a_password_change_ends_the_other_sessions(self) -> None:
        other = Client()
        login(other, self.parent)
        login(self.client, self.parent)
        self.assertTrue(other.get("/").wsgi_request.user.is_authenticated)

        response = self.client.post(
            "/account/password/",
            {
                "old_password": PASSWORD,
                "new_password1": NEW_PASSWORD,
                "new_password2": NEW_PASSWORD,
            },
        )
        self.assertRedirects(response, "/account/password/done/")
        # The session that changed it stays; every other one is signed out.
        self.assertTrue(self.client.get("/").wsgi_request.user.is_authenticated)
        self.assertFalse(other.get("/").wsgi_request.user.is_authenticated)

    def test_a_session_of_a_deactivated_account_signs_nobody_in(self) -> None:
        login(self.client, self.parent)
        type(self.parent).objects.filter(pk=self.parent.pk).update(is_active=False)
        self.assertFalse(self.client.get("/").wsgi_request.user.is_authenticated)

    def test_a_forged_session_user_id_signs_nobody_in(self) -> None:
        login(self.client, self.parent)
        session = self.client.session
        session[SESSION_KEY] = str(self.professional.pk)
        session.save()
        # The session's auth hash belongs to the parent: Django refuses the swap.
        self.assertFalse(self.client.get("/").wsgi_request.user.is_authenticated)


class SecondFactorTests(RitsTestCase):
    def _session_with_device(self, device: TOTPDevice) -> None:
        login(self.client, self.professional, verified=False)
        session = self.client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    def test_a_confirmed_own_device_passes(self) -> None:
        device = TOTPDevice.objects.create(user=self.professional, name="own", confirmed=True)
        self._session_with_device(device)
        self.assertEqual(self.client.get("/").status_code, 200)

    def test_an_unconfirmed_device_does_not_pass(self) -> None:
        device = TOTPDevice.objects.create(user=self.professional, name="new", confirmed=False)
        self._session_with_device(device)
        self.assertEqual(self.client.get("/").status_code, 302)
        self.assertEqual(self.client.get("/api/v1/accounts/me").status_code, 401)

    def test_someone_elses_device_does_not_pass(self) -> None:
        device = TOTPDevice.objects.create(user=self.outsider, name="theirs", confirmed=True)
        self._session_with_device(device)
        self.assertEqual(self.client.get("/").status_code, 302)
        self.assertEqual(self.client.get("/api/v1/accounts/me").status_code, 401)


class TokenTests(RitsTestCase):
    def test_a_revoked_token_on_a_post_gets_401_problem_json_not_a_csrf_refusal(self) -> None:
        token, raw = create_token(self.professional, "script")
        revoke_token(token, actor=self.professional)
        # A browser-less client: CSRF is enforced as it is for real callers.
        response = Client(enforce_csrf_checks=True).post(
            "/api/v1/family-plans/plans",
            {"family_id": 1},
            content_type="application/json",
            headers={"authorization": f"Bearer {raw}"},
        )
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response["Content-Type"], "application/problem+json")

    def test_an_unknown_token_on_a_delete_gets_401(self) -> None:
        response = Client(enforce_csrf_checks=True).delete(
            "/api/v1/accounts/tokens/1", headers={"authorization": "Bearer rits_unknown"}
        )
        self.assertEqual(response.status_code, 401)

    def test_a_token_of_a_deactivated_account_signs_nobody_in(self) -> None:
        _token, raw = create_token(self.professional, "script")
        type(self.professional).objects.filter(pk=self.professional.pk).update(is_active=False)
        response = self.client.get(
            "/api/v1/accounts/me", headers={"authorization": f"Bearer {raw}"}
        )
        self.assertEqual(response.status_code, 401)
        self.assertTrue(ApiToken.objects.filter(user=self.professional).exists())

    def test_a_signed_in_browser_still_needs_the_csrf_token_for_a_post(self) -> None:
        browser = Client(enforce_csrf_checks=True)
        login(browser, self.professional)
        response = browser.post(
            "/api/v1/family-plans/plans", {"family_id": 1}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response["Content-Type"], "application/problem+json")
