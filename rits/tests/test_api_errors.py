"""Every API error is application/problem+json, whatever went wrong."""

from rits.lib.testing import RitsTestCase, login


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
