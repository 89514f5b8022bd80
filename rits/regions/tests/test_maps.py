"""The SVG maps: one shape per municipality, dots where the locations are, links and
fills as given, and the point-in-municipality lookup."""

from __future__ import annotations

import re

from django.test import TestCase

from rits.regions import maps
from rits.regions.models import Municipality


def shapes(svg: str) -> list[str]:
    return re.findall(r'<path d="[^"]+" data-code="(GM\d{4})"', svg)


class MapTests(TestCase):
    def test_the_country_has_one_shape_per_municipality(self) -> None:
        codes = list(Municipality.objects.values_list("code", flat=True))
        svg = maps.Map("Nederland", "Alle gemeenten", codes).svg()

        self.assertEqual(sorted(shapes(svg)), sorted(codes))
        self.assertEqual(len(codes), 342)
        self.assertIn('role="img"', svg)
        self.assertNotIn("map-context", svg)  # nothing lies around the whole country

    def test_a_region_shows_its_own_municipalities_and_pale_neighbours(self) -> None:
        codes = list(
            Municipality.objects.filter(region__code="JZ41").values_list("code", flat=True)
        )
        svg = maps.Map("Parkstad", "De gemeenten van Parkstad", codes).svg()

        self.assertEqual(sorted(shapes(svg)), sorted(codes))
        self.assertIn("GM0917", codes)
        context = svg.split('<g class="map-context" aria-hidden="true">')[1].split("</g>")[0]
        self.assertGreater(context.count("<path"), 0)
        self.assertNotIn("data-code", context)

    def test_fills_labels_links_and_dots_are_drawn_as_given(self) -> None:
        svg = maps.Map(
            "Parkstad",
            "Wachttijd per gemeente",
            ["GM0917", "GM0882"],
            fills={"GM0917": maps.SHADES[4]},
            labels={"GM0917": "Heerlen: 6 weken <b>"},
            links={"GM0882": "/sociale-kaart/?gemeente=GM0882&q=a"},
            dots=[maps.Dot(5.98, 50.89, "Locatie A"), maps.Dot(6.05, 50.90, "Locatie B", "/x/")],
        ).svg()

        self.assertIn(f'data-code="GM0917" fill="{maps.SHADES[4]}"', svg)
        self.assertIn(f'data-code="GM0882" fill="{maps.NO_DATA}"', svg)
        self.assertIn("<title>Heerlen: 6 weken &lt;b&gt;</title>", svg)
        self.assertIn(
            '<a href="/sociale-kaart/?gemeente=GM0882&amp;q=a" aria-label="Landgraaf">', svg
        )
        self.assertEqual(svg.count('class="map-dot"'), 2)
        self.assertIn('role="group"', svg)

    def test_two_maps_on_one_page_have_ids_of_their_own(self) -> None:
        first = maps.Map("A", "a", ["GM0917"]).svg()
        second = maps.Map("B", "b", ["GM0917"], dom_id="areas").svg()

        self.assertIn('aria-labelledby="map-title" aria-describedby="map-desc"', first)
        self.assertIn('<title id="areas-title">B</title><desc id="areas-desc">b</desc>', second)

    def test_a_point_is_found_in_its_municipality(self) -> None:
        self.assertEqual(maps.locate(5.981, 50.888), "GM0917")  # Heerlen centre
        self.assertEqual(maps.locate(4.895, 52.370), "GM0363")  # Amsterdam, Dam
        self.assertIsNone(maps.locate(2.35, 48.85))  # Paris
        self.assertIsNone(maps.locate(3.0, 52.5))  # North Sea

    def test_shades_follow_the_class_bounds(self) -> None:
        bounds = maps.equal_bounds([0, 10, 20, 30, 40, 50])
        self.assertEqual(bounds, [10, 20, 30, 40])
        self.assertEqual(maps.shade(5, bounds), maps.SHADES[0])
        self.assertEqual(maps.shade(45, bounds), maps.SHADES[4])
        self.assertEqual(maps.shade(None, bounds), maps.NO_DATA)
        self.assertEqual([c for c, _ in maps.legend(bounds)], list(maps.SHADES))
