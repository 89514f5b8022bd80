"""GET /api/v1/audit/entries: the same search as the page, for privacy officers only."""

from __future__ import annotations

import random

from rits.accounts.models import ApiToken, User
from rits.audit.models import Entry
from rits.audit.services import record
from rits.lib.pseudonyms import pseudonymise_bsn, synthetic_bsn
from rits.testing import RitsTestCase

URL = "/api/v1/audit/entries"


def bearer(user: User) -> dict[str, str]:
    raw = f"{ApiToken.PREFIX}{user.pk}-audit-test-token-0123456789"
    ApiToken.objects.create(user=user, name="test", token_hash=ApiToken.hash(raw), hint=raw[:9])
    return {"Authorization": f"Bearer {raw}"}


class TrailApiTest(RitsTestCase):
    bsn: str
    pseudonym: str
    entry: Entry

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.bsn = synthetic_bsn(random.Random(2026))
        cls.pseudonym = pseudonymise_bsn(cls.bsn)
        cls.entry = record(
            cls.professional,
            "audit.chain_verified",
            subject=cls.pseudonym,
            object_label="Gezinsplan Jansen",
            purpose=Entry.Purpose.CARE,
        )
        record(cls.outsider, "audit.trail_exported", outcome=Entry.Outcome.DENIED)

    def test_it_returns_the_matching_entries_to_a_privacy_officer(self) -> None:
        response = self.client.get(
            URL, {"subject": self.pseudonym}, headers=bearer(self.privacy_officer)
        )

        self.assertEqual(response.status_code, 200)
        body = response.json()
        self.assertEqual(body["count"], 1)
        self.assertEqual(body["page"], 1)
        self.assertEqual(body["per_page"], 50)
        result = body["results"][0]
        self.assertEqual(result["id"], self.entry.pk)
        self.assertEqual(result["event_label"], "Logging-keten gecontroleerd")
        self.assertEqual(result["user"], "Pim Professional <hulpverlener@test.rits.nl>")
        self.assertEqual(result["purpose"], "care")
        self.assertEqual(result["entry_hash"], self.entry.entry_hash)

    def test_it_accepts_a_bsn_and_never_returns_or_stores_it(self) -> None:
        response = self.client.get(URL, {"subject": self.bsn}, headers=bearer(self.privacy_officer))

        self.assertEqual(response.json()["count"], 1)
        self.assertEqual(response.json()["filters"]["subject"], self.pseudonym)
        self.assertNotIn(self.bsn, response.content.decode())
        searched = Entry.objects.filter(event="audit.trail_searched").latest("id")
        self.assertEqual(searched.channel, "api")
        self.assertEqual(searched.subject, self.pseudonym)
        self.assertEqual(searched.data["filters"]["subject"], self.pseudonym)
        self.assertTrue(searched.data["filters"]["subject_from_bsn"])

    def test_it_refuses_a_failing_bsn_as_problem_json_without_echoing_it(self) -> None:
        wrong = self.bsn[:-1] + str((int(self.bsn[-1]) + 1) % 10)

        response = self.client.get(URL, {"subject": wrong}, headers=bearer(self.privacy_officer))

        self.assertEqual(response.status_code, 422)
        self.assertEqual(response["Content-Type"], "application/problem+json")
        self.assertNotIn(wrong, response.content.decode())

    def test_it_filters_by_outcome_and_user(self) -> None:
        response = self.client.get(
            URL,
            {"outcome": "denied", "user": "buitenstaander@test.rits.nl"},
            headers=bearer(self.privacy_officer),
        )

        self.assertEqual([r["event"] for r in response.json()["results"]], ["audit.trail_exported"])

    def test_it_answers_404_for_a_page_past_the_end(self) -> None:
        response = self.client.get(URL, {"page": 9}, headers=bearer(self.privacy_officer))

        self.assertEqual(response.status_code, 404)

    def test_it_hides_the_trail_from_everyone_else_with_404(self) -> None:
        for user in (self.professional, self.outsider, self.municipality_officer, self.admin):
            with self.subTest(user=user.email):
                response = self.client.get(URL, headers=bearer(user))
                self.assertEqual(response.status_code, 404)
                self.assertEqual(response["Content-Type"], "application/problem+json")
        self.assertFalse(Entry.objects.filter(event="audit.trail_searched").exists())

    def test_it_refuses_anonymous_callers(self) -> None:
        response = self.client.get(URL)

        self.assertEqual(response.status_code, 401)

    def test_it_offers_no_write_methods(self) -> None:
        headers = bearer(self.privacy_officer)
        for method in ("post", "put", "patch", "delete"):
            with self.subTest(method=method):
                response = getattr(self.client, method)(URL, headers=headers)
                self.assertEqual(response.status_code, 405)
        self.assertEqual(Entry.objects.get(pk=self.entry.pk).entry_hash, self.entry.entry_hash)
