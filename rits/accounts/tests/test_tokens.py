from __future__ import annotations

import re

from rits.accounts import services
from rits.accounts.models import ApiToken, User
from rits.accounts.tests.helpers import events
from rits.audit.models import Entry
from rits.testing import RitsTestCase, login

PROBLEM = "application/problem+json"


class TokenServiceTests(RitsTestCase):
    def test_it_returns_the_raw_token_once_and_stores_only_a_hash(self) -> None:
        token, raw = services.create_token(self.professional, "Koppeling")
        self.assertRegex(raw, r"^rits_[A-Za-z0-9_-]{43}$")
        token.refresh_from_db()
        self.assertEqual(token.token_hash, ApiToken.hash(raw))
        self.assertEqual(token.hint, raw[:9])
        stored = ApiToken.objects.filter(pk=token.pk).values().get()
        self.assertNotIn(raw, [str(v) for v in stored.values()])
        entry = events("accounts.token_created")[0]
        self.assertEqual(entry.actor_id, self.professional.pk)
        self.assertNotIn(raw, str(entry.data))

    def test_revoking_twice_changes_nothing_the_second_time(self) -> None:
        token, _raw = services.create_token(self.professional, "Koppeling")
        self.assertTrue(services.revoke_token(token, actor=self.professional))
        first = ApiToken.objects.get(pk=token.pk).revoked_at
        self.assertFalse(services.revoke_token(token, actor=self.professional))
        self.assertEqual(ApiToken.objects.get(pk=token.pk).revoked_at, first)
        self.assertEqual(len(events("accounts.token_revoked")), 1)


class TokenPageTests(RitsTestCase):
    def test_it_creates_a_token_and_shows_it_once(self) -> None:
        login(self.client, self.professional)
        response = self.client.post("/account/tokens/", {"name": "Export naar ons systeem"})
        self.assertContains(response, "Kopieer de sleutel nu")
        raw = re.search(r'value="(rits_[^"]+)"', response.content.decode())
        assert raw is not None
        token = ApiToken.objects.get(user=self.professional)
        self.assertEqual(token.token_hash, ApiToken.hash(raw.group(1)))
        self.assertEqual(response["Cache-Control"].split(",")[0], "max-age=0")
        again = self.client.get("/account/tokens/")
        self.assertContains(again, "Export naar ons systeem")
        self.assertNotContains(again, raw.group(1))

    def test_a_name_is_required(self) -> None:
        login(self.client, self.professional)
        response = self.client.post("/account/tokens/", {"name": ""})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(ApiToken.objects.exists())

    def test_it_lists_only_your_own_tokens(self) -> None:
        services.create_token(self.outsider, "Geheim van Olga")
        login(self.client, self.professional)
        response = self.client.get("/account/tokens/")
        self.assertContains(response, "Je hebt nog geen API-sleutels.")
        self.assertNotContains(response, "Geheim van Olga")

    def test_you_revoke_your_own_token_with_a_post(self) -> None:
        token, _raw = services.create_token(self.professional, "Koppeling")
        login(self.client, self.professional)
        self.assertEqual(self.client.get(f"/account/tokens/{token.pk}/revoke/").status_code, 405)
        response = self.client.post(f"/account/tokens/{token.pk}/revoke/", follow=True)
        self.assertContains(response, "De sleutel &#x27;Koppeling&#x27; werkt niet meer.")
        token.refresh_from_db()
        self.assertIsNotNone(token.revoked_at)

    def test_an_outsider_cannot_revoke_someone_elses_token(self) -> None:
        token, _raw = services.create_token(self.professional, "Koppeling")
        login(self.client, self.outsider)
        response = self.client.post(f"/account/tokens/{token.pk}/revoke/")
        self.assertEqual(response.status_code, 404)
        token.refresh_from_db()
        self.assertIsNone(token.revoked_at)
        self.assertEqual(events("accounts.token_revoked"), [])

    def test_anonymous_visitors_are_sent_to_log_in(self) -> None:
        response = self.client.get("/account/tokens/")
        self.assertTrue(response["Location"].startswith("/account/login/"))


class TokenApiTests(RitsTestCase):
    def setUp(self) -> None:
        self.token, self.raw = services.create_token(self.professional, "Koppeling")

    def auth(self, raw: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {raw}"}

    def test_a_valid_token_works_on_me(self) -> None:
        response = self.client.get("/api/v1/accounts/me", headers=self.auth(self.raw))
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["email"], self.professional.email)
        self.assertEqual(body["memberships"][0]["organisation"], self.org_a.name)
        self.token.refresh_from_db()
        self.assertIsNotNone(self.token.last_used_at)

    def assert_rejected(self, raw: str, reason: str) -> None:
        before = ApiToken.objects.values_list("pk", "revoked_at", "last_used_at").order_by("pk")
        before_list = list(before)
        response = self.client.get("/api/v1/accounts/me", headers=self.auth(raw))
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response["Content-Type"], PROBLEM)
        self.assertEqual(response.json()["status"], 401)
        self.assertEqual(list(before), before_list)
        rejected = events("accounts.token_rejected")[-1]
        self.assertEqual(rejected.outcome, Entry.Outcome.FAILURE)
        self.assertEqual(rejected.data["reason"], reason)
        self.assertNotIn(raw, str(rejected.data))

    def test_a_revoked_token_is_rejected(self) -> None:
        services.revoke_token(self.token, actor=self.professional)
        self.assert_rejected(self.raw, "revoked")

    def test_an_unknown_token_is_rejected(self) -> None:
        self.assert_rejected("rits_" + "x" * 43, "unknown")

    def test_the_token_of_a_deactivated_account_is_rejected(self) -> None:
        User.objects.filter(pk=self.professional.pk).update(is_active=False)
        self.assert_rejected(self.raw, "inactive user")
        self.assertEqual(events("accounts.token_rejected")[-1].actor, self.professional)

    def test_a_malformed_token_is_rejected(self) -> None:
        self.assert_rejected("not-a-rits-token", "malformed")

    def test_a_missing_token_is_refused(self) -> None:
        response = self.client.get("/api/v1/accounts/me")
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response["Content-Type"], PROBLEM)

    def test_it_lists_your_own_tokens_without_the_secret(self) -> None:
        services.create_token(self.outsider, "Van Olga")
        response = self.client.get("/api/v1/accounts/tokens", headers=self.auth(self.raw))
        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual([t["name"] for t in body], ["Koppeling"])
        self.assertEqual(body[0]["hint"], self.raw[:9])
        self.assertNotIn(self.raw, response.content.decode())
        self.assertNotIn("token_hash", body[0])

    def test_you_revoke_your_own_token(self) -> None:
        other, _other_raw = services.create_token(self.professional, "Tweede")
        response = self.client.delete(
            f"/api/v1/accounts/tokens/{other.pk}", headers=self.auth(self.raw)
        )
        self.assertEqual(response.status_code, 204)
        other.refresh_from_db()
        self.assertIsNotNone(other.revoked_at)
        self.assertEqual(events("accounts.token_revoked")[0].actor_id, self.professional.pk)

    def test_someone_elses_token_is_not_found(self) -> None:
        other, _other_raw = services.create_token(self.outsider, "Van Olga")
        response = self.client.delete(
            f"/api/v1/accounts/tokens/{other.pk}", headers=self.auth(self.raw)
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response["Content-Type"], PROBLEM)
        other.refresh_from_db()
        self.assertIsNone(other.revoked_at)

    def test_a_token_revoked_through_the_api_stops_working_at_once(self) -> None:
        response = self.client.delete(
            f"/api/v1/accounts/tokens/{self.token.pk}", headers=self.auth(self.raw)
        )
        self.assertEqual(response.status_code, 204)
        self.assertEqual(
            self.client.get("/api/v1/accounts/me", headers=self.auth(self.raw)).status_code, 401
        )

    def test_a_verified_browser_session_may_use_the_api(self) -> None:
        login(self.client, self.professional)
        response = self.client.get("/api/v1/accounts/tokens")
        self.assertEqual(response.status_code, 200)
