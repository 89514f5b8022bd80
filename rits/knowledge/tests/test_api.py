"""The knowledge API: the same services and rules as the pages, problem+json on refusal."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from rits.knowledge.models import Meeting, Minutes, Practice, ProgressUpdate
from rits.knowledge.tests.base import KnowledgeTestCase
from rits.testing import login


class ApiTests(KnowledgeTestCase):
    def post(self, url: str, body: Mapping[str, object]) -> Any:
        return self.client.post(
            f"/api/v1/knowledge{url}", json.dumps(body), content_type="application/json"
        )

    def test_a_practice_through_the_api_with_unknown_theme_refused(self) -> None:
        login(self.client, self.facilitator)
        body = {
            "name": "Via API",
            "summary": "Kort.",
            "problem": "Een probleem.",
            "themes": ["onbekend"],
        }
        r = self.post("/practices", body)
        self.assertEqual(r.status_code, 422)
        self.assertEqual(r["Content-Type"], "application/problem+json")
        self.assertIn("onbekend", r.content.decode())
        body["themes"] = ["opvoeden"]
        body["evidence"] = "effective"
        self.assertEqual(self.post("/practices", body).status_code, 422)
        body["evidence"] = "local"
        r = self.post("/practices", body)
        self.assertEqual(r.status_code, 201)
        self.assertEqual(r.json()["themes"], ["opvoeden"])

    def test_the_fit_check_and_a_report_through_the_api(self) -> None:
        login(self.client, self.coordinator)
        first = self.practice.conditions.first()
        assert first is not None
        r = self.post(
            f"/practices/{self.practice.pk}/fit-checks",
            {"municipality": "GM0917", "met": [first.pk]},
        )
        self.assertEqual(r.status_code, 201)
        self.assertEqual([c["id"] for c in r.json()["met"]], [first.pk])
        r = self.post(
            f"/practices/{self.practice.pk}/reports", {"region": "JZ41", "result": "Goed."}
        )
        self.assertEqual(r.status_code, 201)
        r = self.post(
            f"/practices/{self.practice.pk}/reports", {"region": "JZ99", "result": "Goed."}
        )
        self.assertEqual(r.status_code, 422)

    def test_networks_are_hidden_from_outsiders_in_the_api(self) -> None:
        login(self.client, self.outsider)
        self.assertEqual(
            self.client.get(f"/api/v1/knowledge/networks/{self.network.pk}").status_code, 404
        )
        self.assertEqual(self.client.get("/api/v1/knowledge/networks").json(), [])
        r = self.post(f"/networks/{self.network.pk}/updates", {"working_on": "x"})
        self.assertEqual(r.status_code, 404)
        self.assertFalse(ProgressUpdate.objects.exists())

    def test_final_minutes_answer_409_to_a_change(self) -> None:
        login(self.client, self.facilitator)
        r = self.post(
            f"/networks/{self.network.pk}/meetings",
            {"title": "API", "starts_at": (timezone.now() + timedelta(days=2)).isoformat()},
        )
        self.assertEqual(r.status_code, 201)
        meeting = Meeting.objects.get()
        url = f"/api/v1/knowledge/meetings/{meeting.pk}/minutes"
        r = self.client.put(url, json.dumps({"text": "Concept."}), content_type="application/json")
        self.assertEqual(r.json()["status"], "draft")
        self.post(f"/meetings/{meeting.pk}/minutes/final", {})
        r = self.client.put(url, json.dumps({"text": "Anders."}), content_type="application/json")
        self.assertEqual(r.status_code, 409)
        self.assertEqual(Minutes.objects.get().text, "Concept.")

    def test_import_through_the_api_is_all_or_nothing(self) -> None:
        login(self.client, self.facilitator)
        rows = [
            {"name": "Goed", "summary": "x", "problem": "y"},
            {"name": "Fout", "summary": "x", "problem": "y", "evidence": "effective"},
        ]
        upload = SimpleUploadedFile("p.json", json.dumps({"practices": rows}).encode())
        r = self.client.post("/api/v1/knowledge/practices/import", {"file": upload})
        self.assertEqual(r.status_code, 422)
        self.assertEqual(r.json()["errors"][0]["loc"], ["file", 2])
        self.assertFalse(Practice.objects.filter(name="Goed").exists())

    def test_search_through_the_api(self) -> None:
        login(self.client, self.parent)
        r = self.client.get("/api/v1/knowledge/search", {"q": "huiswerk"})
        self.assertEqual([d["title"] for d in r.json()["results"]], ["Huiswerkmaatje"])
        self.assertEqual(
            self.client.get("/api/v1/knowledge/search", {"theme": "nope"}).status_code, 422
        )
