from __future__ import annotations

from axes.models import AccessAttempt
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from rits.accounts import services
from rits.accounts.models import Membership, Organisation, User
from rits.accounts.tests.helpers import confirmed_device, events
from rits.testing import PASSWORD, RitsTestCase, login

NEW_PASSWORD = "a brand new passphrase 2026"


class AdminTests(RitsTestCase):
    def setUp(self) -> None:
        self.admin.is_staff = True
        self.admin.save()

    def test_a_functional_admin_manages_users_organisations_and_memberships(self) -> None:
        login(self.client, self.admin)
        for path in (
            "/beheer/",
            "/beheer/accounts/user/",
            "/beheer/accounts/organisation/",
            "/beheer/accounts/membership/",
            "/beheer/accounts/team/",
            "/beheer/accounts/apitoken/",
            "/beheer/accounts/user/add/",
            f"/beheer/accounts/organisation/{self.org_a.pk}/change/",
        ):
            with self.subTest(path=path):
                self.assertEqual(self.client.get(path).status_code, 200)

    def test_the_user_page_never_shows_the_password_hash(self) -> None:
        login(self.client, self.admin)
        response = self.client.get(f"/beheer/accounts/user/{self.professional.pk}/change/")
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, self.professional.password)
        self.assertNotContains(response, "md5$")
        self.assertNotContains(response, 'name="password"')
        self.assertContains(response, 'href="../password/"')

    def test_it_creates_a_user_with_a_password(self) -> None:
        login(self.client, self.admin)
        response = self.client.post(
            "/beheer/accounts/user/add/",
            {
                "email": "Nieuw@Test.Rits.nl",
                "full_name": "Nina Nieuw",
                "kind": User.Kind.PROFESSIONAL,
                "usable_password": "true",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
                "memberships-TOTAL_FORMS": "0",
                "memberships-INITIAL_FORMS": "0",
            },
        )
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        user = User.objects.get(email="nieuw@test.rits.nl")
        self.assertTrue(user.check_password(NEW_PASSWORD))
        saved = events("accounts.admin_saved")
        self.assertEqual(saved[-1].actor_id, self.admin.pk)
        self.assertEqual(saved[-1].object_id, str(user.pk))

    def test_setting_a_password_is_audited_with_the_admin_as_actor(self) -> None:
        login(self.client, self.admin)
        response = self.client.post(
            f"/beheer/accounts/user/{self.parent.pk}/password/",
            {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        )
        self.assertEqual(response.status_code, 302)
        self.parent.refresh_from_db()
        self.assertTrue(self.parent.check_password(NEW_PASSWORD))
        entry = events("accounts.password_changed")[0]
        self.assertEqual(entry.actor_id, self.admin.pk)
        self.assertEqual(entry.object_id, str(self.parent.pk))

    def test_a_membership_added_in_the_admin_is_audited(self) -> None:
        login(self.client, self.admin)
        response = self.client.post(
            "/beheer/accounts/membership/add/",
            {
                "user": self.outsider.pk,
                "organisation": self.org_a.pk,
                "role": Membership.Role.PROFESSIONAL,
                "active": "on",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(
            Membership.objects.filter(user=self.outsider, organisation=self.org_a).exists()
        )
        self.assertEqual(events("accounts.admin_saved")[0].object_type, "accounts.membership")

    def test_a_functional_admin_cannot_make_a_superuser(self) -> None:
        login(self.client, self.admin)
        response = self.client.get(f"/beheer/accounts/user/{self.professional.pk}/change/")
        self.assertNotContains(response, 'name="is_superuser"')

    def test_api_tokens_are_read_only_and_never_show_the_token(self) -> None:
        token, raw = services.create_token(self.professional, "Koppeling")
        login(self.client, self.admin)
        response = self.client.get(f"/beheer/accounts/apitoken/{token.pk}/change/")
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, raw)
        self.assertNotContains(response, token.token_hash)
        self.assertNotContains(response, 'name="name"')
        self.assertEqual(self.client.get("/beheer/accounts/apitoken/add/").status_code, 403)

    def test_staff_without_the_admin_role_see_nothing_to_manage(self) -> None:
        self.outsider.is_staff = True
        self.outsider.save()
        login(self.client, self.outsider)
        self.assertEqual(self.client.get("/beheer/").status_code, 200)
        self.assertEqual(self.client.get("/beheer/accounts/user/").status_code, 403)
        self.assertEqual(
            self.client.get(f"/beheer/accounts/organisation/{self.org_a.pk}/change/").status_code,
            403,
        )

    def test_an_outsider_cannot_reach_the_admin(self) -> None:
        login(self.client, self.outsider)
        response = self.client.get("/beheer/accounts/organisation/")
        self.assertNotEqual(response.status_code, 200)
        self.assertEqual(Organisation.objects.filter(name__contains="(test)").count(), 4)


class AdminActionTests(RitsTestCase):
    def setUp(self) -> None:
        self.admin.is_staff = True
        self.admin.save()

    def test_a_functional_admin_unlocks_a_locked_account(self) -> None:
        for _ in range(5):
            self.client.post(
                "/account/login/", {"username": self.professional.email, "password": "wrong-1"}
            )
        self.assertTrue(AccessAttempt.objects.filter(username=self.professional.email).exists())
        admin_client = Client()
        login(admin_client, self.admin)
        response = admin_client.post(
            "/beheer/accounts/user/",
            {"action": "unlock_login", "_selected_action": [self.professional.pk]},
        )
        self.assertEqual(response.status_code, 302)
        self.assertFalse(AccessAttempt.objects.filter(username=self.professional.email).exists())
        self.assertEqual(events("accounts.unlocked")[0].actor_id, self.admin.pk)
        response = self.client.post(
            "/account/login/", {"username": self.professional.email, "password": PASSWORD}
        )
        self.assertEqual(response.status_code, 302)

    def test_a_functional_admin_resets_a_lost_authenticator(self) -> None:
        confirmed_device(self.professional)
        login(self.client, self.admin)
        response = self.client.post(
            "/beheer/accounts/user/",
            {"action": "reset_authenticator", "_selected_action": [self.professional.pk]},
        )
        self.assertEqual(response.status_code, 302)
        self.assertFalse(TOTPDevice.objects.filter(user=self.professional).exists())
        entry = events("accounts.otp_device_reset")[0]
        self.assertEqual(entry.data, {"devices": 1})
        self.assertEqual(entry.object_id, str(self.professional.pk))

    def test_other_staff_cannot_run_the_actions(self) -> None:
        confirmed_device(self.professional)
        self.outsider.is_staff = True
        self.outsider.save()
        login(self.client, self.outsider)
        response = self.client.post(
            "/beheer/accounts/user/",
            {"action": "reset_authenticator", "_selected_action": [self.professional.pk]},
        )
        self.assertEqual(response.status_code, 403)
        self.assertTrue(TOTPDevice.objects.filter(user=self.professional).exists())
