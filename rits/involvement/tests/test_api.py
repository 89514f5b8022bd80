"""The JSON API runs the same services; errors are problem+json and never echo a BSN."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from rits.involvement.models import Signal
from rits.involvement.tests.base import BASE, ApiTestCase


class ApiTests(ApiTestCase):
    def test_register_returns_the_match_with_contact_details(self) -> None:
        bsn = self.bsn()
        self.assertEqual(
            self.post(self.professional, "/signals", self.payload(bsn)).status_code, 201
        )
        response = self.post(self.outsider, "/signals", self.payload(bsn))
        self.assertEqual(response.status_code, 201)
        body = response.json()
        self.assertEqual(body["matches"][0]["kind"], "client")
        names = {c["name"] for c in body["matches"][0]["contacts"]}
        self.assertEqual(names, {self.professional.full_name, self.outsider.full_name})
        self.assertNotIn(bsn, response.content.decode())
        self.assertNotIn("pseudonym", response.content.decode())

    def test_bad_input_is_a_422_problem_without_the_bsn(self) -> None:
        bsn = self.bsn()
        wrong = bsn[:-1] + str((int(bsn[-1]) + 1) % 10)
        too_long = (timezone.localdate() + timedelta(days=800)).isoformat()
        response = self.post(self.professional, "/signals", self.payload(wrong, ends_on=too_long))
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response["Content-Type"], "application/problem+json")
        fields = {e["loc"][-1] for e in response.json()["errors"]}
        self.assertEqual(fields, {"bsn", "ends_on"})
        self.assertNotIn(wrong, response.content.decode())
        self.assertFalse(Signal.objects.exists())

    def test_a_duplicate_is_a_422(self) -> None:
        bsn = self.bsn()
        self.post(self.professional, "/signals", self.payload(bsn))
        response = self.post(self.professional, "/signals", self.payload(bsn))
        self.assertEqual(response.status_code, 422)
        self.assertEqual(Signal.objects.count(), 1)

    def test_an_unauthorised_reporter_gets_403(self) -> None:
        response = self.post(self.municipality_officer, "/signals", self.payload(self.bsn()))
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response["Content-Type"], "application/problem+json")

    def test_it_hides_others_signals_with_404(self) -> None:
        signal = self.register(self.professional, self.bsn()).signal
        response = self.client.get(f"{BASE}/signals/{signal.pk}", headers=self.token(self.outsider))
        self.assertEqual(response.status_code, 404)
        mine = self.client.get(f"{BASE}/signals/{signal.pk}", headers=self.token(self.professional))
        self.assertEqual(mine.json()["reference"], signal.reference)

    def test_coordination_through_the_api(self) -> None:
        bsn = self.bsn()
        mine = self.register(self.professional, bsn).signal
        match = self.register(self.outsider, bsn).matches[0]
        response = self.post(
            self.outsider, f"/matches/{match.pk}/coordinator", {"signal_id": mine.pk}
        )
        self.assertEqual(response.status_code, 200)
        response = self.post(self.professional, f"/matches/{match.pk}/in-touch", {})
        self.assertEqual(response.json()["status"], "settled")
        outsider = self.post(self.coordinator, f"/matches/{match.pk}/in-touch", {})
        self.assertEqual(outsider.status_code, 404)

    def test_unresolved_matches_for_the_municipal_coordinator(self) -> None:
        bsn = self.bsn()
        self.register(self.professional, bsn)
        self.register(self.outsider, bsn)
        response = self.client.get(
            f"{BASE}/matches/unresolved", headers=self.token(self.heerlen_coordinator)
        )
        self.assertEqual(len(response.json()), 1)
        denied = self.client.get(
            f"{BASE}/matches/unresolved", headers=self.token(self.professional)
        )
        self.assertEqual(denied.status_code, 403)

    def test_bulk_import_reports_row_errors(self) -> None:
        content = (
            f"bsn,birth_date,municipality,parents_informed\n{self.bsn()},2015-01-01,GM9999,ja\n"
        )
        response = self.client.post(
            f"{BASE}/imports",
            {"file": SimpleUploadedFile("export.csv", content.encode())},
            headers=self.token(self.professional),
        )
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["errors"][0]["loc"], ["file", 1, "municipality"])
        self.assertFalse(Signal.objects.exists())

    def test_rights_overview_is_for_municipal_coordinators(self) -> None:
        bsn = self.bsn()
        self.register(self.professional, bsn)
        response = self.post(self.heerlen_coordinator, "/rights/overview", {"bsn": bsn})
        self.assertEqual([e["organisation"] for e in response.json()], [self.org_a.name])
        self.assertEqual(
            self.post(self.outsider, "/rights/overview", {"bsn": bsn}).status_code, 403
        )
