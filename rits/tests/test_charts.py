"""The SVG charts: what is drawn matches the figures given, and a hidden figure is never
drawn as a value."""

from __future__ import annotations

import re

from django.test import SimpleTestCase

from rits.lib import charts


class LineChartTests(SimpleTestCase):
    def test_a_point_per_known_value_and_a_break_at_a_hidden_one(self) -> None:
        svg = charts.line_chart(
            "Plannen per kwartaal",
            "Heerlen en de regio",
            ["2026 K1", "2026 K2", "2026 K3", "2026 K4"],
            [
                charts.Series("Heerlen", [12, None, 15, 18]),
                charts.Series("Regio", [40, 42, 45, 47]),
            ],
        )

        self.assertEqual(svg.count("<circle"), 7)
        # Heerlen's line breaks at the hidden quarter: one run of a single point is no line.
        self.assertEqual(svg.count("<polyline"), 2)
        self.assertIn("<title>Heerlen, 2026 K3: 15</title>", svg)
        self.assertNotIn("Heerlen, 2026 K2", svg)
        self.assertIn('role="img"', svg)
        self.assertIn("<desc>Heerlen en de regio</desc>", svg)

    def test_the_axis_runs_from_zero_to_a_round_ceiling(self) -> None:
        self.assertEqual(charts.nice_ceiling(47), 50)
        self.assertEqual(charts.nice_ceiling(55), 60)
        self.assertAlmostEqual(charts.nice_ceiling(0.33), 0.4)
        self.assertEqual(charts.nice_ceiling(0), 1)
        svg = charts.line_chart("t", "d", ["a", "b"], [charts.Series("s", [1234.5, 2000])])
        self.assertIn(">2\u202f000<", svg)  # the top gridline, written the Dutch way

    def test_labels_and_names_are_escaped(self) -> None:
        svg = charts.line_chart("<t>", "<d>", ["<a>"], [charts.Series("<s>", [1])])
        self.assertNotIn("<s>", svg)
        self.assertIn("&lt;s&gt;", svg)


class BarChartTests(SimpleTestCase):
    def test_a_bar_per_known_value_and_words_for_a_hidden_one(self) -> None:
        svg = charts.bar_chart(
            "Matches",
            "Per gemeente",
            [("Heerlen", 30), ("Landgraaf", None), ("Voerendaal", 12.5)],
            hidden="< 10",
            highlight="Heerlen",
        )

        widths = [float(w) for w in re.findall(r'<rect x="\d+" y="[\d.]+" width="([\d.]+)"', svg)]
        self.assertEqual(len(widths), 2)
        self.assertAlmostEqual(widths[1] / widths[0], 12.5 / 30, places=2)
        self.assertIn("&lt; 10", svg)
        self.assertIn(">12,5<", svg)
        self.assertIn(charts.PALETTE[1], svg)  # Heerlen stands out
