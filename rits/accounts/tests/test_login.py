from __future__ import annotations

from axes.models import AccessAttempt
from django.urls import reverse

from rits.accounts.tests.helpers import events
from rits.audit.models import Entry
from rits.testing import PASSWORD, RitsTestCase, login

LOGIN = "/account/login/"


class LoginPageTests(RitsTestCase):
    def test_it_shows_a_dutch_login_form_with_labelled_fields(self) -> None:
        response = self.client.get(LOGIN)
        self.assertContains(response, "Inloggen bij Rits")
        self.assertContains(response, '<label for="id_username">E-mailadres</label>', html=True)
        self.assertContains(response, '<label for="id_password">Wachtwoord</label>', html=True)
        self.assertContains(response, reverse("accounts:password_reset"))

    def test_it_refuses_a_wrong_password_with_a_clear_error(self) -> None:
        response = self.client.post(
            LOGIN, {"username": self.professional.email, "password": "not the password"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "E-mailadres of wachtwoord klopt niet")
        self.assertNotIn("_auth_user_id", self.client.session)
        self.professional.refresh_from_db()
        self.assertIsNone(self.professional.last_login)
        failed = events("accounts.login_failed")
        self.assertEqual(len(failed), 1)
        self.assertEqual(failed[0].outcome, Entry.Outcome.FAILURE)
        self.assertEqual(failed[0].data["username"], self.professional.email)
        self.assertNotIn("not the password", str(failed[0].data))
        self.assertEqual(events("accounts.login"), [])

    def test_it_gives_the_same_error_for_an_unknown_address(self) -> None:
        response = self.client.post(
            LOGIN, {"username": "niemand@test.rits.nl", "password": PASSWORD}
        )
        self.assertContains(response, "E-mailadres of wachtwoord klopt niet")
        self.assertEqual(len(events("accounts.login_failed")), 1)

    def test_it_accepts_the_address_in_another_case(self) -> None:
        response = self.client.post(LOGIN, {"username": "OUDER@test.rits.nl", "password": PASSWORD})
        self.assertRedirects(response, "/", fetch_redirect_response=False)

    def test_a_family_member_logs_in_without_a_second_factor(self) -> None:
        response = self.client.post(
            LOGIN, {"username": self.parent.email, "password": PASSWORD}, follow=True
        )
        self.assertEqual(response.redirect_chain[-1][0], "/")
        self.assertContains(response, "Welkom, Petra Ouder")
        login_entry = events("accounts.login")[0]
        self.assertEqual(login_entry.actor_id, self.parent.pk)

    def test_a_professional_goes_on_to_the_second_factor(self) -> None:
        response = self.client.post(
            LOGIN, {"username": self.professional.email, "password": PASSWORD, "next": "/audit/"}
        )
        self.assertRedirects(
            response, "/account/two-factor/?next=%2Faudit%2F", fetch_redirect_response=False
        )

    def test_it_ignores_a_next_address_outside_rits(self) -> None:
        response = self.client.post(
            LOGIN,
            {"username": self.parent.email, "password": PASSWORD, "next": "https://evil.example/"},
        )
        self.assertRedirects(response, "/", fetch_redirect_response=False)

    def test_it_says_why_after_an_idle_logout(self) -> None:
        response = self.client.get(LOGIN + "?expired=1")
        self.assertContains(response, "Je was een tijd niet actief")
        self.assertNotContains(self.client.get(LOGIN), "Je was een tijd niet actief")


class LockoutTests(RitsTestCase):
    def fail_logins(self, times: int) -> None:
        for _ in range(times):
            self.client.post(LOGIN, {"username": self.professional.email, "password": "wrong-1"})

    def test_it_locks_the_account_after_five_failures(self) -> None:
        self.fail_logins(4)
        self.assertEqual(events("accounts.locked_out"), [])
        response = self.client.post(
            LOGIN, {"username": self.professional.email, "password": "wrong-1"}
        )
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Inloggen is even geblokkeerd", status_code=429)
        self.assertContains(response, "functioneel beheerder", status_code=429)
        self.assertContains(response, "opnieuw proberen (over 30 minuten)", status_code=429)
        locked = events("accounts.locked_out")
        self.assertEqual(len(locked), 1)
        self.assertEqual(locked[0].data["username"], self.professional.email)
        self.assertEqual(locked[0].data["ip_address"], "127.0.0.1")

    def test_the_right_password_does_not_help_while_locked(self) -> None:
        self.fail_logins(5)
        response = self.client.post(
            LOGIN, {"username": self.professional.email, "password": PASSWORD}
        )
        self.assertEqual(response.status_code, 429)
        self.assertNotIn("_auth_user_id", self.client.session)
        self.professional.refresh_from_db()
        self.assertIsNone(self.professional.last_login)

    def test_the_lock_is_per_account_so_others_still_log_in(self) -> None:
        self.fail_logins(5)
        response = self.client.post(LOGIN, {"username": self.parent.email, "password": PASSWORD})
        self.assertRedirects(response, "/", fetch_redirect_response=False)

    def test_a_functional_admin_can_unlock_by_removing_the_attempt(self) -> None:
        self.fail_logins(5)
        AccessAttempt.objects.filter(username=self.professional.email).delete()
        response = self.client.post(
            LOGIN, {"username": self.professional.email, "password": PASSWORD}
        )
        self.assertEqual(response.status_code, 302)


class AdminLoginTests(RitsTestCase):
    def test_the_admin_uses_the_rits_login(self) -> None:
        response = self.client.get("/beheer/")
        self.assertEqual(response.status_code, 302)
        response = self.client.get(response["Location"])
        self.assertRedirects(
            response, "/account/login/?next=%2Fbeheer%2F", fetch_redirect_response=False
        )

    def test_the_admin_login_never_offers_its_own_form(self) -> None:
        response = self.client.get("/beheer/login/")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith("/account/login/"))

    def test_a_logged_in_outsider_gets_forbidden_not_a_login_loop(self) -> None:
        login(self.client, self.outsider)
        response = self.client.get("/beheer/", follow=True)
        self.assertEqual(response.status_code, 403)

    def test_an_unverified_admin_must_pass_the_second_factor_first(self) -> None:
        self.admin.is_staff = True
        self.admin.save()
        login(self.client, self.admin, verified=False)
        response = self.client.get("/beheer/")
        self.assertRedirects(
            response, "/account/two-factor/?next=%2Fbeheer%2F", fetch_redirect_response=False
        )


class SignedInUserTests(RitsTestCase):
    """The session's user is read afresh on every request (Django's ``ModelBackend``)."""

    def test_a_signed_in_user_is_recognised_on_the_next_request(self) -> None:
        login(self.client, self.professional)
        response = self.client.get("/")
        user = response.wsgi_request.user
        self.assertEqual(user, self.professional)
        self.assertEqual(getattr(user, "full_name", None), self.professional.full_name)

    def test_a_deactivated_account_is_signed_out_at_its_next_request(self) -> None:
        login(self.client, self.professional)
        type(self.professional).objects.filter(pk=self.professional.pk).update(is_active=False)
        response = self.client.get("/")
        self.assertFalse(response.wsgi_request.user.is_authenticated)

    def test_a_session_naming_no_account_signs_nobody_in(self) -> None:
        from django.contrib.auth import SESSION_KEY

        login(self.client, self.professional)
        session = self.client.session
        session[SESSION_KEY] = "999999"
        session.save()
        response = self.client.get("/")
        self.assertFalse(response.wsgi_request.user.is_authenticated)

    def test_an_expired_session_signs_nobody_in_and_a_new_one_is_started(self) -> None:
        from datetime import timedelta

        from django.contrib.sessions.models import Session
        from django.utils import timezone

        login(self.client, self.professional)
        key = self.client.session.session_key
        self.assertTrue(self.client.get("/").wsgi_request.user.is_authenticated)
        Session.objects.filter(session_key=key).update(
            expire_date=timezone.now() - timedelta(seconds=1)
        )
        response = self.client.get("/")
        self.assertFalse(response.wsgi_request.user.is_authenticated)
        self.assertNotEqual(self.client.session.session_key, key)
