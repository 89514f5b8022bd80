"""My registrations: active or archived, newest first, a page at a time, findable by
my own reference, and never anyone else's."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rits.audit.models import Entry
from rits.involvement.services import withdraw_signal
from rits.involvement.tests.base import IndexTestCase
from rits.involvement.views import SIGNALS_PER_PAGE
from rits.testing import login

URL = reverse("involvement:signals")


class SignalListTests(IndexTestCase):
    def setUp(self) -> None:
        super().setUp()
        login(self.client, self.professional)

    def test_it_shows_a_page_at_a_time_newest_first(self) -> None:
        signals = [
            self.register(self.professional, self.bsn(), own_reference=f"D-{n:03d}").signal
            for n in range(SIGNALS_PER_PAGE + 1)
        ]
        first = self.client.get(URL)
        self.assertEqual(
            [s.pk for s in first.context["signals"]], [s.pk for s in reversed(signals[1:])]
        )
        self.assertContains(first, f"{SIGNALS_PER_PAGE + 1} meldingen.")
        self.assertContains(first, "page=2")
        second = self.client.get(URL, {"page": 2})
        self.assertEqual([s.pk for s in second.context["signals"]], [signals[0].pk])
        self.assertContains(second, "D-000")
        self.assertNotContains(second, "D-001")
        # Each page read is audited with the signals it showed, and only those.
        listed = Entry.objects.filter(event="involvement.signals_listed").order_by("id")
        self.assertEqual(listed.last().data["signals"], [signals[0].pk])  # type: ignore[union-attr]

    def test_the_archive_holds_the_ended_signals_only(self) -> None:
        kept = self.register(self.professional, self.bsn(), own_reference="KEPT").signal
        ended = self.register(self.professional, self.bsn(), own_reference="ENDED").signal
        withdraw_signal(ended, actor=self.professional)
        active = self.client.get(URL)
        self.assertEqual([s.pk for s in active.context["signals"]], [kept.pk])
        archive = self.client.get(URL, {"archive": "1"})
        self.assertEqual([s.pk for s in archive.context["signals"]], [ended.pk])
        self.assertContains(archive, "Ingetrokken")

    def test_it_finds_my_signal_by_my_own_reference_and_never_someone_elses(self) -> None:
        mine = self.register(self.professional, self.bsn(), own_reference="Dossier-42").signal
        self.register(self.professional, self.bsn(), own_reference="Dossier-43")
        self.register(self.outsider, self.bsn(), own_reference="DOSSIER-42")
        found = self.client.get(URL, {"reference": "dossier-42"})
        self.assertEqual([s.pk for s in found.context["signals"]], [mine.pk])
        self.assertContains(found, "1 melding.")
        # The archive tab keeps the search.
        self.assertContains(found, "?archive=1&amp;reference=dossier-42")
        none = self.client.get(URL, {"reference": "nobody"})
        self.assertEqual(none.context["signals"], [])
        self.assertContains(none, "Geen van je meldingen hier heeft het kenmerk “nobody”.")

    def test_it_counts_the_open_matches_of_each_signal_on_the_page(self) -> None:
        bsn = self.bsn()
        matched = self.register(self.professional, bsn).signal
        alone = self.register(self.professional, self.bsn()).signal
        self.register(self.outsider, bsn)
        shown = {s.pk: s.match_count for s in self.client.get(URL).context["signals"]}
        self.assertEqual(shown, {matched.pk: 1, alone.pk: 0})

    def test_a_bad_page_number_shows_a_page_and_changes_nothing(self) -> None:
        self.register(self.professional, self.bsn(), own_reference="ONLY")
        for page in ("0", "x", "999"):
            with self.subTest(page=page):
                self.assertContains(self.client.get(URL, {"page": page}), "ONLY")

    def test_the_newest_page_comes_straight_from_the_index(self) -> None:
        """A reporter with many signals (an organisation importing its case load) gets
        the first page without sorting them all. PostgreSQL is told to avoid
        sequential scans, which it rightly prefers for the few rows of a test."""
        self.register(self.professional, self.bsn())
        with CaptureQueriesContext(connection) as queries:
            self.client.get(URL)
        listing = [
            q["sql"]
            for q in queries.captured_queries
            if q["sql"].startswith("SELECT")
            and "ORDER BY" in q["sql"]
            and "involvement_signal" in q["sql"]
        ]
        self.assertEqual(len(listing), 1)
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute(f"EXPLAIN QUERY PLAN {listing[0]}")
            else:
                cursor.execute("SET LOCAL enable_seqscan = off")
                cursor.execute(f"EXPLAIN {listing[0]}")
            plan = [str(step[-1]).strip() for step in cursor.fetchall()]
        self.assertIn("signal_reporter_time", " ".join(plan))
        self.assertNotIn("USE TEMP B-TREE FOR ORDER BY", plan)  # SQLite
        self.assertFalse([step for step in plan if step.startswith("Sort")], plan)  # PostgreSQL
