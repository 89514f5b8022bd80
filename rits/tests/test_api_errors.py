"""Every API error is application/problem+json, whatever went wrong."""

from rits.accounts.models import Membership
from rits.accounts.services import create_token
from rits.audit.models import Entry
from rits.involvement.models import Signal
from rits.testing import RitsTestCase, login


class ApiErrorTests(RitsTestCase):
    def assert_problem(self, response, status: int) -> dict:  # type: ignore[no-untyped-def]
        self.assertEqual(response.status_code, status)
        self.assertEqual(response["Content-Type"], "application/problem+json")
        body = response.json()
        self.assertEqual(body["status"], status)
        self.assertTrue(body["title"])
        return body

    def test_unknown_municipality_is_a_404_problem(self) -> None:
        self.assert_problem(self.client.get("/api/v1/regions/municipalities/GM9999"), 404)

    def test_missing_credentials_is_a_401_problem(self) -> None:
        response = self.client.get("/api/v1/accounts/me")
        self.assert_problem(response, 401)
        self.assertIn("Bearer", response["WWW-Authenticate"])

    def test_malformed_token_is_a_401_problem(self) -> None:
        response = self.client.get(
            "/api/v1/accounts/me", headers={"Authorization": "Bearer not-a-token"}
        )
        self.assert_problem(response, 401)

    def test_unverified_session_is_not_enough(self) -> None:
        login(self.client, self.professional, verified=False)
        self.assert_problem(self.client.get("/api/v1/accounts/me"), 401)

    def test_verified_session_works(self) -> None:
        login(self.client, self.professional)
        response = self.client.get("/api/v1/accounts/me")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["email"], self.professional.email)


class MalformedBodyTests(RitsTestCase):
    """A body that is not JSON, or JSON of the wrong shape, is refused before any service runs."""

    def setUp(self) -> None:
        Membership.objects.create(
            user=self.professional, organisation=self.org_a, role=Membership.Role.INDEX_REPORTER
        )
        self.token = create_token(self.professional, name="test")[1]

    def post(self, body: str):  # type: ignore[no-untyped-def]
        return self.client.post(
            "/api/v1/involvement/signals",
            data=body,
            content_type="application/json",
            headers={"Authorization": f"Bearer {self.token}"},
        )

    def counts(self) -> tuple[int, int]:
        return Signal.objects.count(), Entry.objects.filter(
            event__startswith="involvement."
        ).count()

    def test_a_body_that_is_not_json_is_a_400_problem(self) -> None:
        before = self.counts()
        response = self.post('{"bsn": "1234')
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response["Content-Type"], "application/problem+json")
        self.assertEqual(self.counts(), before)

    def test_json_of_the_wrong_shape_is_a_422_problem(self) -> None:
        before = self.counts()
        response = self.post('["not", "an", "object"]')
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response["Content-Type"], "application/problem+json")
        self.assertTrue(response.json()["errors"])
        self.assertEqual(self.counts(), before)
