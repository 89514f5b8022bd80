"""The monitor's map, trend and comparison: one shape per municipality, shaded only
where a figure may be shown, with the same figures as the table beside it."""

from __future__ import annotations

import html
import re

from rits.outcomes.tests.test_monitor import MonitorTestCase
from rits.testing import login


def shapes(svg: str) -> dict[str, str]:
    """GM code → the text a pointer or screen reader gets."""
    found = re.findall(r'data-code="(GM\d{4})"[^>]*><title>([^<]*)</title>', svg)
    return {code: html.unescape(text) for code, text in found}


class PictureTests(MonitorTestCase):
    def test_region_map_has_one_shape_per_municipality_that_matches_the_table(self) -> None:
        login(self.client, self.admin)
        response = self.client.get("/monitor/JZ41/?periode=2026-06&beeld=wait_median")
        body = response.content.decode()
        found = shapes(body)
        members = set(self.region.municipalities.values_list("code", flat=True))
        self.assertEqual(set(found), members)
        self.assertEqual(found["GM0917"], "Heerlen: 2 weken")
        self.assertEqual(found["GM0882"], "Landgraaf: 4 weken")
        # The table beside the map says the same.
        self.assertRegex(body, r"<th scope=\"row\">Heerlen</th><td>2 weken</td>")
        self.assertIn("Hoogste: Landgraaf (4 weken). Laagste: Heerlen (2 weken).", body)

    def test_a_small_number_is_not_shaded(self) -> None:
        login(self.client, self.municipality_officer)
        body = self.client.get("/monitor/GM0917/?periode=2026-K1&beeld=signals").content.decode()
        self.assertEqual(shapes(body)["GM0917"], "Heerlen: < 10")
        fill = re.search(r'data-code="GM0917" fill="([^"]+)"', body)
        assert fill is not None
        self.assertEqual(fill.group(1), "#f0f0f0")  # no data: the map shows no number
        self.assertIn("niet getoond", body)  # the bar chart says it in words

    def test_country_map_shades_only_the_regions_the_reader_may_see(self) -> None:
        login(self.client, self.municipality_officer)
        body = self.client.get("/monitor/NL/?periode=2026-06&beeld=wait_median").content.decode()
        found = shapes(body)
        self.assertEqual(len(found), 342)
        self.assertEqual(found["GM0917"], "Heerlen: 4 weken")  # the region's figure
        self.assertEqual(found["GM0363"], "Amsterdam")  # another region: no figure

    def test_trend_lines_with_their_table(self) -> None:
        login(self.client, self.municipality_officer)
        body = self.client.get(
            "/monitor/GM0917/?periode=2026-06&beeld=wait_median"
        ).content.decode()
        self.assertIn("Wachttijd (mediaan) door de tijd", body)
        self.assertIn('class="chart"', body)
