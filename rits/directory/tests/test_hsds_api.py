"""The HSDS 3.0 endpoints: every response validates against the official JSON Schemas
(copied in rits/directory/hsds/schema), and the standard parameters work."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from rits.directory import hsds
from rits.directory.hsds.documents import TAXONOMY_ID
from rits.directory.models import Service
from rits.directory.tests.base import DirectoryTestCase

PAGE_KEYS = {
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
}


class HsdsEndpointTests(DirectoryTestCase):
    def get(self, url: str, **params: Any) -> Any:
        response = Client().get(url, params)
        self.assertEqual(response.status_code, 200, response.content)
        return response.json()

    def assert_valid(self, kind: str, document: Any) -> None:
        self.assertEqual(hsds.errors(kind, document), [])

    def assert_valid_page(self, kind: str, body: dict[str, Any]) -> None:
        self.assertLessEqual(PAGE_KEYS, set(body))
        self.assertEqual(body["size"], len(body["contents"]))
        for item in body["contents"]:
            self.assert_valid(kind, item)

    def test_services_list_validates(self) -> None:
        body = self.get("/api/v1/services")
        self.assert_valid_page("service", body)
        self.assertEqual(body["total_items"], 3)

    def test_service_detail_validates_and_is_fully_nested(self) -> None:
        body = self.get(f"/api/v1/services/{self.autism.uuid}")
        self.assert_valid("service", body)
        self.assertEqual(body["schedules"][0]["byday"], "MO")
        self.assertEqual(body["schedules"][0]["opens_at"], "09:00")
        self.assertEqual(
            body["service_at_locations"][0]["location"]["addresses"][0]["city"], "Heerlen"
        )
        self.assertEqual(body["x_rits"]["wait_weeks"], 10)
        self.assertFalse(body["x_rits"]["wait_is_stale"])
        self.assertEqual(body["attributes"][0]["taxonomy_term"]["code"], "ontwikkeling")

    def test_a_waiting_time_older_than_30_days_is_stale(self) -> None:
        body = self.get(f"/api/v1/services/{self.anxiety.uuid}")
        self.assertTrue(body["x_rits"]["wait_is_stale"])

    def test_organizations_validate(self) -> None:
        body = self.get("/api/v1/organizations")
        self.assert_valid_page("organization", body)
        detail = self.get(f"/api/v1/organizations/{self.provider_a.uuid}")
        self.assert_valid("organization", detail)
        self.assertEqual(detail["locations"][0]["name"], "Kantoor Heerlen")

    def test_service_at_locations_validate(self) -> None:
        body = self.get("/api/v1/service_at_locations")
        self.assert_valid_page("service_at_location", body)
        self.assertEqual(body["total_items"], 1)
        item = body["contents"][0]
        self.assert_valid(
            "service_at_location", self.get(f"/api/v1/service_at_locations/{item['id']}")
        )

    def test_taxonomies_and_terms_validate(self) -> None:
        self.assert_valid_page("taxonomy", self.get("/api/v1/taxonomies"))
        self.assert_valid("taxonomy", self.get(f"/api/v1/taxonomies/{TAXONOMY_ID}"))
        terms = self.get("/api/v1/taxonomy_terms", per_page=100)
        self.assert_valid_page("taxonomy_term", terms)
        codes = {t["code"] for t in terms["contents"]}
        self.assertLessEqual({"opvoeden", "ggz", "lvb", "verslaving", "geld", "wonen-18"}, codes)
        one = self.get(f"/api/v1/taxonomy_terms/{self.themes['ggz'].uuid}")
        self.assert_valid("taxonomy_term", one)

    def test_search_and_paging_parameters(self) -> None:
        body = self.get("/api/v1/services", search="autisme")
        self.assertEqual([s["name"] for s in body["contents"]], ["Begeleiding bij autisme"])
        page = self.get("/api/v1/services", per_page=2, page=2)
        self.assertEqual((page["page_number"], page["size"], page["total_pages"]), (2, 1, 2))
        self.assertTrue(page["last_page"])
        self.assertFalse(page["first_page"])

    def test_taxonomy_term_and_organization_filters(self) -> None:
        body = self.get("/api/v1/services", taxonomy_term_id=str(self.themes["ggz"].uuid))
        self.assertEqual([s["name"] for s in body["contents"]], ["Jeugd-GGZ: angst en somberheid"])
        body = self.get("/api/v1/services", organization_id=str(self.provider_a.uuid))
        self.assertEqual(body["total_items"], 2)
        sal = self.get("/api/v1/service_at_locations", organization_id=str(self.provider_b.uuid))
        self.assertEqual(sal["total_items"], 0)

    def test_modified_after(self) -> None:
        Service.objects.filter(pk=self.autism.pk).update(
            updated_at=timezone.now() + timedelta(days=1)
        )
        since = (timezone.now() + timedelta(hours=1)).isoformat()
        body = self.get("/api/v1/services", modified_after=since)
        self.assertEqual([s["name"] for s in body["contents"]], ["Begeleiding bij autisme"])

    def test_rits_filters(self) -> None:
        body = self.get("/api/v1/services", municipality="GM0986", age=10, language="en")
        self.assertEqual([s["name"] for s in body["contents"]], ["Jeugd-GGZ: angst en somberheid"])
        body = self.get("/api/v1/services", open_now="true", at="2026-03-10T10:00:00")
        self.assertEqual([s["name"] for s in body["contents"]], ["Begeleiding bij autisme"])

    def test_opening_endpoint(self) -> None:
        body = self.get(f"/api/v1/services/{self.autism.uuid}/opening", at="2026-03-13T16:00:00")
        self.assertTrue(body["is_open"])
        self.assertEqual(body["until"], "2026-03-13T17:00:00+01:00")
        self.assertEqual(body["next_opening"], "2026-03-16T09:00:00+01:00")

    def test_inactive_and_unknown_services_are_not_found(self) -> None:
        for key in (self.closed.uuid, "6a2f41a3-c54c-4ce8-92d2-0324e1c32e22"):
            response = Client().get(f"/api/v1/services/{key}")
            self.assertEqual(response.status_code, 404)
            self.assertEqual(response["Content-Type"], "application/problem+json")


class HsdsBadInputTests(DirectoryTestCase):
    def problem(self, url: str, status: int, **params: Any) -> dict[str, Any]:
        response = Client().get(url, params)
        self.assertEqual(response.status_code, status, response.content)
        self.assertEqual(response["Content-Type"], "application/problem+json")
        body: dict[str, Any] = response.json()
        return body

    def test_unknown_municipality_code(self) -> None:
        body = self.problem("/api/v1/services", 422, municipality="GM9999")
        self.assertIn("GM9999", body["title"])

    def test_impossible_age_and_page_size(self) -> None:
        self.problem("/api/v1/services", 422, age=-1)
        self.problem("/api/v1/services", 422, age=200)
        self.problem("/api/v1/services", 422, per_page=0)
        self.problem("/api/v1/services", 422, per_page=1000)

    def test_oversized_query(self) -> None:
        self.problem("/api/v1/services", 422, search="x" * 201)

    def test_unknown_references(self) -> None:
        self.problem(
            "/api/v1/services", 422, taxonomy_term_id="6a2f41a3-c54c-4ce8-92d2-0324e1c32e22"
        )
        self.problem("/api/v1/services", 422, language="xx")
        self.problem("/api/v1/services", 422, organization_id="not-a-uuid")
