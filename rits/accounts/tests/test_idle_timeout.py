from __future__ import annotations

import time
from datetime import timedelta

from django.test import override_settings

from rits.accounts.tests.helpers import events
from rits.testing import RitsTestCase, login


@override_settings(RITS_IDLE_TIMEOUT=timedelta(minutes=30))
class IdleTimeoutTests(RitsTestCase):
    def set_last_seen(self, seconds_ago: int) -> None:
        session = self.client.session
        session["last_seen"] = int(time.time()) - seconds_ago
        session.save()

    def test_it_ends_the_session_after_the_idle_timeout(self) -> None:
        login(self.client, self.professional)
        self.set_last_seen(31 * 60)
        response = self.client.get("/")
        self.assertRedirects(response, "/account/login/?expired=1", fetch_redirect_response=False)
        self.assertNotIn("_auth_user_id", self.client.session)
        expired = events("accounts.session_expired")
        self.assertEqual(len(expired), 1)
        self.assertEqual(expired[0].actor_id, self.professional.pk)
        follow = self.client.get(response["Location"])
        self.assertContains(follow, "Je was een tijd niet actief")

    def test_it_keeps_an_active_session(self) -> None:
        login(self.client, self.professional)
        self.set_last_seen(29 * 60)
        self.assertEqual(self.client.get("/").status_code, 200)
        self.assertIn("_auth_user_id", self.client.session)
        self.assertEqual(events("accounts.session_expired"), [])

    def test_each_request_moves_the_deadline(self) -> None:
        login(self.client, self.parent)
        self.set_last_seen(29 * 60)
        self.client.get("/")
        self.assertGreaterEqual(self.client.session["last_seen"], int(time.time()) - 5)

    @override_settings(RITS_IDLE_TIMEOUT=timedelta(minutes=5))
    def test_the_timeout_comes_from_the_setting(self) -> None:
        login(self.client, self.parent)
        self.set_last_seen(6 * 60)
        response = self.client.get("/")
        self.assertRedirects(response, "/account/login/?expired=1", fetch_redirect_response=False)

    def test_it_also_ends_a_session_waiting_for_the_second_factor(self) -> None:
        login(self.client, self.professional, verified=False)
        self.set_last_seen(31 * 60)
        response = self.client.get("/account/two-factor/")
        self.assertRedirects(response, "/account/login/?expired=1", fetch_redirect_response=False)
