"""Expiry, the 23rd birthday, the 5-year archive and the purge, with the clock set by hand."""

from datetime import date, datetime, timedelta
from io import StringIO
from unittest import mock

from django.core.management import call_command
from django.utils import timezone

from rits.audit.models import Entry
from rits.involvement.models import Match, Signal
from rits.involvement.services import run_daily
from rits.involvement.tests.base import IndexTestCase
from rits.lib.ages import add_years


def at(day: date) -> datetime:
    return datetime.combine(
        day, datetime.min.time(), tzinfo=timezone.get_current_timezone()
    ).replace(hour=3)


class RetentionTests(IndexTestCase):
    def test_a_signal_ends_on_its_end_date_and_moves_to_the_archive(self) -> None:
        signal = self.register(
            self.professional, self.bsn(), ends_on=timezone.localdate() + timedelta(days=30)
        ).signal
        self.assertEqual(run_daily(now=at(signal.ends_on - timedelta(days=1))).expired, 0)
        report = run_daily(now=at(signal.ends_on))
        self.assertEqual((report.expired, report.aged_out), (1, 0))
        signal.refresh_from_db()
        self.assertEqual(signal.status, Signal.Status.EXPIRED)
        self.assertIn(signal, Signal.objects.archived())
        self.assertTrue(Entry.objects.filter(event="involvement.signal_ended").exists())

    def test_a_signal_ends_when_the_youth_turns_23(self) -> None:
        signal = self.register(
            self.professional, self.bsn(), birth_date=self.born(22, days=300)
        ).signal
        birthday = add_years(signal.birth_date, 23)
        report = run_daily(now=at(birthday))
        self.assertEqual(report.aged_out, 1)
        signal.refresh_from_db()
        self.assertEqual(signal.status, Signal.Status.AGED_OUT)

    def test_the_daily_run_is_idempotent(self) -> None:
        signal = self.register(
            self.professional, self.bsn(), ends_on=timezone.localdate() + timedelta(days=5)
        ).signal
        day = at(signal.ends_on + timedelta(days=1))
        self.assertEqual(run_daily(now=day).expired, 1)
        again = run_daily(now=day)
        self.assertEqual(
            (again.expired, again.aged_out, again.purged, again.escalated), (0, 0, 0, 0)
        )

    def test_the_archive_keeps_signals_five_years_then_purges_them(self) -> None:
        signal = self.register(
            self.professional, self.bsn(), ends_on=timezone.localdate() + timedelta(days=5)
        ).signal
        ended = at(signal.ends_on)
        run_daily(now=ended)
        purge_day = add_years(signal.ends_on, 5)
        self.assertEqual(run_daily(now=at(purge_day - timedelta(days=1))).purged, 0)
        self.assertTrue(Signal.objects.filter(pk=signal.pk).exists())
        self.assertEqual(run_daily(now=at(purge_day + timedelta(days=1))).purged, 1)
        self.assertFalse(Signal.objects.filter(pk=signal.pk).exists())
        self.assertEqual(run_daily(now=at(purge_day + timedelta(days=1))).purged, 0)

    def test_a_match_closes_when_one_side_ends_and_is_purged_later(self) -> None:
        bsn = self.bsn()
        short = self.register(
            self.professional, bsn, ends_on=timezone.localdate() + timedelta(days=10)
        ).signal
        match = self.register(self.outsider, bsn).matches[0]
        report = run_daily(now=at(short.ends_on))
        self.assertEqual(report.matches_closed, 1)
        match.refresh_from_db()
        self.assertEqual(match.status, Match.Status.CLOSED)

    def test_withdrawing_closes_the_match(self) -> None:
        from rits.involvement.services import withdraw_signal

        bsn = self.bsn()
        mine = self.register(self.professional, bsn).signal
        match = self.register(self.outsider, bsn).matches[0]
        withdraw_signal(mine, actor=self.professional)
        match.refresh_from_db()
        self.assertEqual(match.status, Match.Status.CLOSED)

    def test_the_command_reports_what_it_did(self) -> None:
        signal = self.register(
            self.professional, self.bsn(), ends_on=timezone.localdate() + timedelta(days=2)
        ).signal
        out = StringIO()
        with mock.patch("django.utils.timezone.now", return_value=at(signal.ends_on)):
            call_command("involvement_daily", stdout=out)
        self.assertIn("Ended (expired): 1", out.getvalue())
        out = StringIO()
        with mock.patch("django.utils.timezone.now", return_value=at(signal.ends_on)):
            call_command("involvement_daily", stdout=out)
        self.assertIn("Ended (expired): 0", out.getvalue())
