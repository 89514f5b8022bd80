"""The same flow through the JSON API: problems for bad input, 404 for outsiders."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from rits.dialogues import services
from rits.dialogues.models import DialogueTable, Finding, ImprovementAction, Kind
from rits.dialogues.tests.base import DialogueTestCase, leaked
from rits.testing import login

API = "/api/v1/dialogues"


class ApiTests(DialogueTestCase):
    def post(self, url: str, data: object, method: str = "post") -> Any:
        return getattr(self.client, method)(API + url, data, content_type="application/json")

    def test_the_flow_through_the_api(self) -> None:
        trajectory = self.propose()
        login(self.client, self.parent)
        r = self.post(f"/trajectories/{trajectory.pk}/consent", {})
        self.assertEqual(r.json()["missing"], ["youth"])  # type: ignore[attr-defined]
        login(self.client, self.youth)
        self.assertTrue(self.post(f"/trajectories/{trajectory.pk}/consent", {}).json()["complete"])  # type: ignore[attr-defined]
        login(self.client, self.facilitator)
        r = self.post(
            "/tables", {"kind": "case", "title": "Tafel", "trajectory_ids": [trajectory.pk]}
        )
        self.assertEqual(r.status_code, 201, r.content)  # type: ignore[attr-defined]
        table_id = r.json()["id"]  # type: ignore[attr-defined]
        r = self.post(
            f"/tables/{table_id}/participants", {"email": self.professional.email, "role": "chair"}
        )
        self.assertEqual(r.status_code, 400)  # type: ignore[attr-defined]
        self.assertEqual(r["Content-Type"], "application/problem+json")  # type: ignore[index]
        r = self.post(
            f"/tables/{table_id}/participants", {"email": self.chair.email, "role": "chair"}
        )
        self.assertEqual(r.status_code, 201)  # type: ignore[attr-defined]
        r = self.post(f"/tables/{table_id}/account", {})
        self.assertEqual(r.status_code, 201)  # type: ignore[attr-defined]
        self.assertEqual(leaked(r.json()["text"]), [])  # type: ignore[attr-defined]
        r = self.post(
            f"/tables/{table_id}/account", {"text": "Petra vertelt.", "version": 1}, method="patch"
        )
        self.assertEqual(r.json()["text"], "ouder vertelt.")  # type: ignore[attr-defined]
        self.post(f"/tables/{table_id}/account/release", {})
        self.post(f"/tables/{table_id}/held", {"held_on": timezone.localdate().isoformat()})
        login(self.client, self.chair)
        self.assertIsNotNone(self.client.get(f"{API}/tables/{table_id}").json()["account"])
        code = self.code(Kind.IMPROVEMENT)
        r = self.post(
            f"/tables/{table_id}/findings",
            {"text": "Eén plan", "phase": "plan", "view": "shared", "code_ids": [code.pk]},
        )
        self.assertEqual(r.status_code, 201, r.content)  # type: ignore[attr-defined]
        finding_id = r.json()["id"]  # type: ignore[attr-defined]
        r = self.post(
            f"/findings/{finding_id}/actions",
            {
                "what": "Afspraak",
                "owner_organisation_id": self.org_a.pk,
                "owner_email": self.professional.email,
                "due_date": (timezone.localdate() - timedelta(days=1)).isoformat(),
            },
        )
        self.assertEqual(r.status_code, 400)  # type: ignore[attr-defined]
        self.assertFalse(ImprovementAction.objects.exists())
        r = self.post(
            f"/findings/{finding_id}/actions",
            {
                "what": "Afspraak",
                "owner_organisation_id": self.org_a.pk,
                "owner_email": self.professional.email,
                "due_date": (timezone.localdate() + timedelta(days=5)).isoformat(),
            },
        )
        action_id = r.json()["id"]  # type: ignore[attr-defined]
        login(self.client, self.professional)
        self.assertEqual(len(self.client.get(f"{API}/actions").json()), 1)
        r = self.post(f"/actions/{action_id}", {"status": "done"}, method="patch")
        self.assertEqual(r.status_code, 400)  # a result is needed  # type: ignore[attr-defined]
        r = self.post(
            f"/actions/{action_id}", {"status": "done", "result": "Gedaan"}, method="patch"
        )
        self.assertEqual(r.json()["status"], "done")  # type: ignore[attr-defined]
        login(self.client, self.municipality_officer)
        r = self.client.get(f"{API}/synthesis")
        self.assertEqual(r.json()["counts"], [])  # one table: below five
        self.assertEqual(self.client.get(f"{API}/agreement").status_code, 404)

    def test_outsiders_get_404(self) -> None:
        table = self.open_table()
        finding = services.record_finding(
            table,
            actor=self.chair,
            text="x",
            phase="help",
            view="shared",
            codes=[self.code(Kind.IMPROVEMENT)],
        )
        login(self.client, self.outsider)
        for url in (
            f"/tables/{table.pk}",
            f"/tables/{table.pk}/findings",
            "/codebook",
            "/synthesis",
        ):
            with self.subTest(url):
                self.assertEqual(self.client.get(API + url).status_code, 404)
        r = self.post(
            f"/findings/{finding.pk}/actions",
            {
                "what": "x",
                "owner_organisation_id": 1,
                "owner_email": "a@b.nl",
                "due_date": "2030-01-01",
            },
        )
        self.assertEqual(r.status_code, 404)  # type: ignore[attr-defined]
        self.assertEqual(Finding.objects.count(), 1)
        self.assertEqual(DialogueTable.objects.count(), 1)

    def test_a_code_of_another_region_is_a_400(self) -> None:
        from rits.dialogues.models import Code

        table = self.open_table()
        login(self.client, self.chair)
        foreign = Code.objects.exclude(region=self.region).first()
        assert foreign is not None
        r = self.post(
            f"/tables/{table.pk}/findings",
            {"text": "x", "phase": "plan", "view": "shared", "code_ids": [foreign.pk]},
        )
        self.assertEqual(r.status_code, 400)  # type: ignore[attr-defined]
        self.assertFalse(Finding.objects.exists())
