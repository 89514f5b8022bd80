"""Every indicator against the hand-counted world of ``base.WorldTestCase``."""

from __future__ import annotations

import dataclasses
from datetime import date

from rits.outcomes import figures, indicators, sources
from rits.outcomes.indicators import Suppression
from rits.outcomes.periods import PeriodKind
from rits.outcomes.tests.base import WorldTestCase
from rits.outcomes.tests.fixtures import TODAY

FIRST = date(2016, 1, 1)
D = date


class TallyTests(WorldTestCase):
    def tally(self, fn: object) -> set[tuple[str, date, int, int]]:
        code = {self.heerlen.pk: "H", self.landgraaf.pk: "L"}
        return {(code[m], month, a, b) for m, month, a, b in fn(FIRST, TODAY)}  # type: ignore[operator]

    def test_signals_by_municipality_and_month(self) -> None:
        self.assertEqual(
            self.tally(sources.signals),
            {("H", D(2026, 1, 1), 2, 0), ("H", D(2026, 2, 1), 1, 0), ("L", D(2026, 3, 1), 1, 0)},
        )

    def test_matches_belong_to_their_first_members_municipality(self) -> None:
        self.assertEqual(
            self.tally(sources.client_matches),
            {("H", D(2026, 2, 1), 1, 0), ("H", D(2026, 6, 1), 1, 0)},
        )
        self.assertEqual(self.tally(sources.family_matches), {("L", D(2026, 3, 1), 1, 0)})

    def test_coordinator_in_time_counts_only_matches_whose_deadline_passed(self) -> None:
        self.assertEqual(
            self.tally(sources.coordinator_on_time),
            {("H", D(2026, 2, 1), 1, 1), ("L", D(2026, 3, 1), 0, 1)},
        )

    def test_escalations(self) -> None:
        self.assertEqual(self.tally(sources.escalations), {("L", D(2026, 3, 1), 1, 0)})

    def test_plans_started(self) -> None:
        self.assertEqual(
            self.tally(sources.plans_started),
            {
                ("H", D(2026, 1, 1), 2, 0),
                ("L", D(2026, 2, 1), 1, 0),
                ("H", D(2025, 6, 1), 2, 0),
                ("L", D(2025, 6, 1), 1, 0),
                ("H", D(2024, 1, 1), 1, 0),
                ("L", D(2024, 1, 1), 1, 0),
            },
        )

    def test_days_from_first_signal_or_contact_to_plan(self) -> None:
        rows = self.tally(sources.days_to_plan)
        self.assertIn(("H", D(2026, 1, 1), 10, 1), rows)  # from the first signal about A
        self.assertIn(("H", D(2026, 1, 1), 20, 1), rows)  # from the first contact
        self.assertIn(("L", D(2026, 2, 1), 0, 1), rows)  # the signal came after the plan
        self.assertIn(("H", D(2025, 6, 1), 0, 2), rows)

    def test_family_as_coordinator(self) -> None:
        rows = self.tally(sources.family_coordinator)
        self.assertIn(("H", D(2026, 1, 1), 1, 2), rows)
        self.assertIn(("L", D(2026, 2, 1), 0, 1), rows)

    def test_goals_reached_of_goals_finished(self) -> None:
        self.assertEqual(
            self.tally(sources.goals_reached),
            {("H", D(2026, 3, 1), 1, 2), ("H", D(2026, 4, 1), 1, 1), ("L", D(2026, 4, 1), 0, 1)},
        )

    def test_youths_with_a_jim(self) -> None:
        rows = self.tally(sources.with_jim)
        self.assertIn(("H", D(2026, 1, 1), 1, 2), rows)
        self.assertIn(("H", D(2024, 1, 1), 1, 1), rows)
        self.assertIn(("L", D(2024, 1, 1), 0, 1), rows)

    def test_transition_checklist_by_the_month_of_the_18th_birthday(self) -> None:
        self.assertEqual(
            self.tally(sources.transition_complete),
            {
                ("H", D(2026, 2, 1), 1, 1),
                ("L", D(2026, 4, 1), 0, 1),
                ("H", D(2025, 9, 1), 0, 1),
                ("L", D(2025, 10, 1), 0, 1),
            },
        )

    def test_continuity_half_a_year_after_18(self) -> None:
        self.assertEqual(
            self.tally(sources.continuity_after_18),
            {("H", D(2026, 3, 1), 1, 1), ("L", D(2026, 4, 1), 0, 1)},
        )


class CellTests(WorldTestCase):
    """The cells, summed up to regions, quarters and years (suppression off here:
    ``test_suppression`` tries it)."""

    def cells(self, code: str) -> dict[tuple[str, str, str], tuple[str, float | None, int | None]]:
        indicator = dataclasses.replace(indicators.get(code), suppression=Suppression.NONE)
        return {
            (c.area[1], c.period.code, c.breakdown): (c.status, c.value, c.base)
            for c in figures.compute(indicator, TODAY)
        }

    def test_counts_add_up_to_region_country_quarter_and_year(self) -> None:
        cells = self.cells("signals")
        self.assertEqual(cells["GM0917", "2026-01", ""], ("shown", 2.0, None))
        self.assertEqual(cells["GM0917", "2026-K1", ""], ("shown", 3.0, None))
        self.assertEqual(cells["JZ41", "2026-K1", ""], ("shown", 4.0, None))
        self.assertEqual(cells["NL", "2026", ""], ("shown", 4.0, None))
        # Every municipality of the region has its cells, also without any signal.
        self.assertEqual(cells["GM0928", "2026", ""], ("shown", 0.0, None))
        self.assertNotIn(("GM0917", "2026-07", ""), cells)  # not begun yet

    def test_shares_are_whole_percentages_over_their_base(self) -> None:
        cells = self.cells("goals_reached")
        self.assertEqual(cells["GM0917", "2026-K1", ""], ("shown", 50.0, 2))
        self.assertEqual(cells["JZ41", "2026", ""], ("shown", 50.0, 4))
        self.assertEqual(cells["GM0882", "2026-03", ""], ("shown", None, 0))

    def test_median_of_days_to_a_plan(self) -> None:
        cells = self.cells("days_to_plan")
        self.assertEqual(cells["GM0917", "2026-01", ""], ("shown", 10.0, 2))
        self.assertEqual(cells["JZ41", "2026", ""], ("shown", 10.0, 3))
        self.assertEqual(cells["JZ41", "2025", ""], ("shown", 0.0, 3))

    def test_waiting_times_per_area_and_theme(self) -> None:
        median, p90, stale = (self.cells(c) for c in ("wait_median", "wait_p90", "wait_stale"))
        self.assertEqual(median["GM0917", "2026-06", ""], ("shown", 2.0, 2))
        self.assertEqual(median["GM0882", "2026-06", ""], ("shown", 4.0, 2))
        self.assertEqual(median["JZ41", "2026-06", ""], ("shown", 4.0, 3))
        self.assertEqual(p90["JZ41", "2026-K2", ""], ("shown", 10.0, 3))
        self.assertEqual(median["GM0917", "2026", self.theme1.code], ("shown", 2.0, 2))
        self.assertEqual(stale["GM0917", "2026-06", ""], ("shown", 67.0, 3))
        self.assertEqual(stale["GM0882", "2026-06", ""], ("shown", 100.0, 2))
        self.assertEqual(stale["NL", "2026-06", ""], ("shown", 75.0, 4))
        self.assertEqual({k[1] for k in median}, {"2026-06", "2026-K2", "2026"})

    def test_crisis_line_hours_of_the_week_and_gaps(self) -> None:
        hours, complete = self.cells("crisis_hours"), self.cells("crisis_complete")
        self.assertEqual(hours["GM0917", "2026-06", ""], ("shown", 42.0, None))  # 5 times 8.5 hours
        self.assertEqual(hours["GM0882", "2026-06", ""], ("shown", 0.0, None))
        self.assertEqual(hours["JZ41", "2026-06", ""], ("shown", 0.0, None))  # the lowest
        in_region = self.region.municipalities.count()
        self.assertEqual(complete["JZ41", "2026-06", ""], ("shown", 0.0, in_region))
        self.assertEqual(complete["GM0917", "2026", ""], ("shown", 0.0, 1))

    def test_seams_wait_for_their_sources(self) -> None:
        for code in ("actions_on_time", "network_updates"):
            self.assertFalse(indicators.get(code).available, code)
            self.assertEqual(figures.compute(indicators.get(code), TODAY), [])

    def test_every_indicator_is_defined_completely(self) -> None:
        for indicator in indicators.INDICATORS:
            self.assertTrue(str(indicator.name) and str(indicator.meaning), indicator.code)
            self.assertTrue(str(indicator.numerator), indicator.code)
            if indicator.shape != "count":
                self.assertIsNotNone(indicator.denominator, indicator.code)
        self.assertEqual(PeriodKind.values, ["month", "quarter", "year"])
