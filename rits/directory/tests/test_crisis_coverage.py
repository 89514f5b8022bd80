"""Coverage: the hours of the week and the public holidays when a municipality can reach
a crisis line, and the gaps when it cannot."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from rits.directory.models import Closure, CrisisLine, OpeningHours
from rits.directory.reachability import (
    AMSTERDAM,
    crisis_coverage,
    public_holidays_in,
    week_of,
)
from rits.directory.tests.base import DirectoryTestCase
from rits.regions.models import Municipality

WEEK = week_of(date(2026, 3, 11))  # Monday 9 to Sunday 15 March 2026, no holiday


class CoverageTests(DirectoryTestCase):
    def test_the_office_and_the_regional_line_together_cover_every_hour(self) -> None:
        coverage = crisis_coverage([self.heerlen], WEEK)[self.heerlen.pk]

        self.assertTrue(coverage.complete)
        self.assertEqual(coverage.reachable_hours, 168)
        self.assertEqual(coverage.share, 1.0)

    def test_without_the_regional_line_only_the_office_hours_are_covered(self) -> None:
        self.regional.delete()

        coverage = crisis_coverage([self.heerlen], WEEK)[self.heerlen.pk]

        self.assertEqual(coverage.reachable_hours, 5 * 8.5)
        # Evenings and nights join across midnight: Monday 00:00-08:30, then each
        # 17:00-08:30, then Friday 17:00 until Sunday's end.
        self.assertEqual(len(coverage.gaps), 6)
        first, last = coverage.gaps[0], coverage.gaps[-1]
        self.assertEqual(first.starts, datetime(2026, 3, 9, 0, 0, tzinfo=AMSTERDAM))
        self.assertEqual(first.ends, datetime(2026, 3, 9, 8, 30, tzinfo=AMSTERDAM))
        self.assertEqual(last.starts, datetime(2026, 3, 13, 17, 0, tzinfo=AMSTERDAM))
        self.assertEqual(last.ends, datetime(2026, 3, 16, 0, 0, tzinfo=AMSTERDAM))

    def test_a_regional_line_with_its_own_hours_leaves_the_hours_between_open(self) -> None:
        OpeningHours.objects.bulk_create(
            OpeningHours(crisis_line=self.regional, weekday=d, opens_at=o, closes_at=c)
            for d in range(7)
            for o, c in ((time(0, 0), time(8, 0)), (time(18, 0), time(23, 59)))
        )

        coverage = crisis_coverage([self.heerlen], WEEK)[self.heerlen.pk]

        # Weekdays 08:00-08:30 and 17:00-18:00; weekend days 08:00-18:00.
        self.assertAlmostEqual(sum(g.hours for g in coverage.gaps), 5 * 1.5 + 2 * 10)
        self.assertEqual(coverage.reachable_hours, 168 - 5 * 1.5 - 2 * 10)

    def test_a_municipality_without_any_line_is_never_covered(self) -> None:
        elsewhere = Municipality.objects.exclude(region=self.region).first()
        assert elsewhere is not None

        coverage = crisis_coverage([elsewhere], WEEK)[elsewhere.pk]

        self.assertEqual(coverage.reachable_hours, 0)
        self.assertEqual([(g.starts.day, g.ends.day) for g in coverage.gaps], [(9, 16)])

    def test_public_holidays_are_named_in_the_gaps(self) -> None:
        self.regional.delete()
        days = public_holidays_in(2026)
        self.assertIn(date(2026, 4, 27), days)  # Koningsdag

        coverage = crisis_coverage([self.heerlen], days)[self.heerlen.pk]

        kings_day = next(g for g in coverage.gaps if g.starts.date() == date(2026, 4, 27))
        self.assertEqual(kings_day.holiday, "Koningsdag")
        self.assertEqual(kings_day.hours, 24)

    def test_a_closure_of_the_office_is_covered_by_the_regional_line(self) -> None:
        Closure.objects.create(
            crisis_line=self.office_heerlen, starts_on=WEEK[0], ends_on=WEEK[4], reason="Verhuizing"
        )
        self.assertTrue(crisis_coverage([self.heerlen], WEEK)[self.heerlen.pk].complete)

        self.regional.delete()
        self.assertEqual(crisis_coverage([self.heerlen], WEEK)[self.heerlen.pk].reachable_hours, 0)

    def test_the_day_the_clocks_go_back_counts_25_hours(self) -> None:
        coverage = crisis_coverage([self.heerlen], [date(2026, 10, 25)])[self.heerlen.pk]

        self.assertEqual(coverage.total_hours, 25)
        self.assertTrue(coverage.complete)

    def test_every_municipality_takes_three_queries(self) -> None:
        municipalities = list(Municipality.objects.all())
        with CaptureQueriesContext(connection) as queries:
            found = crisis_coverage(municipalities, WEEK)

        self.assertEqual(len(found), 342)
        self.assertEqual(len(queries), 3)
        self.assertTrue(found[self.landgraaf.pk].complete)  # the regional line alone
        self.assertEqual(CrisisLine.objects.filter(municipality=self.landgraaf).count(), 0)
