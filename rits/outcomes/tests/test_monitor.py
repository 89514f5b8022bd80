"""The policy officer's monitor: pages, exports and the API, who may read which area,
and that every read is audited for policy."""

from __future__ import annotations

import csv
import io
from typing import Any
from unittest import mock

from openpyxl import load_workbook

from rits.accounts.services import create_token
from rits.audit.models import Entry
from rits.outcomes import services
from rits.outcomes.models import Figure
from rits.outcomes.tests.base import WorldTestCase
from rits.outcomes.tests.fixtures import TODAY
from rits.testing import AuditAssertions, login


class MonitorTestCase(AuditAssertions, WorldTestCase):
    def setUp(self) -> None:
        super().setUp()
        patcher = mock.patch("rits.outcomes.periods.today", return_value=TODAY)
        patcher.start()
        self.addCleanup(patcher.stop)
        services.refresh_figures(today=TODAY)


class PageTests(MonitorTestCase):
    def test_policy_officer_opens_on_their_municipality(self) -> None:
        login(self.client, self.municipality_officer)
        response = self.client.get("/monitor/")
        self.assertRedirects(response, "/monitor/GM0917/", fetch_redirect_response=False)

    def test_dashboard_shows_figures_next_to_region_and_country(self) -> None:
        login(self.client, self.municipality_officer)
        response = self.client.get("/monitor/GM0917/?periode=2026-06")
        self.assertContains(response, "Monitor Heerlen")
        self.assertContains(response, "Zuid-Limburg")
        self.assertContains(response, "Nederland")
        self.assertContains(response, "Cijfers van 15 juni 2026.")
        self.assertContains(response, "&lt; 10")  # every count here is small
        self.assertContains(response, "2 weken")  # Heerlen's median waiting time
        self.assertContains(response, "Nog niet beschikbaar")  # the seams
        self.assert_audited(
            "outcomes.monitor_viewed", actor=self.municipality_officer, period="2026-06"
        )
        entry = Entry.objects.filter(event="outcomes.monitor_viewed").get()
        self.assertEqual(entry.purpose, "policy")

    def test_region_admin_sees_the_municipalities_side_by_side(self) -> None:
        login(self.client, self.admin)
        response = self.client.get("/monitor/JZ41/?periode=2026")
        self.assertContains(response, "Gemeenten van de regio")
        self.assertContains(response, "Landgraaf")

    def test_a_period_off_the_grid_or_in_the_future_is_a_clear_error(self) -> None:
        login(self.client, self.municipality_officer)
        for code in ("2026-13", "januari", "2026-01-01", "2027"):
            response = self.client.get(f"/monitor/GM0917/?periode={code}")
            self.assertEqual(response.status_code, 400, code)
            self.assertContains(
                response, "periode" if code != "2027" else "nog niet begonnen", status_code=400
            )

    def test_municipality_staff_do_not_see_another_municipality_or_region(self) -> None:
        login(self.client, self.municipality_officer)
        for code in ("GM0882", "JZ01", "GM0363"):
            self.assertEqual(self.client.get(f"/monitor/{code}/").status_code, 404, code)
        self.assertEqual(self.client.get("/monitor/JZ41/").status_code, 200)
        self.assertEqual(self.client.get("/monitor/NL/").status_code, 200)

    def test_outsiders_and_families_get_404(self) -> None:
        for user in (self.outsider, self.professional, self.parent, self.privacy_officer):
            login(self.client, user)
            for url in ("/monitor/", "/monitor/GM0917/", "/monitor/GM0917/export.xlsx"):
                self.assertEqual(self.client.get(url).status_code, 404, (user, url))
        self.assertFalse(Entry.objects.filter(event__startswith="outcomes.monitor").exists())

    def test_researchers_read_the_figures_of_any_area(self) -> None:
        login(self.client, self.researcher)
        self.assertEqual(self.client.get("/monitor/GM0363/").status_code, 200)

    def test_the_home_page_links_to_the_monitor(self) -> None:
        login(self.client, self.municipality_officer)
        response = self.client.get("/")
        self.assertContains(response, 'href="/monitor/"')
        self.assertNotContains(response, "volgt hier")


class ExportTests(MonitorTestCase):
    def test_every_table_as_csv_with_the_page_texts(self) -> None:
        login(self.client, self.municipality_officer)
        for name in ("indicatoren", "gemeenten", "themas", "verloop"):
            response = self.client.get(f"/monitor/GM0917/export.csv?periode=2026-06&tabel={name}")
            self.assertEqual(response.status_code, 200, name)
            rows = list(csv.reader(io.StringIO(response.content.decode())))
            self.assertGreater(len(rows), 1, name)
        body = self.client.get("/monitor/GM0917/export.csv?periode=2026-06").content.decode()
        self.assertIn("< 10", body)
        self.assert_audited("outcomes.figures_exported", count=5)

    def test_xlsx_has_a_sheet_per_table(self) -> None:
        login(self.client, self.admin)
        response = self.client.get("/monitor/JZ41/export.xlsx?periode=2026")
        book = load_workbook(io.BytesIO(response.content))
        self.assertEqual(book.sheetnames, ["Indicatoren", "Gemeenten", "Per thema", "Verloop"])
        values = [c for row in book["Gemeenten"].iter_rows(values_only=True) for c in row]
        self.assertIn("Landgraaf", values)

    def test_unknown_table_or_format_is_404(self) -> None:
        login(self.client, self.municipality_officer)
        self.assertEqual(self.client.get("/monitor/GM0917/export.csv?tabel=x").status_code, 404)
        self.assertEqual(self.client.get("/monitor/GM0917/export.pdf").status_code, 404)


class ApiTests(MonitorTestCase):
    def token(self, user: Any) -> dict[str, Any]:
        _token, raw = create_token(user, "test")  # type: ignore[arg-type]
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def test_figures_of_an_area_with_its_comparisons(self) -> None:
        response = self.client.get(
            "/api/v1/outcomes/areas/GM0917/figures?period=2026-06",
            **self.token(self.municipality_officer),
        )
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(data["figures_as_of"], "2026-06-15")
        median = {f["area"]: f for f in data["figures"] if f["indicator"] == "wait_median"}
        self.assertEqual(median["GM0917"]["value"], 2.0)
        self.assertEqual(median["JZ41"]["value"], 4.0)
        signals = {f["area"]: f for f in data["figures"] if f["indicator"] == "signals"}
        self.assertEqual(signals["GM0917"]["value"], 0)  # none in June: zero tells of no one
        quarter = self.client.get(
            "/api/v1/outcomes/areas/GM0917/figures?period=2026-K1",
            **self.token(self.municipality_officer),
        ).json()
        signals = {f["area"]: f for f in quarter["figures"] if f["indicator"] == "signals"}
        self.assertEqual(signals["GM0917"], {**signals["GM0917"], "value": None, "text": "< 10"})
        self.assert_audited("outcomes.figures_read", actor=self.municipality_officer, count=2)

    def test_bad_period_is_422_and_foreign_area_404(self) -> None:
        auth = self.token(self.municipality_officer)
        bad = self.client.get("/api/v1/outcomes/areas/GM0917/figures?period=2040", **auth)
        self.assertEqual(bad.status_code, 422)
        self.assertEqual(bad["Content-Type"], "application/problem+json")
        for code in ("GM0882", "GM9999", "XX"):
            response = self.client.get(f"/api/v1/outcomes/areas/{code}/figures", **auth)
            self.assertEqual(response.status_code, 404, code)

    def test_registry_lists_every_indicator(self) -> None:
        response = self.client.get(
            "/api/v1/outcomes/indicators", **self.token(self.municipality_officer)
        )
        codes = {i["code"]: i for i in response.json()}
        self.assertFalse(codes["network_updates"]["available"])
        self.assertTrue(codes["crisis_hours"]["available"])
        self.assertTrue(codes["goals_reached"]["available"])


class RefreshTests(MonitorTestCase):
    def test_refresh_is_idempotent(self) -> None:
        before = sorted(
            Figure.objects.values_list(
                "indicator",
                "area_code",
                "breakdown",
                "period_start",
                "period_kind",
                "status",
                "value",
                "base",
            )
        )
        services.refresh_figures(today=TODAY)
        after = sorted(
            Figure.objects.values_list(
                "indicator",
                "area_code",
                "breakdown",
                "period_start",
                "period_kind",
                "status",
                "value",
                "base",
            )
        )
        self.assertEqual(before, after)
        self.assert_audited("outcomes.figures_refreshed", actor=None, count=2)
